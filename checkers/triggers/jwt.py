"""Trigger of the JWT rule (checkers/py_jwt.py)."""
from __future__ import annotations

import re

from backdoor_lint.checkers.triggers import PythonTrigger


class JwtAlgorithmConfusion(PythonTrigger):
    TRIGGER = re.compile(rb"jwt|jose|jwcrypto|authlib|JsonWeb")
