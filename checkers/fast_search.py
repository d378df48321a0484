"""`pattern.search(text)`, the same match, found faster for patterns whose alternatives open with a
zero-width assertion (`\\brequest\\b|environ|\\binput\\(`), compiled here (`compile`).

Python's regex engine skips ahead to a possible first character only when every alternative
starts with one; an alternative that starts with `\\b` or a lookbehind makes it try the whole
pattern at every position. `search` first looks for the pattern without the assertions its
alternatives open with, which matches wherever the pattern does and more, and tries the pattern
itself only where that one matches: assertions only ever refuse a match, so no position where the
pattern matches is skipped, and `pattern.match(text, position)` sees the text before `position`
as `search` does.

Whether it is faster depends on the pattern (an alternation of common short words after `\\b`
is slower without the `\\b`), so a pattern is compiled here only where a measurement over real
code showed the gain (`benchmarks/trigger_regex.py`); any other pattern is searched as written."""
from __future__ import annotations

import re

try:  # Python 3.11+
    from re import _compiler as _sre_compile
    from re import _parser as _sre_parse
except ImportError:  # Python 3.10
    import sre_compile as _sre_compile  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

_ASSERTIONS = {_sre_parse.AT, _sre_parse.ASSERT, _sre_parse.ASSERT_NOT}
_NOT_YET = object()
_relaxed: dict[re.Pattern, object] = {}  # a pattern compiled here -> its relaxed form (None: none)


def compile(pattern, flags: int = 0) -> re.Pattern:  # noqa: A001 - re.compile's name, on purpose
    """`re.compile(pattern, flags)`, searched through its relaxed form by `search`."""
    compiled = re.compile(pattern, flags)
    _relaxed.setdefault(compiled, _NOT_YET)
    return compiled


def search(pattern: re.Pattern, text):
    """`pattern.search(text)`."""
    relaxed = relaxed_form(pattern)
    return pattern.search(text) if relaxed is None else first_match(pattern, relaxed, text)


def relaxed_form(pattern: re.Pattern) -> re.Pattern | None:
    """The relaxed pattern `search` looks for first: None for a pattern not compiled here or one
    that has none (`relax`)."""
    relaxed = _relaxed.get(pattern)
    if relaxed is _NOT_YET:
        relaxed = _relaxed[pattern] = relax(pattern)
    return relaxed  # type: ignore[return-value]


def first_match(pattern: re.Pattern, relaxed: re.Pattern, text):
    """`pattern.search(text)`, trying the pattern only where `relaxed` (`relax(pattern)`) matches."""
    position = 0
    while True:
        candidate = relaxed.search(text, position)
        if candidate is None:
            return None
        found = pattern.match(text, candidate.start())
        if found is not None:
            return found
        position = candidate.start() + 1


def relax(pattern: re.Pattern) -> re.Pattern | None:
    """The pattern without the assertions its alternatives open with, or None where that gains
    nothing or cannot be built (no such assertion, a group inside one, or a pattern that could
    then match the empty text: it would be tried at every position). Assertions further in are
    kept: the more the relaxed pattern refuses, the fewer positions the pattern itself is tried at."""
    try:
        parsed = _sre_parse.parse(pattern.pattern, pattern.flags)
        if not _remove_leading_assertions(parsed) or parsed.getwidth()[0] == 0:
            return None
        return _sre_compile.compile(parsed, pattern.flags)
    except (_Unrelaxable, re.error, AttributeError, TypeError, ValueError, IndexError, RecursionError):
        return None  # (an engine's internals changed: search as written)


class _Unrelaxable(Exception):
    pass


def _remove_leading_assertions(parsed) -> bool:
    """Remove, in place, the assertions that open the parsed pattern or any of its leading
    alternatives (in groups too); whether there was one."""
    removed = False
    while parsed.data and parsed.data[0][0] in _ASSERTIONS:
        op, value = parsed.data[0]
        if op != _sre_parse.AT and _has_group(value[1]):
            raise _Unrelaxable  # the group numbers would change
        del parsed.data[0]
        removed = True
    if parsed.data:
        op, value = parsed.data[0]
        if op == _sre_parse.BRANCH:
            for alternative in value[1]:
                removed |= _remove_leading_assertions(alternative)
        elif op == _sre_parse.SUBPATTERN:
            removed |= _remove_leading_assertions(value[-1])
    if removed:
        parsed.width = None  # recomputed by getwidth()
    return removed


def _has_group(parsed) -> bool:
    for op, value in parsed.data:
        if op == _sre_parse.SUBPATTERN and value[0] is not None:
            return True
        inner = list(value[1]) if op == _sre_parse.BRANCH else [value[-1]] if op == _sre_parse.SUBPATTERN \
            else [value[2]] if op in (_sre_parse.MAX_REPEAT, _sre_parse.MIN_REPEAT) \
            else [value[1]] if op in (_sre_parse.ASSERT, _sre_parse.ASSERT_NOT) else []
        if any(_has_group(part) for part in inner):
            return True
    return False
