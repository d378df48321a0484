"""Shared by the site-test suites: a scan's codes with the rules' site tests on or off, and one
rule's site test on a source (checkers/triggers/sites*.py)."""
from __future__ import annotations

import ast

from backdoor_lint.checkers import triggers
from backdoor_lint.checkers.trigger_facts import python_facts

from backdoor_lint.config import Config
from backdoor_lint.engine import scan_bytes

PATH = "app/module.py"


def codes(source: str, site_tests: bool) -> set[str]:
    triggers.SITE_TESTS_ON = site_tests
    try:
        return {f.code for f in scan_bytes(PATH, source.encode(), Config()).findings}
    finally:
        triggers.SITE_TESTS_ON = True


def has_site(rule, source: str) -> bool:
    data = source.encode()
    return rule.has_site(python_facts(data, ast.parse(data), PATH))
