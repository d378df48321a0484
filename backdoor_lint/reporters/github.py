"""GitHub Actions workflow commands: one annotation per finding."""
from __future__ import annotations

from backdoor_lint.config import Config
from backdoor_lint.reporters.audit import audit_lines
from backdoor_lint.reporters.text import summary
from backdoor_lint.results import ScanResult


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: ScanResult, config: Config, exit_zero: bool = False, where: str = "", **_) -> str:
    lines = []
    for f in result.findings:
        level = "error" if config.fails(f.severity) else "warning"
        props = (f"file={_property(f.path)},line={f.line},col={f.column},endLine={f.end_line},"
                 f"title={_property(f'{f.code} {f.name}')}")
        lines.append(f"::{level} {props}::{_data(f.message + '  (backdoor-lint explain ' + f.code + ')')}")
    audit = audit_lines(result)
    if audit:  # one notice, escaped: suppression reasons are text from the scanned files
        lines.append(f"::notice title={_property('backdoor-lint suppressions and baseline')}::{_data(chr(10).join(audit))}")
    lines.append(summary(result, config, exit_zero=exit_zero, where=where))
    return "\n".join(lines) + "\n"
