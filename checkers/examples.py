"""VALID/INVALID examples: every checker's tests and the examples `explain` prints."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Invalid:
    """An example a checker must flag with `code` (on `line` if given)."""

    source: str
    code: str
    line: int | None = None
    path: str = "example.py"
    config: tuple = ()  # (key, value) pairs of a config table the example needs, e.g. allowed-hosts


@dataclass(frozen=True)
class Valid:
    """A look-alike the checker must not flag with any of its codes."""

    source: str
    path: str = "example.py"
