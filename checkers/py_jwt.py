"""BDL101-104, 106: JWT algorithm confusion and disabled signature checks, for PyJWT,
python-jose, joserfc, authlib and jwcrypto."""
from __future__ import annotations

import re

import libcst as cst
from backdoor_lint.checkers.base import MAX_DEPTH, Invalid, PythonChecker, Valid
from backdoor_lint.checkers.tree import child_nodes, visit_tree
from backdoor_lint.checkers.triggers import jwt as trigger
from backdoor_lint.checkers.triggers.jwt import (
    ALL_ALGORITHMS,
    APIS,
    HEADER_URL_FIELDS,
    KEY_FETCHERS,
    SIGNERS,
    UNVERIFIED_CLAIMS,
    UNVERIFIED_HEADER,
    Api,
)

ASYMMETRIC = re.compile(r"^(RS|PS|ES)\d+K?$|^EdDSA$|^Ed25519$|^Ed448$", re.IGNORECASE)
SYMMETRIC = re.compile(r"^HS\d+$", re.IGNORECASE)
PUBLIC_KEY_NAME = re.compile(r"pub(lic)?[_-]?key|public|\bpub\b|pem|jwks?\b|cert", re.IGNORECASE)


def _algorithm_names(value: object) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple, set, frozenset, dict)):
        names = [v for v in value if isinstance(v, str)]
        return names if len(names) == len(value) else None
    return None


class JwtAlgorithmConfusion(trigger.JwtAlgorithmConfusion, PythonChecker):
    CODES = ("BDL101", "BDL102", "BDL103", "BDL104", "BDL106")

    def visit_Call(self, node: cst.Call) -> None:
        names = self.qualnames(node.func)
        api = next((APIS[n] for n in sorted(names) if n in APIS), None)
        if api is not None:
            self._check_verification(node, api)
        signer = next((SIGNERS[n] for n in sorted(names) if n in SIGNERS), None)
        if signer is not None:
            self._check_signing(node, "algorithm", signer)
        if names & UNVERIFIED_CLAIMS and not self._function_verifies(node):
            self.report(node, "BDL103", f"{self.context.code(node.func)}() returns the token's claims without checking "
                        "its signature, and this function never verifies the token: anyone can write those claims")
        if names & KEY_FETCHERS and node.args and self._from_header(node.args[0].value, HEADER_URL_FIELDS):
            self.report(node, "BDL104", f"{self.context.code(node.func)}() fetches a key from a URL taken from the "
                        "token's own unverified header (jku/x5u): the attacker chooses the key that verifies their token")

    def visit_Assign(self, node: cst.Assign) -> None:
        # jwcrypto: `jws.allowed_algs = [...]` configures the verifier after construction
        for target in node.targets:
            if isinstance(target.target, cst.Attribute) and target.target.attr.value == trigger.VERIFIER_ALGORITHMS_ATTRIBUTE:
                self._check_algorithms(node, node.value, "jwcrypto allowed_algs", key=None)

    # -------------------------------------------------------------------------------------
    def _check_signing(self, call: cst.Call, keyword: str, position: int) -> None:
        """BDL102 on the issuing side: a token signed with alg=none has no signature at all; any
        service that accepts what this code issues accepts a forgery just as well."""
        algorithm = self.argument(call, keyword, position)
        values = self.argument_values(call, keyword, position)
        if any(isinstance(v, str) and v.strip().lower() == "none" for v in values):
            shown = "" if isinstance(algorithm, cst.SimpleString) or algorithm is None \
                else f" (`{self.context.code(algorithm)}`)"
            self.report(call, "BDL102", f"{self.context.code(call.func)}() signs the token with the 'none' "
                        f"algorithm{shown}: it carries no signature, so whoever consumes it cannot tell it from a "
                        "forgery, and a consumer that accepts it accepts anyone's. Sign with a real algorithm "
                        "(RS256/ES256, or HS256 with a secret key)")

    def _check_verification(self, call: cst.Call, api: Api) -> None:
        label = f"{self.context.code(call.func)}()"
        key = None
        if api.key_position is not None or api.key_keyword:
            key = self.argument(call, api.key_keyword, api.key_position)
        algorithms = self.argument(call, api.algorithms_keyword, api.algorithms_position)
        disabled = api.verifies and self._verification_disabled(call)
        if disabled:
            if not self._function_verifies(call):
                self.report(call, "BDL103", f"{label} decodes the token with {disabled}, and this function never "
                            "verifies it: the claims it returns are whatever the sender wrote")
            return
        if algorithms is not None or self.argument_values(call, api.algorithms_keyword or ""):
            self._check_algorithms(call, algorithms, label, key, via_kwargs=algorithms is None)
        elif api.requires_algorithms and api.verifies and key is not None \
                and not self.argument_given(call, api.algorithms_keyword or "", api.algorithms_position):
            self.report(call, "BDL106", f"{label} verifies with key `{self.context.code(key)}` but gives no "
                        "algorithms list, so the token's header chooses the algorithm")
        if key is not None and self._from_header(key, ("alg",)):
            self.report(call, "BDL104", f"{label} picks its key `{self.context.code(key)}` by the algorithm "
                        "named in the token's own unverified header")

    def _check_algorithms(self, site: cst.CSTNode, expression: cst.BaseExpression | None, label: str,
                          key: cst.BaseExpression | None, via_kwargs: bool = False) -> None:
        if expression is not None and self._from_header(expression, ("alg",), any_field=True):
            self.report(site, "BDL104", f"{label} takes its algorithm list `{self.context.code(expression)}` from the "
                        "token's own unverified header: the attacker picks HS256 (with your public key as the "
                        "secret) or none")
            return
        candidates: list[object]
        if via_kwargs:
            candidates = self.argument_values(site, "algorithms") + self.argument_values(site, "algs")
        else:
            candidates = self.evaluator.values(expression)
        where = "" if expression is None or isinstance(expression, (cst.List, cst.Tuple, cst.Set)) \
            else f" (from `{self.context.code(expression)}`)"
        if expression is not None and self._mentions_call(expression, ALL_ALGORITHMS):
            candidates.append(["RS256", "HS256"])
            where = f" (`{self.context.code(expression)}` is every algorithm the library knows)"
        key_text = f"`{self.context.code(key)}`" if key is not None else "the configured key"
        for candidate in candidates:
            algorithms = _algorithm_names(candidate)
            if not algorithms:
                continue
            asymmetric = sorted({a for a in algorithms if ASYMMETRIC.match(a)})
            symmetric = sorted({a for a in algorithms if SYMMETRIC.match(a)})
            if any(a.strip().lower() == "none" for a in algorithms):
                self.report(site, "BDL102", f"{label} accepts the 'none' algorithm{where}: a token with "
                            "alg=none carries no signature, so anyone can forge one")
            if asymmetric and symmetric:
                self.report(site, "BDL101", (
                    f"{label} accepts {', '.join(asymmetric)} (asymmetric) and {', '.join(symmetric)} (HMAC){where} "
                    f"with the same key {key_text}: anyone holding the public key can sign a forged token with "
                    f"{symmetric[0]}, using the public key as the HMAC secret, and it verifies"))
                return
            if symmetric and not asymmetric and key is not None and self._looks_public(key):
                self.report(site, "BDL101", (
                    f"{label} verifies {', '.join(symmetric)} (HMAC) with {key_text}, which is named as a public "
                    "key: whoever has the public key can compute valid HMAC signatures and forge tokens"))
                return

    def _verification_disabled(self, call: cst.Call) -> str | None:
        for options in self.argument_values(call, "options"):
            if isinstance(options, dict):
                for flag in ("verify_signature", "verify"):
                    if flag in options and options[flag] is False:
                        return f'options {{"{flag}": False}}'
        if any(v is False for v in self.argument_values(call, "verify")):
            return "verify=False"
        return None

    def _function_verifies(self, node: cst.CSTNode) -> bool:
        """Does the enclosing function also decode with verification on (peek, then verify)?"""
        scope_node = self.context.enclosing(node, cst.FunctionDef) or self.context.module
        checker = self

        class Finder(cst.CSTVisitor):
            found = False

            def visit_Call(self, call: cst.Call) -> None:
                if call is node or self.found:
                    return
                api = next((APIS[n] for n in checker.qualnames(call.func) if n in APIS), None)
                if api and api.verifies and checker.argument(call, api.key_keyword, api.key_position) is not None \
                        and not checker._verification_disabled(call):
                    self.found = True

        finder = Finder()
        visit_tree(scope_node, finder)
        return finder.found

    def _looks_public(self, key: cst.BaseExpression) -> bool:
        text = self.context.code(key)
        return bool(PUBLIC_KEY_NAME.search(text)) and "private" not in text.lower() and "secret" not in text.lower()

    # expression provenance ------------------------------------------------------------------
    def _walk(self, expression: cst.CSTNode, depth: int = 0):
        """Sub-expressions of `expression`, following local names to their assigned values."""
        if depth > MAX_DEPTH:
            return
        stack = [expression]
        while stack:
            node = stack.pop()
            yield node
            if isinstance(node, cst.Name):
                for _, value in self.context.assigned_values(node):
                    yield from self._walk(value, depth + 1)
            stack.extend(child_nodes(node))

    def _mentions_call(self, expression: cst.CSTNode, names: set[str]) -> bool:
        for node in self._walk(expression):
            if isinstance(node, (cst.Call, cst.Attribute)) and self.qualnames(node.func if isinstance(node, cst.Call)
                                                                                else node) & names:
                return True
        return False

    def _from_header(self, expression: cst.CSTNode, fields: tuple[str, ...], any_field: bool = False) -> bool:
        """Is `expression` (or what it was assigned from) a field of an unverified token header?"""
        if not self._mentions_call(expression, UNVERIFIED_HEADER):
            return False
        if any_field:
            return True
        for node in self._walk(expression):
            key: cst.BaseExpression | None = None  # the field a subscript or .get() reads, however it is built
            if isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
                key = node.slice[0].slice.value
            elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "get" \
                    and node.args:
                key = node.args[0].value
            elif isinstance(node, cst.SimpleString):
                key = node
            if key is not None and isinstance(name := self.evaluator.value(key), str) and name in fields:
                return True
        return False

    VALID = [
        Valid('import jwt\ndef f(t, PUBLIC_KEY):\n    return jwt.decode(t, PUBLIC_KEY, algorithms=["RS256"])\n',
              "BDL101"),
        Valid('import jwt\ndef f(t, secret):\n    return jwt.decode(t, secret, algorithms=["HS256"])\n', "BDL101"),
        Valid('import jwt\nALGS = ["RS256", "ES256", "PS256"]\ndef f(t, k):\n    return jwt.decode(t, k, algorithms=ALGS)\n',
              "BDL101"),
        # shadowed: a local function and a local object that happen to be called decode / jwt
        Valid('import jwt\ndef decode(t, key, algorithms):\n    return t\ndecode("x", "k", algorithms=["RS256", "HS256"])\n',
              "BDL101"),
        Valid('class Codec:\n    def decode(self, t, key, algorithms): ...\njwt = Codec()\n'
              'jwt.decode("t", "k", algorithms=["RS256", "HS256"])\n', "BDL101"),
        # another library's decode with a similar signature
        Valid('import json, base64\njson.decode("x", algorithms=["RS256", "HS256"])\nbase64.decode(a, b)\n', "BDL101"),
        # peek at the header to choose the key from a pinned set, then verify properly
        Valid('import jwt\ndef f(t):\n    kid = jwt.get_unverified_header(t)["kid"]\n'
              '    return jwt.decode(t, KEYS[kid], algorithms=["RS256"])\n', "BDL104"),
        # read unverified claims only to pick the issuer, then verify in the same function
        Valid('import jwt\ndef f(t):\n    iss = jwt.decode(t, options={"verify_signature": False})["iss"]\n'
              '    return jwt.decode(t, KEYS[iss], algorithms=["ES256"])\n', "BDL103"),
        Valid('from jose import jwt\ndef f(t, k):\n    return jwt.decode(t, k, algorithms=["RS256"])\n', "BDL101"),
        Valid('from authlib.jose import JsonWebToken\njwt = JsonWebToken(["RS256"])\n', "BDL106"),
        Valid('from jwcrypto import jwt\ntok = jwt.JWT(jwt=t, key=k, algs=["ES256"])\n', "BDL106"),
        Valid('import jwt\ntoken = jwt.encode({"sub": "a"}, SECRET, algorithm="HS256")\n', "BDL102"),
        # a variable that merely may hold "none" in a docstring-like mapping is not a signing algorithm
        Valid('import jwt\nALG = {"none": "refused", "RS256": "ok"}\ndef f(c, k):\n'
              '    return jwt.encode(c, k, algorithm="RS256", headers={"kid": "none"})\n', "BDL102"),
        Valid('from joserfc import jwt\ndef f(t, key_set):\n    return jwt.decode(t, key_set)\n', "BDL106"),
        # 'none' named only to be refused before a verification with a pinned algorithm
        Valid('import jwt\nREJECTED = {"none", "None", "NONE"}\ndef verify(token, key):\n'
              '    if jwt.get_unverified_header(token).get("alg") in REJECTED:\n'
              '        raise jwt.InvalidAlgorithmError("unsigned token")\n'
              '    return jwt.decode(token, key, algorithms=["ES256"])\n', "BDL102"),
        # expiry and audience checks relaxed, the signature still verified
        Valid('import jwt\ndef verify(token, key):\n    return jwt.decode(token, key, algorithms=["RS256"],\n'
              '                      options={"verify_exp": False, "verify_aud": False})\n', "BDL103"),
        # the header's kid picks a key from a pinned JWKS URL, not from the token
        Valid('import jwt\nJWKS = jwt.PyJWKClient("https://login.example.com/.well-known/jwks.json")\n'
              'def verify(token):\n    key = JWKS.get_signing_key_from_jwt(token).key\n'
              '    return jwt.decode(token, key, algorithms=["RS256"])\n', "BDL104"),
    ]
    INVALID = [
        Invalid('import jwt\ndef f(token, PUBLIC_KEY):\n    return jwt.decode(token, PUBLIC_KEY, algorithms=["RS256", "HS256"])\n',
                "BDL101", 3),
        # alias import, from-import alias, attribute chain
        Invalid('import jwt as j\nj.decode(t, k, algorithms=["RS256", "HS512"])\n', "BDL101", 2),
        Invalid('from jwt import decode as _d\n_d(t, k, algorithms=["ES256", "HS256"])\n', "BDL101", 2),
        # the list returned by a helper of the module
        Invalid('import jwt\ndef _accepted():\n    return ["RS256", "HS256"]\ndef verify(t, k):\n'
                '    return jwt.decode(t, k, algorithms=_accepted())\n', "BDL101", 5),
        Invalid('import jwt.api_jwt\njwt.api_jwt.decode(t, k, algorithms=["PS256", "HS256"])\n', "BDL101", 2),
        # instances
        Invalid('import jwt\njwt.PyJWT().decode(t, k, algorithms=["RS256", "HS256"])\n', "BDL101", 2),
        Invalid('from jwt import PyJWT\ncodec = PyJWT()\ndef f(t):\n    return codec.decode(t, k, algorithms=["EdDSA", "HS256"])\n',
                "BDL101", 4),
        # module constant, concatenation, tuple, set, list(...) of a tuple
        Invalid('import jwt\nALGS = ("RS256", "HS256")\njwt.decode(t, k, algorithms=ALGS)\n', "BDL101", 3),
        Invalid('import jwt\nBASE = ["RS256", "ES256"]\nALGS = BASE + ["HS256"]\njwt.decode(t, k, algorithms=ALGS)\n',
                "BDL101", 4),
        Invalid('import jwt\nALGS = {"RS256"} | {"HS256"}\njwt.decode(t, k, algorithms=list(ALGS))\n', "BDL101", 3),
        Invalid('import jwt\nALGS = ["RS256"]\nALGS.append("HS256")\ndef f(t):\n    return jwt.decode(t, k, algorithms=ALGS)\n',
                "BDL101", 5),
        Invalid('import jwt\nALGS = ["RS256"]\nALGS += ["HS256"]\njwt.decode(t, k, algorithms=ALGS)\n', "BDL101", 4),
        # settings dict, class attribute, self attribute
        Invalid('import jwt\nSETTINGS = {"JWT": {"algorithms": ["RS256", "HS256"]}}\n'
                'jwt.decode(t, k, algorithms=SETTINGS["JWT"]["algorithms"])\n', "BDL101", 3),
        Invalid('import jwt\nclass Config:\n    ALGS = ["RS256", "HS256"]\n'
                'jwt.decode(t, k, algorithms=Config.ALGS)\n', "BDL101", 4),
        Invalid('import jwt\nclass V:\n    def __init__(self):\n        self.algs = ["ES384", "HS384"]\n'
                '    def check(self, t):\n        return jwt.decode(t, self.key, algorithms=self.algs)\n', "BDL101", 6),
        # **kwargs
        Invalid('import jwt\nOPTS = {"algorithms": ["RS256", "HS256"]}\njwt.decode(t, k, **OPTS)\n', "BDL101", 3),
        # getattr / __import__ / strings built from pieces
        Invalid('import jwt\ngetattr(jwt, "de" + "code")(t, k, algorithms=["RS256", "HS256"])\n', "BDL101", 2),
        Invalid('__import__("jwt").decode(t, k, algorithms=["RS256", "H" + "S256"])\n', "BDL101", 1),
        Invalid('import jwt\nALGS = "HS256,RS256".split(",")\njwt.decode(t, k, algorithms=ALGS)\n', "BDL101", 3),
        # multi-line call, positional algorithms, parameter default
        Invalid('import jwt\n\ndef f(\n    t,\n):\n    return jwt.decode(\n        t,\n        KEY,\n        ["RS256", "HS256"],\n    )\n',
                "BDL101", 6),
        Invalid('import jwt\ndef f(t, algs=("RS256", "HS256")):\n    return jwt.decode(t, KEY, algorithms=algs)\n',
                "BDL101", 3),
        # every algorithm the library knows
        Invalid('import jwt\nfrom jwt.algorithms import get_default_algorithms\n'
                'jwt.decode(t, k, algorithms=list(get_default_algorithms()))\n', "BDL101", 3),
        # HMAC verification keyed with a public key
        Invalid('import jwt\njwt.decode(t, settings.JWT_PUBLIC_KEY, algorithms=["HS256"])\n', "BDL101", 2),
        # other libraries
        Invalid('from jose import jwt\njwt.decode(t, k, algorithms=["RS256", "HS256"])\n', "BDL101", 2),
        Invalid('from authlib.jose import JsonWebToken\nJsonWebToken(["RS256", "HS256"])\n', "BDL101", 2),
        Invalid('from jwcrypto import jwt\njwt.JWT(jwt=t, key=k, algs=["RS256", "HS256"])\n', "BDL101", 2),
        Invalid('from jwcrypto import jws\ns = jws.JWS()\ns.allowed_algs = ["ES256", "HS512"]\n', "BDL101", 3),
        Invalid('import joserfc.jwt\njoserfc.jwt.decode(t, k, algorithms=["RS256", "HS256"])\n', "BDL101", 2),
        # BDL102: none
        Invalid('import jwt\njwt.decode(t, k, algorithms=["HS256", "none"])\n', "BDL102", 2),
        # issuing unsigned tokens: keyword, positional, through a constant or an alias
        Invalid('import jwt\ndef issue(claims):\n    return jwt.encode(claims, None, algorithm="none")\n', "BDL102", 3),
        Invalid('from jwt import encode as sign\nALG = "No" + "ne"\ndef issue(c):\n    return sign(c, "", ALG)\n',
                "BDL102", 4),
        Invalid('from jose import jwt\nOPTS = {"algorithm": "none"}\ndef issue(c):\n    return jwt.encode(c, "", **OPTS)\n',
                "BDL102", 4),
        Invalid('import jwt\nV1 = ("HS256", "None")\njwt.decode(t, k, algorithms=list(V1))\n', "BDL102", 3),
        # BDL103: verification off, inline, through a dict and **kwargs, legacy verify=False, jose
        Invalid('import jwt\ndef f(t):\n    c = jwt.decode(t, options={"verify_signature": False})\n    return c["sub"]\n',
                "BDL103", 3),
        Invalid('from jwt import decode as _d\nLENIENT = {"options": {"verify_signature": False}}\n'
                'def f(t, k):\n    return _d(t, key=k, algorithms=["HS256"], **LENIENT)\n', "BDL103", 4),
        Invalid('import jwt\nOPTS = {"verify_signature": not True}\ndef f(t):\n    return jwt.decode(t, "k", options=OPTS)\n',
                "BDL103", 4),
        Invalid('import jwt\ndef f(t):\n    return jwt.decode(t, verify=False)\n', "BDL103", 3),
        Invalid('from jose import jwt\ndef f(t):\n    return jwt.get_unverified_claims(t)["sub"]\n', "BDL103", 3),
        # BDL104: algorithm or key URL from the token's header
        Invalid('import jwt\ndef f(t, k):\n    h = jwt.get_unverified_header(t)\n    return jwt.decode(t, k, algorithms=[h["alg"]])\n',
                "BDL104", 4),
        Invalid('import jwt\ndef f(t, k):\n    alg = jwt.get_unverified_header(t).get("alg")\n'
                '    return jwt.decode(t, k, algorithms=alg)\n', "BDL104", 4),
        Invalid('import jwt\ndef f(t, k):\n    h = jwt.get_unverified_header(t)\n'
                '    return jwt.decode(t, k, **{"algorithms": [h["alg"]], "audience": "partners"})\n', "BDL104", 4),
        Invalid('import jwt\ndef f(t):\n    url = jwt.get_unverified_header(t)["jku"]\n    client = jwt.PyJWKClient(url)\n',
                "BDL104", 4),
        Invalid('import jwt\ndef f(t):\n    h = jwt.get_unverified_header(t)\n'
                '    return jwt.decode(t, KEYS[h["alg"]], algorithms=["RS256"])\n', "BDL104", 4),
        # BDL106: no algorithm list
        Invalid('from jose import jwt\ndef f(t, k):\n    return jwt.decode(t, k)\n', "BDL106", 3),
        # 'none' assembled, lower-cased or decoded so that no literal "none" appears
        Invalid('import jwt\ndef f(t, k):\n    return jwt.decode(t, k, algorithms=["RS256", "no" + "ne"])\n', "BDL102", 3),
        Invalid('import jwt\nALG = bytes.fromhex("6e6f6e65").decode()\ndef f(t, k):\n'
                '    return jwt.decode(t, k, algorithms=[ALG])\n', "BDL102", 4),
        # python-jose without algorithms= behind an alias, a computed getattr, or **kwargs
        Invalid('from jose import jwt as jose_jwt\ndef f(token, KEY):\n    return jose_jwt.decode(token, KEY)\n', "BDL106", 3),
        Invalid('import jose.jwt\ndef f(token, KEY):\n    return getattr(jose.jwt, "dec" + "ode")(token, KEY)\n',
                "BDL106", 3),
        Invalid('from jose import jwt\nOPTS = {"verify_aud": False}\ndef f(token, KEY):\n'
                '    return jwt.decode(token, KEY, **{"options": OPTS})\n', "BDL106", 4),
    ]
