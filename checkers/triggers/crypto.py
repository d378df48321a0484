"""Triggers of the cryptography rules (checkers/py_crypto.py), with the names they share with them."""
from __future__ import annotations

import re

from backdoor_lint.checkers.triggers import PythonTrigger
from backdoor_lint.checkers.triggers.sites_shell import calls_one_of
from backdoor_lint.checkers.vocabulary import is_test_code

PYCRYPTO = ("Crypto", "Cryptodome")
CRYPTOGRAPHY_HASHES = "cryptography.hazmat.primitives.hashes."
BITS_KEY_GENERATORS = frozenset({f"{p}.PublicKey.{k}.generate" for p in PYCRYPTO for k in ("RSA", "DSA")} |
                                {"paramiko.RSAKey.generate", "paramiko.DSSKey.generate", "paramiko.rsakey.RSAKey.generate"})
_ASYMMETRIC = "cryptography.hazmat.primitives.asymmetric."
RSA_KEY_GENERATOR = _ASYMMETRIC + "rsa.generate_private_key"
DSA_KEY_GENERATOR = _ASYMMETRIC + "dsa.generate_private_key"
EC_KEY_GENERATOR = _ASYMMETRIC + "ec.generate_private_key"
PYOPENSSL_KEY_GENERATOR = "OpenSSL.crypto.PKey.generate_key"  # also under a longer name ending so
# Every function ShortKey checks the size of
SHORT_KEY_GENERATORS = BITS_KEY_GENERATORS | {RSA_KEY_GENERATOR, DSA_KEY_GENERATOR, EC_KEY_GENERATOR,
                                              PYOPENSSL_KEY_GENERATOR}


class WeakHash(PythonTrigger):
    TRIGGER_LITERALS = (b"hashlib", b"Crypto", b"hashes.", b"hmac", b"PASSWORD_HASHERS")  # one in each branch below
    TRIGGER = re.compile(rb"hashlib|Crypto\.Hash|Cryptodome\.Hash|hashes\.(MD5|SHA1)|\bhmac\b|PASSWORD_HASHERS")
    TRIGGER_IMPORTS = frozenset({CRYPTOGRAPHY_HASHES + "MD5", CRYPTOGRAPHY_HASHES + "SHA1"})  # `SHA1()` alone


class WeakCipher(PythonTrigger):
    TRIGGER = re.compile(rb"Crypto|cryptography|pyDes|\bdes\b|AESGCM|ChaCha|pbkdf2|PBKDF2|scrypt|Scrypt|bcrypt|"
                         rb"MODE_|\bsalt\b|xor|\^")

    # every file the two stages below let through holds one of these (lower-cased): substring
    # tests rule most files out several times faster than the regexes
    _NEEDED = (b"crypt", b"cipher", b"obfusc", b"pydes", b"aesgcm", b"chacha", b"pbkdf2", b"mode_", b"salt")

    @classmethod
    def wants(cls, raw: bytes, display: str) -> bool:
        lower = raw.lower()
        if not any(needed in lower for needed in cls._NEEDED) or not cls.TRIGGER.search(raw):
            return False
        # a bare `^` only matters next to something called encrypt/cipher/crypt
        return re.search(rb"Crypto|cryptography|pyDes|AESGCM|ChaCha|pbkdf2|PBKDF2|scrypt|Scrypt|bcrypt|MODE_|salt",
                         raw) is not None or re.search(rb"(?i)crypt|cipher|obfusc", raw) is not None


class LowKdfCost(PythonTrigger):
    TRIGGER = re.compile(rb"pbkdf2|PBKDF2|scrypt|Scrypt|bcrypt|BCrypt|argon2|Argon2|passlib|PasswordHasher")


class ShortKey(PythonTrigger):
    TRIGGER = re.compile(rb"generate_private_key|generate_key|\.generate\(|SECP1|SECT1|key_size|bits")
    TRIGGER_IMPORTS = BITS_KEY_GENERATORS  # `from Crypto.PublicKey.RSA import generate`

    @classmethod
    def has_site(cls, facts) -> bool:
        # visit_Call reports only at a call qualnames resolves to a name of SHORT_KEY_GENERATORS
        # (PYOPENSSL_KEY_GENERATOR: or one ending so, which calls_one_of lets through too)
        return calls_one_of(facts, SHORT_KEY_GENERATORS)


class HardcodedCryptoKey(PythonTrigger):
    TRIGGER = re.compile(rb"hmac|jwt|jose|Fernet|AESGCM|ChaCha|Crypto|cryptography|itsdangerous")

    @classmethod
    def wants(cls, raw: bytes, display: str) -> bool:
        return not is_test_code(display) and super().wants(raw, display)
