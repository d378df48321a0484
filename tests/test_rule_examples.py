"""Every checker's VALID and INVALID examples: the rules' own tests (and their documentation)."""
from pathlib import Path

import pytest

from backdoor_lint.checkers.registry import python_checkers, text_checkers
from backdoor_lint.config import Config, config_from_table
from backdoor_lint.engine import scan_bytes

CHECKERS = (*python_checkers(), *text_checkers())
INVALID = [(c, e) for c in CHECKERS for e in c.INVALID]
VALID = [(c, e) for c in CHECKERS for e in c.VALID]


def _findings(example):
    config = config_from_table(dict(example.config), "example", Path.cwd()) if getattr(example, "config", ()) \
        else Config()
    return scan_bytes(example.path, example.source.encode("utf-8"), config).findings


@pytest.mark.parametrize("checker,example", INVALID, ids=[f"{c.__name__}-{i}" for i, (c, _) in enumerate(INVALID)])
def test_invalid_example_is_flagged(checker, example):
    findings = _findings(example)
    hits = [f for f in findings if f.code == example.code and (example.line is None or f.line == example.line)]
    assert hits, f"expected {example.code} at line {example.line} in:\n{example.source}\ngot {findings}"
    assert not [f for f in findings if f.code in ("BDL901", "BDL902")], findings


@pytest.mark.parametrize("checker,example", VALID, ids=[f"{c.__name__}-{i}" for i, (c, _) in enumerate(VALID)])
def test_valid_example_is_quiet(checker, example):
    findings = [f for f in _findings(example) if f.code in checker.CODES or f.code in ("BDL901", "BDL902")]
    assert not findings, f"false positive in:\n{example.source}\n{findings}"


def test_every_checker_has_examples_for_every_code():
    for checker in CHECKERS:
        assert checker.VALID, f"{checker.__name__} has no VALID look-alikes"
        covered = {e.code for e in checker.INVALID}
        assert covered == set(checker.CODES), f"{checker.__name__}: no INVALID example for {set(checker.CODES) - covered}"
