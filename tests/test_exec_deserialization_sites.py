"""Evasions the site tests of BDL501-506 and BDL504 (checkers/triggers/exec.py, deserialization.py)
must let through: each case is reported through the engine (text stage and site test on), and the
site test says yes on it. Cases: a sink reached through a `self` attribute, a getattr name from a
default, a class attribute or an implicit concatenation, a literal module name that is dangerous,
an importer or getattr under another name, a blob or loader option from a constant."""
import ast

import pytest
from backdoor_lint.checkers.trigger_facts import python_facts
from backdoor_lint.checkers.triggers.deserialization import UnsafeDeserialization
from backdoor_lint.checkers.triggers.exec import ObfuscatedExec

from backdoor_lint.config import Config
from backdoor_lint.engine import scan_bytes

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
]


@pytest.mark.parametrize("trigger,source,code,line", CASES, ids=[f"{t.__name__}-{i}" for i, (t, *_) in enumerate(CASES)])
def test_the_site_test_lets_the_evasion_through_and_the_engine_reports_it(trigger, source, code, line):
    data = source.encode()
    assert trigger.has_site(python_facts(data, ast.parse(data)))
    found = {(f.code, f.line) for f in scan_bytes("app/module.py", data, Config()).findings}
    assert (code, line) in found, sorted(found)


NO_SITE = [
    # what Django does: a literal module imported, a literal concatenation that reaches no executor,
    # getattr of a parameter's name, pickle.dumps only, a literal unpickled
    (ObfuscatedExec, 'from importlib import import_module\nm = import_module("django.conf.global_settings")\n'
                     'LABEL = "a" + "b"\n'),
    (ObfuscatedExec, 'def value(obj, field_name):\n    return getattr(obj, field_name)\n'
                     'def cached(obj):\n    return obj.__dict__["x"]\n'),
    (UnsafeDeserialization, 'import pickle\ndef dump(obj):\n    return pickle.dumps(obj, pickle.HIGHEST_PROTOCOL)\n'),
    (UnsafeDeserialization, 'import pickle\nEMPTY = pickle.loads(b"\\x80\\x04]\\x94.")\n'),
    # a module imported by a name the evaluator cannot know names nothing the rule looks for
    (UnsafeDeserialization, 'from importlib import import_module\ndef load(name, data):\n'
                            '    return import_module(name).loads(data)\n'),
]


@pytest.mark.parametrize("trigger,source", NO_SITE, ids=[f"{t.__name__}-{i}" for i, (t, _) in enumerate(NO_SITE)])
def test_the_site_test_rules_out_what_the_rule_cannot_report(trigger, source):
    data = source.encode()
    assert not trigger.has_site(python_facts(data, ast.parse(data)))
    assert not scan_bytes("app/module.py", data, Config()).findings
