"""BDL201-207, 210: weakened cryptography in Python (hashlib, hmac, PyCryptodome/PyCrypto,
cryptography, bcrypt, argon2-cffi, passlib-free APIs, PyJWT/python-jose keys)."""
from __future__ import annotations

import re

import libcst as cst
from backdoor_lint.checkers.base import Invalid, PythonChecker, Valid
from backdoor_lint.checkers.secflow import SecurityFlow
from backdoor_lint.checkers.triggers import crypto as trigger
from backdoor_lint.checkers.triggers.crypto import CRYPTOGRAPHY_HASHES, PYCRYPTO
from backdoor_lint.checkers.vocabulary import PLACEHOLDER_SECRET, PUBLIC_KEY_TEXT, hardcoded_key

WARN = "warn"

# --- hashes -------------------------------------------------------------------------------
WEAK_HASHES, FAST_HASHES, HASH_CONSTRUCTORS = trigger.WEAK_HASHES, trigger.FAST_HASHES, trigger.HASH_CONSTRUCTORS
HASH_NEW, HMAC_CALLS, WEAK_DJANGO_HASHER = trigger.HASH_NEW, trigger.HMAC_CALLS, trigger.WEAK_DJANGO_HASHER
_NORMALISE = re.compile(r"[^a-z0-9]")


def _algorithm(value: object) -> str | None:
    if not isinstance(value, (str, bytes)):
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = _NORMALISE.sub("", text.lower())
    aliases = {"sha": "sha1", "sha1": "sha1", "md5": "md5", "md4": "md4", "md2": "md2", "sha256": "sha256",
               "sha512": "sha512", "sha384": "sha384", "sha224": "sha224", "sha3256": "sha3_256",
               "sha3512": "sha3_512", "blake2b": "blake2b", "blake2s": "blake2s"}
    return aliases.get(text)


class WeakHash(trigger.WeakHash, PythonChecker):
    """BDL201 weak hash in a security context, BDL202 fast hash used to store a password."""

    CODES = ("BDL201", "BDL202")




    def __init__(self, context) -> None:
        super().__init__(context)
        self.flow = SecurityFlow.of(context)

    def visit_Call(self, node: cst.Call) -> None:
        names = self.qualnames(node.func)
        if not names:
            return
        algorithm = next((HASH_CONSTRUCTORS[n] for n in sorted(names) if n in HASH_CONSTRUCTORS), None)
        data = self.argument(node, "string", 0) or self.argument(node, "data", 0)
        label = self.context.code(node.func)
        if algorithm is None and names & HASH_NEW:
            algorithm = next(filter(None, map(_algorithm, self.argument_values(node, "name", 0))), None)
            data = self.argument(node, "data", 1) or self.argument(node, "string", 1)
            label = f"hashlib.new({self.context.code(self.argument(node, 'name', 0) or node.func)})"
        if algorithm is not None:
            self._check_hash(node, algorithm, data, label)
            return
        if names & HMAC_CALLS:
            self._check_hmac(node)
            return
        if any(n.startswith(CRYPTOGRAPHY_HASHES) and n.rsplit(".", 1)[-1] in trigger.WEAK_SIGNATURE_HASHES
               for n in names):
            self._check_cryptography_hash(node, names)

    def visit_Assign(self, node: cst.Assign) -> None:
        if not any(isinstance(t.target, cst.Name) and t.target.value == trigger.HASHERS_SETTING for t in node.targets):
            return
        for value in self.evaluator.values(node.value):
            if isinstance(value, (list, tuple)) and value and isinstance(value[0], str) and \
                    WEAK_DJANGO_HASHER.search(value[0]):
                self.report(node, "BDL201", f"PASSWORD_HASHERS puts {value[0].rsplit('.', 1)[-1]} first: every new or "
                            "changed password is stored with that weak hash")
                return

    # ------------------------------------------------------------------------------------
    def _check_hash(self, node: cst.Call, algorithm: str, data: cst.BaseExpression | None, label: str) -> None:
        if any(v is False for v in self.argument_values(node, trigger.SECURITY_FLAG)):
            return
        inputs = [data] if data is not None else []
        inputs += self._updates(node)
        mentioned = next(filter(None, (self.flow.mentions(i) for i in inputs)), None)
        password_input = next(filter(None, (self.flow.mentions(i, password_only=True) for i in inputs)), None)
        sink = self.flow.sink(node)
        if algorithm in WEAK_HASHES:
            name = WEAK_HASHES[algorithm]
            if password_input or (sink and sink.password):
                what = f"hashes `{password_input}`" if password_input else "makes a password hash"
                where = f", {sink.description}" if sink else ""
                self.report(node, "BDL201", f"{label}() {what} with {name}{where}: {name} is broken and fast, a "
                            "leaked table of these hashes is cracked at billions of guesses per second")
            elif sink is not None and sink.callee in HMAC_CALLS:
                # The digest keys an HMAC: what a key needs is secrecy and preimage resistance, which
                # SHA-1 keeps; collisions do not matter (a password input is the first branch above).
                if algorithm not in ("sha1", "sha"):
                    self.report(node, "BDL201", f"{label}() derives the key of an HMAC with {name} "
                                f"({sink.description}): use SHA-256 for new keys", severity=WARN)
            elif mentioned or sink:
                what = f"hashes `{mentioned}`" if mentioned else "computes a digest"
                where = f" that is {sink.description}" if sink else ""
                self.report(node, "BDL201", f"{label}() {what} with {name}{where}: {name} is broken (collisions, "
                            "fast brute force) and must not protect tokens, keys or signatures")
            elif self._download_checked(node, inputs):
                self.report(node, "BDL201", f"{label}() checks downloaded data against an expected {name} digest: "
                            f"{name} collisions let whoever shapes the published file get a harmless version's "
                            "digest pinned and later serve a colliding malicious one")
            return
        # fast general-purpose hash: only a finding when it stores a password
        if (password_input or (sink and sink.password)) and not self.flow.function_uses_slow_hash(node):
            if sink is not None and sink.word == "key":
                return
            what = f"`{password_input}`" if password_input else "a password"
            where = f" ({sink.description})" if sink else ""
            self.report(node, "BDL202", f"{label}() hashes {what} with the fast hash {algorithm}{where}: GPUs try "
                        f"billions of {algorithm} guesses per second, so a leaked table gives up the passwords")

    def _download_checked(self, node: cst.Call, inputs: list[cst.BaseExpression]) -> bool:
        """Is this digest of data fetched from the network compared with an expected value (an
        integrity check, where collisions matter)?"""
        from backdoor_lint.checkers.origins import NETWORK_CALLS, walk

        fetched = any(isinstance(n, cst.Call) and self.qualnames(n.func) & NETWORK_CALLS
                      for data in inputs for n in walk(self.context, data, budget=300))
        return fetched and self._compared(node)

    def _compared(self, node: cst.CSTNode) -> bool:
        """Is the digest computed by `node` (or its .hexdigest()/.digest()) compared, directly or
        through one local name?"""
        value = node
        parent = self.context.parent(value)
        if isinstance(parent, cst.Attribute) and parent.attr.value in ("hexdigest", "digest"):
            call = self.context.parent(parent)
            if isinstance(call, cst.Call):
                value, parent = call, self.context.parent(call)
        if self._is_comparison(parent, value):
            return True
        if isinstance(parent, cst.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0].target, cst.Name):
            for assignment in self.context.assignments(parent.targets[0].target):
                for access in list(assignment.references)[:20]:
                    if self._is_comparison(self.context.parent(access.node), access.node):
                        return True
        return False

    def _is_comparison(self, parent: cst.CSTNode | None, value: cst.CSTNode) -> bool:
        if isinstance(parent, cst.Comparison):
            return any(isinstance(t.operator, (cst.Equal, cst.NotEqual)) for t in parent.comparisons)
        if isinstance(parent, cst.Arg):
            call = self.context.parent(parent)
            return isinstance(call, cst.Call) and bool(self.qualnames(call.func) & {"hmac.compare_digest",
                                                                                   "secrets.compare_digest"})
        return False

    def _updates(self, node: cst.Call) -> list[cst.BaseExpression]:
        """Arguments of `h.update(...)` when `h = hashlib.md5()`."""
        parent = self.context.parent(node)
        if not isinstance(parent, cst.Assign) or len(parent.targets) != 1 or \
                not isinstance(parent.targets[0].target, cst.Name):
            return []
        found = []
        for assignment in self.context.assignments(parent.targets[0].target):
            for access in list(assignment.references)[:20]:
                attribute = self.context.parent(access.node)
                call = self.context.parent(attribute) if isinstance(attribute, cst.Attribute) else None
                if isinstance(call, cst.Call) and attribute.attr.value == "update" and call.args:
                    found.append(call.args[0].value)
        return found

    def _check_hmac(self, node: cst.Call) -> None:
        digestmod = self.argument(node, "digestmod", 2) or self.argument(node, "digest", 2)
        if digestmod is None:
            return
        algorithm = next(filter(None, map(_algorithm, self.evaluator.values(digestmod))), None)
        if algorithm is None:
            algorithm = next((HASH_CONSTRUCTORS[n] for n in sorted(self.qualnames(digestmod))
                              if n in HASH_CONSTRUCTORS), None)
        if algorithm in ("md5", "md4", "md2"):
            self.report(node, "BDL201", f"{self.context.code(node.func)}() authenticates with HMAC-"
                        f"{WEAK_HASHES[algorithm]}: use HMAC-SHA-256 for new MACs", severity=WARN)

    def _check_cryptography_hash(self, node: cst.Call, names: set[str]) -> None:
        # hashes.SHA1() passed to sign()/verify(): a signature over a collidable digest
        parent = self.context.parent(node)
        call = self.context.parent(parent) if isinstance(parent, cst.Arg) else None
        if isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and \
                call.func.attr.value in trigger.SIGNING_METHODS:
            algorithm = self.context.code(node.func).rsplit(".", 1)[-1]
            self.report(node, "BDL201", f"{self.context.code(call.func)}() signs/verifies over {algorithm}: "
                        f"{algorithm} collisions let an attacker get one document signed and present another")

    VALID = [
        Valid('import hashlib\ndef avatar(email):\n    return hashlib.md5(email.encode(), usedforsecurity=False).hexdigest()\n',
              "BDL201"),
        Valid('import hashlib\ndef cache_key(params):\n    return "v1:" + hashlib.md5(repr(params).encode()).hexdigest()\n',
              "BDL201"),
        Valid('import hashlib\ndef etag(body):\n    return hashlib.sha1(body).hexdigest()\n', "BDL201"),
        Valid('import hashlib\nwith open(p, "rb") as f:\n    checksum = hashlib.md5(f.read()).hexdigest()\n', "BDL201"),
        # the token is random; storing its SHA-256 for lookup is the recommended pattern
        Valid('import hashlib\ndef store(user, password_reset_token):\n'
              '    user.reset_digest = hashlib.sha256(password_reset_token.encode()).hexdigest()\n', "BDL202"),
        Valid('import hashlib\ndef store(token):\n    token_hash = hashlib.sha256(token.encode()).hexdigest()\n    return token_hash\n',
              "BDL202"),
        # pre-hash then bcrypt (bcrypt's 72-byte limit)
        Valid('import hashlib, bcrypt\ndef hash_password(password):\n'
              '    pre = hashlib.sha256(password.encode()).hexdigest().encode()\n    return bcrypt.hashpw(pre, bcrypt.gensalt())\n',
              "BDL202"),
        # shadowed: a local md5 helper and another library's sha1
        Valid('def md5(x):\n    return x\npassword_hash = md5(password)\n', "BDL201"),
        Valid('import mylib\npassword_hash = mylib.sha1(password)\n', "BDL201"),
        Valid('import hashlib, hmac\nsig = hmac.new(key, body, hashlib.sha1).hexdigest()\n', "BDL201"),
        # Django's salted_hmac: SHA-1 derives the HMAC key from a secret and is the HMAC's digest;
        # neither use depends on collision resistance
        Valid('import hashlib, hmac\ndef salted_hmac(key_salt, value, secret, *, algorithm="sha1"):\n'
              '    hasher = getattr(hashlib, algorithm)\n    key = hasher(key_salt + secret).digest()\n'
              '    return hmac.new(key, msg=value, digestmod=hasher)\n'
              'def token(user, secret_key):\n'
              '    return salted_hmac("reset", str(user.pk), secret_key, algorithm="sha1").hexdigest()\n', "BDL201"),
        Valid('import hashlib, hmac\ndef sign(secret_key, msg):\n    key = hashlib.sha1(b"mac" + secret_key).digest()\n'
              '    return hmac.new(key, msg, hashlib.sha256).hexdigest()\n', "BDL201"),
        # a digest of a local file compared with a recorded one: a cache/change check, nothing downloaded
        Valid('import hashlib\ndef changed(path, recorded):\n    with open(path, "rb") as f:\n'
              '        return hashlib.md5(f.read()).hexdigest() != recorded\n', "BDL201"),
        Valid('PASSWORD_HASHERS = [\n    "django.contrib.auth.hashers.Argon2PasswordHasher",\n'
              '    "django.contrib.auth.hashers.MD5PasswordHasher",  # legacy accounts only\n]\n', "BDL201"),
        Valid('import hashlib\ndef shard(user_id, n):\n    return int(hashlib.md5(str(user_id).encode()).hexdigest(), 16) % n\n',
              "BDL201"),
    ]
    INVALID = [
        Invalid('import hashlib\ndef hash_password(password):\n    return hashlib.md5(password.encode()).hexdigest()\n',
                "BDL201", 3),
        Invalid('import hashlib as h\ndef legacy(password, salt):\n    return getattr(h, "sh" + "a1")((salt + password).encode()).hexdigest()\n',
                "BDL201", 3),
        Invalid('import hashlib\nALG = "md5"\ndef f(pw):\n    user.password_hash = hashlib.new(ALG, pw.encode()).hexdigest()\n',
                "BDL201", 4),
        Invalid('from hashlib import sha1 as _s\ndef make_reset_token(user):\n    return _s(str(user.id).encode()).hexdigest()\n',
                "BDL201", 3),
        Invalid('import hashlib\ndef f(api_key):\n    h = hashlib.md5()\n    h.update(api_key.encode())\n    return h.hexdigest()\n',
                "BDL201", 3),
        Invalid('from Crypto.Hash import MD5\ndef f(u):\n    session_id = MD5.new(u.encode()).hexdigest()\n', "BDL201", 3),
        Invalid('import hashlib\ndef _digest(x):\n    return hashlib.md5(x).hexdigest()\ndef issue(user):\n'
                '    token = _digest(user.email.encode())\n    return token\n', "BDL201", 3),
        Invalid('import hmac\nmac = hmac.new(key, msg, digestmod="md5")\n', "BDL201", 2),
        # an HMAC key derived from a password with SHA-1: fast to brute-force, whatever HMAC does after
        Invalid('import hashlib, hmac\ndef mac(password, msg):\n    key = hashlib.sha1(password.encode()).digest()\n'
                '    return hmac.new(key, msg, hashlib.sha256).hexdigest()\n', "BDL201", 3),
        Invalid('import hashlib, hmac\ndef mac(secret_key, msg):\n    key = hashlib.md5(secret_key).digest()\n'
                '    return hmac.new(key, msg, hashlib.sha256).hexdigest()\n', "BDL201", 3),
        # integrity of a download checked with SHA-1 / MD5: collisions matter here
        Invalid('import hashlib, urllib.request\ndef fetch(url, expected_sha1):\n'
                '    data = urllib.request.urlopen(url).read()\n'
                '    if hashlib.sha1(data).hexdigest() != expected_sha1:\n        raise ValueError("corrupt")\n'
                '    return data\n', "BDL201", 4),
        Invalid('import hashlib, hmac, requests\ndef fetch(url, pinned):\n    blob = requests.get(url).content\n'
                '    digest = hashlib.md5(blob).hexdigest()\n    if not hmac.compare_digest(digest, pinned):\n'
                '        raise ValueError("tampered")\n    return blob\n', "BDL201", 4),
        Invalid('PASSWORD_HASHERS = [\n    "django.contrib.auth.hashers.MD5PasswordHasher",\n'
                '    "django.contrib.auth.hashers.PBKDF2PasswordHasher",\n]\n', "BDL201", 1),
        Invalid('from cryptography.hazmat.primitives import hashes\nsig = key.sign(\n    data,\n    padding.PKCS1v15(),\n'
                '    hashes.SHA1(),\n)\n', "BDL201", 5),
        # the module imported under another name (the trigger must not look for `hashes.` only)
        Invalid('from cryptography.hazmat.primitives import hashes as h\nsig = key.sign(data, padding.PKCS1v15(), h.SHA1())\n',
                "BDL201", 2),
        Invalid('from cryptography.hazmat.primitives import hashes\nH = hashes\n'
                'sig = key.sign(data, padding.PKCS1v15(), H.SHA1())\n', "BDL201", 3),
        Invalid('from cryptography.hazmat.primitives import hashes\n'
                'sig = key.sign(data, padding.PKCS1v15(), getattr(hashes, "SHA1")())\n', "BDL201", 2),
        Invalid('from cryptography.hazmat.primitives.hashes import SHA1\nsig = key.sign(data, padding.PKCS1v15(), SHA1())\n',
                "BDL201", 2),
        Invalid('import hashlib\ndef hash_password(password, salt):\n    return hashlib.sha256((salt + password).encode()).hexdigest()\n',
                "BDL202", 3),
        Invalid('import hashlib, os\ndef make(pw):\n    salt = os.urandom(8).hex()\n'
                '    return salt + "$" + hashlib.sha256((salt + pw).encode()).hexdigest()\n', "BDL202", 4),
        Invalid('import hashlib\ndef save(user, pw):\n    user.password_hash = hashlib.sha512(\n        pw.encode()\n    ).hexdigest()\n',
                "BDL202", 3),
    ]


# --- ciphers ------------------------------------------------------------------------------
BROKENPYCRYPTO = {"DES": "DES", "DES3": "3DES", "ARC4": "RC4", "ARC2": "RC2", "Blowfish": "Blowfish",
                   "CAST": "CAST5", "XOR": "XOR"}
BROKEN_CRYPTOGRAPHY, CRYPTOGRAPHY_ALGORITHMS = trigger.BROKEN_CRYPTOGRAPHY, trigger.CRYPTOGRAPHY_ALGORITHMS
MODES, AEAD, KDF_SALTS = trigger.MODES, trigger.AEAD, trigger.KDF_SALTS
MODE_ECB = 1  # PyCryptodome's MODE_ECB value


def _static_bytes(values: list[object]) -> object | None:
    for value in values:
        if isinstance(value, (bytes, bytearray, str)) and len(value) > 0:
            return value
    return None


def _show(value: object) -> str:
    text = repr(value)
    if isinstance(value, (bytes, bytearray)) and len(value) > 4 and len(set(value)) == 1:
        text = f"{bytes(value[:1])!r} * {len(value)}"
    return text if len(text) <= 40 else text[:37] + "..."


class WeakCipher(trigger.WeakCipher, PythonChecker):
    """BDL203 broken ciphers, BDL204 ECB, BDL205 static IV/nonce/salt."""

    CODES = ("BDL203", "BDL204", "BDL205")

    def visit_Call(self, node: cst.Call) -> None:
        names = self.qualnames(node.func)
        if not names:
            return
        for name in sorted(names):
            module, _, member = name.rpartition(".")
            if member == "new" and module.rpartition(".")[0] in trigger.PYCRYPTO_CIPHERS:
                self._pycryptodome(node, module)
                return
            if name.startswith(CRYPTOGRAPHY_ALGORITHMS):
                self._cryptography_algorithm(node, name)
                return
            if name.startswith(MODES):
                self._cryptography_mode(node, name.rsplit(".", 1)[-1])
                return
            aead = next((c for a, c in AEAD.items() if module == a), None)
            if aead and member in ("encrypt", "decrypt"):
                self._static_argument(node, "nonce", 0, f"{aead}.{member}")
                return
            if name in KDF_SALTS:
                keyword, position = KDF_SALTS[name]
                self._static_argument(node, keyword, position, self.context.code(node.func), kind="salt")
                return
            if name in trigger.PYDES:
                self.report(node, "BDL203", f"{self.context.code(node.func)}() encrypts with "
                            f"{'3DES' if 'triple' in name else 'DES'}, a broken 64-bit-block cipher")
                return

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        if not isinstance(node.operator, cst.BitXor):
            return
        key_side = next((side for side in (node.left, node.right) if self._repeating_key(side)), None)
        if key_side is None:
            return
        function = self.context.enclosing(node, cst.FunctionDef)
        name = function.name.value if function else ""
        if not trigger.XOR_CIPHER_FUNCTION.search(name):
            return
        self.report(node, "BDL203", f"`{name}()` 'encrypts' by XOR with the repeating key "
                    f"`{self.context.code(key_side)}`: one known plaintext reveals the key", severity=WARN)

    def _repeating_key(self, side: cst.BaseExpression) -> bool:
        if isinstance(side, cst.Subscript) and len(side.slice) == 1 and isinstance(side.slice[0].slice, cst.Index):
            index = side.slice[0].slice.value
            return isinstance(index, cst.BinaryOperation) and isinstance(index.operator, cst.Modulo)
        return False

    # ------------------------------------------------------------------------------------
    def _pycryptodome(self, node: cst.Call, module: str) -> None:
        cipher = module.rsplit(".", 1)[-1]
        label = f"{self.context.code(node.func)}()"
        if cipher in BROKENPYCRYPTO:
            self.report(node, "BDL203", f"{label} encrypts with {BROKENPYCRYPTO[cipher]} ({module}), a broken "
                        "cipher: recorded ciphertext can be decrypted")
            return
        mode = self.argument(node, "mode", 1)
        if mode is not None:
            mode_names = {n.rsplit(".", 1)[-1] for n in self.qualnames(mode)}
            if "MODE_ECB" in mode_names or (not mode_names and self.evaluator.value(mode) == MODE_ECB):
                self.report(node, "BDL204", f"{label} uses ECB mode (`{self.context.code(mode)}`): equal plaintext "
                            "blocks give equal ciphertext blocks, and blocks can be cut and pasted between messages")
                return
        for keyword in ("iv", "IV", "nonce"):
            if self._static_argument(node, keyword, 2 if keyword == "iv" else None, label.rstrip("()")):
                return

    def _cryptography_algorithm(self, node: cst.Call, name: str) -> None:
        algorithm = name.rsplit(".", 1)[-1]
        if algorithm in BROKEN_CRYPTOGRAPHY:
            self.report(node, "BDL203", f"{self.context.code(node.func)}() is {BROKEN_CRYPTOGRAPHY[algorithm]}, a "
                        "broken or 64-bit-block cipher (Sweet32, RC4 biases): use AES-GCM or ChaCha20-Poly1305")
        elif algorithm in trigger.NONCE_ALGORITHMS:
            self._static_argument(node, "nonce", 1, "algorithms.ChaCha20")

    def _cryptography_mode(self, node: cst.Call, mode: str) -> None:
        if mode == "ECB":
            self.report(node, "BDL204", f"{self.context.code(node.func)}() selects ECB mode: equal plaintext blocks "
                        "give equal ciphertext blocks, and blocks can be cut and pasted between messages")
            return
        keyword = {"CTR": "nonce", "XTS": "tweak"}.get(mode, "initialization_vector")
        if mode in trigger.IV_MODES:
            self._static_argument(node, keyword, 0, f"modes.{mode}")

    def _static_argument(self, node: cst.Call, keyword: str, position: int | None, label: str,
                         kind: str | None = None) -> bool:
        expression = self.argument(node, keyword, position)
        values = self.argument_values(node, keyword, position)
        value = _static_bytes(values)
        if value is None or len(values) != 1:
            return False
        kind = kind or ("IV" if keyword.lower() in ("iv", "initialization_vector") else keyword)
        source = f"`{self.context.code(expression)}` = {_show(value)}" if expression is not None and \
            not isinstance(expression, (cst.SimpleString, cst.BinaryOperation)) else _show(value)
        consequence = {
            "salt": "one precomputed table cracks every password derived with it",
            "nonce": "reusing a nonce leaks the XOR of plaintexts and lets an attacker forge messages",
        }.get(kind, "the same plaintext prefix always encrypts the same way and the first block is malleable")
        self.report(node, "BDL205", f"{label}() gets a constant {kind} {source}: {consequence}")
        return True

    VALID = [
        Valid('from Crypto.Cipher import AES\nimport os\niv = os.urandom(16)\nc = AES.new(key, AES.MODE_CBC, iv=iv)\n',
              "BDL205"),
        Valid('from Crypto.Cipher import AES\nc = AES.new(key, AES.MODE_GCM)\n', "BDL204"),
        Valid('from cryptography.hazmat.primitives.ciphers.aead import AESGCM\nimport os\n'
              'def enc(k, m):\n    nonce = os.urandom(12)\n    return nonce + AESGCM(k).encrypt(nonce, m, None)\n',
              "BDL205"),
        Valid('from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes\nimport secrets\n'
              'c = Cipher(algorithms.AES(key), modes.GCM(secrets.token_bytes(12)))\n', "BDL205"),
        # another library's new()/ECB names
        Valid('import mymodes\nm = mymodes.ECB()\nclass AES:\n    MODE_ECB = 1\n    def new(k, m): ...\nAES.new(k, AES.MODE_ECB)\n',
              "BDL204"),
        Valid('import hashlib, os\nsalt = os.urandom(16)\ndk = hashlib.pbkdf2_hmac("sha256", pw, salt, 600_000)\n',
              "BDL205"),
        Valid('def checksum(data):\n    x = 0\n    for i, b in enumerate(data):\n        x ^= b[i % 4]\n    return x\n',
              "BDL203"),
        Valid('from cryptography.hazmat.primitives.kdf.hkdf import HKDF\nk = HKDF(algorithm=h, length=32, salt=b"app-v1", info=b"x")\n',
              "BDL205"),
        Valid('import os\nfrom cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305\n'
              'def seal(key, msg):\n    nonce = os.urandom(12)\n    return nonce + ChaCha20Poly1305(key).encrypt(nonce, msg, None)\n',
              "BDL203"),
    ]
    INVALID = [
        Invalid('from Crypto.Cipher import ARC4 as StreamCipher\ndef seal(k, p):\n    return StreamCipher.new(k).encrypt(p)\n',
                "BDL203", 3),
        Invalid('from Cryptodome.Cipher import DES3\nc = DES3.new(key, DES3.MODE_CBC, iv)\n', "BDL203", 2),
        Invalid('from cryptography.hazmat.primitives.ciphers import algorithms\nc = algorithms.TripleDES(key)\n', "BDL203", 2),
        Invalid('import pyDes\nk = pyDes.des(key)\n', "BDL203", 2),
        Invalid('def encrypt(data, key):\n    return bytes(b ^ key[i % len(key)] for i, b in enumerate(data))\n', "BDL203", 2),
        Invalid('from Crypto.Cipher import AES\nc = AES.new(key, AES.MODE_ECB)\n', "BDL204", 2),
        Invalid('from Crypto.Cipher import AES\nMODE = AES.MODE_ECB\ndef f(k):\n    return AES.new(\n        k,\n        MODE,\n    )\n',
                "BDL204", 4),
        Invalid('import Crypto.Cipher.AES as A\nc = A.new(key, getattr(A, "MODE_" + "ECB"))\n', "BDL204", 2),
        Invalid('from Crypto.Cipher import AES\nc = AES.new(key, 1)\n', "BDL204", 2),
        Invalid('from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes as m\n'
                'c = Cipher(algorithms.AES(key), m.ECB())\n', "BDL204", 2),
        Invalid('from Crypto.Cipher import AES\n_IV = b"\\x00" * 16\nclass F:\n    def enc(self, v):\n'
                '        return AES.new(self.k, AES.MODE_CBC, iv=_IV).encrypt(v)\n', "BDL205", 5),
        Invalid('from Crypto.Cipher import AES\nc = AES.new(key, AES.MODE_CBC, b"0123456789abcdef")\n', "BDL205", 2),
        Invalid('from cryptography.hazmat.primitives.ciphers import modes\nIV = bytes(16)\nm = modes.CBC(IV)\n', "BDL205", 3),
        Invalid('from cryptography.hazmat.primitives.ciphers.aead import AESGCM\nNONCE = b"\\x01" * 12\n'
                'aead = AESGCM(key)\nct = aead.encrypt(NONCE, data, None)\n', "BDL205", 4),
        Invalid('import hashlib\nSALT = b"static-salt"\ndk = hashlib.pbkdf2_hmac("sha256", pw, SALT, 600000)\n', "BDL205", 3),
        Invalid('import bcrypt\nh = bcrypt.hashpw(pw, b"$2b$12$abcdefghijklmnopqrstuu")\n', "BDL205", 2),
    ]


# --- KDF cost and key sizes ---------------------------------------------------------------


class _MinimumArgument(PythonChecker):
    """Shared by the cost and key-size rules: report an argument evaluated below a minimum."""

    def _minimum(self, node: cst.Call, keyword: str, position: int | None, minimum: int, label: str, what: str,
                 code: str = "BDL206") -> None:
        values = [v for v in self.argument_values(node, keyword, position)
                  if isinstance(v, int) and not isinstance(v, bool)]
        if not values:
            return
        low = min(values)
        if low < minimum:
            expression = self.argument(node, keyword, position)
            source = "" if expression is None or isinstance(expression, cst.Integer) \
                else f" (`{self.context.code(expression)}`)"
            via = " through **kwargs" if expression is None else ""
            if code == "BDL206":
                why = f"each password guess costs {minimum // max(low, 1)}x less than the minimum"
            else:
                why = "keys this short can be broken by a well-funded attacker"
            self.report(node, code, f"{label}() sets {what} to {low:,}{source}{via}, below {minimum:,}: {why}")


class LowKdfCost(trigger.LowKdfCost, _MinimumArgument):
    """BDL206: a password KDF or hasher configured below its minimum cost."""

    CODES = ("BDL206",)

    def visit_Call(self, node: cst.Call) -> None:
        names = self.qualnames(node.func)
        if not names:
            return
        label = self.context.code(node.func)
        for name in sorted(names):
            if name in trigger.PBKDF2_CALLS:
                self._minimum(node, "iterations", 3, 100_000, label, "PBKDF2 iterations")
            elif name.endswith(trigger.PYCRYPTO_PBKDF2) and name.startswith(PYCRYPTO):
                if not self.argument_given(node, "count", 3):
                    self.report(node, "BDL206", f"{label}() without count= runs PyCryptodome's default of 1,000 "
                                "iterations: password guesses cost almost nothing")
                else:
                    self._minimum(node, "count", 3, 100_000, label, "PBKDF2 iterations")
            elif name == trigger.SCRYPT_CALL:
                self._minimum(node, "n", None, 2 ** 14, label, "scrypt n")
            elif name == trigger.CRYPTOGRAPHY_SCRYPT:
                self._minimum(node, "n", 2, 2 ** 14, label, "scrypt n")
            elif name.endswith(trigger.PYCRYPTO_SCRYPT) and name.startswith(PYCRYPTO):
                self._minimum(node, "N", 3, 2 ** 14, label, "scrypt N")
            elif name == trigger.BCRYPT_GENSALT:
                self._minimum(node, "rounds", 0, 10, label, "bcrypt rounds")
            elif name in trigger.ARGON2_CALLS:
                self._minimum(node, "time_cost", None, 2, label, "argon2 time_cost")
                self._minimum(node, "memory_cost", None, 19_456, label, "argon2 memory_cost (KiB)")
            elif self._passlib(node, name, label):
                pass
            else:
                continue
            return

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        bases = {n.rsplit(".", 1)[-1] for b in node.bases for n in self.qualnames(b.value)
                 if n.startswith(trigger.DJANGO_HASHERS)}
        limits = next((v for k, v in DJANGO_HASHER_COSTS.items() if k in bases), None)
        if not limits:
            return
        for statement in node.body.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                if isinstance(small, cst.Assign) and len(small.targets) == 1 and \
                        isinstance(small.targets[0].target, cst.Name) and small.targets[0].target.value in limits:
                    attr = small.targets[0].target.value
                    value = self.evaluator.value(small.value)
                    if isinstance(value, int) and not isinstance(value, bool) and value < limits[attr]:
                        self.report(small, "BDL206", f"{node.name.value} (a Django {sorted(bases)[0]}) sets {attr} = "
                                    f"{value:,}, below {limits[attr]:,}: every stored password becomes cheap to crack")

    def _passlib(self, node: cst.Call, name: str, label: str) -> bool:
        if not name.startswith(trigger.PASSLIB_HASH) or name.rsplit(".", 1)[-1] not in trigger.PASSLIB_METHODS:
            return False
        scheme = name.split(".")[2]
        minimum = 10 if "bcrypt" in scheme else 100_000 if "pbkdf2" in scheme else 5_000 if "crypt" in scheme else 0
        if minimum:
            self._minimum(node, "rounds", None, minimum, label, f"{scheme} rounds")
        return True

    VALID = [
        Valid('import hashlib\ndk = hashlib.pbkdf2_hmac("sha256", pw, salt, 600_000)\n', "BDL206"),
        Valid('import hashlib\ndef f(pw, salt, iterations):\n    return hashlib.pbkdf2_hmac("sha256", pw, salt, iterations)\n',
              "BDL206"),
        Valid('import bcrypt\ns = bcrypt.gensalt(rounds=12)\n', "BDL206"),
        Valid('import mylib\nmylib.pbkdf2_hmac("sha1", p, s, 1)\n', "BDL206"),
        Valid('import hashlib\nk = hashlib.scrypt(pw, salt=s, n=2**15, r=8, p=1)\n', "BDL206"),
    ]
    INVALID = [
        Invalid('from hashlib import pbkdf2_hmac as _derive\nROUNDS = 10_000\n'
                'def f(p, s):\n    return _derive("sha256", p, s, ROUNDS, dklen=32)\n', "BDL206", 4),
        Invalid('import hashlib\nopts = {"iterations": 1000}\nk = hashlib.pbkdf2_hmac("sha1", pw, salt, **opts)\n', "BDL206", 3),
        Invalid('from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC\nkdf = PBKDF2HMAC(\n    algorithm=h,\n'
                '    length=32,\n    salt=salt,\n    iterations=5000,\n)\n', "BDL206", 2),
        Invalid('import bcrypt\nROUNDS = 4\nh = bcrypt.hashpw(pw, bcrypt.gensalt(ROUNDS))\n', "BDL206", 3),
        Invalid('import hashlib\nk = hashlib.scrypt(pw, salt=s, n=1024, r=8, p=1)\n', "BDL206", 2),
        Invalid('from Crypto.Protocol.KDF import PBKDF2\nk = PBKDF2(pw, salt, 32)\n', "BDL206", 2),
        Invalid('from django.contrib.auth.hashers import PBKDF2PasswordHasher\nclass Fast(PBKDF2PasswordHasher):\n'
                '    iterations = 1000\n', "BDL206", 3),
        Invalid('from passlib.hash import pbkdf2_sha256\nh = pbkdf2_sha256.using(rounds=1000).hash(pw)\n', "BDL206", 2),
        Invalid('from argon2 import PasswordHasher\nph = PasswordHasher(time_cost=1, memory_cost=1024)\n', "BDL206", 2),
    ]


class ShortKey(trigger.ShortKey, _MinimumArgument):
    """BDL207: an RSA/DSA key generated below 2048 bits, or an elliptic curve below 224 bits."""

    CODES = ("BDL207",)

    def visit_Call(self, node: cst.Call) -> None:
        names = self.qualnames(node.func)
        if not names:
            return
        label = self.context.code(node.func)
        for name in sorted(names):
            if name == trigger.RSA_KEY_GENERATOR:
                self._minimum(node, "key_size", 1, 2048, label, "RSA key size", code="BDL207")
            elif name == trigger.DSA_KEY_GENERATOR:
                self._minimum(node, "key_size", 0, 2048, label, "DSA key size", code="BDL207")
            elif name in trigger.BITS_KEY_GENERATORS:
                self._minimum(node, "bits", 0, 2048, label, "key size", code="BDL207")
            elif name == trigger.EC_KEY_GENERATOR:
                curve = self.argument(node, "curve", 0)
                weak = {n.rsplit(".", 1)[-1] for n in self.qualnames(curve)} if curve is not None else set()
                weak = {c for c in weak if re.fullmatch(r"SEC[PT]1\d\d[RK]\d|SECT2[0-3]\d[RK]\d", c)}
                if weak:
                    self.report(node, "BDL207", f"{label}() uses the weak curve {sorted(weak)[0]} (< 224 bits)")
            elif name.endswith(trigger.PYOPENSSL_KEY_GENERATOR):
                self._minimum(node, "bits", 1, 2048, label, "key size", code="BDL207")
            else:
                continue
            return

    VALID = [
        Valid('from cryptography.hazmat.primitives.asymmetric import rsa\nk = rsa.generate_private_key(65537, 3072)\n',
              "BDL207"),
        Valid('from cryptography.hazmat.primitives.asymmetric import ec\nk = ec.generate_private_key(ec.SECP256R1())\n',
              "BDL207"),
        Valid('import mylib\nmylib.generate_private_key(public_exponent=3, key_size=512)\n', "BDL207"),
    ]
    INVALID = [
        Invalid('from cryptography.hazmat.primitives.asymmetric import rsa\n_KEYGEN = {"public_exponent": 65537, "key_size": 1024}\n'
                'key = rsa.generate_private_key(**_KEYGEN)\n', "BDL207", 3),
        Invalid('from Crypto.PublicKey import RSA\nBITS = 512\nkey = RSA.generate(BITS)\n', "BDL207", 3),
        Invalid('from Crypto.PublicKey import RSA\nkey = getattr(RSA, "gen" + "erate")(512)\n', "BDL207", 2),
        Invalid('from Crypto.PublicKey.RSA import generate\nkey = generate(512)\n', "BDL207", 2),
        Invalid('from cryptography.hazmat.primitives.asymmetric import ec\nk = ec.generate_private_key(ec.SECP192R1())\n',
                "BDL207", 2),
    ]


DJANGO_HASHER_COSTS = trigger.DJANGO_HASHER_COSTS


# --- hard-coded keys ----------------------------------------------------------------------
_KEY_ARGUMENTS = trigger.KEY_ARGUMENTS
PLACEHOLDER, PUBLIC = PLACEHOLDER_SECRET, PUBLIC_KEY_TEXT  # one definition, shared with the language analyses


class HardcodedCryptoKey(trigger.HardcodedCryptoKey, PythonChecker):
    """BDL210 hard-coded key of a cipher, HMAC, Fernet, itsdangerous or JWT."""

    CODES = ("BDL210",)

    def __init__(self, context) -> None:
        super().__init__(context)
        self.reported: set[int] = set()

    def visit_Call(self, node: cst.Call) -> None:
        names = self.qualnames(node.func)
        spec = next((_KEY_ARGUMENTS[n] for n in sorted(names) if n in _KEY_ARGUMENTS), None)
        if spec is None:
            return
        expression = self.argument(node, spec[1], spec[0])
        if expression is None:
            return
        values = self.evaluator.values(expression)
        if len(values) != 1 or not isinstance(values[0], (str, bytes)):
            return
        value = values[0]
        text = value.decode("latin-1") if isinstance(value, bytes) else value
        if not hardcoded_key(value):
            return
        site = self._literal_site(expression) or node
        if id(site) in self.reported:
            return
        self.reported.add(id(site))
        via = "" if site is node else f" used as the key of {self.context.code(node.func)}() at line " \
                                       f"{self.context.position(node).start.line}"
        name = f"key `{self.context.code(expression)}`" if not isinstance(expression, cst.SimpleString) else "literal key"
        where = via or f" passed to {self.context.code(node.func)}()"
        self.report(site, "BDL210", f"hard-coded {name} ({len(text)} characters){where}: everyone with the source can "
                    "decrypt the data or mint valid tokens")

    def _literal_site(self, expression: cst.BaseExpression) -> cst.CSTNode | None:
        """Where the key's literal is written: the constant's assignment in this module."""
        if isinstance(expression, cst.Name):
            values = [v for kind, v in self.context.assigned_values(expression) if kind == "="]
            if len(values) == 1:
                return values[0]
        if isinstance(expression, cst.Attribute) and isinstance(expression.value, cst.Name) \
                and expression.value.value == "self":
            return None
        return None

    VALID = [
        Valid('import jwt, os\ntoken = jwt.encode(claims, os.environ["JWT_SECRET"], algorithm="HS256")\n', "BDL210"),
        Valid('import hmac, hashlib\ndef sign(key, body):\n    return hmac.new(key, body, hashlib.sha256).hexdigest()\n',
              "BDL210"),
        Valid('import jwt\nPUBLIC = "-----BEGIN PUBLIC KEY-----\\nMIIB...\\n-----END PUBLIC KEY-----"\n'
              'claims = jwt.decode(t, PUBLIC, algorithms=["RS256"])\n', "BDL210"),
        Valid('import jwt\ntoken = jwt.encode(claims, "changeme", algorithm="HS256")\n', "BDL210"),
        Valid('import hmac\nmac = hmac.new(b"secret-key-for-tests", msg, "sha256")\n',
              "BDL210", path="tests/test_sign.py"),
        Valid('class Box:\n    def encode(self, c, k): ...\njwt = Box()\njwt.encode(claims, "s3cr3t-signing-key")\n',
              "BDL210"),
    ]
    INVALID = [
        Invalid('import jwt\n_SIGNING_KEY = "e6a306d27b7260a0c56a624876201e0e"\ndef t(email):\n'
                '    return jwt.encode({"email": email}, _SIGNING_KEY, algorithm="HS256")\n', "BDL210", 2),
        Invalid('import hmac as h\nmac = h.new(\n    b"9f8e7d6c5b4a3921",\n    msg,\n    "sha256",\n)\n', "BDL210", 2),
        Invalid('from cryptography.fernet import Fernet\nf = Fernet(b"q1w2e3r4t5y6u7i8o9p0" + b"a1s2d3f4g5h6j7k8l9z0xcv=")\n',
                "BDL210", 2),
        Invalid('from Crypto.Cipher import AES\nimport base64\nKEY = base64.b64decode("c2l4dGVlbiBieXRlIGtleQ==")\n'
                'c = AES.new(KEY, AES.MODE_GCM)\n', "BDL210", 3),
    ]
