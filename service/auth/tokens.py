"""Short-lived bearer tokens (JWT, HS256, signed with a key derived from the secret key)."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from typing import Any

import jwt

from service.sqltypes import utcnow

ISSUER = "jobcircle"
ALGORITHM = "HS256"


def _signing_key(secret_key: str) -> bytes:
    return hmac.new(secret_key.encode(), b"jobcircle/jwt/v1", hashlib.sha256).digest()


def issue_token(secret_key: str, *, account_id: str, role: str, minutes: int) -> tuple[str, int]:
    now = utcnow()
    claims = {
        "iss": ISSUER,
        "sub": account_id,
        "role": role,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(minutes=minutes)).timestamp()),
    }
    return jwt.encode(claims, _signing_key(secret_key), algorithm=ALGORITHM), minutes * 60


def read_token(secret_key: str, token: str) -> dict[str, Any] | None:
    """The claims of a valid, unexpired token of ours; None for anything else."""
    try:
        return jwt.decode(
            token,
            _signing_key(secret_key),
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["exp", "sub", "iss"]},
        )
    except jwt.PyJWTError:
        return None
