"""Who asks to sign in, and where the answer may go.

- `extension`: the Chrome extension, through chrome.identity.launchWebAuthFlow; the answer goes
  to https://<extension id>.chromiumapp.org/, which only Chrome, for that extension, receives.
  COACH_EXTENSION_IDS says which extensions (every one when unset).
- `addin`: the Outlook add-in, through the Office dialog API; the answer goes to this
  server's own /addin/signed-in.html, which hands it to the task pane.
- `admin`: an administrator's browser; the answer is an admin session on this server.

The extension and the add-in send their own `state` and a PKCE `code_challenge` (S256): the
code they get back is worth nothing without the verifier only they hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app

from ..addin import deployment_url

CLIENTS = ("extension", "addin", "admin")
ADDIN_PAGE = "/addin/signed-in.html"
_CHROMIUM_REDIRECT = re.compile(r"https://([a-p]{32})\.chromiumapp\.org/")
_STATE = re.compile(r"[A-Za-z0-9._~-]{8,200}")
_CHALLENGE = re.compile(r"[A-Za-z0-9_-]{43}")  # base64url of a SHA-256, unpadded
# A page of ours, in printable ASCII: no space or line break, which cannot go into a Location header.
_ADMIN_PAGE = re.compile(r"/admin(?:[/?#][!-\[\]-~]*)?")


class BadRequest(ValueError):
    """The sign-in request cannot be served; the message says what is wrong."""


@dataclass(frozen=True)
class ClientRequest:
    client: str
    redirect_uri: str | None = None
    state: str | None = None
    code_challenge: str | None = None
    next_page: str | None = None


def admin_page(value: str | None) -> str | None:
    """An admin's page to go to after signing in, if it is one of ours; never another site."""
    return value if value and _ADMIN_PAGE.fullmatch(value) else None


def _redirect_uri(client: str, value: str) -> str:
    if client == "addin":
        if value != deployment_url() + ADDIN_PAGE:
            raise BadRequest("The add-in's sign-in must come back to this server's own add-in page.")
        return value
    found = _CHROMIUM_REDIRECT.fullmatch(value)
    if not found:
        raise BadRequest("The extension's sign-in must come back to its chrome.identity address "
                         "(https://<extension id>.chromiumapp.org/).")
    allowed = current_app.config["EXTENSION_IDS"]
    if allowed and found.group(1) not in allowed:
        raise BadRequest("This Chrome extension is not one this school's coach signs in (COACH_EXTENSION_IDS).")
    return value


def from_query(args) -> ClientRequest:
    """The request in a sign-in link's query; BadRequest when any part is missing or wrong."""
    client = args.get("client", "")
    if client not in CLIENTS:
        raise BadRequest("Say who is signing in: client=extension, addin or admin.")
    if client == "admin":
        return ClientRequest(client, next_page=admin_page(args.get("next")))
    if args.get("code_challenge_method") != "S256":
        raise BadRequest("The sign-in needs a PKCE challenge with code_challenge_method=S256.")
    challenge, state = args.get("code_challenge", ""), args.get("state", "")
    if not _CHALLENGE.fullmatch(challenge):
        raise BadRequest("code_challenge must be the base64url SHA-256 of the client's verifier (43 characters).")
    if not _STATE.fullmatch(state):
        raise BadRequest("state must be 8 to 200 URL-safe characters the client chose.")
    return ClientRequest(client, _redirect_uri(client, args.get("redirect_uri", "")), state, challenge)
