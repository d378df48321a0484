"""Progress bar only on a terminal outside CI; libcst never imported by runs that need no Python
parsing (issue 8)."""
import io
import json
import os
import subprocess
import sys

from backdoor_lint import progress


class FakeTTY(io.StringIO):
    def isatty(self):
        return True


def test_progress_wanted_only_on_a_tty_outside_ci():
    assert progress.wanted(FakeTTY(), environ={})
    assert not progress.wanted(FakeTTY(), environ={"CI": "true"})
    assert not progress.wanted(FakeTTY(), environ={"TERM": "dumb"})
    assert not progress.wanted(io.StringIO(), environ={})


def test_progress_draws_files_findings_elapsed_and_clears():
    stream = FakeTTY()
    bar = progress.Progress(stream)
    bar(0, 1000, 0)
    bar(1000, 1000, 7)
    text = stream.getvalue()
    assert "1000/1000 files" in text and "7 findings" in text and "s" in text
    bar.close()
    assert stream.getvalue().endswith("\r\x1b[K")


def test_progress_silent_for_small_scans():
    stream = FakeTTY()
    bar = progress.Progress(stream)
    bar(5, progress.MIN_FILES, 1)
    bar.close()
    assert stream.getvalue() == ""


def test_piped_scan_prints_nothing_extra(tmp_path):
    for i in range(progress.MIN_FILES + 5):
        (tmp_path / f"f{i}.txt").write_text("hello\n")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    run = subprocess.run([sys.executable, "-m", "backdoor_lint", "scan", ".", "--no-cache"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=300, env=env)
    assert "\r" not in run.stderr and "files," not in run.stderr


def _imports(args, cwd, stdin=None):
    """Modules imported by a CLI run, workers included (-X importtime is inherited by forked
    workers and reports every first import on stderr)."""
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "backdoor_lint", *args], cwd=cwd,
                         input=stdin, capture_output=True, text=True, timeout=300)
    return run, run.stderr


def test_text_file_scan_never_imports_libcst(tmp_path):
    (tmp_path / "some.txt").write_text("hello \u202e world\n", encoding="utf-8")
    (tmp_path / "t.py").write_text('import jwt\njwt.decode("t", "k", algorithms=["none"])\n')
    run, imports = _imports(["scan", "some.txt", "--no-cache"], tmp_path)
    assert "BDL70" in run.stdout, run.stdout  # the text rules did run
    assert "libcst" not in imports
    run, imports = _imports(["scan", "t.py", "--no-cache"], tmp_path)  # control: the probe sees imports
    assert "BDL102" in run.stdout and "libcst" in imports


def test_agent_hook_on_bash_never_imports_libcst(tmp_path):
    call = {"tool_name": "Bash", "tool_input": {"command": "ls -la && git status | head -5"}, "cwd": str(tmp_path),
            "hook_event_name": "PreToolUse"}
    run, imports = _imports(["agent-hook", "--agent", "claude"], tmp_path, stdin=json.dumps(call))
    assert run.returncode == 0 and "deny" not in run.stdout, (run.stdout, run.stderr[-2000:])
    assert "libcst" not in imports
