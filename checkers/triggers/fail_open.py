"""Trigger of the fail-open verification rule (checkers/py_fail_open.py)."""
from __future__ import annotations

import ast

from backdoor_lint.checkers.triggers import PythonTrigger, sites_auth, sites_tree
from backdoor_lint.checkers.triggers.auth import AuthAlwaysSucceeds, may_be_truthy_constant, names_verification
from backdoor_lint.checkers.vocabulary import SECURITY_CALL


class FailOpenVerification(PythonTrigger):
    _CHECKS = (b"compare_digest", b"constant_time", b"hmac", b"verify", b"jwt", b"check_password", b"authenticat",
               b"decode_token", b"validate_token", b"validate_signature", b"check_token", b"check_signature")

    @classmethod
    def wants(cls, raw: bytes, display: str) -> bool:
        """A return (the site test decides whether one is a success: `return True`, `return(1)`,
        `return  2`), and a function named as a verification (BDL606's own trigger) or a credential
        check called."""
        if b"return" not in raw:
            return False
        return any(literal in raw for literal in cls._CHECKS) or AuthAlwaysSucceeds.TRIGGER.search(raw) is not None

    @classmethod
    def has_site(cls, facts) -> bool:
        """A function that returns a truthy constant (every exit the rule reports is one) and is a
        verification (`_verification`: named as one, or calling a SECURITY_CALL)."""
        truthy_returns = sites_auth.Lines(node.lineno for node in sites_tree.nodes(facts, ast.Return)
                                     if may_be_truthy_constant(node.value))
        unsure = []
        for function in sites_auth.functions(facts):  # by lines: the returns of nested functions count too
            if truthy_returns.any_within(function):
                if names_verification(function.name, bare_verbs=False):
                    return True
                unsure.append(function)
        if not unsure:
            return False
        unsure = sites_auth.Spans(unsure)
        for node in sites_tree.nodes(facts, ast.Call):
            if unsure.contains(node.lineno):
                text = sites_auth.spelled(facts, node.func)
                if text is None or SECURITY_CALL.search(text):
                    return True
        return False
