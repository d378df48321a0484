"""`backdoor-lint rules` and `backdoor-lint explain`: the catalogue as a table and as prose."""
from __future__ import annotations

import json

from backdoor_lint.catalogue import all_rules
from backdoor_lint.errors import UsageError


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
            languages[code].update(sorted(checker.LANGUAGES) if checker.LANGUAGES is not None else ["any"])
    for code, langs in _semgrep_languages().items():
        languages.setdefault(code, set()).update(langs)
    return {code: sorted(langs, key=lambda lang: (lang != "python", lang)) for code, langs in languages.items()}


def _semgrep_languages() -> dict[str, set[str]]:
    try:
        from backdoor_lint.semgrep_runner import rule_languages as semgrep_rule_languages
    except ImportError:  # the semgrep integration is not part of this build yet
        return {}
    return semgrep_rule_languages()


def render_rules(fmt: str) -> str:
    rules = list(all_rules().values())
    langs = rule_languages()
    if fmt == "json":
        return json.dumps([{"code": r.code, "name": r.name, "severity": r.severity, "confidence": r.confidence,
                            "languages": langs[r.code], "cwe": list(r.cwe), "summary": r.summary}
                           for r in rules], indent=2) + "\n"
    if fmt == "markdown":
        lines = ["| Code | Name | Severity | Languages | What it catches |", "|---|---|---|---|---|"]
        lines += [f"| {r.code} | `{r.name}` | {r.severity} | {', '.join(langs[r.code]) or '-'} | {r.summary} |" for r in rules]
        return "\n".join(lines) + "\n"
    width = max(len(r.name) for r in rules)
    lang_width = max(len(", ".join(langs[r.code])) for r in rules)
    lines = [f"{'CODE':<7} {'NAME':<{width}} {'SEVERITY':<8} {'LANGUAGES':<{lang_width}} SUMMARY"]
    lines += [f"{r.code:<7} {r.name:<{width}} {r.severity:<8} {', '.join(langs[r.code]) or '-':<{lang_width}} {r.summary}"
              for r in rules]
    return "\n".join(lines) + "\n"


def explain(query: str) -> str:
    rules = all_rules()
    wanted = query.strip()
    rule = rules.get(wanted.upper()) or next((r for r in rules.values() if r.name == wanted.lower()), None)
    if rule is None:
        raise UsageError(f"unknown rule {query!r}; `backdoor-lint rules` lists them all")
    flagged, not_flagged = _examples(rule.code)
    return rule.explanation(flagged, not_flagged, rule_languages()[rule.code])


def _examples(code: str, limit: int = 3) -> tuple[list[str], list[str]]:
    """A few INVALID and VALID examples from the implementing checkers' own tests."""
    from backdoor_lint.checkers.registry import python_checkers, text_checkers

    flagged, not_flagged = [], []
    for checker in (*text_checkers(), *python_checkers()):
        if code not in checker.CODES:
            continue
        flagged += [e.source.rstrip() for e in checker.INVALID if e.code == code]
        not_flagged += [e.source.rstrip() for e in checker.VALID]
    visible = [e.encode("ascii", "backslashreplace").decode() for e in flagged[1 : limit + 1]]
    return visible, [e.encode("ascii", "backslashreplace").decode() for e in not_flagged[:limit]]
