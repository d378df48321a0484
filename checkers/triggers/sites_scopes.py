"""Which function's bindings a name read inside it refers to, for the site tests' constant values
(sites_values.possible_values), as the rules' scopes (checkers/tree.py) see it: a name a function
binds in its own scope is that function's own, whatever the rest of the module binds to that name.

Only names such a function certainly binds count: its parameters, `=`, annotated and augmented
assignment targets, `for` and `with ... as` targets, `except ... as` names, imports, the names of
the functions and classes it defines, and walrus targets outside comprehensions. A name bound only
otherwise, read in a class body, a comprehension's own target, or named by any `global` or
`nonlocal` statement of the file, is looked up module-wide as before: more values, never fewer.

A function's own bindings are those in its body outside nested functions, lambdas and classes
(comprehensions included, which only adds values); its decorators, defaults and annotations belong
to the scope around it."""
from __future__ import annotations

import ast
from collections import defaultdict

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)


class Scopes:
    """The index of one file: where each name is read, what each function binds."""

    def __init__(self) -> None:
        self.read_in: dict[int, ast.AST] = {}  # id(Name) -> the function whose own scope reads it
        self.local: dict[int, set[str]] = defaultdict(set)  # id(function) -> names it certainly binds
        # id(function) -> name -> (values of `=`, annotated and walrus assignments and of the
        # parameters' defaults; augmented assignments (operator node type, value)), as
        # sites_values._value_bindings over the whole file
        self.values: dict[int, dict] = defaultdict(lambda: defaultdict(lambda: ([], [])))
        # id(function) -> name -> [(from a `from` import?, dotted name)], as sites_values._import_bindings
        self.imports: dict[int, dict] = defaultdict(lambda: defaultdict(list))
        # id(function) -> name -> every expression bound to it in the function's own scope, as
        # sites.values_by_name over the whole file (`for` and `with` targets, tuple elements too)
        self.flows: dict[int, dict] = defaultdict(lambda: defaultdict(list))
        self.declared: set[str] = set()  # names of every `global` and `nonlocal` statement


def local_scope(facts, name: ast.Name) -> ast.AST | None:
    """The function (def or lambda) whose own binding of `name` the read `name` refers to, or None
    when that is not certain (look the name up module-wide)."""
    scopes = _scopes(facts)
    function = scopes.read_in.get(id(name))
    if function is None or name.id in scopes.declared or name.id not in scopes.local[id(function)]:
        return None
    return function


def scope_values(facts, function: ast.AST) -> dict:
    """name -> (values, augmented) of the bindings in `function`'s own scope."""
    return _scopes(facts).values[id(function)]


def scope_flows(facts, function: ast.AST) -> dict:
    """name -> every expression bound to it in `function`'s own scope (sites.values_by_name)."""
    return _scopes(facts).flows[id(function)]


def scope_imports(facts, function: ast.AST) -> dict:
    """name -> [(from a `from` import?, dotted name)] of the imports in `function`'s own scope."""
    return _scopes(facts).imports[id(function)]


def _scopes(facts) -> Scopes:
    found = facts.memo.get("scopes")
    if found is None:
        found = facts.memo["scopes"] = _index(facts.tree)
    return found


def _index(tree: ast.Module) -> Scopes:
    scopes = Scopes()
    # (node, the function whose own scope holds it or None, inside a comprehension of it)
    stack: list[tuple[ast.AST, ast.AST | None, bool]] = [(tree, None, False)]
    while stack:
        node, function, in_comprehension = stack.pop()
        if isinstance(node, (*_FUNCTIONS, ast.Lambda)):
            if function is not None and not isinstance(node, ast.Lambda):
                scopes.local[id(function)].add(node.name)
            given = node.args
            outside = [*getattr(node, "decorator_list", ()), *given.defaults,
                       *(default for default in given.kw_defaults if default is not None),
                       *(a.annotation for a in _parameters(given) if a.annotation is not None)]
            if getattr(node, "returns", None) is not None:
                outside.append(node.returns)
            stack += [(part, function, in_comprehension) for part in outside]
            _bind_parameters(scopes, node)
            body = node.body if isinstance(node.body, list) else [node.body]
            stack += [(statement, node, False) for statement in body]
            continue
        if isinstance(node, ast.ClassDef):
            if function is not None:
                scopes.local[id(function)].add(node.name)
            outside = [*node.decorator_list, *node.bases, *node.keywords]
            stack += [(part, function, in_comprehension) for part in outside]
            stack += [(statement, None, False) for statement in node.body]  # a class body: looked up module-wide
            continue
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            scopes.declared.update(node.names)
        elif function is not None:
            _bind(scopes, node, function, in_comprehension)
        inside = in_comprehension or isinstance(node, _COMPREHENSIONS)
        stack += [(child, function, inside) for child in ast.iter_child_nodes(node)]
    return scopes


def _parameters(given: ast.arguments) -> list[ast.arg]:
    return [*given.posonlyargs, *given.args, *given.kwonlyargs,
            *(a for a in (given.vararg, given.kwarg) if a is not None)]


def _bind_parameters(scopes: Scopes, function: ast.AST) -> None:
    given = function.args
    scopes.local[id(function)].update(a.arg for a in _parameters(given))
    values = scopes.values[id(function)]
    positional = [*given.posonlyargs, *given.args]
    for arg, default in zip(positional[len(positional) - len(given.defaults):], given.defaults):
        values[arg.arg][0].append(default)
    for arg, default in zip(given.kwonlyargs, given.kw_defaults):
        if default is not None:
            values[arg.arg][0].append(default)


def _bind(scopes: Scopes, node: ast.AST, function: ast.AST, in_comprehension: bool) -> None:
    """What `node`, a node of `function`'s own scope, binds there."""
    key = id(function)
    if isinstance(node, ast.Name):
        scopes.read_in[id(node)] = function
        if isinstance(node.ctx, ast.Store) and not in_comprehension:
            scopes.local[key].add(node.id)
    elif isinstance(node, ast.Assign):
        for target in node.targets:
            if isinstance(target, ast.Name):
                scopes.values[key][target.id][0].append(node.value)
            bind_target(scopes.flows[key], target, node.value)
    elif isinstance(node, (ast.AnnAssign, ast.NamedExpr)):
        if node.value is not None:
            if isinstance(node.target, ast.Name):
                scopes.values[key][node.target.id][0].append(node.value)
            bind_target(scopes.flows[key], node.target, node.value)
    elif isinstance(node, ast.AugAssign):
        if isinstance(node.target, ast.Name):
            scopes.values[key][node.target.id][1].append((type(node.op), node.value))
        bind_target(scopes.flows[key], node.target, node.value)
    elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
        bind_target(scopes.flows[key], node.target, node.iter)
    elif isinstance(node, ast.withitem):
        if node.optional_vars is not None:
            bind_target(scopes.flows[key], node.optional_vars, node.context_expr)
    elif isinstance(node, ast.ExceptHandler):
        if node.name:
            scopes.local[key].add(node.name)
    elif isinstance(node, ast.Import):
        for alias in node.names:
            bound = alias.asname or alias.name.partition(".")[0]
            scopes.local[key].add(bound)
            scopes.imports[key][bound].append((False, alias.name if alias.asname else bound))
    elif isinstance(node, ast.ImportFrom):
        module = "." * node.level + (node.module or "")
        for alias in node.names:
            if alias.name != "*":
                full = f"{module}.{alias.name}" if module and not module.endswith(".") else module + alias.name
                scopes.local[key].add(alias.asname or alias.name)
                scopes.imports[key][alias.asname or alias.name].append((True, full))


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
