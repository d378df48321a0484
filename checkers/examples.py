"""VALID/INVALID examples: each belongs to one rule code. They are the rules' tests
(tests/test_rule_examples.py runs them per code) and what `explain CODE` shows."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Invalid:
    """An example that must be flagged with `code` (on `line` if given)."""

    source: str
    code: str
    line: int | None = None
    path: str = "example.py"
    config: tuple = ()  # (key, value) pairs of a config table the example needs, e.g. allowed-hosts
    before: str | None = None  # for change rules (BDL802/803): the committed file; `source` is staged


@dataclass(frozen=True)
class Valid:
    """A look-alike of `code`'s attack: must not be flagged with `code` (nor with another code of
    the checker that declares it)."""

    source: str
    code: str
    path: str = "example.py"
    config: tuple = ()
    before: str | None = None
