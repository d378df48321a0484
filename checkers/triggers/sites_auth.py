"""What the site tests of the authentication and fail-open rules read from a file's tree (see
checkers/triggers/sites.py): functions by their lines, names as spelled, names bound by calls."""
from __future__ import annotations

import ast
from bisect import bisect_left, bisect_right

from backdoor_lint.checkers.triggers.sites_tree import nodes

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


def exits(function: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[list[ast.Return], list[ast.Raise]]:
    """The function's own returns and raises (not those of functions, lambdas or classes in it), as
    py_auth.AuthAlwaysSucceeds._exits finds them."""
    returns, raises = [], []
    stack = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (*FUNCTION_TYPES, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.Return):
            returns.append(node)
        elif isinstance(node, ast.Raise):
            raises.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return returns, raises


def returned_by(facts, name: str) -> list[ast.expr]:
    """What the functions named `name` return (their own returns: `exits`), memoised."""
    memo = facts.memo.setdefault("returned_by", {})
    found = memo.get(name)
    if found is None:
        by_name = facts.memo.get("functions_by_name")
        if by_name is None:
            by_name = facts.memo["functions_by_name"] = {}
            for function in functions(facts):
                by_name.setdefault(function.name, []).append(function)
        found = memo[name] = [r.value for function in by_name.get(name, ()) for r in exits(function)[0]
                              if r.value is not None]
    return found
