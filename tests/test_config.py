"""Configuration: discovery, validation with clear errors, and effects on the scan."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from cli_runner import run_cli  # noqa: E402

from backdoor_lint.config import ConfigError, glob_to_regex, load_config

BAD = 'import jwt\njwt.decode(t, PUBLIC_KEY, algorithms=["RS256", "HS256"])\n'


def run(*args, cwd):
    return run_cli(*args, cwd=cwd)


@pytest.mark.parametrize("body,needle", [
    ('[tool.backdoor-lint]\nignroe = ["BDL101"]\n', "unknown key 'ignroe'"),
    ('[tool.backdoor-lint]\nignore = ["BDL1O1"]\n', "'BDL1O1' is not a rule code"),
    ('[tool.backdoor-lint]\nignore = ["BDL999"]\n', "'BDL999' matches no rule"),
    ('[tool.backdoor-lint]\nignore = "BDL101"\n', "key 'ignore' must be a list"),
    ('[tool.backdoor-lint]\nseverity = { BDL101 = "low" }\n', "must be 'block' or 'warn'"),
    ('[tool.backdoor-lint]\nfail-on = "never"\n', "key 'fail-on'"),
    ('[tool.backdoor-lint]\nmax-file-size = true\n', "must be a int"),
    ('[tool.backdoor-lint\n', "invalid TOML"),
])
def test_bad_config_exits_2_naming_file_and_key(tmp_path, body, needle):
    (tmp_path / "pyproject.toml").write_text(body)
    (tmp_path / "a.py").write_text("x = 1\n")
    result = run("scan", "a.py", cwd=tmp_path)
    assert result.returncode == 2, result.stdout
    assert needle in result.stderr and "pyproject.toml" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1  # one clear line, no traceback


def test_invalid_utf8_config(tmp_path):
    (tmp_path / ".backdoor-lint.toml").write_bytes(b'ignore = ["\xff"]\n')
    result = run("scan", ".", cwd=tmp_path)
    assert result.returncode == 2 and "not valid UTF-8" in result.stderr


def test_missing_explicit_config(tmp_path):
    result = run("scan", ".", "--config", "nope.toml", cwd=tmp_path)
    assert result.returncode == 2 and "nope.toml: config file not found" in result.stderr


def test_config_is_found_upwards_and_applied(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.backdoor-lint]\nignore = ["BDL101"]\n')
    sub = tmp_path / "pkg"
    sub.mkdir()
    (sub / "a.py").write_text(BAD)
    assert run("scan", "a.py", cwd=sub).returncode == 0
    (tmp_path / "empty.toml").write_text("")
    assert run("scan", "a.py", "--config", str(tmp_path / "empty.toml"), cwd=sub).returncode == 1  # defaults


def test_pyproject_without_our_table_is_not_a_config(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    (tmp_path / "a.py").write_text(BAD)
    assert run("scan", ".", cwd=tmp_path).returncode == 1


def test_exclude_and_per_file_ignores(tmp_path):
    (tmp_path / ".backdoor-lint.toml").write_text(
        'exclude = ["vendor/"]\nper-file-ignores = { "tests/**" = ["BDL101"] }\n')
    for folder in ("vendor", "tests", "src"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.py").write_text(BAD)
    result = run("scan", ".", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    assert '"path": "src/a.py"' in result.stdout
    assert "vendor/a.py" not in result.stdout and "tests/a.py" not in result.stdout


def test_severity_override_and_fail_on(tmp_path):
    (tmp_path / "a.py").write_text(BAD)
    (tmp_path / ".backdoor-lint.toml").write_text('severity = { BDL101 = "warn" }\n')
    assert run("scan", "a.py", cwd=tmp_path).returncode == 0
    (tmp_path / ".backdoor-lint.toml").write_text('severity = { BDL101 = "warn" }\nfail-on = "warn"\n')
    assert run("scan", "a.py", cwd=tmp_path).returncode == 1


def test_prefix_expansion(tmp_path):
    (tmp_path / ".backdoor-lint.toml").write_text('select = ["BDL7"]\n')
    config = load_config(None, tmp_path)
    assert config.enabled("BDL701") and not config.enabled("BDL101")
    (tmp_path / ".backdoor-lint.toml").write_text('select = ["BDL"]\nignore = ["BDL10"]\n')
    config = load_config(None, tmp_path)
    assert not config.enabled("BDL101") and config.enabled("BDL701")


def test_unknown_key_in_dot_file(tmp_path):
    (tmp_path / ".backdoor-lint.toml").write_text('exclud = ["x"]\n')
    with pytest.raises(ConfigError, match="unknown key 'exclud'"):
        load_config(None, tmp_path)


@pytest.mark.parametrize("pattern,path,matches", [
    ("vendor/", "vendor/a.py", True),
    ("vendor", "src/vendor/a.py", True),
    ("src/vendor", "other/src/vendor/a.py", False),
    ("**/*_pb2.py", "a/b/c_pb2.py", True),
    ("*.py", "a/b.py", True),
    ("tests/**", "tests/x/y.py", True),
    ("tests/**", "src/tests.py", False),
])
def test_glob(pattern, path, matches):
    assert bool(glob_to_regex(pattern).match(path)) is matches


@pytest.mark.parametrize("body,args,needle", [
    ("", ["--select", ""], "--select: no codes given"),
    ("", ["--select", ","], "--select: no codes given"),
    ("", ["--ignore", "BDL"], "leave no rule enabled"),
    ("", ["--select", "BDL101", "--ignore", "BDL1"], "leave no rule enabled"),
    ("[tool.backdoor-lint]\nselect = []\n", [], "key 'select' is empty"),
    ('[tool.backdoor-lint]\nignore = ["BDL"]\n', [], "leave no rule enabled"),
])
def test_a_selection_that_checks_nothing_is_refused(tmp_path, body, args, needle):
    """Switching every rule off would report any file as clean: exit 2 with the reason instead."""
    (tmp_path / "a.py").write_text(BAD)
    if body:
        (tmp_path / "pyproject.toml").write_text(body)
    result = run("scan", *args, "a.py", cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert needle in result.stderr and "Traceback" not in result.stderr


def test_a_narrow_selection_still_works(tmp_path):
    (tmp_path / "a.py").write_text(BAD)
    assert run("scan", "--select", "BDL101", "a.py", cwd=tmp_path).returncode == 1
    assert run("scan", "--ignore", "BDL101", "a.py", cwd=tmp_path).returncode == 0
