"""Standard vectors (GB/T 32905 SM3, GB/T 32907 SM4) and the SM4-GCM / HMAC-SM3 wrappers."""

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from tongban.crypto import hmac_sm3, sm3_hex, sm4_gcm_decrypt, sm4_gcm_encrypt

SM4_KEY = bytes.fromhex("0123456789abcdeffedcba9876543210")


def test_sm3_abc():
    assert sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_sm3_abcd_times_16():
    assert sm3_hex(b"abcd" * 16) == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"


def sm4_ecb():
    return Cipher(algorithms.SM4(SM4_KEY), modes.ECB()).encryptor()  # noqa: S305 - single-block test vector


def test_sm4_single_block():
    assert sm4_ecb().update(SM4_KEY).hex() == "681edf34d206965e86b3e94f536e4246"


def test_sm4_one_million_encryptions():
    """The standard's second vector; about one second with OpenSSL, so it stays in the default run."""
    enc, block = sm4_ecb(), SM4_KEY
    for _ in range(1_000_000):
        block = enc.update(block)
    assert block.hex() == "595298c7c6fd271f0402f804c33d3f66"


def test_sm4_gcm_round_trip_and_fresh_nonce():
    a = sm4_gcm_encrypt(SM4_KEY, "张三".encode(), aad=b"k1")
    b = sm4_gcm_encrypt(SM4_KEY, "张三".encode(), aad=b"k1")
    assert a != b
    assert sm4_gcm_decrypt(SM4_KEY, a, aad=b"k1").decode() == "张三"


@pytest.mark.parametrize("tamper", ["ciphertext", "aad", "key"])
def test_sm4_gcm_rejects_tampering(tamper):
    blob = bytearray(sm4_gcm_encrypt(SM4_KEY, b"secret", aad=b"k1"))
    key, aad = SM4_KEY, b"k1"
    if tamper == "ciphertext":
        blob[13] ^= 1
    elif tamper == "aad":
        aad = b"k2"
    else:
        key = bytes(16)
    with pytest.raises(InvalidTag):
        sm4_gcm_decrypt(key, bytes(blob), aad=aad)


def test_hmac_sm3_is_keyed():
    assert hmac_sm3(b"k" * 32, b"x") == hmac_sm3(b"k" * 32, b"x")
    assert hmac_sm3(b"k" * 32, b"x") != hmac_sm3(b"j" * 32, b"x")
    assert len(hmac_sm3(b"k" * 32, b"x")) == 32
