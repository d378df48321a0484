"""The value sets of the site tests (checkers/triggers/sites_values.py) hold every value the rules'
constant evaluator (checkers/consteval.py) finds: for each case, the values the evaluator gives the
argument of the last line's `use(...)` are all in `possible_values` (or it says any value), and
where the case says so the set is exactly what the rules may read, or empty."""
import ast

import libcst as cst
import pytest
from backdoor_lint.checkers.base import ModuleContext
from backdoor_lint.checkers.trigger_facts import python_facts
from backdoor_lint.checkers.triggers.sites_tree import bound_names
from backdoor_lint.checkers.triggers.sites_values import possible_values
from libcst.metadata import MetadataWrapper, ScopeProvider

ANY = None
UNSET = object()

CASES = [
    # literals, operations, f-strings (a format spec: no value; `{x=}`: any), %, format, join
    ('X = "ex"\nR = X + "ec"', "R", {"exec"}),
    ('R = "sys" "tem"', "R", {"system"}),
    ('A = "sys"\nR = f"{A}tem"', "R", {"system"}),
    ('A = "sys"\nR = f"{A!r}"', "R", {"'sys'"}),
    ('A = 3\nR = f"{A:>4}"', "R", set()),
    ('A = "e"\nR = f"x{A=}"', "R", ANY),
    ('T = "%s.%s"\nR = T % ("os", "path")', "R", {"os.path"}),
    ('R = "{}tem".format("sys")', "R", {"system"}),
    ('R = "".join(["sys", "tem"])', "R", UNSET),
    ('R = "metsys"[::-1]', "R", {"system"}),
    ('R = "abc"[1]', "R", {"b"}),
    ('R = -(3)', "R", {-3}),
    # names: every assignment, `+=` once, a cycle unrolled, a default, a walrus; none without one
    ('def f(flag):\n    n = g(flag)\n    if flag:\n        n = "exec"\n    return n\nR = 1', "n", {"exec"}),
    ('N = "sys"\nN += "tem"', "N", {"sys", "system"}),
    ('N = "sys"\nN = N + "tem"', "N", UNSET),
    ('def f(how="sys" + "tem"):\n    return how\nR = 1', "how", {"system"}),
    ('if (n := "ex" + "ec"):\n    pass', "n", {"exec"}),
    ('def f(name):\n    return name\nR = 1', "name", set()),
    ('for n in items():\n    pass', "n", set()),
    ('R = obj.method()', "R", set()),
    ('R = a or "exec"', "R", set()),
    ('R = "exec" if c else "eval"', "R", set()),
    ('x = y = "exec"', "x", {"exec"}),
    ('F = False\nF = "exec"', "F", {False, "exec"}),
    # a name a function binds in its own scope is that function's (sites_scopes); where that is
    # not certain (global, nonlocal, a comprehension's target, a class body, a closure), every
    # binding of the file counts
    ('def f(name):\n    return use(name)\ndef g():\n    import os\n    name = os.sep\n', None, set()),
    ('def f():\n    n = "len"\n    return use(n)\ndef g():\n    n = "exec"\n', None, {"len"}),
    ('def f(how="po" + "pen"):\n    return use(how)\ndef g():\n    how = "len"\n', None, {"popen"}),
    ('def outer():\n    how = "exec"\n    def f(x=how):\n        return use(x)\n', None, {"exec"}),
    ('f = lambda n="ex" + "ec": use(n)\n', None, {"exec"}),
    ('def f():\n    if (n := "ex" + "ec"):\n        return use(n)\n', None, {"exec"}),
    ('def f(n):\n    n += "ec"\n    return use(n)\n', None, set()),
    ('N = "len"\ndef arm():\n    global N\n    N = "exec"\ndef f():\n    return use(N)\n', None, {"len", "exec"}),
    ('def f():\n    global N\n    N = "ex" + "ec"\n    return use(N)\n', None, {"exec"}),
    ('def outer():\n    n = "len"\n    def inner():\n        nonlocal n\n        n = "exec"\n    inner()\n'
     '    return use(n)\n', None, {"len", "exec"}),
    ('n = "exec"\ndef f(xs):\n    ys = [n for n in xs]\n    return use(n)\n', None, {"exec"}),
    ('n = "exec"\ndef f(xs):\n    ys = [(n := x) for x in xs]\n    return use(n)\n', None, UNSET),
    ('def f():\n    n = "exec"\n    class A:\n        m = use(n)\n', None, {"exec"}),
    ('def outer():\n    n = "exec"\n    def inner():\n        return use(n)\n', None, {"exec"}),
    ('def f(xs):\n    for n in xs:\n        pass\n    return use(n)\nn = "exec"\n', None, set()),
    ('def f():\n    try:\n        pass\n    except E as n:\n        pass\n    return use(n)\nn = "exec"\n', None,
     set()),
    # attributes: self and class attributes, an instance of a class of the file; other objects none
    ('class C:\n    how = "po" + "pen"\n    def go(self):\n        return use(self.how)\n', None, {"popen"}),
    ('class C:\n    def arm(self):\n        self.how = "exec"\n    def go(self):\n        return use(self.how)\n',
     None, {"exec"}),
    ('class C:\n    HOW = "exec"\nR = C.HOW', "R", {"exec"}),
    ('class C:\n    HOW = "exec"\nc = C()\nR = c.HOW', "R", {"exec"}),
    ('R = field.name', "R", set()),
    ('import os\nR = os.sep', "R", ANY),  # (where the file is unknown, so is what it imports)
    # calls: pure functions and methods, the file's functions (their returns), nothing else
    ('R = chr(101) + "val"', "R", UNSET),
    ('import base64\nR = base64.b64decode("ZXhlYw==").decode()', "R", UNSET),
    ('def name():\n    return "sys" + "tem"\nR = name()', "R", {"system"}),
    ('def name(a):\n    return a + "tem"\nR = name("sys")', "R", UNSET),
    ('R = str(undefined_param)', "R", set()),
    ('R = "".join(chr(c) for c in [101, 120])', "R", UNSET),
    ('R = "".join(map(chr, [101, 120]))', "R", UNSET),
    ('R = {"a": "exec"}.get("a")', "R", UNSET),
    ('R = ["ev", "al"]', "R", UNSET),
    ('R = [missing_name]', "R", set()),
    ('R = pick(*args)', "R", set()),
    ('g = getattr\nR = g(builtins, "chr")(101)', "R", UNSET),
    # consteval._helper: one function whose body is one statement with one return, at most four
    # positional arguments; else the call has no value (a method of a value is no pure function)
    ('def name(a):\n    if a:\n        return a + "tem"\nR = name("sys")', "R", UNSET),
    ('def name(a):\n    b = a + "tem"\n    return b\nR = name("sys")', "R", set()),
    ('def name(a):\n    return a + "tem"\nR = name(a="sys")', "R", set()),
    ('def name(a, b, c, d, e):\n    return a\nR = name("a", "b", "c", "d", "e")', "R", set()),
    ('def f(x, y):\n    return x.encode()\nR = f(1, 2).hex()', "R", UNSET),
    ('R = (a + b).encode()', "R", set()),
    ('R = ("sys" + "tem").encode()', "R", {b"system"}),
    # `self.f(...)`: named only after what `self.f = ...` assigns (here a pure function)
    ('import os\nclass C:\n    def join(self, a, b):\n        x = 1\n        return a\n'
     '    def go(self):\n        return use(self.join("a", "b"))\n', None, set()),
    ('import base64\nclass C:\n    def __init__(self):\n        self.dec = base64.b64decode\n    def go(self):\n'
     '        return use(self.dec("ZXhlYw=="))\n', None, UNSET),
    ('import base64\nclass C:\n    dec = base64.b64decode\n    def go(self):\n'
     '        return use(self.dec("ZXhlYw=="))\n', None, UNSET),
    ('class C:\n    def name(self, a):\n        return a + "tem"\n    def go(self):\n'
     '        return use(self.name("sys"))\n', None, UNSET),
]


def values_of(source: str, name: str | None):
    code = source + (f"\nuse({name})\n" if name else "")
    module = cst.parse_module(code)
    context = ModuleContext("m.py", code, module)
    found = []

    class Uses(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Name) and node.func.value == "use":
                found.append(node.args[0].value)
    module.visit(Uses())
    evaluated = context.evaluator.values(found[-1])
    data = code.encode()
    tree = ast.parse(data)
    facts = python_facts(data, tree)
    uses = [node for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == "use"]
    return evaluated, possible_values(facts, max(uses, key=lambda node: (node.lineno, node.col_offset)).args[0])


@pytest.mark.parametrize("source,name,expected", CASES, ids=[str(i) for i in range(len(CASES))])
def test_the_value_sets_hold_what_the_evaluator_finds(source, name, expected):
    evaluated, possible = values_of(source, name)
    if possible is not None:
        missing = [value for value in evaluated if not _held(value, possible)]
        assert not missing, (evaluated, possible)
    if expected is not UNSET:
        assert possible == (None if expected is ANY else frozenset(expected)), (evaluated, possible)


def _held(value, possible) -> bool:
    return any(type(value) is type(candidate) and value == candidate for candidate in possible)


# Every way of binding a name: what libcst's scope analysis (the rules' qualnames) records as an
# assignment anywhere must be in sites_tree.bound_names, or a rebound builtin would be read as the
# builtin (sites.may_stand_for); so must the names each case lists (match captures included, which
# libcst does not record).
BINDINGS = [
    ("a = 1\nb: int = 2\nc += 1\n(d := 3)\ndel e\nf, *g = h", "a b c d e f g"),
    ("import i.j\nimport k as l\nfrom m import n, o as p\nfrom . import q", "i l n p q"),
    ("def r(s, /, t=1, *u, v, **w): pass\nasync def x(): pass\nclass y: pass\nlambda z: z", "r s t u v w x y z"),
    ("for aa in bb: pass\nwith cc as dd: pass\n[ee for ee in ff]\n{gg: 1 for gg in hh}", "aa dd ee gg"),
    ("try: pass\nexcept E as ii: pass\ndef jj():\n    global kk\n    kk = 1\ndef ll():\n    mm = 1\n"
     "    def nn():\n        nonlocal mm\n        mm = 2", "ii jj kk ll mm nn"),
    ("match oo:\n    case [pp, *qq]: pass\n    case {'k': rr, **ss}: pass\n    case tt as uu: pass", "pp qq rr ss uu"),
]


@pytest.mark.parametrize("source, names", BINDINGS)
def test_bound_names_holds_every_binding_qualnames_knows(source, names):
    wrapper = MetadataWrapper(cst.parse_module(source))
    scopes = {scope for scope in wrapper.resolve(ScopeProvider).values() if scope is not None}
    assigned = {assignment.name.partition(".")[0] for scope in scopes for assignment in scope.assignments}
    data = source.encode()
    bound = bound_names(python_facts(data, ast.parse(data)))
    assert assigned <= bound, assigned - bound
    assert set(names.split()) <= bound, set(names.split()) - bound

