"""Encryption of ID numbers at rest and keyed hashes for exact lookup.

Two keys are derived from the secret key with different labels, so that the lookup hash
reveals nothing about the encryption key. Rotating the secret key needs a re-encryption job.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken


def _derive(secret: str, label: str) -> bytes:
    return hmac.new(secret.encode(), label.encode(), hashlib.sha256).digest()


class PersonalDataCipher:
    def __init__(self, secret_key: str) -> None:
        self._fernet = Fernet(base64.urlsafe_b64encode(_derive(secret_key, "jobcircle/encrypt/v1")))
        self._hash_key = _derive(secret_key, "jobcircle/lookup-hash/v1")

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, token: str) -> str | None:
        """None when the value cannot be decrypted (e.g. written under another key)."""
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            return None

    def lookup_hash(self, plaintext: str) -> str:
        return hmac.new(self._hash_key, plaintext.encode(), hashlib.sha256).hexdigest()


@lru_cache(maxsize=4)
def cipher_for(secret_key: str) -> PersonalDataCipher:
    return PersonalDataCipher(secret_key)
