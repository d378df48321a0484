"""Triggers of the cryptography rules (checkers/py_crypto.py), with the tables they share with them."""
from __future__ import annotations

import ast
import re

from backdoor_lint.checkers import fast_search
from backdoor_lint.checkers.triggers import PythonTrigger
from backdoor_lint.checkers.triggers.sites import may_stand_for, stands_for
from backdoor_lint.checkers.triggers.sites_exec import ANY, call_names, roots
from backdoor_lint.checkers.triggers.sites_shell import calls_one_of
from backdoor_lint.checkers.triggers.sites_tree import arguments, nodes
from backdoor_lint.checkers.triggers.sites_values import may_be_computed, may_be_text
from backdoor_lint.checkers.vocabulary import hardcoded_key, is_test_code

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

# --- hashes (WeakHash) -----------------------------------------------------------------------
WEAK_HASHES = {"md5": "MD5", "sha1": "SHA-1", "md4": "MD4", "sha": "SHA-1", "md2": "MD2"}
FAST_HASHES = {"sha224", "sha256", "sha384", "sha512", "sha3_224", "sha3_256", "sha3_384", "sha3_512",
               "blake2b", "blake2s", "sha512_224", "sha512_256"}


def _hash_constructors() -> dict[str, str]:
    table: dict[str, str] = {}
    for name in (*WEAK_HASHES, *FAST_HASHES):
        table[f"hashlib.{name}"] = name
        table[f"_hashlib.openssl_{name}"] = name
    for package in PYCRYPTO:
        for module, name in (("MD5", "md5"), ("SHA1", "sha1"), ("SHA", "sha1"), ("MD4", "md4"), ("MD2", "md2"),
                             ("SHA256", "sha256"), ("SHA512", "sha512"), ("SHA384", "sha384"), ("SHA224", "sha224"),
                             ("SHA3_256", "sha3_256"), ("SHA3_512", "sha3_512"), ("BLAKE2b", "blake2b"),
                             ("BLAKE2s", "blake2s")):
            table[f"{package}.Hash.{module}.new"] = name
    return table


HASH_CONSTRUCTORS = _hash_constructors()
HASH_NEW = {"hashlib.new"}
SECURITY_FLAG = "usedforsecurity"  # `hashlib.md5(data, usedforsecurity=False)`: not a security use
HMAC_CALLS = {"hmac.new", "hmac.HMAC", "hmac.digest"}
WEAK_DJANGO_HASHER = re.compile(r"(MD5|SHA1|Crypt)PasswordHasher$")
HASHERS_SETTING = "PASSWORD_HASHERS"
# `key.sign(data, padding, hashes.SHA1())`: the cryptography hashes a signature must not be made over
WEAK_SIGNATURE_HASHES = ("MD5", "SHA1")
SIGNING_METHODS = ("sign", "verify", "signer", "verifier")

# --- ciphers (WeakCipher) ----------------------------------------------------------------------
BROKEN_CRYPTOGRAPHY = {"TripleDES": "3DES", "ARC4": "RC4", "Blowfish": "Blowfish", "CAST5": "CAST5", "IDEA": "IDEA",
                       "SEED": "SEED", "RC2": "RC2", "DES": "DES"}
NONCE_ALGORITHMS = ("ChaCha20",)  # cryptography algorithms whose nonce is checked
CRYPTOGRAPHY_ALGORITHMS = ("cryptography.hazmat.primitives.ciphers.algorithms.",
                           "cryptography.hazmat.decrepit.ciphers.algorithms.")
MODES = "cryptography.hazmat.primitives.ciphers.modes."
IV_MODES = ("CBC", "CTR", "OFB", "CFB", "CFB8", "GCM")  # modes whose IV/nonce/tweak is checked, and ECB
AEAD = {f"cryptography.hazmat.primitives.ciphers.aead.{c}": c
        for c in ("AESGCM", "ChaCha20Poly1305", "AESCCM", "AESOCB3")}
PYDES = ("pyDes.des", "pyDes.triple_des")
PYCRYPTO_CIPHERS = tuple(f"{p}.Cipher" for p in PYCRYPTO)  # `Crypto.Cipher.<any cipher>.new`
KDF_SALTS: dict[str, tuple[str, int | None]] = {
    "hashlib.pbkdf2_hmac": ("salt", 2),
    "hashlib.scrypt": ("salt", None),
    "cryptography.hazmat.primitives.kdf.pbkdf2.PBKDF2HMAC": ("salt", 2),
    "cryptography.hazmat.primitives.kdf.scrypt.Scrypt": ("salt", 0),
    "bcrypt.hashpw": ("salt", 1),
    **{f"{p}.Protocol.KDF.PBKDF2": ("salt", 1) for p in PYCRYPTO},
    **{f"{p}.Protocol.KDF.scrypt": ("salt", 1) for p in PYCRYPTO},
}
# `<name>()` XOR-ing with `key[i % n]`: 'encryption' with a repeating key
XOR_CIPHER_WORDS = ("crypt", "cipher", "obfusc", "protect", "secure", "seal")
XOR_CIPHER_FUNCTION = re.compile("(?i)" + "|".join(XOR_CIPHER_WORDS))
_XOR_CIPHER_BYTES = tuple(word.encode() for word in XOR_CIPHER_WORDS)  # for the text stage's substring test

# --- KDF cost (LowKdfCost) ---------------------------------------------------------------------
PBKDF2_CALLS = ("hashlib.pbkdf2_hmac", "cryptography.hazmat.primitives.kdf.pbkdf2.PBKDF2HMAC")
SCRYPT_CALL = "hashlib.scrypt"
CRYPTOGRAPHY_SCRYPT = "cryptography.hazmat.primitives.kdf.scrypt.Scrypt"
PYCRYPTO_PBKDF2, PYCRYPTO_SCRYPT = "Protocol.KDF.PBKDF2", "Protocol.KDF.scrypt"  # under Crypto./Cryptodome.
BCRYPT_GENSALT = "bcrypt.gensalt"
ARGON2_CALLS = ("argon2.PasswordHasher", "argon2.hash_password", "argon2.low_level.hash_secret")
PASSLIB_HASH, PASSLIB_METHODS = "passlib.hash.", ("using", "hash", "encrypt")  # passlib.hash.<scheme>.<method>
KDF_COST_CALLS = frozenset({*PBKDF2_CALLS, SCRYPT_CALL, CRYPTOGRAPHY_SCRYPT, BCRYPT_GENSALT, *ARGON2_CALLS})
DJANGO_HASHERS = "django.contrib.auth.hashers."
DJANGO_HASHER_COSTS = {
    "PBKDF2PasswordHasher": {"iterations": 100_000}, "PBKDF2SHA1PasswordHasher": {"iterations": 100_000},
    "BCryptSHA256PasswordHasher": {"rounds": 10}, "BCryptPasswordHasher": {"rounds": 10},
    "ScryptPasswordHasher": {"work_factor": 2 ** 14}, "Argon2PasswordHasher": {"time_cost": 2, "memory_cost": 19_456},
}

# --- keys (HardcodedCryptoKey; KEY_SINKS also read by secflow) ---------------------------------
# Calls whose arguments are keys (argument position, keyword).
KEY_SINKS: dict[str, tuple[int, str]] = {
    "hmac.new": (0, "key"), "hmac.HMAC": (0, "key"), "hmac.digest": (0, "key"),
    "jwt.encode": (1, "key"), "jwt.api_jwt.encode": (1, "key"), "jwt.PyJWT.encode": (1, "key"),
    "jose.jwt.encode": (1, "key"),
    "cryptography.fernet.Fernet": (0, "key"),
    "cryptography.hazmat.primitives.ciphers.aead.AESGCM": (0, "key"),
    "cryptography.hazmat.primitives.ciphers.aead.ChaCha20Poly1305": (0, "key"),
    "cryptography.hazmat.primitives.ciphers.aead.AESCCM": (0, "key"),
    "cryptography.hazmat.primitives.ciphers.algorithms.AES": (0, "key"),
    **{f"{p}.Cipher.{c}.new": (0, "key") for p in ("Crypto", "Cryptodome")
       for c in ("AES", "ChaCha20", "ChaCha20_Poly1305", "Salsa20")},
}
KEY_ARGUMENTS: dict[str, tuple[int, str]] = {
    **KEY_SINKS,
    "jwt.decode": (1, "key"), "jwt.api_jwt.decode": (1, "key"), "jwt.PyJWT.decode": (1, "key"),
    "jose.jwt.decode": (1, "key"),
    "itsdangerous.URLSafeTimedSerializer": (0, "secret_key"), "itsdangerous.URLSafeSerializer": (0, "secret_key"),
    "itsdangerous.Signer": (0, "secret_key"), "itsdangerous.TimestampSigner": (0, "secret_key"),
    "itsdangerous.Serializer": (0, "secret_key"),
}


def _calls_under(facts, packages, tails, prefixes: bool = False) -> bool:
    """Whether a call may have a qualified name that starts with one of `packages` (first parts, or
    with `prefixes` what they start with) and ends with one of `tails` (last parts), whatever lies
    between: the rules' prefix tests (`name.startswith(MODES)`). sites_exec: the names a call may
    end with, the file's roots."""
    file_roots = roots(facts)
    if ANY not in file_roots and not any(root.startswith(tuple(packages)) if prefixes else root in packages
                                         for root in file_roots):
        return False
    for call in nodes(facts, ast.Call):
        names = call_names(facts, call)
        if ANY in names or not names.isdisjoint(tails):
            return True
    return False


def _first_parts(qualified_names) -> set[str]:
    return {name.partition(".")[0] for name in qualified_names}


class WeakHash(PythonTrigger):
    TRIGGER_LITERALS = (b"hashlib", b"Crypto", b"hashes.", b"hmac", b"PASSWORD_HASHERS")  # one in each branch below
    TRIGGER = fast_search.compile(rb"hashlib|Crypto\.Hash|Cryptodome\.Hash|hashes\.(MD5|SHA1)|\bhmac\b|PASSWORD_HASHERS")
    TRIGGER_IMPORTS = frozenset({CRYPTOGRAPHY_HASHES + "MD5", CRYPTOGRAPHY_HASHES + "SHA1"})  # `SHA1()` alone

    @classmethod
    def has_site(cls, facts) -> bool:
        # visit_Call: a call qualnames names a hash constructor, hashlib.new or an hmac call; or a
        # cryptography hash (any name ending MD5/SHA1) passed to x.sign/verify/signer/verifier
        # (`_check_cryptography_hash` reports only there); visit_Assign: `PASSWORD_HASHERS = ...`
        # (a hash constructor or hashlib.new called with usedforsecurity=False: `_check_hash` returns)
        for_security = [call for call in nodes(facts, ast.Call) if not any(
            keyword.arg == SECURITY_FLAG and isinstance(keyword.value, ast.Constant) and keyword.value.value is False
            for keyword in call.keywords)]
        return calls_one_of(facts, frozenset(HASH_CONSTRUCTORS) | HASH_NEW, for_security) \
            or calls_one_of(facts, frozenset(HMAC_CALLS)) or _signs_over_weak_hash(facts) or _sets_weak_hashers(facts)


def _signs_over_weak_hash(facts) -> bool:
    for call in nodes(facts, ast.Call):
        if isinstance(call.func, ast.Attribute) and call.func.attr in SIGNING_METHODS:
            for argument in arguments(call):
                if isinstance(argument, ast.Call):
                    names = stands_for(facts, argument.func)
                    if names is None or not names.isdisjoint(WEAK_SIGNATURE_HASHES):
                        return True
    return False


def _sets_weak_hashers(facts) -> bool:
    for node in nodes(facts, ast.Assign):
        if any(isinstance(target, ast.Name) and target.id == HASHERS_SETTING for target in node.targets):
            value = node.value
            if not isinstance(value, (ast.List, ast.Tuple)) or not value.elts:
                return may_be_computed(facts, value)
            first = value.elts[0]
            if isinstance(first, ast.Starred):
                return may_be_computed(facts, first.value)  # `[*BASE, ...]`: BASE's first entry
            if not isinstance(first, ast.Constant):
                return may_be_computed(facts, first)
            if isinstance(first.value, str) and WEAK_DJANGO_HASHER.search(first.value):
                return True  # a list literal: its first entry is the one the rule reads
    return False


class WeakCipher(PythonTrigger):
    TRIGGER = fast_search.compile(rb"Crypto|cryptography|pyDes|\bdes\b|AESGCM|ChaCha|pbkdf2|PBKDF2|scrypt|Scrypt|bcrypt|"
                                  rb"MODE_|\bsalt\b|xor|\^")

    # every file the two stages below let through holds one of these (lower-cased): substring
    # tests rule most files out several times faster than the regexes
    _NEEDED = (b"pydes", b"aesgcm", b"chacha", b"pbkdf2", b"mode_", b"salt", *_XOR_CIPHER_BYTES)

    @classmethod
    def wants(cls, raw: bytes, display: str) -> bool:
        lower = raw.lower()
        if not any(needed in lower for needed in cls._NEEDED) or not fast_search.search(cls.TRIGGER, raw):
            return False
        # a bare `^` only matters in a function named like a cipher (XOR_CIPHER_FUNCTION)
        return re.search(rb"Crypto|cryptography|pyDes|AESGCM|ChaCha|pbkdf2|PBKDF2|scrypt|Scrypt|bcrypt|MODE_|salt",
                         raw) is not None or any(word in lower for word in _XOR_CIPHER_BYTES)

    @classmethod
    def has_site(cls, facts) -> bool:
        # visit_Call: a KDF's salt, pyDes, an AEAD's encrypt/decrypt (exact names: calls_one_of);
        # a name under a prefix the rule tests with startswith: PyCryptodome's `<Cipher>.new`, a
        # cryptography algorithm it reports (broken, or a nonce it checks) or mode (_calls_under).
        # visit_BinaryOperation: `^` with a `key[i % n]` side in a function named like a cipher.
        aead = {f"{module}.{method}" for module in AEAD for method in ("encrypt", "decrypt")}
        return calls_one_of(facts, frozenset(KDF_SALTS) | frozenset(PYDES) | aead) \
            or _calls_under(facts, set(PYCRYPTO), {"new"}) \
            or _calls_under(facts, _first_parts(CRYPTOGRAPHY_ALGORITHMS), {*BROKEN_CRYPTOGRAPHY, *NONCE_ALGORITHMS}) \
            or _calls_under(facts, _first_parts([MODES]), {"ECB", *IV_MODES}) \
            or _xor_with_repeating_key(facts)


def repeating_key(side: ast.expr) -> bool:
    """`key[i % n]` (the rule's `_repeating_key`, on the ast)."""
    return isinstance(side, ast.Subscript) and isinstance(side.slice, ast.BinOp) and isinstance(side.slice.op, ast.Mod)


def _xor_with_repeating_key(facts) -> bool:
    if not any(isinstance(node.op, ast.BitXor) and (repeating_key(node.left) or repeating_key(node.right))
               for node in nodes(facts, ast.BinOp)):
        return False
    return any(XOR_CIPHER_FUNCTION.search(node.name)
               for node in nodes(facts, ast.FunctionDef) + nodes(facts, ast.AsyncFunctionDef))


class LowKdfCost(PythonTrigger):
    TRIGGER = re.compile(rb"pbkdf2|PBKDF2|scrypt|Scrypt|bcrypt|BCrypt|argon2|Argon2|passlib|PasswordHasher")

    @classmethod
    def has_site(cls, facts) -> bool:
        # visit_Call: a KDF, bcrypt or argon2 call of the table (calls_one_of), PyCryptodome's
        # `*Protocol.KDF.PBKDF2/scrypt` or `passlib.hash.<scheme>.<method>` (_calls_under);
        # visit_ClassDef: a subclass of a Django hasher of DJANGO_HASHER_COSTS that sets a cost
        return calls_one_of(facts, KDF_COST_CALLS) \
            or _calls_under(facts, PYCRYPTO, {PYCRYPTO_PBKDF2.rpartition(".")[2], PYCRYPTO_SCRYPT.rpartition(".")[2]},
                            prefixes=True) \
            or _calls_under(facts, _first_parts([PASSLIB_HASH]), set(PASSLIB_METHODS)) \
            or _cheap_django_hasher(facts)


def _cheap_django_hasher(facts) -> bool:
    hashers = frozenset(DJANGO_HASHERS + name for name in DJANGO_HASHER_COSTS)
    costs = {attribute for limits in DJANGO_HASHER_COSTS.values() for attribute in limits}
    for node in nodes(facts, ast.ClassDef):
        if any(may_stand_for(facts, base, hashers) for base in node.bases) and any(
                isinstance(statement, ast.Assign) and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name) and statement.targets[0].id in costs
                for statement in node.body):
            return True
    return False


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

    @classmethod
    def has_site(cls, facts) -> bool:
        # visit_Call: a call of KEY_ARGUMENTS whose key argument the evaluator may find a constant
        # for (a literal: the rule's own test, hardcoded_key)
        return calls_one_of(facts, frozenset(KEY_ARGUMENTS)) and any(
            _may_be_key(facts, argument) for call in nodes(facts, ast.Call) for argument in _key_candidates(call))


def _key_candidates(call: ast.Call) -> list[ast.expr]:
    """What base.call_argument may pick as the key of any KEY_ARGUMENTS call (position 0 or 1, or
    keyword key/secret_key, or an entry of a `**{...}` dict): every such argument."""
    keywords = {keyword for _, keyword in KEY_ARGUMENTS.values()}
    positions = {position for position, _ in KEY_ARGUMENTS.values()}
    positional = [argument for argument in call.args if not isinstance(argument, ast.Starred)]
    found = [positional[p] for p in positions if p < len(positional)]
    for keyword in call.keywords:
        if keyword.arg in keywords:
            found.append(keyword.value)
        elif keyword.arg is None and isinstance(keyword.value, ast.Dict):
            found += [value for key, value in zip(keyword.value.keys, keyword.value.values) if key is not None]
    return found


def _may_be_key(facts, argument: ast.expr) -> bool:
    if isinstance(argument, ast.Constant):
        return hardcoded_key(argument.value)
    return may_be_text(facts, argument)
