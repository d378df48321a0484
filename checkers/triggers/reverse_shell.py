"""Trigger of the reverse-shell rule (checkers/py_reverse_shell.py), with the names it shares with it."""
from __future__ import annotations

from backdoor_lint.checkers.triggers import PythonTrigger

DUP2 = {"os.dup2", "posix.dup2"}


class ReverseShell(PythonTrigger):
    TRIGGER_IMPORTS = frozenset(DUP2)

    @classmethod
    def wants(cls, raw: bytes, display: str) -> bool:
        """dup2, or a standard stream handed to a process in a file that names sockets."""
        return b"dup2" in raw or b"socket" in raw and any(s in raw for s in (b"stdin", b"stdout", b"stderr"))
