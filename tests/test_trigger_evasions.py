"""A trigger must never hide what its rule finds: every Python INVALID example, with each string
literal rebuilt from pieces ("ver" + "ify", "".join([...]), reversed), is reported through the
engine whenever the rule itself (run without its trigger) still reports it."""
import libcst as cst
import pytest

from backdoor_lint.checkers.base import ModuleContext
from backdoor_lint.checkers.registry import python_checkers
from backdoor_lint.checkers.tree import parse_module
from backdoor_lint.config import Config
from backdoor_lint.engine import scan_bytes


class Pieces(cst.CSTTransformer):
    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind

    def leave_SimpleString(self, original, updated):
        if any(c in updated.prefix.lower() for c in "bf"):
            return updated
        return self.rebuilt(updated.evaluated_value, updated)

    def visit_ConcatenatedString(self, node):
        return False  # `"a" "b"`: rebuilt as a whole (a part cannot become a parenthesized expression)

    def leave_ConcatenatedString(self, original, updated):
        return self.rebuilt(updated.evaluated_value, updated)

    def rebuilt(self, value, node):
        if not isinstance(value, str) or len(value) < 4:
            return node
        half = len(value) // 2
        built = {"concat": f"({value[:half]!r} + {value[half:]!r})",
                 "join": f"''.join([{value[:half]!r}, {value[half:]!r}])",
                 "reverse": f"{value[::-1]!r}[::-1]"}[self.kind]
        return cst.parse_expression(built)


CASES = [(checker, example, kind) for checker in python_checkers() for example in checker.INVALID
         if example.path.endswith(".py") for kind in ("concat", "join", "reverse")]


@pytest.mark.parametrize("checker,example,kind", CASES,
                         ids=[f"{c.__name__}-{i}-{k}" for i, (c, _, k) in enumerate(CASES)])
def test_trigger_sees_strings_built_from_pieces(checker, example, kind):
    mutant = parse_module(example.source).visit(Pieces(kind)).code
    context = ModuleContext(example.path, mutant, parse_module(mutant))
    context.config = Config()
    context.run([checker(context)])
    by_rule = {(f.code, f.line) for f in context.findings if f.code == example.code}
    if not by_rule:
        pytest.skip("the rule itself does not evaluate this construction")
    by_engine = {(f.code, f.line) for f in scan_bytes(example.path, mutant.encode(), Config()).findings}
    assert by_rule & by_engine, f"the trigger hides what {checker.__name__} finds in:\n{mutant}"
