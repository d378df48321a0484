"""Verification that is skipped in JavaScript/TypeScript: BDL103 a JWT decoded (`jsonwebtoken`'s
`decode`, jose's `decodeJwt`) in a function that never verifies a token, so its claims are trusted
unsigned; BDL302 a `checkServerIdentity` override that never rejects (it returns nothing or a
falsy value and never throws), so any certificate for any host is accepted. Names are resolved
through aliases, destructuring and computed members (`jwt['dec' + 'ode']`), the override through
a name to its function."""
from __future__ import annotations

import re

from backdoor_lint.checkers.lang.javascript import JsFile
from backdoor_lint.checkers.lang.js_syntax import FUNCTIONS, WRAPPERS
from backdoor_lint.checkers.lang.report import Report, short
from backdoor_lint.checkers.lang.syntax import ancestors
from backdoor_lint.checkers.lang.values import known

DECODERS = {"jsonwebtoken.decode": "jsonwebtoken's decode", "jose.decodeJwt": "jose's decodeJwt"}
# a call that checks a token's signature: jwt.verify, jwtVerify, compactVerify, jwtService.verifyAsync
VERIFY = re.compile(r"(?i)^(jwt)?verify(async|sync|jwt|token)?$|^(compact|flattened|general)verify$")
# library functions that return undefined whatever they are given
NOOPS = {"lodash.noop", "underscore.noop", "Function.prototype", "lodash/noop"}


def unverified_decode(js: JsFile, call, name: str) -> list[Report]:
    """A decode whose function (or module, at top level) verifies no token."""
    if name not in DECODERS:
        return []
    scope = next((a for a in ancestors(call) if a.type in FUNCTIONS), js.source.root)
    if _verifies(js, scope):
        return []
    return [Report(js.source.line(call), "BDL103", f"{DECODERS[name]} (`{short(js.source.text(call))}`) returns the "
                   "token's claims without checking its signature, and the enclosing function never verifies the "
                   "token: anyone can write a token with any role, user id or tenant and it is believed. Use "
                   "`jwt.verify(token, key, { algorithms: [...] })` (jsonwebtoken) or `jwtVerify` (jose) and read "
                   "the claims from its result.")]


def _verifies(js: JsFile, scope) -> bool:
    for call in js.source.of_type("call_expression"):
        if not scope.start_byte <= call.start_byte < scope.end_byte:
            continue
        name, _ = js.call_target(call)
        func = call.child_by_field_name("function")
        text = name or (js.source.text(func) if func is not None else "")
        if VERIFY.match(text.rsplit(".", 1)[-1]):
            return True
    return False


def identity_check_report(js: JsFile, value_node, line: int) -> list[Report]:
    """`checkServerIdentity: <a function that accepts every host>`."""
    function = _function(js, value_node)
    if function is None or not _accepts_all(js, function):
        return []
    return [Report(line, "BDL302", f"`checkServerIdentity` is replaced by `{short(js.source.text(value_node))}`, which "
                   "never returns an error: Node accepts any valid certificate for any host, so a man-in-the-middle "
                   "with a certificate for their own domain impersonates the server. Remove the override (Node "
                   "checks the host name by default); to pin a certificate, call tls.checkServerIdentity(host, "
                   "cert) first and return an Error when the pin does not match.")]


def method_identity_reports(js: JsFile) -> list[Report]:
    """The method shorthand `{ checkServerIdentity() {} }`."""
    reports = []
    for method in js.source.of_type("method_definition"):
        name = method.child_by_field_name("name")
        if name is not None and js.source.text(name).strip("'\"") == "checkServerIdentity":
            reports += identity_check_report(js, method, js.source.line(method))
    return reports


def _function(js: JsFile, node, depth: int = 0):
    """The function a value is: literal, a name bound to one, or a library no-op (returned as is)."""
    while node is not None and node.type in WRAPPERS and node.named_children:
        node = node.named_children[-1]
    if node is None or depth > 4:
        return None
    if node.type in FUNCTIONS:
        return node
    if node.type in ("identifier", "member_expression"):
        name, _ = js.callee_name(node)
        if name in NOOPS:
            return node
        binding = js.binding(node) if node.type == "identifier" else None
        if binding is not None:  # a parameter (value None) is unknown
            return _function(js, binding.value, depth + 1) if hasattr(binding.value, "type") else None
        declared = js.functions.get(js.source.text(node), []) if node.type == "identifier" else []
        return declared[0] if len(declared) == 1 else None
    return None


def _accepts_all(js: JsFile, function) -> bool:
    """Never throws and returns nothing but falsy values (Node rejects only on a truthy return)."""
    if function.type not in FUNCTIONS:
        return True  # a library no-op
    body = function.child_by_field_name("body")
    if body is None:
        return False
    if body.type != "statement_block":
        return _falsy(js, body)
    stack = list(body.named_children)
    while stack:
        node = stack.pop()
        if node.type == "throw_statement":
            return False
        if node.type == "return_statement":
            value = node.named_children[0] if node.named_children else None
            if value is not None and not _falsy(js, value):
                return False
        if node.type not in FUNCTIONS:  # an inner callback's returns are not the override's
            stack.extend(node.named_children)
    return True


def _falsy(js: JsFile, node) -> bool:
    if node.type == "unary_expression" and js.source.text(node).startswith("void"):
        return True
    value = js.value(node)
    return known(value) and not value
