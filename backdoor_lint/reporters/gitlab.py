"""GitLab code-quality report (the `codequality` artifact): a JSON array of issues with
description, check_name, fingerprint, severity and location.path/lines.begin."""
from __future__ import annotations

import json

from backdoor_lint.config import Config
from backdoor_lint.results import ScanResult


def render(result: ScanResult, config: Config, **_) -> str:
    issues = []
    for f in result.findings:
        issues.append({
            "type": "issue",
            "check_name": f"{f.code} {f.name}",
            "description": f"{f.code} {f.name}: {f.message}",
            "categories": ["Security"],
            "severity": "blocker" if config.fails(f.severity) else "minor",
            # unique per issue: the finding fingerprint (site + occurrence), not per line
            "fingerprint": f.fingerprint,
            "location": {"path": f.path, "lines": {"begin": f.line, "end": f.end_line}},
        })
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
