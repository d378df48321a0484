"""BDL401/403/405 in JavaScript/TypeScript, on the facts of javascript.py and the flows of js_flow.py:

- BDL401: a request sent while the module loads: at the top level, in a function called where it
  is written (`(async () => {...})()`), in a local function the top level calls, or in a callback
  the top level schedules at once (`setTimeout`, `setImmediate`, `process.nextTick`), however the
  client is named (aliases, `require('https').get`, computed names). `if (require.main === module)`
  (a script run directly) is not module loading.
- BDL403: a destination a reviewer cannot read: decoded at run time (base64/hex, char codes,
  reversed strings, also through names and options objects), a raw public IP address, or a known
  exfiltration service.
- BDL405 (and BDL402): the command line of a child process, however built (a constant, a
  template, `sh -c` in an argv list, `shell: true`), judged by the shell analysis (checkers/shell)
  that judges shell scripts and agent commands: download-and-execute, /dev/tcp and netcat shells,
  credentials or the environment sent out."""
from __future__ import annotations

import urllib.parse

from backdoor_lint.checkers import vocabulary
from backdoor_lint.checkers.lang.javascript import FUNCTIONS, JsFile
from backdoor_lint.checkers.lang.js_flow import CLIENTS, DECODED, PROCESSES, SHELLS, Flow
from backdoor_lint.checkers.lang.report import Report, short
from backdoor_lint.checkers.lang.syntax import ancestors, argument_nodes
from backdoor_lint.checkers.lang.values import HOLE

# Calls that contact a remote host (constructing an XMLHttpRequest does not; `axios.create` and
# `axios.isCancel` build or inspect, they do not send).
NETWORK = (CLIENTS - {"XMLHttpRequest"}) | {
    "axios.head", "axios.options", "axios.postForm", "axios.putForm", "axios.patchForm", "http2.connect",
    "undici.stream", "undici.connect", "needle.get", "superagent.get", "superagent", "request.get", "got.patch",
    "got.delete", "dgram.createSocket", "dns.resolve6", "dns.resolveAny", "dns.promises.resolveTxt",
    "EventSource", "ws.WebSocket"}
# Hosts in options objects and connection arguments.
DESTINATION_KEYS = {"host", "hostname", "url", "baseURL", "href", "origin", "servername"}
SOCKETS = {"net.connect", "net.createConnection", "tls.connect"}
# Callbacks the top level schedules run right after loading.
SCHEDULERS = {"setTimeout", "setImmediate", "process.nextTick", "queueMicrotask"}
SHELL_PROGRAMS = {"sh", "bash", "zsh", "dash", "ksh", "ash"}
# process runners of other packages that take (file, args) like execFile, or a whole command line
ARGV_RUNNERS = {"execa", "execa.execa", "execa.execaSync", "cross-spawn", "cross-spawn.sync"}
LINE_RUNNERS = {"execa.execaCommand", "execa.execaCommandSync", "shelljs.exec"}
SHELL_CODES = ("BDL402", "BDL405")


def network_reports(js: JsFile, flow: Flow, call, name: str, loading: LoadTime) -> list[Report]:
    reports = []
    if name in NETWORK:
        via = loading.at_load(call)
        if via is not None:
            reports.append(Report(js.source.line(call), "BDL401", f"`{name}` contacts a remote host while the "
                                  f"module loads ({via}): merely importing or requiring this file sends a request, "
                                  "in tests, builds and every process that loads it, before any code of the "
                                  "application decides to. Move the call into a function that the application "
                                  "calls explicitly."))
        reports += _destination(js, flow, call, name)
    if name in PROCESSES or name in ARGV_RUNNERS or name in LINE_RUNNERS:
        reports += _shell_command(js, flow, call, name)
    return reports


class LoadTime:
    """Which code runs while the module is loaded (computed lazily, once per function)."""

    def __init__(self, js: JsFile) -> None:
        self.js = js
        self._functions: dict[int, str | None] = {}
        self._calls_by_name: dict[str, list] | None = None  # `name(...)` calls, indexed once

    def at_load(self, node, depth: int = 0) -> str | None:
        """How `node` runs at load time ("at the top level", "in a function called where it is
        written", "through `boot()` on line 9"), or None."""
        js = self.js
        for ancestor in ancestors(node):
            if ancestor.type in FUNCTIONS:
                return self._function_at_load(ancestor, depth)
            if ancestor.type in ("class_body", "class_declaration", "class"):
                return None
            if ancestor.type == "if_statement" and _main_guard(js, ancestor):
                return None
        return "at the top level"

    def _function_at_load(self, function, depth: int) -> str | None:
        if function.id in self._functions:
            return self._functions[function.id]
        self._functions[function.id] = None  # recursion: not at load through itself
        how = None if depth > 4 else self._how_called(function, depth)
        self._functions[function.id] = how
        return how

    def _how_called(self, function, depth: int) -> str | None:
        js = self.js
        outer = function.parent
        while outer is not None and outer.type == "parenthesized_expression":
            outer = outer.parent
        if outer is not None and outer.type == "call_expression" and outer.child_by_field_name("function") is not None \
                and function.start_byte >= outer.child_by_field_name("function").start_byte \
                and function.end_byte <= outer.child_by_field_name("function").end_byte:
            return "in a function called where it is written" if self.at_load(outer, depth + 1) else None
        if outer is not None and outer.type == "arguments" and outer.parent is not None \
                and js.call_target(outer.parent)[0] in SCHEDULERS:
            return "in a callback scheduled at load time" if self.at_load(outer.parent, depth + 1) else None
        name = _function_name(js, function)
        if name is None:
            return None
        if self._calls_by_name is None:
            self._calls_by_name = {}
            for call in js.source.of_type("call_expression"):
                func = call.child_by_field_name("function")
                if func is not None and func.type == "identifier":
                    self._calls_by_name.setdefault(js.source.text(func), []).append(call)
        for call in self._calls_by_name.get(name, ())[:16]:
            func = call.child_by_field_name("function")
            binding = js.binding(func)
            if binding is None or getattr(binding.value, "id", None) not in (function.id, function.parent.id):
                continue  # another function of that name
            if self.at_load(call, depth + 1):
                return f"through `{name}()` on line {js.source.line(call)}"
        return None


def _function_name(js: JsFile, function) -> str | None:
    if function.type in ("function_declaration", "generator_function_declaration"):
        name = function.child_by_field_name("name")
        return js.source.text(name) if name is not None else None
    parent = function.parent
    if parent is not None and parent.type == "variable_declarator":
        name = parent.child_by_field_name("name")
        return js.source.text(name) if name is not None and name.type == "identifier" else None
    return None


def _main_guard(js: JsFile, node) -> bool:
    """`if (require.main === module)` / `if (import.meta.main)`: runs only when executed as a script."""
    condition = " ".join(js.source.text(node.child_by_field_name("condition") or node).split())
    return "require.main === module" in condition or "require.main == module" in condition or \
        "import.meta.main" in condition or "module === require.main" in condition


# destinations ------------------------------------------------------------------------------
def _destination(js: JsFile, flow: Flow, call, name: str) -> list[Report]:
    args = argument_nodes(call)
    places = []
    for index, arg in enumerate(args[:3]):
        target = _object_node(js, arg)
        if target is not None:
            for pair in target.named_children:
                key = pair.child_by_field_name("key") if pair.type == "pair" else None
                if key is not None and js.source.text(key).strip("'\"") in DESTINATION_KEYS:
                    places.append((pair.child_by_field_name("value"), True, None))
                elif pair.type == "shorthand_property_identifier" and js.source.text(pair) in DESTINATION_KEYS:
                    binding = js.binding(pair)  # `{ host }`: the value the name was given
                    if binding is not None and hasattr(binding.value, "type"):
                        places.append((binding.value, True, js.source.text(pair)))
        elif index == 0 or name in SOCKETS and index == 1:
            if arg.type not in FUNCTIONS and arg.type != "number":
                places.append((arg, name in SOCKETS, None))
    line = js.source.line(call)
    for node, bare_host, shown in places:
        if node is None:
            continue
        shown = shown or short(js.source.text(node))
        if any(t.kind == DECODED for t in flow.taints(node)):
            return [Report(line, "BDL403", f"the destination of `{name}` (`{shown}`) is "
                           "decoded or assembled at run time (base64/hex, character codes, a reversed string), so "
                           "no reader can see where the data goes: this is how exfiltration endpoints and "
                           "command-and-control hosts are hidden. Write the destination as a plain literal or "
                           "read it from configuration.")]
        host, path = _host(js.render(node), bare_host)
        ip = vocabulary.raw_ip(host) if host else None
        service = vocabulary.exfil_service(host, path) if host else None
        if ip or service:
            article = "an" if service and service[0] in "aeiou" else "a"
            what = f"the raw IP address {ip}" if ip else f"{host}, {article} {service}"
            return [Report(line, "BDL403", f"`{name}` sends to {what}: no name a reviewer recognises and no "
                           "DNS-based review or blocking, which is why backdoors and exfiltration use such "
                           "endpoints. Use a named, configured endpoint of a service you operate.", "warn")]
    return []


def _object_node(js: JsFile, node):
    """The object literal an argument is, directly or through a name."""
    for _ in range(4):
        if node is None:
            return None
        if node.type == "object":
            return node
        if node.type != "identifier":
            return None
        binding = js.binding(node)
        node = binding.value if binding is not None and hasattr(binding.value, "type") else None
    return None


def _host(rendered: str, bare_host: bool) -> tuple[str, str]:
    text = rendered.strip()
    if "://" in text:
        try:
            parts = urllib.parse.urlsplit(text)
            host = parts.hostname or ""
        except ValueError:
            return "", ""
        return ("", "") if HOLE in host else (host, parts.path)
    if bare_host and text and HOLE not in text and "/" not in text:
        return text.split(":")[0] if text.count(":") == 1 else text, ""
    return "", ""


# shell command lines -----------------------------------------------------------------------
def _shell_command(js: JsFile, flow: Flow, call, name: str) -> list[Report]:
    from backdoor_lint.checkers.shell import UNKNOWN_PART, analyse, argv_command

    args = argument_nodes(call)
    if not args:
        return []
    line_given = name in SHELLS or name in LINE_RUNNERS or flow.runs_shell(name, args)
    words = [js.render(args[0])]
    if len(args) > 1 and args[1].type == "array":
        words += [js.render(e) for e in args[1].named_children if e.type != "comment"]
    elif len(args) > 1 and isinstance(js.value(args[1]), tuple):
        words += [w if isinstance(w, str) else HOLE for w in js.value(args[1])]
    if line_given:
        command = " ".join(words)  # exec's string, or spawn's command and arguments joined by the shell
    else:
        command = argv_command(words, HOLE)
    if all(part == HOLE for part in command.split()):
        return []
    analysis = analyse(command.replace(HOLE, UNKNOWN_PART)[:20000])
    reports = []
    for finding in analysis.findings:
        if finding.code in SHELL_CODES:
            reports.append(Report(js.source.line(call), finding.code, f"`{name}` runs the shell command "
                                  f"`{short(command.replace(HOLE, '…'))}`; in it: {finding.message}. Whoever controls "
                                  "the remote end runs code here or receives the data. Use an HTTP client with a "
                                  "reviewed destination; never pipe downloads into a shell."))
    return reports
