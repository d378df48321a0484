"""Trigger of the deserialization rule (checkers/py_deserialization.py)."""
from __future__ import annotations

from backdoor_lint.checkers.triggers import PythonTrigger


class UnsafeDeserialization(PythonTrigger):
    TRIGGER_LITERALS = (b"pickle", b"marshal", b"shelve", b"yaml", b"torch", b"numpy", b"joblib", b"dill",
                        b"__import__", b"import_module")
