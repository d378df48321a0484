"""Where the string literals and comments of a source file are, without parsing it: enough to tell
whether a character sits in code or inside text that cannot reorder code (BDL701's grading).

Errs towards "code": a file the lexer cannot follow has no literals at all, so every character in
it is graded as code (fail closed)."""
from __future__ import annotations

import io
import re
import tokenize
from typing import NamedTuple


class Span(NamedTuple):
    start: int  # character offsets, end exclusive
    end: int
    kind: str  # "string" or "comment"


# C-family languages: line and block comments, quoted strings that end at the line's end, template
# and raw strings (backticks) that may span lines. A regex literal is recognised by what precedes
# its slash, so `/"/` is not read as the start of a string.
_C_TOKEN = re.compile(
    r"""(?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))"""
    r"""|(?P<string>"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|`(?:[^`\\]|\\.)*`?)"""
    r"""|(?P<slash>/)""",
    re.S,
)
_REGEX_LITERAL = re.compile(r"/(?:[^/\\\n\[]|\\.|\[(?:[^\]\\\n]|\\.)*\]?)+/?")
_REGEX_MAY_FOLLOW = re.compile(r"(?:\A|[(,=:\[!&|?{};+\-*%<>~^]|\b(?:return|typeof|case|do|else))\s*\Z")
# Shell, YAML, Dockerfile: `#` comments at the start of a word, single quotes without escapes.
_HASH_TOKEN = re.compile(r"""(?P<comment>(?:(?<=\s)|^)#[^\n]*)|(?P<string>'[^']*'?|"(?:[^"\\]|\\.)*"?)""", re.S | re.M)
_C_FAMILY = {"javascript", "typescript", "java", "go"}
_HASH_FAMILY = {"bash", "yaml", "dockerfile"}


def literal_spans(text: str, language: str) -> list[Span] | None:
    """The string literals and comments of `text`, sorted; None for a language that is not code
    (plain text, markup, data), where every line is text."""
    if language == "python":
        return _python_spans(text)
    if language in _C_FAMILY:
        return _regex_spans(text, _C_TOKEN)
    if language in _HASH_FAMILY:
        return _regex_spans(text, _HASH_TOKEN)
    return None


def _regex_spans(text: str, token: re.Pattern[str]) -> list[Span]:
    spans = []
    position = 0
    while True:
        match = token.search(text, position)
        if match is None:
            return spans
        kind = match.lastgroup or "string"
        if kind == "slash":  # a regex literal where an operand may start, otherwise a division
            before = text[max(0, match.start() - 16) : match.start()].strip()
            literal = _REGEX_LITERAL.match(text, match.start()) if _REGEX_MAY_FOLLOW.search(before) else None
            if literal is None:
                position = match.end()
                continue
            match, kind = literal, "string"
        spans.append(Span(match.start(), match.end(), "comment" if kind == "comment" else "string"))
        position = max(match.end(), match.start() + 1)


_PYTHON_TEXT_TOKENS = {tokenize.STRING: "string", tokenize.COMMENT: "comment"}
if hasattr(tokenize, "FSTRING_MIDDLE"):  # Python 3.12+: the literal parts of an f-string
    _PYTHON_TEXT_TOKENS[tokenize.FSTRING_MIDDLE] = "string"


def _python_spans(text: str) -> list[Span]:
    starts = [0] + [m.end() for m in re.finditer("\n", text)]  # how StringIO.readline splits
    spans = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.ERRORTOKEN and not token.string.isspace():
                return []  # Python < 3.12 goes on after a character it cannot tokenize: trust nothing
            kind = _PYTHON_TEXT_TOKENS.get(token.type)
            if kind:
                (start_row, start_col), (end_row, end_col) = token.start, token.end
                spans.append(Span(starts[start_row - 1] + start_col, starts[end_row - 1] + end_col, kind))
    except (tokenize.TokenError, SyntaxError, IndexError):
        return []  # not tokenizable: no literal is trusted, everything is code
    return spans
