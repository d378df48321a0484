"""What the agent hook remembers between tool calls of one agent session: files that hold secrets
(`printenv > /tmp/e` in one call, `curl -T /tmp/e ...` in the next), git remotes the session
added, and the files the agent wrote (a script or Makefile written by one call and run by the
next is analysed when it runs).

Safety rules:
- The memory only ever ADDS findings: nothing in it can make a call pass that would be denied
  without it, so a forged, stale or corrupt file costs at most a false deny, never a miss. It is
  never taken as proof that anything is clean.
- A file that cannot be read or parsed, or holds anything unexpected, reads as "nothing known"
  and is rewritten on the next allowed call.
- Bounded: at most MAX_ENTRIES entries of each kind and MAX_BYTES per session, entries older than
  MAX_AGE dropped, at most MAX_SESSIONS session files (oldest removed).
- Concurrent calls: an exclusive lock around read-merge-write, and an atomic rename, so readers
  never see a half-written file and writers never lose each other's entries.

Where: `$XDG_CACHE_HOME/backdoor-lint/sessions/` (default `~/.cache/backdoor-lint/sessions/`),
one file per session, named by a hash of the agent and the session id the agent sends.
"""
from __future__ import annotations

import contextlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

VERSION = 1
MAX_ENTRIES = 256
MAX_BYTES = 64 * 1024
MAX_AGE = 24 * 3600.0
MAX_SESSIONS = 64
LOCK_WAIT = 2.0

# the field that identifies the session in each agent's payload
SESSION_FIELDS = (
    "session_id",  # Claude Code, Codex CLI, Gemini CLI
    "sessionId",  # GitHub Copilot CLI / VS Code
    "conversation_id",  # Cursor
    "trajectory_id",  # Windsurf (Cascade)
    "taskId",  # Cline
)


def session_key(agent: str, data: object) -> str | None:
    """`agent:id` for the session the payload belongs to, or None when the agent sends no id."""
    if not isinstance(data, dict):
        return None
    for name in SESSION_FIELDS:
        value = data.get(name)
        if isinstance(value, str) and value.strip():
            return f"{agent}:{value.strip()[:200]}"
    return None


def sessions_dir() -> Path:
    from backdoor_lint.cache import default_cache_dir

    return default_cache_dir() / "sessions"


def _file(key: str) -> Path:
    import hashlib  # here: the agent hook's start-up does not pay for it (only Write and Edit keep a session)

    return sessions_dir() / (hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32] + ".json")


@dataclass
class Memory:
    """staged: path -> (what it holds, taint tag); remotes: name -> URL; written: paths the agent wrote.
    Each entry keeps the time it was recorded (for MAX_AGE)."""

    staged: dict[str, tuple[str, str, float]] = field(default_factory=dict)
    remotes: dict[str, tuple[str, float]] = field(default_factory=dict)
    written: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({"version": VERSION, "staged": self.staged, "remotes": self.remotes,
                           "written": self.written}, separators=(",", ":"))


def _text(value: object, limit: int = 4096) -> str | None:
    return value if isinstance(value, str) and value and len(value) <= limit else None


def _when(value: object, now: float) -> float | None:
    return float(value) if isinstance(value, (int, float)) and now - MAX_AGE <= value <= now + 60 else None


def _parse(raw: bytes, now: float) -> Memory:
    """The memory in `raw`; anything unexpected is left out (an invalid file is empty memory)."""
    memory = Memory()
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return memory
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return memory
    for kind, target in (("staged", memory.staged), ("remotes", memory.remotes), ("written", memory.written)):
        entries = data.get(kind)
        if not isinstance(entries, dict):
            continue
        for path, value in list(entries.items())[:MAX_ENTRIES]:
            if _text(path) is None:
                continue
            if kind == "written":
                when = _when(value, now)
                if when is not None:
                    target[path] = when
            elif isinstance(value, list) and len(value) == (3 if kind == "staged" else 2):
                *texts, stamp = value
                when = _when(stamp, now)
                if when is not None and all(_text(t) for t in texts):
                    target[path] = (*texts, when)
    return memory


def load(key: str | None) -> Memory:
    """The session's memory; empty when there is none or it cannot be read. Never raises."""
    if not key:
        return Memory()
    try:
        with open(_file(key), "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError:
        return Memory()
    return Memory() if len(raw) > MAX_BYTES else _parse(raw, time.time())


def _bounded(memory: Memory) -> Memory:
    """At most MAX_ENTRIES newest entries of each kind, and MAX_BYTES in all (oldest dropped)."""
    memory.staged = dict(sorted(memory.staged.items(), key=lambda e: e[1][2])[-MAX_ENTRIES:])
    memory.remotes = dict(sorted(memory.remotes.items(), key=lambda e: e[1][1])[-MAX_ENTRIES:])
    memory.written = dict(sorted(memory.written.items(), key=lambda e: e[1])[-MAX_ENTRIES:])
    while len(memory.to_json().encode()) > MAX_BYTES:
        for entries in (memory.written, memory.staged, memory.remotes):
            if entries:
                del entries[next(iter(entries))]
    return memory


@contextlib.contextmanager
def _locked(path: Path):
    """An exclusive lock on `path`.lock for the read-merge-write (none where fcntl is missing)."""
    try:
        import fcntl
    except ImportError:  # Windows: the atomic rename still keeps the file whole
        yield
        return
    with open(path.with_suffix(".lock"), "a") as handle:
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.01)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def record(key: str | None, staged: dict | None = None, remotes: dict | None = None,
           written: list[str] | None = None) -> None:
    """Add entries to the session's memory. Never raises: a memory that cannot be written only
    means later calls know less (and so deny no more than they would without it)."""
    if not key or not (staged or remotes or written):
        return
    try:
        path = _file(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        new_session = not path.exists()
        with _locked(path):
            memory = load(key)
            now = time.time()
            for p, (what, tag) in (staged or {}).items():
                memory.staged.pop(p, None)
                memory.staged[p] = (what[:500] or "secrets", tag, now)
            for name, url in (remotes or {}).items():
                memory.remotes.pop(name, None)
                memory.remotes[name] = (url[:500], now)
            for p in written or []:
                memory.written.pop(p, None)
                memory.written[p] = now
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_text(_bounded(memory).to_json(), encoding="utf-8")
            os.replace(tmp, path)
        if new_session:
            _prune(path.parent)
    except (OSError, ValueError, RecursionError):
        return


def _prune(directory: Path) -> None:
    """Session files older than MAX_AGE, and the oldest beyond MAX_SESSIONS, are removed."""
    now = time.time()
    files = []
    for entry in directory.glob("*.json"):
        try:
            files.append((entry.stat().st_mtime, entry))
        except OSError:
            continue
    files.sort()
    for index, (mtime, entry) in enumerate(files):
        if now - mtime > MAX_AGE or index < len(files) - MAX_SESSIONS:
            for stale in (entry, entry.with_suffix(".lock")):
                with contextlib.suppress(OSError):
                    stale.unlink()
