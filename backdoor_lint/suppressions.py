"""Inline suppressions: `# backdoor-lint: ignore[BDL101] reason` on the line or the line above.

A suppression must name codes or prefixes of codes (`ignore[BDL1]`, as everywhere else) and give
a reason. A blanket one (no codes, or `BDL`), one without a reason, or one naming unknown codes
suppresses nothing and is itself a blocking BDL801 finding.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from backdoor_lint.catalogue import all_rules
from backdoor_lint.findings import Finding

MARKER = b"backdoor-lint:"
# The marker must follow a comment leader of one of the languages we scan.
_SUPPRESSION = re.compile(
    r"(?:#|//|/\*|<!--|--|;)\s*backdoor-lint:\s*(?P<verb>[\w-]*)(?P<codes>\[[^\]\n]*\])?(?P<reason>[^\n]*)"
)
_REASON_CLOSERS = re.compile(r"(\*/|-->)\s*$")
# The fixed floor; the `unsuppressible` config key adds to it (Config.unsuppressible).
UNSUPPRESSIBLE = frozenset({"BDL801", "BDL803"})
PREFIX_RE = re.compile(r"^BDL\d{0,3}$")  # a code (BDL101) or a prefix of codes (BDL1, BDL10)


@dataclass(frozen=True)
class Suppression:
    line: int
    codes: frozenset[str]
    reason: str


def python_comment_columns(text: str) -> dict[int, int] | None:
    """line -> 0-based column where a real comment starts, or None if the text does not tokenize."""
    import io
    import tokenize

    comments: dict[int, int] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                comments[token.start[0]] = token.start[1]
    except (tokenize.TokenError, SyntaxError, ValueError, RecursionError):
        return None
    return comments


def parse_suppressions(text: str, display: str, unsuppressible: frozenset[str] = UNSUPPRESSIBLE,
                       python: bool | None = None) -> tuple[list[Suppression], list[Finding]]:
    """Valid suppressions in `text`, and BDL801 findings for the invalid ones. A suppression naming
    an `unsuppressible` code is invalid (BDL801) and hides nothing."""
    unsuppressible = UNSUPPRESSIBLE | unsuppressible
    valid: list[Suppression] = []
    invalid: list[Finding] = []
    known = all_rules()
    if python is None:
        python = display.endswith((".py", ".pyi", ".pyw"))
    # In Python only real comments count: a string that contains the marker suppresses nothing.
    comments = python_comment_columns(text) if python else None
    for number, line in enumerate(text.splitlines(), start=1):
        if "backdoor-lint:" not in line:
            continue
        for match in _SUPPRESSION.finditer(line):
            if comments is not None and (number not in comments or match.start() < comments[number]):
                continue
            column = match.start() + 1
            verb = match.group("verb")
            raw_codes = match.group("codes")
            reason = _REASON_CLOSERS.sub("", match.group("reason")).strip()
            problem = None
            codes: list[str] = []
            if verb != "ignore":
                problem = f"unknown directive 'backdoor-lint: {verb}' (only 'ignore[CODE] reason' exists)"
            elif raw_codes is None:
                problem = "blanket suppression without codes; name them, e.g. ignore[BDL101]"
            else:
                written = [c.strip().upper() for c in raw_codes[1:-1].split(",") if c.strip()]
                codes, problem = _expand(written, known, unsuppressible)
                if problem is None and not re.search(r"[A-Za-z]{2,}", reason):
                    problem = f"suppression of {', '.join(written)} gives no reason; say why after the brackets"
            if problem:
                invalid.append(
                    Finding(display, number, column, "BDL801", f"{problem}; this comment suppresses nothing",
                            engine="core", snippet=line.rstrip())
                )
            else:
                valid.append(Suppression(number, frozenset(codes), reason))
    return valid, invalid


def _expand(written: list[str], known, unsuppressible: frozenset[str]) -> tuple[list[str], str | None]:
    """The codes a suppression's list names, codes and prefixes alike (`BDL1` is every BDL1xx, as in
    --select, --ignore and the config), and the problem that makes it invalid, if any. A prefix
    never reaches an unsuppressible code (those stay blocking); naming one exactly is an error."""
    if not written:
        return [], "empty code list in ignore[]"
    unknown = [c for c in written if not PREFIX_RE.match(c) or not any(code.startswith(c) for code in known)]
    if unknown:
        return [], f"suppression names unknown code(s) or prefix(es) {', '.join(unknown)}"
    if "BDL" in written:
        return [], "ignore[BDL] names every rule, a blanket suppression; name the codes, e.g. ignore[BDL101]"
    exact = sorted(set(written) & unsuppressible)
    if exact:
        return [], f"{', '.join(exact)} cannot be suppressed (unsuppressible by policy)"
    codes = sorted({code for c in written for code in known if code.startswith(c)} - unsuppressible)
    if not codes:
        return [], f"{', '.join(written)} covers only unsuppressible codes; they cannot be suppressed"
    return codes, None


def apply_suppressions(
    findings: list[Finding], suppressions: list[Suppression], unsuppressible: frozenset[str] = UNSUPPRESSIBLE
) -> tuple[list[Finding], list[tuple[Finding, Suppression]]]:
    """Split findings into (kept, suppressed). A suppression covers its own line and the next."""
    unsuppressible = UNSUPPRESSIBLE | unsuppressible
    if not suppressions:
        return findings, []
    by_line: dict[int, list[Suppression]] = {}
    for s in suppressions:
        by_line.setdefault(s.line, []).append(s)
        by_line.setdefault(s.line + 1, []).append(s)
    kept, suppressed = [], []
    for finding in findings:
        match = next((s for s in by_line.get(finding.line, ()) if finding.code in s.codes), None)
        if match is None or finding.code in unsuppressible:
            kept.append(finding)
        else:
            suppressed.append((finding, match))
    return kept, suppressed
