"""BDL703 skips Python's (slow) tokenizer when every non-ASCII character of a file is in a comment
or string literal. That shortcut must never hide a non-ASCII identifier."""
from __future__ import annotations

import glob
import os

import pytest
from backdoor_lint.checkers.text_identifiers import python_identifiers, python_names_are_ascii
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _has_non_ascii_name(source: str) -> bool:
    return any(not name.isascii() for name, _, _ in python_identifiers(source))


@pytest.mark.parametrize("source, ascii_names", [
    ('x = "café"\n', True),
    ("# café\nx = 1\n", True),
    ('s = """doc \\""" é"""\nx = 1\n', True),
    ("s = 'a\\'é'\nprint(s)\n", True),
    ('s = "a\\\nb é"\n', True),
    ('x = f"{a}é{b}"\n', True),
    ("x = rf'{a:>{w}}é'\n", True),
    ("café = 1\n", False),
    ("ﬁle = 1\n", False),  # NFKC: Python reads `file`, a reviewer does not
    ('x = f"{café}"\n', False),
    ('if"#": café = 1\n', False),  # a string right after a keyword is still a string
    ('x = "é" ; ｘ = 2\n', False),
    ('x = f"{x["k"]}{ｘ}"\n', False),  # Python 3.12 nesting: braces do not balance, no shortcut
    ('x = F"{{é}}"\n', False),  # conservative: literal braces count as a field
])
def test_cases(source, ascii_names):
    assert python_names_are_ascii(source) is ascii_names
    if ascii_names:
        assert not _has_non_ascii_name(source)


def test_never_hides_a_non_ascii_name_in_this_repository():
    for path in glob.glob(os.path.join(ROOT, "**", "*.py"), recursive=True):
        if "/.venv/" in path:
            continue
        with open(path, encoding="utf-8", errors="replace") as handle:
            source = handle.read()
        if python_names_are_ascii(source):
            assert not _has_non_ascii_name(source), path


PIECES = ["x", "café", "ｘ", "é", '"', "'", '"""', "#", "\\", "f", "rb", "{", "}", " ", "\n", "=", "(", ")", "1"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_never_hides_a_non_ascii_name_in_generated_code(pieces):
    source = "".join(pieces)
    if python_names_are_ascii(source):
        assert not _has_non_ascii_name(source)
