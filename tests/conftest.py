import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_EVAL = ROOT.parent / "shared" / "eval"

# The CLI's result cache (issue 8) lives under $XDG_CACHE_HOME: keep test runs out of the
# developer's ~/.cache (subprocesses inherit this).
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="backdoor-lint-test-cache-")
atexit.register(shutil.rmtree, os.environ["XDG_CACHE_HOME"], True)


def run_cli(*args: str, cwd: Path | None = None, input: str | None = None) -> subprocess.CompletedProcess:
    """Run the installed console entry point as a user would (a fresh interpreter)."""
    return subprocess.run([sys.executable, "-m", "backdoor_lint", *args], cwd=cwd, input=input,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def git_available():
    if shutil.which("git") is None:
        pytest.skip("git not installed")
