"""What the rules' site tests (`PythonTrigger.has_site`) read from a file's `ast` tree, computed once
per file on first use and shared by every rule's test (kept in `PythonFacts.memo`).

A site test says whether the tree holds a node the rule's visitor could report on, from the same
tables the rule uses (never a second, hand-written copy of them). It must over-approximate: any
name the rule resolves through imports, assignments or getattr must be resolved here at least as
far, or the test must let the file through."""
from __future__ import annotations

import ast
from collections import defaultdict

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


def callee_name(call: ast.Call) -> str | None:
    """The name a call spells (`f(...)` -> f, `a.b.f(...)` -> f); None when the callee is computed
    (`getattr(m, n)(...)`, `table[k](...)`, `(lambda: 0)()`)."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def other_names(facts) -> dict[str, set[str]]:
    """Name -> the names it may stand for: `import a.b as x` (x -> b), `from m import n as x`
    (x -> n), `x = a.b` or `x = n` anywhere (x -> b, n), `x = getattr(m, "n")` (x -> n); chains are
    followed. A name assigned from anything else stands for nothing known."""
    found = facts.memo.get("other_names")
    if found is not None:
        return found
    direct: dict[str, set[str]] = defaultdict(set)
    for node in nodes(facts, ast.Import) + nodes(facts, ast.ImportFrom):
        for alias in node.names:
            if alias.asname:
                direct[alias.asname].add(tail(alias.name))
    for node in nodes(facts, ast.Assign) + nodes(facts, ast.AnnAssign) + nodes(facts, ast.NamedExpr):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        value = node.value
        spelled = None
        if isinstance(value, ast.Name):
            spelled = value.id
        elif isinstance(value, ast.Attribute):
            spelled = value.attr
        elif isinstance(value, ast.Call) and callee_name(value) == "getattr" and len(value.args) >= 2 \
                and isinstance(value.args[1], ast.Constant) and isinstance(value.args[1].value, str):
            spelled = value.args[1].value
        if spelled is None:
            continue
        for target in targets:
            if isinstance(target, ast.Name) and target.id != spelled:
                direct[target.id].add(spelled)
    found = {}
    for name in direct:  # the closure: `a = os.system; b = a` -> b stands for system too
        seen, todo = set(), [name]
        while todo:
            for other in direct.get(todo.pop(), ()):
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        found[name] = seen
    facts.memo["other_names"] = found
    return found


def called_names(facts) -> set[str]:
    """Every name a call of the file spells, with every name it may stand for (`other_names`)."""
    found = facts.memo.get("called_names")
    if found is None:
        aliases = other_names(facts)
        found = set()
        for call in nodes(facts, ast.Call):
            name = callee_name(call)
            if name is not None:
                found.add(name)
                found |= aliases.get(name, set())
        facts.memo["called_names"] = found
    return found


def has_computed_call(facts) -> bool:
    """A call whose callee is neither a name nor an attribute (`getattr(m, n)(...)`, `t[k](...)`):
    it may call anything."""
    return any(callee_name(call) is None for call in nodes(facts, ast.Call))
