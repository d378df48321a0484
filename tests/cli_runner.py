"""Running the command line from the tests: in this process (`run_cli`, fast, the default) or as a
user would in a fresh interpreter (`run_cli_process`, for the few end-to-end tests)."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path


def run_cli_process(*args: str, cwd: Path | None = None, input: str | None = None,
                    env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the installed entry point as a user would, in a fresh interpreter (the end-to-end tests)."""
    return subprocess.run([sys.executable, "-m", "backdoor_lint", *args], cwd=cwd, input=input,
                          capture_output=True, text=True, timeout=600, env=env)


class _Console(io.StringIO):
    """A captured stdout/stderr that says it is not a terminal and has a byte buffer, like a pipe."""

    def __init__(self) -> None:
        super().__init__()
        self.buffer = io.BytesIO()

    def isatty(self) -> bool:
        return False

    def text(self) -> str:
        return self.getvalue() + self.buffer.getvalue().decode("utf-8", "replace")


def run_cli(*args: str, cwd: Path | None = None, input: str | None = None,
            env: dict | None = None) -> subprocess.CompletedProcess:
    """`backdoor_lint.cli.main(argv)` in this process, with its own working directory, stdin,
    environment and captured output; the result looks like subprocess.run's."""
    from backdoor_lint.cli import main

    saved = (os.getcwd(), sys.stdin, sys.stdout, sys.stderr, dict(os.environ))
    out, err = _Console(), _Console()
    try:
        if cwd is not None:
            os.chdir(cwd)
        if env is not None:
            os.environ.clear()
            os.environ.update(env)
        sys.stdin, sys.stdout, sys.stderr = io.StringIO(input or ""), out, err
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse: usage errors and --help/--version
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 2)
    finally:
        os.chdir(saved[0])
        sys.stdin, sys.stdout, sys.stderr = saved[1:4]
        os.environ.clear()
        os.environ.update(saved[4])
    return subprocess.CompletedProcess(["backdoor-lint", *args], code, out.text(), err.text())
