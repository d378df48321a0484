"""Modules of the scanned tree that a file imports (`from .settings import JWT_ALGORITHMS`,
`from app import config`, `import app.config as cfg`), found, read and parsed so that the constant
evaluator and the dataflow can follow a value into them.

Read-only and bounded: only `.py` files under the scan root (or under the package root that holds
the scanned file) are read, never executed; at most MAX_IMPORT_DEPTH modules deep, MAX_MODULE_BYTES
each, MAX_CACHED parsed modules kept per process (a worker scans many files of the same tree). An
import that resolves to nothing readable is unknown: the callers treat it like any unknown value
(never as proof that something is clean), and nothing here raises."""
from __future__ import annotations

import ast
import os
import re

import libcst as cst
from backdoor_lint.checkers.module_files import (
    MAX_IMPORT_DEPTH,
    MAX_VALUE_TEXT,
    defines,
    from_tree_file,
    locate,
    module_constants,
    text_matches,
)
from backdoor_lint.checkers.tree import parse_module

_parsed: dict[str, tuple[tuple[int, int], object | None]] = {}  # path -> ((mtime_ns, size), context)


def resolve(context, qualname: str, attr: str | None = None, kind: str = "value",
            text: re.Pattern | None = None) -> tuple[object, str] | None:
    """(module context, name) for an import binding's dotted name (leading dots for relative
    imports): `..settings.JWT_ALGORITHMS` -> (the context of ../settings.py, "JWT_ALGORITHMS");
    for a name that is a module (`from app import config`, `import app.config`), its attribute
    `attr`. Only when that module's text defines the name as `kind` ("value": a top-level
    assignment, "function", "class"): a module is parsed only for a name it can tell us about
    (and, with `text`, only if its text matches: the caller's cheap gate). None when unknown."""
    if getattr(context, "path", None) is None or getattr(context, "import_depth", 0) >= MAX_IMPORT_DEPTH:
        return None
    memo = context.__dict__.setdefault("_imported", {})
    key = (qualname, attr, kind, text)
    if key not in memo:
        found = _locate(context, qualname, attr)
        memo[key] = None
        if found is not None and defines(found[0], found[1], kind) and (text is None or text_matches(found[0], text)):
            module = _load(context, found[0])
            memo[key] = (module, found[1]) if module is not None else None
    return memo[key]


def literal_values(context, qualname: str, attr: str | None = None) -> list[object] | None:
    """The value of an imported constant written as one literal in the other file (`ALGS = ["RS256"]`,
    `VERIFY = False`), read without parsing that module; None when it is anything else."""
    if getattr(context, "path", None) is None or getattr(context, "import_depth", 0) >= MAX_IMPORT_DEPTH:
        return None
    found = _locate(context, qualname, attr)
    if found is None or (attr is not None and found[1] != attr):
        return None
    text = module_constants(found[0]).get(found[1])
    if text is None or len(text) > MAX_VALUE_TEXT:
        return None
    try:
        return [ast.literal_eval(text.decode("utf-8"))]
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError, UnicodeDecodeError):
        return None


def imports_matching(context, text: re.Pattern) -> bool:
    """Does a module of the tree this one imports from have text matching `text`? (A cheap gate:
    request input may come from a function imported from there.) Files are read, not parsed."""
    if getattr(context, "path", None) is None:
        return False
    for bindings in context.tree.module_scope.bindings.values():
        for binding in bindings:
            if isinstance(binding.node, cst.ImportFrom) and binding.qualname:
                found = _locate(context, binding.qualname, None)
                if found is not None and text_matches(found[0], text):
                    return True
    return False


def _locate(context, qualname: str, attr: str | None) -> tuple[str, str] | None:
    """(file, name defined there) an import refers to, by the files' text alone (module_files.locate)."""
    return locate(context.path, getattr(context, "root", None), qualname, attr)


def _load(context, path: str):
    key = os.path.realpath(path)
    if key == os.path.realpath(context.path):
        return None  # a module importing itself: its own names are already followed

    def parsed(data: bytes):
        try:
            source = data.decode("utf-8")
            loaded = type(context)(path, source, parse_module(source))
        except (UnicodeDecodeError, cst.ParserSyntaxError, RecursionError, ValueError):
            return None
        loaded.path, loaded.root = key, context.root
        loaded.import_depth = getattr(context, "import_depth", 0) + 1
        loaded.config = context.config
        return loaded

    return from_tree_file(_parsed, key, parsed)


def top_level_values(module_context, name: str) -> list[cst.BaseExpression]:
    """The values assigned to `name` at the top level of a module (any assignment form), plus the
    definition itself for functions and classes."""
    found: list[cst.BaseExpression] = []
    for binding in module_context.tree.module_scope.bindings.get(name, []):
        target = binding.node
        if isinstance(target, (cst.FunctionDef, cst.ClassDef)):
            found.append(target)
        elif isinstance(target, cst.Name):
            for kind, value in module_context.assigned_values(target):
                if kind == "=":
                    found.append(value)
    return found



