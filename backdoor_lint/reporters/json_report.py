"""Machine-readable output; the shape is documented in the README."""
from __future__ import annotations

import json
from collections import Counter

from backdoor_lint import __version__
from backdoor_lint.config import Config
from backdoor_lint.reporters.audit import audit_json
from backdoor_lint.results import ScanResult

SCHEMA_VERSION = 1


def render(result: ScanResult, config: Config, **_) -> str:
    failing = [f for f in result.findings if config.fails(f.severity)]
    document = {
        "tool": "backdoor-lint",
        "version": __version__,
        "schema_version": SCHEMA_VERSION,
        "files_scanned": result.files_scanned,
        "blocked": bool(failing),
        "summary": {
            "blocking": len(failing),
            "warnings": len(result.findings) - len(failing),
            "by_code": dict(sorted(Counter(f.code for f in result.findings).items())),
            "suppressed_by_code": dict(sorted(Counter(f.code for f, _ in result.suppressed).items())),
        },
        **audit_json(result),
        "findings": [f.to_dict() for f in result.findings],
        "suppressed": [{**f.to_dict(), "suppression_reason": s.reason, "suppression_line": s.line}
                       for f, s in result.suppressed],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
