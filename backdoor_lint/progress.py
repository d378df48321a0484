"""A one-line progress bar on stderr for long scans: files done, findings so far, elapsed time.

Shown only when stderr is a terminal, the scan has more than MIN_FILES files and no CI
environment variable is set; redrawn at most a few times a second. Otherwise nothing."""
from __future__ import annotations

import os
import sys
import time

MIN_FILES = 300
REDRAW_SECONDS = 0.1


class Progress:
    def __init__(self, stream=None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.start = time.monotonic()
        self._last = 0.0
        self._drawn = False

    def __call__(self, done: int, total: int, findings: int) -> None:
        if total <= MIN_FILES:
            return
        now = time.monotonic()
        if done < total and now - self._last < REDRAW_SECONDS:
            return
        self._last = now
        width = 24
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\r\x1b[Kbackdoor-lint [{bar}] {done}/{total} files, "
                          f"{findings} finding{'s' if findings != 1 else ''}, {now - self.start:.1f}s")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False


def wanted(stream=None, environ=None) -> bool:
    """True if a progress bar should be drawn on `stream` (default stderr)."""
    stream = stream if stream is not None else sys.stderr
    environ = os.environ if environ is None else environ
    if environ.get("CI") or environ.get("BACKDOOR_LINT_NO_PROGRESS") or environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
