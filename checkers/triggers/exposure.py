"""Triggers of the exposure rules (checkers/py_exposure.py)."""
from __future__ import annotations

from backdoor_lint.checkers.triggers import PythonTrigger


class DebugExposed(PythonTrigger):
    TRIGGER_LITERALS = (b"debug", b"evalex")
    TRIGGER_LOWER = True


class PermissiveAccess(PythonTrigger):
    TRIGGER_LITERALS = (b"cors", b"access-control", b"csrf", b"chmod")
    TRIGGER_LOWER = True
