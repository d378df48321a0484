"""Per-file result cache (issue 8): a re-scan of unchanged files costs a stat, not a parse.

An entry is keyed by the file's content hash + the rule-set version (a hash of every installed
source that can change a result: engine, checkers, catalogue, semgrep rules, libcst and Python
versions) + the effective configuration + the file's display and config-relative paths. An entry
also lists the other files of the tree its analysis read (the modules it imports, whose constants
the rules follow: checkers/module_files.py) with their stat signatures then; if one of them has
changed, the entry is not used. All
entries of one project root live in one "pack" file per (root, rule set, config), so a warm scan
of thousands of files opens one file instead of thousands:

    <cache-dir>/v1/packs/<root>-<ruleset><config>.pack

A pack is the SHA-256 of its body, a newline, and the body: plain dicts, lists, strings and ints
serialised with `marshal` (several times faster to load than JSON; marshal never executes
anything, and the rule-set version includes the Python version, whose marshal format it is). A
pack whose checksum, encoding or schema is wrong is ignored as a whole; an entry that does not
decode into valid findings is recomputed: a corrupt cache never turns into "clean". Packs are
written through `files.write_atomically` (temporary file + rename), so concurrent runs never see
a half-written pack (the last writer wins; the loser's new entries are merely recomputed later).

Lookups happen in the scanning parent before files are dispatched to workers. A file's content
hash is reused without reading the file only when its whole stat signature (size, mtime, ctime,
inode, device) is unchanged; ctime cannot be set from user space, so a file edited and then
`touch`-ed back to its old mtime is still re-read and re-hashed. A file with no entry at all is not
read by the parent: the worker that analyses it reports the hash of the bytes it analysed.

Results with a BDL902 finding (an analysis step crashed, hung or timed out) are never stored.
The per-file semgrep findings are stored in the same entry, keyed additionally by the semgrep
executable, and only for files semgrep analysed without an error (its content-determined
"skipped" answer for minified files excepted).

The cache is an optimisation, not a trust boundary: whoever can write the cache directory can
write a pack that validates. `--no-cache` (and the agent hook, which never uses it) avoid it.
"""
from __future__ import annotations

import hashlib
import hmac
import importlib.util
import json
import marshal
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from backdoor_lint import __version__

FORMAT = 3  # 2: raw findings and parsed suppressions (the policy runs after the cache); 3: "deps"
NEVER_CACHED = frozenset({"BDL902"})
_SOURCE_SUFFIXES = (".py", ".yaml", ".yml", ".json", ".txt", ".toml")
_FINDING_FIELDS = ("line", "column", "code", "message", "end_line", "end_column", "severity", "confidence",
                   "engine", "snippet", "extra")


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "backdoor-lint"


def _package_dirs() -> list[Path]:
    """Directories of the installed backdoor_lint packages (mapped folders included), found
    without importing them (importing the Python checkers would import libcst)."""
    dirs = []
    for name in ("backdoor_lint", "backdoor_lint.checkers", "backdoor_lint.semgrep_rules", "backdoor_lint.hooks"):
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        for location in (spec.submodule_search_locations or []) if spec else []:
            dirs.append(Path(location))
    return dirs


_RULESET: str | None = None


def ruleset_version() -> str:
    """Hash of everything installed that can change a scan's result: the package's sources and
    data by path and stat signature (an edit or reinstall changes size, mtime or inode), the
    Python and libcst versions."""
    global _RULESET
    if _RULESET is None:
        digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0{sys.version}\0".encode())
        seen: set[str] = set()
        for directory in _package_dirs():
            parent = len(str(directory.parent).rstrip(os.sep)) + 1
            for root, dirnames, filenames in os.walk(directory):
                dirnames[:] = sorted(d for d in dirnames if d != "__pycache__" and not d.startswith("."))
                in_data = "data" in root.split(os.sep)
                for name in sorted(filenames):
                    path = os.path.join(root, name)  # (strings: pathlib cost most of this loop)
                    if (not name.endswith(_SOURCE_SUFFIXES) and not in_data and name != "data") or path in seen:
                        continue
                    seen.add(path)
                    try:  # stat signature, not content: reading ~100 files cost a third of a warm scan
                        info = os.stat(path)
                        signature = f"{info.st_size}:{info.st_mtime_ns}:{info.st_ino}"
                    except OSError:
                        signature = "unreadable"
                    digest.update(f"{path[parent:]}\0{signature}\0".encode())
        for dependency in ("libcst",):  # its parser decides what the checkers see
            try:
                spec = importlib.util.find_spec(dependency)
                version_file = Path(spec.origin).with_name("_version.py") if spec and spec.origin else None
                digest.update(version_file.read_bytes() if version_file else b"absent")
            except (ImportError, OSError, ValueError):
                digest.update(b"absent")
        _RULESET = digest.hexdigest()
    return _RULESET


def config_key(config) -> str:
    """The effective configuration: Config.digest() plus the raw table, so settings added later
    change the key even before digest() learns about them."""
    raw = json.dumps(getattr(config, "raw", {}), sort_keys=True, default=str)
    return hashlib.sha256(f"{config.digest()}\0{raw}".encode()).hexdigest()


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stat_signature(path) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


def semgrep_key() -> str:
    """Identity of the semgrep executable that would run (its path and stat), so an upgraded
    semgrep does not answer from results of the old one."""
    from backdoor_lint.semgrep_runner import find_semgrep

    executable, _ = find_semgrep()
    if executable is None:
        return "absent"
    try:
        st = os.stat(executable)
    except OSError:
        return "absent"
    return f"{executable}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}"


@dataclass
class Ticket:
    """What a lookup learnt about one file: enough to store its result afterwards."""
    stat: list[int] | None
    sha: str | None  # content hash seen by the parent; None if it did not need to read the file


class ResultCache:
    def __init__(self, directory: Path, config) -> None:
        self.directory = Path(directory)
        self.max_size = config.max_file_size
        self.ruleset = ruleset_version()
        self.config_key = config_key(config)
        root = str(Path(config.root).resolve())
        self._root_id = hashlib.sha256(root.encode("utf-8", "surrogateescape")).hexdigest()[:16]
        self.pack_path = self.directory / f"v{FORMAT}" / "packs" / (
            f"{self._root_id}-{self.ruleset[:16]}{self.config_key[:16]}.pack")
        self._entries: dict[str, dict] = {}
        self._current: set[str] = set()  # displays whose entry matches the content seen in this run
        self._dirty = False
        self.hits = 0
        self.misses = 0
        self.rejected = 0  # entries or packs that failed validation
        self._load()

    # loading ----------------------------------------------------------------------------------
    def _load(self) -> None:
        try:
            raw = self.pack_path.read_bytes()
        except OSError:
            return
        try:
            checksum, _, body = raw.partition(b"\n")
            if not hmac.compare_digest(hashlib.sha256(body).hexdigest().encode(), checksum.strip()):
                raise ValueError("checksum mismatch")
            # backdoor-lint: ignore[BDL504] the result cache's own checksummed pack in the user's cache dir (agent writes there are BDL803)
            pack = marshal.loads(body)
            if not (isinstance(pack, dict) and pack.get("format") == FORMAT and pack.get("ruleset") == self.ruleset
                    and pack.get("config") == self.config_key and isinstance(pack.get("files"), dict)):
                raise ValueError("foreign or malformed pack")
            self._entries = pack["files"]
        except (ValueError, EOFError, TypeError, UnicodeDecodeError, RecursionError):
            self.rejected += 1
            self._entries = {}
            self._dirty = True  # rewrite it cleanly

    def _key(self, display: str, relpath: str, sha: str) -> str:
        text = f"{self.ruleset}\0{self.config_key}\0{display}\0{relpath}\0{sha}"
        return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()

    def lookup(self, target):
        """(FileResult or None, Ticket). Reads the file only if it has an entry whose stat
        signature differs from the file's (touched, maybe unchanged)."""
        stat = stat_signature(target.path)
        entry = self._entries.get(target.display)
        if not isinstance(entry, dict) or stat is None:
            self.misses += 1
            return None, Ticket(stat=stat, sha=None)
        sha = entry.get("sha") if entry.get("stat") == stat else None
        if not isinstance(sha, str):
            try:
                with open(target.path, "rb") as handle:
                    sha = content_hash(handle.read(self.max_size + 1))
            except OSError:
                self.misses += 1
                return None, Ticket(stat=None, sha=None)
        ticket = Ticket(stat=stat, sha=sha)
        if entry.get("key") == self._key(target.display, target.relpath, sha) and _unchanged(entry.get("deps")):
            result = self._decode(target.display, entry.get("result"))
            if result is not None:
                self.hits += 1
                self._current.add(target.display)
                if entry.get("stat") != stat or entry.get("sha") != sha:  # touched but unchanged
                    entry["stat"], entry["sha"] = stat, sha
                    self._dirty = True
                return result, ticket
            self.rejected += 1
        self.misses += 1
        return None, ticket

    def _decode(self, display: str, payload):
        from backdoor_lint.results import FileResult

        try:
            findings = _decode_findings(display, payload)
            suppressions = _decode_suppressions(payload["s"])
            language = payload["lang"]
            if not isinstance(language, str):
                raise ValueError("bad language")
            return FileResult(findings=findings, suppressions=suppressions, language=language)
        except Exception:  # noqa: BLE001 - anything wrong with an entry means: recompute it
            return None

    # storing ----------------------------------------------------------------------------------
    def store(self, target, ticket: Ticket, result) -> None:
        """Remember `result` for `target` if it is cacheable and was computed from the bytes the
        lookup saw (`result.content_hash`, set by the worker; a file changing between the
        parent's look and the worker's read is not stored)."""
        sha = getattr(result, "content_hash", "")
        if not sha or ticket.stat is None or (ticket.sha is not None and ticket.sha != sha):
            return
        if _uncacheable(result.findings):
            return
        self._entries[target.display] = {
            "stat": ticket.stat,
            "sha": sha,
            "key": self._key(target.display, target.relpath, sha),
            "deps": dict(getattr(result, "dependencies", None) or {}),
            "result": {"lang": result.language, "f": _encode_findings(result.findings),
                       "s": [[s.line, sorted(s.codes), s.reason] for s in result.suppressions]},
        }
        self._current.add(target.display)
        self._dirty = True

    # semgrep findings of a file, stored in its entry --------------------------------------------
    def semgrep_lookup(self, display: str, key: str):
        """The raw findings semgrep reported for this file's current content, or None."""
        entry = self._entries.get(display)
        if display not in self._current or not isinstance(entry, dict):
            return None
        stored = entry.get("sg")
        if not isinstance(stored, dict) or stored.get("v") != key:
            return None
        try:
            return _decode_findings(display, stored, semgrep=True)
        except Exception:  # noqa: BLE001 - recompute
            self.rejected += 1
            return None

    def semgrep_store(self, display: str, key: str, findings: list) -> None:
        entry = self._entries.get(display)
        if display not in self._current or not isinstance(entry, dict) or _uncacheable(findings, semgrep=True):
            return
        entry["sg"] = {"v": key, "f": _encode_findings(findings)}
        self._dirty = True

    def save(self) -> None:
        """Write the pack atomically; a cache that cannot be written is silently skipped."""
        if not self._dirty:
            return
        from backdoor_lint.files import write_atomically

        # forget files that are gone (deleted or renamed), so the pack does not grow for ever;
        # displays are relative to the scan's cwd, so a run from elsewhere merely re-analyses them
        self._entries = {display: entry for display, entry in self._entries.items()
                         if display in self._current or os.path.lexists(display)}
        try:
            body = marshal.dumps({"format": FORMAT, "ruleset": self.ruleset, "config": self.config_key,
                                  "files": self._entries})
        except ValueError:  # an unmarshallable `extra`: skip caching rather than fail the scan
            return
        try:
            self.pack_path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.pack_path, hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
            self._dirty = False
            self._prune()
        except OSError:
            pass

    def _prune(self) -> None:
        """Drop this root's packs of other rule-set versions (left behind by upgrades and rule edits)."""
        current = self.pack_path.name
        prefix = f"{self._root_id}-"
        try:
            for entry in os.scandir(self.pack_path.parent):
                name = entry.name
                if name.startswith(prefix) and name != current and name.endswith(".pack") \
                        and name[len(prefix):len(prefix) + 16] != self.ruleset[:16]:
                    os.unlink(entry.path)
        except OSError:
            pass


def _unchanged(dependencies) -> bool:
    """Are the other files an entry's analysis read (its imported modules) as they were then?"""
    if not isinstance(dependencies, dict):
        return False
    return all(isinstance(path, str) and stat_signature(path) == stamp for path, stamp in dependencies.items())


def _uncacheable(findings, semgrep: bool = False) -> bool:
    """A failed analysis (BDL902) is retried next time, never replayed; the one exception is
    semgrep's content-determined refusal to scan a file (semgrep_runner.SKIPPED), which would only
    be refused again (and replaying it still blocks: fail closed)."""
    def failed(finding) -> bool:
        if finding.code not in NEVER_CACHED:
            return False
        if semgrep and finding.engine == "semgrep":
            from backdoor_lint.semgrep_runner import SKIPPED

            return finding.message != SKIPPED
        return True
    return any(failed(f) for f in findings)


def _encode_findings(findings) -> list:
    return [_encode_finding(f) for f in findings]


def _decode_findings(display: str, payload, semgrep: bool = False) -> list:
    findings = [_finding(display, item) for item in payload["f"]]
    if _uncacheable(findings, semgrep):
        raise ValueError("uncacheable finding in cache")
    return findings


def _decode_suppressions(items) -> list:
    from backdoor_lint.suppressions import Suppression

    suppressions = []
    for line, codes, reason in items:
        if not (isinstance(line, int) and isinstance(reason, str) and isinstance(codes, list)
                and all(isinstance(c, str) for c in codes)):
            raise ValueError("bad suppression")
        suppressions.append(Suppression(line, frozenset(codes), reason))
    return suppressions


def _encode_finding(finding) -> dict:
    return {name: getattr(finding, name) for name in _FINDING_FIELDS}


def _finding(display: str, item: dict):
    from backdoor_lint.findings import Finding

    if not isinstance(item, dict) or set(item) != set(_FINDING_FIELDS):
        raise ValueError("bad finding")
    for name in ("line", "column", "end_line", "end_column"):
        if not isinstance(item[name], int) or isinstance(item[name], bool) or item[name] < 0:
            raise ValueError("bad position")
    for name in ("code", "message", "severity", "confidence", "engine", "snippet"):
        if not isinstance(item[name], str):
            raise ValueError("bad field")
    if not isinstance(item["extra"], dict):
        raise ValueError("bad extra")
    return Finding(path=display, **item)  # unknown codes raise KeyError in __post_init__
