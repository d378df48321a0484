"""The basics every site test reads from a file's `ast` tree (see checkers/triggers/sites.py): its
nodes by type, its bindings, call arguments in source order, and the closure of a name table."""
from __future__ import annotations

import ast

from backdoor_lint.checkers.trigger_facts import node_index


def nodes(facts, kind: type) -> list:
    """Every node of the type `kind` (exactly that type) in the file, in no particular order (from
    the one walk trigger_facts.node_index makes of each file)."""
    by_type = facts.memo.get("nodes")
    if by_type is None:
        by_type = facts.memo["nodes"] = node_index(facts.tree)
    return by_type.get(kind, [])


def tail(qualified_name: str) -> str:
    """The last part of a qualified name (`os.path.join` -> `join`): what a call site spells."""
    return qualified_name.rpartition(".")[2]


def transitive(direct: dict[str, set[str]]) -> dict[str, set[str]]:
    """Name -> every name reachable from it through `direct` (name -> the names it stands for
    directly), itself left out unless a cycle leads back to it."""
    found = {}
    for name in direct:
        seen, todo = set(), [name]
        while todo:
            for other in direct.get(todo.pop(), ()):
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        found[name] = seen
    return found


def bindings(facts) -> list[tuple[ast.expr, ast.expr]]:
    """(target, value) of every binding with a value that qualnames follows: `=` (each target),
    annotated and walrus assignments, `with <value> as <target>`."""
    found = facts.memo.get("bindings")
    if found is None:
        found = []
        for node in nodes(facts, ast.Assign):
            found += [(target, node.value) for target in node.targets]
        for node in nodes(facts, ast.AnnAssign) + nodes(facts, ast.NamedExpr):
            if node.value is not None:
                found.append((node.target, node.value))
        for node in nodes(facts, ast.withitem):
            if node.optional_vars is not None:
                found.append((node.optional_vars, node.context_expr))
        facts.memo["bindings"] = found
    return found


def arguments(call: ast.Call) -> list[ast.expr]:
    """The call's argument expressions in source order, as libcst's `Call.args` lists them
    (keywords and starred arguments included, each by its value)."""
    found = [*call.args, *call.keywords]
    if call.keywords and call.args:
        found.sort(key=lambda node: (node.lineno, node.col_offset))
    return [node.value if isinstance(node, (ast.Starred, ast.keyword)) else node for node in found]


# Nodes that bind the name in one of their fields (besides `ast.Name` in a store or del context).
_BINDING_FIELDS = (
    (ast.arg, "arg"), (ast.FunctionDef, "name"), (ast.AsyncFunctionDef, "name"), (ast.ClassDef, "name"),
    (ast.ExceptHandler, "name"), (ast.MatchAs, "name"), (ast.MatchStar, "name"), (ast.MatchMapping, "rest"),
    *((getattr(ast, kind), "name") for kind in ("TypeVar", "ParamSpec", "TypeVarTuple") if hasattr(ast, kind)),
)


def bound_names(facts) -> frozenset[str] | None:
    """Every name something in the file binds, in any scope: assigned, deleted, imported, a
    parameter, a function or class, an `except ... as`, a match capture, a `global`/`nonlocal`.
    None after `from m import *`, which may bind any name. A name outside this set is free in the
    whole module: the rules' qualnames read it as written (a builtin, base._strip_builtins)."""
    if "bound_names" in facts.memo:
        return facts.memo["bound_names"]
    found: set[str] | None = set()
    for node in nodes(facts, ast.Name):
        if not isinstance(node.ctx, ast.Load):
            found.add(node.id)
    for kind, field in _BINDING_FIELDS:
        found.update(name for node in nodes(facts, kind) if (name := getattr(node, field)) is not None)
    for node in nodes(facts, ast.Global) + nodes(facts, ast.Nonlocal):
        found.update(node.names)
    for node in nodes(facts, ast.Import) + nodes(facts, ast.ImportFrom):
        for alias in node.names:
            if alias.name == "*":
                found = None
                break
            found.add(alias.asname or alias.name.partition(".")[0])
        if found is None:
            break
    facts.memo["bound_names"] = None if found is None else frozenset(found)
    return facts.memo["bound_names"]
