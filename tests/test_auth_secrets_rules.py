"""Behaviour of BDL504/505/601-606 beyond the rule examples: per-site severity, messages that
name the site, one finding per secret, and the cheap prefilters."""
import sys
from pathlib import Path

import pytest
from backdoor_lint.checkers.py_auth import AuthCheckSkipped, MagicCredential
from backdoor_lint.checkers.py_secrets import HardcodedSecret
from backdoor_lint.checkers.text_secrets import TokenFormatsInText

from backdoor_lint.config import Config
from backdoor_lint.engine import scan_bytes

sys.path.insert(0, str(Path(__file__).parent))
from site_test_support import codes, has_site  # noqa: E402


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


# Evasions the site tests (triggers/auth.py, fail_open.py has_site) must still let through: the
# comparison function under another name (an alias, a `self.` attribute, a computed getattr), a
# key or argument built from pieces or held in a constant, a keyword's name, a guard known only by
# its class or by a comment in a multi-line denial, tuple and session grant targets, a verification
# known only by the call it makes, an async one.
SITE_EVASIONS = [
    ('import hmac\nclass Api:\n    def __init__(self):\n        self.same = hmac.compare_digest\n    def ok(self, request):\n        return self.same(request.headers["X-Api-Key"], "k-9f8e7d6c5b4a")\n',
     "BDL601", 6),
    ('import hmac\nsame = getattr(hmac, "compare_" + "digest")\ndef ok(request):\n    return same(request.headers["X-Api-Key"], "k-9f8e7d6c5b4a")\n',
     "BDL601", 4),
    ('import hmac\nFIELD = "api_key"\ndef ok(form):\n    return hmac.compare_digest(form.get(FIELD), "k-9f8e7d6c5b4a")\n',
     "BDL601", 4),
    ('from hmac import compare_digest as same\ndef ok(request):\n    return same(request.headers["X-Api-Key"], "k-9f8e7d6c5b4a")\n',
     "BDL601", 3),
    ('import hmac\nsame = hmac.compare_digest\ndef ok(request):\n    return same(request.headers["X-Api-Key"], "k-9f8e7d6c5b4a")\n',
     "BDL601", 4),
    ('import hmac\ndef ok(request):\n    return getattr(hmac, "compare_digest")(request.headers["X-Api-Key"], "k-9f8e7d6c5b4a")\n',
     "BDL601", 3),
    ('def ok(form):\n    return form["pass" + "word"] == "Tr0ub4dor&3-master"\n',
     "BDL601", 2),
    ('def ok(form):\n    return form.get(password=1) == "Tr0ub4dor&3-master"\n',
     "BDL601", 2),
    ('from django.conf import settings\nclass AccessPolicy:\n    def __call__(self, request):\n        if settings.DEBUG:\n            return True\n        return request.user.is_staff\n',
     "BDL602", 4),
    ('import os\ndef handle(request, view):\n    if os.environ.get("SKIP_AUTH"):\n        return view(request)\n    if not request.user:\n        raise RuntimeError(\n            # deny: no user\n            "no user")\n    return view(request)\n',
     "BDL602", 3),
    ('def mw(request):\n    if request.headers.get("X-Debug-User"):\n        request.session["user_id"] = request.headers["X-Debug-User"]\n',
     "BDL602", 2),
    ('def check_access(request):\n    if request.headers.get("X-Debug-User"):\n        x, request.user.is_admin = 1, True\n',
     "BDL602", 2),
    ('import hmac\ndef webhook(body, sig, key):\n    try:\n        return hmac.compare_digest(sign(body, key), sig)\n    except Exception:\n        return True\n',
     "BDL606", 6),
    ('async def verify_signature(payload, signature):\n    return True\n',
     "BDL606", 1),
    # the switch of BDL602 (triggers/auth.py _reads_switch) read through a method of the class, a key
    # computed from pieces, a parameter passed os.environ, the client's host, a walrus, a name
    ('class Guard:\n    def _role(self, request):\n        return request.headers.get("X-Role", "")\n'
     '    def has_permission(self, request):\n        if self._role(request) == "admin":\n            return True\n'
     '        return request.user.is_staff\n', "BDL602", 5),
    ('def has_permission(app, user):\n    if app.config.get("DE" + "BUG"):\n        return True\n    return user.is_staff\n',
     "BDL602", 2),
    ('import os\ndef check_access(env, user):\n    if env.get("SKIP_AUTH"):\n        return True\n    return user.is_staff\n'
     'check_access(os.environ, None)\n', "BDL602", 3),
    ('def check_access(request):\n    if request.client.host == "127.0.0.1":\n        return True\n    return request.user.is_staff\n',
     "BDL602", 2),
    ('def check_access(request):\n    if (flag := request.headers.get("X-Skip")):\n        return True\n'
     '    return request.user.is_staff\n', "BDL602", 2),
    ('def is_authorized(request):\n    skip = request.COOKIES.get("skip_auth")\n    return skip == "1" or request.user.is_staff\n',
     "BDL602", 3),
    # a switch bound in the checking function beside a same-named harmless variable elsewhere, one
    # bound by `global` or `nonlocal` in another function, and a loop variable (sites_scopes)
    ('import os\ndef require_login(request):\n    flag = os.environ.get("SKIP_AUTH")\n    if flag:\n        return True\n'
     '    return request.user.is_authenticated\ndef other():\n    flag = 0\n', "BDL602", 4),
    ('import os\nSKIP = None\ndef configure():\n    global SKIP\n    SKIP = os.environ.get("SKIP_AUTH")\n'
     'def require_login(request):\n    if SKIP:\n        return True\n    return request.user.is_authenticated\n', "BDL602", 7),
    ('import os\ndef make_guard():\n    skip = False\n    def arm():\n        nonlocal skip\n'
     '        skip = os.environ.get("SKIP_AUTH")\n    arm()\n    def require_login(request):\n        if skip:\n'
     '            return True\n        return request.user.is_authenticated\n    return require_login\n', "BDL602", 9),
    ('import os\ndef require_login(request):\n    for flag in (os.environ.get("SKIP_AUTH"),):\n        if flag:\n'
     '            return True\n    return request.user.is_authenticated\n', "BDL602", 4),
    # the magic literal of BDL601 (_may_pair) known only to the evaluator: a parameter default, a
    # class attribute, a function's return, a pure method, an augmented or appended constant, a decoder
    ('def login(password, master="Tr0ub4dor&3-master"):\n    return password == master\n', "BDL601", 2),
    ('class Auth:\n    MASTER = "Tr0ub4dor&3-master"\n    def ok(self, password):\n        return password == self.MASTER\n',
     "BDL601", 4),
    ('def _master():\n    return "Tr0ub4dor&3-master"\ndef ok(password):\n    return password == _master()\n', "BDL601", 4),
    ('def ok(password):\n    return password == "TR0UB4DOR&3-MASTER".lower()\n', "BDL601", 2),
    ('M = "Tr0ub4dor"\nM += "&3-master"\ndef ok(password):\n    return password == M\n', "BDL601", 4),
    ('MASTERS = []\nMASTERS.append("Tr0ub4dor&3-master")\ndef ok(password):\n    return password in MASTERS\n', "BDL601", 4),
    ('def ok(password):\n    return password == bytes.fromhex("54723075623464307226332d6d6173746572").decode()\n', "BDL601", 2),
]


@pytest.mark.parametrize("source,code,line", SITE_EVASIONS)
def test_auth_rules_find_what_their_site_tests_must_let_through(source, code, line):
    assert line in [f.line for f in _findings(source, code=code)]


def test_a_parameter_is_no_switch_because_another_function_binds_its_name_to_one():
    """The switch site test follows a name read in a function that binds it (here a parameter) to
    that function's bindings only, as the rule's walk does (sites_scopes)."""
    from backdoor_lint.checkers.triggers.auth import AuthCheckSkipped as SwitchTrigger

    source = ('import os\ndef require_login(request, flag):\n    if flag:\n        return True\n'
              '    return request.user.is_authenticated\ndef debug_mode():\n    flag = os.environ.get("DEBUG")\n'
              '    return flag\n')
    assert "BDL602" not in codes(source, site_tests=False)
    assert not has_site(SwitchTrigger, source)
