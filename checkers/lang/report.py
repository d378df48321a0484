"""What a language analysis reports: a line, a code and the message (the checker turns it into a
Finding), at most one per line and code."""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Report:
    line: int
    code: str
    message: str
    severity: str = ""  # empty: the rule's default
    end_line: int = 0  # a site over several lines (a condition and the branch it guards); 0: one line


_WORD = re.compile(r"\S+")  # what str.split() splits off (the same Unicode whitespace)


def short(text: str) -> str:
    """`text` on one line, whitespace runs as one space, cut at 70 characters. Reads only the words
    it keeps: the text may be a whole minified bundle (`" ".join(text.split())` on it cost seconds)."""
    words, size = [], -1
    for word in _WORD.finditer(text):
        words.append(word.group())
        size += len(word.group()) + 1
        if size > 70:
            break
    text = " ".join(words)
    return text if len(text) <= 70 else text[:67] + "..."


def one_per_line(reports: list[Report]) -> list[Report]:
    seen, kept = set(), []
    for report in sorted(reports, key=lambda r: (r.line, r.code)):
        if (report.line, report.code) not in seen:
            seen.add((report.line, report.code))
            kept.append(report)
    return kept
