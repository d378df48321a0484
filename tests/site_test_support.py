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


def in_tree(root, source: str, rule, whole_trigger: bool = False) -> tuple[bool, set[tuple[str, int]]]:
    """`source` as the file pkg/checked.py of the tree at `root` (whose pkg/ holds the modules it
    imports): whether the rule's site test (with `whole_trigger`, its text stage too) lets it
    through, and the (code, line) of every finding the engine reports on it."""
    from backdoor_lint.engine import check_bytes

    path, data = str(root / "pkg" / "checked.py"), source.encode()
    facts = python_facts(data, ast.parse(data), path, str(root))
    site = rule.wants_module(facts, data, "pkg/checked.py") if whole_trigger else rule.has_site(facts)
    return site, {(f.code, f.line) for f in check_bytes(path, data, Config(root=root), "pkg/checked.py").findings}


def package(root, modules: dict[str, str]) -> None:
    """The package pkg/ under `root` with these modules (name -> source)."""
    (root / "pkg").mkdir()
    (root / "pkg" / "__init__.py").write_text("")
    for name, source in modules.items():
        (root / "pkg" / f"{name}.py").write_text(source)
