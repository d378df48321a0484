"""A trigger must never hide what its rule finds. Every Python INVALID example is rewritten the way
an evader would, without changing what the code does (tests/evasion_rewrites.py lists the
rewrites). Whenever the rule itself (run on the rewrite without its trigger) still reports it, the
engine must report it too."""
import sys
from pathlib import Path

import pytest

from backdoor_lint.checkers.base import ModuleContext
from backdoor_lint.checkers.registry import python_checkers
from backdoor_lint.checkers.tree import parse_module
from backdoor_lint.config import Config, config_from_table
from backdoor_lint.engine import scan_bytes

sys.path.insert(0, str(Path(__file__).parent))
from evasion_rewrites import KINDS, rewritten  # noqa: E402

CASES = [(checker, example, kind) for checker in python_checkers() for example in checker.INVALID
         if example.path.endswith(".py") for kind in KINDS if rewritten(example.source, kind) != example.source]


@pytest.mark.parametrize("checker,example,kind", CASES,
                         ids=[f"{c.__name__}-{i}-{k}" for i, (c, _, k) in enumerate(CASES)])
def test_trigger_sees_what_an_evader_rewrote(checker, example, kind):
    mutant = rewritten(example.source, kind)
    config = config_from_table(dict(example.config), "example", Path.cwd()) if example.config else Config()
    context = ModuleContext(example.path, mutant, parse_module(mutant))
    context.config = config
    context.run([checker(context)])
    by_rule = {(f.code, f.line) for f in context.findings if f.code == example.code}
    if not by_rule:
        pytest.skip("the rule itself does not evaluate this construction")
    by_engine = {(f.code, f.line) for f in scan_bytes(example.path, mutant.encode(), config).findings}
    assert by_rule & by_engine, f"the trigger hides what {checker.__name__} finds in:\n{mutant}"
