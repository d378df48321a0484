"""Trigger of the reverse-shell rule (checkers/py_reverse_shell.py), with the names it shares with it."""
from __future__ import annotations

import ast

from backdoor_lint.checkers.triggers import PythonTrigger
from backdoor_lint.checkers.triggers.sites import may_stand_for
from backdoor_lint.checkers.triggers.sites_shell import calls_one_of
from backdoor_lint.checkers.triggers.sites_tree import nodes

DUP2 = {"os.dup2", "posix.dup2"}
PROCESS_STARTERS = {"subprocess.Popen", "subprocess.run", "subprocess.call", "subprocess.check_call",
                    "subprocess.check_output", "asyncio.create_subprocess_exec", "asyncio.create_subprocess_shell"}
STREAMS = ("stdin", "stdout", "stderr")


class ReverseShell(PythonTrigger):
    TRIGGER_IMPORTS = frozenset(DUP2)

    @classmethod
    def wants(cls, raw: bytes, display: str) -> bool:
        """dup2, or a standard stream handed to a process in a file that names sockets."""
        return b"dup2" in raw or b"socket" in raw and any(s in raw for s in (b"stdin", b"stdout", b"stderr"))

    @classmethod
    def has_site(cls, facts) -> bool:
        # visit_Call: a dup2 call, or a process starter given a stream (`_process` reads it with
        # call_argument: a stdin=/stdout=/stderr= keyword, or an entry of a `**{...}` dict literal)
        frozen = frozenset(PROCESS_STARTERS)
        return calls_one_of(facts, frozenset(DUP2)) or any(
            _passes_a_stream(call) and may_stand_for(facts, call.func, frozen) for call in nodes(facts, ast.Call))


def _passes_a_stream(call: ast.Call) -> bool:
    return any(keyword.arg in STREAMS or keyword.arg is None and isinstance(keyword.value, ast.Dict)
               for keyword in call.keywords)
