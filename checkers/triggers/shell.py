"""Triggers of the shell rules (checkers/py_shell.py), with the names they share with them."""
from __future__ import annotations

import re

from backdoor_lint.checkers.sink_tables import PROCESS_FUNCTION_NAMED, SHELL_FUNCTIONS
from backdoor_lint.checkers.triggers import PythonTrigger
from backdoor_lint.checkers.triggers import network as network_trigger
from backdoor_lint.checkers.triggers.sites_shell import calls_one_of

SHELL_OPTIONAL = {"subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output",
                  "subprocess.Popen"}
ALWAYS_SHELL = {"os.system", "os.popen", "os.popen2", "os.popen3", "os.popen4", "subprocess.getoutput",
                "subprocess.getstatusoutput", "commands.getoutput", "commands.getstatusoutput",
                "asyncio.create_subprocess_shell", "asyncio.subprocess.create_subprocess_shell",
                "asyncio.AbstractEventLoop.subprocess_shell", "platform.popen", "popen2.popen2", "popen2.popen3",
                "popen2.popen4", "popen2.Popen3", "popen2.Popen4"}
ARGV_CALLS = SHELL_OPTIONAL | {"os.execvp", "os.execv", "os.spawnvp", "asyncio.create_subprocess_exec",
                               "os.execlp", "os.spawnlp"}


class ShellInjection(PythonTrigger):
    _MODULES = re.compile(rb"\b(os|subprocess|commands|asyncio|platform|popen2)\b")
    # `from os import system as run` leaves no `system(` in the code; the import still names it
    TRIGGER_IMPORTS = frozenset(ALWAYS_SHELL | ARGV_CALLS)

    @classmethod
    def wants(cls, raw: bytes, display: str) -> bool:
        if any(literal in raw for literal in (b"shell", b"popen", b"getoutput", b"spawnv", b"spawnl", b"execv",
                                              b"execl", b'"-c"', b"'-c'")) or PROCESS_FUNCTION_NAMED.search(raw):
            return True
        return any(literal in raw for literal in (b"getattr", b"__import__", b"import_module")) \
            and cls._MODULES.search(raw) is not None

    @classmethod
    def has_site(cls, facts) -> bool:
        # visit_Call reports only at a call whose qualified names meet ALWAYS_SHELL or ARGV_CALLS
        # (SHELL_OPTIONAL is part of it)
        return calls_one_of(facts, frozenset(ALWAYS_SHELL | ARGV_CALLS))


class ShellCommandChecker(network_trigger.NetworkChecker):
    """The command lines a process call runs: the files the network rule looks at, with a call of
    a process function (visit_Call reports only where the dataflow's `shell_call` finds one)."""

    SITE_NAMES = frozenset(SHELL_FUNCTIONS)
