"""The small intra-module dataflow shared by the network, exfiltration and execution rules
(BDL401-406, BDL501-503).

`dataflow(context)` returns one `Dataflow` per module (cached on the ModuleContext), so every rule
asks the same question once. `Dataflow.taints(expr)` answers "which interesting sources may this
value carry": the whole environment, secret-named env keys, credential files, keyring, network
responses and decoded blobs. Values flow through assignments (plain, augmented, tuple unpacking,
`for` and comprehension targets, `with ... as`, walrus), f-strings, `%`/`.format`, concatenation,
containers and dict building, `json.dumps`, base64/hex encoding, method calls on a tainted
receiver, parameters and return values of functions of the same module, and `self.<attr>` within
one class. It is context-insensitive and bounded; unknown calls stop the flow (no guessing).

The module also holds the lookup of network sinks (`sink_of`, on the tables of
checkers/sink_tables.py) and helpers to render a
partially known string (`render`) and the shell command line a call runs (`shell_command`, screened
by the shell analysis through `analyse_command`).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache

import libcst as cst
from backdoor_lint.checkers import fast_search, origin_tables, vocabulary
from backdoor_lint.checkers.base import MAX_DEPTH, ModuleContext, call_argument
from backdoor_lint.checkers.flow_sources import guarded, request_part, routed_parameter
from backdoor_lint.checkers.imported_modules import imports_matching, resolve, top_level_values
from backdoor_lint.checkers.shell import ShellAnalysis, analyse
from backdoor_lint.checkers.sink_tables import SHELL_FUNCTIONS, SINKS, SinkKind
from backdoor_lint.checkers.tree import child_nodes
from backdoor_lint.checkers.vocabulary import DECODERS, ENCODERS, ENV_GETTERS, ENV_OBJECTS, is_secret_variable

# -- sources -----------------------------------------------------------------------------------
ENVIRONMENT = "environment"
SECRET = "secret"
CREDENTIAL_FILE = "credential-file"
NETWORK = "network-data"
DECODED = "decoded"
DIGEST = "digest"  # a MAC, hash digest or signature computed here (origin_tables.MAC_CALLS, hashlib)
REQUEST = "request-input"  # data the client of a web handler chose (origin_tables.REQUEST_PARTS, routed parameters)
EXFIL_KINDS = (ENVIRONMENT, SECRET, CREDENTIAL_FILE)
# Who and where the code runs: no secret, but what a DNS beacon reports about its victim (BDL404).
IDENTITY = "identity"

READ_METHODS = {"read", "read_text", "read_bytes", "readlines", "readline", "open"}
OPEN_FUNCTIONS = {"open", "io.open", "codecs.open", "builtins.open", "pathlib.Path", "pathlib.PosixPath",
                  "os.open", "gzip.open", "dotenv.dotenv_values", "dotenv.main.dotenv_values"}
# Calls whose result carries their arguments' data.
PROPAGATORS = ENCODERS | DECODERS | {
    "str", "bytes", "bytearray", "repr", "dict", "list", "tuple", "set", "sorted", "reversed", "enumerate",
    "zip", "iter", "next", "format", "json.dumps", "json.dump", "urllib.parse.urlencode", "urllib.parse.quote",
    "urllib.parse.quote_plus", "pprint.pformat", "yaml.dump", "yaml.safe_dump", "pickle.dumps", "marshal.dumps",
    "collections.OrderedDict", "copy.copy", "copy.deepcopy", "map", "filter", "chain", "itertools.chain",
    "io.BytesIO", "io.StringIO", "shlex.quote", "compile",
}
NO_PROPAGATION_METHODS = {"startswith", "endswith", "count", "index", "find", "rfind", "isdigit", "isalpha",
                          "exists", "is_file", "is_dir", "__len__", "raise_for_status", "close", "keys"}
ENCODING_METHODS = {"hex", "b64encode"}


# Placeholder for unknown parts of a rendered string (a private-use character).
HOLE = "\ue000"


@dataclass(frozen=True)
class Taint:
    kind: str
    label: str  # what the source is, for messages
    line: int
    encoded: bool = False  # passed through hex/base64/... encoding on the way
    quoted: bool = False  # passed through shlex.quote (harmless in a shell command line, not elsewhere)

    def describe(self) -> str:
        return f"{self.label} (line {self.line})"


@dataclass
class Sink:
    call: cst.Call
    spec: SinkKind
    name: str

    @property
    def kind(self) -> str:
        return self.spec.kind


class Dataflow:
    def __init__(self, context: ModuleContext) -> None:
        self.context = context
        self._cache: dict[int, frozenset[Taint]] = {}
        self._busy: set[int] = set()
        self._functions: dict[str, list[cst.FunctionDef]] | None = None
        self._calls_to: dict[str, list[cst.Call]] | None = None
        self.memo: dict[tuple[str, int], object] = {}  # per-module memo for rules (e.g. decorator shapes)
        self._attacker_text: bool | None = None
        self._attacker_imports: bool | None = None

    # -- public -------------------------------------------------------------------------------
    def taints(self, node: cst.CSTNode | None, depth: int = 0) -> frozenset[Taint]:
        if node is None or depth > MAX_DEPTH * 2:
            return frozenset()
        key = id(node)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        if key in self._busy:
            return frozenset()
        self._busy.add(key)
        try:
            handler = getattr(self, f"_t_{type(node).__name__}", None)
            result = frozenset(handler(node, depth + 1)) if handler else self._children(node, depth + 1)
        finally:
            self._busy.discard(key)
        if len(result) > 12:
            result = frozenset(sorted(result, key=lambda t: (t.kind, t.line, t.label))[:12])
        self._cache[key] = result
        return result

    def line(self, node: cst.CSTNode) -> int:
        return self.context.position(node).start.line

    def attacker_input_possible(self, through_imports: bool = True) -> bool:
        """Can request input or network data occur in this module at all? A cheap gate on its text
        (a request object, a route decorator, FastAPI parameter markers, a network or socket call)
        in front of the dataflow, which decides. Data that reaches the module only through a
        function imported from another file counts when that file has such text."""
        if self._attacker_text is None:
            self._attacker_text = fast_search.search(origin_tables.ATTACKER_INPUT_TEXT, self.context.source) is not None
        if self._attacker_text or not through_imports:
            return self._attacker_text
        if self._attacker_imports is None:
            self._attacker_imports = imports_matching(self.context, origin_tables.ATTACKER_INPUT_TEXT)
        return self._attacker_imports

    def attacker_data(self, expression: cst.CSTNode, site: cst.CSTNode, shell: bool = False) -> Taint | None:
        """The first request input or network data `expression` carries at the sink `site`, unless
        a guard made it safe there (allow-list test, verified MAC) or, for a shell command line,
        it was shell-quoted."""
        if not self.attacker_input_possible():
            return None
        found = sorted((t for t in self.taints(expression) if t.kind in (REQUEST, NETWORK)
                        and not (shell and t.quoted)), key=lambda t: (t.kind != REQUEST, t.line))
        if not found or guarded(self.context, site, expression):
            return None
        return found[0]

    def sink_of(self, call: cst.Call) -> Sink | None:
        names = self.context.qualnames(call.func)
        if not names:
            return None
        for name in sorted(names):
            spec = SINKS.get(name)
            if spec is not None:
                if name in ("requests.request", "httpx.request") or name.endswith(".request") and spec.url[1] == 1:
                    pass
                return Sink(call, spec, name)
        return None

    def shell_call(self, call: cst.Call) -> tuple[str, cst.BaseExpression] | None:
        """(function name, command expression) for subprocess/os.system-like calls."""
        names = self.context.qualnames(call.func)
        for name in sorted(names):
            if name in SHELL_FUNCTIONS:
                keyword, position = SHELL_FUNCTIONS[name]
                if name in ("os.execl", "os.execlp", "os.spawnl", "os.spawnlp"):
                    args = [a.value for a in call.args if not a.keyword][position:]
                    if not args:
                        return None
                    return name, cst.List([cst.Element(a) for a in args])
                expression = call_argument(call, keyword, position, self.context.evaluator.value)
                if expression is not None:
                    return name, expression
        return None

    def shell_command(self, command: cst.BaseExpression) -> str:
        """The shell text a command expression stands for: a rendered string, or an argv list (also
        through a name bound once to a list) turned into the equivalent quoted command line."""
        if isinstance(command, cst.Name):
            values = [v for k, v in self.context.assigned_values(command) if k == "="]
            if len(values) == 1 and isinstance(values[0], (cst.List, cst.Tuple)):
                command = values[0]
        if isinstance(command, (cst.List, cst.Tuple)):
            return argv_command([self.render(e.value) for e in command.elements])
        return self.render(command)

    def destination(self, sink: Sink) -> cst.BaseExpression | None:
        keyword, position = sink.spec.url
        if keyword is None and position is None:
            return None
        expression = call_argument(sink.call, keyword, position, self.context.evaluator.value)
        if expression is None and sink.name.endswith(".request") and position == 1:
            expression = call_argument(sink.call, "url", None, self.context.evaluator.value)
        if isinstance(expression, cst.Call) and self.context.qualnames(expression.func) & {"urllib.request.Request"}:
            expression = call_argument(expression, "url", 0, self.context.evaluator.value)
        return expression

    # -- rendering ----------------------------------------------------------------------------
    def render(self, node: cst.CSTNode | None, depth: int = 0) -> str:
        """The string value of `node` with unknown parts replaced by HOLE ("" if nothing known)."""
        if node is None or depth > MAX_DEPTH:
            return HOLE
        key = ("render", id(node))
        if key not in self.memo:
            self.memo[key] = HOLE  # a cycle renders as unknown
            self.memo[key] = self._render(node, depth)
        return self.memo[key]  # type: ignore[return-value]

    def _render(self, node: cst.CSTNode, depth: int) -> str:
        values = self.context.evaluator.values(node)
        strings = [v.decode("utf-8", "replace") if isinstance(v, (bytes, bytearray)) else v for v in values]
        strings = [s for s in strings if isinstance(s, str)]
        if len(strings) == 1 and len(values) == 1:
            return strings[0]
        if isinstance(node, cst.FormattedString):
            parts = []
            for part in node.parts:
                if isinstance(part, cst.FormattedStringText):
                    parts.append(part.value)
                else:
                    parts.append(self.render(part.expression, depth + 1))
            return "".join(parts)
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            return self.render(node.left, depth + 1) + self.render(node.right, depth + 1)
        if isinstance(node, cst.ConcatenatedString):
            return self.render(node.left, depth + 1) + self.render(node.right, depth + 1)
        if isinstance(node, cst.Name):
            values = [v for k, v in self.context.assigned_values(node) if k == "="]
            if len(values) == 1:
                return self.render(values[0], depth + 1)
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "format":
            template = self.render(node.func.value, depth + 1)
            if HOLE not in template:
                return re.sub(r"\{[^{}]*\}", HOLE, template)
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "join" \
                and len(node.args) == 1 and isinstance(node.args[0].value, (cst.List, cst.Tuple)):
            separator = self.render(node.func.value, depth + 1)  # ".".join([label, "zone", "example"])
            if HOLE not in separator:
                return separator.join(self.render(e.value, depth + 1) for e in node.args[0].value.elements)
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Modulo):
            template = self.render(node.left, depth + 1)
            if HOLE not in template:
                return re.sub(r"%[-#0 +]*\d*(?:\.\d+)?[sdrifx]", HOLE, template)
        if isinstance(node, (cst.List, cst.Tuple)):
            return " ".join(self.render(e.value, depth + 1) for e in node.elements)
        return HOLE

    def literal_fragments(self, node: cst.CSTNode, folded: bool = False) -> list[str]:
        """Every string literal in `node`, following local names to what they are bound to
        (each binding visited once, at most 200 fragments). `folded`: a string expression the
        evaluator knows (`".s" + "sh"`, `bytes.fromhex(...).decode()`) counts as its value, not
        as its pieces (for what the program uses; without it, what the source shows)."""
        key = ("fragments", id(node), folded)
        cached = self.memo.get(key)
        if cached is not None:
            return cached  # type: ignore[return-value]
        out: list[str] = []
        seen: set[int] = set()
        stack: list[cst.CSTNode] = [node]
        while stack and len(out) <= 200 and len(seen) < 5000:
            current = stack.pop()
            if id(current) in seen:
                continue
            seen.add(id(current))
            if folded and isinstance(current, _FOLDABLE):
                values = [v.decode("latin-1") if isinstance(v, bytes) else v
                          for v in self.context.evaluator.values(current) if isinstance(v, (str, bytes))]
                if values:
                    out.extend(values)
                    continue
            if isinstance(current, cst.SimpleString):
                try:
                    value = current.evaluated_value
                    out.append(value.decode("latin-1") if isinstance(value, bytes) else value)
                except Exception:  # noqa: BLE001
                    pass
            elif isinstance(current, cst.FormattedStringText):
                out.append(current.value)
            elif isinstance(current, cst.Attribute) and not isinstance(self.context.parent(current), cst.Call):
                # `cfg.SSH_DIR`: a settings attribute (class, instance or module of the tree)
                values = [v.decode("latin-1") if isinstance(v, bytes) else v
                          for v in self.context.evaluator.values(current) if isinstance(v, (str, bytes))]
                if values:
                    out.extend(values)
                    continue
            elif isinstance(current, cst.Name):
                bound = []
                for assignment in self.context.assignments(current):
                    target = assignment.node
                    if isinstance(target, cst.Name):
                        expression = self.bound_expression(target)
                        if expression is not None:
                            bound.append(expression)
                    elif isinstance(target, cst.Param) and target.default is not None:
                        bound.append(target.default)
                    elif isinstance(target, cst.ImportFrom):  # a constant of another module of the tree
                        out.extend(v.decode("latin-1") if isinstance(v, bytes) else v
                                   for v in self.context.evaluator.values(current) if isinstance(v, (str, bytes)))
                stack.extend(reversed(bound))
            stack.extend(reversed(child_nodes(current)))
        self.memo[key] = out
        return out

    def mentions(self, node: cst.CSTNode, names: set[str]) -> str | None:
        """The first of `names` called anywhere in `node` (following local names, each binding
        visited once), or None."""
        for current in self.walk(node):
            if isinstance(current, cst.Call):
                found = self.context.qualnames(current.func) & names
                if found:
                    return sorted(found)[0]
        return None

    def walk(self, node: cst.CSTNode, limit: int = 5000):
        """Sub-expressions of `node`, following local names to their assigned values; every node is
        yielded once and the walk is bounded, so chains of reassignments cannot blow up."""
        seen: set[int] = set()
        stack: list[cst.CSTNode] = [node]
        while stack and len(seen) < limit:
            current = stack.pop()
            if id(current) in seen:
                continue
            seen.add(id(current))
            yield current
            if isinstance(current, cst.Name):
                stack.extend(value for _, value in self.context.assigned_values(current))
            stack.extend(child_nodes(current))

    # -- handlers -----------------------------------------------------------------------------
    def _children(self, node: cst.CSTNode, depth: int) -> frozenset[Taint]:
        result: set[Taint] = set()
        for child in child_nodes(node):
            if isinstance(child, (cst.BaseExpression, cst.Element, cst.BaseDictElement, cst.FormattedStringExpression,
                                  cst.Arg, cst.BaseFormattedStringContent, cst.CompFor)):
                result |= self.taints(child, depth)
        return frozenset(result)

    def _t_SimpleString(self, node, depth):
        return ()

    _t_Integer = _t_Float = _t_FormattedStringText = _t_Lambda = _t_SimpleString

    def _t_CompFor(self, node: cst.CompFor, depth):
        return ()  # comprehension sources are reached through their targets (see _binding)

    def _t_Comparison(self, node, depth):
        return ()  # a boolean carries (almost) nothing

    def _t_ListComp(self, node, depth):
        return self.taints(node.elt, depth)

    _t_SetComp = _t_GeneratorExp = _t_ListComp

    def _t_DictComp(self, node: cst.DictComp, depth):
        return self.taints(node.key, depth) | self.taints(node.value, depth)

    def _t_Attribute(self, node: cst.Attribute, depth):
        part = request_part(self.context, node)
        if part:
            return {Taint(REQUEST, f"the request's {part} (`{self.context.code(node)}`)", self.line(node))}
        if isinstance(node.value, cst.Name) and node.value.value in ("self", "cls"):
            return self._self_attribute(node, depth)
        names = self.context.qualnames(node) if isinstance(node.value, (cst.Name, cst.Attribute, cst.Call)) else set()
        if names & ENV_OBJECTS:
            return {Taint(ENVIRONMENT, f"the whole environment (`{self.context.code(node)}`)", self.line(node))}
        return self.taints(node.value, depth)

    def _self_attribute(self, node: cst.Attribute, depth):
        classdef = self.context.enclosing(node, cst.ClassDef)
        if classdef is None:
            return ()
        result: set[Taint] = set()
        for value in self.context.class_attribute_values(classdef, node.attr.value):
            result |= self.taints(value, depth)
        return result

    def _t_Subscript(self, node: cst.Subscript, depth):
        if isinstance(node.value, (cst.Name, cst.Attribute, cst.Call)) and self.context.qualnames(node.value) & ENV_OBJECTS:
            index = node.slice[0].slice if len(node.slice) == 1 else None
            key = self.context.evaluator.value(index.value) if isinstance(index, cst.Index) else None
            return self._env_key(node, key)
        return self.taints(node.value, depth)

    def _env_key(self, node: cst.CSTNode, key: object) -> set[Taint]:
        if isinstance(key, str) and is_secret_variable(key):
            return {Taint(SECRET, f"environment variable {key}", self.line(node))}
        return set()

    def _t_Name(self, node: cst.Name, depth):
        if node.value in ("True", "False", "None"):
            return ()
        if self.context.tree.import_qualnames(node) & ENV_OBJECTS:  # `from os import environ`
            return {Taint(ENVIRONMENT, f"the whole environment (`{node.value}`)", self.line(node))}
        result: set[Taint] = set()
        for assignment in self.context.assignments(node):
            target = assignment.node
            if isinstance(target, cst.Param):
                result |= self._parameter(target, depth)
                continue
            if isinstance(target, cst.ImportFrom) and assignment.qualname:  # `from .config import X`
                result |= self._imported(assignment.qualname, depth)
                continue
            if isinstance(target, (cst.Import, cst.ImportFrom, cst.FunctionDef, cst.ClassDef)):
                continue
            result |= self._binding(target, depth)
        for value in self.mutations(node):
            result |= self.taints(value, depth)
        return result

    def _binding(self, target: cst.CSTNode, depth: int) -> set[Taint]:
        """Taints of whatever assigns the name node `target`."""
        expression = self.bound_expression(target)
        return set(self.taints(expression, depth)) if expression is not None else set()

    def bound_expression(self, target: cst.CSTNode) -> cst.BaseExpression | None:
        """The expression whose value the name node `target` receives: the right-hand side of an
        assignment (also tuple unpacking, augmented, annotated, walrus), the iterable of a `for` or
        comprehension, the context manager of `with ... as`."""
        node = target
        for parent in self.context.ancestors(target):
            if isinstance(parent, cst.AssignTarget):
                statement = self.context.parent(parent)
                return statement.value if isinstance(statement, cst.Assign) else None
            if isinstance(parent, (cst.AnnAssign, cst.AugAssign)):
                return parent.value
            if isinstance(parent, cst.NamedExpr):
                return parent.value
            if isinstance(parent, (cst.For, cst.CompFor)) and node is parent.target:
                return parent.iter
            if isinstance(parent, cst.AsName):
                item = self.context.parent(parent)
                return item.item if isinstance(item, cst.WithItem) else None
            if isinstance(parent, (cst.BaseSmallStatement, cst.BaseCompoundStatement, cst.FunctionDef)):
                return None
            node = parent
        return None

    def mutations(self, name: cst.Name) -> list[cst.BaseExpression]:
        """Values put into the container `name` after it was built: `name[k] = v`, `name.update(x)`,
        `.append(x)`, `.extend(x)`, `.add(x)`, `.insert(i, x)`, `.setdefault(k, v)`, `.write(x)`."""
        found: list[cst.BaseExpression] = []
        for assignment in self.context.assignments(name):
            for access in getattr(assignment, "references", ()):
                node = access.node
                parent = self.context.parent(node)
                if isinstance(parent, cst.Subscript) and parent.value is node:
                    holder = self.context.parent(parent)
                    if isinstance(holder, cst.AssignTarget):
                        statement = self.context.parent(holder)
                        if isinstance(statement, cst.Assign):
                            found.append(statement.value)
                elif isinstance(parent, cst.Attribute) and parent.value is node \
                        and parent.attr.value in origin_tables.MUTATING_METHODS:
                    call = self.context.parent(parent)
                    if isinstance(call, cst.Call) and call.func is parent:
                        found.extend(a.value for a in call.args)
                if len(found) > 32:
                    return found
        return found

    def _imported(self, qualname: str, depth: int, returned: bool = False) -> set[Taint]:
        """Taints of a name imported from another module of the scanned tree (its top-level values,
        or with `returned` what the imported function returns), labelled with that module's file."""
        found = resolve(self.context, qualname, None, "function" if returned else "value", origin_tables.ORIGIN_TEXT)
        if found is None:
            return set()
        module, name = found
        flow, where = dataflow(module), os.path.basename(module.path or "")
        result: set[Taint] = set()
        for value in top_level_values(module, name):
            if isinstance(value, cst.FunctionDef):
                expressions = module.returns(value) if returned else []
            else:
                expressions = [] if returned or isinstance(value, cst.ClassDef) else [value]
            for expression in expressions:
                result |= {Taint(t.kind, f"{t.label} in {where}", t.line, t.encoded, t.quoted)
                           for t in flow.taints(expression, depth)}
        return result

    def _parameter(self, param: cst.Param, depth: int) -> set[Taint]:
        routed = routed_parameter(self.context, param)
        if routed:
            return {Taint(REQUEST, f"the request's {routed} `{param.name.value}`", self.line(param))}
        function = self.context.enclosing(param, cst.FunctionDef)
        if function is None:
            return set()
        params = function.params
        ordered = [*params.posonly_params, *params.params]
        index = next((i for i, p in enumerate(ordered) if p is param), None)
        if index is not None and self.context.enclosing(function, cst.ClassDef) is not None and ordered \
                and ordered[0].name.value in ("self", "cls"):
            index -= 1
        result: set[Taint] = set()
        for call in self._calls(function.name.value):
            expression = call_argument(call, param.name.value, index if index is not None and index >= 0 else None,
                                       self.context.evaluator.value)
            if expression is not None:
                result |= self.taints(expression, depth)
        return result

    def _calls(self, name: str) -> list[cst.Call]:
        if self._calls_to is None:
            self._index()
        return self._calls_to.get(name, [])  # type: ignore[union-attr]

    def functions(self, name: str) -> list[cst.FunctionDef]:
        if self._functions is None:
            self._index()
        return self._functions.get(name, [])  # type: ignore[union-attr]

    def _index(self) -> None:
        functions: dict[str, list[cst.FunctionDef]] = {}
        calls: dict[str, list[cst.Call]] = {}
        for node in self.context.tree.parents:  # every node but the module, without a libcst visit
            if isinstance(node, cst.FunctionDef):
                functions.setdefault(node.name.value, []).append(node)
            elif isinstance(node, cst.Call):
                func = node.func
                if isinstance(func, cst.Name):
                    calls.setdefault(func.value, []).append(node)
                elif isinstance(func, cst.Attribute):
                    calls.setdefault(func.attr.value, []).append(node)
        self._functions, self._calls_to = functions, calls

    def _t_Call(self, call: cst.Call, depth):
        context = self.context
        if context.qualnames(call) & ENV_OBJECTS:  # `getattr(os, "environ")`
            return {Taint(ENVIRONMENT, f"the whole environment (`{context.code(call)}`)", self.line(call))}
        names = context.qualnames(call.func)
        if isinstance(call.func, cst.Attribute):
            names = {n for n in names if n.endswith("." + call.func.attr.value)}
        # environment lookups by key
        if names & ENV_GETTERS:
            key = context.evaluator.value(call.args[0].value) if call.args else None
            return self._env_key(call, key)
        if isinstance(call.func, cst.Attribute) and isinstance(call.func.value, (cst.Name, cst.Attribute, cst.Call)) \
                and context.qualnames(call.func.value) & ENV_OBJECTS:
            method = call.func.attr.value
            if method in ("copy", "items", "values", "__repr__", "__str__"):
                return {Taint(ENVIRONMENT, f"the whole environment (`{context.code(call)}`)", self.line(call))}
            if method in ("get", "pop", "setdefault"):
                key = context.evaluator.value(call.args[0].value) if call.args else None
                return self._env_key(call, key)
            return set()
        origin = self._origin_call(call, names, depth)
        if origin is not None:
            return origin
        result: set[Taint] = set()
        # reading a credential file
        is_open = bool(names & OPEN_FUNCTIONS)
        method = call.func.attr.value if isinstance(call.func, cst.Attribute) else ""
        if is_open or method in READ_METHODS:
            target = call.args[0].value if is_open and call.args else (call.func.value if method else None)
            if not is_open and isinstance(target, cst.Call) and context.qualnames(target.func) & OPEN_FUNCTIONS:
                target = None  # `open(path, "rb").read()`: the open call names the path, without its mode
            if target is not None:
                path = self.credential_path(target)
                if path:
                    result.add(Taint(CREDENTIAL_FILE, f"credential file {path}", self.line(call)))
        if names & {"subprocess.check_output", "subprocess.getoutput", "os.popen", "subprocess.run"} and call.args:
            command = self.render(call.args[0].value)
            if re.match(r"^\s*(env|printenv|set|export -p)\s*($|\|)", command.replace(HOLE, " ")):
                result.add(Taint(ENVIRONMENT, f"the whole environment (`{context.code(call)}`)", self.line(call)))
        # network responses
        sink = self.sink_of(call)
        if sink is not None and sink.spec.fetches:
            result.add(Taint(NETWORK, f"data fetched by {context.code(call.func)}()", self.line(call)))
        # decoders and propagating calls
        decoders = names & (DECODERS | origin_tables.DECRYPTORS)
        if decoders:
            result.add(Taint(DECODED, f"{sorted(decoders)[0]}()", self.line(call)))
        if decoders and isinstance(call.func, cst.Attribute) and not names & DECODERS:
            result |= self.taints(call.func.value, depth)  # `Fernet(k).decrypt(blob)`: the blob's origin too
        if names & (PROPAGATORS | DECODERS | origin_tables.DECRYPTORS):
            encoded = bool(names & ENCODERS)
            quoted = bool(names & origin_tables.SHELL_QUOTERS)
            for arg in call.args:
                for taint in self.taints(arg.value, depth):
                    result.add(_encoded(taint) if encoded else _quoted(taint) if quoted else taint)
            return result
        # calls of functions of this module: their return values
        locals_ = self.context.local_functions(call)
        if not locals_ and isinstance(call.func, cst.Name):  # a function imported from the scanned tree
            for assignment in self.context.assignments(call.func):
                if isinstance(assignment.node, cst.ImportFrom) and assignment.qualname:
                    result |= self._imported(assignment.qualname, depth, returned=True)
        if locals_:
            for function in locals_:
                for value in self.context.returns(function):
                    result |= self.taints(value, depth)
            return result
        if isinstance(call.func, cst.Attribute):
            if method in NO_PROPAGATION_METHODS:
                return result
            receiver = self.taints(call.func.value, depth)
            if method in ENCODING_METHODS:
                receiver = frozenset(_encoded(t) for t in receiver)
            result |= receiver
            if method in ("format", "join", "replace", "encode", "decode", "format_map", "update", "dumps", "send",
                          "__add__"):
                for arg in call.args:
                    result |= self.taints(arg.value, depth)
        return result

    def _origin_call(self, call: cst.Call, names: set[str], depth: int) -> set[Taint] | None:
        """The taints of a call that is itself an origin (keyring, identity, a MAC, request input) or a
        neutraliser (empty: nothing of the data's text is left); None for any other call."""
        context = self.context
        if names & origin_tables.KEYRING:
            return {Taint(SECRET, f"the keyring (`{context.code(call.func)}`)", self.line(call))}
        identity = names & origin_tables.IDENTITY_CALLS.keys()
        if identity:
            what = origin_tables.IDENTITY_CALLS[sorted(identity)[0]]
            return {Taint(IDENTITY, f"the {what} (`{context.code(call)}`)", self.line(call))}
        hashed = any(n.startswith(origin_tables.HASH_MODULE) for n in names)
        if names & origin_tables.MAC_CALLS or (hashed and self._keyed(call, depth)):
            # a MAC, or a hash over a secret (`sha256(SECRET_KEY + body)`); a digest of public
            # content (an ETag) is no secret
            return {Taint(DIGEST, f"the digest computed by {context.code(call.func)}()", self.line(call))}
        part = request_part(context, call)
        if part:
            return {Taint(REQUEST, f"the request's {part} (`{context.code(call)}`)", self.line(call))}
        if names & origin_tables.NEUTRALISERS:
            return set()  # a number, a length, a boolean
        return None

    def _keyed(self, call: cst.Call, depth: int) -> bool:
        for arg in call.args:
            if any(t.kind in (SECRET, ENVIRONMENT) for t in self.taints(arg.value, depth)):
                return True
            for node in self.walk(arg.value, limit=200):
                name = node.attr.value if isinstance(node, cst.Attribute) else node.value \
                    if isinstance(node, cst.Name) else None
                if name and is_secret_variable(name):
                    return True
        return False

    def credential_path(self, expression: cst.CSTNode) -> str | None:
        fragments = self.literal_fragments(expression, folded=True)
        if not fragments:
            return None
        joined = "/".join(f.strip("/") if f not in ("/",) else "" for f in fragments if isinstance(f, str))
        match = vocabulary.CREDENTIAL_FILE.search(joined)
        if not match:
            # also try fragments in reverse (literal_fragments walks a stack)
            joined = "/".join(f.strip("/") for f in reversed(fragments) if isinstance(f, str))
            match = vocabulary.CREDENTIAL_FILE.search(joined)
        if match:
            single = next((f for f in fragments if isinstance(f, str) and vocabulary.CREDENTIAL_FILE.search(f)), None)
            if single:
                return single
            rendered = self.render(expression)
            return rendered.replace(HOLE, "…") if rendered and vocabulary.CREDENTIAL_FILE.search(rendered) else joined
        return None


_FOLDABLE = (cst.BinaryOperation, cst.Call, cst.Subscript, cst.ConcatenatedString)


def _encoded(taint: Taint) -> Taint:
    return taint if taint.encoded else Taint(taint.kind, taint.label, taint.line, True, taint.quoted)


def _quoted(taint: Taint) -> Taint:
    return Taint(taint.kind, taint.label, taint.line, taint.encoded, True)


def dataflow(context: ModuleContext) -> Dataflow:
    """The module's Dataflow, computed once and shared by every rule."""
    flow = getattr(context, "_dataflow", None)
    if flow is None:
        flow = Dataflow(context)
        context._dataflow = flow  # type: ignore[attr-defined]
    return flow


# -- shell command lines -----------------------------------------------------------------------
# A command line run from Python is screened by the shell analysis (checkers/shell), the one that
# screens shell scripts and agent commands. Parts the evaluator cannot compute reach it as an unset
# variable: unknown text, never a guess.
def argv_command(words: list[str]) -> str:
    """The shell text equivalent to running an argv list (`["bash", "-c", s]` is `bash -c 's'`)."""
    from backdoor_lint.checkers.shell.argv import argv_command as to_shell

    return to_shell(words, HOLE)


@lru_cache(maxsize=512)
def analyse_command(command: str) -> ShellAnalysis:
    """The shell analysis of a command line rendered from Python (unknown parts are HOLE)."""
    from backdoor_lint.checkers.shell.argv import UNKNOWN_PART

    return analyse(command.replace(HOLE, UNKNOWN_PART))
