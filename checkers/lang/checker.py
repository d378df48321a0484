"""What the language checkers (checkers/ts_*.py) share: parse, report what could not be parsed as
BDL901 (the rest is still analysed), turn an analysis' reports into findings."""
from __future__ import annotations

from backdoor_lint.checkers.lang.syntax import Source, TooLarge, grammar_for

from backdoor_lint.findings import Finding

ENGINE = "text"  # ranks with the other per-file checks in the policy's dedupe against semgrep


def run(text: str, display: str, language: str, analyse) -> list[Finding]:
    """Parse `text` and run `analyse(source) -> [Report]` on it."""
    source = Source(text, grammar_for(language, display))
    findings = []
    regions = source.unparsed_lines()
    if regions:
        first, last = regions[0]
        more = f" and {len(regions) - 1} more region(s)" if len(regions) > 1 else ""
        findings.append(Finding(display, first, 1, "BDL901", f"{language} syntax error: lines {first}-{last}{more} "
                                "could not be parsed and were not analysed (the rest of the file was)",
                                engine=ENGINE))
    try:
        reports = analyse(source)
    except TooLarge as exc:
        return [Finding(display, 1, 1, "BDL901", f"file too large to analyse ({exc}); not analysed", engine=ENGINE)]
    lines = text.splitlines()
    for report in reports:
        snippet = lines[report.line - 1].strip()[:200] if 0 < report.line <= len(lines) else None
        findings.append(Finding(display, report.line, 1, report.code, report.message, engine=ENGINE,
                                snippet=snippet, severity=report.severity, end_line=report.end_line))
    return findings
