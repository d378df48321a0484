"""Trigger of the hard-coded secret rule (checkers/py_secrets.py), with the tables it shares with it."""
from __future__ import annotations

import ast
import re

from backdoor_lint.checkers.secretformats import has_format_trigger, lines_with, looks_like_secret_value, token_formats
from backdoor_lint.checkers.triggers import PythonTrigger
from backdoor_lint.checkers.triggers.sites import may_stand_for
from backdoor_lint.checkers.triggers.sites_tree import arguments, nodes
from backdoor_lint.checkers.triggers.sites_values import may_be_text
from backdoor_lint.checkers.vocabulary import is_test_or_example, secret_name

# after a secret-ish word: the rest of the name, then `= "literal"`, `: "literal"` (dict key),
# `: str = "..."`, `= CONSTANT` or `= ("..."`
# bounded repetitions: linear even when searched over hostile input
_ASSIGNED_AFTER = re.compile(rb"\w{0,64}['\"]?\]?\s{0,20}(?::[^=\n]{0,40})?[:=]\s{0,20}(?:[rbuRBU]{0,2}['\"(]|[A-Z_][A-Z0-9_]*\b)")
_URL_CREDENTIALS = re.compile(rb"://[^/\s:@'\"]+:[^/\s@'\"]+@")

# The rule's tables: a value's authentication scheme is not part of the secret (`"Bearer <token>"`);
# header names that hold a credential; calls that set an environment variable (name, value)
AUTH_SCHEME = re.compile(r"^\s*(?:Bearer|Basic|Token|token|Digest|ApiKey|Api-Key)\s+(?=\S{12,}\s*$)")
CREDENTIAL_HEADERS = ("authorization", "proxy-authorization", "proxy_authorization")
ENVIRONMENT_SETTERS = frozenset({"os.environ.setdefault", "os.putenv"})


def secret_kind(name: str) -> str | None:
    """What a variable, attribute, keyword, parameter or key so named holds, if a secret."""
    kind = secret_name(name)
    if kind is None and name.lower() in CREDENTIAL_HEADERS:
        kind = "Authorization header"
    return kind


class HardcodedSecret(PythonTrigger):
    TRIGGER_SEES_DOCSTRINGS = True  # a token pasted into a docstring is leaked all the same
    _NAME_LITERALS = (b"passw", b"passphrase", b"passcode", b"pwd", b"secret", b"token", b"apikey", b"api_key",
                      b"private_key", b"access_key", b"signing_key", b"encryption_key", b"master_key", b"auth_key",
                      b"hmac_key", b"jwt_key", b"credential", b"_pass", b"_pw", b"authorization")

    @classmethod
    def wants(cls, raw: bytes, display: str) -> bool:
        if is_test_or_example(display):
            return False  # the rule reports nothing in tests and examples
        if has_format_trigger(raw) or b"://" in raw and _URL_CREDENTIALS.search(raw):
            return True
        return lines_with(raw, raw.lower(), cls._NAME_LITERALS,
                          lambda data, _start, end: _ASSIGNED_AFTER.match(data, end) is not None)

    @classmethod
    def has_site(cls, facts) -> bool:
        # The rule reports (1) any string the evaluator computes with a token format or a URL with
        # credentials in it, and (2) a value bound to a secret name (`_check`): both below.
        return _may_hold_token(facts) or any(_may_be_named_secret(facts, name, value)
                                             for name, value in _named_sites(facts))


def _may_hold_token(facts) -> bool:
    """(1) The text stage's test of token formats and URL credentials, on every string the
    evaluator can build from: the file's string literals and the values of its constant
    expressions folded into facts.extra (on which the text stage relies for strings built at run
    time, and which holds the constants the file imports). The rest of the code (names, comments)
    cannot end up in a string. A string statement (a docstring) is a value of its own, read by
    nothing else: the rule's own test (`_literal`: token formats only) decides for it."""
    extra = facts.extra
    if has_format_trigger(extra) or b"://" in extra and _URL_CREDENTIALS.search(extra):
        return True
    statements = {id(node.value) for node in nodes(facts, ast.Expr)}
    for node in nodes(facts, ast.Constant):
        literal = node.value
        if id(node) in statements:
            if isinstance(literal, bytes):
                literal = literal.decode("latin-1")
            if isinstance(literal, str) and len(literal) >= 16 and token_formats(literal):
                return True
            continue
        if isinstance(literal, str):
            literal = literal.encode("utf-8", "surrogatepass")
        if isinstance(literal, bytes) and (has_format_trigger(literal)
                                           or b"://" in literal and _URL_CREDENTIALS.search(literal)):
            return True
    return False


def _named_sites(facts):
    """(name, value) of every place the rule's `_check` reads: a name is a string, or the expression
    the rule evaluates for it (a subscript's or dict's key, an environment variable's name)."""
    for node in nodes(facts, ast.Assign):
        for target in node.targets:
            yield from _targets(target, node.value)
    for node in nodes(facts, ast.AnnAssign):
        if node.value is not None:
            yield from _targets(node.target, node.value)
    for node in nodes(facts, ast.Dict):
        for key, value in zip(node.keys, node.values):
            if key is not None:  # `**other`: no key
                yield key, value
    for node in nodes(facts, ast.keyword):
        if node.arg is not None:
            yield node.arg, node.value
    for node in nodes(facts, ast.arguments):
        positional = [*node.posonlyargs, *node.args]
        yield from zip((a.arg for a in positional[len(positional) - len(node.defaults):]), node.defaults)
        yield from ((a.arg, d) for a, d in zip(node.kwonlyargs, node.kw_defaults) if d is not None)
    for call in nodes(facts, ast.Call):
        given = arguments(call)  # the rule reads the first two of the call's arguments, whichever they are
        if len(given) >= 2 and may_stand_for(facts, call.func, ENVIRONMENT_SETTERS):
            yield given[0], given[1]


def _targets(target: ast.expr, value: ast.expr):
    """The rule's `_named`: a name, an attribute's name, a subscript's key; a tuple or list target
    with a value of as many elements, pairwise."""
    if isinstance(target, ast.Starred):
        target = target.value  # libcst: the starred element's value
    if isinstance(value, ast.Starred):
        value = value.value
    if isinstance(target, ast.Name):
        yield target.id, value
    elif isinstance(target, ast.Attribute):
        yield target.attr, value
    elif isinstance(target, ast.Subscript):
        if not isinstance(target.slice, ast.Slice):
            yield target.slice, value
    elif isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List)) \
            and len(target.elts) == len(value.elts):
        for inner_target, inner_value in zip(target.elts, value.elts):
            yield from _targets(inner_target, inner_value)


# the value kinds `_check` evaluates (libcst SimpleString/ConcatenatedString, Name, Attribute,
# BinaryOperation, Call, Subscript); a JoinedStr may be a ConcatenatedString of an f-string part
_EVALUATED_VALUES = (ast.Constant, ast.JoinedStr, ast.Name, ast.Attribute, ast.BinOp, ast.Call, ast.Subscript)


def _may_be_named_secret(facts, name: str | ast.expr, value: ast.expr) -> bool:
    """(2) Whether `_check(name, value)` may report: a name secret_kind accepts (a computed key:
    any name, if the evaluator may find it text), and a value that may evaluate to a secret."""
    if isinstance(name, ast.Constant):
        name = name.value
        if not isinstance(name, str):
            return False
    if isinstance(name, str):
        if secret_kind(name) is None:
            return False
    elif not may_be_text(facts, name):
        return False
    if not isinstance(value, _EVALUATED_VALUES):
        return False
    if isinstance(value, ast.Constant):
        # the rule's own test of a literal (its only candidate value)
        literal = AUTH_SCHEME.sub("", value.value) if isinstance(value.value, str) else value.value
        return isinstance(literal, (str, bytes)) and looks_like_secret_value(literal) is not None
    if isinstance(value, ast.Name) and secret_name(value.id):
        return False  # `password=DB_PASSWORD`: the rule reports the literal where DB_PASSWORD gets it
    return may_be_text(facts, value)

