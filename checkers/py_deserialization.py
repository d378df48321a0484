"""BDL504: unsafe deserialization — pickle and its relatives (dill, cloudpickle, marshal, shelve,
jsonpickle, pandas.read_pickle, joblib.load) on non-literal data, yaml.load/full_load/unsafe_load
with a loader that constructs Python objects, torch.load without weights_only=True and
numpy.load(allow_pickle=True). Blocking when the data provably comes from a client, the network,
a socket or a shared queue/cache; a warning otherwise."""
from __future__ import annotations

import re

import libcst as cst
from backdoor_lint.checkers.base import Invalid, PythonChecker, Valid
from backdoor_lint.checkers.flow_sources import guarded
from backdoor_lint.checkers.origins import untrusted_data
from backdoor_lint.checkers.py_dataflow import dataflow
from backdoor_lint.checkers.triggers import deserialization as trigger
from backdoor_lint.checkers.triggers.deserialization import (
    NUMPY_LOAD,
    PICKLE_LOADS,
    RUAMEL_YAML,
    TORCH_LOAD,
    YAML_LOAD,
    YAML_UNSAFE_FUNCS,
)

UNSAFE_LOADER = re.compile(r"^(ruamel\.)?yaml(\.\w+)*\.(C?(Unsafe|Full)?Loader|Constructor|UnsafeConstructor|"
                           r"FullConstructor)$")
SAFE_LOADER = re.compile(r"^(ruamel\.)?yaml(\.\w+)*\.(C?Safe\w*|C?Base\w*|RoundTripLoader)$")


class UnsafeDeserialization(trigger.UnsafeDeserialization, PythonChecker):
    CODES = ("BDL504",)

    def visit_Call(self, node: cst.Call) -> None:
        names = self.qualnames(node.func)
        if not names:
            return
        if names & PICKLE_LOADS:
            self._pickle(node, sorted(names & PICKLE_LOADS)[0])
        elif names & YAML_UNSAFE_FUNCS:
            name = sorted(names & YAML_UNSAFE_FUNCS)[0]
            self._flag(node, name, f"{name}() constructs arbitrary Python objects named by the document "
                       "(!!python/object/apply runs any callable)")
        elif names & YAML_LOAD:
            self._yaml(node, sorted(names & YAML_LOAD)[0])
        elif names & TORCH_LOAD:
            self._torch(node, sorted(names & TORCH_LOAD)[0])
        elif names & NUMPY_LOAD:
            if any(v is True for v in self.argument_values(node, "allow_pickle", 1)):
                self._flag(node, "numpy.load", "numpy.load(allow_pickle=True) unpickles object arrays "
                           "stored in the file")
        elif names & RUAMEL_YAML:
            if any(v == "unsafe" for v in self.argument_values(node, "typ", 0)):
                self.report(node, "BDL504", "ruamel.yaml YAML(typ=\"unsafe\") constructs arbitrary Python objects "
                            "from every document it loads: use typ=\"safe\"", severity="warn")

    # -------------------------------------------------------------------------------------
    def _data(self, call: cst.Call) -> cst.BaseExpression | None:
        for arg in call.args:
            if not arg.keyword and not arg.star:
                return arg.value
        for kw in ("data", "file", "f", "s", "stream", "filepath_or_buffer", "filename", "path", "obj", "string"):
            value = self.argument(call, kw)
            if value is not None:
                return value
        return None

    def _pickle(self, call: cst.Call, name: str) -> None:
        data = self._data(call)
        if data is None or self.evaluator.values(data):
            return  # nothing passed, or a literal the reviewer can read
        if name.startswith("marshal."):
            self._flag(call, name, f"{name}() is not hardened against crafted bytes: it builds code objects that "
                       "a later exec() runs, and malformed input can crash the interpreter", data,
                       consequence="decides what code objects this process holds, or crashes it")
        else:
            self._flag(call, name, f"{name}() runs whatever code the serialized bytes name (a pickle's "
                       "__reduce__ can call os.system)", data)

    def _yaml(self, call: cst.Call, name: str) -> None:
        data = self._data(call)
        if data is not None and self.evaluator.values(data):
            return
        loaders = self._keyword_expressions(call, "Loader", 1)
        if not loaders:
            if self.argument_given(call, "Loader", 1):
                return  # passed through **kwargs we cannot see into
            self._flag(call, name, f"{name}() without a Loader uses the loader that constructs Python objects "
                       "(older PyYAML) and fails on newer ones", data)
            return
        for loader in loaders:
            verdict, label = self._loader(loader)
            if verdict == "unsafe":
                via = "" if self.context.code(loader) == label.split(".")[-1] or "." in self.context.code(loader) \
                    and self.context.code(loader).endswith(label.split(".")[-1]) else f" (`{self.context.code(loader)}`)"
                self._flag(call, name, f"{name}() with Loader={label.split('.')[-1]}{via} constructs arbitrary "
                           "Python objects named by the document (!!python/object/apply runs any callable)", data)
                return

    def _loader(self, expression: cst.BaseExpression, depth: int = 0) -> tuple[str, str]:
        names = self.qualnames(expression)
        for n in sorted(names):
            if SAFE_LOADER.match(n):
                return "safe", n
        for n in sorted(names):
            if UNSAFE_LOADER.match(n):
                return "unsafe", n
        if isinstance(expression, cst.Name) and depth < 4:  # class MyLoader(yaml.SafeLoader): ...
            for assignment in self.context.assignments(expression):
                if isinstance(assignment.node, cst.ClassDef):
                    for base in assignment.node.bases:
                        verdict, label = self._loader(base.value, depth + 1)
                        if verdict != "unknown":
                            return verdict, label
        return "unknown", ""

    def _torch(self, call: cst.Call, name: str) -> None:
        values = self.argument_values(call, "weights_only")
        if any(v is True for v in values):
            return
        if not values and self.argument_given(call, "weights_only"):
            return  # decided somewhere we cannot see
        how = "weights_only=False" if values else "no weights_only=True"
        self._flag(call, name, f"{name}() with {how} unpickles the checkpoint, so a model file runs code "
                   "when it is loaded", self._data(call))

    def _flag(self, call: cst.Call, name: str, what: str, data: cst.BaseExpression | None = None,
              consequence: str = "runs code in this process") -> None:
        data = data if data is not None else self._data(call)
        origin = untrusted_data(self.context, data) if data is not None else None
        if origin and guarded(self.context, call, data):
            origin = None  # verified with compare_digest (a signed cookie) or allow-listed first
        if not origin and data is not None:  # through helper functions, containers, returns, imports
            taint = dataflow(self.context).attacker_data(data, call)
            origin = taint.describe() if taint else None
        subject = f"`{self.context.code(data)}`" if data is not None else "its input"
        if origin:
            message = f"{what}; here it deserializes {subject}, which is {origin}: whoever controls that data {consequence}"
            severity = "block"
        else:
            message = f"{what}; here it deserializes {subject}: anyone who can write that data or file {consequence}"
            severity = "warn"
        self.report(call, "BDL504", message + ". Use JSON, yaml.safe_load, weights_only=True or safetensors",
                    severity=severity)

    def _keyword_expressions(self, call: cst.Call, keyword: str, position: int | None) -> list[cst.BaseExpression]:
        """Expressions passed as `keyword`, explicitly or inside a `**mapping` literal or constant."""
        found = []
        explicit = self.argument(call, keyword, position)
        if explicit is not None:
            found.append(explicit)
        for arg in call.args:
            if arg.star == "**":
                found += self._mapping_entries(arg.value, keyword, 0)
        return found

    def _mapping_entries(self, node: cst.BaseExpression, keyword: str, depth: int) -> list[cst.BaseExpression]:
        if depth > 6:
            return []
        if isinstance(node, cst.Dict):
            found = []
            for element in node.elements:
                if isinstance(element, cst.DictElement) and self.evaluator.value(element.key) == keyword:
                    found.append(element.value)
                elif isinstance(element, cst.StarredDictElement):
                    found += self._mapping_entries(element.value, keyword, depth + 1)
            return found
        if isinstance(node, cst.Call) and self.qualnames(node.func) & {"dict"}:
            return [a.value for a in node.args if a.keyword is not None and a.keyword.value == keyword]
        if isinstance(node, cst.Name):
            found = []
            for kind, value in self.context.assigned_values(node):
                if kind == "=":
                    found += self._mapping_entries(value, keyword, depth + 1)
            # `opts["Loader"] = yaml.Loader` after the dict was built
            for assignment in self.context.assignments(node):
                for access in assignment.references:
                    subscript = self.context.parent(access.node)
                    target = self.context.parent(subscript) if isinstance(subscript, cst.Subscript) else None
                    statement = self.context.parent(target) if isinstance(target, cst.AssignTarget) else None
                    if isinstance(statement, cst.Assign) and len(subscript.slice) == 1 \
                            and isinstance(subscript.slice[0].slice, cst.Index) \
                            and self.evaluator.value(subscript.slice[0].slice.value) == keyword:
                        found.append(statement.value)
            return found
        return []

    VALID = [
        Valid('import yaml\ndef f(text):\n    return yaml.safe_load(text)\n', "BDL504"),
        Valid('import yaml\ndef f(text):\n    return yaml.load(text, Loader=yaml.SafeLoader)\n', "BDL504"),
        Valid('from yaml import load, CSafeLoader as L\ndef f(text):\n    return load(text, L)\n', "BDL504"),
        Valid('import yaml\nclass StrictLoader(yaml.SafeLoader):\n    pass\nOPTS = {"Loader": StrictLoader}\n'
              'def f(text):\n    return yaml.load(text, **OPTS)\n', "BDL504"),
        Valid('import torch\ndef f(path):\n    return torch.load(path, map_location="cpu", weights_only=True)\n',
              "BDL504"),
        Valid('import torch\nKW = {"weights_only": True}\ndef f(path):\n    return torch.load(path, **KW)\n', "BDL504"),
        Valid('import numpy as np\ndef f(path):\n    return np.load(path)\n', "BDL504"),
        Valid('import numpy as np\ndef f(path):\n    return np.load(path, allow_pickle=False)\n', "BDL504"),
        Valid('import json\ndef view(request):\n    return json.loads(request.body)\n', "BDL504"),
        Valid('import pickle\ndef f(obj):\n    return pickle.dumps(obj)\n', "BDL504"),
        Valid('import pickle\nDEFAULT = pickle.loads(b"\\x80\\x04]\\x94.")\n', "BDL504"),
        # shadowed names and other libraries with a `load`/`loads`
        Valid('def loads(data):\n    return data\nloads(request.body)\n', "BDL504"),
        Valid('class Schema:\n    def load(self, d): ...\npickle = Schema()\npickle.load(request.json)\n', "BDL504"),
        Valid('from marshmallow import Schema\nclass S(Schema): ...\ndef f(request):\n    return S().load(request.json)\n',
              "BDL504"),
        Valid('import joblib\ndef save(model, path):\n    joblib.dump(model, path)\n', "BDL504"),
    ]
    INVALID = [
        Invalid('import pickle\nimport base64\ndef read(request):\n'
                '    return pickle.loads(base64.b64decode(request.COOKIES["prefs"]))\n', "BDL504", 4),
        # alias import, from-import alias, getattr with a built name, __import__
        Invalid('import pickle as _codec\ndef f(request):\n    v = request.COOKIES.get("ui")\n    return _codec.loads(v)\n',
                "BDL504", 4),
        Invalid('from pickle import loads as _l\ndef f(sock):\n    return _l(sock.recv(4096))\n', "BDL504", 3),
        Invalid('import pickle\ndef f(data):\n    return getattr(pickle, "lo" + "ads")(data)\n', "BDL504", 3),
        Invalid('def f(blob):\n    return __import__("pick" + "le").loads(blob)\n', "BDL504", 2),
        Invalid('import pickle\nclass Q:\n    def get(self):\n        item = self._redis.blpop([self.name], timeout=5)\n'
                '        _, raw = item\n        return pickle.loads(raw)\n', "BDL504", 6),
        Invalid('import pickle\ndef f(fh):\n    return pickle.Unpickler(fh).load()\n', "BDL504", 3),
        # request input through a helper's parameter, a routed parameter (both blocking)
        Invalid('import pickle\ndef _restore(data):\n    return pickle.loads(data)\n'
                'def view(request):\n    return _restore(request.COOKIES["state"])\n', "BDL504", 3),
        Invalid('import pickle, base64\nfrom fastapi import FastAPI\napp = FastAPI()\n@app.get("/load")\n'
                'def load(state: str):\n    return pickle.loads(base64.b64decode(state))\n', "BDL504", 6),
        Invalid('import dill, marshal, shelve\ndef f(b, p):\n    dill.loads(b)\n', "BDL504", 3),
        Invalid('import marshal\ndef f(b):\n    return marshal.loads(b)\n', "BDL504", 3),
        Invalid('import shelve\ndef f(path):\n    return shelve.open(path)\n', "BDL504", 3),
        Invalid('import jsonpickle\ndef f(request):\n    return jsonpickle.decode(request.body)\n', "BDL504", 3),
        Invalid('from jsonpickle import unpickler as u\ndef f(request):\n    return u.Unpickler().restore(request.json)\n',
                "BDL504", 3),
        Invalid('import pandas as pd\ndef f(upload):\n    return pd.read_pickle(upload)\n', "BDL504", 3),
        Invalid('import joblib\ndef f(request):\n    return joblib.load(request.FILES["model"])\n', "BDL504", 3),
        # yaml: full_load, unsafe_load, explicit unsafe loaders through constants, aliases and **kwargs
        Invalid('import yaml\ndef f(t):\n    return yaml.full_load(t)\n', "BDL504", 3),
        Invalid('import yaml\ndef f(t):\n    return yaml.unsafe_load(t)\n', "BDL504", 3),
        Invalid('import yaml\ndef f(t):\n    return yaml.load(t, Loader=yaml.Loader)\n', "BDL504", 3),
        Invalid('import yaml\n_YAML_KW = {"Loader": yaml.UnsafeLoader}\ndef f(text):\n    return yaml.load(text, **_YAML_KW)\n',
                "BDL504", 4),
        Invalid('from yaml import load, FullLoader as Safe\nLOADER = Safe\ndef f(t):\n    return load(\n        t,\n'
                '        Loader=LOADER,\n    )\n', "BDL504", 4),
        Invalid('import yaml\ndef f(t):\n    return yaml.load(t)\n', "BDL504", 3),
        Invalid('import yaml\nclass L(yaml.Loader):\n    pass\ndef f(t):\n    return yaml.load(t, L)\n', "BDL504", 5),
        # torch / numpy
        Invalid('import torch\ndef f(path):\n    return torch.load(path, map_location="cpu")\n', "BDL504", 3),
        Invalid('import torch\nOPTS = {"weights_only": False}\ndef f(path):\n    return torch.load(path, **OPTS)\n',
                "BDL504", 4),
        Invalid('import numpy as np\nALLOW = True\ndef f(path):\n    return np.load(path, allow_pickle=ALLOW)\n',
                "BDL504", 4),
    ]
