"""The Finding model shared by every engine and reporter."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from backdoor_lint.catalogue import BLOCK, get_rule

# A snippet shows the site, not the file: a finding in a minified bundle must not copy a
# 160 KB line into every report, baseline and cache entry (issue 8).
SNIPPET_LINES = 5
SNIPPET_LINE_CHARS = 300
CUT_MARK = " \u2026"


def cap_snippet(text: str) -> str:
    """`text` with at most SNIPPET_LINES lines of at most SNIPPET_LINE_CHARS characters each,
    counted after the line's indentation (so a stripped and an unstripped copy of one line are
    cut at the same place). Deterministic: the fingerprint and the changed-lines filter rely on
    cutting equal text equally."""
    if len(text) <= SNIPPET_LINE_CHARS and "\n" not in text:
        return text
    lines = text.split("\n")
    kept = []
    for line in lines[:SNIPPET_LINES]:
        indent = len(line) - len(line.lstrip())
        if len(line) - indent > SNIPPET_LINE_CHARS:
            line = line[:indent + SNIPPET_LINE_CHARS] + CUT_MARK
        kept.append(line)
    if len(lines) > SNIPPET_LINES:
        kept.append(f"\u2026 ({len(lines) - SNIPPET_LINES} more lines)")
    return "\n".join(kept)


@dataclass
class Finding:
    path: str  # posix path relative to the scan root where possible
    line: int  # 1-based
    column: int  # 1-based
    code: str
    message: str  # specific to this site
    end_line: int = 0
    end_column: int = 0
    severity: str = ""  # block|warn; empty means the rule's default (resolved by the engine)
    confidence: str = ""
    engine: str = "libcst"
    snippet: str = ""  # source text of the site; feeds the fingerprint
    fingerprint: str = ""
    extra: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        rule = get_rule(self.code)
        self.severity = self.severity or rule.severity
        self.confidence = self.confidence or rule.confidence
        self.end_line = self.end_line or self.line
        self.end_column = self.end_column or self.column
        if len(self.snippet) > SNIPPET_LINE_CHARS or "\n" in self.snippet:
            self.snippet = cap_snippet(self.snippet)

    @property
    def name(self) -> str:
        return get_rule(self.code).name

    @property
    def fix(self) -> str:
        """The rule's fix hint in the terms of this file's language (by its name)."""
        from backdoor_lint.languages import language_for

        return get_rule(self.code).fix_for(language_for(self.path))

    @property
    def blocking(self) -> bool:
        return self.severity == BLOCK

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code, self.message)

    def to_dict(self) -> dict:
        data = asdict(self)
        rule = get_rule(self.code)
        data["name"] = rule.name
        data["cwe"] = list(rule.cwe)
        data["fix"] = self.fix
        if not data["extra"]:
            del data["extra"]
        return data


_WS = re.compile(r"\s+")


def assign_fingerprints(findings: list[Finding]) -> None:
    """Stable fingerprint: rule + path + whitespace-normalised site text, not line numbers.

    Identical sites in one file are told apart by their order of occurrence, so moving code
    around does not change fingerprints while a second copy of a finding gets a new one.
    """
    import hashlib  # here: the agent hook's start-up does not pay for it

    seen: dict[str, int] = {}
    for finding in sorted(findings, key=Finding.sort_key):
        base = "\0".join((finding.code, finding.path, _WS.sub(" ", finding.snippet).strip()))
        index = seen.get(base, 0)
        seen[base] = index + 1
        finding.fingerprint = hashlib.sha256(f"{base}\0{index}".encode()).hexdigest()[:32]
