"""Human output: `path:line:col: CODE name  message`, a code frame, the fix, and a summary."""
from __future__ import annotations

from collections import Counter

from backdoor_lint.config import Config
from backdoor_lint.findings import Finding
from backdoor_lint.reporters.audit import audit_lines
from backdoor_lint.results import ScanResult

_COLOURS = {"red": "\033[31m", "yellow": "\033[33m", "bold": "\033[1m", "dim": "\033[2m", "cyan": "\033[36m"}
_RESET = "\033[0m"
MAX_FRAME_WIDTH = 160


def render(result: ScanResult, config: Config, colour: bool = False, exit_zero: bool = False, where: str = "",
           **_) -> str:
    def paint(text: str, style: str) -> str:
        return f"{_COLOURS[style]}{text}{_RESET}" if colour else text

    out: list[str] = []
    for finding in result.findings:
        style = "red" if config.fails(finding.severity) else "yellow"
        label = "" if finding.blocking else " (warn)"
        out.append(f"{paint(f'{finding.path}:{finding.line}:{finding.column}:', 'bold')} "
                   f"{paint(finding.code, style)} {finding.name}{label}  {finding.message}")
        out.extend(paint(line, "dim") for line in _frame(finding))
        out.append(f"    {paint('fix:', 'cyan')} {finding.fix}")
        out.append("")
    out.extend(audit_lines(result))
    out.append(summary(result, config, paint, exit_zero=exit_zero, where=where))
    return "\n".join(out) + "\n"


def _frame(finding: Finding) -> list[str]:
    """The site's lines with carets under the finding's columns. Columns count characters of the
    source line; the frame shows the line as a terminal does, so the carets are placed by the
    displayed width of what precedes them: a tab to the next multiple of TAB_WIDTH, a wide (CJK)
    character as two, an invisible or control character as its escape (never raw: a bidi control
    would reorder the report itself)."""
    lines = finding.snippet.splitlines()[:3] if finding.snippet else []
    if not lines:
        return []
    width = len(str(finding.line + len(lines) - 1))
    frame = []
    for offset, line in enumerate(lines):
        shown = _displayed(line)
        frame.append(f"    {finding.line + offset:>{width}} | {_cut(shown)}")
        if offset == 0 and finding.column - 1 <= len(line):
            end = finding.end_column if finding.end_line == finding.line else len(line) + 1
            end = min(max(end, finding.column + 1), len(line) + 1)
            start_at = len(_displayed(line[:finding.column - 1]))
            caret_end = max(start_at + 1, len(_displayed(line[:end - 1])))
            if start_at < MAX_FRAME_WIDTH:
                caret = "^" * (min(caret_end, MAX_FRAME_WIDTH) - start_at)
                frame.append(f"    {' ' * width} | {' ' * start_at}{caret}")
    return frame


TAB_WIDTH = 8


def _displayed(text: str) -> str:
    """`text` as it occupies a terminal line, one cell per character of the result."""
    import unicodedata

    out: list[str] = []
    column = 0
    for char in text:
        if char == "\t":
            piece = " " * (TAB_WIDTH - column % TAB_WIDTH)
        elif not char.isprintable() or unicodedata.category(char) in ("Cf", "Zl", "Zp"):
            piece = char.encode("unicode_escape").decode("ascii")
        elif unicodedata.east_asian_width(char) in ("W", "F"):
            piece = char + "\0"  # two cells; the placeholder is removed by _cut
        else:
            piece = char
        out.append(piece)
        column += len(piece)
    return "".join(out)


def _cut(shown: str) -> str:
    if len(shown) > MAX_FRAME_WIDTH:
        shown = shown[: MAX_FRAME_WIDTH - 3] + "..."
    return shown.replace("\0", "")


def summary(result: ScanResult, config: Config, paint=lambda text, style: text, exit_zero: bool = False,
            where: str = "") -> str:
    """One line: how many blocking findings in how many files, per code, and what that means for
    this run. `where` is "commit" for a scan of staged content (the git hook, the changed-lines
    pre-commit hook), "pre-commit" under the pre-commit framework, "" otherwise (a manual scan,
    CI): only the first two may speak of a commit."""
    failing = [f for f in result.findings if config.fails(f.severity)]
    warnings = [f for f in result.findings if not config.fails(f.severity)]
    scanned = _count(result.files_scanned, "file") + " scanned"
    parts = []
    if warnings:
        parts.append(f"{_count(len(warnings), 'warning')}: {_per_code(warnings)}")
    if result.suppressed:
        parts.append("suppressed: " + _per_code([f for f, _ in result.suppressed]))
    extra = f" ({'; '.join(parts)})" if parts else ""
    if not failing:
        return f"backdoor-lint: no blocking findings; {scanned}{extra}."
    files = _count(len({f.path for f in failing}), "file")
    if exit_zero:
        outcome = "Exit status 0 (--exit-zero: reported, not failing)."
    elif where == "commit":
        outcome = "The commit is blocked."
    elif where == "pre-commit":
        outcome = "The pre-commit hook fails."
    else:
        outcome = "Exit status 1."
    codes = sorted({f.code for f in failing})
    learn = f"backdoor-lint explain {codes[0]}" + (" (and each other code)" if len(codes) > 1 else "")
    return paint(f"backdoor-lint: {_count(len(failing), 'blocking finding')} in {files} ({_per_code(failing)}); "
                 f"{scanned}{extra}. {outcome} Learn more: {learn}", "red" if not exit_zero else "yellow")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"


def _per_code(findings: list[Finding], shown: int = 8) -> str:
    """`BDL101 x2, BDL701`: every code with its count, the most frequent first, at most `shown`."""
    counts = Counter(f.code for f in findings).most_common()
    counts.sort(key=lambda item: (-item[1], item[0]))
    text = ", ".join(code + (f" x{n}" if n > 1 else "") for code, n in counts[:shown])
    return text + (f", +{len(counts) - shown} more codes" if len(counts) > shown else "")
