"""Trigger of the network rule (checkers/py_network.py); the shell-command rule shares it."""
from __future__ import annotations

import re

from backdoor_lint.checkers.sink_tables import PROCESS_FUNCTION_NAMED, SHELL_FUNCTIONS, SINKS
from backdoor_lint.checkers.triggers import PythonTrigger
from backdoor_lint.checkers.triggers.sites_shell import calls_one_of


class NetworkChecker(PythonTrigger):
    # Files that import no network, process or DNS module and call no process function are never
    # parsed for this checker (getattr/__import__ evasions still need the module: `__import__` is in
    # here). The sinks' modules are read from the imports.
    TRIGGER = re.compile(PROCESS_FUNCTION_NAMED.pattern + rb"|__import__|import_module")
    TRIGGER_LITERALS = (b"system", b"popen", b"spawn", b"exec", b"__import__", b"import_module")  # one in each branch
    TRIGGER_IMPORTS = frozenset(SINKS) | frozenset(SHELL_FUNCTIONS)
    # The rule reports only at a call the dataflow takes for a sink (SINKS) or a process function
    # (SHELL_FUNCTIONS), by the call's qualified names (`sink_of`, `shell_call`), or at a call of a
    # local function that makes one (so one is in the file too).
    SITE_NAMES = frozenset(SINKS) | frozenset(SHELL_FUNCTIONS)

    @classmethod
    def has_site(cls, facts) -> bool:
        return calls_one_of(facts, cls.SITE_NAMES)
