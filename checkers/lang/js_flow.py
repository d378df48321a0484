"""Where values come from in a JavaScript/TypeScript file and where they go: secrets from the
environment, credential files (sync, promises, callbacks, streams), decoded strings, fetched
bytes and request input, followed through variables, callbacks and `.then`, into the network
(BDL402), code execution (BDL501 decoded, BDL502 fetched) and shell commands (BDL505).

Variables are told apart by name and scope (the function or program that binds them)."""
from __future__ import annotations

from dataclasses import dataclass

from backdoor_lint.checkers import vocabulary
from backdoor_lint.checkers.lang.javascript import FUNCTIONS, JsFile
from backdoor_lint.checkers.lang.report import Report
from backdoor_lint.checkers.lang.syntax import ancestors, argument_nodes
from backdoor_lint.checkers.lang.values import UNKNOWN

ENV, SECRET, CREDENTIAL, DECODED, FETCHED, REQUEST = "environment", "secret", "credential", "decoded", \
    "fetched", "request"
FILE_READERS = {"fs.readFileSync", "fs.readFile", "fs.promises.readFile", "fs/promises.readFile",
                "fs.createReadStream", "fs.openSync", "fs-extra.readFile", "fs-extra.readFileSync",
                "fs-extra.readJson", "fs-extra.readJsonSync"}
DECODERS = {"atob", "String.fromCharCode", "zlib.inflateSync", "zlib.gunzipSync", "zlib.inflateRawSync",
            "zlib.brotliDecompressSync", "zlib.unzipSync", "decodeURIComponent", "unescape"}
CLIENTS = {"fetch", "node-fetch", "node-fetch.default", "axios", "axios.get", "axios.post", "axios.put",
           "axios.patch", "axios.request", "axios.delete", "got", "got.post", "got.get", "got.put", "needle",
           "needle.post", "request", "request.post", "superagent.post", "undici.fetch", "undici.request",
           "http.request", "https.request", "http.get", "https.get", "net.connect", "net.createConnection",
           "tls.connect", "dns.lookup", "dns.resolve", "dns.resolve4", "dns.resolveTxt", "dns.promises.lookup",
           "dns.promises.resolve", "navigator.sendBeacon", "XMLHttpRequest", "WebSocket", "ws"}
SOCKET_MAKERS = {"http.request", "https.request", "net.connect", "net.createConnection", "tls.connect",
                 "net.Socket", "dgram.createSocket", "XMLHttpRequest", "WebSocket", "ws", "request.post"}
SOCKET_SENDS = {"write", "end", "send"}
CODE_RUNNERS = {"eval", "Function", "vm.runInThisContext", "vm.runInNewContext", "vm.runInContext",
                "vm.Script", "vm.compileFunction", "setTimeout", "setInterval", "vm.SourceTextModule"}
SHELLS = {"child_process.exec", "child_process.execSync"}
PROCESSES = SHELLS | {"child_process.spawn", "child_process.spawnSync", "child_process.execFile",
                      "child_process.execFileSync", "child_process.fork"}
REQUEST_FIELDS = {"query", "body", "params", "headers", "cookies", "rawBody"}
REQUEST_NAMES = {"req", "request", "ctx"}
HEADER_KEYS = {"headers", "Authorization", "authorization", "auth", "Cookie", "cookie"}
# The calls without which no flow can be reported (sends, code runners, processes, and the makers
# of the sockets and Functions the flows name): the same tables `check_call` reports on.
SINKS = frozenset(CLIENTS | SOCKET_MAKERS | CODE_RUNNERS | PROCESSES | {"Function"})


@dataclass(frozen=True)
class Taint:
    kind: str
    label: str


class Flow:
    def __init__(self, js: JsFile) -> None:
        self.js = js
        self.variables: dict[str, frozenset[Taint]] = {}
        self._assigned: list[tuple[tuple, object]] | None = None  # ((scope start, end, name), value)
        self._sockets: set[str] | None = None
        self._code_functions: set[str] | None = None
        self._relevant: bool | None = None  # does the file call any sink at all (computed once)
        self._propagated = False
        self._decoding: set[int] | None = None  # ids of the functions that call a decoder

    def _calls_a_sink(self) -> bool:
        """Flows are reported only at sinks: a file that calls none (most vendored libraries) never
        pays for the taint fixed point, the costliest part of the analysis."""
        if self._relevant is None:
            self._relevant = any(self.js.call_target(c)[0] in SINKS
                                 for c in self.js.source.of_type("call_expression", "new_expression"))
        return self._relevant

    def _ensure_propagated(self) -> None:
        """Only a variable's taint needs the fixed point: a sink whose arguments read no variable
        (the `Function('return this')()` of many bundles) never pays for it."""
        if not self._propagated:
            self._propagated = True  # set first: the propagation itself asks for taints
            self._propagate()

    def _assignments(self) -> list[tuple[tuple, object]]:
        """((scope start, scope end, name), value node) of every binding with a value that is not
        a function."""
        if self._assigned is None:
            self._assigned = []
            for variable, bindings in self.js.bindings.items():
                for binding in bindings:
                    value = binding.value
                    name = (binding.scope.start_byte, binding.scope.end_byte, variable)
                    if value is not None and not isinstance(value, tuple) and hasattr(value, "type") \
                            and value.type not in FUNCTIONS:
                        self._assigned.append((name, value))
                    elif isinstance(value, tuple):
                        self._assigned.append((name, value[1]))
        return self._assigned

    def _assigned_calls(self, callee: set[str] | str) -> list[tuple[str, object]]:
        """(name, call) of the variables assigned a call of `callee` (a name or a set of names)."""
        wanted = {callee} if isinstance(callee, str) else callee
        return [(name[2], value) for name, value in self._assignments()
                if value.type in ("call_expression", "new_expression") and self.js.call_target(value)[0] in wanted]

    @property
    def sockets(self) -> set[str]:
        """Variables holding a socket (`s = net.connect(...)`): `s.write(x)` sends x. Known before
        any call is checked, whatever the order of the calls in the file."""
        if self._sockets is None:
            self._sockets = {name for name, _ in self._assigned_calls(SOCKET_MAKERS)}
        return self._sockets

    @property
    def code_functions(self) -> set[str]:
        """Variables holding a Function built from decoded text (`run = new Function(atob(p))`)."""
        if self._code_functions is None:
            self._code_functions = {name for name, call in self._assigned_calls("Function")
                                    if any(t.kind == DECODED for t in self.taints(call))}
        return self._code_functions

    # sources ------------------------------------------------------------------------------
    def taints(self, node, payload_only: bool = False, depth: int = 0) -> frozenset[Taint]:
        """The taints of an expression: its own sources and those of the variables it reads
        (not inside nested functions). With `payload_only`, header and auth fields are left out."""
        found: set[Taint] = set()
        stack = [node]
        src = self.js.source
        budget = 5000
        while stack and budget:
            budget -= 1
            current = stack.pop()
            own = self._source(current, depth)
            if own is not None:
                found |= own
                continue
            if current.type in FUNCTIONS and current is not node:
                continue
            if current.type == "identifier":
                self._ensure_propagated()
                found |= self.variables.get(self._key(current), frozenset())
                continue
            if payload_only and current.type == "pair":
                key = current.child_by_field_name("key")
                if key is not None and src.text(key).strip("'\"") in HEADER_KEYS:
                    continue
            stack.extend(current.named_children)
        return frozenset(found)

    def _key(self, name_node) -> tuple | None:
        binding = self.js.binding(name_node)
        if binding is None:
            return None
        return binding.scope.start_byte, binding.scope.end_byte, self.js.source.text(name_node)

    def _source(self, node, depth: int) -> frozenset[Taint] | None:
        js = self.js
        kind = node.type
        if kind in ("member_expression", "subscript_expression"):
            base = node.child_by_field_name("object")
            if js.callee_name(base)[0] == "process.env":
                key = node.child_by_field_name("property") if kind == "member_expression" else \
                    node.child_by_field_name("index")
                name = js.source.text(key) if kind == "member_expression" else js.value(key)
                if isinstance(name, str):
                    return frozenset({Taint(SECRET, name)}) if vocabulary.is_secret_variable(name) else frozenset()
                return frozenset({Taint(ENV, "process.env[...]")})
            if kind == "member_expression" and base is not None and base.type == "identifier" \
                    and js.source.text(base) in REQUEST_NAMES and js.binding(base) is not None \
                    and js.binding(base).value is None \
                    and js.source.text(node.child_by_field_name("property")) in REQUEST_FIELDS:
                return frozenset({Taint(REQUEST, js.source.text(node))})
            return None
        if kind == "identifier" and js.source.text(node) == "process" and node.parent is not None \
                and node.parent.type == "member_expression" and js.source.text(node.parent) == "process.env":
            grand = node.parent.parent
            if grand is None or grand.type not in ("member_expression", "subscript_expression") or \
                    grand.child_by_field_name("object") != node.parent:
                return frozenset({Taint(ENV, "process.env")})
            return None
        if kind in ("call_expression", "new_expression"):
            return self._call_source(node, depth)
        return None

    def _call_source(self, call, depth: int) -> frozenset[Taint] | None:
        js = self.js
        name, _ = js.call_target(call)
        args = argument_nodes(call)
        if name in FILE_READERS and args:
            path = vocabulary.credential_file(js.render(args[0]))
            if path:
                return frozenset({Taint(CREDENTIAL, path)})
        if name in DECODERS or name == "Buffer.from" and len(args) > 1 and \
                js.value(args[1]) in ("base64", "hex", "base64url") or name == "Buffer.from" and args and \
                args[0].type == "array":
            return frozenset({Taint(DECODED, name)}) | self._inner(args, depth)
        if name in CLIENTS and call.type == "call_expression" and name not in ("dns.lookup",):
            return frozenset({Taint(FETCHED, name)})
        if name is None and depth < 3:
            func = call.child_by_field_name("function")
            if _reversed_string(js, func):  # `s.split('').reverse().join('')`
                return frozenset({Taint(DECODED, "a reversed string")}) | self.taints(func, depth=depth + 1)
            if self._decoding_function(func):  # a packer: `eval(function(p, a, c, k){...fromCharCode...}(...))`
                return frozenset({Taint(DECODED, "an inline decoding function")}) | self._inner(args, depth)
            if func is not None and func.type == "identifier":  # a local helper: what it returns
                found: set[Taint] = set()
                for function in js.functions.get(js.source.text(func), ())[:4]:
                    for value in js.returns(function)[:8]:
                        found |= self.taints(value, depth=depth + 1)
                if found:
                    return frozenset(found) | self._inner(args, depth)
        return None

    def _decoding_function(self, func) -> bool:
        """An inline function (called where it is written) that calls a decoder anywhere inside."""
        while func is not None and func.type == "parenthesized_expression" and func.named_children:
            func = func.named_children[0]
        if func is None or func.type not in FUNCTIONS:
            return False
        if self._decoding is None:  # every function around a decoder call, found once (linear in the file)
            self._decoding = set()
            for call in self.js.source.of_type("call_expression"):
                if self.js.call_target(call)[0] in DECODERS:
                    self._decoding.update(a.id for a in ancestors(call) if a.type in FUNCTIONS)
        return func.id in self._decoding

    def _inner(self, args, depth: int) -> frozenset[Taint]:
        found: set[Taint] = set()
        for arg in args:
            found |= self.taints(arg, depth=depth + 1)
        return frozenset(found)

    def _propagate(self) -> None:
        """Variables' taints to a fixed point (a few rounds: chains longer than that are rare),
        callback parameters of tainted calls (`fs.readFile(p, (e, data) => ...)`, `.then(d => ...)`)."""
        src = self.js.source
        assignments = self._assignments()
        callbacks = []
        for call in src.of_type("call_expression"):
            args = argument_nodes(call)
            function = next((a for a in reversed(args) if a.type in FUNCTIONS), None)
            if function is not None:
                callbacks.append((call, function))
        for _round in range(4):
            changed = False
            for name, value in assignments:
                found = self.taints(value) | self.variables.get(name, frozenset())
                if found != self.variables.get(name, frozenset()):
                    self.variables[name] = found
                    changed = True
            for call, function in callbacks:
                changed |= self._callback(call, function)
            if not changed:
                break

    def _callback(self, call, function) -> bool:
        js = self.js
        func = call.child_by_field_name("function")
        found = frozenset()
        if func is not None and func.type == "member_expression" and \
                js.source.text(func.child_by_field_name("property")) in ("then", "on", "once", "pipe"):
            found = self.taints(func.child_by_field_name("object"))
        else:
            name, _ = js.call_target(call)
            if name in FILE_READERS or name in CLIENTS:
                found = self._call_source(call, 0) or frozenset()
        if not found:
            return False
        params = function.child_by_field_name("parameters") or function.child_by_field_name("parameter")
        if params is None:
            return False
        changed = False
        for param in [params] if params.type == "identifier" else params.named_children:
            target = param.child_by_field_name("pattern") or param
            if target.type != "identifier":
                continue
            if js.source.text(target) in ("err", "error", "e"):
                continue
            name = self._key(target)
            merged = self.variables.get(name, frozenset()) | found
            if merged != self.variables.get(name, frozenset()):
                self.variables[name] = merged
                changed = True
        return changed

    # sinks --------------------------------------------------------------------------------
    def check_call(self, call, name: str) -> list:
        if not self._calls_a_sink():
            return []
        js = self.js
        src = js.source
        args = argument_nodes(call)
        line = src.line(call)
        reports = []
        sending = name in CLIENTS or self._socket_send(call)
        name = name or self._method_label(call)
        if sending:
            every = self._inner(args, 0)
            payload = frozenset().union(*(self.taints(a, payload_only=True) for a in args)) if args else frozenset()
            leaked = [t for t in every if t.kind in (ENV, CREDENTIAL)] + [t for t in payload if t.kind == SECRET]
            if leaked:
                what = ", ".join(sorted({_describe(t) for t in leaked})[:3])
                reports.append(Report(line, "BDL402", f"{what} reaches `{name}` (the network): whoever runs the "
                                      "endpoint receives it. Send only the data the service needs; secrets belong "
                                      "in an Authorization header to the service they are for."))
        runs_code = name in CODE_RUNNERS or self._is_code_function(call)
        if name in ("setTimeout", "setInterval") and args and args[0].type in FUNCTIONS:
            runs_code = False
        shell = name in SHELLS or self.runs_shell(name, args)
        if runs_code or name in PROCESSES:
            kinds = {t.kind for t in self._inner(args[:1] if shell else args, 0)}
            if self._is_code_function(call):  # `run = new Function(decoded)` ... `run()`
                kinds.add(DECODED)
            if DECODED in kinds:
                reports.append(Report(line, "BDL501", f"`{name}` runs code decoded at run time: encoding hides the "
                                      "payload from review and from every pattern check. Ship the code as plain "
                                      "source."))
            elif FETCHED in kinds:
                reports.append(Report(line, "BDL502", f"`{name}` runs what was fetched from the network: whoever "
                                      "controls that server or the connection runs code here. Install code as a "
                                      "pinned, reviewed dependency."))
            elif REQUEST in kinds and runs_code:
                reports.append(Report(line, "BDL505", f"request input reaches `{name}`: the client chooses the code "
                                      "that runs. Never evaluate request data; parse it (JSON.parse) and dispatch "
                                      "on a fixed set of operations."))
            elif REQUEST in kinds and shell:
                reports.append(Report(line, "BDL505", f"request input reaches `{name}`: the client chooses the "
                                      "command the shell runs. Pass arguments as a list to execFile/spawn "
                                      "without a shell and validate them against a fixed set.", "block"))
            elif shell and args and self._built_from_parts(args[0]):
                reports.append(Report(line, "BDL505", f"`{name}` runs a command line built from variable data "
                                      f"(`{src.text(args[0])[:60]}`): a value containing `;`, `|` or `$(...)` runs "
                                      "a second command. Use execFile/spawn with an argument list, no shell."))
        return reports

    def runs_shell(self, name: str, args) -> bool:
        """spawn/execFile with `shell: true` (or a shell's path) in its options: the command line goes
        through a shell like exec's."""
        if name not in PROCESSES or len(args) < 2:
            return False
        options = self.js.value(args[-1])
        shell = options.get("shell") if isinstance(options, dict) else None
        return shell is True or isinstance(shell, str) and bool(shell)

    def _built_from_parts(self, node, depth: int = 0) -> bool:
        """A command string assembled from pieces that are not all constant (Python's BDL505 'built
        from variable data'): a template with substitutions or `+`, directly or through a name."""
        js = self.js
        if node is None or depth > 3 or js.value(node) is not UNKNOWN:
            return False
        if node.type == "template_string":
            return any(c.type == "template_substitution" for c in node.named_children)
        if node.type == "binary_expression":
            return js.source.text(node.child_by_field_name("operator")) == "+"
        if node.type == "identifier":
            binding = js.binding(node)
            value = binding.value if binding is not None else None
            return hasattr(value, "type") and self._built_from_parts(value, depth + 1)
        return False

    def _method_label(self, call) -> str:
        func = call.child_by_field_name("function")
        return self.js.source.text(func) if func is not None and func.end_byte - func.start_byte < 60 else "a method"

    def _socket_send(self, call) -> bool:
        func = self.js.source and call.child_by_field_name("function")
        if func is None or func.type != "member_expression":
            return False
        receiver = func.child_by_field_name("object")
        method = self.js.source.text(func.child_by_field_name("property"))
        return method in SOCKET_SENDS and receiver.type == "identifier" and self.js.source.text(receiver) in self.sockets

    def _is_code_function(self, call) -> bool:
        func = call.child_by_field_name("function")
        return func is not None and func.type == "identifier" and self.js.source.text(func) in self.code_functions


def _reversed_string(js: JsFile, func) -> bool:
    if func is None or func.type != "member_expression" or js.source.text(func.child_by_field_name("property")) != "join":
        return False
    inner = func.child_by_field_name("object")
    inner_func = inner.child_by_field_name("function") if inner.type == "call_expression" else None
    return inner_func is not None and inner_func.type == "member_expression" and \
        js.source.text(inner_func.child_by_field_name("property")) == "reverse"


def _describe(taint: Taint) -> str:
    if taint.kind == SECRET:
        return f"the secret environment variable {taint.label}"
    if taint.kind == CREDENTIAL:
        return f"the credential file {taint.label}"
    return "the whole environment (process.env)"
