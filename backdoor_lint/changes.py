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
    _read: dict[tuple[str, str], bytes | None] = field(default_factory=dict, repr=False, compare=False)

    def old_bytes(self, change: FileChange) -> bytes | None:
        if change.old_path is None or change.is_new:
            return None
        return self.old_content(change.old_path)

    def new_bytes(self, change: FileChange) -> bytes | None:
        if change.status == "D":
            return None
        return self.new_content(change.path)

    def old_content(self, path: str) -> bytes | None:
        """Any repository path at the base revision (None: absent)."""
        key = ("old", path)
        if key not in self._read:
            self._read[key] = None if self.base == EMPTY_TREE else blob(self.top, f"{self.base}:{path}")
        return self._read[key]

    def new_content(self, path: str) -> bytes | None:
        """Any repository path as committed next: the index (--staged) or the working tree."""
        key = ("new", path)
        if key not in self._read:
            if self.staged:
                self._read[key] = blob(self.top, f":{path}")
            else:
                try:
                    self._read[key] = (self.top / path).read_bytes()
                except OSError:
                    self._read[key] = None
        return self._read[key]


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
                 baseline_paths: tuple[str, ...] = (), cache=None, progress=None, baseline=None):
    """Scan the changed files (index content for --staged), add guard tampering (BDL802/BDL803),
    then apply the policy with the changed-lines filter: only what the change introduced is
    reported. The result cache is used for working-tree files only: staged content is checked out
    under a fresh temporary root each run."""
    from backdoor_lint import policy
    from backdoor_lint.foreign_suppressions import foreign_suppression_findings
    from backdoor_lint.guard_config import guard_findings

    files = selected(changes, paths)
    if not changes.staged:
        raw = _scan_worktree(changes, files, config, jobs, cache, progress)
    else:
        raw = _scan_index(changes, files, config, jobs, progress)
    checked = {file.display: file for file in raw.files}
    tampering = foreign_suppression_findings(changes, files, config) if config.enabled("BDL802") else []
    # BDL803 ignores the configuration on purpose (policy.GUARD_CODES): the configuration is what the
    # change may have weakened (an added `ignore = ["BDL803"]` must not hide itself).
    tampering += guard_findings(changes, config, baseline_paths)
    unattached = list(raw.unattached)
    for finding in tampering:
        file = checked.get(finding.path)
        if file is None:
            unattached.append(finding)
        else:
            file.findings.append(finding)
    result = policy.apply(raw.files, config, raw.files_scanned, unattached=unattached,
                          changed=ChangedLines(changes, files), baseline=baseline, human_override=True)
    return dataclasses.replace(result, known_vendored=raw.known_vendored)


class ChangedLines:
    """The changed-lines filter: findings on added or changed lines, every finding of a new file,
    BDL8xx and BDL9xx findings of a changed file, BDL803 anywhere (policy.ChangedLines)."""

    def __init__(self, changes: ChangeSet, files: list[FileChange]) -> None:
        self.changes = changes
        self._by_path = {c.path: c for c in files}
        self._cwd = Path.cwd()
        self._old_sites: dict[str, dict[str, int]] = {}
        self._touched: set[str] | None = None

    def select(self, findings: list[Finding], among: list[Finding]) -> list[Finding]:
        new_sites: dict[tuple[str, str, str], int] = {}
        for f in among:
            key = (f.path, f.code, _site(f.snippet))
            new_sites[key] = new_sites.get(key, 0) + 1
        return [f for f in findings if self._wanted(f, new_sites)]

    def touches(self, root_relative_path: str, root: Path) -> bool:
        """Is this path (relative to the config root) one the change touches? Baseline entries of
        other files are not stale: those files were not scanned."""
        if self._touched is None:
            self._touched = set()
            for change in self.changes.files.values():
                for rel in (change.path, change.old_path):
                    if rel:
                        try:
                            self._touched.add((self.changes.top / rel).relative_to(root).as_posix())
                        except ValueError:
                            self._touched.add(rel)
        return root_relative_path in self._touched

    def _wanted(self, finding: Finding, new_sites) -> bool:
        if finding.code == "BDL803":
            return True
        rel = _relative(Path(os.path.normpath(self._cwd / finding.path)), self.changes.top)
        change = self._by_path.get(rel)
        if change is None:
            return False
        if change.is_new or finding.code.startswith(("BDL8", "BDL9")):
            return True
        return change.touches(finding.line, finding.end_line) and not self._moved(finding, change, new_sites)

    def _moved(self, finding: Finding, change: FileChange, new_sites) -> bool:
        """A site whose line already existed in the old file as often as now was moved, not added."""
        site = _site(finding.snippet)
        if not site:
            return False
        if change.path not in self._old_sites:
            counts: dict[str, int] = {}
            old = self.changes.old_bytes(change)
            for line in (old or b"").decode("utf-8", "replace").splitlines():
                key = _site(cap_snippet(line))  # cut as the finding's snippet was
                counts[key] = counts.get(key, 0) + 1
            self._old_sites[change.path] = counts
        before = self._old_sites[change.path].get(site, 0)
        return before > 0 and new_sites.get((finding.path, finding.code, site), 0) <= before


def _scan_worktree(changes: ChangeSet, files: list[FileChange], config: Config, jobs, cache, progress):
    from backdoor_lint.engine import RawScan, collect

    cwd = Path.cwd()
    targets = [_relative(changes.top / c.path, cwd) for c in files]
    if not targets:
        return RawScan([], [], 0)
    return collect(targets, config, jobs=jobs, cache=cache, progress=progress)


def _scan_index(changes: ChangeSet, files: list[FileChange], config: Config, jobs: int | None, progress=None):
    from backdoor_lint.engine import RawScan, collect
    from backdoor_lint.policy import CheckedFile

    if not files:
        return RawScan([], [], 0)
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
        raw = collect(targets, shadow, jobs=jobs, progress=progress)
        prefix = tmp.as_posix() + "/"
        cwd = Path.cwd()

        def mapped(path: str) -> str:
            return _relative(changes.top / path[len(prefix):], cwd) if path.startswith(prefix) else path

        for finding in [*raw.unattached, *(f for file in raw.files for f in file.findings)]:
            finding.path = mapped(finding.path)
        files_back = [CheckedFile(mapped(file.display), file.relpath, file.findings, file.suppressions)
                      for file in raw.files]
        known = tuple(dataclasses.replace(copy, path=mapped(copy.path)) for copy in raw.known_vendored)
        return RawScan(files_back, raw.unattached, raw.files_scanned, known)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
