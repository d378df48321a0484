"""The policy pipeline: the ONE place where the configuration and the inline suppressions decide
what is reported. Run once in the parent, for every engine (libcst, text, semgrep), for
`scan --diff`/`--staged` and for the agent hook:

  raw findings + parsed suppressions -> enable / per-file ignores -> suppressions (honouring
  `unsuppressible`) -> dedupe across engines -> severity -> changed-lines filter -> baseline ->
  fingerprints.

Codes about the guard's own configuration (BDL803) are exempt from the configuration, which is what
a change may have weakened: they cannot be disabled, lowered, suppressed or baselined. A failed
analysis (BDL901/BDL902) is never waived by an inline comment: the file was not checked."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from backdoor_lint.catalogue import BLOCK
from backdoor_lint.config import Config
from backdoor_lint.findings import Finding, assign_fingerprints
from backdoor_lint.results import ScanResult
from backdoor_lint.suppressions import Suppression, apply_suppressions

GUARD_CODES = frozenset({"BDL803"})
INTEGRITY_CODES = frozenset({"BDL901", "BDL902"})
ENGINE_PREFERENCE = {"libcst": 0, "text": 1, "semgrep": 2, "core": 3}


@dataclass(frozen=True)
class CheckedFile:
    """One file's raw findings from every engine, and its parsed inline suppressions."""
    display: str  # the path findings carry
    relpath: str  # relative to the config root, as per-file-ignores match it
    findings: list[Finding]
    suppressions: list[Suppression] = dataclasses.field(default_factory=list)


@dataclass(frozen=True)
class Baseline:
    """A loaded baseline: where it came from and its entries (baseline.Entry)."""
    file: str
    entries: list


class ChangedLines(Protocol):
    """The changed-lines filter of --diff/--staged (backdoor_lint.changes.ChangedLines)."""
    changes: object

    def select(self, findings: list[Finding], among: list[Finding]) -> list[Finding]: ...

    def touches(self, root_relative_path: str, root: Path) -> bool: ...


def apply(files: list[CheckedFile], config: Config, files_scanned: int, unattached: list[Finding] = (),
          changed: ChangedLines | None = None, baseline: Baseline | None = None,
          human_override: bool = False) -> ScanResult:
    """The reported outcome of raw per-file results. `unattached`: findings about no scanned file
    (discovery's), enabled by code only. `human_override`: honour the BDL803 override
    (backdoor_lint.guard_override), for commits made by a person."""
    findings: list[Finding] = [f for f in unattached if f.code in GUARD_CODES or config.enabled(f.code)]
    suppressed: list[tuple[Finding, Suppression]] = []
    for file in files:
        enabled = [f for f in file.findings if f.code in GUARD_CODES or config.enabled_for(file.relpath, f.code)]
        kept, hidden = apply_suppressions(enabled, file.suppressions, config.unsuppressible | INTEGRITY_CODES)
        findings += kept
        suppressed += hidden
    findings = dedupe_across_engines(findings)
    set_severity(findings + [f for f, _ in suppressed], config)
    if human_override:
        from backdoor_lint.guard_override import apply_override

        apply_override(findings)
    findings.sort(key=Finding.sort_key)
    before_filter = findings
    if changed is not None:
        findings = changed.select(findings, among=before_filter)
        kept_ids = {id(f) for f in changed.select([f for f, _ in suppressed], among=before_filter)}
        suppressed = [(f, s) for f, s in suppressed if id(f) in kept_ids]
    outcome = None
    if baseline is not None:
        findings, outcome = _apply_baseline(findings, before_filter, baseline, config, changed)
    # Suppressed findings get fingerprints too (SARIF lists them), from the same numbering.
    assign_fingerprints(findings + [f for f, _ in suppressed])
    return ScanResult(findings=findings, suppressed=suppressed, files_scanned=files_scanned, baseline=outcome,
                      changes=changed.changes if changed is not None else None)


def apply_one(display: str, relpath: str, findings: list[Finding], suppressions: list[Suppression],
              config: Config) -> ScanResult:
    """The pipeline for the content of one file (the agent hook, scan_bytes)."""
    return apply([CheckedFile(display, relpath, findings, suppressions)], config, files_scanned=1)


def dedupe_across_engines(findings: list[Finding]) -> list[Finding]:
    """One report per site and rule: when two engines (say the shell text checker and a semgrep
    shell rule) both report a code on the same line, keep the preferred engine's findings.
    Several findings of one engine on a line (two bidi characters) all stay."""
    best: dict[tuple[str, int, str], int] = {}
    for finding in findings:
        key = (finding.path, finding.line, finding.code)
        rank = ENGINE_PREFERENCE.get(finding.engine, 9)
        best[key] = min(rank, best.get(key, rank))
    return [f for f in findings if ENGINE_PREFERENCE.get(f.engine, 9) == best[(f.path, f.line, f.code)]]


def set_severity(findings: list[Finding], config: Config) -> None:
    """The configured severity of each finding; the guard's own codes always block."""
    for finding in findings:
        finding.severity = BLOCK if finding.code in GUARD_CODES else config.severity_of(finding.code,
                                                                                        finding.severity)


def _apply_baseline(findings: list[Finding], before_filter: list[Finding], baseline: Baseline, config: Config,
                    changed: ChangedLines | None):
    from backdoor_lint.baseline import apply_baseline

    root = config.root.resolve()
    kept, outcome = apply_baseline(findings, baseline.entries, root, baseline.file)
    if changed is not None:  # only the changed files were scanned: other entries are not stale
        relevant = [e for e in baseline.entries if changed.touches(e.path, root)]
        _, whole = apply_baseline(before_filter, relevant, root, baseline.file)
        outcome = dataclasses.replace(outcome, stale=whole.stale)
    return kept, outcome
