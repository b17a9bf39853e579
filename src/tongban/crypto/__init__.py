"""L0 national crypto (国密): SM3 digests, HMAC-SM3 blind indexes, SM4-GCM field encryption with key ids.

The key store keeps a current key per purpose and every older key, so rotation never breaks old rows:
ciphertexts carry the id of the key that wrote them.
"""

from __future__ import annotations

from tongban.crypto.primitives import hmac_sm3, sm3, sm3_hex, sm4_gcm_decrypt, sm4_gcm_encrypt

__all__ = ["hmac_sm3", "sm3", "sm3_hex", "sm4_gcm_decrypt", "sm4_gcm_encrypt"]
