"""Changed-lines mode: `--diff REV` (working tree against REV) and `--staged` (index against HEAD).

Only findings on added or changed lines are reported, plus every finding in new files, every
BDL8xx finding (guard tampering is about the change as a whole) and every BDL9xx finding of a
changed file (a changed file that cannot be analysed is not clean). Renames are followed: a file
moved without edits adds no lines. `--staged` scans the content of the index (what will be
committed), not the working tree: the staged blobs are written to a private temporary directory
and scanned there with the normal engine, then the paths are mapped back.
"""
from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from backdoor_lint.config import Config
from backdoor_lint.findings import Finding, cap_snippet

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_GIT_TIMEOUT = 300


class ChangeError(Exception):
    """Not a git repository, unknown revision, git failed: a usage error (exit 2)."""


@dataclass
class FileChange:
    path: str  # repository-relative (posix) path on the new side; the old path for deletions
    status: str  # A added, M modified, R renamed, C copied, D deleted, T type change, U unmerged, ? untracked
    old_path: str | None = None  # repository-relative path on the old side (None when added)
    added: set[int] = field(default_factory=set)  # new-side line numbers added or changed

    @property
    def is_new(self) -> bool:
        return self.status in ("A", "C", "?")

    def touches(self, start: int, end: int) -> bool:
        return any(line in self.added for line in range(start, max(start, end) + 1))


@dataclass
class ChangeSet:
    top: Path  # repository top level
    base: str  # the revision compared against (a commit id, or the empty tree)
    label: str  # as the user wrote it: REV, or "the index" for --staged
    staged: bool
    files: dict[str, FileChange] = field(default_factory=dict)
    scanned_findings: list = field(default_factory=list)  # every finding of the changed files

    def old_bytes(self, change: FileChange) -> bytes | None:
        if change.old_path is None or change.is_new:
            return None
        return blob(self.top, f"{self.base}:{change.old_path}")

    def new_bytes(self, change: FileChange) -> bytes | None:
        if change.status == "D":
            return None
        if self.staged:
            return blob(self.top, f":{change.path}")
        try:
            return (self.top / change.path).read_bytes()
        except OSError:
            return None


def git(top: Path | str, *args: str, check: bool = True, input: bytes | None = None) -> bytes:
    try:
        proc = subprocess.run(["git", "-c", "core.quotePath=false", *args], cwd=top, capture_output=True,
                              input=input, timeout=_GIT_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        raise ChangeError(f"cannot run git: {exc}") from None
    if check and proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ChangeError(f"git {args[0]} failed: {message[-1] if message else proc.returncode}")
    return proc.stdout


def blob(top: Path, spec: str) -> bytes | None:
    proc = subprocess.run(["git", "cat-file", "blob", spec], cwd=top, capture_output=True, timeout=_GIT_TIMEOUT,
                          check=False)
    return proc.stdout if proc.returncode == 0 else None


def repository_top(start: Path) -> Path:
    try:
        out = git(start, "rev-parse", "--show-toplevel")
    except ChangeError:
        raise ChangeError(f"{start}: --diff and --staged need a git work tree") from None
    return Path(os.fsdecode(out.strip())).resolve()


def collect(rev: str | None, staged: bool, start: Path | None = None) -> ChangeSet:
    """What changed: the index against HEAD (`staged`), or the working tree against `rev`."""
    top = repository_top(start or Path.cwd())
    if staged:
        head = git(top, "rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False).strip()
        base = head.decode() if head else EMPTY_TREE
        label = "HEAD (staged content)"
    else:
        if not rev or rev.startswith("-") or "\0" in rev:
            raise ChangeError(f"--diff: invalid revision {rev!r}")
        resolved = git(top, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False).strip()
        if not resolved:
            raise ChangeError(f"--diff: unknown revision {rev!r} (in CI, fetch enough history, e.g. fetch-depth: 0)")
        # Compare with the merge base, as a pull request does: changes made on REV's side since the
        # branch point are not this change's lines.
        merge_base = git(top, "merge-base", resolved.decode(), "HEAD", check=False).strip()
        base = merge_base.decode() if merge_base else resolved.decode()
        label = rev if not merge_base or merge_base == resolved else f"{rev} (merge base {base[:12]})"
    changes = ChangeSet(top=top, base=base, label=label, staged=staged)
    common = ["--no-ext-diff", "--no-textconv", "--ignore-submodules", "--no-relative", "-M", "--no-color"]
    target = ["--cached", base] if staged else [base]
    _parse_name_status(git(top, "diff", "-z", "--name-status", *common, *target, "--"), changes)
    _parse_patch(git(top, "diff", "-U0", "--src-prefix=a/", "--dst-prefix=b/", *common, *target, "--"), changes)
    if not staged:
        for name in git(top, "ls-files", "-z", "--others", "--exclude-standard").split(b"\0"):
            if name:
                path = os.fsdecode(name)
                changes.files.setdefault(path, FileChange(path, "?"))
    return changes


def _parse_name_status(out: bytes, changes: ChangeSet) -> None:
    parts = out.split(b"\0")
    i = 0
    while i < len(parts) and parts[i]:
        status = parts[i].decode("ascii", "replace")
        kind = status[:1]
        if kind in ("R", "C"):
            old, new = os.fsdecode(parts[i + 1]), os.fsdecode(parts[i + 2])
            changes.files[new] = FileChange(new, kind, old_path=old)
            i += 3
        else:
            path = os.fsdecode(parts[i + 1])
            changes.files[path] = FileChange(path, kind, old_path=None if kind == "A" else path)
            i += 2


def _unquote(raw: str) -> str:
    """A path from a diff header: git C-quotes names with special characters."""
    if not (raw.startswith('"') and raw.endswith('"')):
        return raw
    body = raw[1:-1]
    out = bytearray()
    escapes = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt in escapes:
                out.append(escapes[nxt])
                i += 2
                continue
            if re.match(r"[0-7]{3}", body[i + 1:i + 4]):
                out.append(int(body[i + 1:i + 4], 8))
                i += 4
                continue
        out += c.encode("utf-8", "surrogateescape")
        i += 1
    return os.fsdecode(bytes(out))


def _parse_patch(out: bytes, changes: ChangeSet) -> None:
    lines = out.decode("utf-8", "surrogateescape").split("\n")
    current: FileChange | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if line.startswith("diff --git "):
            current = None
        elif line.startswith("+++ "):
            name = line[4:]
            if name.endswith("\t"):  # git appends a TAB to names that contain a space
                name = name[:-1]
            if name != "/dev/null":
                path = _unquote(name)
                path = path[2:] if path.startswith("b/") else path
                current = changes.files.get(path)
        elif line.startswith("@@ "):
            match = _HUNK.match(line)
            if not match:
                continue
            old_count = int(match.group(2) or "1") if match.group(2) != "0" else 0
            start, count = int(match.group(3)), int(match.group(4) or "1")
            if match.group(4) == "0":
                count = 0
            if current is not None:
                current.added.update(range(start, start + count))
            # Skip the hunk body by its counts: a body line may itself start with "+++ " or "@@ ".
            remaining_old, remaining_new = old_count, count
            while i < len(lines) and (remaining_old > 0 or remaining_new > 0):
                body = lines[i]
                if body.startswith("-"):
                    remaining_old -= 1
                elif body.startswith("+"):
                    remaining_new -= 1
                elif body.startswith(" "):
                    remaining_old -= 1
                    remaining_new -= 1
                elif not body.startswith("\\"):
                    break
                i += 1


def _site(text: str) -> str:
    lines = text.strip().splitlines()
    return " ".join(lines[0].split()) if lines else ""


def _relative(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


def selected(changes: ChangeSet, paths: list[str]) -> list[FileChange]:
    """Changed files (not deleted) under the PATH arguments."""
    roots = [Path(os.path.normpath(Path.cwd() / p)) for p in paths]
    chosen = []
    for change in changes.files.values():
        if change.status == "D":
            continue
        full = changes.top / change.path
        if any(full == r or r in full.parents for r in roots):
            chosen.append(change)
    return sorted(chosen, key=lambda c: c.path)


def scan_changes(changes: ChangeSet, paths: list[str], config: Config, jobs: int | None = None,
                 baseline_paths: tuple[str, ...] = (), cache=None, progress=None):
    """Scan the changed files (index content for --staged), then keep only what the change
    introduced. Returns an engine ScanResult with `.changes` set. The result cache is used for
    working-tree files only: staged content is checked out under a fresh temporary root each run."""
    from backdoor_lint.engine import finish, scan

    files = selected(changes, paths)
    cwd = Path.cwd()
    if not changes.staged:
        targets = [_relative(changes.top / c.path, cwd) for c in files]
        result = scan(targets, config, jobs=jobs, cache=cache, progress=progress) if targets \
            else finish([], [], 0, config)
        findings, suppressed, count = result.findings, result.suppressed, result.files_scanned
    else:
        findings, suppressed, count = _scan_index(changes, files, config, jobs, progress)
    by_path = {c.path: c for c in files}
    old_sites: dict[str, dict[str, int]] = {}
    new_sites: dict[tuple[str, str, str], int] = {}

    def moved(finding: Finding, change: FileChange) -> bool:
        """A site whose line already existed in the old file as often as now was moved, not added."""
        site = _site(finding.snippet)
        if not site:
            return False
        if change.path not in old_sites:
            counts: dict[str, int] = {}
            old = changes.old_bytes(change)
            for line in (old or b"").decode("utf-8", "replace").splitlines():
                key = _site(cap_snippet(line))  # cut as the finding's snippet was
                counts[key] = counts.get(key, 0) + 1
            old_sites[change.path] = counts
        if old_sites[change.path].get(site, 0) == 0:
            return False
        if not new_sites:
            for f in findings:
                key = (f.path, f.code, _site(f.snippet))
                new_sites[key] = new_sites.get(key, 0) + 1
        return new_sites.get((finding.path, finding.code, site), 0) <= old_sites[change.path][site]

    def wanted(finding: Finding) -> bool:
        rel = _relative(Path(os.path.normpath(cwd / finding.path)), changes.top)
        change = by_path.get(rel)
        if change is None:
            return False
        if change.is_new or finding.code.startswith(("BDL8", "BDL9")):
            return True
        return change.touches(finding.line, finding.end_line) and not moved(finding, change)

    changes.scanned_findings = list(findings)  # before the line filter: for baseline staleness
    findings = [f for f in findings if wanted(f)]
    suppressed = [(f, s) for f, s in suppressed if wanted(f)]
    from backdoor_lint import tamper

    if config.enabled("BDL802"):
        findings += tamper.foreign_suppression_findings(changes, files, config)
    # BDL803 ignores the configuration on purpose: the configuration is what the change may have
    # weakened (an added `ignore = ["BDL803"]` or `severity = {BDL803 = "warn"}` must not hide itself).
    findings += tamper.guard_findings(changes, config, baseline_paths)
    result = finish(findings, suppressed, count, config)
    for finding in result.findings:
        if finding.code == "BDL803":
            finding.severity = "block"
    tamper.apply_override(result.findings)
    result.changes = changes
    return result


def _scan_index(changes: ChangeSet, files: list[FileChange], config: Config, jobs: int | None, progress=None):
    from backdoor_lint.engine import scan

    if not files:
        return [], [], 0
    tmp = Path(tempfile.mkdtemp(prefix="backdoor-lint-index-")).resolve()
    try:
        names = b"\0".join(os.fsencode(c.path) for c in files) + b"\0"
        git(changes.top, "checkout-index", "-z", "--stdin", f"--prefix={tmp}/", input=names)
        try:
            config_root = config.root.resolve().relative_to(changes.top)
            shadow = dataclasses.replace(config, root=tmp / config_root)
        except ValueError:  # the config lives above the repository
            shadow = config
        targets = [str(tmp / c.path) for c in files if os.path.lexists(tmp / c.path)]
        result = scan(targets, shadow, jobs=jobs, progress=progress)
        prefix = tmp.as_posix() + "/"
        cwd = Path.cwd()
        for finding in [*result.findings, *(f for f, _ in result.suppressed)]:
            if finding.path.startswith(prefix):
                finding.path = _relative(changes.top / finding.path[len(prefix):], cwd)
        return result.findings, result.suppressed, result.files_scanned
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
