"""benchmarks/run.py counts the CPU of the whole measured process tree (workers and semgrep are
children of the scan), not only of the process it started."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _run_module():
    sys.path.insert(0, str(BENCHMARKS))
    try:
        spec = importlib.util.spec_from_file_location("bench_run", BENCHMARKS / "run.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCHMARKS))


def test_cpu_of_a_child_process_is_counted(tmp_path):
    burn = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass\n" \
           "print(time.process_time())"
    # the measured process only waits for a child that burns the CPU and reports how much it used
    parent = f"import subprocess, sys\nout = subprocess.run([sys.executable, '-c', {burn!r}], capture_output=True, " \
             "text=True).stdout\nopen(sys.argv[1], 'w').write(out)"
    report = tmp_path / "child-cpu"
    result = _run_module().measure([sys.executable, "-c", parent, str(report)], cwd=tmp_path)
    child_cpu = float(report.read_text())
    assert result["rc"] == 0
    assert result["cpu_seconds"] >= child_cpu >= 0.3
