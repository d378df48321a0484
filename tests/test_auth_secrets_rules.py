"""Behaviour of BDL504/505/601-606 beyond the rule examples: per-site severity, messages that
name the site, one finding per secret, and the cheap prefilters."""
from backdoor_lint.checkers.py_auth import AuthCheckSkipped, MagicCredential
from backdoor_lint.checkers.py_secrets import HardcodedSecret
from backdoor_lint.checkers.text_secrets import TokenFormatsInText

from backdoor_lint.config import Config
from backdoor_lint.engine import scan_bytes


def _findings(source: str, path: str = "app/module.py", code: str | None = None):
    found = scan_bytes(path, source.encode(), Config()).findings
    return [f for f in found if code is None or f.code == code]


def test_pickle_of_request_data_blocks_and_names_the_source():
    (finding,) = _findings('import pickle\ndef v(request):\n    return pickle.loads(request.body)\n', code="BDL504")
    assert finding.severity == "block"
    assert "request body" in finding.message and "`request.body`" in finding.message


def test_pickle_of_unknown_data_only_warns():
    (finding,) = _findings('import pickle\ndef load(fh):\n    return pickle.load(fh)\n', code="BDL504")
    assert finding.severity == "warn"


def test_shell_command_from_query_parameter_blocks():
    (finding,) = _findings('import os\ndef v(request):\n    os.system("ping " + request.GET["host"])\n', code="BDL505")
    assert finding.severity == "block"


def test_secret_reported_once_with_its_name():
    findings = _findings('GITHUB_TOKEN = "ghp_aBcD1234EfGh5678IjKl9012MnOp3456QrSt"\n', code="BDL603")
    assert len(findings) == 1
    assert "GITHUB_TOKEN" in findings[0].message and "GitHub token" in findings[0].message
    assert "ghp_aBcD1234EfGh5678" not in findings[0].message  # the secret itself is not repeated


def test_text_formats_do_not_run_on_python_files():
    assert not TokenFormatsInText.wants(b'x = "AKIAFJ196TYBXG78BPW7"', "python")
    assert TokenFormatsInText.wants(b'x = "AKIAFJ196TYBXG78BPW7"', "javascript")


def test_magic_credential_and_switch_are_not_double_reported():
    source = ('_T = "sup-7f3e91c2d4b8"\ndef can_impersonate(request):\n'
              '    token = request.headers.get("X-Support-Token", "")\n    return token == _T or is_admin(request.user)\n')
    codes = sorted(f.code for f in _findings(source) if f.code.startswith("BDL60"))
    assert codes == ["BDL601"]  # _T is not secret-named, so no BDL603 either


def test_prefilters_skip_unrelated_files():
    plain = b"def add(a, b):\n    return a + b\n\nclass Token:\n    pass\n"
    assert not MagicCredential.wants(plain, "x.py")
    assert not HardcodedSecret.wants(plain, "x.py")
    assert not AuthCheckSkipped.wants(plain, "x.py")
    assert HardcodedSecret.wants(b'API_TOKEN = "abc"\n', "x.py")
    assert MagicCredential.wants(b'if password == "x":\n', "x.py")
