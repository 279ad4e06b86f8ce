"""What a sign-in keeps between its steps, in the database so that any worker of any server
can take the next step: the request waiting for the provider's answer, and the one-time
code waiting for the client to exchange it. Each is taken (deleted) by the step that uses
it, so it counts once, and each expires.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from sqlalchemy import Connection, delete, insert

from ..accounts import hash_token, now
from ..schema import sign_in_codes, sign_in_requests
from .clients import ClientRequest

# Long enough to type a password and answer a second factor at the provider.
REQUEST_LIFETIME = timedelta(minutes=10)
# The client exchanges its code the moment it has it.
CODE_LIFETIME = timedelta(minutes=2)


def begin(connection: Connection, request: ClientRequest, *, provider: str, state: str, browser: str, nonce: str,
          code_verifier: str) -> None:
    at = now()
    connection.execute(delete(sign_in_requests).where(sign_in_requests.c.created_at < at - REQUEST_LIFETIME))
    connection.execute(insert(sign_in_requests).values(
        state_hash=hash_token(state), browser_hash=hash_token(browser), provider=provider, client=request.client,
        redirect_uri=request.redirect_uri, client_state=request.state, code_challenge=request.code_challenge,
        next_page=request.next_page, nonce=nonce, code_verifier=code_verifier, created_at=at))


def take(connection: Connection, state: str, browser: str):
    """The request this provider answer belongs to, taken so that it is answered once; None when
    there is none in time for this state from this browser."""
    c = sign_in_requests.c
    return connection.execute(
        delete(sign_in_requests)
        .where(c.state_hash == hash_token(state[:200]), c.browser_hash == hash_token(browser[:100]),
               c.created_at > now() - REQUEST_LIFETIME)
        .returning(*sign_in_requests.c)
    ).first()


def issue_code(connection: Connection, user_id: int, client: str, redirect_uri: str, code_challenge: str) -> str:
    at = now()
    connection.execute(delete(sign_in_codes).where(sign_in_codes.c.created_at < at - CODE_LIFETIME))
    code = secrets.token_urlsafe(32)
    connection.execute(insert(sign_in_codes).values(
        code_hash=hash_token(code), user_id=user_id, client=client, redirect_uri=redirect_uri,
        code_challenge=code_challenge, created_at=at))
    return code


def take_code(connection: Connection, code: str):
    """The code's record, taken: whatever follows, it is never exchanged again."""
    return connection.execute(
        delete(sign_in_codes).where(sign_in_codes.c.code_hash == hash_token(code)).returning(*sign_in_codes.c)
    ).first()


def code_matches(record, *, code_verifier: str, redirect_uri: str) -> bool:
    """The taken code is in time, for this redirect URI, and this is the verifier of its challenge."""
    challenge = create_s256_code_challenge(code_verifier)
    return (record is not None and record.created_at > now() - CODE_LIFETIME
            and hmac.compare_digest(record.redirect_uri.encode(), redirect_uri.encode())
            and hmac.compare_digest(record.code_challenge.encode(), challenge.encode()))
