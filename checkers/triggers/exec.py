"""Trigger of the obfuscated-execution rule (checkers/py_exec.py)."""
from __future__ import annotations

import ast
import re

from backdoor_lint.checkers.triggers import PythonTrigger
from backdoor_lint.checkers.triggers.sites import nodes
from backdoor_lint.checkers.triggers.sites_exec import ANY, arguments, may_name, possible_values, roots, text_constant
from backdoor_lint.checkers.vocabulary import DECODERS

# The rule's tables (checkers/py_exec.py reads them from here).
EXECUTORS = {
    "exec": "exec", "eval": "eval", "compile": "compile", "execfile": "execfile",
    "__import__": "__import__", "importlib.import_module": "importlib.import_module",
    "types.FunctionType": "types.FunctionType", "types.CodeType": "types.CodeType",
    "runpy.run_path": "runpy.run_path", "code.InteractiveInterpreter.runsource": "runsource",
    "ctypes.CDLL": "ctypes.CDLL",
}
UNPICKLERS = {
    "pickle.loads", "pickle.load", "_pickle.loads", "cPickle.loads", "marshal.loads", "marshal.load",
    "dill.loads", "dill.load", "cloudpickle.loads", "cloudpickle.load", "jsonpickle.decode", "yaml.unsafe_load",
    "pickle.Unpickler", "shelve.open", "joblib.load", "torch.load",
}
SHELL_RUNNERS = {"os.system", "os.popen", "subprocess.run", "subprocess.call", "subprocess.Popen",
                 "subprocess.check_output", "subprocess.check_call", "subprocess.getoutput"}
DANGEROUS_NAMES = {
    "exec", "eval", "compile", "__import__", "execfile", "system", "popen", "spawn", "spawnl", "spawnv", "execv",
    "execl", "execve", "execvp", "fork", "loads", "load", "open", "getattr", "setattr", "globals", "locals",
    "import_module", "run", "call", "Popen", "check_output", "check_call", "getoutput", "remove", "rmtree",
    "unlink", "urlopen", "urlretrieve", "post", "connect", "socket", "__builtins__", "__dict__", "__globals__",
    "__subclasses__", "__code__", "FunctionType", "CDLL", "mprotect", "write", "putenv",
}
DANGEROUS_MODULES = {"os", "subprocess", "socket", "pty", "ctypes", "builtins", "marshal", "pickle", "posix",
                     "nt", "importlib", "sys", "shutil", "urllib.request", "requests", "base64", "zlib", "runpy",
                     "code", "codeop", "types", "platform"}
BUILTIN_HOLDERS = {"builtins", "__builtins__", "__builtin__"}
# Calls that save a download to a file (url, path), and calls that run (or make runnable) a file.
DOWNLOADERS = {"urllib.request.urlretrieve", "urllib.urlretrieve", "wget.download"}
FILE_RUNNERS = SHELL_RUNNERS | {"os.chmod", "os.startfile", "os.execv", "os.execl", "os.execvp", "os.execlp",
                                "os.spawnl", "os.spawnv", "os.posix_spawn", "runpy.run_path", "ctypes.CDLL",
                                "ctypes.cdll.LoadLibrary", "ctypes.windll.LoadLibrary", "subprocess.check_call",
                                "subprocess.getoutput", "asyncio.create_subprocess_exec",
                                "asyncio.create_subprocess_shell", "execfile"}
MIN_BLOB = 80  # characters of an encoded blob (BDL506)
# The visitor's calls (visit_Call, _check_* and _builtins_holder), as the site test matches them.
_RUNS = frozenset(EXECUTORS) | frozenset(UNPICKLERS) | frozenset(SHELL_RUNNERS)
_EVALUATES_LITERALS = frozenset({"exec", "eval"})  # _check_executed goes on with a literal for these
_IMPORTERS = frozenset({"__import__", "importlib.import_module"})
_GETATTR = frozenset({"getattr"})
_SCOPE_DICTS = frozenset({"globals", "locals"})
_DECODERS = frozenset(DECODERS)
_DROPPER_SOURCES = frozenset(DOWNLOADERS)
_FILE_RUNNERS = frozenset(FILE_RUNNERS)
_WRITES = ("write", "write_bytes", "write_text")

# Execution primitives (called or not: `run = exec` then `run(payload)`), builtins holders,
# decoders, unpicklers, process calls, getattr with a built name and literal concatenation (names
# assembled from pieces).
_PRIMITIVES = re.compile(
    rb"(?<![.\w])(?:exec|eval|compile|execfile|__import__)\b|import_module|FunctionType|CodeType|__builtins__|"
    rb"__builtin__|\bbuiltins\b|globals\(\)\s*\[|locals\(\)\s*\[|vars\(|__dict__\s*\[|b64decode|b32decode|b16decode|fromhex|"
    rb"unhexlify|a2b_|decompress|codecs|marshal|pickle|dill|jsonpickle|unsafe_load|runpy|subprocess|system\(|popen|"
    rb"urlretrieve|"
    rb"getattr\([^\n]*(?:[\"']\s*\+|\+\s*[\"']|join\(|\[::-1\]|chr\(|decode\()"
)
LITERAL_CONCATENATION = re.compile(rb"[\"']\s*\+\s*[\"']")
# A dropper without the words above: a file made executable or started (`os.chmod`, `Popen`,
# `startfile`) after a download or a decode.
DROPPER_RUNNERS = re.compile(rb"chmod|startfile|Popen|spawn|exec[lv]")
DROPPER_SOURCES = re.compile(rb"requests|urlopen|urllib|httpx|aiohttp|socket|recv|decode|decompress|fromhex|unhexlify|"
                             rb"decrypt|download")


class ObfuscatedExec(PythonTrigger):
    TRIGGER = _PRIMITIVES
    # every branch of TRIGGER holds one of these: substring tests rule most files out 5x faster
    TRIGGER_LITERALS = (b"exec", b"eval", b"compile", b"__import__", b"import_module", b"FunctionType", b"CodeType",
                        b"builtin", b"globals", b"locals", b"vars(", b"__dict__", b"b64decode", b"b32decode",
                        b"b16decode", b"fromhex", b"unhexlify", b"a2b_", b"decompress", b"codecs", b"marshal",
                        b"pickle", b"dill", b"unsafe_load", b"runpy", b"subprocess", b"system(", b"popen",
                        b"getattr(", b"urlretrieve")

    @classmethod
    def wants(cls, raw: bytes, display: str) -> bool:
        return super().wants(raw, display) or LITERAL_CONCATENATION.search(raw) is not None \
            or (DROPPER_RUNNERS.search(raw) is not None and DROPPER_SOURCES.search(raw) is not None)

    @classmethod
    def wants_module(cls, facts, raw: bytes, display: str) -> bool:
        # `getattr(requests, A + B)` with A, B constants elsewhere: no byte pattern sees it
        return facts.computed_getattr or super().wants_module(facts, raw, display)

    @classmethod
    def has_site(cls, facts) -> bool:
        file_roots = roots(facts)
        calls = nodes(facts, ast.Call)
        # visit_Subscript, _fetched_builtin and getattr on a holder need a builtins holder
        # (_builtins_holder): a name qualified as one of BUILTIN_HOLDERS (a root of the file) or a
        # call of globals()/locals(); vars(x), x.__dict__ and x[...] only wrap another holder.
        if file_roots & BUILTIN_HOLDERS or ANY in file_roots \
                or any(may_name(facts, call, _SCOPE_DICTS) for call in calls):
            return True
        runs_a_file = writes_a_file = False
        for call in calls:
            given = arguments(call)
            if not given:
                continue  # every check of visit_Call reads an argument
            # _check_executed returns at once on a literal, except for exec/eval; after it only
            # _check_computed_import reads the literal, a module of DANGEROUS_MODULES
            if may_name(facts, call, _RUNS) and not cls._literal_run(facts, call, given[0]):
                return True
            # _check_getattr: with no holder (ruled out above) it needs a value of the name in
            # DANGEROUS_NAMES
            if len(given) >= 2 and may_name(facts, call, _GETATTR) and not cls._harmless_name(facts, given[1]):
                return True
            # _check_blob: a blob is a constant value of the argument with MIN_BLOB characters
            if may_name(facts, call, _DECODERS) and cls._may_be_blob(facts, given[0]):
                return True
            # _check_dropped: a download or a `.write*(...)`, and a call that runs a file
            if (len(given) >= 2 and may_name(facts, call, _DROPPER_SOURCES)) \
                    or (isinstance(call.func, ast.Attribute) and call.func.attr in _WRITES):
                writes_a_file = True
            if may_name(facts, call, _FILE_RUNNERS):
                runs_a_file = True
        return runs_a_file and writes_a_file

    @classmethod
    def _literal_run(cls, facts, call: ast.Call, first: ast.expr) -> bool:
        """A run, unpickle or import of a literal the rule does not report."""
        literal = text_constant(first)
        if literal is None or may_name(facts, call, _EVALUATES_LITERALS):
            return False
        return not (literal in DANGEROUS_MODULES and may_name(facts, call, _IMPORTERS))

    @staticmethod
    def _harmless_name(facts, node: ast.expr) -> bool:
        """getattr's name has no value in DANGEROUS_NAMES: none of the values the constant
        evaluator may find for it is one (bytes: no name at all)."""
        values = possible_values(facts, node)
        return values is not None and not values & DANGEROUS_NAMES

    @staticmethod
    def _may_be_blob(facts, node: ast.expr) -> bool:
        """A value of the decoder's argument may be a blob: the evaluator may find a text of at
        least MIN_BLOB characters (looks_encoded counts them without white space)."""
        values = possible_values(facts, node)
        return values is None or any(isinstance(value, (str, bytes)) and len(value) >= MIN_BLOB for value in values)
