"""A real OpenID Connect provider for the sign-in tests: oidc-provider (tests/oidc, installed by
scripts/test with npm ci), a certified implementation, started on 127.0.0.1. It publishes its
discovery document and signing keys, requires PKCE and signs its ID tokens; its development
login form signs in any name, and an email-shaped name is that account's verified address.

`sign_in` walks a browser's way through it over plain HTTP: the coach's /sign-in, the
provider's login form, back to the coach's callback.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import shutil
import subprocess
import time
from base64 import urlsafe_b64encode
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit

import requests

from .conftest import require
from .serverproc import free_port

FOLDER = Path(__file__).resolve().parent / "oidc"
_FORM_ACTION = re.compile(r'<form[^>]*action="([^"]+)"')


class IdentityProvider:
    def __init__(self, redirect_uris: list[str], port: int | None = None):
        require(shutil.which("node") is not None, "Node.js")
        require((FOLDER / "node_modules" / "oidc-provider").is_dir(), "tests/oidc's npm packages (npm ci)")
        self.port = port or free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.client_id = "coach-" + secrets.token_hex(4)
        self.client_secret = secrets.token_urlsafe(32)
        self.redirect_uris = redirect_uris
        self.process: subprocess.Popen | None = None

    def env(self, name: str = "school", domains: str = "example.edu", **settings: str) -> dict[str, str]:
        """The coach's COACH_OIDC_<NAME>_* settings for this provider."""
        prefix = f"COACH_OIDC_{name.upper()}_"
        return {prefix + "ISSUER": self.issuer, prefix + "CLIENT_ID": self.client_id,
                prefix + "CLIENT_SECRET": self.client_secret, prefix + "DOMAINS": domains,
                **{prefix + key.upper(): value for key, value in settings.items()}}

    def __enter__(self) -> IdentityProvider:
        client = {"client_id": self.client_id, "client_secret": self.client_secret,
                  "redirect_uris": self.redirect_uris}
        self.process = subprocess.Popen(["node", "provider.mjs", json.dumps({"port": self.port, "clients": [client]})],
                                        cwd=FOLDER, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if requests.get(self.issuer + "/.well-known/openid-configuration", timeout=1).ok:
                    return self
            except requests.ConnectionError:
                if self.process.poll() is not None:
                    break
            time.sleep(0.1)
        self.__exit__()
        raise RuntimeError("the test identity provider did not start")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)

    def log_in(self, authorization_url: str, login: str) -> str:
        """Sign in at the provider as `login` (a fresh browser of its own); where it sends the browser back to."""
        browser = requests.Session()
        location = authorization_url
        while location.startswith(self.issuer):
            answer = browser.get(location, allow_redirects=False, timeout=10)
            if answer.status_code == 200 and 'name="login"' in answer.text:
                action = urljoin(location, _FORM_ACTION.search(answer.text).group(1))
                answer = browser.post(action, data={"prompt": "login", "login": login, "password": "anything"},
                                      allow_redirects=False, timeout=10)
            assert answer.is_redirect, f"the provider answered {answer.status_code}: {answer.text[:500]}"
            location = urljoin(location, answer.headers["Location"])
        return location


class Browser(requests.Session):
    """A browser at the coach: keeps its cookies, Secure ones too, over http to 127.0.0.1 (as browsers do);
    follows no redirect by itself."""

    def request(self, method, url, **kwargs):
        kwargs["allow_redirects"] = False  # Session.get asks for them
        kwargs.setdefault("timeout", 30)
        answer = super().request(method, url, **kwargs)
        for cookie in answer.cookies:
            self.cookies.set(cookie.name, cookie.value, domain=cookie.domain, path=cookie.path, secure=False)
        return answer


def pkce() -> tuple[str, str]:
    """A PKCE verifier and its S256 challenge."""
    verifier = secrets.token_urlsafe(48)
    challenge = urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def extension_id(path: Path) -> str:
    """The id Chrome gives an unpacked extension loaded from `path`: its path's SHA-256, a letter per hex digit."""
    digest = hashlib.sha256(str(path).encode()).hexdigest()[:32]
    return "".join(chr(ord("a") + int(digit, 16)) for digit in digest)


def fragment(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).fragment))
