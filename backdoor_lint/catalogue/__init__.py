"""The rule catalogue: one entry per BDL code, shared by every engine and language.

A code names one concept (BDL101 is algorithm confusion in Python, JavaScript and Go alike).
Each family module (`bdl1`, `bdl2`, ...) defines `RULES`, a list of `Rule`: the prose of each
code. Implementations (libcst checkers, text checkers, semgrep rules) refer to rules by code only
and carry their own examples; `backdoor_lint.rules_table.documented_rules()` puts prose, languages
and examples together into the one object per code that `explain`, `rules`, the README table and
SARIF help are rendered from.
"""
from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass, field
from functools import lru_cache

from backdoor_lint.checkers.examples import Invalid, Valid

BLOCK = "block"
WARN = "warn"
SEVERITIES = (BLOCK, WARN)

CODE_RE = re.compile(r"^BDL[1-9]\d\d$")


@dataclass(frozen=True)
class Rule:
    code: str
    name: str  # kebab-case name of the bad pattern
    category: str
    severity: str
    confidence: str
    cwe: tuple[str, ...]
    summary: str  # one line, for `rules` and SARIF shortDescription
    what: str  # What it does
    why: str  # Why is this bad: the attack, concretely
    example: str  # the headline bad example; each code's own INVALID/VALID examples follow it
    use_instead: str
    fix: str  # one-line fix hint printed under each finding (Python's, or any language's)
    known_problems: str = "None known."
    references: tuple[str, ...] = field(default_factory=tuple)
    # Languages covered by something other than a checker or semgrep rule (e.g. the engine itself);
    # the languages shown to users are computed from the implementations (see rules_table).
    languages: tuple[str, ...] = ()
    # Examples of a code that the engine or a semgrep rule implements (suppressions, guard
    # tampering, scan integrity, other languages). A checker's examples live on the checker class,
    # beside the code they test; backdoor_lint.rules_table gathers both into the rule users read.
    invalid: tuple[Invalid, ...] = ()
    valid: tuple[Valid, ...] = ()
    # The fix hint in other languages' terms, where `fix` names Python APIs or syntax:
    # ((languages, hint), ...); "javascript" covers TypeScript too (LANGUAGE_FAMILY).
    fixes: tuple[tuple[tuple[str, ...], str], ...] = ()

    def fix_for(self, language: str) -> str:
        """The fix hint for a finding in a file of `language` (languages.language_for)."""
        wanted = {language, LANGUAGE_FAMILY.get(language, language)}
        return next((hint for languages, hint in self.fixes if wanted & set(languages)), self.fix)


# Languages whose fix hints are written once for the family.
LANGUAGE_FAMILY = {"typescript": "javascript"}


@lru_cache(maxsize=1)
def all_rules() -> dict[str, Rule]:
    """Every rule of every family module, by code, in code order."""
    rules: dict[str, Rule] = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for rule in module.RULES:
            if rule.code in rules:
                raise RuntimeError(f"rule code {rule.code} defined twice")
            rules[rule.code] = rule
    return dict(sorted(rules.items()))


def get_rule(code: str) -> Rule:
    return all_rules()[code]


def expand_codes(patterns: list[str], origin: str) -> set[str]:
    """Turn codes and prefixes (`BDL1`, `BDL10`, `BDL101`) into a set of known codes.

    Raises ValueError naming `origin` for a pattern that matches no rule, so a typo in
    `ignore` can never silently switch nothing (or everything) off.
    """
    codes = set()
    known = all_rules()
    for pattern in patterns:
        pattern = pattern.strip().upper()
        if not re.fullmatch(r"BDL\d{0,3}", pattern):
            raise ValueError(f"{origin}: {pattern!r} is not a rule code or prefix (expected e.g. BDL101 or BDL1)")
        matched = {code for code in known if code.startswith(pattern)}
        if not matched:
            raise ValueError(f"{origin}: {pattern!r} matches no rule (see `backdoor-lint rules`)")
        codes |= matched
    return codes
