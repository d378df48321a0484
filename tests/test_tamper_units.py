"""BDL802/BDL803 building blocks without git: foreign suppressions, per-file guard comparisons,
the override and agent detection."""
import pytest

from backdoor_lint.findings import Finding
from backdoor_lint.foreign_suppressions import find_foreign
from backdoor_lint.guard_config import check_file_change
from backdoor_lint.guard_override import OVERRIDE_VARIABLE, agent_session, apply_override

LOCAL_HOOK = (b"repos:\n- repo: local\n  hooks:\n  - id: backdoor-lint\n    entry: backdoor-lint\n"
              b"    language: system\n")


@pytest.mark.parametrize("line,tool", [
    ("x = eval(s)  # nosec", "bandit/gosec"),
    ("x = eval(s)  # nosec B307", "bandit/gosec"),
    ("conn := tls.Dial(a) // #nosec G402", "bandit/gosec"),
    ("r = requests.get(u, verify=False)  # noqa: S501", "ruff/flake8-bandit S501"),
    ("import pickle  # noqa: E402,S403", "ruff/flake8-bandit S403"),
    ("eval(x)  # nosemgrep: python.lang.security.audit.eval", "semgrep"),
    ("eval(x) // eslint-disable-line no-eval", "eslint no-eval"),
    ("/* eslint-disable security/detect-child-process */", "eslint security/detect-child-process"),
    ("// eslint-disable-next-line", "eslint (every rule, including security rules)"),
    ("TOKEN = 'ghp_x'  # gitleaks:allow", "gitleaks"),
    ("PASSWORD = 'x'  # pragma: allowlist secret", "detect-secrets"),
    ("exec(code)  # pylint: disable=exec-used", "pylint"),
])
def test_foreign_suppressions_found(line, tool):
    assert [t for _, _, t, _ in find_foreign(line)] == [tool]


@pytest.mark.parametrize("line", [
    "x = f()  # type: ignore",
    "x = f()  # type: ignore[attr-defined]",
    "import os  # noqa: F401",
    "y = 1  # noqa: E501",
    "// eslint-disable-line no-console",
    "# pylint: disable=too-many-arguments",
    "print('no security here')",
])
def test_not_foreign_security_suppressions(line):
    assert find_foreign(line) == []


@pytest.mark.parametrize("old,new,expected", [
    (LOCAL_HOOK, None, "deleted"),
    (LOCAL_HOOK, b"repos: []\n", "removed from"),
    (LOCAL_HOOK, b"repos: [\n", "can no longer be parsed"),
    (LOCAL_HOOK, LOCAL_HOOK + b"    stages: []\n", "`stages` emptied"),
    (LOCAL_HOOK, LOCAL_HOOK + b"    exclude: .*\n", "matches every file"),
    (LOCAL_HOOK, LOCAL_HOOK + b"    files: ^docs/\n", "`files` changed"),
    (LOCAL_HOOK, LOCAL_HOOK + b"    args: [--exit-zero]\n", "args gain --exit-zero"),
    (LOCAL_HOOK, LOCAL_HOOK + b"exclude: ^src/\n", "global `exclude`"),
    (LOCAL_HOOK, LOCAL_HOOK + b"ci:\n  skip: [backdoor-lint]\n", "pre-commit.ci told to skip"),
    (b"repos:\n- repo: https://github.com/acme/backdoor-lint\n  rev: v1\n  hooks:\n  - id: backdoor-lint\n",
     b"repos:\n- repo: https://github.com/evil/backdoor-lint\n  rev: v1\n  hooks:\n  - id: backdoor-lint\n",
     "instead of 'https://github.com/acme/backdoor-lint'"),
])
def test_precommit_weakening(old, new, expected):
    problems = check_file_change(".pre-commit-config.yaml", old, new)
    assert any(expected in message for _, message in problems), problems


@pytest.mark.parametrize("new", [
    LOCAL_HOOK + b"    stages: [pre-commit]\n",
    LOCAL_HOOK + b"    args: [--format, github]\n",
    LOCAL_HOOK + b"- repo: https://github.com/psf/black\n  rev: 24.1.0\n  hooks:\n  - id: black\n",
    LOCAL_HOOK.replace(b"repos:", b"# hooks\nrepos:"),
])
def test_precommit_harmless_edits(new):
    assert check_file_change(".pre-commit-config.yaml", LOCAL_HOOK, new) == []


@pytest.mark.parametrize("old,new,expected", [
    ("", 'ignore = ["BDL4"]', "`ignore` newly disables BDL401"),
    ("", 'select = ["BDL1"]', "`select` no longer covers"),
    ("", 'allowed-hosts = ["evil.example"]', "`allowed-hosts` gains 'evil.example'"),
    ("", '[per-file-ignores]\n"src/auth/*" = ["BDL6"]', "per-file-ignores['src/auth/*'] newly disables"),
    ('unsuppressible = ["BDL4", "BDL5"]', 'unsuppressible = ["BDL5"]', "no longer protects BDL401"),
    ('fail-on = "warn"', "", "`fail-on` relaxed"),
    ("", "max-file-size = 10", "`max-file-size` lowered"),
    ("", 'baseline = "accepted.json"', "`baseline` now points"),
])
def test_backdoor_lint_config_weakening(old, new, expected):
    problems = check_file_change(".backdoor-lint.toml", old.encode(), new.encode())
    assert any(expected in message for _, message in problems), problems


@pytest.mark.parametrize("old,new", [
    ('ignore = ["BDL4"]', ""),  # removing an ignore is stricter
    ("", 'unsuppressible = ["BDL4"]'),
    ("", 'severity = {BDL802 = "block"}'),
    ('exclude = ["vendor/"]', 'exclude = ["vendor/"]\n# comment'),
])
def test_backdoor_lint_config_strengthening_is_quiet(old, new):
    assert check_file_change(".backdoor-lint.toml", old.encode(), new.encode()) == []


def test_workflow_weakening():
    old = (b"on: [pull_request]\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n"
           b"      - uses: actions/checkout@v4\n      - name: scan\n        run: backdoor-lint --diff \"$BASE\"\n")
    cases = {
        old.replace(b"      - name: scan\n        run: backdoor-lint --diff \"$BASE\"\n", b""): "removed",
        old + b"        if: false\n": "`if` changed",
        old + b"        continue-on-error: true\n": "`continue-on-error`",
        old.replace(b'"$BASE"', b'"$BASE" || true'): "|| true",
        old + b"        env:\n          " + OVERRIDE_VARIABLE.encode() + b": '1'\n": "starts setting",
        old.replace(b"on: [pull_request]", b"on: [workflow_dispatch]"): "`on` changed",
    }
    for new, expected in cases.items():
        problems = check_file_change(".github/workflows/ci.yml", old, new)
        assert any(expected in message for _, message in problems), (expected, problems)
    renamed = old.replace(b"name: scan", b"name: backdoor scan")
    assert check_file_change(".github/workflows/ci.yml", old, renamed) == []
    assert check_file_change(".github/workflows/ci.yml", old, old.replace(b"[pull_request]", b"[pull_request, push]")) == []


def test_yaml_alias_bomb_is_bounded():
    bomb = b"a: &a [x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 12):
        bomb += f"a{i}: &a{i} [*{'a' if i == 1 else 'a' + str(i - 1)}, *{'a' if i == 1 else 'a' + str(i - 1)}]\n".encode()
    bomb += b"run: backdoor-lint\n"
    check_file_change(".gitlab-ci.yml", bomb, bomb + b"allow_failure: true\n")  # returns, bounded


def test_override_and_agent_detection():
    def finding():
        return Finding("x", 1, 1, "BDL803", "weakened", engine="core")

    assert agent_session({}) is None or agent_session({}).startswith("/")
    assert agent_session({"CLAUDECODE": "1"}) == "CLAUDECODE"
    assert agent_session({"GEMINI_CLI": "1"}) == "GEMINI_CLI"
    assert agent_session({"CODEX_THREAD_ID": "abc"}) == "CODEX_THREAD_ID"
    assert agent_session({"CLAUDECODE": ""}) is None or agent_session({"CLAUDECODE": ""}).startswith("/")

    plain = [finding()]
    apply_override(plain, {})
    assert plain[0].severity == "block" and plain[0].message == "weakened"
    human = [finding()]
    apply_override(human, {OVERRIDE_VARIABLE: "1"})
    if agent_session({}) is None:
        assert human[0].severity == "warn" and "allowed by" in human[0].message
    agent = [finding()]
    apply_override(agent, {OVERRIDE_VARIABLE: "1", "CURSOR_AGENT": "1"})
    assert agent[0].severity == "block" and "CURSOR_AGENT is set" in agent[0].message


def test_python_strings_are_not_comments():
    source = 'MSG = "add # nosec to silence bandit"\nx = eval(s)  # nosec\n'
    assert [line for line, *_ in find_foreign(source, python=True)] == [2]
    assert [line for line, *_ in find_foreign(source)] == [1, 2]


# --- git's abbreviated long options (checkers/shell/gitoptions.py) -----------------------------

@pytest.mark.parametrize("command,token,expected", [
    ("commit", "--no-verify", {"no-verify"}),
    ("commit", "--no-veri", {"no-verify"}),  # a unique prefix: git reads it as --no-verify
    ("commit", "--no-v", {"no-verify", "no-verbose"}),  # ambiguous in this git; fail closed
    ("commit", "--verb", {"verbose"}),
    ("commit", "--no-verify=1", {"no-verify"}),
    ("push", "--no-ver", {"no-verify", "no-verbose"}),
    ("merge", "--no-verify-sig", {"no-verify-signatures"}),
    ("commit", "--frobnicate", set()),
])
def test_git_long_option_resolution(command, token, expected):
    from backdoor_lint.checkers.shell.gitoptions import resolve

    assert resolve(command, token) == expected


@pytest.mark.parametrize("command,token,skips", [
    ("commit", "--no-veri", True), ("push", "--no-verif", True), ("rebase", "--no-verify", True),
    ("am", "--no-verify", True), ("merge", "--no-verify-signatures", False), ("commit", "--verbose", False),
    ("commit", "--no-edit", False), ("push", "--no-thin", False),
])
def test_git_means_no_verify(command, token, skips):
    from backdoor_lint.checkers.shell.gitoptions import means_no_verify

    assert means_no_verify(command, token) is skips


# --- staged files (checkers/shell/staging.py) -----------------------------------------------

@pytest.mark.parametrize("path,cwd,expected", [
    ("f", "/p", "/p/f"), ("./a/../f", "/p", "/p/f"), ("/tmp/x", "/p", "/tmp/x"), ("~/x", "/p", "~/x"),
    ("$HOME/x", "/p", "~/x"), ("${HOME}/.aws", None, "~/.aws"), ("f", None, "f"),
])
def test_staged_path_normalisation(path, cwd, expected):
    from backdoor_lint.checkers.shell.staging import normalise

    assert normalise(path, cwd) == expected


@pytest.mark.parametrize("name,argv,expected", [
    ("cp", ["-r", "~/.ssh", "/tmp/k"], (["~/.ssh"], "/tmp/k")),
    ("mv", ["a", "b", "dir/"], (["a", "b"], "dir/")),
    ("cp", ["-t", "dir", "a"], None),
    ("tar", ["czf", "out.tgz", "~/.ssh"], (["~/.ssh"], "out.tgz")),
    ("tar", ["-c", "-f", "out.tar", "a", "b"], (["a", "b"], "out.tar")),
    ("tar", ["--create", "--file=o.tar", "x"], (["x"], "o.tar")),
    ("tar", ["xzf", "in.tgz"], None),  # extracting writes no archive
    ("tar", ["czf", "-", "~/.ssh"], None),  # to stdout: the stream analysis follows it
    ("zip", ["-r", "o.zip", "~/.ssh"], (["~/.ssh"], "o.zip")),
    ("7z", ["a", "o.7z", "~/.aws"], (["~/.aws"], "o.7z")),
    ("dd", ["if=/proc/self/environ", "of=/tmp/e"], (["/proc/self/environ"], "/tmp/e")),
    ("rsync", ["-a", "~/.ssh", "host:/tmp/"], None),  # remote: the network analysis reads it
    ("ls", ["-la"], None),
])
def test_copy_destinations(name, argv, expected):
    from backdoor_lint.checkers.shell.staging import copy_destination
    from backdoor_lint.checkers.shell.values import Word

    found = copy_destination(name, [Word(a) for a in argv])
    assert (found and ([w.text for w in found[0]], found[1])) == expected or found is expected


def test_staged_lookup_covers_files_under_a_staged_directory():
    from backdoor_lint.checkers.shell.staging import StagedFiles
    from backdoor_lint.checkers.shell.values import Word

    staged = StagedFiles("/p")
    staged.copy([Word("~/.aws")], "/tmp/a", "cp -r ~/.aws /tmp/a")
    assert staged.held("/tmp/a/credentials") and staged.held("@/tmp/a") and not staged.held("/tmp/ab")
    assert staged.tags("/tmp/a/config") == frozenset({"cred"}) and not staged.tags("README.md")
    assert staged.held("~/.ssh/id_rsa") == ".ssh/id_rsa"  # a credential file by name, whatever is staged
