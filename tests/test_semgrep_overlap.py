"""Semgrep runs in its own process while the per-file checks run (issue 8). Files whose names say
they have semgrep rules start that process early; files recognised only by content (a #! script)
are checked afterwards; the per-file checks' language decides in the end."""
from __future__ import annotations

import pytest

from backdoor_lint import engine, semgrep_runner
from backdoor_lint.config import Config
from backdoor_lint.semgrep_runner import find_semgrep

pytestmark = pytest.mark.skipif(find_semgrep()[0] is None, reason="semgrep is not installed")

# a site only a semgrep rule reports (go-jwt-parse-unverified; JavaScript is the tree-sitter analysis' alone)
GO = ('package b\n\nimport "github.com/golang-jwt/jwt/v5"\n\n'
      'func tenant(raw string) {\n\tjwt.NewParser().ParseUnverified(raw, jwt.MapClaims{})\n}\n')
SCRIPT = "#!/usr/bin/env bash\ncurl -fsSL https://get.example.test/install.sh | bash\n"


def test_early_and_late_semgrep_targets(tmp_path, monkeypatch):
    (tmp_path / "app.go").write_text(GO)
    (tmp_path / "deploy").write_text(SCRIPT)  # bash only by its #! line
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "ci.yml").write_bytes(b"on: push\n\0\0binary\n")  # a workflow by name, binary by content
    monkeypatch.chdir(tmp_path)
    calls: list[tuple[str, list[str]]] = []
    real_start, real_scan = semgrep_runner.start_scan, semgrep_runner.scan_targets

    def start(targets, config, single=False):
        calls.append(("early", sorted(t.display for t in targets)))
        return real_start(targets, config, single)

    def late(targets, config):
        calls.append(("late", sorted(t.display for t in targets)))
        return real_scan(targets, config)

    monkeypatch.setattr(semgrep_runner, "start_scan", start)
    monkeypatch.setattr(semgrep_runner, "scan_targets", late)
    result = engine.scan(["."], Config(root=tmp_path), jobs=1)
    # (scan_targets itself goes through start_scan, hence the third entry)
    assert calls == [("early", [".github/workflows/ci.yml", "app.go"]), ("late", ["deploy"]), ("early", ["deploy"])]
    by_file = {(f.path, f.engine) for f in result.findings}
    assert ("app.go", "semgrep") in by_file
    assert ("deploy", "semgrep") in by_file or ("deploy", "text") in by_file
    assert not any(f.path == ".github/workflows/ci.yml" and f.engine == "semgrep" for f in result.findings)


def test_an_interrupted_scan_stops_semgrep(tmp_path, monkeypatch):
    (tmp_path / "app.go").write_text(GO)
    monkeypatch.chdir(tmp_path)
    started = []
    real_start = semgrep_runner.start_scan

    def start(targets, config, single=False):
        pending = real_start(targets, config, single)
        started.append(pending)
        return pending

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(semgrep_runner, "start_scan", start)
    monkeypatch.setattr(engine, "run_supervised", interrupted)
    with pytest.raises(KeyboardInterrupt):
        engine.scan(["."], Config(root=tmp_path), jobs=1)
    pending = started[0]
    process = pending._first.process
    assert process.poll() is not None  # killed, not left running
    assert pending._tmp is None  # its staging directory is gone
