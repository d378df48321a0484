"""sites_scopes.local_scope agrees with the rules' scopes (checkers/tree.py): wherever it says a read
name is a function's own, the rules' `assignments` of that name are all bindings of that very
function's scope or of comprehensions inside it, which the site tests take as the function's own.
Checked on awkward layouts and on real files of this repository."""
import ast
from pathlib import Path

import libcst as cst
import pytest
from backdoor_lint.checkers.base import ModuleContext
from backdoor_lint.checkers.trigger_facts import python_facts
from backdoor_lint.checkers.triggers.sites_scopes import local_scope

LAYOUTS = [
    # a decorated nested def as the first statement: its decorator is the outer function's
    "def outer(x):\n    @wrap(x)\n    def inner(y):\n        return y + x\n    return inner\n",
    # one-line bodies, a lambda with a default read outside it, a lambda inside a default
    "def f(a): return a\ng = lambda b, c=d: b + c + d\ndef h(e=lambda e: e): return e\n",
    # class bodies (not visible from methods), a method reading a class-level name
    "class A:\n    n = 1\n    m = n + 1\n    def go(self, k):\n        return n + k + self.m\n",
    # global and nonlocal, a closure, comprehension targets, walrus inside and outside them
    "n = 1\ndef f():\n    global n\n    n = 2\n    return n\ndef g():\n    k = 1\n    def h():\n        nonlocal k\n"
    "        k = 2\n        return k\n    return [k for k in range(3)], k, h\ndef w(xs):\n    ys = [(z := x) for x in xs]\n"
    "    if (q := len(xs)):\n        return q, ys, z\n",
    # with, for, except, imports inside functions, tuple targets, augmented and annotated names
    "def f(path):\n    import os\n    from os import sep as s\n    with open(path) as (fh):\n        for a, *b in fh:\n"
    "            c: int\n            c += 1\n    try:\n        pass\n    except ValueError as err:\n        return err, s, os\n"
    "    return a, b, c\n",
    # a class inside a function, a def inside a class inside a function
    "def f(t):\n    class B:\n        u = t\n        def m(self, v):\n            return v + t\n    return B\n",
]


def _real_files() -> list[str]:
    root = Path(__file__).resolve().parent.parent / "checkers"
    return [str(root / name) for name in ("consteval.py", "tree.py", "origins.py", "py_dataflow.py")]


def _check(source: str) -> int:
    data = source.encode()
    tree = ast.parse(data)
    facts = python_facts(data, tree)
    module = cst.parse_module(source)
    context = ModuleContext("m.py", source, module)
    by_position = {}
    for name in context.tree.name_scopes:
        where = context.position(name).start
        by_position[(where.line, where.column)] = name
    lines = data.split(b"\n")
    checked = 0
    for node in ast.walk(tree):
        if not isinstance(node, ast.Name) or not isinstance(node.ctx, ast.Load):
            continue
        function = local_scope(facts, node)
        if function is None:
            continue
        column = len(lines[node.lineno - 1][:node.col_offset].decode("utf-8"))  # (ast counts bytes)
        twin = by_position.get((node.lineno, column))
        assert twin is not None and twin.value == node.id, (node.id, node.lineno)
        bindings = context.assignments(twin)
        assert bindings, (node.id, node.lineno, "the rules see no binding: the name is not the function's own")
        for binding in bindings:
            scope = binding.scope
            while scope.kind == "comprehension":  # (the site tests take a function's comprehensions as its own)
                scope = scope.parent
            owner = scope.node
            assert scope.kind == "function", (node.id, node.lineno, scope.kind)
            position = context.position(owner).start
            if isinstance(function, ast.Lambda):
                assert isinstance(owner, cst.Lambda) and position.line == function.lineno, (node.id, node.lineno)
            else:
                assert isinstance(owner, cst.FunctionDef) and owner.name.value == function.name, (node.id, node.lineno)
        checked += 1
    return checked


@pytest.mark.parametrize("source", LAYOUTS, ids=[str(i) for i in range(len(LAYOUTS))])
def test_a_function_own_name_is_bound_in_that_function(source):
    assert _check(source) > 0


@pytest.mark.parametrize("path", _real_files(), ids=lambda p: Path(p).name)
def test_real_files(path):
    assert _check(Path(path).read_text(encoding="utf-8")) > 50
