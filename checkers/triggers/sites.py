"""What the rules' site tests (`PythonTrigger.has_site`) read from a file's `ast` tree, computed once
per file on first use and shared by every rule's test (kept in `PythonFacts.memo`).

A site test says whether the tree holds a node the rule's visitor could report on, from the same
tables the rule uses (never a second, hand-written copy of them). It must over-approximate: any
name the rule resolves through imports, assignments or getattr must be resolved here at least as
far, or the test must let the file through."""
from __future__ import annotations

import ast
from bisect import bisect_left, bisect_right
from collections import defaultdict


def nodes(facts, kind: type) -> list:
    """Every node of the type `kind` (exactly that type) in the file, in no particular order."""
    by_type = facts.memo.get("nodes")
    if by_type is None:
        by_type = defaultdict(list)
        for node in ast.walk(facts.tree):
            by_type[type(node)].append(node)
        facts.memo["nodes"] = by_type
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


# -- auth (py_auth.py, py_fail_open.py) -------------------------------------------------------------
FUNCTION_TYPES = (ast.FunctionDef, ast.AsyncFunctionDef)


def functions(facts) -> list:
    """Every `def` and `async def` of the file."""
    return nodes(facts, ast.FunctionDef) + nodes(facts, ast.AsyncFunctionDef)


def first_line(node: ast.AST) -> int:
    """The first line of a node, its decorators' included (libcst's FunctionDef holds them)."""
    return min([node.lineno] + [decorator.lineno for decorator in getattr(node, "decorator_list", ())])


class Lines:
    """Line numbers, to ask whether any lies within a node's lines."""

    def __init__(self, lines) -> None:
        self.lines = sorted(lines)

    def any_within(self, node: ast.AST) -> bool:
        index = bisect_left(self.lines, first_line(node))
        return index < len(self.lines) and self.lines[index] <= node.end_lineno


class Spans:
    """The lines of some nodes (merged), to ask whether a line lies within one of them."""

    def __init__(self, spanning) -> None:
        merged: list[list[int]] = []
        for start, end in sorted((first_line(node), node.end_lineno) for node in spanning):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self.starts = [start for start, _ in merged]
        self.ends = [end for _, end in merged]

    def contains(self, line: int) -> bool:
        index = bisect_right(self.starts, line) - 1
        return index >= 0 and line <= self.ends[index]


def spelled(facts, node: ast.AST) -> str | None:
    """The code of an expression as `ast.unparse` writes it, for a rule's regex over libcst's code
    of the same node. None when it spans lines holding a `#`: there libcst's code holds comments
    the regex would read (facts.code keeps every line inside a statement, comment lines too)."""
    if isinstance(node, ast.Name):
        return node.id
    if node.end_lineno != node.lineno and _may_hold_comment(facts, node):
        return None
    try:
        if isinstance(node, ast.Attribute):
            base = spelled(facts, node.value)
            return None if base is None else f"{base}.{node.attr}"
        return ast.unparse(node)
    except RecursionError:  # deeply nested: unknown, so it may match
        return None


def _may_hold_comment(facts, node: ast.AST) -> bool:
    lines = facts.memo.get("code_lines")
    if lines is None:
        code = facts.code
        # a lone CR ends a line for Python, not for split(): then line numbers differ, all lines may
        lines = facts.memo["code_lines"] = code.split(b"\n") if code.count(b"\r") == code.count(b"\r\n") else []
    if not lines or node.end_lineno > len(lines):
        return True
    return any(b"#" in lines[number - 1] for number in range(node.lineno, node.end_lineno + 1))


def bound_names(facts) -> set[str]:
    """Every name the file binds: assigned, imported, defined, or a parameter."""
    found = facts.memo.get("bound_names")
    if found is None:
        found = {node.id for node in nodes(facts, ast.Name) if not isinstance(node.ctx, ast.Load)}
        found |= {node.arg for node in nodes(facts, ast.arg)}
        found |= {node.name for kind in (*FUNCTION_TYPES, ast.ClassDef) for node in nodes(facts, kind)}
        for node in nodes(facts, ast.Import) + nodes(facts, ast.ImportFrom):
            found |= {alias.asname or alias.name.partition(".")[0] for alias in node.names}
        facts.memo["bound_names"] = found
    return found


def names_bound_to_calls(facts) -> set[str]:
    """Names assigned (also by unpacking or `:=`) from a call, or bound by `with ... as`: what the
    rules' qualnames may resolve to the called function's names, or to a `getattr` computed name."""
    found = facts.memo.get("names_bound_to_calls")
    if found is None:
        found = set()
        for node in nodes(facts, ast.Assign) + nodes(facts, ast.AnnAssign) + nodes(facts, ast.NamedExpr):
            if isinstance(node.value, ast.Call):
                for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    found |= {name.id for name in ast.walk(target) if isinstance(name, ast.Name)}
        for item in nodes(facts, ast.withitem):
            if item.optional_vars is not None:
                found |= {name.id for name in ast.walk(item.optional_vars) if isinstance(name, ast.Name)}
        facts.memo["names_bound_to_calls"] = found
    return found
