"""What a scan produces, before and after the policy pipeline (backdoor_lint.policy).

FileResult is one file's raw output: what the checks found and the file's parsed inline
suppressions; it is what workers send back and what the result cache stores. ScanResult is the
reported outcome, built once by the policy pipeline with every field set at construction."""
from __future__ import annotations

from dataclasses import dataclass, field

from backdoor_lint.findings import Finding
from backdoor_lint.suppressions import Suppression


@dataclass
class FileResult:
    findings: list[Finding] = field(default_factory=list)  # raw: no policy applied yet
    suppressions: list[Suppression] = field(default_factory=list)  # the file's valid inline suppressions
    language: str = ""
    content_hash: str = ""  # SHA-256 of the bytes analysed, when the result cache asked for it
    # other files of the tree the analysis read (imported modules): path -> stat signature when read
    dependencies: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ScanResult:
    findings: list[Finding]
    suppressed: list[tuple[Finding, Suppression]]
    files_scanned: int
    baseline: object = None  # baseline.BaselineOutcome when a baseline was applied
    changes: object = None  # changes.ChangeSet in changed-lines mode (--diff, --staged)
    known_vendored: tuple = ()  # vendored.KnownCopy: unmodified published library files, not analysed

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]
