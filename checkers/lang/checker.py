"""What the language checkers (checkers/ts_*.py) share: parse, report what could not be parsed as
BDL901 (the rest is still analysed), turn an analysis' reports into findings. Imports no
tree-sitter until a file is parsed."""
from __future__ import annotations

from typing import ClassVar

from backdoor_lint.checkers.text import TextChecker

from backdoor_lint.findings import Finding

ENGINE = "text"  # ranks with the other per-file checks in the policy's dedupe against semgrep


class LanguageChecker(TextChecker):
    """A tree-sitter checker (checkers/ts_*.py). Every file of its languages is parsed: a syntax
    error is BDL901 even in a file no rule has a site in (nothing else parses these files, so
    skipping it would call an unreadable file clean); TRIGGER only decides whether the analyses
    run on it."""

    LANGUAGES: ClassVar[frozenset[str]]

    @classmethod
    def wants(cls, raw: bytes, language: str) -> bool:
        return language in cls.LANGUAGES

    def analysed(self, text: str) -> bool:
        return self.TRIGGER is None or self.TRIGGER.search(text.encode("utf-8", "surrogatepass")) is not None


def run(text: str, display: str, language: str, analyse, analysed: bool = True) -> list[Finding]:
    """Parse `text`, report what did not parse, and run `analyse(source) -> [Report]` on it if
    `analysed` (the checker's trigger matched)."""
    from backdoor_lint.checkers.lang.syntax import Source, TooLarge, grammar_for  # tree-sitter: on first use

    source = Source(text, grammar_for(language, display))
    findings = []
    regions = source.unparsed_lines()
    if regions:
        first, last = regions[0]
        more = f" and {len(regions) - 1} more region(s)" if len(regions) > 1 else ""
        findings.append(Finding(display, first, 1, "BDL901", f"{language} syntax error: lines {first}-{last}{more} "
                                "could not be parsed and were not analysed (the rest of the file was)",
                                engine=ENGINE))
    if not analysed:
        return findings
    try:
        reports = analyse(source)
    except TooLarge as exc:
        return [Finding(display, 1, 1, "BDL901", f"file too large to analyse ({exc}); not analysed", engine=ENGINE)]
    lines = text.splitlines()
    for report in reports:
        # the whole line with its indentation (the report's code frame shows it as in the file),
        # underlined from its first non-blank character
        line = lines[report.line - 1].rstrip()[:300] if 0 < report.line <= len(lines) else ""
        start = len(line) - len(line.lstrip()) + 1
        one_line = not report.end_line or report.end_line == report.line
        findings.append(Finding(display, report.line, start, report.code, report.message, engine=ENGINE,
                                end_line=report.end_line,
                                end_column=len(line) + 1 if line.strip() and one_line else 0,
                                snippet=line, severity=report.severity))  # (a blank line: no snippet)
    return findings
