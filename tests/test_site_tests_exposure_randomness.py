"""Evasions the site tests of InsecureRandomness, TimingUnsafeComparison, DebugExposed and
PermissiveAccess (checkers/triggers/randomness.py, exposure.py) must still let through: each is
code the rule reports, reached through what its qualnames or dataflow follow beyond a plain call
(attributes of self, aliases of getattr, computed names, parameters passed an object, tuple
assignments, routed parameters, keys the evaluator computes). The engine must report it with the
site tests on, as the rule does with them off."""
import sys
from pathlib import Path

import pytest
from backdoor_lint.checkers import triggers
from backdoor_lint.checkers.triggers.randomness import InsecureRandomness, TimingUnsafeComparison

from backdoor_lint.config import Config
from backdoor_lint.engine import scan_bytes

sys.path.insert(0, str(Path(__file__).parent))
from site_test_support import has_site, in_tree, package  # noqa: E402

CASES = {
    # BDL208
    "prng-through-self-attribute": (
        'import random\nclass Tokens:\n    def __init__(self):\n        self.pick = random.choice\n'
        '    def reset_token(self):\n        token = "".join(self.pick("abcdef0123456789") for _ in range(32))\n'
        '        return token\n', "BDL208", 6),
    "prng-on-self-under-its-own-name": (
        'import random\nclass Tokens:\n    def __init__(self):\n        self.choice = random.choice\n'
        '    def reset_token(self):\n        token = "".join(self.choice("ab") for _ in range(32))\n'
        '        return token\n', "BDL208", 6),
    "prng-through-aliased-getattr": (
        'import random\ng = getattr\nc = g(random, "choice")\ndef reset_token():\n'
        '    token = "".join(c("abcdef0123456789") for _ in range(32))\n    return token\n', "BDL208", 5),
    "prng-through-computed-name": (
        'import random\nNAME = "cho" + "ice"\npick = getattr(random, NAME)\ndef reset_token():\n'
        '    token = "".join(pick("abcdef0123456789") for _ in range(32))\n    return token\n', "BDL208", 5),
    # a builtin's name rebound (a name something binds is not read as the builtin)
    "prng-under-a-builtin-name": (
        'import random\nbytes = random.randbytes\ndef reset_token():\n    token = bytes(32).hex()\n'
        '    return token\n', "BDL208", 4),
    "prng-imported-under-a-builtin-name": (
        'from random import choice as max\ndef reset_token():\n    token = "".join(max("ab") for _ in range(32))\n'
        '    return token\n', "BDL208", 3),
    "prng-bound-through-global": (
        'import random\ndef setup():\n    global pick\n    pick = random.choice\ndef reset_token():\n'
        '    token = "".join(pick("ab") for _ in range(32))\n    return token\n', "BDL208", 6),
    # BDL604
    "flask-app-passed-as-parameter": (
        'from flask import Flask\ndef serve(a):\n    a.run(host="0.0.0.0", debug=True)\nserve(Flask(__name__))\n',
        "BDL604", 3),
    "flask-app-on-self": (
        'from flask import Flask\nclass Server:\n    def __init__(self):\n        self.app = Flask(__name__)\n'
        '    def start(self):\n        self.app.run(host="0.0.0.0", debug=True)\n', "BDL604", 6),
    "environ-through-alias": ('import os\nenv = os.environ\nenv["WERKZEUG_DEBUG_PIN"] = "off"\n', "BDL604", 3),
    "pin-variable-and-value-built": ('import os\nNAME = "WERKZEUG_" + "DEBUG_PIN"\n'
                                     'os.environ[NAME] = "".join(["O", "FF"])\n', "BDL604", 3),
    "debug-through-a-name": ('ON = True\nDEBUG = ON\nALLOWED_HOSTS = ["*"]\n', "BDL604", 2),
    "debug-from-a-helper": ('def on():\n    return True\nDEBUG = on()\nALLOWED_HOSTS = ["*"]\n', "BDL604", 3),
    "run-through-alias": (
        'from flask import Flask\napp = Flask(__name__)\ngo = app.run\ngo(host="0.0.0.0", debug=True)\n', "BDL604", 4),
    # BDL605
    "csrf-exempt-of-an-instance": (
        'from flask_wtf.csrf import CSRFProtect\nfrom flask import session\ncsrf = CSRFProtect(app)\n@csrf.exempt\n'
        'def transfer():\n    session["to"] = 1\n', "BDL605", 4),
    "chmod-through-import-alias": ('from os import chmod as ch\nch("/srv/app/run.sh", 0o777)\n', "BDL605", 2),
    "cors-middleware-as-keyword": (
        'from fastapi.middleware.cors import CORSMiddleware\napp.add_middleware(middleware_class=CORSMiddleware, '
        'allow_origins=["*"], allow_credentials=True)\n', "BDL605", 2),
    # BDL209
    "request-passed-as-parameter": (
        'from django.conf import settings\ndef _check(r):\n'
        '    if r.headers.get("X-Internal") != settings.INTERNAL_API_TOKEN:\n        raise PermissionError\n'
        'def view(request):\n    _check(request)\n', "BDL209", 3),
    "request-through-tuple-assignment": (
        'from django.conf import settings\ndef hook(request):\n    given, _ = request.headers.get("Authorization"), 0\n'
        '    if given == settings.INTERNAL_API_TOKEN:\n        return 1\n', "BDL209", 4),
    "routed-parameter": (
        'from fastapi import APIRouter\nfrom django.conf import settings\nrouter = APIRouter()\n@router.get("/hook")\n'
        'def hook(value: str):\n    if value == settings.INTERNAL_API_TOKEN:\n        return 1\n', "BDL209", 6),
    "secret-under-a-computed-key": (
        'from django.conf import settings\nKEY = "INTERNAL_API_" + "TOKEN"\ndef check(request):\n'
        '    provided = request.headers.get("X-I", "")\n    if provided != settings.__dict__[KEY]:\n'
        '        raise PermissionError\n', "BDL209", 5),
    # what may carry a secret or digest (triggers/randomness.py _may_carry_secret): a function's
    # return, an argument of the module's call, a self attribute, an aliased hashlib, an appended list
    "secret-returned-by-a-helper": (
        'import os\ndef _expected():\n    return os.environ["WEBHOOK_TOKEN"]\ndef hook(request):\n'
        '    if request.headers.get("X-Hook") != _expected():\n        return 403\n', "BDL209", 5),
    "secret-passed-as-argument": (
        'import os\ndef _check(request, expected):\n    if request.headers.get("X-Hook") != expected:\n'
        '        raise PermissionError\ndef view(request):\n    _check(request, os.environ.get("HOOK_SECRET"))\n',
        "BDL209", 3),
    "secret-on-self": (
        'import os\nclass Hook:\n    def __init__(self):\n        self.expected = os.getenv("HOOK_TOKEN")\n'
        '    def check(self, request):\n        return request.headers.get("X-Hook") == self.expected\n', "BDL209", 6),
    "digest-of-aliased-hashlib": (
        'import hashlib as h\ndef hook(request, key):\n    mac = h.sha256(key + request.body).hexdigest()\n'
        '    return request.headers.get("X-Hook") == mac\n', "BDL209", 4),
    "request-meta-under-an-http-key": (
        'import os\ndef _expected():\n    return os.environ["WEBHOOK_TOKEN"]\ndef hook(request):\n'
        '    if request.META.get("HTTP_X_HOOK") != _expected():\n        return 403\n', "BDL209", 5),
    "request-passed-in-a-dict-of-keywords": (
        'import os\nfrom flask import request\ndef _expected():\n    return os.environ["WEBHOOK_TOKEN"]\n'
        'def _check(r):\n    if r.headers.get("X-Hook") != _expected():\n        raise PermissionError\n'
        'def view():\n    _check(**{"r": request})\n', "BDL209", 6),
    "request-passed-by-keyword-to-a-star-parameter": (
        'import os\nfrom flask import request\ndef _expected():\n    return os.environ["WEBHOOK_TOKEN"]\n'
        'def _check(*rs):\n    if rs.headers.get("X-Hook") != _expected():\n        raise PermissionError\n'
        'def view():\n    _check(rs=request)\n', "BDL209", 6),
    # request input fetched by getattr (origins.request_source through getattr_name): a part name the
    # evaluator computes, a parameter's default, an aliased getattr, an aliased request
    "request-part-by-a-computed-getattr-name": (
        'import os\nPART = "hea" + "ders"\ndef hook(request):\n'
        '    if getattr(request, PART).get("X-Hook") != os.environ["WEBHOOK_TOKEN"]:\n        return 403\n',
        "BDL209", 4),
    "request-part-by-a-default-getattr-name": (
        'import os\ndef hook(request, part="GET"):\n'
        '    if getattr(request, part)["token"] != os.environ["WEBHOOK_TOKEN"]:\n        return 403\n', "BDL209", 3),
    "request-part-by-an-aliased-getattr": (
        'import os\ng = getattr\ndef hook(req):\n'
        '    if g(req, "head" "ers").get("X-Hook") != os.environ["WEBHOOK_TOKEN"]:\n        return 403\n',
        "BDL209", 4),
    "request-part-of-an-aliased-request-by-getattr": (
        'import os\nfrom flask import request as r\ndef hook():\n    sent = getattr(r, "args").get("t")\n'
        '    if sent != os.environ["WEBHOOK_TOKEN"]:\n        return 403\n', "BDL209", 5),
    "secret-appended-to-a-list": (
        'import os\nSEEN = []\nSEEN.append(os.environ.get("HOOK_SECRET"))\ndef hook(request):\n'
        '    return request.headers.get("X-Hook") in SEEN\n', "BDL209", 5),
}


def _found(source: str, code: str, site_tests: bool) -> set[int]:
    triggers.SITE_TESTS_ON = site_tests
    try:
        return {f.line for f in scan_bytes("app/views.py", source.encode(), Config()).findings if f.code == code}
    finally:
        triggers.SITE_TESTS_ON = True


@pytest.mark.parametrize("name", sorted(CASES))
def test_site_test_lets_the_evasion_through(name):
    source, code, line = CASES[name]
    assert line in _found(source, code, site_tests=False), "the rule itself no longer reports this case"
    assert line in _found(source, code, site_tests=True), f"the site test of the {code} rule hides it"


# Look-alikes the timing rule's site test must rule out: getattr of a model's field names (no
# request holder, no request part among the name's values) compared with what may be a secret.
TIMING_LOOK_ALIKES = [
    'from .registry import known_tokens\ndef is_known(obj, field):\n'
    '    return getattr(obj, field.attname) in known_tokens\n',
    'from .conf import settings\ndef stale(instance, name):\n    value = getattr(instance, name)\n'
    '    return value != settings.SECRET_KEY_FALLBACKS\n',
    # a confirmation field (Django's forms and createsuperuser): two inputs compared, no secret
    'def clean(self):\n    password1 = self.cleaned_data.get("password1")\n'
    '    password2 = self.cleaned_data.get("password2")\n    if password1 and password2 and password1 != password2:\n'
    '        raise ValueError("mismatch")\n',
    'def ask(getpass):\n    password = getpass()\n    if password != self.confirm_password:\n        return None\n'
    '    return password\n',
]


@pytest.mark.parametrize("source", TIMING_LOOK_ALIKES)
def test_a_timing_look_alike_is_no_site(source):
    assert not has_site(TimingUnsafeComparison, source)


# Look-alikes the debug rule's site test must rule out: Django's own global settings (DEBUG off), and
# environment variables other than the Werkzeug PIN set in code
DEBUG_LOOK_ALIKES = [
    'DEBUG = False\nALLOWED_HOSTS = []\nDEBUG_PROPAGATE_EXCEPTIONS = False\n',
    'import os\nos.environ["DJANGO_SETTINGS_MODULE"] = "mysite.settings"\nos.environ["WERKZEUG_DEBUG_PIN"] = "1234"\n',
]


@pytest.mark.parametrize("source", DEBUG_LOOK_ALIKES)
def test_a_debug_look_alike_is_no_site(source):
    from backdoor_lint.checkers.triggers.exposure import DebugExposed

    assert not has_site(DebugExposed, source)
    assert _found(source, "BDL604", site_tests=False) == set()


# Look-alikes the randomness rule's site test must rule out: a builtin spelled like a generator's
# member (`bytes`: numpy's Generator.bytes is in PRNG_CALLS) that nothing in the file rebinds.
RANDOMNESS_LOOK_ALIKES = [
    'import secrets\ndef compress(header):\n    token = bytes(header)\n    return token, secrets.randbelow(8)\n',
    'import random\ndef pick_token(tokens):\n    token = max(tokens, key=len)\n    return bytes(token, "ascii")\n',
]


@pytest.mark.parametrize("source", RANDOMNESS_LOOK_ALIKES)
def test_a_randomness_look_alike_is_no_site(source):
    assert not has_site(InsecureRandomness, source)


def test_a_secret_imported_from_a_module_of_the_tree_is_judged_by_its_value_there(tmp_path):
    """The timing rule's dataflow finds a secret in a name imported from another module of the tree
    by that module's value of it (Dataflow._imported): so does the site test, and a name whose value
    there is plain text is no secret (Django: form fields compared with names imported from its
    own modules)."""
    package(tmp_path, {"conf": 'import os\nSHARED = os.environ["WEBHOOK_SECRET"]\nLABEL = "x"\n'
                               'def shared():\n    return os.environ.get("WEBHOOK_SECRET")\n'})

    def timing(source: str):
        site, found = in_tree(tmp_path, source, TimingUnsafeComparison)
        return site, {finding for finding in found if finding[0] == "BDL209"}

    # (the rule looks only in a file whose text names a secret somewhere: the docstring does)
    head = '"""Checks the hook token."""\nfrom flask import request\n'
    for imported, use in (("SHARED as expected", "expected"), ("shared as expected_value", "expected_value()")):
        site, found = timing(f"{head}from pkg.conf import {imported}\ndef hook():\n"
                             f"    if request.headers.get('X-Hook') != {use}:\n        return 403\n")
        assert site and ("BDL209", 5) in found, (imported, sorted(found))
    assert timing(f"{head}from pkg.conf import LABEL as expected\ndef hook():\n"
                  "    if request.headers.get('X-Hook') != expected:\n        return 403\n") == (False, set())
