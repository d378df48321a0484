"""The values the rules' constant evaluator (checkers/consteval.py) may find, as the site tests read
them from a file's tree (see checkers/triggers/sites.py): possible_values, and the questions the
site tests ask of it (may_be_computed, may_be_text, may_evaluate_to, may_hold_only); before them,
the names a file's names stand for, which the values of calls depend on. One approximation for
every rule: the exec, deserialization, crypto, TLS, secret and auth site tests all ask it."""
from __future__ import annotations

import ast
import itertools
from collections import defaultdict

from backdoor_lint.checkers.module_files import (
    MAX_IMPORT_DEPTH,
    MAX_VALUE_TEXT,
    defines,
    locate,
    module_constants,
    text_matches,
)
from backdoor_lint.checkers.pure_values import BINARY_OPERATIONS, MAX_SIZE, PURE_FUNCTIONS, PURE_METHODS, predicted_size
from backdoor_lint.checkers.triggers.sites_scopes import local_scope, scope_imports, scope_values
from backdoor_lint.checkers.triggers.sites_tree import bindings, bound_names, nodes, tail, transitive

IMPORTERS = frozenset({"__import__", "import_module"})
_FETCHERS = frozenset({"getattr", "__import__"})  # builtins whose call is named after what it gets
FETCHED = "?"  # in standing_plain: a name a getattr or run-time import may get


def spelled_names(facts, node: ast.expr) -> set[str]:
    """The names an expression's own qualified names may end with, before following assignments:
    a name, an attribute's last name, a call's callee's (a call names its result after its callee,
    except a call of the builtin getattr or __import__, named only after what it gets: sites_exec._named_by)."""
    while isinstance(node, ast.Call):
        if isinstance(node.func, ast.Name) and node.func.id in _FETCHERS and node.func.id not in bound_names(facts):
            return set()
        node = node.func
    if isinstance(node, ast.Name):
        return {node.id}
    if isinstance(node, ast.Attribute):
        return {node.attr}
    return set()


def direct_standing(facts) -> tuple[dict[str, set[str]], list[tuple[str, ast.Call]]]:
    """Name -> the names it stands for directly (see standing_for), and the (name, call) pairs of
    `name = <call>` whose call may add the name a getattr or run-time import gets."""
    direct: dict[str, set[str]] = defaultdict(set)
    named_by_call: list[tuple[str, ast.Call]] = []  # `x = getattr(m, "n")`: x -> n once f may be getattr
    for node in nodes(facts, ast.Import) + nodes(facts, ast.ImportFrom):
        for alias in node.names:
            if alias.asname:
                direct[alias.asname].add(tail(alias.name))
    for target, value in bindings(facts):
        if isinstance(target, ast.Name):
            name = target.id
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
                and target.value.id in ("self", "cls"):
            name = target.attr
        else:
            continue
        direct[name] |= spelled_names(facts, value) - {name}
        while isinstance(value, ast.Call):  # `getattr(m, "n")`, and `getattr(m, "n")(...)` named after it
            named_by_call.append((name, value))
            value = value.func
    return direct, named_by_call


def standing_plain(facts) -> dict[str, set[str]]:
    """standing_for without the names getattr and run-time imports get: FETCHED stands for them
    wherever they may come in (what the value sets below read; standing_for reads those values)."""
    found = facts.memo.get("standing_plain")
    if found is not None:
        return found

    def fetched(call: ast.Call, standing: dict[str, set[str]]) -> set[str]:
        callee = set()
        for spelled in spelled_names(facts, call.func):
            callee |= {spelled} | standing.get(spelled, set())
        return {FETCHED} if callee & (IMPORTERS | {"getattr", FETCHED}) else set()

    found = facts.memo["standing_plain"] = grown(*direct_standing(facts), fetched)
    return found


def grown(direct: dict[str, set[str]], named_by_call: list[tuple[str, ast.Call]], named_by) -> dict[str, set[str]]:
    """transitive(direct) once each `name = <call>` of `named_by_call` also stands for what
    `named_by(call, closure)` says the call adds (which depends on what its callee stands for:
    `g = getattr` then `x = g(m, "n")`), added until nothing changes."""
    found = transitive(direct)
    while True:
        more = False
        for name, call in named_by_call:
            for extra in named_by(call, found):
                if extra not in direct[name]:
                    direct[name].add(extra)
                    more = True
        if not more:
            return found
        found = transitive(direct)


# -- the values the rules' constant evaluator may find (checkers/consteval.py) ------------------------
# possible_values(node) over-approximates `Evaluator.values(node)`: None when the evaluator may find
# any value, else a set holding every value it may find (empty: it finds none). Exact for strings,
# bytes, integers, None and tuples of them (the names, module names and blobs the rules read), and
# bools and floats kept as they are (an operation on one gives None); every other value (a list, a
# dict...) is None. A name read in a function that binds it in its own scope has the values of
# that function's bindings (sites_scopes.local_scope); any other name those of all its bindings in
# the file. A name read while its own values are computed is solved by a fixpoint (_fixpoint);
# another cycle, a deep expression or too many values give None.
_MAX_VALUES = 64
_MAX_VALUE_DEPTH = 40
_NO_VALUE: frozenset = frozenset()
_ONLY_NONE = frozenset([None])
_IN_PROGRESS = object()
_BINARY_OPERATORS = {ast.Add: "Add", ast.Sub: "Subtract", ast.Mult: "Multiply", ast.Pow: "Power",
                     ast.Mod: "Modulo", ast.BitOr: "BitOr", ast.BitXor: "BitXor", ast.BitAnd: "BitAnd",
                     ast.FloorDiv: "FloorDivide", ast.LShift: "LeftShift"}  # as consteval's BINARY_OPERATIONS
_UNARY_OPERATORS = {ast.USub: lambda v: -v, ast.UAdd: lambda v: +v, ast.Invert: lambda v: ~v}
_CONVERSIONS = {-1: str, 115: str, 114: repr, 97: ascii}
_PURE_TAILS = frozenset(tail(name) for name in PURE_FUNCTIONS)
_PURE_METHOD_NAMES = frozenset().union(*PURE_METHODS.values())


def _exact(value: object, inner: bool = False) -> bool:
    """Whether a set may hold the value: a string, bytes, an integer, None, a tuple of these, and
    (not in a tuple) a bool or a float, never with another kind of number (True == 1 == 1.0 would
    merge them)."""
    if isinstance(value, tuple):
        return all(_exact(item, True) for item in value)
    return value is None or type(value) in ((str, bytes, int) if inner else (str, bytes, int, bool, float))


def _value_set(values) -> frozenset | None:
    """The set of `values` (an iterable), None if one of them is not exact or there are too many."""
    found = set()
    numbers = set()
    for value in values:
        if not _exact(value):
            return None
        if isinstance(value, (str, bytes)) and len(value) > MAX_SIZE:
            continue  # the evaluator drops a value too large (pure_values.size_ok)
        if type(value) in (int, bool, float):
            numbers.add(type(value))
        found.add(value)
        if len(found) > _MAX_VALUES or len(numbers) > 1:
            return None
    return frozenset(found)


def _computable(options: list) -> bool:
    """Whether an operation on these sets is computed here (a bool or a float in one: not)."""
    return all(type(value) not in (bool, float) for values in options for value in values)


def _combinations(options: list[frozenset]):
    """Every combination of one value of each set (None when there are too many)."""
    count = 1
    for values in options:
        count *= len(values)
    return None if count > _MAX_VALUES * 4 else itertools.product(*options)


def possible_values(facts, node: ast.expr | None, depth: int = 0) -> frozenset | None:
    """Every value the rules' constant evaluator may find for `node` (None: any value)."""
    if node is None:
        return _NO_VALUE
    if isinstance(node, ast.Name):  # (memoised, cycles included, by name or name and function: _fixpoint)
        scope = local_scope(facts, node)
        if scope is None:
            return _name_values(facts, node.id, depth)
        return _fixpoint(facts, f"{node.id}@{id(scope)}", lambda: _name_values_of(facts, node.id, depth, scope))
    memo = facts.memo.setdefault("possible_values", {})
    known = memo.get(id(node))
    if known is not None:
        return None if known is _IN_PROGRESS else known[0]
    if depth > _MAX_VALUE_DEPTH:
        return None
    memo[id(node)] = _IN_PROGRESS  # a cycle (`x = x + "a"`) gives any value
    try:
        found = _values_of(facts, node, depth + 1)
    except (TypeError, ValueError, OverflowError, MemoryError, IndexError, KeyError, ZeroDivisionError):
        found = None
    memo[id(node)] = (found,)
    return found


def _values_of(facts, node: ast.expr, depth: int) -> frozenset | None:
    if isinstance(node, ast.Constant):  # (the evaluator has no value for `...`)
        return _NO_VALUE if node.value is Ellipsis else _value_set([node.value])
    if isinstance(node, ast.Attribute):
        return _attribute_values(facts, node, depth)
    if isinstance(node, ast.JoinedStr):
        return _formatted_values(facts, node, depth)
    if isinstance(node, ast.BinOp):
        operation = BINARY_OPERATIONS.get(_BINARY_OPERATORS.get(type(node.op), ""))
        if operation is None:
            return _NO_VALUE
        return _combined(facts, [node.left, node.right], depth, lambda left, right: operation(left, right))
    if isinstance(node, ast.UnaryOp):
        operation = _UNARY_OPERATORS.get(type(node.op))
        operand = possible_values(facts, node.operand, depth)
        if operand is None or operand and (operation is None or not all(type(v) is int for v in operand)):
            return None  # (`not x` is a bool)
        return _value_set(operation(value) for value in operand)
    if isinstance(node, ast.Tuple):
        if any(isinstance(element, ast.Starred) for element in node.elts):
            return _containers(facts, node.elts, depth)
        return _combined(facts, node.elts, depth, lambda *items: items)
    if isinstance(node, (ast.List, ast.Set)):
        return _containers(facts, node.elts, depth)
    if isinstance(node, ast.Dict):
        return _containers(facts, [*node.keys, *node.values], depth)
    if isinstance(node, ast.Subscript):
        return _subscript_values(facts, node, depth)
    if isinstance(node, ast.Call):
        return _call_values(facts, node, depth)
    if isinstance(node, (ast.ListComp, ast.GeneratorExp)):
        return None
    return _NO_VALUE  # the evaluator has no rule for the others (`a or b`, `a if c else b`, a lambda...)


def _combined(facts, parts: list, depth: int, operation) -> frozenset | None:
    """`operation` on every combination of the parts' values (a part: an expression or the set of
    its values; a part without one: no value; a combination the operation refuses: left out, as
    the evaluator does)."""
    options = []
    for part in parts:
        values = part if isinstance(part, frozenset) else possible_values(facts, part, depth)
        if values is not None and not values:
            return _NO_VALUE
        options.append(values)
    if None in options or not _computable(options):
        return None
    combinations = _combinations(options)
    if combinations is None:
        return None
    results = []
    for combination in combinations:
        try:
            results.append(operation(*combination))
        except Exception:  # noqa: BLE001 - as consteval._combine: not this combination
            continue
    return _value_set(results)


def _subscript_values(facts, node: ast.Subscript, depth: int) -> frozenset | None:
    """consteval._eval_Subscript: an item or a slice of each container value."""
    index = node.slice
    if isinstance(index, ast.Slice):
        bounds = [_ONLY_NONE if part is None else part for part in (index.lower, index.upper, index.step)]
        return _combined(facts, [node.value, *bounds], depth, lambda container, *parts: container[slice(*parts)])
    return _combined(facts, [node.value, index], depth, lambda container, key: container[key])


def _containers(facts, elements: list[ast.expr | None], depth: int) -> frozenset | None:
    """A list, set, dict or starred tuple: none if an element has no value, else any value."""
    for element in elements:
        if element is None:  # a dict's `**mapping`: its value is the next one
            continue
        value = element.value if isinstance(element, ast.Starred) else element
        found = possible_values(facts, value, depth)
        if found is not None and not found:
            return _NO_VALUE
    return None


def _formatted_values(facts, node: ast.JoinedStr, depth: int) -> frozenset | None:
    """An f-string: none with a format spec or a part without a value (consteval), else each text."""
    parts = []
    for index, part in enumerate(node.values):
        if isinstance(part, ast.FormattedValue):
            if part.format_spec is not None:
                return _NO_VALUE
            before = node.values[index - 1] if index else None
            if isinstance(before, ast.Constant) and before.value.rstrip().endswith("="):
                return None  # maybe `{x=}`: libcst keeps `x=` in the expression, the evaluator renders x alone
            parts.append(part)
    conversions = [_CONVERSIONS.get(part.conversion, str) for part in parts]

    def render(*values):
        pieces = iter(conversion(value) for conversion, value in zip(conversions, values))
        return "".join(part.value if isinstance(part, ast.Constant) else next(pieces) for part in node.values)
    return _combined(facts, [part.value for part in parts], depth, render)


def _value_bindings(facts) -> dict[str, tuple[list[ast.expr], list[tuple[type, ast.expr]]]]:
    """Name -> (the values of its `=`, annotated and walrus assignments and of its parameters'
    defaults; its augmented assignments (operator node type, value)), over the whole file
    (sites_scopes.scope_values: the same, of one function's own scope)."""
    found = facts.memo.get("value_bindings")
    if found is not None:
        return found
    found = defaultdict(lambda: ([], []))

    def plain(target, value):
        if isinstance(target, ast.Name) and value is not None:
            found[target.id][0].append(value)
    for node in nodes(facts, ast.Assign):
        for target in node.targets:
            plain(target, node.value)
    for node in nodes(facts, ast.AnnAssign) + nodes(facts, ast.NamedExpr):
        plain(node.target, node.value)
    for node in nodes(facts, ast.arguments):
        positional = [*node.posonlyargs, *node.args]
        for arg, default in zip(positional[len(positional) - len(node.defaults):], node.defaults):
            found[arg.arg][0].append(default)
        for arg, default in zip(node.kwonlyargs, node.kw_defaults):
            if default is not None:
                found[arg.arg][0].append(default)
    for node in nodes(facts, ast.AugAssign):
        if isinstance(node.target, ast.Name):
            found[node.target.id][1].append((type(node.op), node.value))
    found = dict(found)
    facts.memo["value_bindings"] = found
    return found


def _import_bindings(facts) -> dict[str, list[tuple[bool, str]]]:
    """Name -> (from a `from` import?, the dotted name it is bound to), as checkers/tree.py binds
    imports: `from .m import n as x` x -> ".m.n", `import a.b` a -> "a", `import a.b as x` x -> "a.b"."""
    found = facts.memo.get("import_bindings")
    if found is None:
        found = defaultdict(list)
        for node in nodes(facts, ast.Import):
            for alias in node.names:
                bound = alias.asname or alias.name.partition(".")[0]
                found[bound].append((False, alias.name if alias.asname else bound))
        for node in nodes(facts, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            for alias in node.names:
                if alias.name != "*":
                    full = f"{module}.{alias.name}" if module and not module.endswith(".") else module + alias.name
                    found[alias.asname or alias.name].append((True, full))
        facts.memo["import_bindings"] = found
    return found


def _imported_values(facts, qualname: str, attr: str | None) -> frozenset | None:
    """consteval's `_imported`: a constant of a module of the tree, one literal (imported_modules.
    literal_values) or any value (evaluated there), or a class attribute of a class imported from
    the tree (any value); none if the name is nothing the tree's files define so."""
    if facts.path is None or facts.import_depth >= MAX_IMPORT_DEPTH:
        return None  # (the rule may know where the file is; in an imported module, it finds nothing)
    found = locate(facts.path, facts.root, qualname, attr)
    if found is None:
        return _NO_VALUE
    path, name = found
    if attr is None or name == attr:
        text = module_constants(path).get(name)
        if text is None:
            return _NO_VALUE
        try:
            return _value_set([ast.literal_eval(text.decode("utf-8"))]) if len(text) <= MAX_VALUE_TEXT else None
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError, UnicodeDecodeError):
            return None
    return None if defines(path, name, "class") else _NO_VALUE


def _name_values(facts, name: str, depth: int) -> frozenset | None:
    """consteval._eval_Name: its assignments' and parameters' defaults' values (none without one),
    then each augmented assignment applied once; a `from` import's value is another module's."""
    return _fixpoint(facts, name, lambda: _name_values_of(facts, name, depth))


def _fixpoint(facts, key: str, compute) -> frozenset | None:
    """The values of a name (or class attribute) whose bindings may read it again (`x = f(x)`):
    computed from no value, then again from what that gave, until nothing is added (None after a
    few rounds). What the evaluator finds, unrolling such a cycle once, is within that fixpoint.
    Values memoised during a round that read an assumption are forgotten before the next."""
    memo = facts.memo.setdefault("name_values", {})
    known = memo.get(key)
    if known is not None:
        if known[0] is _IN_PROGRESS:
            known[2][0] = True  # read while being computed: a cycle
            return known[1]
        return known[0]
    values = facts.memo.setdefault("possible_values", {})
    assumption: frozenset | None = _NO_VALUE
    for _ in range(4):
        cycled = [False]
        memo[key] = (_IN_PROGRESS, assumption, cycled)
        marks = (len(memo), len(values))
        found = compute()
        if not cycled[0] or found is None or found <= assumption:
            break
        for table, mark in zip((memo, values), marks):
            for stale in list(table)[mark:]:
                del table[stale]
        assumption = _union([assumption, found])
        if assumption is None:
            found = None
            break
    else:
        found = None
    memo[key] = (found,)
    return found


def _name_values_of(facts, name: str, depth: int, scope: ast.AST | None = None) -> frozenset | None:
    """The values of the bindings of `name` in the whole file, or in the own scope of the function
    `scope` (sites_scopes.local_scope: the one a read of the name there refers to)."""
    if scope is None:
        values, augmented = _value_bindings(facts).get(name, ([], []))
        imports = _import_bindings(facts).get(name, ())
    else:
        values, augmented = scope_values(facts, scope).get(name, ([], []))
        imports = scope_imports(facts, scope).get(name, ())
    found = _union([*(possible_values(facts, value, depth) for value in values),
                    *(_imported_values(facts, qualname, None) for by_from, qualname in imports if by_from)])
    if not found:
        return found
    for operator, value in augmented:
        operation = BINARY_OPERATIONS.get(_BINARY_OPERATORS.get(operator, ""))
        if operation is not None:  # (the evaluator skips the others)
            more = possible_values(facts, value, depth)
            if more is None or not _computable([found, more]):
                return None
            found = _union([found, _value_set(_applied(operation, found, more))])
            if found is None:
                return None
    return found


def _applied(operation, left: frozenset, right: frozenset) -> list:
    results = []
    for a, b in itertools.product(left, right):
        try:
            results.append(operation(a, b))
        except Exception:  # noqa: BLE001 - as consteval._combine
            continue
    return results


def _union(sets) -> frozenset | None:
    found = set()
    for values in sets:
        if values is None:
            return None
        found |= values
    return _value_set(found)


def _class_attribute_values(facts, attribute: str, depth: int) -> frozenset | None:
    """consteval._class_attribute, over every class of the file: `attribute = v` in a class body,
    `self.attribute = v` / `cls.attribute = v` anywhere."""
    return _fixpoint(facts, "." + attribute, lambda: _class_attribute_values_of(facts, attribute, depth))


def _class_attribute_values_of(facts, attribute: str, depth: int) -> frozenset | None:
    index = facts.memo.get("class_attributes")
    if index is None:
        index = defaultdict(list)
        for node in nodes(facts, ast.ClassDef):
            for statement in node.body:
                if isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
                    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                    for target in targets:
                        if isinstance(target, ast.Name):
                            index[target.id].append(statement.value)
        for node in nodes(facts, ast.Assign) + nodes(facts, ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
                        and target.value.id in ("self", "cls") and node.value is not None:
                    index[target.attr].append(node.value)
        facts.memo["class_attributes"] = index
    return _union(possible_values(facts, value, depth) for value in index.get(attribute, ()))


def _attribute_values(facts, node: ast.Attribute, depth: int) -> frozenset | None:
    """consteval._eval_Attribute: `self.x`; `C.x` of a class of the file; `m.x` of an imported
    module or class (another module's value: any); `c.x` after `c = C()`."""
    base = node.value
    if not isinstance(base, ast.Name):
        return _NO_VALUE
    if base.id == "self":
        return _class_attribute_values(facts, node.attr, depth)
    classes = {definition.name for definition in nodes(facts, ast.ClassDef)}
    imported = _import_bindings(facts)
    found = [_imported_values(facts, qualname, node.attr) for _, qualname in imported.get(base.id, ())]
    if base.id in classes:
        found.append(_class_attribute_values(facts, node.attr, depth))
    for value in _value_bindings(facts).get(base.id, ([], []))[0]:
        if isinstance(value, ast.Call) and not value.args and not value.keywords and isinstance(value.func, ast.Name):
            if value.func.id in imported:
                return None
            if value.func.id in classes:
                found.append(_class_attribute_values(facts, node.attr, depth))
    return _union(found)


def _call_values(facts, node: ast.Call, depth: int) -> frozenset | None:
    """consteval._eval_Call: a pure method of a known receiver, a pure function (any value: not
    computed here), a function of the file (its returns' values when called without arguments),
    nothing else."""
    if any(isinstance(arg, ast.Starred) for arg in node.args):
        return _NO_VALUE
    func = node.func
    found = []
    if isinstance(func, ast.Attribute) and func.attr in _PURE_METHOD_NAMES:
        receivers = possible_values(facts, func.value, depth)
        if receivers is None:
            return None
        receivers = frozenset(r for r in receivers if func.attr in PURE_METHODS.get(type(r), ()))
        if receivers:
            found.append(_method_values(facts, node, func.attr, receivers, depth))
    if not isinstance(func, (ast.Name, ast.Attribute)):
        return None if isinstance(func, ast.Call) else _union(found)
    names = set()
    for spelled in spelled_names(facts, func):
        names |= {spelled} | standing_plain(facts).get(spelled, set())
    if _on_self(facts, func):
        # qualnames names `self.f` only after what `self.f = ...` assigns (self is a parameter)
        names = set(standing_plain(facts).get(func.attr, set()))
    if not _may_be_qualified(func):
        names = set()  # `(a + b).encode(...)`: a method of a value, not a function of the tables
    if names & {FETCHED, "map"}:  # (consteval._map reads its first argument's names, not values)
        return None
    if names & _PURE_TAILS:  # (not computed here) consteval._apply: none if an argument has none
        found.append(_containers(facts, [*node.args, *(keyword.value for keyword in node.keywords)], depth))
    functions = _local_functions(facts, func)
    if node.args or node.keywords:
        # consteval._helper binds the parameters to the arguments' values, for at most four
        # positional arguments and a function whose body is one statement holding one return
        if not node.keywords and len(node.args) <= 4 \
                and any(len(function.body) == 1 and len(_returned(facts, function)) == 1 for function in functions):
            return None
        return _union(found)
    for function in functions:  # consteval._returned
        found += [possible_values(facts, value, depth) for value in _returned(facts, function)]
    return _union(found)


def _on_self(facts, func: ast.expr) -> bool:
    """`self.f` or `cls.f` in a file that binds no self or cls by `=`, `with` or an import: the
    rules' qualnames give it no name of its own (base.ModuleContext._qualnames_of follows a
    parameter's names only for other names)."""
    if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in ("self", "cls")):
        return False
    rebound = facts.memo.get("self_rebound")
    if rebound is None:
        rebound = facts.memo["self_rebound"] = "self" in _import_bindings(facts) or "cls" in _import_bindings(facts) \
            or any(node.id in ("self", "cls") and not isinstance(node.ctx, ast.Load) for node in nodes(facts, ast.Name))
    return not rebound


def _may_be_qualified(func: ast.expr) -> bool:
    """Whether the rules' qualified names may name `func`: a name, or attributes of a name or of a
    call (named after its callee); an attribute of a literal, operation or subscript has none."""
    while isinstance(func, ast.Attribute):
        func = func.value
    return isinstance(func, (ast.Name, ast.Call))


def _method_values(facts, node: ast.Call, method: str, receivers: frozenset, depth: int) -> frozenset | None:
    if node.keywords or any(isinstance(arg, (ast.ListComp, ast.GeneratorExp)) for arg in node.args):
        return _containers(facts, [keyword.value for keyword in node.keywords] + node.args, depth)

    def call(receiver, *args):
        if predicted_size(method, receiver, args, {}) > MAX_SIZE:
            raise ValueError("too large")
        return getattr(receiver, method)(*args)
    return _combined(facts, [receivers, *node.args], depth, call)


def _local_functions(facts, func: ast.expr) -> list:
    """consteval's local_functions, over the file: the functions named as `f` or `self.f`/`cls.f` calls."""
    if isinstance(func, ast.Name):
        name = func.id
    elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in ("self", "cls"):
        name = func.attr
    else:
        return []
    index = facts.memo.get("functions")
    if index is None:
        index = defaultdict(list)
        for kind in (ast.FunctionDef, ast.AsyncFunctionDef):
            for definition in nodes(facts, kind):
                index[definition.name].append(definition)
        facts.memo["functions"] = index
    return index.get(name, [])


def _returned(facts, function) -> list[ast.expr]:
    """The expressions `function` returns, not those of functions or lambdas inside it."""
    found, todo = [], list(function.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Return):
            if node.value is not None:
                found.append(node.value)
        elif not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.expr)):
            todo.extend(child for child in ast.iter_child_nodes(node) if isinstance(child, (ast.stmt, ast.excepthandler,
                                                                                        ast.match_case)))
    return found


# -- the questions the site tests ask of those values -------------------------------------------------
def fetched_names(facts, node: ast.expr) -> set[str] | None:
    """The last dotted part of the name a getattr (`node`: its second argument) or a run-time
    import (its first) gets, as the rules' qualified names add it (`getattr(m, "a.b")`: b): of each
    text value the evaluator may find for `node`, none when it finds none (qualnames then adds
    nothing); None when it may find any value."""
    values = possible_values(facts, node)
    if values is None:
        return None
    return {tail(value) for value in values if isinstance(value, str)}


def may_be_computed(facts, node: ast.expr) -> bool:
    """Whether the evaluator may find any value for `node`."""
    values = possible_values(facts, node)
    return values is None or bool(values)


def may_evaluate_to(facts, node: ast.expr, accept) -> bool:
    """Whether the evaluator may find a str or bytes value for `node` that `accept` takes."""
    values = possible_values(facts, node)
    return values is None or any(isinstance(value, (str, bytes)) and accept(value) for value in values)


def may_be_text(facts, node: ast.expr) -> bool:
    """Whether the evaluator may find a str or bytes value for `node`."""
    return may_evaluate_to(facts, node, lambda value: True)


def may_hold_only(facts, node: ast.expr, accept) -> bool:
    """Whether the evaluator may give `node` a non-empty list, tuple, set or dict whose every
    element (key) `accept` may take (may_evaluate_to). Lists, sets and dicts have no value set
    (possible_values gives them any value), so a literal collection is judged by its elements and
    a name by its bindings; a name also assigned augmented, mutated (consteval's _mutations:
    `.append(x)`, `name[k] = v`) or imported with `from` may hold anything; any other expression
    by its value set (a tuple of accepted texts)."""
    seen = set()
    todo = [node]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, (ast.List, ast.Tuple, ast.Set, ast.Dict)):
            elements = node.keys if isinstance(node, ast.Dict) else node.elts
            if any(element is None or isinstance(element, ast.Starred) for element in elements):
                return True  # `{**other}`, `[*other]`
            if elements and all(may_evaluate_to(facts, element, accept) for element in elements):
                return True
        elif isinstance(node, ast.Name):
            bound, augmented = _value_bindings(facts).get(node.id, ([], []))
            if node.id in from_imported_names(facts) or (augmented or node.id in _mutated_names(facts)) and bound:
                return True
            todo += bound
        elif not isinstance(node, ast.Constant):
            values = possible_values(facts, node)
            if values is None or any(isinstance(value, tuple) and value and all(
                    isinstance(item, (str, bytes)) and accept(item) for item in value) for value in values):
                return True
    return False


def _mutated_names(facts) -> set[str]:
    """Names whose container consteval's _mutations may grow: `name.append(...)` (extend, insert,
    add, update) or `name[key] = value` anywhere."""
    found = facts.memo.get("mutated_names")
    if found is None:
        found = {node.func.value.id for node in nodes(facts, ast.Call) if isinstance(node.func, ast.Attribute)
                 and node.func.attr in ("append", "extend", "insert", "add", "update")
                 and isinstance(node.func.value, ast.Name)}
        found |= {target.value.id for statement in nodes(facts, ast.Assign) for target in statement.targets
                  if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name)}
        facts.memo["mutated_names"] = found
    return found


def from_imported_names(facts) -> set[str]:
    """The names a `from ... import` binds (their values are another module's)."""
    found = facts.memo.get("from_imported_names")
    if found is None:
        found = facts.memo["from_imported_names"] = {name for name, imports in _import_bindings(facts).items()
                                                     if any(by_from for by_from, _ in imports)}
    return found


def from_modules_matching(facts, text) -> dict[str, list[tuple[str, str]] | None]:
    """The names a `from ... import` binds to a module of the tree whose text matches the pattern
    `text` (module_files.text_matches: the gate imported_modules.resolve puts before
    Dataflow._imported looks into another module), each with the (file, name there) it is bound
    to; None for a name when the file's own place is unknown (every name a `from` import binds:
    the rule may know where the file is). None found in a module imported itself (as the rules'
    contexts, its imports are not followed)."""
    if facts.import_depth >= MAX_IMPORT_DEPTH:
        return {}
    memo = facts.memo.setdefault("from_modules_matching", {})
    found = memo.get(text.pattern)
    if found is None:
        found = memo[text.pattern] = {}
        for name, imports in _import_bindings(facts).items():
            for by_from, qualname in imports:
                if not by_from:
                    continue
                if facts.path is None:
                    found[name] = None
                    break
                located = locate(facts.path, facts.root, qualname, None)
                if located is not None and text_matches(located[0], text):
                    found.setdefault(name, []).append(located)
    return found
