"""Personal data at rest: SM4-GCM encrypted text fields and keyed HMAC-SM3 blind indexes."""

from __future__ import annotations

import base64
from typing import Any

from django.db import models

from tongban.crypto import keys
from tongban.crypto.primitives import hmac_sm3, sm4_gcm_decrypt, sm4_gcm_encrypt

PREFIX = "sm4g"


def encrypt_text(value: str) -> str:
    ring = keys.ring("field")
    blob = sm4_gcm_encrypt(ring.keys[ring.current], value.encode(), aad=ring.current.encode())
    return f"{PREFIX}:{ring.current}:{base64.b64encode(blob).decode()}"


def decrypt_text(token: str) -> str:
    scheme, key_id, b64 = token.split(":", 2)
    if scheme != PREFIX:
        raise ValueError("unknown ciphertext scheme")
    return sm4_gcm_decrypt(keys.ring("field").keys[key_id], base64.b64decode(b64), aad=key_id.encode()).decode()


def blind_index(value: str, *, namespace: str) -> str:
    """Deterministic keyed digest for equality lookups without storing the value in clear."""
    ring = keys.ring("index")
    return hmac_sm3(ring.keys[ring.current], f"{namespace}\x00{value}".encode()).hex()


class EncryptedTextField(models.TextField):
    """Stores ``sm4g:<key id>:<base64(nonce‖ct‖tag)>``; Python code only ever sees the clear value."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt_text(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(str(value))
