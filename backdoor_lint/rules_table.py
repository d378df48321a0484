"""`backdoor-lint rules` and `backdoor-lint explain`: the catalogue as a table and as prose."""
from __future__ import annotations

import json

from backdoor_lint.catalogue import all_rules
from backdoor_lint.cli import UsageError


def render_rules(fmt: str) -> str:
    rules = list(all_rules().values())
    if fmt == "json":
        return json.dumps([{"code": r.code, "name": r.name, "severity": r.severity, "confidence": r.confidence,
                            "languages": list(r.languages), "cwe": list(r.cwe), "summary": r.summary}
                           for r in rules], indent=2) + "\n"
    if fmt == "markdown":
        lines = ["| Code | Name | Severity | Languages | What it catches |", "|---|---|---|---|---|"]
        lines += [f"| {r.code} | `{r.name}` | {r.severity} | {', '.join(r.languages)} | {r.summary} |" for r in rules]
        return "\n".join(lines) + "\n"
    width = max(len(r.name) for r in rules)
    lang_width = max(len(", ".join(r.languages)) for r in rules)
    lines = [f"{'CODE':<7} {'NAME':<{width}} {'SEVERITY':<8} {'LANGUAGES':<{lang_width}} SUMMARY"]
    lines += [f"{r.code:<7} {r.name:<{width}} {r.severity:<8} {', '.join(r.languages):<{lang_width}} {r.summary}"
              for r in rules]
    return "\n".join(lines) + "\n"


def explain(query: str) -> str:
    rules = all_rules()
    wanted = query.strip()
    rule = rules.get(wanted.upper()) or next((r for r in rules.values() if r.name == wanted.lower()), None)
    if rule is None:
        raise UsageError(f"unknown rule {query!r}; `backdoor-lint rules` lists them all")
    flagged, not_flagged = _examples(rule.code)
    return rule.explanation(flagged, not_flagged)


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
