"""checkers/fast_search.py: `search(pattern, text)` finds exactly what `pattern.search(text)` finds."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from backdoor_lint.checkers import fast_search
from backdoor_lint.checkers.registry import python_checkers

import backdoor_lint

# the patterns the project compiles with fast_search.compile (importing the rules compiles them)
python_checkers()
COMPILED_HERE = [pattern for pattern in list(fast_search._relaxed) if fast_search.relaxed_form(pattern) is not None]

EDGE_CASES = [
    # a lookbehind or \b looks at the text before the position the pattern is tried at
    (rb"(?<![.\w])exec\b|marshal", b"x.exec(a); self.exec(b); exec(c)"),
    (rb"(?<![.\w])exec\b|marshal", b"xexec .exec marshal"),
    (rb"\bsig\b|token", b"signal design sig"),
    (rb"\bsig\b|token", b"signal design"),
    # the first place the relaxed pattern matches is not a match; a later one is
    (rb"\breq\b|environ", b"prereq unreq req"),
    # the leftmost match wins even when another alternative matches later in the text
    (rb"\bzz|a", b"xzz a zz"),
    # anchors at the start of an alternative (MULTILINE)
    (rb"(?m)^import evil|urlopen", b"x = 1\n  import evil\nimport evil\n"),
    (r"(?i)\bdef\s+verify|\blambda\b", "x = Lambda; lambdas = 1; y = lambda: 1"),
    # lookaheads opening an alternative
    (rb"(?!foo)\w+bar|baz", b"foobar xbar"),
    # a group and a backreference after the assertion keep their numbers
    (rb"\b(y)\1|z", b"xyy z yy"),
    # str patterns and Unicode word boundaries
    (r"\brequest\b|socket", "r\u00e9quest request"),
]


@pytest.mark.parametrize("source,text", EDGE_CASES)
def test_edge_cases_find_the_same_match(source, text):
    pattern = fast_search.compile(source)
    assert fast_search.relaxed_form(pattern) is not None
    expected = pattern.search(text)
    found = fast_search.search(pattern, text)
    assert (found and (found.span(), found.group())) == (expected and (expected.span(), expected.group()))


@pytest.mark.parametrize("source", [
    rb"foo|bar",  # no assertion opens an alternative: nothing to gain
    rb"\b|foo",  # would then match the empty text at every position
    rb"(?<=(a))b|c",  # a group inside the assertion: the group numbers would change
])
def test_patterns_without_a_useful_relaxed_form_are_searched_as_written(source):
    pattern = fast_search.compile(source)
    assert fast_search.relaxed_form(pattern) is None
    for text in (b"", b"foo", b"ab c", b"x y z xy"):
        expected = pattern.search(text)
        found = fast_search.search(pattern, text)
        assert (found and found.span()) == (expected and expected.span())


def test_a_pattern_not_compiled_here_is_searched_as_written():
    pattern = re.compile(rb"\bnot_compiled_by_fast_search\b|other")
    assert fast_search.relaxed_form(pattern) is None
    assert fast_search.search(pattern, b"x other").span() == (2, 7)


def _texts() -> list[bytes]:
    """The project's own sources and every rule's examples: code full of the words the triggers
    look for, at every kind of boundary."""
    package = Path(backdoor_lint.__file__).resolve().parent
    texts = [path.read_bytes() for path in sorted(package.rglob("*.py"))]
    for checker in python_checkers():
        for example in (*checker.VALID, *checker.INVALID):
            texts.append(example.source.encode())
    return texts


def test_every_pattern_compiled_here_finds_what_it_finds_as_written():
    assert len(COMPILED_HERE) >= 5
    texts = _texts()
    for pattern in COMPILED_HERE:
        for text in texts:
            subject = text if isinstance(pattern.pattern, bytes) else text.decode("utf-8", "replace")
            for start in (0, len(subject) // 3):  # a text opening mid-line too
                expected = pattern.search(subject[start:])
                found = fast_search.search(pattern, subject[start:])
                assert (found and found.span()) == (expected and expected.span()), (pattern.pattern, start)
