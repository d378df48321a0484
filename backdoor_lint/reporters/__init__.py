"""Output formats. Each reporter turns a ScanResult into text for a stream."""
from __future__ import annotations

from backdoor_lint.reporters import github, gitlab, json_report, sarif, text

FORMATS = {
    "text": text.render,
    "json": json_report.render,
    "sarif": sarif.render,
    "github": github.render,
    "gitlab": gitlab.render,
}
