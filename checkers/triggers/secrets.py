"""Trigger of the hard-coded secret rule (checkers/py_secrets.py)."""
from __future__ import annotations

import re

from backdoor_lint.checkers.secretformats import has_format_trigger, lines_with
from backdoor_lint.checkers.triggers import PythonTrigger

# after a secret-ish word: the rest of the name, then `= "literal"`, `: "literal"` (dict key),
# `: str = "..."`, `= CONSTANT` or `= ("..."`
# bounded repetitions: linear even when searched over hostile input
_ASSIGNED_AFTER = re.compile(rb"\w{0,64}['\"]?\]?\s{0,20}(?::[^=\n]{0,40})?[:=]\s{0,20}(?:[rbuRBU]{0,2}['\"(]|[A-Z_][A-Z0-9_]*\b)")
_URL_CREDENTIALS = re.compile(rb"://[^/\s:@'\"]+:[^/\s@'\"]+@")


class HardcodedSecret(PythonTrigger):
    TRIGGER_SEES_DOCSTRINGS = True  # a token pasted into a docstring is leaked all the same
    _NAME_LITERALS = (b"passw", b"passphrase", b"passcode", b"pwd", b"secret", b"token", b"apikey", b"api_key",
                      b"private_key", b"access_key", b"signing_key", b"encryption_key", b"master_key", b"auth_key",
                      b"hmac_key", b"jwt_key", b"credential", b"_pass", b"_pw", b"authorization")

    @classmethod
    def wants(cls, raw: bytes, display: str) -> bool:
        if has_format_trigger(raw) or b"://" in raw and _URL_CREDENTIALS.search(raw):
            return True
        return lines_with(raw, raw.lower(), cls._NAME_LITERALS,
                          lambda data, _start, end: _ASSIGNED_AFTER.match(data, end) is not None)
