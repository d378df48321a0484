"""Credentials written into JavaScript/TypeScript source, on the facts of javascript.py:

- BDL601: a credential (by its name: `password`, `req.body['pass' + 'word']`, `req.get('x-api-key')`,
  a variable holding one of those) compared with a fixed literal (`===`, `==`, `!==`, `!=`,
  `[...].includes(x)`, `timingSafeEqual`), the literal also through a constant, built from pieces
  or decoded: a master password that opens every account. A comparison whose branch only throws
  (`if (secret === 'changeme') throw ...`) refuses a placeholder and is left alone.
- BDL603: a secret-named variable, property, object key or environment fallback
  (`process.env.STRIPE_SECRET_KEY || '...'`) given a literal value, also through a constant,
  pieces or decoding. Known token formats anywhere in the file are text_secrets' (every file).

Names and values are judged by the vocabulary and secretformats, as in Python."""
from __future__ import annotations

import re
from functools import lru_cache

from backdoor_lint.checkers.lang.javascript import FUNCTIONS, JsFile
from backdoor_lint.checkers.lang.report import Report, short
from backdoor_lint.checkers.lang.syntax import argument_nodes
from backdoor_lint.checkers.secretformats import looks_like_secret_value, magic_literal, token_formats
from backdoor_lint.checkers.vocabulary import secret_name

EQUALITY = {"===", "==", "!==", "!="}
# a cheap test before secret_name: every name it accepts ends in one of these words
SECRET_WORD = re.compile(r"(?i)pass|pwd|pw$|secret|key|token|credential")
HEADER_GETTERS = {"get", "header", "getHeader"}
FALLBACK = {"||", "??"}


def credential_reports(js: JsFile) -> list[Report]:
    return _compared(js) + _assigned(js)


# BDL601 ----------------------------------------------------------------------------------
def _compared(js: JsFile) -> list[Report]:
    src = js.source
    reports = []
    for node in src.of_type("binary_expression"):
        operator = node.child_by_field_name("operator")
        if operator is None or src.text(operator) not in EQUALITY:
            continue
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        found = _pair(js, left, right) or _pair(js, right, left)
        if found and not _refuses_placeholder(node):
            reports.append(_magic_report(js, node, *found))
    for call in src.of_type("call_expression"):
        name, _ = js.call_target(call)
        args = argument_nodes(call)
        func = call.child_by_field_name("function")
        if name in ("crypto.timingSafeEqual",) and len(args) == 2:
            found = _pair(js, args[0], args[1]) or _pair(js, args[1], args[0])
        elif func is not None and func.type == "member_expression" and len(args) == 1 and \
                src.text(func.child_by_field_name("property")) == "includes":
            found = _member_of(js, args[0], func.child_by_field_name("object"))
        else:
            continue
        if found and not _refuses_placeholder(call):
            reports.append(_magic_report(js, call, *found))
    return reports


def _pair(js: JsFile, credential, literal) -> tuple | None:
    if credential is None or literal is None:
        return None
    named = _credential_name(js, credential)
    if named is None:
        return None
    value = _bytes_text(js, literal)
    magic = magic_literal(value, named[1] == "token")
    return (credential, literal, named[1], magic) if magic else None


def _member_of(js: JsFile, credential, collection) -> tuple | None:
    named = _credential_name(js, credential)
    values = js.value(collection)
    if named is None or not isinstance(values, tuple) or not values:
        return None
    magic = [magic_literal(v, named[1] == "token") for v in values]
    return (credential, collection, named[1], magic[0]) if all(magic) else None


def _bytes_text(js: JsFile, node):
    """`Buffer.from('lit')` compares as its text."""
    if node.type == "call_expression" and js.call_target(node)[0] == "Buffer.from":
        args = argument_nodes(node)
        return js.value(args[0]) if len(args) == 1 else None
    return js.value(node)


def _credential_name(js: JsFile, node, depth: int = 0) -> tuple[str, str] | None:
    """(name, kind) of the credential an expression reads: its own name, a member or computed key,
    a header asked for by name, or (through a local variable) what the variable was set from."""
    src = js.source
    while node is not None and node.type in ("parenthesized_expression", "await_expression", "as_expression",
                                             "non_null_expression"):
        node = node.named_children[0] if node.named_children else None
    if node is None or depth > 3:
        return None
    names = []
    if node.type == "identifier":
        names.append(src.text(node))
    elif node.type == "member_expression":
        names.append(src.text(node.child_by_field_name("property")))
    elif node.type == "subscript_expression":
        key = js.value(node.child_by_field_name("index"))
        names.append(key if isinstance(key, str) else "")
    elif node.type == "call_expression":
        func = node.child_by_field_name("function")
        args = argument_nodes(node)
        if func is not None and func.type == "member_expression" and args and \
                src.text(func.child_by_field_name("property")) in HEADER_GETTERS:
            key = js.value(args[0])
            names.append(key if isinstance(key, str) else "")
        elif func is not None and func.type == "member_expression":  # `password.trim()`
            return _credential_name(js, func.child_by_field_name("object"), depth + 1)
    for name in names:
        kind = _kind(name)
        if kind:
            return name, kind
    if node.type == "identifier":
        binding = js.binding(node)
        value = binding.value if binding is not None else None
        if hasattr(value, "type") and value.type not in FUNCTIONS:
            return _credential_name(js, value, depth + 1)
        if isinstance(value, tuple):  # `const { password } = req.body`
            return _kind_pair(value[2])
    return None


@lru_cache(maxsize=4096)
def _kind(name: str) -> str | None:
    if not name or len(name) > 60 or not SECRET_WORD.search(name):  # the words secret_name decides on
        return None
    return secret_name(name.replace("-", "_"))


def _kind_pair(name: str) -> tuple[str, str] | None:
    kind = _kind(name)
    return (name, kind) if kind else None


def _refuses_placeholder(node) -> bool:
    """`if (secret === 'changeme') throw new Error(...)`: a configuration check, not a way in."""
    current = node
    while current.parent is not None and current.parent.type in ("parenthesized_expression", "binary_expression",
                                                                    "unary_expression"):
        current = current.parent
    statement = current.parent
    if statement is None or statement.type != "if_statement":
        return False
    body = statement.child_by_field_name("consequence")
    parts = body.named_children if body is not None and body.type == "statement_block" else [body]
    return bool(parts) and parts[-1] is not None and parts[-1].type == "throw_statement"


def _magic_report(js: JsFile, site, credential, literal, kind: str, magic: str) -> Report:
    src = js.source
    shown = magic if len(magic) <= 24 else magic[:20] + "…"
    through = "" if literal.type == "string" else f" (the value of `{short(src.text(literal))}`)"
    return Report(src.line(site), "BDL601", f"the {kind} `{short(src.text(credential))}` is compared with the "
                  f"literal {shown!r}{through}: whoever knows (or reads) that string gets in, for any account and "
                  "whatever the real check says, a classic master-password backdoor. Remove the literal; check "
                  "credentials only against the user store, with a constant-time comparison of hashes.")


# BDL603 ----------------------------------------------------------------------------------
def _assigned(js: JsFile) -> list[Report]:
    src = js.source
    reports = []
    for node in src.of_type("variable_declarator", "assignment_expression", "pair", "public_field_definition",
                            "field_definition"):
        target, value = _target_and_value(node)
        if target is None or value is None:
            continue
        name = js.value(target) if target.type == "string" else src.text(target)
        report = _secret_literal(js, node, name if isinstance(name, str) else "", value)
        if report is not None:
            reports.append(report)
    for node in src.of_type("binary_expression"):
        operator = node.child_by_field_name("operator")
        left = node.child_by_field_name("left")
        if operator is None or src.text(operator) not in FALLBACK or left is None:
            continue
        if left.type == "member_expression" and src.text(left.child_by_field_name("object")) == "process.env":
            report = _secret_literal(js, node, src.text(left.child_by_field_name("property")),
                                     node.child_by_field_name("right"), fallback=True)
            if report is not None:
                reports.append(report)
    return reports


def _target_and_value(node):
    if node.type == "variable_declarator":
        return node.child_by_field_name("name"), node.child_by_field_name("value")
    if node.type == "assignment_expression":
        left = node.child_by_field_name("left")
        if left is not None and left.type == "member_expression":
            left = left.child_by_field_name("property")
        return left, node.child_by_field_name("right")
    if node.type in ("public_field_definition", "field_definition"):  # TypeScript's, JavaScript's class fields
        return node.child_by_field_name("name") or node.child_by_field_name("property"), \
            node.child_by_field_name("value")
    return node.child_by_field_name("key"), node.child_by_field_name("value")


def _secret_literal(js: JsFile, site, name: str, value, fallback: bool = False) -> Report | None:
    if not name or value is None or value.type in FUNCTIONS or value.type in ("object", "array"):
        return None
    kind = _kind(name)
    if kind is None:
        return None
    if value.type == "identifier" and _kind(js.source.text(value)):
        return None  # `password: DB_PASSWORD`: reported where DB_PASSWORD gets its literal
    if value.type == "binary_expression" and js.source.text(value.child_by_field_name("operator")) in FALLBACK:
        return None  # `process.env.X || 'literal'`: reported as the fallback
    constant = js.value(value)
    formats = token_formats(constant) if isinstance(constant, str) else []
    literal = constant if formats else looks_like_secret_value(constant)
    if literal is None or literal.startswith("pk_") or not formats and not _has_letter_and_digit(literal):
        return None
    shape = f", a {formats[0][0]}" if formats else ""
    origin = "" if value.type == "string" else f" (through `{short(js.source.text(value))}`)"
    where = f"the fallback of process.env.{name}" if fallback else f"`{name}`"
    preview = literal[:4] + "…" if len(literal) > 8 else "…"
    return Report(js.source.line(site), "BDL603", f"{where} is a hard-coded {kind}: the literal {preview!r}{shape}"
                  f"{origin} is in the source, so anyone with the code (every clone, fork, log or bundle) holds it, "
                  "and it cannot be rotated without a code change. Read it from the environment or a secret "
                  "manager with no fallback value, and rotate this one.")


def _has_letter_and_digit(text: str) -> bool:
    """A generated secret mixes letters and digits; a word or a sentence (`'keyboard cat'`) is a
    placeholder or a label far more often than a key."""
    return any(c.isdigit() for c in text) and any(c.isalpha() for c in text) and len(text) >= 12
