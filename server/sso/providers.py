"""The school's OpenID Connect providers, through Authlib's client: discovery, the
authorization request with PKCE (S256) and a nonce, the code exchange, and the ID token's
checks (signature against the provider's published keys, issuer, audience, expiry, nonce,
at_hash). What is ours: which email addresses a provider may vouch for.
"""

from __future__ import annotations

import logging

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app
from joserfc.errors import JoseError

from .. import accounts

log = logging.getLogger(__name__)

SCOPE = "openid email profile"
TIMEOUT_S = 10
GOOGLE = "https://accounts.google.com"


class ProviderUnavailable(Exception):
    """The provider could not be asked (down, misconfigured, or it refused the exchange)."""


class NotAccepted(Exception):
    """The provider vouched for someone this server does not take from it; the message says who and why."""


def init_app(app: Flask) -> None:
    oauth = OAuth()
    for provider in app.config["SIGN_IN_PROVIDERS"]:
        oauth.register(
            provider["name"],
            client_id=provider["client_id"],
            client_secret=provider["client_secret"],
            server_metadata_url=provider["issuer"] + "/.well-known/openid-configuration",
            client_kwargs={"scope": SCOPE, "code_challenge_method": "S256", "default_timeout": TIMEOUT_S},
        )
    oauth.init_app(app)
    app.extensions["sso"] = oauth
    # Authlib logs the PKCE verifier at debug level: no secret of a sign-in goes to a log.
    logging.getLogger("authlib").setLevel(logging.INFO)


def all_providers() -> tuple[dict, ...]:
    return current_app.config["SIGN_IN_PROVIDERS"]


def find(name: str) -> dict | None:
    return next((p for p in all_providers() if p["name"] == name), None)


def _client(provider: dict):
    client = current_app.extensions["sso"].create_client(provider["name"])
    try:
        metadata = client.load_server_metadata()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(f"discovery failed ({type(error).__name__})") from None
    if metadata.get("issuer") != provider["issuer"]:
        # OpenID Connect Discovery 1.0, 4.3: the document must name the issuer it was fetched for.
        raise ProviderUnavailable("the discovery document names another issuer")
    return client


def authorization(provider: dict, redirect_uri: str, *, ask_again: bool = False) -> dict:
    """{url, state, nonce, code_verifier} of a new authorization request to the provider.

    ask_again: the provider must have the person sign in again even if they already are
    (OpenID Connect Core 3.1.2.1, prompt=login), so that no sign-in completes unseen.
    """
    extra = {"hd": provider["domains"][0]} if provider["issuer"] == GOOGLE and len(provider["domains"]) == 1 else {}
    if ask_again:
        extra["prompt"] = "login"
    return _client(provider).create_authorization_url(redirect_uri, **extra)


def claims(provider: dict, *, code: str, code_verifier: str, redirect_uri: str, nonce: str) -> dict:
    """The verified claims of the ID token the provider gives for this code.

    A provider may keep the profile's claims (the email address among them) out of the ID
    token and give them at its userinfo endpoint (OpenID Connect Core 5.4): then they are
    asked there, with the access token, for the same subject.
    """
    client = _client(provider)
    try:
        token = client.fetch_access_token(redirect_uri, code=code, code_verifier=code_verifier)
        verified = client.parse_id_token(token, nonce=nonce)
        if verified is None:
            raise ProviderUnavailable("the provider answered without an ID token")
        verified = dict(verified)
        if provider["email_claim"] not in verified and client.load_server_metadata().get("userinfo_endpoint"):
            profile = client.userinfo(token=token)
            if profile.get("sub") != verified["sub"]:
                raise ProviderUnavailable("the userinfo endpoint answered for another subject")
            verified = {**profile, **verified}
    except (AuthlibBaseError, JoseError, requests.RequestException, ValueError, KeyError, TypeError) as error:
        raise ProviderUnavailable(f"the code exchange or its ID token was refused ({type(error).__name__})") from None
    return verified


def _says_yes(value) -> bool:
    return value is True or value == "true"  # some providers send JSON booleans as strings


def email_of(provider: dict, verified: dict) -> str:
    """The account's email address, if the provider vouches for it and it is in one of its domains."""
    label, claim = provider["label"], provider["email_claim"]
    value = verified.get(claim)
    if not isinstance(value, str):
        raise NotAccepted(f"{label} did not say which email address you signed in with (no '{claim}' claim).")
    # Letters beyond ASCII could make another domain read as the school's once lowercased (the
    # Kelvin sign K is a k): the school's addresses are taken exactly as written, in ASCII.
    if not value.isascii():
        raise NotAccepted(f"{label} gave {value[:100]!r}, which is not a plain address of your school.")
    try:
        email = accounts.normal_email(value)
    except ValueError:
        raise NotAccepted(f"{label} gave no email address, but {value[:100]!r}.") from None
    # The `email` claim is any address the account says it has: the provider must say it checked it
    # (or, from Microsoft Entra ID, that the domain's owner did: xms_edov). Another claim, such as
    # Entra's preferred_username, names the account in the school's directory, whose domains it verified.
    if claim == "email" and not (_says_yes(verified.get("email_verified")) or _says_yes(verified.get("xms_edov"))):
        raise NotAccepted(f"{label} has not verified {email}.")
    domains = provider["domains"]
    if email.rpartition("@")[2] not in domains:
        raise NotAccepted(f"{email} is not an address this coach takes from {label} "
                          f"(it takes {', '.join('@' + d for d in domains)}). Sign in with your school account.")
    # A Google account may carry any address; only `hd` says the school's Workspace manages it.
    hosted = verified.get("hd")
    if (hosted is not None or provider["issuer"] == GOOGLE) and hosted not in domains:
        raise NotAccepted(f"{email} is not an account of your school's Google Workspace. Sign in with your school "
                          "account.")
    return email
