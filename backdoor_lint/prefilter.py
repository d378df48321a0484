"""What the Python rules' triggers look at, from the `ast` tree every Python file gets anyway
(robust.parse_python): the code without its comment lines and docstrings, and the modules it
imports.

The triggers decide which files libcst parses (most of a scan's time). On raw bytes they also fire
on words in comments and docstrings ("token", "auth", "http" in prose), and a line-anchored import
pattern misses `try: import requests`. Statement spans from the tree fix both: a line no statement
covers holds only comments or blanks, and imports are read from Import nodes wherever they are.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass

_COMPOUND_BLOCKS = ("body", "orelse", "finalbody")


@dataclass(frozen=True)
class PythonFacts:
    code: bytes  # the source with comment-only lines and docstrings emptied (line count unchanged)
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
    if not lines:
        return PythonFacts(data, frozenset(imports))
    code = b"\n".join(line if keep[number] else b"" for number, line in enumerate(lines, 1))
    return PythonFacts(code, frozenset(imports))


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
