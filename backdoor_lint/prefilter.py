"""What the Python rules' triggers look at, from the `ast` tree every Python file gets anyway
(robust.parse_python): the code without its comment lines and docstrings, and the modules it
imports.

The triggers decide which files libcst parses (most of a scan's time). On raw bytes they also fire
on words in comments and docstrings ("token", "auth", "http" in prose), and a line-anchored import
pattern misses `try: import requests`. Statement spans from the tree fix both: a line no statement
covers holds only comments or blanks, and imports are read from Import nodes wherever they are.
What an evader rewrites without changing the behaviour is undone in extra lines the triggers see
too: strings built from literal pieces, `getattr(mod, "name")`, and other names for imported names
(`import ... as`, `H = hashes`).
"""
from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass

_COMPOUND_BLOCKS = ("body", "orelse", "finalbody")


@dataclass(frozen=True)
class PythonFacts:
    code: bytes  # the source with comment-only lines and docstrings emptied (line count unchanged), then `extra`
    # Extra lines: each line with a string built from literal pieces, with its value in place; each
    # line using another name for an imported name, with what it stands for in its place.
    extra: bytes
    # What the file's absolute imports bind, wherever they are: `import a.b` binds "a", `import a.b
    # as x` "a.b", `from a import b` "a.b", `from a import *` "a.*".
    imports: frozenset[str]


def python_facts(data: bytes, tree: ast.Module) -> PythonFacts:
    """`data` must be the UTF-8 text `tree` was parsed from (ast columns are UTF-8 byte offsets)."""
    # A lone CR ends a line for Python but not here: then line numbers differ and only the imports
    # are read.
    lines = data.split(b"\n") if data.count(b"\r") == data.count(b"\r\n") else []
    keep = bytearray(len(lines) + 2)  # keep[n] == 1: line n (1-based) holds code
    imports: set[str] = set()
    aliases: dict[bytes, bytes] = {}  # `import a.b as x`: x -> a.b; `from m import n as x`: x -> n
    bound: set[str] = set()  # the names imports bind
    rebound: dict[str, str] = {}  # `x = a.b`: x -> a.b (an alias if `a` is an import's)
    stack: list[tuple[list[ast.stmt], bool]] = [(tree.body, True)]
    while stack:
        statements, may_have_docstring = stack.pop()
        for index, statement in enumerate(statements):
            if index == 0 and may_have_docstring and lines and _is_docstring(statement, lines):
                continue
            if isinstance(statement, ast.Import):
                imports.update(alias.name if alias.asname else alias.name.split(".")[0] for alias in statement.names)
            elif isinstance(statement, ast.ImportFrom) and not statement.level and statement.module:
                imports.update(f"{statement.module}.{alias.name}" for alias in statement.names)
            if isinstance(statement, (ast.Import, ast.ImportFrom)):
                aliases.update((alias.asname.encode(), alias.name.encode()) for alias in statement.names
                               if alias.asname and alias.asname != alias.name.rpartition(".")[2])
                bound.update(alias.asname or alias.name.split(".")[0] for alias in statement.names)
            elif isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
                targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                dotted = _dotted(statement.value)
                if dotted and len(targets) == 1 and isinstance(targets[0], ast.Name) and targets[0].id != dotted:
                    rebound[targets[0].id] = dotted
            start = min([statement.lineno] + [d.lineno for d in getattr(statement, "decorator_list", ())])
            end = statement.end_lineno or statement.lineno
            blocks = _blocks(statement)
            if not lines:
                stack.extend((block, False) for block in blocks)
                continue
            keep[start:end + 1] = b"\1" * (end + 1 - start)
            # A compound statement's own text (header, `else:`, `except E:`, `case p:` lines) is
            # everything outside its blocks' statements, which are visited like any statement list.
            defines = isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            for block in blocks:
                first = min([block[0].lineno] + [d.lineno for d in getattr(block[0], "decorator_list", ())])
                last = block[-1].end_lineno or block[-1].lineno
                if first > start:  # a body on the header's own line keeps that line
                    keep[first:last + 1] = bytes(last + 1 - first)
                stack.append((block, defines and block is statement.body))
    folded = _folded_lines(tree, lines)
    code = b"\n".join(line if keep[number] else b"" for number, line in enumerate(lines, 1)) if lines else data
    while True:  # `H = hashes_` after `hashes_ = hashes`: a chain of assignments
        more = {name for name, dotted in rebound.items() if name not in bound and dotted.split(".")[0] in bound}
        if not more:
            break
        bound |= more
        aliases.update((name.encode(), rebound[name].encode()) for name in more)
    extra = folded + _unaliased_lines(code + folded, aliases)
    return PythonFacts(code + extra, extra, frozenset(imports))


def _unaliased_lines(code: bytes, aliases: dict[bytes, bytes]) -> bytes:
    """Each line of `code` that uses an alias, with what it stands for in its place: the triggers
    match `hashes.SHA1(` and `Header(`, the evader writes `h.SHA1(` and `Hdr(`."""
    if not aliases:
        return b""
    pattern = re.compile(rb"(?<![\w.])(" + b"|".join(re.escape(alias) for alias in aliases) + rb")\b")
    out: list[bytes] = []
    end = 0
    for found in pattern.finditer(code):
        if found.start() < end:
            continue  # its line is already out
        start = code.rfind(b"\n", 0, found.start()) + 1
        end = code.find(b"\n", found.end())
        end = len(code) if end < 0 else end
        out.append(pattern.sub(lambda use: _resolved(use.group(1), aliases), code[start:end]))
    return b"".join(b"\n" + line for line in out)


def _resolved(name: bytes, aliases: dict[bytes, bytes]) -> bytes:
    """What `name` stands for through a chain of aliases (`import hashes as h; h2 = h.SHA1`)."""
    for _ in range(10):  # a cycle (`a = b.c; b = a.d`) stops here
        if name.partition(b".")[0] not in aliases:
            return name
        head, dot, rest = name.partition(b".")
        name = aliases[head] + dot + rest
    return name


def _dotted(node: ast.expr) -> str | None:
    """`a.b.c` for a name or an attribute chain on a name, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return ".".join([node.id] + parts[::-1]) if isinstance(node, ast.Name) else None


# A string built from literal pieces (`"ver" + "ify"`, `"".join(["sys", "tem"])`, `"lave"[::-1]`) is
# a constant the rules evaluate; the triggers must see it too.
_MAX_FOLD_DEPTH = 50


def _folded_lines(tree: ast.Module, lines: list[bytes]) -> bytes:
    """Extra lines for the triggers: each line that holds such a string, rewritten with the
    string's value as one literal, or a `getattr(mod, "name")`, rewritten as `mod.name` (the
    original lines stay as they are)."""
    found: list[tuple[ast.expr, bytes]] = []
    stack: list[ast.AST] = [tree]
    node_type, foldable = ast.AST, (ast.BinOp, ast.Call, ast.Subscript)
    while stack:
        node = stack.pop()
        if isinstance(node, foldable):
            replacement = _replacement(node)
            if replacement is not None:
                found.append((node, replacement))
                continue
        for name in node._fields:  # what ast.iter_child_nodes does, at a third of its cost
            child = getattr(node, name, None)
            if isinstance(child, node_type):
                stack.append(child)
            elif isinstance(child, list):
                stack.extend(item for item in child if isinstance(item, node_type))
    out: list[bytes] = []
    by_line: dict[int, list[tuple[ast.expr, bytes]]] = {}
    for node, replacement in found:
        if not lines or node.end_lineno != node.lineno:
            end = lines[node.end_lineno - 1][node.end_col_offset:] if lines else b""
            start = lines[node.lineno - 1][:node.col_offset] if lines else b""
            out.append(start + replacement + end)
        else:
            by_line.setdefault(node.lineno, []).append((node, replacement))
    for number, replacements in by_line.items():
        line = lines[number - 1]
        for node, replacement in sorted(replacements, key=lambda item: -item[0].col_offset):
            start, end = _unparenthesized(line, node.col_offset, node.end_col_offset)
            line = line[:start] + replacement + line[end:]
        out.append(line)
    return b"".join(b"\n" + line for line in out)


def _replacement(node: ast.expr) -> bytes | None:
    value = _fold(node, 0)
    if value is not None:
        return json.dumps(value).encode("utf-8", "surrogatepass")
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr" \
            and len(node.args) in (2, 3) and not node.keywords:
        owner, name = _dotted(node.args[0]), _fold(node.args[1], 0)
        if owner and name and name.isidentifier():
            return f"{owner}.{name}".encode()
    return None


def _unparenthesized(line: bytes, start: int, end: int) -> tuple[int, int]:
    """The span widened over grouping parentheses (`("ver" + "ify")`), not a call's."""
    while True:
        before = line[:start].rstrip()
        after = line[end:].lstrip()
        if not (before.endswith(b"(") and after.startswith(b")")):
            return start, end
        opener = before[:-1].rstrip()[-1:]
        if opener and (opener.isalnum() or opener in b"_)]\"'"):
            return start, end  # f(...), x[0](...): a call
        start = len(before) - 1
        end = len(line) - len(after) + 1


def _fold(node: ast.AST, depth: int) -> str | None:
    """The value of a string expression made only of literals (f-strings without placeholders too),
    concatenation, `sep.join` of a literal list or tuple, and `[::-1]`; None for anything else (a
    long `+` chain is walked without recursion)."""
    if depth > _MAX_FOLD_DEPTH:
        return None
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.JoinedStr):  # an f-string without placeholders
        values = [_fold(value, depth + 1) for value in node.values]
        return None if None in values else "".join(values)  # type: ignore[arg-type]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        pieces: list[ast.AST] = []
        while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            pieces.append(node.right)
            node = node.left
        pieces.append(node)
        values = [_fold(piece, depth + 1) for piece in reversed(pieces)]
        return None if None in values else "".join(values)  # type: ignore[arg-type]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "join" \
            and len(node.args) == 1 and not node.keywords and isinstance(node.args[0], (ast.List, ast.Tuple)):
        separator = _fold(node.func.value, depth + 1)
        values = [_fold(element, depth + 1) for element in node.args[0].elts]
        return None if separator is None or None in values else separator.join(values)  # type: ignore[arg-type]
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice) and node.slice.lower is None \
            and node.slice.upper is None and isinstance(node.slice.step, ast.UnaryOp) \
            and isinstance(node.slice.step.op, ast.USub) and isinstance(node.slice.step.operand, ast.Constant) \
            and node.slice.step.operand.value == 1:
        value = _fold(node.value, depth + 1)
        return None if value is None else value[::-1]
    return None


def _blocks(statement: ast.stmt) -> list[list[ast.stmt]]:
    blocks = [block for block in (getattr(statement, name, None) for name in _COMPOUND_BLOCKS) if block]
    blocks += [handler.body for handler in getattr(statement, "handlers", ()) if handler.body]
    blocks += [case.body for case in getattr(statement, "cases", ()) if case.body]
    return blocks


def _is_docstring(statement: ast.stmt, lines: list[bytes]) -> bool:
    """A string statement that opens a module, class or function body and starts its line (text
    before it, such as `def f(): "doc"`, keeps the line)."""
    if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
            and isinstance(statement.value.value, str)):
        return False
    return not lines[statement.lineno - 1][:statement.col_offset].strip()
