"""Writing files the user owns: all or nothing."""
from __future__ import annotations

import os
import stat
from pathlib import Path


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write `data` (text as UTF-8, or bytes) to `path` through a temporary file and a rename, so
    a crash or a full disk never leaves a half-written report, baseline, settings or cache file,
    and concurrent writers never interleave (the last rename wins). Raises OSError."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        if isinstance(data, bytes):
            tmp.write_bytes(data)
        else:
            tmp.write_text(data, encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


class NotARegularFile(OSError):
    """The output path names a directory, device, FIFO or socket."""


_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"))


def special_kind(mode: int) -> str | None:
    """'a directory', 'a named pipe (FIFO)', ... for anything but a regular file; None for one."""
    return next((kind for test, kind in _KINDS if test(mode)), None if stat.S_ISREG(mode) else "a special file")


def write_through(path: str, data: bytes) -> None:
    """Write `data` to the regular file at `path` the way `>` does: through a symlink to its
    target (the link stays), keeping the file's owner, mode and hard links; created if missing.
    A directory, device, FIFO or socket is refused (NotARegularFile) before anything is opened
    for writing: `-o /dev/full` or a device node must never be truncated or replaced. On a
    failed write the file is emptied, so no half report is left to be read as a whole one.
    Raises OSError."""
    try:
        kind = special_kind(os.stat(path).st_mode)
    except FileNotFoundError:
        kind = None
    if kind:
        raise NotARegularFile(f"is {kind}, not a regular file")
    # O_NONBLOCK: a FIFO swapped in after the check must not hang the open; fstat refuses it below.
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0), 0o666)
    try:
        kind = special_kind(os.fstat(fd).st_mode)
        if kind:
            raise NotARegularFile(f"is {kind}, not a regular file")
        os.ftruncate(fd, 0)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        except OSError:
            os.ftruncate(fd, 0)
            raise
    finally:
        os.close(fd)
