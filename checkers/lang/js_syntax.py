"""JavaScript/TypeScript syntax shared by the facts (javascript.py) and the evaluator (js_eval.py):
node kinds that open a scope or merely wrap an expression, string escapes and module names."""
from __future__ import annotations

import re

FUNCTIONS = frozenset({"function_declaration", "function_expression", "function", "arrow_function",
                       "method_definition", "generator_function_declaration", "generator_function"})
SCOPES = FUNCTIONS | {"program"}
WRAPPERS = frozenset({"parenthesized_expression", "await_expression", "as_expression", "non_null_expression",
                      "satisfies_expression", "type_assertion"})
GLOBAL_OBJECTS = frozenset({"global", "globalThis", "window", "self"})
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|[0-7]{1,3}|\r\n|.)", re.DOTALL)
_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def unescape(raw: str) -> str:
    def one(match: re.Match) -> str:
        body = match.group(1)
        if body[0] == "x":
            return chr(int(body[1:], 16))
        if body[0] == "u" and len(body) > 1:
            return chr(min(int(body[1:].strip("{}"), 16), 0x10FFFF))
        if body[0] in "01234567" and body != "0":
            return chr(int(body, 8) & 0xFF)
        if body in ("\n", "\r\n"):
            return ""
        return _SIMPLE.get(body, body)
    return _ESCAPE.sub(one, raw) if "\\" in raw else raw


def module_name(text: str) -> str:
    return text[5:] if text.startswith("node:") else text
