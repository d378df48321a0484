"""Where the report goes (`-o`) and what the human summary says (issue 18: output defects)."""
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from cli_runner import run_cli  # noqa: E402

BAD = 'import jwt\n\ndef verify(token, PUBLIC_KEY):\n    return jwt.decode(token, PUBLIC_KEY, algorithms=["RS256", "HS256"])\n'


@pytest.fixture
def bad(tmp_path) -> Path:
    path = tmp_path / "auth.py"
    path.write_text(BAD)
    return path


def _one_line_error(result, name: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and name in lines[0] and "cannot write the report" in lines[0], result.stderr


# --- -o FILE ------------------------------------------------------------------------------------

def test_output_is_written_through_a_symlink_to_its_target(bad, tmp_path):
    target = tmp_path / "reports" / "out.json"
    target.parent.mkdir()
    target.write_text("old\n")
    link = tmp_path / "latest.json"
    link.symlink_to(target)
    result = run_cli("scan", str(bad), "--format", "json", "-o", str(link))
    assert result.returncode == 1
    assert link.is_symlink() and os.readlink(link) == str(target)  # the link is kept
    assert '"BDL101"' in target.read_text()


def test_output_keeps_the_files_mode_and_hard_links(bad, tmp_path):
    out = tmp_path / "out.txt"
    out.write_text("old\n")
    out.chmod(0o640)
    twin = tmp_path / "twin.txt"
    os.link(out, twin)
    assert run_cli("scan", str(bad), "-o", str(out)).returncode == 1
    assert stat.S_IMODE(out.stat().st_mode) == 0o640 and "BDL101" in twin.read_text()


def test_a_fifo_is_refused_and_left_alone(bad, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = run_cli("scan", str(bad), "-o", str(fifo))
    _one_line_error(result, str(fifo))
    assert "named pipe" in result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_device_is_refused_and_left_alone():
    before = os.stat("/dev/full")
    result = run_cli("scan", str(Path(__file__)), "--select", "BDL101", "-o", "/dev/full")
    _one_line_error(result, "/dev/full")
    after = os.stat("/dev/full")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev and after.st_ino == before.st_ino


def test_a_directory_and_a_missing_parent_exit_2_naming_the_path(bad, tmp_path):
    _one_line_error(run_cli("scan", str(bad), "-o", str(tmp_path)), str(tmp_path))
    missing = tmp_path / "no" / "such" / "out.sarif"
    _one_line_error(run_cli("scan", str(bad), "--format", "sarif", "-o", str(missing)), str(missing))
    assert not missing.parent.exists()


def test_a_read_only_file_exits_2_and_keeps_its_content(bad, tmp_path):
    out = tmp_path / "out.txt"
    out.write_text("previous report\n")
    if os.geteuid() != 0:
        out.chmod(0o444)
    elif shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(out)]).returncode != 0:
        pytest.skip("root without chattr +i: no way to make a file read-only")
    try:
        _one_line_error(run_cli("scan", str(bad), "-o", str(out)), str(out))
        assert out.read_text() == "previous report\n"
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(out)])


@pytest.mark.parametrize("name", ["-", "/dev/stdout"])
def test_standard_output_names_write_to_the_stream(bad, name):
    result = run_cli("scan", str(bad), "--format", "json", "-o", name)
    assert result.returncode == 1 and '"BDL101"' in result.stdout
    assert os.path.islink("/dev/stdout") or not os.path.exists("/dev/stdout") or \
        not stat.S_ISREG(os.lstat("/dev/stdout").st_mode)  # never replaced by a regular file


def test_stderr_name_writes_to_the_stream(bad):
    result = run_cli("scan", str(bad), "--format", "json", "-o", "/dev/stderr")
    assert result.returncode == 1 and '"BDL101"' in result.stderr and result.stdout == ""


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_failed_write_to_stdout_exits_2(bad):
    """End to end: stdout is a full device; the report is lost, so the exit status must say so."""
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "backdoor_lint", "scan", "--no-cache", str(bad)], stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=600)
    assert proc.returncode == 2, proc.stderr
    assert "stdout: cannot write the report" in proc.stderr


# --- unknown subcommands ------------------------------------------------------------------------

def test_a_misspelt_command_is_an_error_with_a_suggestion(tmp_path):
    result = run_cli("sacn", cwd=tmp_path)
    assert result.returncode == 2
    assert "unknown command 'sacn' (did you mean 'scan'?)" in result.stderr
    other = run_cli("explian", "BDL101", cwd=tmp_path)
    assert other.returncode == 2 and "did you mean 'explain'?" in other.stderr
    unrelated = run_cli("zzzz", cwd=tmp_path)
    assert unrelated.returncode == 2 and "unknown command 'zzzz'" in unrelated.stderr


def test_a_real_file_or_directory_named_like_a_command_is_scanned(tmp_path):
    (tmp_path / "sacn").write_text("#!/usr/bin/env python3\n" + BAD)
    result = run_cli("sacn", cwd=tmp_path)
    assert result.returncode == 1 and "BDL101" in result.stdout
    (tmp_path / "rulez").mkdir()
    (tmp_path / "rulez" / "auth.py").write_text(BAD)
    result = run_cli("rulez", cwd=tmp_path)
    assert result.returncode == 1 and "BDL101" in result.stdout


# --- the summary line ---------------------------------------------------------------------------

TWO_CODES = BAD + 'import hashlib\n\ndef hash_password(password):\n    return hashlib.md5(password.encode()).hexdigest()\n'


@pytest.fixture
def mixed(tmp_path) -> Path:
    (tmp_path / "auth.py").write_text(BAD)
    (tmp_path / "both.py").write_text(TWO_CODES)
    (tmp_path / "clean.py").write_text("x = 1\n")
    return tmp_path


def _summary(result) -> str:
    return result.stdout.strip().splitlines()[-1]


def test_manual_scan_summary_counts_files_with_findings_and_names_every_code(mixed):
    result = run_cli("scan", "--no-cache", str(mixed))
    line = _summary(result)
    assert result.returncode == 1
    assert "3 blocking findings in 2 files (BDL101 x2, BDL201); 3 files scanned." in line
    assert "Exit status 1." in line and "commit" not in line.lower()


def test_exit_zero_summary_does_not_claim_anything_is_blocked(mixed):
    result = run_cli("scan", "--no-cache", "--exit-zero", str(mixed))
    line = _summary(result)
    assert result.returncode == 0 and "Exit status 0 (--exit-zero" in line and "commit" not in line.lower()


def test_summary_with_a_report_file_goes_to_stderr_in_the_same_words(mixed, tmp_path):
    result = run_cli("scan", "--no-cache", str(mixed), "--format", "sarif", "-o", str(tmp_path / "out.sarif"))
    assert "3 blocking findings in 2 files (BDL101 x2, BDL201)" in result.stderr
    assert "commit" not in result.stderr.lower()


def test_pre_commit_framework_summary_names_the_hook(mixed):
    result = run_cli("scan", "--no-cache", str(mixed / "auth.py"), env={**os.environ, "PRE_COMMIT": "1"})
    assert "The pre-commit hook fails." in _summary(result)


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_staged_scan_summary_speaks_of_the_commit(tmp_path):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, env=env)
    (tmp_path / "x.py").write_text("x = 1\n")
    subprocess.run(["git", "-C", str(tmp_path), "add", "x.py"], check=True, env=env)
    subprocess.run(["git", "-C", str(tmp_path), "commit", "-qm", "init"], check=True, env=env)
    (tmp_path / "auth.py").write_text(BAD)
    subprocess.run(["git", "-C", str(tmp_path), "add", "auth.py"], check=True, env=env)
    result = run_cli("scan", "--staged", cwd=tmp_path)
    assert result.returncode == 1 and "The commit is blocked." in _summary(result)
    quiet = run_cli("scan", "--staged", "--exit-zero", cwd=tmp_path)
    assert quiet.returncode == 0 and "commit" not in _summary(quiet).lower()


# --- --write-baseline ---------------------------------------------------------------------------

def test_write_baseline_says_where_and_whether_it_takes_effect(bad, tmp_path):
    unconfigured = run_cli("scan", "--no-cache", str(bad), "--write-baseline", "b.json", cwd=tmp_path)
    assert unconfigured.returncode == 0 and (tmp_path / "b.json").exists()
    assert f"to baseline {tmp_path / 'b.json'}" in unconfigured.stderr
    assert "no `baseline` is configured, so this file has no effect yet" in unconfigured.stderr
    assert 'Add `baseline = "b.json"`' in unconfigured.stderr and "--baseline" in unconfigured.stderr
    (tmp_path / ".backdoor-lint.toml").write_text('baseline = "b.json"\n')
    configured = run_cli("scan", "--no-cache", str(bad), "--write-baseline", "b.json", cwd=tmp_path)
    assert "it is the configured baseline" in configured.stderr and "no effect" not in configured.stderr
    other = run_cli("scan", "--no-cache", str(bad), "--write-baseline", "other.json", cwd=tmp_path)
    assert "not this file" in other.stderr and "no effect unless" in other.stderr
    assert run_cli("scan", "--no-cache", str(bad), cwd=tmp_path).returncode == 0  # the configured one is read


# --- special files found by a scan --------------------------------------------------------------

def test_a_fifo_in_the_tree_blocks_with_a_fitting_explanation(tmp_path):
    (tmp_path / "ok.py").write_text("x = 1\n")
    for name in ("pipe.py", "notes"):  # a source name or none: a FIFO is never a file that was checked
        os.mkfifo(tmp_path / name)
    result = run_cli("scan", "--no-cache", "--format", "json", str(tmp_path))
    assert result.returncode == 1
    import json

    findings = {Path(f["path"]).name: f for f in json.loads(result.stdout)["findings"]}
    for name in ("pipe.py", "notes"):
        finding = findings[name]
        assert finding["code"] == "BDL903" and finding["severity"] == "block"
        assert "named pipe (FIFO)" in finding["message"] and "not a source file" in finding["message"]
        assert "remove it, or exclude its path" in finding["message"]
        assert "max-file-size" not in finding["message"]


# --- one BDL901 per cause -----------------------------------------------------------------------

@pytest.mark.parametrize("name, data", [
    ("nul.py", b"import os\nx = 1\0\ny = 2\n"),  # NUL byte: was the decoder's and the parser's BDL901
    ("script", b"#!/usr/bin/env python3\nx = (\n\0\n"),  # the same, recognised by its shebang
    ("enc.py", b"x = 1\n\xff = 2\n"),  # invalid UTF-8 outside a string: decoder and parser again
    ("a.js", b"var x = 1;\nvar \xff = 2;\n"),  # decoder (core) and semgrep's parse error on one line
])
def test_one_unreadable_cause_gives_one_bdl901(tmp_path, name, data):
    (tmp_path / name).write_bytes(data)
    result = run_cli("scan", "--no-cache", "--format", "json", str(tmp_path / name))
    import json

    codes = [f["code"] for f in json.loads(result.stdout)["findings"]]
    assert result.returncode == 1 and codes == ["BDL901"], result.stdout


def test_two_causes_still_give_two(tmp_path):
    path = tmp_path / "two.js"
    path.write_bytes(b'var s = "\xff";\nfunction f( {\n')  # invalid UTF-8 in a string, and a syntax error
    result = run_cli("scan", "--no-cache", "--format", "json", str(path))
    import json

    assert [f["code"] for f in json.loads(result.stdout)["findings"]] == ["BDL901", "BDL901"]


# --- code frames --------------------------------------------------------------------------------

JS = 'const jwt = require("jsonwebtoken");\nfunction v(t, PUBLIC_KEY) {\n{indent}return jwt.verify(t, PUBLIC_KEY, ' \
     '{ algorithms: ["RS256", "HS256"] });\n}\n'


def _caret_under(stdout: str, line_number: int) -> tuple[str, str]:
    lines = stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.lstrip().startswith(f"{line_number} | "))
    code, carets = lines[at].split(" | ", 1)[1], lines[at + 1].split(" | ", 1)[1]
    first = len(carets) - len(carets.lstrip(" "))
    return code, code[first:first + len(carets.strip())]


GO = ('package b\n\nimport "github.com/golang-jwt/jwt/v5"\n\nfunc tenant(raw string) {\n'
      '{indent}jwt.NewParser().ParseUnverified(raw, jwt.MapClaims{})\n}\n')


# the JavaScript site is reported by the JavaScript analysis, the Go one by a semgrep rule alone
@pytest.mark.parametrize("name,source,line,call", [("verify.js", JS, 3, "jwt.verify("),
                                                   ("tenant.go", GO, 6, "jwt.NewParser().ParseUnverified(")])
@pytest.mark.parametrize("indent", ["    ", "\t", "\t  "])
def test_frame_keeps_indentation_and_the_carets_hit_the_site(tmp_path, indent, name, source, line, call):
    path = tmp_path / name
    path.write_text(source.replace("{indent}", indent))
    result = run_cli("scan", "--no-cache", str(path))
    assert result.returncode == 1 and f":{line}:" in result.stdout, result.stdout
    code, underlined = _caret_under(result.stdout, line)
    assert "\t" not in code and code.lstrip(" ").startswith(("return", call))
    assert code == " " * len(indent.expandtabs(8)) + code.lstrip(" ")  # the indentation, as displayed
    assert call in underlined and underlined.rstrip(";").endswith(")")


def test_text_finding_frame_keeps_indentation(tmp_path):
    path = tmp_path / "s.py"
    path.write_text("def f():\n\tx = 1  # backdoor-lint: ignore[BDL999] unknown code\n")
    result = run_cli("scan", "--no-cache", str(path))
    code, underlined = _caret_under(result.stdout, 2)
    assert code.startswith(" " * 8 + "x = 1") and underlined.startswith("#")


def test_frame_counts_wide_and_invisible_characters_by_their_display():
    from backdoor_lint.findings import Finding
    from backdoor_lint.reporters.text import _frame

    line = 'label = "カート"; token = "a\u200bb"'
    column = line.index("token") + 1
    finding = Finding("a.js", 1, column, "BDL603", "m", end_column=column + 5, engine="text", snippet=line)
    shown, carets = [row.split(" | ", 1)[1] for row in _frame(finding)]
    assert "\u200b" not in shown and "\\u200b" in shown  # never printed raw
    assert shown.replace("カート", "カカーートト")[len(carets) - 5:len(carets)] == "token"


# --- rule languages in SARIF help ---------------------------------------------------------------

def test_sarif_help_names_real_languages_for_every_rule(tmp_path):
    import json

    from backdoor_lint.rules_table import documented_rules

    (tmp_path / "ok.py").write_text("x = 1\n")
    out = tmp_path / "out.sarif"
    assert run_cli("scan", "--no-cache", str(tmp_path), "--format", "sarif", "-o", str(out)).returncode == 0
    rules = json.loads(out.read_text())["runs"][0]["tool"]["driver"]["rules"]
    assert len(rules) == len(documented_rules())
    for rule in rules:
        documented = documented_rules()[rule["id"]]
        assert documented.languages, rule["id"]
        shown = ", ".join(documented.languages)
        assert "none yet" not in rule["help"]["text"] + rule["help"]["markdown"]
        assert f"languages: {shown})" in rule["help"]["text"] and f"Languages: {shown}\n" in rule["help"]["markdown"]


def test_text_rule_languages_say_what_the_checker_reads():
    from backdoor_lint.rules_table import documented_rules

    rules = documented_rules()
    assert rules["BDL703"].languages == ("python", "go", "java", "javascript", "typescript")  # identifiers it tokenizes
    assert rules["BDL701"].languages == ("any but translation",)  # catalogues are not read
    assert "python" in rules["BDL101"].languages and "javascript" in rules["BDL101"].languages
    assert rules["BDL805"].languages == ("github-actions",)


def test_text_report_to_a_file_still_shows_the_summary_on_stderr(bad, tmp_path):
    result = run_cli("scan", "--no-cache", str(bad), "-o", str(tmp_path / "report.txt"))
    assert result.returncode == 1 and result.stdout == ""
    assert "1 blocking finding in 1 file (BDL101)" in result.stderr
    assert "1 blocking finding in 1 file (BDL101)" in (tmp_path / "report.txt").read_text()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_scanned_codes_own_warnings_are_not_printed(tmp_path, jobs):
    """Rules evaluate the scanned code's literals; `"\\S"` is an invalid escape that Python warns about
    (a SyntaxWarning shown by default since 3.12). That is the code's business, not our output's:
    with every warning shown (-W always), none reaches the user, in the file itself or in a constant
    it imports from another file of the tree."""
    (tmp_path / "settings.py").write_text('PATTERN = "ls \\S+"\n')
    (tmp_path / "app.py").write_text('import subprocess\nfrom settings import PATTERN\n'
                                     'subprocess.run("ls \\S+", shell=True)\nsubprocess.run(PATTERN, shell=True)\n'
                                     'label = f"a\\S{1}"\n')
    proc = subprocess.run([sys.executable, "-W", "always", "-m", "backdoor_lint", "scan", ".", "--no-cache",
                           "--jobs", jobs], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 1), proc.stderr
    assert "invalid escape sequence" not in proc.stderr + proc.stdout, proc.stderr
