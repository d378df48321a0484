"""BDL101 in Go and Java: public key material used as an HMAC secret, so that anyone who has the
(public) key signs tokens that verify.

- golang-jwt keyfuncs (`jwt.Parse(tok, func(t *jwt.Token) (interface{}, error) {...})`, a named
  function or method given as the keyfunc, `ParseWithClaims`, a `Parser`'s `Parse`) that return
  the public key's PEM or raw bytes on a path an HMAC token reaches: in a branch for
  `*jwt.SigningMethodHMAC`, in a `default:` case, or with no check of `t.Method` at all. golang-jwt
  verifies HS256 with any `[]byte` key, so the PEM text becomes the HMAC secret. A return guarded by
  an RSA/ECDSA/EdDSA method check or an `RS*`/`ES*`/`PS*` case is fine, and so is a parsed key object.
- lestrrat-go/jwx `jwt.WithKey(jwa.HS256, publicKey)`.
- nimbus-jose-jwt `new MACVerifier(publicKeyBytes)` (auth0 `Algorithm.HMAC256(publicKeyPem)` is
  java_rules' own check)."""
from __future__ import annotations

import re

from backdoor_lint.checkers import vocabulary
from backdoor_lint.checkers.lang.report import Report, short
from backdoor_lint.checkers.lang.secret_compare import evidence
from backdoor_lint.checkers.lang.syntax import ancestors, argument_nodes

PUBLIC_NAME = re.compile(r"(?i)pub(?:lic)?|pem|cert(?:ificate)?")
# ... as bytes or text (a parsed key object cannot key an HMAC: golang-jwt rejects its type)
AS_BYTES = re.compile(r"(?i)pem|der\b|bytes|raw|\[\]byte\(|getEncoded\(\)|ReadFile\(|cert")
PARSED = re.compile(r"Parse(?:RSA|EC|ECDSA|Ed|EdDSA)PublicKeyFrom|x509\.Parse|\.Public\(\)|rsa\.PublicKey\{|"
                    r"ecdsa\.PublicKey\{|jwk\.ParseKey|jwk\.FromRaw")
ASYMMETRIC_GUARD = re.compile(r"SigningMethod(?:RSA|RSAPSS|ECDSA|Ed25519|EdDSA)\b|\"(?:RS|PS|ES)\d+\"|\"EdDSA\"")
KEYFUNC_CALLS = (".Parse", ".ParseWithClaims")


def go_public_hmac(go) -> list[Report]:
    src = go.source
    reports = []
    for call in src.of_type("call_expression"):
        name = go.qualname(call.child_by_field_name("function")) or ""
        args = argument_nodes(call)
        if "jwt" in name and name.endswith(KEYFUNC_CALLS):
            for keyfunc in _keyfuncs(go, args):
                reports += _keyfunc_returns(go, keyfunc)
        if "jwx" in name and name.endswith(".WithKey") and len(args) == 2 \
                and re.search(r"\bHS\d+\b", src.text(args[0])) and _public_material(go, args[1]):
            reports.append(Report(src.line(call), "BDL101", f"jwx `WithKey` verifies HMAC tokens with public key "
                                  f"material (`{short(src.text(args[1]))}`): anyone who has the public key signs "
                                  "HS256 tokens that verify. Use the algorithm of the key (jwa.RS256) with the "
                                  "parsed public key."))
    return reports


def _keyfuncs(go, args: list) -> list:
    found = []
    for arg in args[1:]:
        if arg.type == "func_literal":
            found.append(arg)
        elif arg.type in ("identifier", "selector_expression"):
            name = arg.child_by_field_name("field") if arg.type == "selector_expression" else arg
            found += go.functions.get(go.source.text(name), [])[:2]
    return found


def _keyfunc_returns(go, keyfunc) -> list[Report]:
    src = go.source
    reports = []
    stack = [keyfunc.child_by_field_name("body")]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        if node.type == "func_literal":
            continue
        if node.type == "return_statement":
            values = node.named_children[0].named_children if node.named_children and \
                node.named_children[0].type == "expression_list" else node.named_children
            if values and _public_material(go, values[0]) and not _guarded(src, node, keyfunc):
                reports.append(Report(src.line(node), "BDL101", f"the keyfunc returns public key material "
                                      f"(`{short(src.text(values[0]))}`) where an HMAC token reaches it: golang-jwt "
                                      "verifies HS256 with any []byte key, so anyone signs a token with the public "
                                      "PEM as the HMAC secret. Check `t.Method.(*jwt.SigningMethodRSA)` and return "
                                      "the parsed *rsa.PublicKey, or pass jwt.WithValidMethods([]string{\"RS256\"})."))
            continue
        stack.extend(node.named_children)
    return reports


def _public_material(file, node) -> bool:
    text = file.source.text(node)
    if PARSED.search(text) or node.type in ("nil", "identifier") and text == "nil":
        return False
    origin = evidence(file, node)
    if PARSED.search(origin):
        return False
    return bool(PUBLIC_NAME.search(text) and AS_BYTES.search(text) or vocabulary.PUBLIC_KEY_TEXT.search(origin))


def _guarded(src, node, keyfunc) -> bool:
    """Inside a branch that only an RSA/ECDSA/EdDSA token reaches."""
    child = node
    for parent in ancestors(node):
        if parent == keyfunc:
            return False
        if parent.type == "if_statement" and parent.child_by_field_name("consequence") == child:
            condition = (src.text(parent.child_by_field_name("initializer"))
                         if parent.child_by_field_name("initializer") is not None else "") + \
                src.text(parent.child_by_field_name("condition"))
            if ASYMMETRIC_GUARD.search(condition) and "!" not in condition.replace("!=", ""):
                return True
        if parent.type in ("expression_case", "type_case"):
            value = parent.child_by_field_name("value") or parent.child_by_field_name("type")
            if value is not None and ASYMMETRIC_GUARD.search(src.text(value)):
                return True
        child = parent
    return False


def java_public_hmac(java) -> list[Report]:
    src = java.source
    reports = []
    for node in src.of_type("object_creation_expression"):
        kind = src.text(node.child_by_field_name("type"))
        args = argument_nodes(node)
        if kind.rsplit(".", 1)[-1] == "MACVerifier" and args and _public_material(java, args[0]):
            reports.append(Report(src.line(node), "BDL101", f"nimbus MACVerifier is keyed with public key material "
                                  f"(`{short(src.text(args[0]))}`): anyone who has the public key signs HS256 "
                                  "tokens that verify. Verify RS/ES tokens with RSASSAVerifier/ECDSAVerifier and "
                                  "the key object."))
    return reports
