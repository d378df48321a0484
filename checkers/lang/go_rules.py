"""The concepts of the Go analysis, on the facts of golang.py: BDL101/102 golang-jwt allow-lists
(`WithValidMethods`, `Parser{ValidMethods}`) however built, BDL301 `InsecureSkipVerify` set true
through any value, BDL402 secrets and credential files reaching net/http, net or websockets,
BDL404 data in a resolved host name, BDL501 decoded bytes run as a command, BDL505 request input
in a `sh -c` command."""
from __future__ import annotations

from backdoor_lint.checkers import vocabulary
from backdoor_lint.checkers.lang.auth_bypass import auth_reports
from backdoor_lint.checkers.lang.dispatch import go_dispatch
from backdoor_lint.checkers.lang.fail_open import fail_open_reports
from backdoor_lint.checkers.lang.golang import FUNCTIONS, GoFile
from backdoor_lint.checkers.lang.public_hmac import go_public_hmac
from backdoor_lint.checkers.lang.randomness import randomness_reports
from backdoor_lint.checkers.lang.report import Report, one_per_line, short
from backdoor_lint.checkers.lang.secret_compare import timing_reports
from backdoor_lint.checkers.lang.syntax import argument_nodes
from backdoor_lint.checkers.lang.values import algorithm_problem

ENV, SECRET, CREDENTIAL, DECODED, REQUEST = "environment", "secret", "credential", "decoded", "request"
HOST = "host"  # a non-secret fact about the machine or user: only a DNS query built from it is a leak
FILE_READERS = {"os.ReadFile", "io/ioutil.ReadFile", "os.Open", "os.OpenFile"}
DECODERS_SUFFIX = (".DecodeString", ".NewDecoder", ".AppendDecode", ".Decode")
DECODER_PACKAGES = ("encoding/base64", "encoding/hex", "encoding/base32", "compress/gzip", "compress/zlib",
                    "compress/flate")
SENDERS = {"net/http.Post", "net/http.PostForm", "net/http.Get", "net/http.NewRequest",
           "net/http.NewRequestWithContext", "net/http.Head"}
CONNECTORS = {"net.Dial", "net.DialTimeout", "net.DialUDP", "net.DialTCP", "crypto/tls.Dial",
              "nhooyr.io/websocket.Dial", "github.com/coder/websocket.Dial", "github.com/gorilla/websocket.Dial"}
RESOLVERS = {"net.LookupHost", "net.LookupIP", "net.LookupTXT", "net.LookupAddr", "net.LookupCNAME",
             "net.ResolveIPAddr", "net.ResolveUDPAddr", "net.ResolveTCPAddr"}
COMMANDS = {"os/exec.Command", "os/exec.CommandContext", "syscall.Exec", "syscall.ForkExec", "os.StartProcess"}
HOST_FACTS = {"os.Hostname", "os/user.Current"}
SHELLS = {"sh", "bash", "/bin/sh", "/bin/bash", "zsh", "cmd", "cmd.exe", "powershell", "pwsh"}
REQUEST_METHODS = {"FormValue", "PostFormValue", "Query", "Param", "PostForm", "GetHeader", "DefaultQuery",
                   "QueryParam", "FormFile"}


class GoFlow:
    def __init__(self, go: GoFile) -> None:
        self.go = go
        self.variables: dict[str, frozenset] = {}
        self.connections: set[str] = set()
        self._propagate()

    def taints(self, node) -> frozenset:
        found: set = set()
        stack, budget = [node], 5000
        while stack and budget:
            budget -= 1
            current = stack.pop()
            own = self._source(current)
            if own is not None:
                found |= own
                continue
            if current.type == "func_literal" and current is not node:
                continue
            if current.type == "identifier":
                found |= self.variables.get(self._key(current), frozenset())
                continue
            stack.extend(current.named_children)
        return frozenset(found)

    def _source(self, node):
        go = self.go
        if node.type != "call_expression":
            if node.type == "selector_expression" and go.source.text(node).endswith(".URL.RawQuery"):
                return frozenset({(REQUEST, go.source.text(node))})
            if node.type == "selector_expression":  # a decoder passed as a value (`reflect.ValueOf(dec)`)
                name = go.qualname(node) or ""
                if name.startswith(DECODER_PACKAGES) and name.endswith(DECODERS_SUFFIX):
                    return frozenset({(DECODED, name)})
            return None
        name = go.qualname(node.child_by_field_name("function")) or ""
        args = argument_nodes(node)
        if name in ("os.Getenv", "os.LookupEnv", "syscall.Getenv") and args:
            variable = go.value(args[0])
            if isinstance(variable, str):
                return frozenset({(SECRET if vocabulary.is_secret_variable(variable) else HOST, variable)})
            return frozenset({(ENV, "os.Getenv(...)")})
        if name in HOST_FACTS:
            return frozenset({(HOST, name)})
        if name in ("os.Environ", "syscall.Environ"):
            return frozenset({(ENV, "os.Environ()")})
        if name in FILE_READERS and args:
            path = vocabulary.credential_file(self._render(args[0]))
            if path:
                return frozenset({(CREDENTIAL, path)})
        if name.startswith(DECODER_PACKAGES) and (name.endswith(DECODERS_SUFFIX) or name.endswith(".NewReader")):
            return frozenset({(DECODED, name)}) | self._inner(args)
        func = node.child_by_field_name("function")
        if func is not None and func.type == "selector_expression":
            method = go.source.text(func.child_by_field_name("field"))
            receiver = go.source.text(func.child_by_field_name("operand"))
            if method in REQUEST_METHODS and receiver.split(".")[0] in ("r", "req", "request", "c", "ctx") or \
                    receiver.endswith("URL.Query()") or receiver.endswith(".Header") and method == "Get":
                return frozenset({(REQUEST, go.source.text(node))})
        return None

    def _key(self, name_node) -> tuple | None:
        """A variable as (its scope, its name): same-named variables of two functions stay apart."""
        binding = self.go.binding(name_node)
        if binding is None:
            return None
        return binding.scope.start_byte, binding.scope.end_byte, self.go.source.text(name_node)

    def _inner(self, args) -> frozenset:
        found: set = set()
        for arg in args:
            found |= self.taints(arg)
        return frozenset(found)

    def _render(self, node, depth: int = 0) -> str:
        value = self.go.value(node)
        if isinstance(value, str):
            return value
        if depth > 6:
            return "\ufffc"
        if node.type == "binary_expression":
            return self._render(node.child_by_field_name("left"), depth + 1) + \
                self._render(node.child_by_field_name("right"), depth + 1)
        if node.type == "call_expression":
            name = self.go.qualname(node.child_by_field_name("function")) or ""
            if name in ("os.UserHomeDir", "os.Getenv") and (name == "os.UserHomeDir" or "HOME" in self.go.source.text(
                    node)):
                return "~"
            if name in ("path/filepath.Join", "path.Join"):
                return "/".join(self._render(a, depth + 1) for a in argument_nodes(node))
        if node.type == "identifier":
            binding = self.go.binding(node)
            if binding is not None and binding.value is not None:
                return self._render(binding.value, depth + 1)
        return "\ufffc"

    def _propagate(self) -> None:
        go = self.go
        src = go.source
        pairs = [((b.scope.start_byte, b.scope.end_byte, name), b) for name, bindings in go.bindings.items()
                 for b in bindings if b.value is not None]
        decode_into = []  # `base64.StdEncoding.Decode(dst, src)`: dst holds decoded bytes
        for call in src.of_type("call_expression"):
            name = go.qualname(call.child_by_field_name("function")) or ""
            args = argument_nodes(call)
            if name.startswith(DECODER_PACKAGES) and name.endswith(".Decode") and args and args[0].type == "identifier":
                decode_into.append(self._key(args[0]))
        for key in decode_into:
            self.variables[key] = frozenset({(DECODED, "Decode")})
        for _round in range(4):
            changed = False
            for name, binding in pairs:
                if binding.multi and binding.index:  # `d, err := f()`: err carries nothing
                    continue
                found = self.taints(binding.value) | self.variables.get(name, frozenset())
                if found != self.variables.get(name, frozenset()):
                    self.variables[name] = found
                    changed = True
            if not changed:
                break
        for name, binding in pairs:
            if binding.value.type == "call_expression" and \
                    go.qualname(binding.value.child_by_field_name("function")) in CONNECTORS:
                self.connections.add(name[2])


def analyse(go: GoFile) -> list[Report]:
    flow = GoFlow(go)
    src = go.source
    reports: list[Report] = []
    for call in src.of_type("call_expression"):
        func = call.child_by_field_name("function")
        name = go.qualname(func) or ""
        args = argument_nodes(call)
        line = src.line(call)
        if name.endswith(".WithValidMethods") and "jwt" in name and args:
            reports += _algorithms(go.value(args[0]), "WithValidMethods", line)
        reports += _send(flow, call, name, args, line)
        reports += _hardcoded_key(go, call, name, args, line)
        if name in COMMANDS:
            reports += _command(flow, go, name, args, line)
    for element in src.of_type("keyed_element"):
        parts = element.named_children
        if len(parts) != 2:
            continue
        key = src.text(parts[0])
        value_node = parts[1].named_children[0] if parts[1].named_children else parts[1]
        reports += _setting(go, flow, key, value_node, src.line(element), element)
    for node in src.of_type("assignment_statement"):
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        for target, value in zip(left.named_children if left else [], right.named_children if right else []):
            if target.type == "selector_expression":
                reports += _setting(go, flow, src.text(target.child_by_field_name("field")), value, src.line(node), node)
    if not go.is_test:
        reports += timing_reports(go, "go") + randomness_reports(go, "go") + auth_reports(go) + go_public_hmac(go)
        reports += fail_open_reports(go, "go") + go_dispatch(go, flow)
    return one_per_line(reports)


def _hardcoded_key(go: GoFile, call, name: str, args: list, line: int) -> list[Report]:
    """BDL210: a constant key signs tokens (`SignedString`), keys an HMAC, or is what a jwt keyfunc
    returns (`func(t *jwt.Token) (interface{}, error) { return []byte("..."), nil }`)."""
    if go.is_test:
        return []
    keys = []
    if name.endswith(".SignedString") and args:
        keys.append(args[0])
    elif name == "crypto/hmac.New" and len(args) > 1:
        keys.append(args[1])
    elif "jwt" in name and name.rsplit(".", 1)[-1] in ("Parse", "ParseWithClaims"):
        for function in args:
            if function.type == "identifier" and go.source.text(function) in go.functions:
                function = go.functions[go.source.text(function)][0]
            if function.type in FUNCTIONS:
                keys += go.returns(function)
    for key in keys:
        if vocabulary.hardcoded_key(go.value(key)):
            return [Report(line, "BDL210", f"hard-coded key `{short(go.source.text(key))}` signs or verifies tokens "
                           f"here (`{name.rsplit('/', 1)[-1]}`): everyone with the source can mint valid tokens. Read "
                           "it from the environment or a secret manager.")]
    return []


def _algorithms(algorithms, label: str, line: int) -> list[Report]:
    problem = algorithm_problem(algorithms)
    if not problem:
        return []
    code, what = problem
    if code == "BDL102":
        return [Report(line, code, f"golang-jwt {label} {what}: an unsigned token passes. Allow only your key's "
                       "algorithm.")]
    return [Report(line, code, f"golang-jwt {label} {what}: a keyfunc handing out the RSA/EC public key lets an "
                   "attacker sign an HS256 token with that public key. Allow one family, e.g. []string{\"RS256\"}.")]


def _setting(go: GoFile, flow: GoFlow, key: str, value_node, line: int, site) -> list[Report]:
    if key == "InsecureSkipVerify" and go.value(value_node) is True:
        return [Report(line, "BDL301", f"InsecureSkipVerify is true (`{short(go.source.text(site))}`): the client "
                       "accepts any certificate, so anyone on the path reads and changes the traffic. Keep it false; "
                       "add a private CA to RootCAs.")]
    if key == "ValidMethods":
        return _algorithms(go.value(value_node), "Parser.ValidMethods", line)
    if key in ("Args", "Path") and site.type == "keyed_element":
        literal = next((a for a in [site.parent, site.parent.parent if site.parent else None]
                        if a is not None and a.type == "composite_literal"), None)
        if literal is not None and go.qualname(literal) == "os/exec.Cmd" and \
                any(kind == DECODED for kind, _ in flow.taints(value_node)):
            return [_decoded_report(literal.start_point[0] + 1, "exec.Cmd")]
    return []


def _decoded_report(line: int, name: str) -> Report:
    return Report(line, "BDL501", f"`{name}` runs a command decoded at run time (base64/hex): encoding hides the "
                  "command from review and from every pattern check. Write the command in plain source.")


def _command(flow: GoFlow, go: GoFile, name: str, args: list, line: int) -> list[Report]:
    taints = flow._inner(args)
    if any(kind == DECODED for kind, _ in taints):
        return [_decoded_report(line, name.rsplit("/", 1)[-1])]
    program_index = 1 if name == "os/exec.CommandContext" else 0
    values = [go.value(a) for a in args]
    if len(values) > program_index + 1 and str(values[program_index]).rsplit("/", 1)[-1] in SHELLS and \
            values[program_index + 1] in ("-c", "/c", "-Command") and \
            any(kind == REQUEST for kind, _ in flow._inner(args[program_index + 2:])):
        return [Report(line, "BDL505", "request input reaches a `sh -c` command: the client chooses what the shell "
                       "runs. Run the program directly with separate, validated arguments.")]
    return []


def _send(flow: GoFlow, call, name: str, args: list, line: int) -> list[Report]:
    go = flow.go
    func = call.child_by_field_name("function")
    label = name
    if name not in SENDERS and name not in RESOLVERS:
        if func is None or func.type != "selector_expression":
            return []
        receiver = func.child_by_field_name("operand")
        method = go.source.text(func.child_by_field_name("field"))
        if not (receiver.type == "identifier" and go.source.text(receiver) in flow.connections and
                method in ("Write", "WriteMessage", "WriteJSON", "WriteTo")):
            return []
        label = f"{go.source.text(receiver)}.{method} on a network connection"
    taints = flow._inner(args)
    kinds = (ENV, CREDENTIAL, SECRET, HOST) if name in RESOLVERS else (ENV, CREDENTIAL, SECRET)
    leaked = sorted({(k, w) for k, w in taints if k in kinds})
    if not leaked:
        return []
    what = ", ".join(_describe(k, w) for k, w in leaked[:3])
    if name in RESOLVERS:
        return [Report(line, "BDL404", f"{what} is put into a host name resolved by `{name}`: the attacker's name "
                       "server receives it in the DNS query, through any firewall that allows DNS.")]
    return [Report(line, "BDL402", f"{what} reaches `{label}`: whoever runs the endpoint receives it. Send only "
                   "what the service needs; a secret belongs in an Authorization header to the service it is for.")]


def _describe(kind: str, what: str) -> str:
    return {SECRET: f"the secret environment variable {what}", CREDENTIAL: f"the credential file {what}",
            HOST: f"{what} (who and where this runs)"}.get(
        kind, "the whole environment")


__all__ = ["FUNCTIONS", "analyse"]
