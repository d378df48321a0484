"""Which files a scan looks at: git-aware (honours .gitignore), config excludes, no symlinks
followed out of the tree, oversized files reported rather than silently dropped."""
from __future__ import annotations

import errno
import os
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

from backdoor_lint.config import Config
from backdoor_lint.files import special_kind
from backdoor_lint.findings import Finding

# Only used outside git repositories, where no .gitignore tells us what is vendored or generated.
NON_GIT_SKIP_DIRS = {".git", ".hg", ".svn", "__pycache__", "node_modules", ".venv", "venv", ".tox", ".nox",
                     ".mypy_cache", ".pytest_cache", ".ruff_cache"}


@dataclass(frozen=True)
class Target:
    path: str  # absolute (a str: thousands of Path objects cost more than the rest of a warm scan)
    display: str  # posix path as reported (relative to cwd when possible)
    relpath: str  # posix path relative to the config root, for excludes and per-file ignores


class DiscoveryError(Exception):
    """A path argument that does not exist or cannot be listed."""


def discover(paths: list[str], config: Config) -> tuple[list[Target], list[Finding]]:
    """Files to scan, and BDL903 findings for files deliberately not scanned."""
    cwd = Path.cwd()
    targets: dict[Path, Target] = {}
    skipped: list[Finding] = []
    for raw in paths:
        path = Path(raw)
        if not os.path.lexists(path):
            raise DiscoveryError(f"{printable_path(raw)}: no such file or directory")
        if path.is_dir() and not path.is_symlink():
            root = path.resolve()
            candidates = _git_files(root)
            if candidates is None:
                candidates = _walk(root)
        else:
            root = path.absolute().parent.resolve()
            candidates = [str(root / path.name)]
        for candidate in candidates:
            target = _target(candidate, cwd, config)
            if target is None or target.path in targets:
                continue
            problem = _unscannable(candidate, root, config)
            if problem == "skip":
                continue
            if problem:
                skipped.append(_skip_finding(target, problem))
                continue
            targets[target.path] = target
    return sorted(targets.values(), key=lambda t: t.display), skipped


def _skip_finding(target: Target, problem: str) -> Finding:
    """BDL903 for a file not analysed. It blocks when the file is source code (by name or
    shebang): an oversized or unreadable .py must not land unexamined (issue 9)."""
    from backdoor_lint.catalogue import BLOCK, WARN
    from backdoor_lint.languages import SOURCE_LANGUAGES, language_for

    if "symlink" in problem:  # the link's content is not in the tree; nothing of ours to read
        return Finding(target.display, 1, 1, "BDL903", problem, severity=WARN, engine="core")
    if problem.startswith(SPECIAL_FILE):  # what it yields is decided when it is read: never clean
        return Finding(target.display, 1, 1, "BDL903", problem, severity=BLOCK, engine="core")
    head = b""
    if problem.startswith("file is "):  # a regular file (never open a FIFO or device: it could block)
        try:
            with open(target.path, "rb") as handle:
                head = handle.read(8192)
        except OSError:
            pass
    source = language_for(target.relpath, head) in SOURCE_LANGUAGES
    remedy = "raise max-file-size" if problem.startswith("file is ") else "make it readable"
    message = problem + (f"; a source file the guard cannot analyse is not clean (exclude it explicitly or {remedy})"
                         if source else "")
    return Finding(target.display, 1, 1, "BDL903", message, severity=BLOCK if source else WARN, engine="core")


def _target(path: str, cwd: Path, config: Config) -> Target | None:
    relpath = _relative(path, config.root)
    if config.is_excluded(relpath):
        return None
    return Target(path=path, display=printable_path(_relative(path, cwd)), relpath=relpath)


def printable_path(text: str) -> str:
    """A file name as reported: undecodable bytes, newlines and other invisible or control
    characters escaped, so a crafted name can neither break the report's `path:line:col` lines
    nor crash the output encoder (issue 9)."""
    if text.isprintable():
        return text
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def _relative(path: str, base: Path) -> str:
    # A string prefix test instead of Path.relative_to: on a tree of thousands of files discovery
    # is otherwise dominated by pathlib overhead (issue 8). Both paths are absolute and normalised.
    text, prefix = path, str(base)
    if text == prefix:
        return "."
    if not prefix.endswith(os.sep):
        prefix += os.sep
    if text.startswith(prefix):
        text = text[len(prefix):]
    return text.replace(os.sep, "/") if os.sep != "/" else text


def _unscannable(path: str, root: Path, config: Config) -> str | None:
    """None if the file should be scanned; 'skip' to drop it quietly; otherwise the reason for BDL903."""
    try:
        st = os.lstat(path)  # one system call decides the common case, a regular file (issue 8)
    except FileNotFoundError:
        return "skip"
    except (OSError, ValueError) as exc:
        return f"cannot stat file: {getattr(exc, 'strerror', None) or exc}"
    if stat.S_ISREG(st.st_mode):
        size = st.st_size
    else:
        return _unusual(Path(path), root)
    if size > config.max_file_size:
        return f"file is {size} bytes, over max-file-size {config.max_file_size}; not analysed"
    return None


def _unusual(path: Path, root: Path) -> str | None:
    """_unscannable for anything but a regular file: symlinks, directories, devices."""
    try:
        if path.is_symlink():
            try:
                os.stat(path)
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    return "symlink loop; not followed"
                return "skip"  # dangling: nothing to read
            resolved = Path(os.path.realpath(path))  # never raises on loops, unlike Path.resolve on 3.11
            if not resolved.is_relative_to(root):
                return f"symlink to {printable_path(str(resolved))} points outside the scanned tree; not followed"
            return "skip"  # the target inside the tree is scanned under its own name
        if path.is_dir():
            return "skip"  # e.g. a git submodule
        if not path.is_file():
            kind = special_kind(os.stat(path).st_mode) if path.exists() else None
            return _special(kind) if kind else "skip"
    except (OSError, RuntimeError, ValueError) as exc:
        return f"cannot stat file: {getattr(exc, 'strerror', None) or exc}"
    return "skip"  # became a regular file between the two looks: the next scan sees it


SPECIAL_FILE = "special file: "


def _special(kind: str) -> str:
    return (f"{SPECIAL_FILE}{kind}, not a source file; not read (what it yields is decided only when it is read), "
            "so the tree cannot be judged clean: remove it, or exclude its path in the config")


def _git_files(root: Path) -> list[str] | None:
    """Tracked and untracked-but-not-ignored files under root, or None outside a git work tree."""
    try:
        top = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--show-toplevel"],
            capture_output=True, timeout=30, check=False,
        )
        if top.returncode != 0:
            return None
        listing = subprocess.run(
            ["git", "-C", str(root), "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "."],
            capture_output=True, timeout=120, check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    base = str(root)
    return [os.path.join(base, os.fsdecode(name)) for name in listing.stdout.split(b"\0") if name]


def _walk(root: Path) -> list[str]:
    """Files under root (outside git), without NON_GIT_SKIP_DIRS. Symlinked directories are listed
    (discover reports those leaving the tree), never descended into. os.scandir's entry types
    save a system call per file and directory over os.walk + islink (issue 8)."""
    files: list[str] = []
    pending = [str(root)]
    while pending:
        try:
            with os.scandir(pending.pop()) as listing:
                entries = list(listing)
        except OSError:
            continue  # unlistable directory: skipped, as os.walk does
        for entry in entries:
            try:
                is_dir = entry.is_dir()  # follows symlinks, like os.walk's dirnames
            except OSError:  # a symlink loop: a candidate that discover reports
                is_dir = False
            if is_dir:
                if entry.name in NON_GIT_SKIP_DIRS:
                    continue
                if entry.is_symlink():
                    files.append(entry.path)
                else:
                    pending.append(entry.path)
            else:
                files.append(entry.path)
    return files
