"""When each Python rule looks at a file: its trigger, declared without libcst (issue 19).

Every libcst rule `py_<area>.<Rule>` extends the class `triggers.<area>.<Rule>` of the same name,
which holds the rule's whole trigger (these attributes and, where a rule needs more, its own
`wants`); nothing else declares it. The engine asks the triggers which rules a file needs
(checkers/registry.py: `wanted_python_checkers`) and only then imports those rules' modules, and
libcst with them: a file no trigger matches costs no libcst import (about 0.5 s of CPU).

A trigger has two stages. The text stage (TRIGGER, TRIGGER_LITERALS, TRIGGER_IMPORTS, `wants`)
looks at the code's bytes; a rule may add a site test (`has_site`) that then looks at the file's
`ast` tree, which every Python file gets anyway, for a node the rule's visitor could report on,
using the rule's own tables (checkers/triggers/sites.py): libcst then parses only files with a
candidate site (issue 19).

A trigger only rules files out: it must let through every file where its rule could report
(tests/test_trigger_evasions.py rewrites every INVALID example the way an evader would;
tests/test_site_tests.py checks that the site tests change no finding on the corpora)."""
from __future__ import annotations

import re
from functools import cache
from typing import ClassVar

from backdoor_lint.checkers import fast_search


class PythonTrigger:
    """TRIGGER: a bytes regex (None: every Python file), optionally preceded by the faster
    TRIGGER_LITERALS substring check (searched in the lower-cased bytes when TRIGGER_LOWER);
    TRIGGER_IMPORTS: qualified names whose import parses the file whatever TRIGGER says."""

    TRIGGER: ClassVar[re.Pattern[bytes] | None] = None
    # plain substrings (`bytes in`, much faster than a regex alternation): the file must contain one
    # of them before TRIGGER, if any, is tried
    TRIGGER_LITERALS: ClassVar[tuple[bytes, ...]] = ()
    TRIGGER_LOWER: ClassVar[bool] = False
    # Qualified names the rule looks for (e.g. "requests.post"): a file whose imports bind one of
    # them or a module on its path (`import requests`, `from requests import post`) is parsed,
    # whatever TRIGGER says. The imports are read from the tree, so `try: import requests` counts.
    TRIGGER_IMPORTS: ClassVar[frozenset[str]] = frozenset()
    # Triggers see the code without comment lines and docstrings, unless the rule reports on
    # docstrings themselves (a token pasted into one is still leaked).
    TRIGGER_SEES_DOCSTRINGS: ClassVar[bool] = False

    @classmethod
    def wants_module(cls, facts, raw: bytes, display: str) -> bool:
        """Whether this file may hold a site of the rule (`facts`: trigger_facts.PythonFacts)."""
        if _import_paths(cls.TRIGGER_IMPORTS).isdisjoint(facts.imports) and \
                not cls.wants(raw + facts.extra if cls.TRIGGER_SEES_DOCSTRINGS else facts.code, display):
            return False
        return not SITE_TESTS_ON or facts.tree is None or cls.has_site(facts)

    @classmethod
    def has_site(cls, facts) -> bool:
        """The site test: whether `facts.tree` holds a node the rule's visitor could report on (a
        rule without one: every file its text stage lets through)."""
        return True

    @classmethod
    def wants(cls, raw: bytes, display: str) -> bool:
        if cls.TRIGGER_LITERALS:
            haystack = raw.lower() if cls.TRIGGER_LOWER else raw
            if not any(literal in haystack for literal in cls.TRIGGER_LITERALS):
                return False
        return cls.TRIGGER is None or fast_search.search(cls.TRIGGER, raw) is not None


# Off only to prove the site tests sound: a scan with them off must report exactly the same
# (tests/test_site_tests.py, benchmarks/site_tests_differential.py).
SITE_TESTS_ON = True

# Nearly every file imports these: `import os` alone says nothing about `os.system`, so a rule
# finds such uses with its TRIGGER (`system(`) and only `from os import system` counts as an import.
UBIQUITOUS_MODULES = frozenset({"os", "sys"})


@cache
def _import_paths(names: frozenset[str]) -> frozenset[str]:
    """`names` and their dotted prefixes, the imports through which they are reachable; `a.*` for a
    star import from a module on the path."""
    paths = {name.rsplit(".", depth)[0] for name in names for depth in range(name.count(".") + 1)}
    stars = {path + ".*" for path in paths if any(name.startswith(path + ".") for name in names)}
    return frozenset((paths - UBIQUITOUS_MODULES) | stars)
