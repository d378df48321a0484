"""The rule catalogue: one entry per BDL code, shared by every engine and language.

A code names one concept (BDL101 is algorithm confusion in Python, JavaScript and Go alike).
Each family module (`bdl1`, `bdl2`, ...) defines `RULES`, a list of `Rule`. Implementations
(libcst checkers, text checkers, semgrep rules) refer to rules by code only.
"""
from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass, field
from functools import lru_cache

BLOCK = "block"
WARN = "warn"
SEVERITIES = (BLOCK, WARN)
CONFIDENCES = ("high", "medium", "low")

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
    example: str  # a short bad example (libcst rules add their INVALID examples)
    use_instead: str
    fix: str  # one-line fix hint printed under each finding
    known_problems: str = "None known."
    references: tuple[str, ...] = field(default_factory=tuple)
    # Languages covered by something other than a checker or semgrep rule (e.g. the engine itself);
    # the languages shown to users are computed from the implementations (see rules_table).
    languages: tuple[str, ...] = ()

    def explanation(self, flagged: list[str] = (), not_flagged: list[str] = (), languages: list[str] = ()) -> str:
        """The long explanation with its fixed sections, as `backdoor-lint explain` prints it.
        `flagged`/`not_flagged` add examples taken from the implementations' tests."""
        refs = "\n".join(f"- {r}" for r in self.references) or "- (none)"
        example = self.example
        if flagged:
            example += "\n\nAlso flagged:\n" + "\n\n".join(flagged)
        if not_flagged:
            example += "\n\nNot flagged (look-alikes):\n" + "\n\n".join(not_flagged)
        return (
            f"{self.code} {self.name} ({self.severity}, confidence {self.confidence}, "
            f"{', '.join(self.cwe)}; languages: {', '.join(languages or self.languages) or 'none yet'})\n\n"
            f"What it does\n{_indent(self.what)}\n\n"
            f"Why is this bad\n{_indent(self.why)}\n\n"
            f"Example\n{_indent(example)}\n\n"
            f"Use instead\n{_indent(self.use_instead)}\n\n"
            f"Known problems\n{_indent(self.known_problems)}\n\n"
            f"References\n{_indent(refs)}\n"
        )


def _indent(text: str) -> str:
    return "\n".join(("    " + line) if line.strip() else "" for line in text.strip("\n").splitlines())


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
