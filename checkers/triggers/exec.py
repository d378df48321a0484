"""Trigger of the obfuscated-execution rule (checkers/py_exec.py)."""
from __future__ import annotations

import ast
import re

from backdoor_lint.checkers import fast_search
from backdoor_lint.checkers.origin_tables import DECRYPTORS
from backdoor_lint.checkers.triggers import PythonTrigger, sites
from backdoor_lint.checkers.triggers.sites_exec import ANY, call_names, may_name, standing_for, text_constant
from backdoor_lint.checkers.triggers.sites_tree import arguments, nodes
from backdoor_lint.checkers.triggers.sites_values import possible_values
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
_VARS = frozenset({"vars"})
_DECODERS = frozenset(DECODERS)
_DROPPER_SOURCES = frozenset(DOWNLOADERS)
_FILE_RUNNERS = frozenset(FILE_RUNNERS)
_WRITES = ("write", "write_bytes", "write_text")

# Execution primitives (called or not: `run = exec` then `run(payload)`), builtins holders,
# decoders, unpicklers, process calls, getattr (called or aliased: whether its name may be a
# dangerous one is the site test's question, on the values the rule's evaluator may find) and
# literal concatenation (names assembled from pieces).
_PRIMITIVES = fast_search.compile(
    rb"(?<![.\w])(?:exec|eval|compile|execfile|__import__)\b|import_module|FunctionType|CodeType|__builtins__|"
    rb"__builtin__|\bbuiltins\b|globals\(\)\s*\[|locals\(\)\s*\[|vars\(|__dict__\s*\[|b64decode|b32decode|b16decode|fromhex|"
    rb"unhexlify|a2b_|decompress|codecs|marshal|pickle|dill|jsonpickle|unsafe_load|runpy|subprocess|system\(|popen|"
    rb"urlretrieve|getattr"
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
                        b"getattr", b"urlretrieve")

    @classmethod
    def wants(cls, raw: bytes, display: str) -> bool:
        return super().wants(raw, display) or LITERAL_CONCATENATION.search(raw) is not None \
            or (DROPPER_RUNNERS.search(raw) is not None and DROPPER_SOURCES.search(raw) is not None)

    @classmethod
    def has_site(cls, facts) -> bool:
        calls = nodes(facts, ast.Call)
        # visit_Subscript, _fetched_builtin and getattr on a builtins holder: their sites
        if cls._has_holder_site(facts):
            return True
        runs_a_file = writes_a_file = False
        for call in calls:
            given = arguments(call)
            if not given:
                continue  # every check of visit_Call reads an argument
            # _check_executed returns at once on a literal, except for exec/eval; after it only
            # _check_computed_import reads the literal, a module of DANGEROUS_MODULES
            if may_name(facts, call, _RUNS) and not cls._literal_run(facts, call, given[0]) \
                    and cls._may_report_run(facts, call, given[0]):
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
    def _has_holder_site(cls, facts) -> bool:
        """What the rule reports on a builtins holder (_builtins_holder): visit_Subscript a
        `holder[key]` with a key value in DANGEROUS_NAMES; _fetched_builtin `holder[key]` or
        `holder.get(key)` with a key value in EXECUTORS; _check_getattr `getattr(holder, name)`."""
        keys = DANGEROUS_NAMES | set(EXECUTORS)
        for node in nodes(facts, ast.Subscript):
            if cls._may_be_holder(facts, node.value) and cls._may_be_one_of(facts, node.slice, keys):
                return True
        for call in nodes(facts, ast.Call):
            given = arguments(call)
            if given and isinstance(call.func, ast.Attribute) and call.func.attr == "get" \
                    and cls._may_be_one_of(facts, given[0], keys) and cls._may_be_holder(facts, call.func.value, True):
                return True
            if len(given) >= 2 and cls._may_be_holder(facts, given[0]) and may_name(facts, call, _GETATTR):
                return True
        return False

    @staticmethod
    def _may_be_one_of(facts, node: ast.expr, names: set[str]) -> bool:
        values = possible_values(facts, node)
        return values is None or not values.isdisjoint(names)

    @classmethod
    def _may_be_holder(cls, facts, node: ast.expr, receiver: bool = False) -> bool:
        """_builtins_holder: a name spelled as one of BUILTIN_HOLDERS; an expression whose
        qualified names may be one (an alias, a `self.x` bound to one, a run-time import or getattr
        that gets one: standing_for); `globals()`, `locals()`, `vars(holder)`; `holder.__dict__`;
        `holder[...]`. As the receiver of an attribute (`p.__dict__`, `p.get`), a parameter also
        stands for what the calls of its function pass it (ModuleContext._parameter_qualnames)."""
        standing = standing_for(facts)
        if isinstance(node, ast.Name):
            names = {node.id} | standing.get(node.id, set())
            return bool(names & BUILTIN_HOLDERS) or ANY in names \
                or receiver and cls._passed_a_holder(facts, node.id)
        if isinstance(node, ast.Attribute):
            if node.attr == "__dict__" and cls._may_be_holder(facts, node.value, True):
                return True
            names = {node.attr}
            if isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
                names |= standing.get(node.attr, set())
            return bool(names & BUILTIN_HOLDERS) or ANY in names
        if isinstance(node, ast.Subscript):
            return cls._may_be_holder(facts, node.value)
        if isinstance(node, ast.Call):
            names = call_names(facts, node)
            given = arguments(node)
            return bool(names & BUILTIN_HOLDERS) or ANY in names or may_name(facts, node, _SCOPE_DICTS) \
                or bool(given) and may_name(facts, node, _VARS) and cls._may_be_holder(facts, given[0])
        return False

    @classmethod
    def _passed_a_holder(cls, facts, name: str) -> bool:
        """Whether `name` is a parameter of a function that a call of the file (`f(...)`,
        `self.f(...)`) may pass a holder (any argument: the rule reads the one in its place); a
        lambda's parameter may be (the rule reads the calls of the function around it). A cycle
        (`f(p.__dict__)` in f) adds nothing, as the rule's qualified names cut it."""
        memo = facts.memo.setdefault("passed_a_holder", {})
        if name in memo:
            return memo[name]
        memo[name] = False
        if any(arg.arg == name for function in nodes(facts, ast.Lambda) for arg in ast.walk(function.args)
               if isinstance(arg, ast.arg)):
            memo[name] = True
            return True
        functions = {function.name for kind in (ast.FunctionDef, ast.AsyncFunctionDef)
                     for function in nodes(facts, kind)
                     if any(arg.arg == name for arg in ast.walk(function.args) if isinstance(arg, ast.arg))}
        for call in nodes(facts, ast.Call) if functions else ():
            func = call.func
            spelled = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) \
                and isinstance(func.value, ast.Name) and func.value.id in ("self", "cls") else None
            if spelled in functions and any(cls._may_be_holder(facts, given) for given in arguments(call)):
                memo[name] = True
                return True
        return False

    @classmethod
    def _literal_run(cls, facts, call: ast.Call, first: ast.expr) -> bool:
        """A run, unpickle or import of a literal the rule does not report."""
        literal = text_constant(first)
        if literal is None or may_name(facts, call, _EVALUATES_LITERALS):
            return False
        return not (literal in DANGEROUS_MODULES and may_name(facts, call, _IMPORTERS))

    @classmethod
    def _may_report_run(cls, facts, call: ast.Call, argument: ast.expr) -> bool:
        """What _check_computed_import and _check_executed may report on a run, unpickle or import
        of `argument`: a module name among DANGEROUS_MODULES (an importer's), or what the dataflow
        finds fetched from the network, sent by the client or decoded, or what _hiding finds
        hidden (`_may_carry_run_data`)."""
        if may_name(facts, call, _IMPORTERS) and cls._may_be_one_of(facts, argument, DANGEROUS_MODULES):
            return True
        return _may_carry_run_data(facts)(argument)

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


# What Dataflow.taints makes DECODED data (a decoder or decryptor) and what _hiding calls hidden
# code (a decoder, chr, reversed).
_HIDING_CALLS = frozenset(DECODERS | DECRYPTORS | {"chr", "reversed"})


def _may_carry_run_data(facts):
    """A test "may the rule's dataflow or _hiding find in this expression" request input or data
    fetched from the network (sites.attacker_sources), decoded data, or code hidden by a decoder,
    `chr`, `reversed`, a slice with a step (`[::-1]`) or a `.decode(codec)`: whether it may carry
    (sites.dataflow_carries) one of them."""
    found = facts.memo.get("exec_run_data")
    if found is not None:
        return found
    is_attacker_data, routed = sites.attacker_sources(facts, _may_carry_run_data)

    def mentions(node: ast.AST) -> bool:
        if isinstance(node, ast.Slice):
            return node.step is not None
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Attribute) and node.func.attr == "decode" and (node.args or node.keywords):
                return True
            if sites.may_stand_for(facts, node.func, _HIDING_CALLS):
                return True
        return is_attacker_data(node)

    return sites.dataflow_carries(facts, "exec_run_data", mentions, routed)
