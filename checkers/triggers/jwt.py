"""Trigger of the JWT rule (checkers/py_jwt.py), with the tables it shares with it."""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from backdoor_lint.checkers.triggers import PythonTrigger
from backdoor_lint.checkers.triggers.sites import has_call_of, may_stand_for
from backdoor_lint.checkers.triggers.sites_shell import calls_one_of
from backdoor_lint.checkers.triggers.sites_tree import nodes


@dataclass(frozen=True)
class Api:
    """Where a verification API takes its algorithm list and key."""

    label: str
    algorithms_keyword: str | None
    algorithms_position: int | None
    key_position: int | None = 1
    key_keyword: str | None = "key"
    verifies: bool = True  # decodes a token (as opposed to configuring a verifier)
    requires_algorithms: bool = True  # BDL106 applies when the list is missing


def _names(prefixes: tuple[str, ...], members: tuple[str, ...]) -> list[str]:
    return [f"{p}.{m}" for p in prefixes for m in members]


_PYJWT_DECODE = Api("PyJWT decode", "algorithms", 2)
_JOSE_DECODE = Api("python-jose jwt.decode", "algorithms", 2)
APIS: dict[str, Api] = {}
for _name in _names(
    ("jwt", "jwt.api_jwt", "jwt.PyJWT", "jwt.api_jwt.PyJWT", "jwt.api_jws", "jwt.PyJWS", "jwt.api_jws.PyJWS"),
    ("decode", "decode_complete"),
):
    APIS[_name] = _PYJWT_DECODE
for _name in ("jose.jwt.decode",):
    APIS[_name] = _JOSE_DECODE
APIS["jose.jws.verify"] = Api("python-jose jws.verify", "algorithms", 2)
# joserfc types its keys (an RSAKey cannot act as an HMAC secret), so its default list is safe.
APIS["joserfc.jwt.decode"] = Api("joserfc jwt.decode", "algorithms", 2, requires_algorithms=False)
APIS["joserfc.jws.deserialize_compact"] = Api("joserfc jws.deserialize_compact", "algorithms", 2,
                                              requires_algorithms=False)
APIS["authlib.jose.JsonWebToken"] = Api("authlib JsonWebToken", "algorithms", 0, None, None, False, False)
APIS["authlib.jose.JsonWebSignature"] = Api("authlib JsonWebSignature", "algorithms", 0, None, None, False, False)
APIS["authlib.jose.rfc7519.JsonWebToken"] = APIS["authlib.jose.JsonWebToken"]
APIS["jwcrypto.jwt.JWT"] = Api("jwcrypto JWT", "algs", None, None, "key", True, False)

# Calls whose result is "every algorithm the library knows": both families at once.
ALL_ALGORITHMS = {
    "jwt.algorithms.get_default_algorithms", "jwt.api_jws.PyJWS.get_algorithms", "jwt.PyJWS.get_algorithms",
    "jwt.PyJWT.get_algorithms", "jwt.api_jwt.PyJWT.get_algorithms",
    "jose.constants.ALGORITHMS.SUPPORTED", "jose.constants.ALGORITHMS.ALL",
}
UNVERIFIED_HEADER = set(_names(("jwt", "jwt.api_jws", "jwt.PyJWS", "jwt.api_jwt", "jose.jwt", "jose.jws"),
                               ("get_unverified_header", "get_unverified_headers")))
UNVERIFIED_CLAIMS = {"jose.jwt.get_unverified_claims", "jose.jws.get_unverified_claims"}
KEY_FETCHERS = {
    "jwt.PyJWKClient", "jwt.jwks_client.PyJWKClient", "requests.get", "requests.request", "httpx.get",
    "urllib.request.urlopen", "urllib.request.Request",
}
HEADER_URL_FIELDS = ("jku", "x5u", "jwk")
# Token signing: where the `algorithm` argument goes. Signing with "none" issues unsigned tokens.
SIGNERS = dict.fromkeys(_names(("jwt", "jwt.api_jwt", "jwt.PyJWT", "jwt.api_jwt.PyJWT", "jwt.api_jws", "jwt.PyJWS",
                                 "jwt.api_jws.PyJWS", "jose.jwt"), ("encode",)), 2)
SIGNERS["jose.jws.sign"] = 3  # sign(payload, key, headers=None, algorithm=...)
# jwcrypto: `jws.allowed_algs = [...]` configures the verifier after construction
VERIFIER_ALGORITHMS_ATTRIBUTE = "allowed_algs"


class JwtAlgorithmConfusion(PythonTrigger):
    TRIGGER = re.compile(rb"jwt|jose|jwcrypto|authlib|JsonWeb")

    @classmethod
    def has_site(cls, facts) -> bool:
        # visit_Call: a verification API, a signer, a call returning unverified claims (reported
        # at the call), or a key fetcher, reported only if its URL comes from an unverified header
        # (`_from_header`: a call or attribute naming UNVERIFIED_HEADER must be in the file);
        # visit_Assign: `x.allowed_algs = ...`
        if calls_one_of(facts, frozenset(APIS) | frozenset(SIGNERS) | frozenset(UNVERIFIED_CLAIMS)):
            return True
        if calls_one_of(facts, frozenset(KEY_FETCHERS)) and (has_call_of(facts, frozenset(UNVERIFIED_HEADER)) or any(
                may_stand_for(facts, node, frozenset(UNVERIFIED_HEADER)) for node in nodes(facts, ast.Attribute))):
            return True
        return any(isinstance(target, ast.Attribute) and target.attr == VERIFIER_ALGORITHMS_ATTRIBUTE
                   for node in nodes(facts, ast.Assign) for target in node.targets)
