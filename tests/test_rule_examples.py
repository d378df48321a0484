"""Every rule code's own examples, run per code: each INVALID example must be flagged with its
code, each VALID look-alike must not be. They are the rules' tests and what `explain CODE` shows,
so they are taken from the same rule objects `explain` renders (rules_table.documented_rules)."""
import json
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest

from backdoor_lint import semgrep_runner
from backdoor_lint.catalogue import all_rules
from backdoor_lint.checkers.registry import python_checkers, text_checkers
from backdoor_lint.config import Config, config_from_table
from backdoor_lint.engine import scan_bytes
from backdoor_lint.languages import language_for
from backdoor_lint.rules_table import documented_rules, explain

RULES = documented_rules()
CHECKERS = (*python_checkers(), *text_checkers())
# A checker's look-alike must stay quiet under every code of that checker, not only its own.
SIBLING_CODES = {id(e): set(c.CODES) for c in CHECKERS for e in c.VALID}
INVALID = [(code, i, e) for code, rule in RULES.items() for i, e in enumerate(rule.invalid)]
VALID = [(code, i, e) for code, rule in RULES.items() for i, e in enumerate(rule.valid)]
SCAN_INTEGRITY = ("BDL901", "BDL902")
# Codes that cannot have examples, and why (the test below fails if one gains examples).
WITHOUT_EXAMPLES = {
    "BDL902": "an analysis failure (a checker exception, semgrep missing or crashing) is not something a "
              "file's content can show; tests/test_semgrep.py and tests/test_robustness_isolation.py cause it",
}


def _config(example) -> Config:
    return config_from_table(dict(example.config), "example", Path.cwd()) if example.config else Config()


def _is_semgrep_file(example) -> bool:
    data = example.source.encode("utf-8")
    return semgrep_runner.wanted(example.path, language_for(example.path, data[:8192]))


@lru_cache(maxsize=1)
def _semgrep_findings() -> dict[str, list]:
    """What the semgrep rules report on every example of a language they read, in one semgrep run,
    by example (a scan of the file would run them too)."""
    examples = [e for _, _, e in INVALID + VALID if _is_semgrep_file(e) and not e.config and e.before is None]
    items = [(f"example{i}/{e.path}", e.source.encode("utf-8")) for i, e in enumerate(examples)]
    found = semgrep_runner.scan_contents(items, Config()).findings if items else []
    return {id(e): [f for f in found if f.path == display] for e, (display, _) in zip(examples, items)}


def _staged_findings(example, tmp_path: Path) -> list[dict]:
    """A change rule's example: `before` committed, `source` staged, checked by `scan --staged`."""
    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    git("config", "user.email", "examples@example.invalid")
    git("config", "user.name", "examples")
    target = tmp_path / example.path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(example.before, encoding="utf-8")
    git("add", "-A")
    git("commit", "-q", "--no-verify", "-m", "before")
    target.write_text(example.source, encoding="utf-8")
    git("add", "-A")
    result = subprocess.run([sys.executable, "-m", "backdoor_lint", "scan", "--staged", "--format", "json",
                             "--exit-zero"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return [{"code": f["code"], "line": f["line"]} for f in json.loads(result.stdout)["findings"]]


def _findings(example, tmp_path: Path) -> list[tuple[str, int]]:
    if example.before is not None:
        return [(f["code"], f["line"]) for f in _staged_findings(example, tmp_path)]
    found = scan_bytes(example.path, example.source.encode("utf-8"), _config(example)).findings
    found += _semgrep_findings().get(id(example), [])
    return [(f.code, f.line) for f in found]


@pytest.mark.parametrize("code,index,example", INVALID, ids=[f"{code}-invalid-{i}" for code, i, _ in INVALID])
def test_invalid_example_is_flagged(code, index, example, tmp_path):
    findings = _findings(example, tmp_path)
    hits = [(c, line) for c, line in findings if c == code and (example.line is None or line == example.line)]
    assert hits, f"expected {code} at line {example.line} in:\n{example.source}\ngot {findings}"
    if code not in SCAN_INTEGRITY:
        assert not [c for c, _ in findings if c in SCAN_INTEGRITY], findings


@pytest.mark.parametrize("code,index,example", VALID, ids=[f"{code}-valid-{i}" for code, i, _ in VALID])
def test_valid_example_is_quiet(code, index, example, tmp_path):
    quiet = {code, *SIBLING_CODES.get(id(example), ()), *SCAN_INTEGRITY}
    findings = [(c, line) for c, line in _findings(example, tmp_path) if c in quiet]
    assert not findings, f"{code} look-alike flagged in:\n{example.source}\n{findings}"


def test_every_code_has_its_own_examples():
    for code, rule in RULES.items():
        if code in WITHOUT_EXAMPLES:
            assert not rule.invalid and not rule.valid, f"{code} has examples now: drop it from WITHOUT_EXAMPLES"
            continue
        assert rule.invalid, f"{code} has no INVALID example of its own"
        assert rule.valid, f"{code} has no VALID look-alike of its own"


def test_every_example_belongs_to_a_code_its_declarer_implements():
    """An example sits beside what must pass it: a checker's examples name that checker's codes,
    and a catalogue entry's examples are its own code's."""
    for checker in CHECKERS:
        for example in (*checker.INVALID, *checker.VALID):
            assert example.code in checker.CODES, f"{checker.__name__} declares an example of {example.code}"
    for code, rule in all_rules().items():
        assert all(e.code == code for e in (*rule.invalid, *rule.valid)), f"{code} declares another code's example"


def _unindented(text: str) -> str:
    return "\n".join(line[4:] if line.startswith("    ") else line for line in text.splitlines())


@pytest.mark.parametrize("code", sorted(RULES))
def test_explain_shows_only_the_codes_own_examples(code):
    """`explain` once showed every look-alike of the checker, e.g. BDL101's under BDL106."""
    shown = _unindented(explain(code))
    flagged, look_alikes = RULES[code].shown_examples()
    for example in flagged + look_alikes:
        assert example in shown
    own = {e.source for e in (*RULES[code].valid, *RULES[code].invalid)}
    for other, rule in RULES.items():
        for example in rule.valid:
            if other != code and example.source not in own and len(example.source.strip().splitlines()) > 1:
                assert example.source.rstrip() not in shown, f"explain {code} shows a look-alike of {other}"
