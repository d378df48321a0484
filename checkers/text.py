"""Base class of text checkers: rules that read any text file as characters, in any language.
Deliberately free of libcst so a scan with no Python files never imports it."""
from __future__ import annotations

import re
from typing import ClassVar

from backdoor_lint.checkers.examples import Invalid, Valid

from backdoor_lint.findings import Finding


class TextChecker:
    CODES: ClassVar[tuple[str, ...]] = ()
    LANGUAGES: ClassVar[frozenset[str] | None] = None  # None: every text file
    EXCEPT: ClassVar[frozenset[str]] = frozenset()  # with LANGUAGES None: text files of these are not read
    TRIGGER: ClassVar[re.Pattern[bytes] | None] = None  # files whose bytes do not match are skipped
    VALID: ClassVar[list[Valid]] = []
    INVALID: ClassVar[list[Invalid]] = []
    # Set by the engine on each instance: the file's path on disk and the scan root, for checkers
    # that read what the file imports from the tree (None: content without a place, e.g. stdin).
    path: str | None = None
    root: str | None = None

    @classmethod
    def wants(cls, raw: bytes, language: str) -> bool:
        if (cls.LANGUAGES is not None and language not in cls.LANGUAGES) or language in cls.EXCEPT:
            return False
        return cls.TRIGGER is None or cls.TRIGGER.search(raw) is not None

    def check(self, text: str, display: str, language: str) -> list[Finding]:
        raise NotImplementedError


def line_and_column(text: str, offset: int, line_starts: list[int]) -> tuple[int, int]:
    """1-based line and column of a character offset, given `line_starts(text)`."""
    import bisect

    index = bisect.bisect_right(line_starts, offset) - 1
    return index + 1, offset - line_starts[index] + 1


def line_starts(text: str) -> list[int]:
    starts = [0]
    for match in re.finditer(r"\r\n|\r|\n", text):
        starts.append(match.end())
    return starts
