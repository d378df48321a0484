"""Standard-library APIs that are unsafe by construction, whatever data they get.

- BDL201: `crypt.crypt` (and `legacycrypt`, its PyPI successor) with the traditional DES method
  (`crypt.METHOD_CRYPT`, or a two-character salt) or MD5-crypt (`crypt.METHOD_MD5`, a `$1$` salt):
  DES-crypt reads only the first 8 characters of the password and both fall to a GPU in hours.
- BDL502: `logging.config.listen()` without a `verify` function: it opens a socket and applies
  every logging configuration sent to it, and a configuration names classes and callables to
  construct (`()` factories in dictConfig, `eval` of arguments in fileConfig), so whoever can
  connect runs code in the process."""
from __future__ import annotations

import re

import libcst as cst
from backdoor_lint.checkers.base import Invalid, PythonChecker, Valid
from backdoor_lint.checkers.triggers import legacy_apis as trigger
from backdoor_lint.checkers.triggers.legacy_apis import CRYPT, MKSALT, WEAK_METHODS

DES_SALT = re.compile(r"^[./0-9A-Za-z]{2}")  # no `$id$` prefix: the traditional DES method
LISTENERS = {"logging.config.listen"}


class LegacyApis(trigger.LegacyApis, PythonChecker):
    CODES = ("BDL201", "BDL502")

    def visit_Call(self, node: cst.Call) -> None:
        names = self.qualnames(node.func)
        if not names:
            return
        if names & CRYPT:
            salt = self.argument(node, "salt", 1)
            method = self._weak_salt(salt) if salt is not None else None
            if method:
                self.report(node, "BDL201", (
                    f"{self.context.code(node.func)}() hashes with {method} (salt `{self.context.code(salt)}`): "
                    + _WHY_WEAK[method] + " Use crypt.mksalt(crypt.METHOD_SHA512) at least, better bcrypt/argon2 "
                    "(passlib, argon2-cffi)"))
        elif names & MKSALT:
            method = self._weak_method(self.argument(node, "method", 0))
            if method:
                self.report(node, "BDL201", f"{self.context.code(node.func)}() makes a salt for {method}: "
                            + _WHY_WEAK[method] + " Use crypt.METHOD_SHA512 at least, better bcrypt/argon2")
        elif names & LISTENERS:
            verify = self.argument(node, "verify", 1)
            if verify is None or self.evaluator.values(verify) == [None]:
                self.report(node, "BDL502", (
                    f"{self.context.code(node.func)}() accepts logging configurations from a socket and applies them "
                    "without a `verify` function: a configuration names the classes and callables to construct, so "
                    "whoever can connect to that port runs code in this process. Configure logging from a file, or "
                    "pass verify= that checks a signature"))

    def _weak_salt(self, salt: cst.BaseExpression) -> str | None:
        method = self._weak_method(salt)
        if method:
            return method
        if isinstance(salt, cst.Call) and self.qualnames(salt.func) & MKSALT:
            return self._weak_method(self.argument(salt, "method", 0))
        values = self.evaluator.values(salt)
        if values and all(isinstance(v, str) for v in values):
            if all(v.startswith("$1$") for v in values):
                return "MD5-crypt"
            if all(DES_SALT.match(v) and not v.startswith("$") for v in values):
                return "DES-crypt"
        return None

    def _weak_method(self, expression: cst.BaseExpression | None) -> str | None:
        if expression is None:
            return None
        return next((WEAK_METHODS[n] for n in sorted(self.qualnames(expression)) if n in WEAK_METHODS), None)

    VALID = [
        Valid('import crypt\ndef store(pw):\n    return crypt.crypt(pw, crypt.mksalt(crypt.METHOD_SHA512))\n', "BDL201"),
        # the default salt is the strongest method available; checking against a stored hash
        Valid('import crypt\ndef store(pw):\n    return crypt.crypt(pw)\n', "BDL201"),
        Valid('import crypt, hmac\ndef check(pw, stored):\n    return hmac.compare_digest(crypt.crypt(pw, stored), stored)\n',
              "BDL201"),
        Valid('import crypt\ndef store(pw):\n    return crypt.crypt(pw, "$6$rounds=656000$" + new_salt())\n', "BDL201"),
        # a listener that verifies what it receives; a server's own listen()
        Valid('import logging.config\ndef start(check_signature):\n'
              '    return logging.config.listen(9030, verify=check_signature)\n', "BDL502"),
        Valid('import socket\ns = socket.socket()\ns.listen(5)\n', "BDL502"),
    ]
    INVALID = [
        Invalid('import crypt\ndef store(pw):\n    return crypt.crypt(pw, crypt.METHOD_CRYPT)\n', "BDL201", 3),
        Invalid('from crypt import crypt as c, METHOD_MD5 as M\ndef store(pw):\n    return c(pw, M)\n', "BDL201", 3),
        Invalid('import crypt\nSALT = "a" + "b"\ndef store(pw):\n    return crypt.crypt(pw, SALT)\n', "BDL201", 4),
        Invalid('import crypt\ndef store(pw):\n    return crypt.crypt(pw, salt="$1$" + "x8Ks2p0q")\n', "BDL201", 3),
        Invalid('import crypt\ndef store(pw):\n    return crypt.crypt(pw, crypt.mksalt(crypt.METHOD_CRYPT))\n', "BDL201", 3),
        Invalid('import logging.config\nt = logging.config.listen(9999)\nt.start()\n', "BDL502", 2),
        Invalid('from logging.config import listen as L\nPORT = 1234\ndef start():\n    L(PORT, verify=None).start()\n',
                "BDL502", 4),
    ]


_WHY_WEAK = {
    "DES-crypt": "it uses only the first 8 characters of the password and a 12-bit salt, and a GPU tries every "
                 "8-character password in hours.",
    "MD5-crypt": "MD5-crypt is a fast, broken scheme that GPUs crack at billions of guesses per second.",
}
