"""Trigger of the fail-open verification rule (checkers/py_fail_open.py)."""
from __future__ import annotations

from backdoor_lint.checkers.triggers import PythonTrigger
from backdoor_lint.checkers.triggers.auth import AuthAlwaysSucceeds


class FailOpenVerification(PythonTrigger):
    _SUCCESS = (b"return True", b"return 1")
    _CHECKS = (b"compare_digest", b"constant_time", b"hmac", b"verify", b"jwt", b"check_password", b"authenticat",
               b"decode_token", b"validate_token", b"validate_signature", b"check_token", b"check_signature")

    @classmethod
    def wants(cls, raw: bytes, display: str) -> bool:
        """A success return, and a function named as a verification (BDL606's own trigger) or a
        credential check called: most files return True somewhere, few do both."""
        if not any(literal in raw for literal in cls._SUCCESS):
            return False
        return any(literal in raw for literal in cls._CHECKS) or AuthAlwaysSucceeds.TRIGGER.search(raw) is not None
