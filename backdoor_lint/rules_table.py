"""The rule as users read it, one object per code: the catalogue's prose, the languages its
implementations cover and the code's own VALID/INVALID examples. `backdoor-lint rules` (every
format; the README table is `rules --format markdown`), `backdoor-lint explain` and the SARIF help
are all rendered from it."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from backdoor_lint.catalogue import Rule, all_rules
from backdoor_lint.checkers.examples import Invalid, Valid
from backdoor_lint.errors import UsageError

SHOWN_EXAMPLES = 3  # flagged and not-flagged examples shown by `explain` and in SARIF help


@dataclass(frozen=True)
class DocumentedRule:
    rule: Rule
    languages: tuple[str, ...]
    invalid: tuple[Invalid, ...]  # this code's own examples, from its implementations
    valid: tuple[Valid, ...]

    def shown_examples(self) -> tuple[list[str], list[str]]:
        """A few flagged examples beyond the headline one and a few look-alikes, escaped so that
        an example's invisible or bidi characters show as escapes, not as what they hide."""
        flagged = [_visible(e.source) for e in self.invalid[1:SHOWN_EXAMPLES + 1]]
        return flagged, [_visible(e.source) for e in self.valid[:SHOWN_EXAMPLES]]

    def explanation(self) -> str:
        """The long explanation with its fixed sections, as `backdoor-lint explain` prints it."""
        rule = self.rule
        refs = "\n".join(f"- {r}" for r in rule.references) or "- (none)"
        flagged, not_flagged = self.shown_examples()
        example = rule.example
        if flagged:
            example += "\n\nAlso flagged:\n" + "\n\n".join(flagged)
        if not_flagged:
            example += "\n\nNot flagged (look-alikes):\n" + "\n\n".join(not_flagged)
        return (
            f"{rule.code} {rule.name} ({rule.severity}, confidence {rule.confidence}, "
            f"{', '.join(rule.cwe)}; languages: {', '.join(self.languages) or '-'})\n\n"
            f"What it does\n{_indent(rule.what)}\n\n"
            f"Why is this bad\n{_indent(rule.why)}\n\n"
            f"Example\n{_indent(example)}\n\n"
            f"Use instead\n{_indent(rule.use_instead)}\n\n"
            f"Known problems\n{_indent(rule.known_problems)}\n\n"
            f"References\n{_indent(refs)}\n"
        )

    def markdown(self) -> str:
        """The same sections as GitHub renders SARIF help."""
        rule = self.rule
        refs = "\n".join(f"- {r}" for r in rule.references)
        flagged, not_flagged = self.shown_examples()
        examples = f"```\n{rule.example}\n```\n"
        if flagged:
            examples += "\nAlso flagged:\n" + "".join(f"```\n{e}\n```\n" for e in flagged)
        if not_flagged:
            examples += "\nNot flagged (look-alikes):\n" + "".join(f"```\n{e}\n```\n" for e in not_flagged)
        return (f"**{rule.code} {rule.name}**: {rule.summary}\n\n"
                f"Languages: {', '.join(self.languages) or '-'}\n\n### What it does\n{rule.what}\n\n"
                f"### Why is this bad\n{rule.why}\n\n### Example\n{examples}\n"
                f"### Use instead\n{rule.use_instead}\n\n### Known problems\n{rule.known_problems}\n\n"
                f"### References\n{refs}\n")

    def table_row(self) -> str:
        """The row of `rules --format markdown` (the README's rule table)."""
        rule = self.rule
        languages = ", ".join(self.languages) or "-"
        return f"| {rule.code} | `{rule.name}` | {rule.severity} | {languages} | {rule.summary} |"


def _visible(source: str) -> str:
    return "".join(c if c in "\n\t" or (c.isascii() and c.isprintable()) else c.encode("unicode_escape").decode()
                   for c in source.rstrip())


def _indent(text: str) -> str:
    return "\n".join(("    " + line) if line.strip() else "" for line in text.strip("\n").splitlines())


@lru_cache(maxsize=1)
def documented_rules() -> dict[str, DocumentedRule]:
    """Every rule, by code in code order, with its languages and its own examples."""
    languages = rule_languages()
    invalid, valid = _examples_by_code()
    return {code: DocumentedRule(rule, tuple(languages[code]), tuple(invalid.get(code, ())),
                                 tuple(valid.get(code, ())))
            for code, rule in all_rules().items()}


def rule_languages() -> dict[str, list[str]]:
    """Languages each code is implemented for, computed from the implementations themselves:
    libcst checkers (python), text checkers (any text file), semgrep rules (their languages),
    plus what the catalogue declares for engine-level rules."""
    from backdoor_lint.checkers.registry import python_checkers, text_checkers

    languages: dict[str, set[str]] = {code: set(rule.languages) for code, rule in all_rules().items()}
    for checker in python_checkers():
        for code in checker.CODES:
            languages[code].add("python")
    for checker in text_checkers():
        for code in checker.CODES:
            languages[code].update(sorted(checker.LANGUAGES) if checker.LANGUAGES is not None else [_any_but(checker)])
    for code, langs in _semgrep_languages().items():
        languages.setdefault(code, set()).update(langs)
    return {code: sorted(langs, key=lambda lang: (lang != "python", lang)) for code, langs in languages.items()}


def _any_but(checker) -> str:
    """`any` (every text file), or `any but translation` when the checker skips some."""
    return "any" + (f" but {', '.join(sorted(checker.EXCEPT))}" if checker.EXCEPT else "")


def _semgrep_languages() -> dict[str, set[str]]:
    try:
        from backdoor_lint.semgrep_runner import rule_languages as semgrep_rule_languages
    except ImportError:  # the semgrep integration is not part of this build yet
        return {}
    return semgrep_rule_languages()


def _examples_by_code() -> tuple[dict[str, list[Invalid]], dict[str, list[Valid]]]:
    """Each code's own examples: those of the checkers implementing it, then the catalogue's
    (for what the engine or a semgrep rule implements)."""
    from backdoor_lint.checkers.registry import python_checkers, text_checkers

    invalid: dict[str, list[Invalid]] = {}
    valid: dict[str, list[Valid]] = {}
    sources = [(c.INVALID, c.VALID) for c in (*text_checkers(), *python_checkers())]
    sources += [(r.invalid, r.valid) for r in all_rules().values()]
    for flagged, look_alikes in sources:
        for example in flagged:
            invalid.setdefault(example.code, []).append(example)
        for example in look_alikes:
            valid.setdefault(example.code, []).append(example)
    return invalid, valid


def render_rules(fmt: str) -> str:
    rules = list(documented_rules().values())
    if fmt == "json":
        return json.dumps([{"code": d.rule.code, "name": d.rule.name, "severity": d.rule.severity,
                            "confidence": d.rule.confidence, "languages": list(d.languages), "cwe": list(d.rule.cwe),
                            "summary": d.rule.summary}
                           for d in rules], indent=2) + "\n"
    if fmt == "markdown":
        lines = ["| Code | Name | Severity | Languages | What it catches |", "|---|---|---|---|---|"]
        return "\n".join(lines + [d.table_row() for d in rules]) + "\n"
    width = max(len(d.rule.name) for d in rules)
    lang_width = max(len(", ".join(d.languages)) for d in rules)
    lines = [f"{'CODE':<7} {'NAME':<{width}} {'SEVERITY':<8} {'LANGUAGES':<{lang_width}} SUMMARY"]
    lines += [f"{d.rule.code:<7} {d.rule.name:<{width}} {d.rule.severity:<8} "
              f"{', '.join(d.languages) or '-':<{lang_width}} {d.rule.summary}" for d in rules]
    return "\n".join(lines) + "\n"


def explain(query: str) -> str:
    rules = documented_rules()
    wanted = query.strip()
    found = rules.get(wanted.upper()) or next((d for d in rules.values() if d.rule.name == wanted.lower()), None)
    if found is None:
        raise UsageError(f"unknown rule {query!r}; `backdoor-lint rules` lists them all")
    return found.explanation()
