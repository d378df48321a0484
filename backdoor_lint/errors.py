"""Exit codes and the errors that end a command with EXIT_ERROR.

Every module that must stop a command with a usage problem raises UsageError from here, so no
module below the CLI needs to import the CLI."""
from __future__ import annotations

EXIT_CLEAN, EXIT_BLOCKED, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    """A problem with how the command was called (bad option, missing file): exit 2."""
