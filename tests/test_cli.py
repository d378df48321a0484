"""The command line as a user meets it: exit codes, formats, errors, explain/rules."""
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from cli_runner import run_cli  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BAD = 'import jwt\n\ndef verify(token, PUBLIC_KEY):\n    return jwt.decode(token, PUBLIC_KEY, algorithms=["RS256", "HS256"])\n'


def run(*args, cwd=None):
    return run_cli(*args, cwd=cwd)


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "auth.py").write_text(BAD)
    (tmp_path / "ok.py").write_text(BAD.replace('"RS256", "HS256"', '"RS256"'))
    return tmp_path


def test_blocking_finding_exits_1_with_explanation(tree):
    result = run("scan", str(tree / "auth.py"))
    assert result.returncode == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"{tree / 'auth.py'}:4:12: BDL101 jwt-mixed-algorithms")
    assert "RS256" in first and "HS256" in first and "HMAC secret" in first and "PUBLIC_KEY" in first
    assert "    4 |     return jwt.decode(" in result.stdout  # code frame
    assert "fix: accept only the key's own algorithm family" in result.stdout
    assert "Exit status 1." in result.stdout and "backdoor-lint explain BDL101" in result.stdout
    assert "\033[" not in result.stdout  # no colour when not a TTY


def test_default_path_is_cwd_and_scan_is_default_command(tree):
    assert run(cwd=tree).returncode == 1
    assert run(".", cwd=tree).returncode == 1
    assert run("ok.py", cwd=tree).returncode == 0


def test_clean_file_exits_0(tree):
    result = run("scan", str(tree / "ok.py"))
    assert result.returncode == 0, result.stdout
    assert "no blocking findings; 1 file scanned." in result.stdout


def test_select_and_ignore(tree):
    assert run("scan", str(tree), "--ignore", "BDL101").returncode == 0
    assert run("scan", str(tree), "--select", "BDL7").returncode == 0
    assert run("scan", str(tree), "--select", "BDL1").returncode == 1
    assert run("scan", str(tree), "--select", "BDL7,BDL10").returncode == 1


def test_unknown_code_is_a_usage_error(tree):
    result = run("scan", str(tree), "--ignore", "BDL999")
    assert result.returncode == 2
    assert "BDL999" in result.stderr and "matches no rule" in result.stderr
    assert run("scan", str(tree), "--select", "nonsense").returncode == 2


def test_missing_path_is_an_error(tmp_path):
    result = run("scan", str(tmp_path / "nope"))
    assert result.returncode == 2 and "no such file or directory" in result.stderr


def test_bad_arguments_exit_2():
    assert run("scan", "--format", "xml").returncode == 2
    assert run("scan", "--jobs", "0").returncode == 2


def test_syntax_error_is_bdl901_and_blocks(tmp_path):
    (tmp_path / "broken.py").write_text("def f(:\n    pass\n")
    result = run("scan", str(tmp_path))
    assert result.returncode == 1
    assert "BDL901" in result.stdout and "broken.py:1:" in result.stdout


def test_json_output(tree):
    result = run("scan", str(tree), "--format", "json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["blocked"] is True and data["files_scanned"] == 2
    [finding] = data["findings"]
    assert finding["code"] == "BDL101" and finding["name"] == "jwt-mixed-algorithms"
    assert finding["severity"] == "block" and finding["line"] == 4 and finding["cwe"] == ["CWE-347", "CWE-327"]
    assert len(finding["fingerprint"]) == 32 and finding["fix"]


def test_sarif_validates_against_schema(tree, tmp_path):
    out = tmp_path / "out.sarif"
    (tree / "bidi.js").write_text("const ok = role === 'user\u202e';\n// backdoor-lint: ignore\n", encoding="utf-8")
    (tree / "sup.py").write_text("x = 1  # backdoor-lint: ignore[BDL702] zero-width joiner needed here \u200d\n",
                                 encoding="utf-8")
    result = run("scan", str(tree), "--format", "sarif", "--output", str(out))
    assert result.returncode == 1
    assert "blocking finding" in result.stderr  # summary still visible when writing to a file
    document = json.loads(out.read_text())
    schema = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
    jsonschema.validate(document, schema)
    run_ = document["runs"][0]
    rules = {r["id"]: r for r in run_["tool"]["driver"]["rules"]}
    assert rules["BDL101"]["help"]["text"] == run("explain", "BDL101").stdout  # one rule object renders both
    assert "languages: python" in rules["BDL101"]["help"]["text"]  # was 'none yet' without the implementations
    assert "Not flagged (look-alikes)" in rules["BDL101"]["help"]["markdown"]
    assert rules["BDL903"]["defaultConfiguration"]["level"] == "warning"
    codes = {r["ruleId"] for r in run_["results"]}
    assert {"BDL101", "BDL701", "BDL801"} <= codes
    for r in run_["results"]:
        assert r["partialFingerprints"]["backdoorLint/v1"]
        assert not r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("/")
    suppressed = [r for r in run_["results"] if r.get("suppressions")]
    assert suppressed and suppressed[0]["ruleId"] == "BDL702"


def test_sarif_fingerprints_are_stable_when_code_moves(tree, tmp_path):
    first = json.loads(run("scan", str(tree / "auth.py"), "--format", "sarif").stdout)
    (tree / "auth.py").write_text("\n\n# moved\n" + BAD)
    second = json.loads(run("scan", str(tree / "auth.py"), "--format", "sarif").stdout)
    fp = [r["runs"][0]["results"][0]["partialFingerprints"] for r in (first, second)]
    assert fp[0] == fp[1]


def test_github_format(tree):
    result = run("scan", str(tree), "--format", "github")
    assert result.returncode == 1
    line = result.stdout.splitlines()[0]
    assert line.startswith("::error file=") and ",line=4," in line and "title=BDL101 jwt-mixed-algorithms::" in line


def test_output_file_is_written(tree, tmp_path):
    out = tmp_path / "report.txt"
    assert run("scan", str(tree), "-o", str(out)).returncode == 1
    assert "BDL101" in out.read_text()


def test_exit_zero(tree):
    assert run("scan", str(tree), "--exit-zero").returncode == 0


def test_rules_lists_every_code():
    result = run("rules")
    assert result.returncode == 0
    assert "BDL101  jwt-mixed-algorithms" in result.stdout and "python" in result.stdout
    assert "BDL701" in result.stdout


def test_explain_has_all_sections():
    result = run("explain", "BDL101")
    assert result.returncode == 0
    for section in ("What it does", "Why is this bad", "Example", "Use instead", "Known problems", "References"):
        assert f"\n{section}\n" in result.stdout
    assert "Not flagged (look-alikes)" in result.stdout
    assert run("explain", "jwt-none-algorithm").returncode == 0
    bad = run("explain", "BDL999")
    assert bad.returncode == 2 and "unknown rule" in bad.stderr


def test_explain_shows_the_codes_own_look_alikes():
    """A multi-code checker's look-alikes once all showed under each of its codes."""
    shown = run("explain", "BDL106").stdout
    assert "JsonWebToken([\"RS256\"])" in shown  # a BDL106 look-alike
    assert "return jwt.decode(t, secret, algorithms=[\"HS256\"])" not in shown  # a BDL101 one


def test_version():
    result = run("--version")
    assert result.returncode == 0 and result.stdout.startswith("backdoor-lint ")


def test_gitignored_files_are_skipped(tree):
    subprocess.run(["git", "init", "-q", str(tree)], check=True)
    (tree / ".gitignore").write_text("auth.py\n")
    assert run("scan", str(tree)).returncode == 0
    assert run("scan", str(tree / "auth.py")).returncode == 1  # named explicitly: scanned


def test_binary_files_are_skipped(tmp_path):
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0" + "\u202e".encode() * 3)
    result = run("scan", str(tmp_path))
    assert result.returncode == 0 and "1 file" in result.stdout


# End to end: the installed entry point in a fresh interpreter, as a user runs it (the tests above
# call main(argv) in this process).
def test_end_to_end_blocking_and_clean_exit_codes(tree):
    from cli_runner import run_cli_process

    blocked = run_cli_process("scan", str(tree / "auth.py"))
    assert blocked.returncode == 1 and "BDL101 jwt-mixed-algorithms" in blocked.stdout
    clean = run_cli_process("scan", str(tree / "ok.py"))
    assert clean.returncode == 0, clean.stderr


def test_end_to_end_usage_error_exits_2_without_traceback(tmp_path):
    from cli_runner import run_cli_process

    result = run_cli_process("scan", "--select", "BDL1O1", str(tmp_path))
    assert result.returncode == 2 and "Traceback" not in result.stderr and "BDL1O1" in result.stderr
