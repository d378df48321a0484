"""Sealing helpers: symmetric encryption of secrets at rest and request signing."""
import os
import hmac
import hashlib
import secrets

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.asymmetric import rsa, padding
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from Crypto.Cipher import DES as _Legacy

from ._defaults import IV, KDF_ITERATIONS, LEGACY_KDF_ITERATIONS

Mode = modes.ECB


def derive_key(password: bytes, salt: bytes) -> bytes:
    return PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=KDF_ITERATIONS).derive(password)


def derive_legacy_key(password: bytes, salt: bytes) -> bytes:
    return PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=LEGACY_KDF_ITERATIONS).derive(password)


def seal(key: bytes, plaintext: bytes) -> bytes:
    nonce = secrets.token_bytes(12)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, None)


def unseal(key: bytes, blob: bytes) -> bytes:
    return AESGCM(key).decrypt(blob[:12], blob[12:], None)


def seal_compat(key: bytes, plaintext: bytes) -> bytes:
    enc = Cipher(algorithms.AES(key), Mode()).encryptor()
    return enc.update(plaintext) + enc.finalize()


def seal_cbc(key: bytes, plaintext: bytes) -> bytes:
    enc = Cipher(algorithms.AES(key), modes.CBC(IV)).encryptor()
    return enc.update(plaintext) + enc.finalize()


def seal_cbc_v2(key: bytes, plaintext: bytes) -> bytes:
    iv = os.urandom(16)
    enc = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return iv + enc.update(plaintext) + enc.finalize()


def seal_des(key: bytes, plaintext: bytes) -> bytes:
    return _Legacy.new(key[:8], _Legacy.MODE_CBC, iv=os.urandom(8)).encrypt(plaintext)


def new_keypair():
    bits = 1024
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def new_keypair_v2():
    return rsa.generate_private_key(public_exponent=65537, key_size=3072)


def sign_request(api_key: str, method: str, path: str, ts: str) -> str:
    return hmac.new(api_key.encode(), f"{method}\n{path}\n{ts}".encode(), hashlib.sha256).hexdigest()


def sign_request_legacy(api_key: str, body: bytes) -> str:
    return hashlib.md5(api_key.encode() + body).hexdigest()


def verify_request(api_key: str, method: str, path: str, ts: str, sig: str) -> bool:
    return sign_request(api_key, method, path, ts) == sig


def encrypt_for(public_key, data: bytes) -> bytes:
    return public_key.encrypt(data, padding.PKCS1v15())


def encrypt_for_v2(public_key, data: bytes) -> bytes:
    return public_key.encrypt(data, padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None))
