"""SARIF 2.1.0 as GitHub code scanning accepts it: rule metadata with help (rendered from the same
rule objects as `explain`), levels, stable partialFingerprints, relative URIs."""
from __future__ import annotations

import json
from pathlib import PurePosixPath
from urllib.parse import quote

from backdoor_lint import __version__
from backdoor_lint.catalogue import BLOCK, all_rules
from backdoor_lint.config import Config
from backdoor_lint.findings import Finding
from backdoor_lint.results import ScanResult
from backdoor_lint.rules_table import documented_rules

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/backdoor-lint/"
# GitHub maps security-severity to critical/high/medium/low.
_SECURITY_SEVERITY = {BLOCK: "8.5", "warn": "5.0"}


def _level(severity: str, config: Config) -> str:
    return "error" if config.fails(severity) else "warning"


def _uri(path: str) -> str:
    if PurePosixPath(path).is_absolute():
        return "file://" + quote(path)
    return quote(path)


def _result(finding: Finding, index: dict[str, int], config: Config, reason: str | None = None) -> dict:
    region = {
        "startLine": finding.line,
        "startColumn": finding.column,
        "endLine": finding.end_line,
        "endColumn": max(finding.end_column, finding.column),
    }
    if finding.snippet:
        region["snippet"] = {"text": finding.snippet}
    result = {
        "ruleId": finding.code,
        "ruleIndex": index[finding.code],
        "level": _level(finding.severity, config),
        "message": {"text": f"{finding.message}. Fix: {finding.fix}."},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(finding.path)}, "region": region}}],
        "partialFingerprints": {"backdoorLint/v1": finding.fingerprint},
        "properties": {"confidence": finding.confidence, "engine": finding.engine, "name": finding.name},
    }
    if reason is not None:
        result["suppressions"] = [{"kind": "inSource", "justification": reason}]
    return result


def render(result: ScanResult, config: Config, **_) -> str:
    rules = [rule for code, rule in all_rules().items() if config.enabled(code)]
    documented = documented_rules()
    index = {rule.code: i for i, rule in enumerate(rules)}
    descriptors = [
        {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": rule.what.replace("\n", " ")},
            "help": {"text": documented[rule.code].explanation(), "markdown": documented[rule.code].markdown()},
            "defaultConfiguration": {"level": _level(config.severity_of(rule.code, rule.severity), config)},
            "properties": {
                "tags": ["security", rule.category, *(f"external/cwe/{c.lower()}" for c in rule.cwe)],
                "precision": {"high": "high", "medium": "medium", "low": "low"}[rule.confidence],
                "security-severity": _SECURITY_SEVERITY[config.severity_of(rule.code, rule.severity)],
            },
        }
        for rule in rules
    ]
    results = [_result(f, index, config) for f in result.findings if f.code in index]
    results += [_result(f, index, config, s.reason) for f, s in result.suppressed if f.code in index]
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "backdoor-lint", "version": __version__, "semanticVersion": __version__,
                                    "informationUri": INFORMATION_URI, "rules": descriptors}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

