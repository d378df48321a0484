"""What a language analysis reports: a line, a code and the message (the checker turns it into a
Finding), at most one per line and code."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Report:
    line: int
    code: str
    message: str
    severity: str = ""  # empty: the rule's default
    end_line: int = 0  # a site over several lines (a condition and the branch it guards); 0: one line


def short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 70 else text[:67] + "..."


def one_per_line(reports: list[Report]) -> list[Report]:
    seen, kept = set(), []
    for report in sorted(reports, key=lambda r: (r.line, r.code)):
        if (report.line, report.code) not in seen:
            seen.add((report.line, report.code))
            kept.append(report)
    return kept
