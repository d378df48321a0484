"""Fix hints speak the finding's language: a JavaScript, Go or Java finding is never told to
write Python (issue 18: `algorithms=["RS256"]` under a JavaScript finding)."""
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from cli_runner import run_cli  # noqa: E402

from backdoor_lint.catalogue import all_rules  # noqa: E402
from backdoor_lint.rules_table import documented_rules  # noqa: E402

# What only Python writes: keyword arguments with literal values, Python's constants, its
# standard-library security APIs and its crypto library's names.
PYTHON_ONLY = re.compile(
    r"\b[a-z][a-z_]*=(?:True|False|None|\[|['\"]|\d)"  # algorithms=["RS256"], verify=False, key_size=3072
    r"|\b(?:True|False|None)\b"
    r"|\b(?:os\.urandom|secrets\.\w+|hmac\.compare_digest|ssl\.\w+|hashlib\.\w+|yaml\.safe_load|paramiko\.\w+)"
    r"|\bsecrets module\b|\bFernet\b|\ballow-list dict\b|\bshell=True\b"
)
C_LIKE = {"javascript", "typescript", "go", "java"}
PYTHON_FAMILY = {"python", "pth"}


def _pairs():
    """(code, language) for every language a rule is implemented for but Python; a rule for any
    text file (`any`) is checked in each C-like language."""
    for code, documented in documented_rules().items():
        for language in documented.languages:
            if language == "any":
                yield from ((code, other) for other in sorted(C_LIKE))
            elif language not in PYTHON_FAMILY:
                yield code, language


@pytest.mark.parametrize("code, language", sorted(_pairs()))
def test_no_python_syntax_in_another_languages_fix_hint(code, language):
    hint = all_rules()[code].fix_for(language)
    found = PYTHON_ONLY.search(hint)
    assert found is None, f"{code} in {language}: {hint!r} has Python-only {found.group()!r}"
    if language in C_LIKE:
        assert not re.search(r"#\s*backdoor-lint", hint), f"{code} in {language}: a # comment in {hint!r}"


def test_python_keeps_its_own_hint():
    assert all_rules()["BDL101"].fix_for("python") == all_rules()["BDL101"].fix
    assert 'algorithms=["RS256"]' in all_rules()["BDL101"].fix_for("python")
    assert all_rules()["BDL101"].fix_for("typescript") == all_rules()["BDL101"].fix_for("javascript")


def test_a_javascript_finding_shows_the_javascript_hint(tmp_path):
    path = tmp_path / "verify.js"
    path.write_text('const jwt = require("jsonwebtoken");\nfunction v(t, PUBLIC_KEY) {\n'
                    '  return jwt.verify(t, PUBLIC_KEY, { algorithms: ["RS256", "HS256"] });\n}\n')
    result = run_cli("scan", "--no-cache", str(path))
    fix = next(line for line in result.stdout.splitlines() if line.strip().startswith("fix:"))
    assert 'algorithms: ["RS256"]' in fix and "algorithms=" not in fix
    sarif = run_cli("scan", "--no-cache", "--format", "json", str(path))
    assert 'algorithms: [\\"RS256\\"]' in sarif.stdout and 'algorithms=[' not in sarif.stdout
