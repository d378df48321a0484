"""BDL802: security suppressions of other tools (`# nosec`, `// nosemgrep`, `# noqa: S...`,
`eslint-disable`, ...) that a change adds. Only the lines the change adds count, and a comment
the base version already had as often is moved, not added."""
from __future__ import annotations

import re
from pathlib import Path

from backdoor_lint.findings import Finding
from backdoor_lint.guard_documents import config_relative, decode_text, display_of
from backdoor_lint.suppressions import python_comment_columns

_COMMENT = r"(?:#|//|/\*|<!--|--|;|\*)"
_FOREIGN = [
    ("bandit/gosec", re.compile(_COMMENT + r"[ \t]*(?:#[ \t]*)?nosec\b", re.IGNORECASE)),
    ("semgrep", re.compile(_COMMENT + r"[ \t]*nosem(?:grep)?\b", re.IGNORECASE)),
    ("gitleaks", re.compile(r"gitleaks\s*:\s*allow\b", re.IGNORECASE)),
    ("detect-secrets", re.compile(r"pragma\s*:\s*allowlist[ -]secret\b", re.IGNORECASE)),
    ("sonar", re.compile(_COMMENT + r"[ \t]*NOSONAR\b")),
]
_NOQA = re.compile(r"#\s*(?:ruff\s*:\s*|flake8\s*:\s*)?noqa\s*:\s*(?P<codes>[A-Za-z0-9, ]+)", re.IGNORECASE)
_SECURITY_NOQA = re.compile(r"^(S\d*|DUO\d+|SCS\d+)$", re.IGNORECASE)
_PYLINT = re.compile(r"#\s*pylint\s*:\s*disable\s*=\s*(?P<codes>[\w, -]+)", re.IGNORECASE)
_PYLINT_SECURITY = {"eval-used", "exec-used", "w0123", "w0122"}
_ESLINT = re.compile(r"(?://|/\*)\s*eslint-disable(?:-next-line|-line)?(?=[\s*]|$)(?P<rules>[^\n]*)")
_ESLINT_SECURITY = re.compile(
    r"^(security|security-node|no-unsanitized|@microsoft/sdl|xss|scanjs-rules|anti-trojan-source|"
    r"@typescript-eslint/no-implied-eval)(/|$)|^(no-eval|no-implied-eval|no-new-func|no-script-url|"
    r"react/no-danger|react/no-danger-with-children|detect-[\w-]+)$")
FOREIGN_TRIGGER = re.compile(rb"nosec|nosem|noqa|NOSONAR|gitleaks|allowlist|pylint|eslint-disable", re.IGNORECASE)


def find_foreign(text: str, python: bool = False) -> list[tuple[int, int, str, str]]:
    """Security suppressions of other tools: (line, column, tool, the comment) for every line. In
    Python source (`python`), only real comments count, not text inside string literals."""
    found = _find_foreign(text)
    if python and found:
        comments = python_comment_columns(text)
        if comments is not None:
            found = [f for f in found if f[0] in comments and f[1] - 1 >= comments[f[0]]]
    return found


def _find_foreign(text: str) -> list[tuple[int, int, str, str]]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not FOREIGN_TRIGGER.search(line.encode("utf-8", "surrogatepass")):
            continue
        for tool, pattern in _FOREIGN:
            match = pattern.search(line)
            if match:
                found.append((number, match.start() + 1, tool, line[match.start():].strip()[:120]))
        for match in _NOQA.finditer(line):
            codes = [c for c in re.split(r"[,\s]+", match.group("codes")) if c]
            security = [c for c in codes if _SECURITY_NOQA.match(c)]
            if security:
                found.append((number, match.start() + 1, "ruff/flake8-bandit " + ",".join(security), match.group(0)))
        match = _PYLINT.search(line)
        if match and {c.strip().lower() for c in match.group("codes").split(",")} & _PYLINT_SECURITY:
            found.append((number, match.start() + 1, "pylint", match.group(0).strip()))
        match = _ESLINT.search(line)
        if match:
            rules_text = match.group("rules").split("--")[0].replace("*/", "").strip()
            rules = [r.strip() for r in rules_text.split(",") if r.strip()]
            security = [r for r in rules if _ESLINT_SECURITY.search(r)]
            if not rules:
                found.append((number, match.start() + 1, "eslint (every rule, including security rules)",
                              match.group(0).strip()[:120]))
            elif security:
                found.append((number, match.start() + 1, "eslint " + ",".join(security), match.group(0).strip()[:120]))
    return found


def foreign_suppression_findings(changes, files, config) -> list[Finding]:
    """BDL802 for foreign security suppressions on added lines that the base version did not have
    as often (editing or moving a line that already carried one is not "adding"). Raw findings:
    enabling, per-file ignores and inline suppressions are the policy pipeline's (backdoor_lint.policy)."""
    findings: list[Finding] = []
    cwd = Path.cwd()
    for change in files:
        new = changes.new_bytes(change)
        if new is None or not FOREIGN_TRIGGER.search(new) or b"\0" in new[:8192]:
            continue
        text = decode_text(new)
        display = display_of(changes, change.path, cwd)
        if config.is_excluded(config_relative(changes, change.path, config)):
            continue
        old_counts: dict[str, int] = {}
        old = decode_text(changes.old_bytes(change))
        python = change.path.endswith((".py", ".pyi"))
        if old:
            for _, _, _tool, comment in find_foreign(old, python):
                old_counts[comment] = old_counts.get(comment, 0) + 1
        lines = text.splitlines()
        for number, column, tool, comment in find_foreign(text, python):
            if not (change.is_new or number in change.added):
                continue
            if old_counts.get(comment, 0) > 0:
                old_counts[comment] -= 1
                continue
            findings.append(Finding(
                display, number, column, "BDL802",
                f"{tool} suppression `{comment}` added: it silences that tool's security check on this line, "
                "where a backdoor would be reported; fix the finding or state the exact rule and a reason",
                engine="core", snippet=lines[number - 1] if number <= len(lines) else ""))
    return findings

