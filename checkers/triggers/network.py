"""Trigger of the network rule (checkers/py_network.py); the shell-command rule shares it."""
from __future__ import annotations

import re

from backdoor_lint.checkers.sink_tables import PROCESS_FUNCTION_NAMED, SHELL_FUNCTIONS, SINKS
from backdoor_lint.checkers.triggers import PythonTrigger


class NetworkChecker(PythonTrigger):
    # Files that import no network, process or DNS module and call no process function are never
    # parsed for this checker (getattr/__import__ evasions still need the module: `__import__` is in
    # here). The sinks' modules are read from the imports.
    TRIGGER = re.compile(PROCESS_FUNCTION_NAMED.pattern + rb"|__import__|import_module")
    TRIGGER_LITERALS = (b"system", b"popen", b"spawn", b"exec", b"__import__", b"import_module")  # one in each branch
    TRIGGER_IMPORTS = frozenset(SINKS) | frozenset(SHELL_FUNCTIONS)
