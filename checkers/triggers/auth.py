"""Triggers of the authentication rules (checkers/py_auth.py)."""
from __future__ import annotations

import re

from backdoor_lint.checkers.secretformats import lines_with
from backdoor_lint.checkers.triggers import PythonTrigger


class MagicCredential(PythonTrigger):
    _WORDS = (b"passw", b"passphrase", b"passcode", b"pwd", b"secret", b"token", b"api_key", b"apikey", b"otp",
              b"pin", b"credential")

    @classmethod
    def wants(cls, raw: bytes, display: str) -> bool:
        """A line that names a credential and compares (==, !=, in), or compare_digest."""
        if b"compare_digest" in raw or b"constant_time_compare" in raw:
            return True

        def compares(data: bytes, start: int, _end: int) -> bool:
            stop = data.find(b"\n", start)
            line = data[start:stop if stop != -1 else len(data)]
            return b"==" in line or b"!=" in line or b" in " in line

        return lines_with(raw, raw.lower(), cls._WORDS, compares)


class AuthCheckSkipped(PythonTrigger):
    _LITERALS = (b"environ", b"getenv", b"headers", b"META", b"COOKIES", b"cookies", b"query", b".args", b".GET",
                 b"remote_addr", b"access_route", b"client.host", b"remote_ip", b"Header(",
                 b".params", b"DEBUG", b"TESTING", b".debug ", b".debug:", b".debug)", b".testing", b"debug_mode",
                 b"dev_mode", b"test_mode", b"get_header", b"get_cookie", b"get_argument", b"Header(", b"Cookie(",
                 b"Query(")
    _AUTH_LITERALS = (b"auth", b"login", b"perm", b"user", b"token", b"admin", b"verif", b"access", b"session",
                      b"forbidden", b"401", b"403")

    @classmethod
    def wants(cls, raw: bytes, display: str) -> bool:
        if not any(literal in raw for literal in cls._LITERALS):
            return False
        lower = raw.lower()
        return any(literal in lower for literal in cls._AUTH_LITERALS)


class AuthAlwaysSucceeds(PythonTrigger):
    TRIGGER_LITERALS = (b"verif", b"auth", b"login", b"passw", b"perm", b"token", b"signature", b"secret", b"otp",
                        b"access", b"admin", b"role", b"session", b"hmac", b"credential", b"mfa", b"sig")
    TRIGGER_LOWER = True
    TRIGGER = re.compile(rb"(?i)def\s+_*(?:(?:verify|authenticate|authori[sz]e)\s*\(|(?:verify|authenticat|authori[sz]|"
                         rb"check|validate|is|has|can|require|allow|auth|login)\w*?(?:auth|login|passw|pwd|signature|"
                         rb"sig\b|token|credential|otp|perm|access|hmac|secret|session|admin|role|mfa|verify))"
                         rb"|lambda[^:\n]*:\s*(?:True|1)\b")
