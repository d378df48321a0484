"""Trigger of the SQL injection rule (checkers/py_sql.py)."""
from __future__ import annotations

import re

from backdoor_lint.checkers.origin_tables import ATTACKER_INPUT_TEXT
from backdoor_lint.checkers.triggers import PythonTrigger

_ATTACKER_INPUT_BYTES = re.compile(ATTACKER_INPUT_TEXT.pattern.encode())


class SqlInjection(PythonTrigger):
    TRIGGER = re.compile(rb"execute|executemany|executescript|exec_driver_sql|\.raw\(|\.extra\(|\btext\(|RawSQL")
    TRIGGER_LITERALS = (b"execute", b"raw(", b"extra(", b"text(", b"RawSQL")

    @classmethod
    def wants(cls, raw: bytes, display: str) -> bool:
        # the rule reports only request input or network data, whose text the file must hold
        # (request input reaching SQL only through a function imported from another file is missed)
        return super().wants(raw, display) and _ATTACKER_INPUT_BYTES.search(raw) is not None
