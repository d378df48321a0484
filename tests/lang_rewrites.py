"""Rewrites an evader applies to JavaScript/TypeScript, Go and Java source without changing what it
does (the language counterpart of tests/evasion_rewrites.py), used by tests/test_lang_analyses.py.
Each rewrites every string literal of four characters or more (not import paths) in place, on one
line, so the lines of the sites stay where they were:
  concat   "ver" + "ify"                      (all three languages)
  join     ["ver", "ify"].join("")            JS;  strings.Join([]string{...}, "") Go;  String.join("", ...) Java
  chars    String.fromCharCode(118, ...)      JS
  b64      atob("dmVyaWZ5")                   JS;  Buffer.from("...", "base64").toString() as "buffer"
  hex      Buffer.from("7665...", "hex").toString()   JS
  reverse  "yfirev".split("").reverse().join("")     JS
"""
from __future__ import annotations

import base64
import json

from backdoor_lint.checkers.lang.syntax import Source, ancestors

STRING_NODES = {"javascript": {"string"}, "typescript": {"string"}, "tsx": {"string"},
                "go": {"interpreted_string_literal"}, "java": {"string_literal"}}
KINDS = {"javascript": ("concat", "join", "chars", "b64", "buffer", "hex", "reverse"),
         "go": ("concat", "join"), "java": ("concat", "join")}
_IMPORTS = {"import_statement", "import_spec", "import_declaration", "export_statement"}


def _literal(value: str, grammar: str) -> str:
    return json.dumps(value, ensure_ascii=True)  # valid in all three languages for printable text


def _built(value: str, kind: str, grammar: str) -> str:
    half = len(value) // 2
    a, b = _literal(value[:half], grammar), _literal(value[half:], grammar)
    encoded = value.encode("utf-8")
    if kind == "concat":
        return f"({a} + {b})"
    if kind == "join":
        return {"go": f'strings.Join([]string{{{a}, {b}}}, "")', "java": f'String.join("", {a}, {b})'}.get(
            grammar, f'[{a}, {b}].join("")')
    if kind == "chars":
        return f"String.fromCharCode({', '.join(str(ord(c)) for c in value)})"
    if kind == "b64":
        return f'atob("{base64.b64encode(encoded).decode()}")'
    if kind == "buffer":
        return f'Buffer.from("{base64.b64encode(encoded).decode()}", "base64").toString()'
    if kind == "hex":
        return f'Buffer.from("{encoded.hex()}", "hex").toString()'
    return f'{_literal(value[::-1], grammar)}.split("").reverse().join("")'


def _value(source: Source, node) -> str | None:
    raw = source.text(node)
    try:
        value = json.loads('"' + raw[1:-1].replace("\\'", "'") + '"') if raw[0] in "\"'" else None
    except ValueError:
        return None
    if value is None or len(value) < 4 or "\n" in value or not value.isprintable():
        return None
    return value


def rewritten(text: str, grammar: str, kind: str) -> str:
    source = Source(text, grammar)
    sites = []
    for node in source.of_type(*STRING_NODES[grammar]):
        if any(a.type in _IMPORTS for a in ancestors(node)):
            continue
        parent = node.parent
        if parent is not None and parent.type in ("pair", "keyed_element") and parent.named_children[0] == node:
            continue  # an object key stays a key
        value = _value(source, node)
        if value is not None:
            sites.append((node.start_byte, node.end_byte, _built(value, kind, grammar)))
    data = source.data
    for start, end, replacement in sorted(sites, reverse=True):
        data = data[:start] + replacement.encode("utf-8") + data[end:]
    result = data.decode("utf-8")
    if grammar == "go" and kind == "join" and sites and '"strings"' not in result:
        # on the import line itself, so that no site moves
        result = result.replace("import (", 'import ("strings";', 1) if "import (" in result else \
            result.replace("import ", 'import "strings"; import ', 1)
    return result
