"""Less work per scan (issue 19), asserted by counts, never by clock time: what a run imports, in how
many processes, and how many semgrep processes it starts."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from backdoor_lint import semgrep_runner
from backdoor_lint.config import Config
from backdoor_lint.engine import scan
from backdoor_lint.semgrep_targets import recognised

EVAL_DECODED = 'const p = "ZXZhbA==";\neval(atob(p));\n'  # BDL501 (the JavaScript analysis')
GO_INSECURE = "package main\n\nfunc main() {\n\tx := 1\n\t_ = x\n}\n"  # a file semgrep's Go rules take
# a site only a semgrep rule reports (go-jwt-parse-unverified, BDL103)
GO_UNVERIFIED = ('package b\n\nimport "github.com/golang-jwt/jwt/v5"\n\n'
                 'func tenant(raw string) {\n\tjwt.NewParser().ParseUnverified(raw, jwt.MapClaims{})\n}\n')


def _imports(args: list[str], cwd) -> tuple[subprocess.CompletedProcess, list[str]]:
    """The modules each process of a CLI run imports, one entry per import and process (forked
    workers inherit -X importtime and report their own first imports on stderr). Only `import`
    statements are reported, not importlib.import_module: the registry's own imports of the rule
    modules are seen through what those modules import (checkers.base, libcst)."""
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "backdoor_lint", *args], cwd=cwd,
                         capture_output=True, text=True, timeout=300)
    names = [line.rsplit("|", 1)[1].strip() for line in run.stderr.splitlines()
             if line.startswith("import time:") and "|" in line]
    return run, names


def _python_tree(tmp_path, count: int = 6) -> None:
    for number in range(count):  # the first file triggers a libcst rule (BDL102)
        source = 'import jwt\njwt.decode("t", "k", algorithms=["none"])\n' if number == 0 else f"X = {number}\n"
        (tmp_path / f"m{number}.py").write_text(source)


def test_python_only_scan_never_imports_the_semgrep_glue(tmp_path):
    _python_tree(tmp_path)
    run, names = _imports(["scan", ".", "--no-cache", "--jobs", "2"], tmp_path)
    assert "BDL102" in run.stdout, run.stdout + run.stderr[-2000:]
    assert "backdoor_lint.semgrep_runner" not in names
    (tmp_path / "main.go").write_text(GO_INSECURE)  # control: the probe sees the glue when it is needed
    run, names = _imports(["scan", ".", "--no-cache", "--jobs", "2"], tmp_path)
    assert "backdoor_lint.semgrep_runner" in names


def test_workers_fork_after_the_imports(tmp_path):
    """libcst and the checkers are imported once, in the parent, however many workers check files."""
    _python_tree(tmp_path, count=8)
    run, names = _imports(["scan", ".", "--no-cache", "--jobs", "2"], tmp_path)
    assert "BDL102" in run.stdout, run.stdout + run.stderr[-2000:]
    for module in ("libcst", "backdoor_lint.checkers.registry", "backdoor_lint.checkers.trigger_facts",
                   "backdoor_lint.checkers.base", "backdoor_lint.checkers.shell.analyser"):
        assert names.count(module) == 1, (module, names.count(module))


def test_text_only_scan_imports_no_python_checkers(tmp_path):
    (tmp_path / "notes.txt").write_text("hello \u202e world\n", encoding="utf-8")
    run, names = _imports(["scan", ".", "--no-cache"], tmp_path)
    assert "BDL70" in run.stdout, run.stdout
    assert not [name for name in names if re.match(r"libcst\b|backdoor_lint\.checkers\.(base|trigger_facts)$", name)]


@pytest.mark.parametrize("name,language", [("jquery.min.js", "javascript"), ("types.d.ts", "typescript")])
def test_names_semgrep_leaves_out_are_staged(name, language):
    assert not recognised(f"static/{name}", language)
    assert recognised("static/app.js", "javascript") and recognised("src/app.ts", "typescript")


def test_minified_bundle_starts_no_semgrep(tmp_path, monkeypatch):
    """A minified bundle (Django's jquery.min.js) is the tree-sitter analysis' alone: no bundled
    semgrep rule covers JavaScript, so no semgrep process starts (it once cost a second start-up)."""
    if semgrep_runner.find_semgrep()[0] is None:
        pytest.fail("semgrep not installed; it is a dependency of backdoor-lint")
    (tmp_path / "bundle.min.js").write_text(EVAL_DECODED)
    launches = []
    launch = semgrep_runner._launch

    def counted(executable, paths, tmpdir, experimental, *args, **kwargs):
        launches.append(experimental)
        return launch(executable, paths, tmpdir, experimental, *args, **kwargs)

    monkeypatch.setattr(semgrep_runner, "_launch", counted)
    result = scan([str(tmp_path)], Config(), jobs=1)
    assert [(f.code, f.line) for f in result.findings if f.path.endswith("bundle.min.js")] == [("BDL501", 2)]
    assert launches == []


def test_semgrep_gets_only_files_some_enabled_rule_runs_on(tmp_path, monkeypatch):
    """A selection without any Go rule gives semgrep no Go file (no process at all); the same file
    with a Go rule selected is scanned and reported. (JavaScript/TypeScript files no enabled rule
    covers are tests/test_semgrep.py's javascript_only_scan_never_starts_semgrep.)"""
    (tmp_path / "app.go").write_text(GO_UNVERIFIED)
    launches = []
    launch = semgrep_runner._launch

    def counted(*args, **kwargs):
        launches.append(args[1])
        return launch(*args, **kwargs)

    monkeypatch.setattr(semgrep_runner, "_launch", counted)
    workflow_only = Config(select={"BDL805"})
    assert "BDL805" not in semgrep_runner.codes_by_language()["go"]
    assert scan([str(tmp_path)], workflow_only, jobs=1).findings == [] and launches == []
    result = scan([str(tmp_path)], Config(select={"BDL103"}), jobs=1)
    assert [f.code for f in result.findings] == ["BDL103"] and len(launches) == 1
