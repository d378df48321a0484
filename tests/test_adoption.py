"""Adoption in real repositories (issue 7): baselines, changed-lines mode, foreign suppressions
(BDL802), guard tampering (BDL803) with the human override, the plain git hook, suppression audit."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from backdoor_lint.guard_override import AGENT_VARIABLES, OVERRIDE_VARIABLE

sys.path.insert(0, str(Path(__file__).parent))
from cli_runner import run_cli  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")

JWT_SITE = "    return jwt.decode(t, KEY, algorithms=['RS256', 'HS256'])  # site {i}"


def clean_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in AGENT_VARIABLES and k != OVERRIDE_VARIABLE
           and not k.startswith("GIT_")}
    env.update({"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                "GIT_COMMITTER_EMAIL": "t@example.org", "NO_COLOR": "1"})
    env.update(extra)
    return env


def bdl(repo: Path, *args: str, **env) -> subprocess.CompletedProcess:
    return run_cli(*args, cwd=repo, env=clean_env(**env))


def git(repo: Path, *args: str, check: bool = True, **env) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-c", "commit.gpgsign=false", "-c", "core.hooksPath=.git/hooks", *args], cwd=repo,
                          capture_output=True, text=True, timeout=120, check=check, env=clean_env(**env))


def findings(proc: subprocess.CompletedProcess) -> list[tuple[str, str, int]]:
    document = json.loads(proc.stdout)
    return [(f["code"], f["path"], f["line"]) for f in document["findings"]]


def legacy_source() -> list[str]:
    """app.py with 20 existing findings: 10 x BDL101, 5 x BDL701, 5 x BDL702."""
    lines = ["import jwt", ""]
    for i in range(10):
        lines += [f"def check{i}(t, KEY):", JWT_SITE.format(i=i), ""]
    for i in range(5):
        lines += [f"LABEL{i} = 'user\u202e{i}'  # bidi", ""]
    for i in range(5):
        lines += [f"ROLE{i} = 'adm\u200bin{i}'  # zero-width", ""]
    lines += [f"# filler {i}" for i in range(40)]
    return lines


def write(repo: Path, name: str, lines: list[str]) -> None:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write(root, "app.py", legacy_source())
    git(root, "add", ".")
    git(root, "commit", "-qm", "legacy code")
    return root


# --- baseline ----------------------------------------------------------------------------------

def test_baseline_hides_old_findings_blocks_new_and_survives_moves(repo: Path):
    before = bdl(repo, "--format", "json")
    assert before.returncode == 1
    assert len(findings(before)) == 20
    assert {c for c, _, _ in findings(before)} == {"BDL101", "BDL701", "BDL702"}

    written = bdl(repo, "--write-baseline", "baseline.json")
    assert written.returncode == 0, written.stderr
    assert "wrote 20 findings" in written.stderr
    quiet = bdl(repo, "--baseline", "baseline.json", "--format", "json")
    assert quiet.returncode == 0 and findings(quiet) == []
    assert json.loads(quiet.stdout)["baseline"]["hidden"] == 20
    git(repo, "add", "baseline.json")
    git(repo, "commit", "-qm", "baseline")

    # commit a new finding -> blocked, only the new one shown
    lines = legacy_source() + ["def fresh(t, KEY):", "    return jwt.decode(t, KEY, algorithms=['ES256', 'HS512'])"]
    write(repo, "app.py", lines)
    git(repo, "add", "app.py")
    git(repo, "commit", "-qm", "new finding")
    blocked = bdl(repo, "--baseline", "baseline.json", "--format", "json")
    assert blocked.returncode == 1
    assert findings(blocked) == [("BDL101", "app.py", len(lines))]
    text = bdl(repo, "--baseline", "baseline.json")
    assert "ES256" in text.stdout and "site 0" not in text.stdout and "Exit status 1." in text.stdout

    # move an old finding 30 lines down -> still quiet
    moved = legacy_source()
    block = moved[2:5]  # check0 with its BDL101 site at line 4
    del moved[2:5]
    moved[32:32] = block
    write(repo, "app.py", moved)
    assert moved.index(JWT_SITE.format(i=0)) + 1 == 4 + 30
    still = bdl(repo, "--baseline", "baseline.json", "--format", "json")
    assert still.returncode == 0, still.stdout
    assert findings(still) == []
    assert json.loads(still.stdout)["baseline"]["stale"] == []


def test_baseline_from_config_reports_stale_entries_and_second_copy(repo: Path):
    assert bdl(repo, "--write-baseline", ".bdl-baseline.json").returncode == 0
    write(repo, ".backdoor-lint.toml", ['baseline = ".bdl-baseline.json"'])
    lines = legacy_source()
    lines[lines.index(JWT_SITE.format(i=3))] = "    return jwt.decode(t, KEY, algorithms=['RS256'])"  # fixed
    lines += ["def copy(t, KEY):", JWT_SITE.format(i=5)]  # an identical second copy of an accepted site
    write(repo, "app.py", lines)
    proc = bdl(repo, "--format", "json")
    document = json.loads(proc.stdout)
    assert proc.returncode == 1
    assert findings(proc) == [("BDL101", "app.py", len(lines))]  # the copy, not the original
    assert [(e["code"], e["line"]) for e in document["baseline"]["stale"]] == [("BDL101", 13)]
    text = bdl(repo)
    assert "1 baseline entry no longer match" in text.stdout
    assert bdl(repo, "--no-baseline", "--format", "json").stdout.count('"code": "BDL101"') == 10


@pytest.mark.parametrize("content", [
    b"not json",
    b'{"format": "backdoor-lint-baseline", "version": 1, "findings": [{"fingerprint": "zz", "code": "BDL101",'
    b' "path": "a.py", "line": 1}]}',
    b'{"format": "backdoor-lint-baseline", "version": 1, "version": 1, "findings": []}',
    b'{"format": "backdoor-lint-baseline", "version": 1, "findings": [NaN]}',
    b"[" * 100000 + b"]" * 100000,
    b'{"format": "other", "version": 1, "findings": []}',
    b'{"format": "backdoor-lint-baseline", "version": 1, "findings": [{"fingerprint": "' + b"a" * 32 +
    b'", "code": "BDL101", "path": "a\\u001b[2J.py", "line": 1}]}',
    b'{"format": "backdoor-lint-baseline", "version": 1, "findings": [{"fingerprint": "' + b"a" * 32 +
    b'", "code": "BDL101", "path": "a.py", "line": ' + b"9" * 5000 + b"}]}",
    b"\xff\xfe\x00garbage",
])
def test_hostile_baseline_exits_2_and_writes_nothing(repo: Path, content: bytes):
    (repo / "bad.json").write_bytes(content)
    proc = bdl(repo, "--baseline", "bad.json", "--format", "sarif", "--output", "out.sarif")
    assert proc.returncode == 2, proc.stderr
    assert "bad.json" in proc.stderr and "Traceback" not in proc.stderr
    assert not (repo / "out.sarif").exists()


def test_huge_baseline_is_refused_without_reading_it_all(repo: Path):
    with open(repo / "huge.json", "wb") as handle:
        handle.truncate(25_000_000)  # sparse file
    proc = bdl(repo, "--baseline", "huge.json")
    assert proc.returncode == 2 and "larger than" in proc.stderr
    missing = bdl(repo, "--baseline", "nope.json")
    assert missing.returncode == 2 and "--write-baseline" in missing.stderr


# --- changed-lines mode ----------------------------------------------------------------------------

def test_staged_reports_changed_line_not_untouched_line_of_same_file(repo: Path):
    lines = legacy_source()
    lines[lines.index("# filler 10")] = "BAD = 'x\u200by'  # new invisible character"
    write(repo, "app.py", lines)
    git(repo, "add", "app.py")
    proc = bdl(repo, "--staged", "--format", "json")
    assert proc.returncode == 1
    assert findings(proc) == [("BDL702", "app.py", lines.index("BAD = 'x\u200by'  # new invisible character") + 1)]
    # an unstaged edit is not what gets committed: neither reported nor hiding the staged finding
    write(repo, "app.py", lines + ["EVIL = 'a\u202eb'"])
    again = bdl(repo, "--staged", "--format", "json")
    assert findings(again) == findings(proc)
    # --diff HEAD looks at the working tree, so it sees both
    assert {c for c, _, _ in findings(bdl(repo, "--diff", "HEAD", "--format", "json"))} == {"BDL701", "BDL702"}


def test_staged_new_file_rename_and_moved_lines(repo: Path):
    git(repo, "mv", "app.py", "renamed.py")
    moved = legacy_source()
    block = moved[2:5]
    del moved[2:5]
    moved[32:32] = block
    write(repo, "renamed.py", moved)
    write(repo, "pkg/new.py", ["import jwt", "def f(t, K):", "    return jwt.decode(t, K, algorithms=['PS256', 'HS256'])"])
    git(repo, "add", "-A")
    proc = bdl(repo, "--staged", "--format", "json")
    assert findings(proc) == [("BDL101", "pkg/new.py", 3)], proc.stdout
    assert json.loads(proc.stdout)["changes"]["files"] == ["pkg/new.py", "renamed.py"]


def test_diff_rejects_bad_revisions_and_non_repositories(repo: Path, tmp_path: Path):
    assert bdl(repo, "--diff", "no-such-rev").returncode == 2
    assert bdl(repo, "--diff", "--output=x").returncode == 2
    outside = tmp_path / "plain"
    outside.mkdir()
    proc = bdl(outside, "--staged")
    assert proc.returncode == 2 and "git" in proc.stderr
    assert bdl(repo, "--staged", "--write-baseline", "b.json").returncode == 2


# --- BDL802 ----------------------------------------------------------------------------------------

def test_added_nosec_warns_bdl802_and_the_finding_still_blocks(repo: Path):
    lines = legacy_source()
    index = lines.index(JWT_SITE.format(i=2))
    lines[index] += "  # nosec B105"
    lines.append("x = compute()  # type: ignore")
    lines.append("y = 1  # noqa: E501")
    write(repo, "app.py", lines)
    git(repo, "add", "app.py")
    proc = bdl(repo, "--staged", "--format", "json")
    assert proc.returncode == 1
    got = findings(proc)
    assert ("BDL802", "app.py", index + 1) in got
    assert ("BDL101", "app.py", index + 1) in got  # the edited line's finding still blocks
    assert [c for c, _, _ in got].count("BDL802") == 1  # not type: ignore, not noqa: E501
    by_code = {f["code"]: f for f in json.loads(proc.stdout)["findings"]}
    assert by_code["BDL802"]["severity"] == "warn" and by_code["BDL101"]["severity"] == "block"
    # configurable to block
    write(repo, ".backdoor-lint.toml", ['severity = {BDL802 = "block"}'])
    git(repo, "add", ".backdoor-lint.toml")  # --staged reads the staged configuration
    blocking = json.loads(bdl(repo, "--staged", "--format", "json").stdout)["findings"]
    assert [f["severity"] for f in blocking if f["code"] == "BDL802"] == ["block"]


def test_existing_nosec_on_edited_line_is_not_new(repo: Path):
    write(repo, "lib.py", ["import subprocess", "subprocess.call(cmd, shell=True)  # nosec", "z = 1  # NOSONAR"])
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "lib")
    write(repo, "lib.py", ["import subprocess", "", "subprocess.call(cmd2, shell=True)  # nosec", "z = 2  # NOSONAR",
                           "HELP = 'append # nosec to silence bandit'"])
    write(repo, "web/lib.js", ["// eslint-disable-next-line no-eval", "/* eslint-disable */",
                               "// eslint-disable-line no-console"])
    git(repo, "add", ".")
    got = findings(bdl(repo, "--staged", "--format", "json"))
    assert [(c, path, line) for c, path, line in got if c == "BDL802"] == [("BDL802", "web/lib.js", 1),
                                                                            ("BDL802", "web/lib.js", 2)]


# --- BDL803 ----------------------------------------------------------------------------------------

PRECOMMIT = [
    "repos:",
    "  - repo: https://github.com/example/backdoor-lint",
    "    rev: v0.1.0",
    "    hooks:",
    "      - id: backdoor-lint",
    "      - id: backdoor-lint-diff",
    "  - repo: https://github.com/psf/black",
    "    rev: 24.1.0",
    "    hooks:",
    "      - id: black",
]


def test_commit_deleting_the_hook_is_refused_by_the_git_hook_and_override_lets_it_through(repo: Path):
    write(repo, ".pre-commit-config.yaml", PRECOMMIT)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "add hooks")
    installed = bdl(repo, "install-git-hook")
    assert installed.returncode == 0, installed.stderr
    hook = repo / ".git" / "hooks" / "pre-commit"
    assert os.access(hook, os.X_OK)

    write(repo, ".pre-commit-config.yaml", [line for line in PRECOMMIT if "id: backdoor-lint" not in line])
    git(repo, "add", ".pre-commit-config.yaml")
    refused = git(repo, "commit", "-m", "tidy hooks", check=False)
    assert refused.returncode != 0
    assert "BDL803" in refused.stdout + refused.stderr
    assert "removed from .pre-commit-config.yaml" in refused.stdout + refused.stderr
    assert git(repo, "log", "-1", "--format=%s").stdout.strip() == "add hooks"

    # an agent session cannot use the override
    agent = git(repo, "commit", "-m", "tidy hooks", check=False, **{OVERRIDE_VARIABLE: "1", "CLAUDECODE": "1"})
    assert agent.returncode != 0
    assert "agent session is detected (CLAUDECODE is set)" in agent.stdout + agent.stderr

    # a person outside an agent session can
    human = git(repo, "commit", "-m", "tidy hooks", check=False, **{OVERRIDE_VARIABLE: "1"})
    assert human.returncode == 0, human.stdout + human.stderr
    assert git(repo, "log", "-1", "--format=%s").stdout.strip() == "tidy hooks"

    assert bdl(repo, "uninstall-git-hook").returncode == 0
    assert not hook.exists()


def test_config_weakening_cannot_hide_itself(repo: Path):
    write(repo, "pyproject.toml", ["[tool.backdoor-lint]", 'unsuppressible = ["BDL4"]'])
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "config")
    write(repo, "pyproject.toml", ["[tool.backdoor-lint]", 'ignore = ["BDL803", "BDL101"]', 'exclude = ["src/auth/"]',
                                   'severity = {BDL803 = "warn", BDL7 = "warn"}'])
    git(repo, "add", ".")
    proc = bdl(repo, "--staged", "--format", "json")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    messages = [f["message"] for f in json.loads(proc.stdout)["findings"] if f["code"] == "BDL803"]
    assert all(f["severity"] == "block" for f in json.loads(proc.stdout)["findings"] if f["code"] == "BDL803")
    joined = "\n".join(messages)
    assert "`ignore` newly disables BDL101, BDL803" in joined
    assert "`exclude` gains 'src/auth/'" in joined
    assert "`unsuppressible` no longer protects" in joined
    assert "severity of BDL7 lowered" in joined and "severity of BDL803 lowered" in joined


def test_baseline_growth_is_guard_tampering(repo: Path):
    assert bdl(repo, "--write-baseline", "b.json").returncode == 0
    write(repo, ".backdoor-lint.toml", ['baseline = "b.json"'])
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "baseline")
    write(repo, "app.py", legacy_source() + ["def x(t, K):", "    return jwt.decode(t, K, algorithms=['RS512', 'HS256'])"])
    git(repo, "add", "app.py")
    assert bdl(repo, "--staged").returncode == 1
    assert bdl(repo, "--write-baseline", "b.json").returncode == 0  # the agent "accepts" its own finding
    git(repo, "add", "b.json")
    proc = bdl(repo, "--staged", "--format", "json")
    assert proc.returncode == 1
    assert [f["message"].split(";")[0] for f in json.loads(proc.stdout)["findings"]] == [
        "baseline gains 1 accepted finding (BDL101 in app.py), which hides them from every later check"]


def test_ci_step_removed_or_softened(repo: Path):
    workflow = (Path(__file__).resolve().parent.parent / ".github" / "workflows" / "backdoor-lint.yml").read_text()
    write(repo, ".github/workflows/backdoor-lint.yml", workflow.splitlines())
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "ci")
    softened = workflow.replace("run: backdoor-lint scan . --format sarif", "run: backdoor-lint scan . --exit-zero --format sarif")
    softened = softened.replace("    timeout-minutes: 20\n", "    timeout-minutes: 20\n    continue-on-error: true\n")
    write(repo, ".github/workflows/backdoor-lint.yml", softened.splitlines())
    got = json.loads(bdl(repo, "--diff", "HEAD", "--format", "json").stdout)["findings"]
    text = "\n".join(f["message"] for f in got if f["code"] == "BDL803")
    assert "continue-on-error" in text and "--exit-zero" in text
    (repo / ".github/workflows/backdoor-lint.yml").unlink()
    gone = json.loads(bdl(repo, "--diff", "HEAD", "--format", "json").stdout)["findings"]
    assert any("CI configuration that runs backdoor-lint deleted" in f["message"] for f in gone)


# --- suppression audit -----------------------------------------------------------------------------

def test_suppression_audit_and_unsuppressible(repo: Path):
    write(repo, "s.py", [
        "import jwt",
        "def f(t, K):",
        "    return jwt.decode(t, K, algorithms=['RS256', 'HS256'])  # backdoor-lint: ignore[BDL101] migration until SEC-12",
        "X = 'a\u200bb'  # backdoor-lint: ignore[BDL702] fixture for the unicode tests",
        "Y = 'a\u200bc'  # backdoor-lint: ignore[BDL702] fixture for the unicode tests",
        "z = 1  # nosec",
    ])
    proc = bdl(repo, "s.py", "--format", "json")
    document = json.loads(proc.stdout)
    assert document["suppressions_by_code"] == {"BDL101": {"migration until SEC-12": 1},
                                                "BDL702": {"fixture for the unicode tests": 2}}
    text = bdl(repo, "s.py").stdout
    assert "BDL702 x2: 'fixture for the unicode tests' x2" in text
    listing = bdl(repo, "suppressions", "s.py")
    assert listing.returncode == 0
    assert "s.py:3: BDL101  migration until SEC-12" in listing.stdout
    assert "foreign (bandit/gosec)" in listing.stdout
    listed = json.loads(bdl(repo, "suppressions", "--format", "json").stdout)
    assert listed["by_code"] == {"BDL101": 1, "BDL702": 2}

    write(repo, ".backdoor-lint.toml", ['unsuppressible = ["BDL1"]'])
    strict = bdl(repo, "s.py", "--format", "json")
    assert strict.returncode == 1
    codes = [(f["code"], f["line"]) for f in json.loads(strict.stdout)["findings"]]
    assert ("BDL101", 3) in codes and ("BDL801", 3) in codes
    write(repo, ".backdoor-lint.toml", ['unsuppressible = ["BDL999x"]'])
    assert bdl(repo, "s.py").returncode == 2


# --- git hook installation -------------------------------------------------------------------------

def test_install_git_hook_refuses_foreign_hook_without_force(repo: Path):
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text("#!/bin/sh\necho mine\n")
    refused = bdl(repo, "install-git-hook")
    assert refused.returncode == 2 and "not overwriting" in refused.stderr
    assert hook.read_text() == "#!/bin/sh\necho mine\n"
    assert bdl(repo, "uninstall-git-hook").returncode == 2  # not ours: left alone
    assert bdl(repo, "install-git-hook", "--force").returncode == 0
    assert "backdoor-lint git hook" in hook.read_text()
    assert bdl(repo, "install-git-hook").returncode == 0  # re-install over our own hook is fine
    assert bdl(repo, "uninstall-git-hook").returncode == 0
    assert hook.read_text() == "#!/bin/sh\necho mine\n"  # restored


# --- reporters ---------------------------------------------------------------------------------------

def test_gitlab_and_github_formats(repo: Path):
    gitlab = json.loads(bdl(repo, "--format", "gitlab").stdout)
    assert len(gitlab) == 20
    assert {i["severity"] for i in gitlab} == {"blocker"}
    assert len({i["fingerprint"] for i in gitlab}) == 20
    for issue in gitlab:
        assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["location"]["path"] == "app.py" and issue["location"]["lines"]["begin"] >= 1
    github = bdl(repo, "--format", "github").stdout.splitlines()
    commands = [line for line in github if line.startswith("::")]
    assert len(commands) == 20
    import re

    pattern = re.compile(r"^::(error|warning|notice) (file=[^,:]+,line=\d+,col=\d+,endLine=\d+,title=[^:,]+)::[^\r\n]+$")
    assert all(pattern.match(line) for line in commands), commands[:2]
    assert not [line for line in github if not line.startswith("::") and not line.startswith("backdoor-lint:")]


def test_staged_uses_staged_config_and_baseline_not_unstaged_edits(repo: Path):
    assert bdl(repo, "--write-baseline", "b.json").returncode == 0
    write(repo, ".backdoor-lint.toml", ['baseline = "b.json"'])
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "baseline")
    lines = legacy_source() + ["def x(t, K):", "    return jwt.decode(t, K, algorithms=['RS512', 'HS256'])"]
    write(repo, "app.py", lines)
    git(repo, "add", "app.py")
    # unstaged: a regenerated baseline and a config that excludes everything
    assert bdl(repo, "--write-baseline", "b.json").returncode == 0
    write(repo, ".backdoor-lint.toml", ['baseline = "b.json"', 'exclude = ["**"]', 'ignore = ["BDL1"]'])
    proc = bdl(repo, "--staged", "--format", "json")
    assert proc.returncode == 1
    assert findings(proc) == [("BDL101", "app.py", len(lines))]
    # while the working-tree view (--diff) sees the weakened config as tampering
    diff = json.loads(bdl(repo, "--diff", "HEAD", "--format", "json").stdout)["findings"]
    assert {f["code"] for f in diff} == {"BDL803"}


def test_diff_uses_the_merge_base(repo: Path):
    git(repo, "checkout", "-q", "-b", "feature")
    write(repo, "feature.py", ["A = 1"])
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "feature")
    git(repo, "checkout", "-q", "main")
    write(repo, "app.py", legacy_source() + ["Z = 'q\u200bq'"])  # main moves on
    git(repo, "commit", "-qam", "main work")
    git(repo, "checkout", "-q", "feature")
    proc = bdl(repo, "--diff", "main", "--format", "json")
    assert proc.returncode == 0 and findings(proc) == []
    assert "merge base" in json.loads(proc.stdout)["changes"]["against"]


def test_staged_in_a_repository_without_commits(tmp_path: Path):
    root = tmp_path / "fresh"
    root.mkdir()
    git(root, "init", "-q")
    write(root, "a.py", ["X = 'a\u200bb'"])
    git(root, "add", ".")
    assert findings(bdl(root, "--staged", "--format", "json")) == [("BDL702", "a.py", 1)]


def test_backdoor_lint_diff_hook_definition_under_pre_commit(repo: Path, tmp_path: Path):
    """The documented `backdoor-lint-diff` hook (README, Adopting backdoor-lint), as a local hook, under pre-commit:
    pre-commit stashes unstaged edits and the hook scans only the staged change."""
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")
    if pre_commit is None:
        pytest.skip("pre-commit not installed")
    write(repo, ".pre-commit-config.yaml", [
        "repos:",
        "  - repo: local",
        "    hooks:",
        "      - id: backdoor-lint-diff",
        "        name: backdoor-lint (changed lines)",
        f"        entry: {sys.executable} -m backdoor_lint scan --staged",
        "        language: system",
        "        pass_filenames: false",
        "        always_run: true",
        "        require_serial: true",
        "        stages: [pre-commit]",
    ])
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "hook config")
    env = {"PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    clean = subprocess.run([pre_commit, "run"], cwd=repo, capture_output=True, text=True, timeout=600,
                           env=clean_env(**env))
    assert clean.returncode == 0, clean.stdout + clean.stderr
    write(repo, "app.py", legacy_source() + ["W = 'a\u200bb'"])
    git(repo, "add", "app.py")
    blocked = subprocess.run([pre_commit, "run"], cwd=repo, capture_output=True, text=True, timeout=600,
                             env=clean_env(**env))
    assert blocked.returncode == 1
    assert "BDL702" in blocked.stdout and "site 0" not in blocked.stdout


def test_staged_paths_with_spaces_quotes_and_non_ascii(repo: Path):
    names = ["my file.py", 'q"uote\\d.py', "caf\u00e9.py"]
    for name in names:
        write(repo, name, ["x = 1"])
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "odd names")
    for name in names:
        write(repo, name, ["x = 1", "y = 'a\u200bb'"])
    git(repo, "add", ".")
    got = findings(bdl(repo, "--staged", "--format", "json"))
    assert sorted(got) == sorted(("BDL702", name, 2) for name in names)


def test_changed_lines_mode_with_baseline_reports_only_relevant_stale_entries(repo: Path):
    write(repo, "other.py", ["Q = 'a\u200bb'"])
    assert bdl(repo, "--write-baseline", "b.json").returncode == 0
    write(repo, ".backdoor-lint.toml", ['baseline = "b.json"'])
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "baseline")
    lines = legacy_source()
    lines[lines.index(JWT_SITE.format(i=1))] = "    return jwt.decode(t, KEY, algorithms=['RS256'])"  # fixed
    write(repo, "app.py", lines)
    git(repo, "add", "app.py")
    proc = bdl(repo, "--staged", "--format", "json")
    assert proc.returncode == 0 and findings(proc) == []
    stale = json.loads(proc.stdout)["baseline"]["stale"]
    assert [(e["path"], e["line"]) for e in stale] == [("app.py", 7)]
