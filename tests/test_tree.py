"""checkers/tree.py replaces libcst's ParentNodeProvider, ScopeProvider and QualifiedNameProvider
(for speed). These tests compare it with libcst's own providers on every rule example and on
sources written to exercise scoping corner cases."""
from __future__ import annotations

import sys

import libcst as cst
import pytest
from backdoor_lint.checkers.registry import python_checkers
from backdoor_lint.checkers.tree import ModuleTree, child_nodes, parse_module, visit_tree
from libcst.metadata import (
    Assignment,
    MetadataWrapper,
    ParentNodeProvider,
    QualifiedNameProvider,
    QualifiedNameSource,
    ScopeProvider,
)

SCOPING = [
    # globals, nonlocals, class bodies invisible to methods, comprehension scopes
    "x = 1\ndef f():\n    global x\n    x = 2\n    return x\n",
    "def outer():\n    v = 1\n    def inner():\n        nonlocal v\n        v = 2\n        return v\n    return inner\n",
    "class C:\n    key = 'a'\n    def m(self):\n        return key\nkey = 'b'\n",
    "items = [1]\nresult = [items for items in items if items]\n",
    "d = {k: v for k, v in pairs for pairs in [[1]]}\n",
    "g = (y for x in range(3) for y in range(x))\n",
    # imports in every shape
    "import os.path\nimport a.b.c as abc\nfrom . import sibling\nfrom ..pkg.mod import thing as other\n"
    "from m import (x,\n    y as z)\nprint(os.path.join, abc, sibling, other, x, z)\n",
    # parameters, defaults and annotations evaluated outside the function
    "size = 3\ndef f(size=size, *args: int, key: str = 'k', **kw) -> size:\n    return size, args, key, kw\n",
    "f = lambda a, b=len: a + b(a)\n",
    # with, except, for, walrus, augmented and annotated assignment, del, match
    "with open('f') as (a, b), open('g') as c:\n    pass\ntry:\n    pass\nexcept ValueError as err:\n    print(err)\n"
    "for i, (j, *k) in []:\n    pass\nif (n := 10) > 5:\n    n += 1\nm: int = 3\ndel m\n",
    # decorators and bases belong to the enclosing scope
    "import functools\nclass Base: pass\n@functools.wraps(len)\ndef f(): pass\nclass D(Base, metaclass=type):\n"
    "    attr = Base\n",
    # builtins, shadowed builtins
    "eval('1')\ndef g(eval=None):\n    return eval\nexec = print\nexec('x')\n",
]


def _sources() -> list[str]:
    sources = list(SCOPING)
    for checker in python_checkers():
        sources += [example.source for example in checker.VALID + checker.INVALID]
    return sources


def _compare(source: str) -> None:
    module = cst.parse_module(source)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    scopes = wrapper.resolve(ScopeProvider)
    parents = wrapper.resolve(ParentNodeProvider)
    qualified = wrapper.resolve(QualifiedNameProvider)
    tree = ModuleTree(module)

    for child, parent in tree.parents.items():
        assert parents[child] is parent, f"parent of {type(child).__name__}"
    for name in _names(module):
        libcst_scope = scopes.get(name)
        if libcst_scope is None or tree.scope_of(name) is None:
            continue
        expected = {id(a.node) for a in libcst_scope[name.value] if isinstance(a, Assignment)}
        actual = {id(b.node) for b in tree.scope_of(name)[name.value]}
        assert actual == expected, f"bindings of {name.value!r} in {source!r}"
        expected_names = {q.name for q in _unlazy(qualified.get(name, ())) if q.source is not QualifiedNameSource.LOCAL}
        if name.value in _dotted_import_roots(module):
            continue  # libcst names `os` in `import os.path` after the dotted access; we name it `os`
        assert tree.import_qualnames(name) == expected_names, f"qualified names of {name.value!r} in {source!r}"


def _unlazy(value):
    return value() if callable(value) else value


def _names(module: cst.Module) -> list[cst.Name]:
    names = []

    class Collect(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            names.append(node)

    module.visit(Collect())
    return names


def _dotted_import_roots(module: cst.Module) -> set[str]:
    roots: set[str] = set()

    class Collect(cst.CSTVisitor):
        def visit_Import(self, node: cst.Import) -> None:
            roots.update(a.evaluated_name.split(".")[0] for a in node.names if "." in a.evaluated_name)

    module.visit(Collect())
    return roots


@pytest.mark.parametrize("source", _sources())
def test_tree_agrees_with_libcst_providers(source: str) -> None:
    _compare(source)


def test_reference_lists_match_libcst() -> None:
    source = "secret = 'x'\nother = secret\nprint(secret, other)\ndef f():\n    return secret\n"
    module = cst.parse_module(source)
    libcst_scope = MetadataWrapper(module, unsafe_skip_copy=True).resolve(ScopeProvider)
    tree = ModuleTree(module)
    global_scope = next(s for s in libcst_scope.values() if s is not None).globals
    expected = {id(access.node) for a in global_scope["secret"] for access in a.references}
    actual = {id(access.node) for b in tree.module_scope["secret"] for access in b.references}
    assert actual == expected and len(actual) == 3


def test_visit_tree_matches_libcst_visit_order_and_pruning() -> None:
    source = "def f(a=1):\n    x = [i for i in a]\n    def g():\n        return x\n    return g\nclass C:\n    y = f(2)\n"
    module = cst.parse_module(source)

    class Record(cst.CSTVisitor):
        def __init__(self) -> None:
            super().__init__()
            self.seen: list[str] = []

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            self.seen.append("def " + node.name.value)
            return node.name.value != "g"  # do not enter g

        def visit_Name(self, node: cst.Name) -> None:
            self.seen.append(node.value)

        def leave_ClassDef(self, node: cst.ClassDef) -> None:
            self.seen.append("end " + node.name.value)

    ours, theirs = Record(), Record()
    visit_tree(module, ours)
    module.visit(theirs)
    assert ours.seen == theirs.seen


def test_child_nodes_leave_out_only_layout() -> None:
    call = cst.parse_expression("f( a , b = 2 )")
    assert [type(n).__name__ for n in child_nodes(call)] == ["Name", "Arg", "Arg"]


def test_parse_module_still_rejects_bad_syntax_and_keeps_the_source() -> None:
    source = "def f(x):\n    return x  # comment\n"
    assert parse_module(source).code == source
    with pytest.raises(cst.ParserSyntaxError):
        parse_module("def f(:\n")
    with pytest.raises(cst.CSTValidationError):  # validation is back on afterwards
        cst.Name("not an identifier")


def test_deep_trees_are_walked_without_recursion() -> None:
    # twice as deep as Python's recursion limit: a recursive walk fails (libcst's own parse of
    # such a tree grows faster than its depth: 5,000 levels took 7 s of CPU, 2,000 under 1 s)
    depth = 2 * sys.getrecursionlimit()
    source = "x = " + "-" * depth + "1\n"
    module = cst.parse_module(source)
    tree = ModuleTree(module)
    assert len(tree.parents) > depth


def test_match_captures_are_bindings() -> None:
    # libcst's ScopeProvider treats capture patterns as reads; Python binds them (so do we)
    source = ("match cmd:\n    case {'k': v, **rest}:\n        print(v, rest)\n"
              "    case Point(x=px) | [px, *others] as whole:\n        print(px, others, whole)\n")
    tree = ModuleTree(cst.parse_module(source))
    for name in ("v", "rest", "px", "others", "whole"):
        assert tree.module_scope[name], name
    assert not tree.module_scope["x"]  # a keyword of the class pattern, not a name


def test_positions_match_the_position_provider() -> None:
    from backdoor_lint.checkers.tree import positions
    from libcst.metadata import PositionProvider

    source = "import jwt\n\ndef f(t):\n    return jwt.decode(\n        t, KEY,\n        algorithms=['HS256'])\n"
    module = cst.parse_module(source)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    actual = positions(module)
    assert len(actual) == len(expected) > 20
    assert all(actual[node] == expected[node] for node in expected)


def test_nesting_depth_counts_like_before() -> None:
    import ast

    from backdoor_lint.robust import nesting_depth

    assert nesting_depth(ast.parse("x = 1\n"))[0] == 4  # Module, Assign, Constant... levels
    assert nesting_depth(ast.parse("x = a and b and c and d\n"))[0] == nesting_depth(ast.parse("x = a\n"))[0] + 4
    deep = "x = " + "-" * 250 + "1\n"
    assert nesting_depth(ast.parse(deep)) == (253, 1)


STATEMENT_POSITION_SOURCES = [
    "#!/usr/bin/env python\n# header comment\n\nimport os; import sys\n\n\n# about f\n@deco\n# between\n@other(1)\ndef f(a,\n      b):\n    return a + \\\n        b\n    # trailing comment in the block\n\n# before the class\nclass C:\n    x = 1\n\n    def m(self): return os.system(self.x)\n# footer\n",
    "x = 1\r\ny = [\r\n  2,\r\n]\r\nif x:\r\n    pass\r\nelse:\r\n    y = 3\r\n",
    "try:\n    import a\nexcept ImportError:  # note\n    a = None\nfinally:\n    pass\nwhile True: break\nwith open('f') as h, open('g') as i:\n    h.write(i.read())\nmatch x:\n    case 1: pass\n",
    "\n\n\n'''doc'''\nasync def g():\n    await h()\n\n\n\n",
]


@pytest.mark.parametrize("source", STATEMENT_POSITION_SOURCES)
def test_positions_one_statement_at_a_time_equal_the_whole_module_s(source) -> None:
    import ast

    from backdoor_lint.checkers.base import ModuleContext
    from backdoor_lint.checkers.tree import parse_module, positions, statement_first_lines

    module = parse_module(source)
    context = ModuleContext("m.py", source, module)
    context.syntax_tree = ast.parse(source)
    context.run([])
    assert statement_first_lines(module, context.syntax_tree) is not None
    whole = positions(module)
    assert len(context.tree.parents) > 10
    for node in context.tree.parents:
        assert context.position(node) == whole[node], type(node).__name__
