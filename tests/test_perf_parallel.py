"""A parallel scan gives exactly the serial result (issue 8), on a generated tree; progress is
reported for every file, in order."""
import subprocess
import sys
from pathlib import Path

import pytest

from backdoor_lint import engine
from backdoor_lint.config import config_from_table
from backdoor_lint.engine import scan

sys.path.insert(0, str(Path(__file__).parent))
from perf_tree import as_dicts, make_tree  # noqa: E402


@pytest.fixture
def tree(tmp_path, monkeypatch):
    make_tree(tmp_path / "tree", copies=12)
    monkeypatch.chdir(tmp_path)
    return "tree"


def _config(root):
    return config_from_table({"semgrep": False}, origin="test", root=root)


def test_parallel_equals_serial(tree, tmp_path):
    serial = scan([tree], _config(tmp_path), jobs=1)
    parallel = scan([tree], _config(tmp_path), jobs=2)
    assert serial.files_scanned == parallel.files_scanned == 120
    assert as_dicts(serial) == as_dicts(parallel)
    codes = {f.code for f in serial.findings}
    assert {"BDL101", "BDL102", "BDL701", "BDL702", "BDL901"} <= codes, codes


def test_cli_json_identical_for_one_and_two_jobs(tree, tmp_path):
    """The whole report, as a user gets it (semgrep included), does not depend on --jobs."""
    def report(jobs):
        run = subprocess.run([sys.executable, "-m", "backdoor_lint", "scan", tree, "--format", "json", "--no-cache",
                              "--jobs", str(jobs)], cwd=tmp_path, capture_output=True, text=True, timeout=600)
        assert run.returncode in (0, 1), run.stderr
        return run.stdout

    serial = report(1)
    assert '"BDL102"' in serial
    assert report(2) == serial


@pytest.mark.parametrize("jobs", [1, 2])
def test_progress_reaches_total_in_order(tree, tmp_path, jobs):
    seen = []
    scan([tree], _config(tmp_path), jobs=jobs, progress=lambda done, total, findings: seen.append((done, total)))
    assert seen[0] == (0, 120) and seen[-1] == (120, 120) and len(seen) == 121
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_cache_hits_count_as_progress(tree, tmp_path):
    from backdoor_lint.cache import ResultCache

    config = _config(tmp_path)
    scan([tree], config, jobs=2, cache=ResultCache(tmp_path / "cache", config))
    seen = []
    scan([tree], config, jobs=2, cache=ResultCache(tmp_path / "cache", config),
         progress=lambda done, total, findings: seen.append((done, total, findings)))
    assert seen[0][:2] == (120, 120) and len(seen) == 1 and seen[0][2] > 0


def test_only_cache_misses_reach_the_workers(tree, tmp_path, monkeypatch):
    from backdoor_lint.cache import ResultCache

    config = _config(tmp_path)
    scan([tree], config, jobs=1, cache=ResultCache(tmp_path / "cache", config))
    (Path(tree) / "pkg0" / "sub0" / "mod2.py").write_text("Y = 2\n", encoding="utf-8")
    dispatched = []
    real = engine.run_supervised
    monkeypatch.setattr(engine, "run_supervised", lambda items, *a, **k: dispatched.append(
        [t.display for t in items]) or real(items, *a, **k))
    scan([tree], config, jobs=2, cache=ResultCache(tmp_path / "cache", config))
    assert dispatched == [["tree/pkg0/sub0/mod2.py"]]
