"""Trigger of the legacy-API rule (checkers/py_legacy_apis.py), with the names it shares with it."""
from __future__ import annotations

from backdoor_lint.checkers import fast_search
from backdoor_lint.checkers.triggers import PythonTrigger

CRYPT_MODULES = ("crypt", "legacycrypt")
CRYPT = {f"{m}.crypt" for m in CRYPT_MODULES}
MKSALT = {f"{m}.mksalt" for m in CRYPT_MODULES}
WEAK_METHODS = {**{f"{m}.METHOD_CRYPT": "DES-crypt" for m in CRYPT_MODULES},
                **{f"{m}.METHOD_MD5": "MD5-crypt" for m in CRYPT_MODULES}}


class LegacyApis(PythonTrigger):
    # `import crypt` is rare and read from the imports; `logging.config` is not (every file imports
    # logging), so the listener is found by its name, which aliases and getattr leave in the facts.
    TRIGGER_IMPORTS = frozenset(CRYPT | MKSALT | set(WEAK_METHODS))
    TRIGGER_LITERALS = (b"listen",)
    TRIGGER = fast_search.compile(rb"config\.listen\b|(?<![.\w])listen\s*\(|[\"']listen[\"']")
