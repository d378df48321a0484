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


def bound_names(facts) -> set[str]:
    """Every name the file binds anywhere: assigned, deleted, imported, defined, a parameter, an
    `except ... as`, a pattern's capture, a type parameter, declared global or nonlocal. A name
    outside it is bound nowhere: the rules' qualified names read it as written (a builtin's name,
    or one a star import may bring, which libcst's scopes do not follow either)."""
    found = facts.memo.get("bound_names")
    if found is None:
        found = {node.id for node in nodes(facts, ast.Name) if not isinstance(node.ctx, ast.Load)}
        found |= {node.arg for node in nodes(facts, ast.arg)}
        for node in nodes(facts, ast.Import) + nodes(facts, ast.ImportFrom):
            found |= {alias.asname or alias.name.partition(".")[0] for alias in node.names}
        for kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.ExceptHandler, ast.MatchAs,
                     ast.MatchStar, *(getattr(ast, k) for k in ("TypeVar", "ParamSpec", "TypeVarTuple") if hasattr(ast, k))):
            found |= {node.name for node in nodes(facts, kind) if node.name}
        found |= {node.rest for node in nodes(facts, ast.MatchMapping) if node.rest}
        for node in nodes(facts, ast.Global) + nodes(facts, ast.Nonlocal):
            found.update(node.names)
        facts.memo["bound_names"] = found
    return found
