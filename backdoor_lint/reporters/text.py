"""Human output: `path:line:col: CODE name  message`, a code frame, the fix, and a summary."""
from __future__ import annotations

from collections import Counter

from backdoor_lint.catalogue import get_rule
from backdoor_lint.config import Config
from backdoor_lint.findings import Finding
from backdoor_lint.reporters.audit import audit_lines
from backdoor_lint.results import ScanResult

_COLOURS = {"red": "\033[31m", "yellow": "\033[33m", "bold": "\033[1m", "dim": "\033[2m", "cyan": "\033[36m"}
_RESET = "\033[0m"
MAX_FRAME_WIDTH = 160


def render(result: ScanResult, config: Config, colour: bool = False, sources: dict[str, list[str]] | None = None) -> str:
    def paint(text: str, style: str) -> str:
        return f"{_COLOURS[style]}{text}{_RESET}" if colour else text

    out: list[str] = []
    for finding in result.findings:
        style = "red" if config.fails(finding.severity) else "yellow"
        label = "" if finding.blocking else " (warn)"
        out.append(f"{paint(f'{finding.path}:{finding.line}:{finding.column}:', 'bold')} "
                   f"{paint(finding.code, style)} {finding.name}{label}  {finding.message}")
        out.extend(paint(line, "dim") for line in _frame(finding))
        out.append(f"    {paint('fix:', 'cyan')} {get_rule(finding.code).fix}")
        out.append("")
    out.extend(audit_lines(result))
    out.append(summary(result, config, paint))
    return "\n".join(out) + "\n"


def _frame(finding: Finding) -> list[str]:
    lines = finding.snippet.splitlines()[:3] if finding.snippet else []
    if not lines:
        return []
    width = len(str(finding.line + len(lines) - 1))
    frame = []
    for offset, line in enumerate(lines):
        shown = line if len(line) <= MAX_FRAME_WIDTH else line[: MAX_FRAME_WIDTH - 3] + "..."
        frame.append(f"    {finding.line + offset:>{width}} | {shown}")
        if offset == 0 and finding.column - 1 < MAX_FRAME_WIDTH:
            end = finding.end_column if finding.end_line == finding.line else len(line) + 1
            caret = "^" * max(1, min(end, MAX_FRAME_WIDTH) - finding.column)
            frame.append(f"    {' ' * width} | {' ' * (finding.column - 1)}{caret}")
    return frame


def summary(result: ScanResult, config: Config, paint=lambda text, style: text) -> str:
    failing = [f for f in result.findings if config.fails(f.severity)]
    warnings = [f for f in result.findings if not config.fails(f.severity)]
    files = f"{result.files_scanned} file{'s' if result.files_scanned != 1 else ''}"
    parts = []
    if result.suppressed:
        counts = Counter(f.code for f, _ in result.suppressed)
        parts.append("suppressed: " + ", ".join(f"{code} x{n}" for code, n in sorted(counts.items())))
    if warnings:
        parts.append(f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}")
    extra = f" ({'; '.join(parts)})" if parts else ""
    if failing:
        codes = sorted({f.code for f in failing})
        return paint(
            f"backdoor-lint: {len(failing)} blocking finding{'s' if len(failing) != 1 else ''} in {files}{extra}. "
            f"Commit blocked. Learn more: backdoor-lint explain {codes[0]}", "red")
    return f"backdoor-lint: no blocking findings in {files}{extra}."
