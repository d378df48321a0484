"""Which function's bindings a name read inside it refers to, for the site tests' constant values
(sites_values.possible_values) and flows (sites.flows_from), as the rules' scopes (checkers/tree.py)
see it: a name a function binds in its own scope is that function's own, whatever the rest of the
module binds to that name.

Only names such a function certainly binds count: its parameters, `=`, annotated and augmented
assignment targets, `for` and `with ... as` targets, `except ... as` names, imports, the names of
the functions and classes it defines, and walrus targets outside comprehensions. A name bound only
otherwise, read in a class body, read in a function that does not bind it (a closure), or named by
any `global` or `nonlocal` statement of the file, is looked up module-wide as before: more values,
never fewer.

A function's own scope is its body outside nested functions, lambdas and classes (comprehensions
included, which only adds bindings); the decorators, defaults and annotations of what it defines
belong to it, its own to the scope around it. Which body holds a node is read off positions (the
bodies of a file nest), so the scopes come from the file's index of binding nodes, not another
walk of its tree, when a question first needs them."""
from __future__ import annotations

import ast
import bisect
from collections import defaultdict

from backdoor_lint.checkers.triggers.sites_tree import nodes

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


class OwnScope:
    """What one function binds in its own scope."""

    def __init__(self) -> None:
        self.local: set[str] = set()  # the names it certainly binds
        # name -> (values of `=`, annotated and walrus assignments and of the parameters' defaults;
        # augmented assignments (operator node type, value)), as sites_values._value_bindings
        self.values: dict = defaultdict(lambda: ([], []))
        # name -> [(from a `from` import?, dotted name)], as sites_values._import_bindings
        self.imports: dict = defaultdict(list)
        # name -> every expression bound to it (`for` and `with` targets, tuple elements too), as
        # sites.values_by_name
        self.flows: dict = defaultdict(list)


def local_scope(facts, name: ast.Name) -> ast.AST | None:
    """The function (def or lambda) whose own binding of `name` the read `name` refers to, or None
    when that is not certain (look the name up module-wide)."""
    function = _enclosing_function(facts, name)
    if function is None or name.id in _declared(facts) or name.id not in _own_scope(facts, function).local:
        return None
    return function


def scope_values(facts, function: ast.AST) -> dict:
    """name -> (values, augmented) of the bindings in `function`'s own scope."""
    return _own_scope(facts, function).values


def scope_imports(facts, function: ast.AST) -> dict:
    """name -> [(from a `from` import?, dotted name)] of the imports in `function`'s own scope."""
    return _own_scope(facts, function).imports


def scope_flows(facts, function: ast.AST) -> dict:
    """name -> every expression bound to it in `function`'s own scope (sites.values_by_name)."""
    return _own_scope(facts, function).flows


def bind_target(flows: dict, target: ast.expr, value: ast.expr) -> None:
    """Record `value` for each name of `target` (a tuple's or starred target's names each get the
    whole value): what a rule's walk through assignments may reach from the name."""
    if isinstance(target, ast.Name):
        flows[target.id].append(value)
    elif isinstance(target, ast.Starred):
        bind_target(flows, target.value, value)
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            bind_target(flows, element, value)


# where a name is read -------------------------------------------------------------------------

def _enclosing_function(facts, name: ast.Name) -> ast.AST | None:
    """The def or lambda whose body holds `name` with no class body in between, by position: the
    bodies of a file nest, so the innermost one holding a position is the latest-starting body
    before it, or the body around that one, and so on out."""
    if not hasattr(name, "lineno"):
        return None  # a name a site test made up (a keyword's name, a module's binding): no scope
    starts, bodies, around = _bodies(facts)
    point = (name.lineno, name.col_offset)
    index = bisect.bisect_right(starts, point) - 1
    while index >= 0:
        start, end, owner = bodies[index]
        if point < end:
            return owner if not isinstance(owner, ast.ClassDef) else None
        index = around[index]
    return None


def _bodies(facts):
    """(the start of every def's, lambda's and class's body in order, (start, end, owner) of each,
    the index of the body around each or -1)."""
    found = facts.memo.get("scope_bodies")
    if found is not None:
        return found
    bodies = []
    for kind in (*_FUNCTIONS, ast.ClassDef):
        for owner in nodes(facts, kind):
            first, last = owner.body[0], owner.body[-1]
            start = min([(first.lineno, first.col_offset)]
                        + [(d.lineno, d.col_offset) for d in getattr(first, "decorator_list", ())])
            bodies.append((start, (last.end_lineno, last.end_col_offset), owner))
    for owner in nodes(facts, ast.Lambda):
        body = owner.body
        bodies.append(((body.lineno, body.col_offset), (body.end_lineno, body.end_col_offset), owner))
    bodies.sort(key=lambda body: (body[0], (-body[1][0], -body[1][1])))  # outer first at one start
    around, open_bodies = [], []
    for index, (start, _, _) in enumerate(bodies):
        while open_bodies and not start < bodies[open_bodies[-1]][1]:
            open_bodies.pop()
        around.append(open_bodies[-1] if open_bodies else -1)
        open_bodies.append(index)
    found = facts.memo["scope_bodies"] = ([body[0] for body in bodies], bodies, around)
    return found


def _declared(facts) -> set[str]:
    """The names of every `global` and `nonlocal` statement of the file."""
    found = facts.memo.get("scope_declared")
    if found is None:
        found = facts.memo["scope_declared"] = {name for node in nodes(facts, ast.Global) + nodes(facts, ast.Nonlocal)
                                                for name in node.names}
    return found


# what a function binds ------------------------------------------------------------------------

def _own_scope(facts, function: ast.AST) -> OwnScope:
    return _own_scopes(facts)[id(function)]


def _own_scopes(facts) -> dict[int, OwnScope]:
    """id(function) -> what it binds in its own scope, for every def and lambda of the file, from
    the file's binding nodes (sites_tree.nodes), each given to the function whose body holds it."""
    found = facts.memo.get("own_scopes")
    if found is not None:
        return found
    found = facts.memo["own_scopes"] = defaultdict(OwnScope)

    def scope_at(node: ast.AST) -> OwnScope | None:
        function = _enclosing_function(facts, node)
        return found[id(function)] if function is not None else None

    for kind in (*_FUNCTIONS, ast.Lambda):
        for function in nodes(facts, kind):
            _bind_parameters(found[id(function)], function.args)
            if kind is not ast.Lambda and (scope := scope_at(function)) is not None:
                scope.local.add(function.name)
    for node in nodes(facts, ast.ClassDef):
        if (scope := scope_at(node)) is not None:
            scope.local.add(node.name)
    for node in nodes(facts, ast.Assign):
        if (scope := scope_at(node)) is not None:
            for target in node.targets:
                if isinstance(target, ast.Name):
                    scope.values[target.id][0].append(node.value)
                _bind(scope, target, node.value)
    for kind in (ast.AnnAssign, ast.AugAssign, ast.NamedExpr):
        for node in nodes(facts, kind):
            if (scope := scope_at(node)) is None:
                continue
            if kind is not ast.NamedExpr:  # (a walrus in a comprehension binds in the comprehension)
                _bind_locally(scope, node.target)
            if node.value is None:
                continue
            if kind is ast.AugAssign:
                if isinstance(node.target, ast.Name):
                    scope.values[node.target.id][1].append((type(node.op), node.value))
            elif isinstance(node.target, ast.Name):
                scope.values[node.target.id][0].append(node.value)
            bind_target(scope.flows, node.target, node.value)
    for kind in (ast.For, ast.AsyncFor, ast.comprehension):
        for node in nodes(facts, kind):
            if (scope := scope_at(node.target)) is not None:
                if kind is not ast.comprehension:  # (a comprehension's target is the comprehension's)
                    _bind_locally(scope, node.target)
                bind_target(scope.flows, node.target, node.iter)
    for node in nodes(facts, ast.withitem):
        if node.optional_vars is not None and (scope := scope_at(node.optional_vars)) is not None:
            _bind(scope, node.optional_vars, node.context_expr)
    for node in nodes(facts, ast.ExceptHandler):
        if node.name and (scope := scope_at(node)) is not None:
            scope.local.add(node.name)
    for kind in (ast.Import, ast.ImportFrom):
        for node in nodes(facts, kind):
            if (scope := scope_at(node)) is not None:
                _bind_import(scope, node)
    return found


def _parameters(given: ast.arguments) -> list[ast.arg]:
    return [*given.posonlyargs, *given.args, *given.kwonlyargs,
            *(a for a in (given.vararg, given.kwarg) if a is not None)]


def _bind_parameters(scope: OwnScope, given: ast.arguments) -> None:
    scope.local.update(a.arg for a in _parameters(given))
    positional = [*given.posonlyargs, *given.args]
    for arg, default in zip(positional[len(positional) - len(given.defaults):], given.defaults):
        scope.values[arg.arg][0].append(default)
    for arg, default in zip(given.kwonlyargs, given.kw_defaults):
        if default is not None:
            scope.values[arg.arg][0].append(default)


def _bind(scope: OwnScope, target: ast.expr, value: ast.expr) -> None:
    """An `=` or `with ... as` target: its names are the scope's, each bound to the whole value."""
    _bind_locally(scope, target)
    bind_target(scope.flows, target, value)


def _bind_locally(scope: OwnScope, target: ast.expr) -> None:
    if isinstance(target, ast.Name):
        scope.local.add(target.id)
    elif isinstance(target, ast.Starred):
        _bind_locally(scope, target.value)
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            _bind_locally(scope, element)


def _bind_import(scope: OwnScope, node: ast.Import | ast.ImportFrom) -> None:
    if isinstance(node, ast.Import):
        for alias in node.names:
            bound = alias.asname or alias.name.partition(".")[0]
            scope.local.add(bound)
            scope.imports[bound].append((False, alias.name if alias.asname else bound))
        return
    module = "." * node.level + (node.module or "")
    for alias in node.names:
        if alias.name != "*":
            full = f"{module}.{alias.name}" if module and not module.endswith(".") else module + alias.name
            scope.local.add(alias.asname or alias.name)
            scope.imports[alias.asname or alias.name].append((True, full))
