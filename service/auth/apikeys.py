"""API keys: ``jc_<prefix>_<secret>``; the prefix finds the row, a keyed hash checks the rest."""

from __future__ import annotations

import hashlib
import hmac
import secrets

KEY_PREFIX = "jc_"


def new_api_key() -> tuple[str, str]:
    """(the full key, shown once; its lookup prefix)."""
    prefix = secrets.token_hex(6)
    return f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}", prefix


def split_key(key: str) -> str | None:
    """The lookup prefix of a well-formed key."""
    if not key.startswith(KEY_PREFIX):
        return None
    prefix, _, rest = key[len(KEY_PREFIX) :].partition("_")
    return prefix if len(prefix) == 12 and rest else None


def hash_key(secret_key: str, key: str) -> str:
    return hmac.new(
        secret_key.encode(), b"jobcircle/apikey/v1:" + key.encode(), hashlib.sha256
    ).hexdigest()


def key_matches(secret_key: str, key: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_key(secret_key, key), stored_hash)
