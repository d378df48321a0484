"""Modules of the scanned tree that a file imports (`from .settings import JWT_ALGORITHMS`,
`from app import config`, `import app.config as cfg`), found, read and parsed so that the constant
evaluator and the dataflow can follow a value into them.

Read-only and bounded: only `.py` files under the scan root (or under the package root that holds
the scanned file) are read, never executed; at most MAX_IMPORT_DEPTH modules deep, MAX_MODULE_BYTES
each, MAX_CACHED parsed modules kept per process (a worker scans many files of the same tree). An
import that resolves to nothing readable is unknown: the callers treat it like any unknown value
(never as proof that something is clean), and nothing here raises."""
from __future__ import annotations

import os

import libcst as cst
from backdoor_lint.checkers.tree import parse_module

MAX_IMPORT_DEPTH = 2  # the scanned file's imports, and theirs
MAX_MODULE_BYTES = 512_000
MAX_CACHED = 128
_parsed: dict[str, tuple[tuple[int, int], object | None]] = {}  # path -> ((mtime_ns, size), context)


def resolve(context, qualname: str) -> tuple[object, str | None] | None:
    """(module context, attribute) for an import binding's dotted name (leading dots for relative
    imports): `..settings.JWT_ALGORITHMS` -> (the context of ../settings.py, "JWT_ALGORITHMS"),
    `app.config` naming a module -> (its context, None). None when unknown."""
    if getattr(context, "path", None) is None or getattr(context, "import_depth", 0) >= MAX_IMPORT_DEPTH:
        return None
    memo = context.__dict__.setdefault("_imported", {})
    if qualname not in memo:
        memo[qualname] = _resolve(context, qualname)
    return memo[qualname]


def _resolve(context, qualname: str) -> tuple[object, str | None] | None:
    level = len(qualname) - len(qualname.lstrip("."))
    parts = [p for p in qualname[level:].split(".") if p]
    if not parts and level == 0:
        return None
    for base in _bases(context, level):
        if len(parts) >= 1:
            holder = _module(context, base, parts[:-1])  # `from pkg.settings import X`
            if holder is not None and parts[-1] in _top_level_names(holder):
                return holder, parts[-1]
        module = _module(context, base, parts)  # `from pkg import settings`, `import pkg.settings`
        if module is not None:
            return module, None
    return None


def _bases(context, level: int) -> list[str]:
    """Directories an import is looked up from: for `from .. import x` the package `level - 1`
    up from the file; for absolute imports the scan root and the directory above the file's
    top-level package (a tree scanned from inside `src/` or a single file given to pre-commit)."""
    here = os.path.dirname(context.path)
    if level:
        for _ in range(level - 1):
            here = os.path.dirname(here)
        return [here]
    bases = []
    top = here
    while os.path.isfile(os.path.join(top, "__init__.py")) and os.path.dirname(top) != top:
        top = os.path.dirname(top)
    for base in (getattr(context, "root", None), top, os.path.join(context.root, "src") if context.root else None):
        if base and base not in bases:
            bases.append(base)
    return bases


def _inside(path: str, context) -> bool:
    """Only files of the scanned tree: under the scan root, or beside the file's top-level package."""
    real = os.path.realpath(path)
    for base in _bases(context, 0):
        top = os.path.realpath(base).rstrip(os.sep) + os.sep
        if real.startswith(top):
            return True
    return False


def _module(context, base: str, parts: list[str]):
    stem = os.path.join(base, *parts)
    for path in (stem + ".py", os.path.join(stem, "__init__.py")) if parts else (os.path.join(base, "__init__.py"),):
        if os.path.isfile(path) and _inside(path, context):
            return _load(context, path)
    return None


def _load(context, path: str):
    key = os.path.realpath(path)
    if key == os.path.realpath(context.path):
        return None  # a module importing itself: its own names are already followed
    try:
        stat = os.stat(key)
    except OSError:
        return None
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _parsed.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    loaded = None
    if stat.st_size <= MAX_MODULE_BYTES:
        try:
            with open(key, "rb") as handle:
                source = handle.read(MAX_MODULE_BYTES + 1).decode("utf-8")
            loaded = type(context)(path, source, parse_module(source))
            loaded.path, loaded.root = key, context.root
            loaded.import_depth = getattr(context, "import_depth", 0) + 1
            loaded.config = context.config
        except (OSError, UnicodeDecodeError, cst.ParserSyntaxError, RecursionError, ValueError):
            loaded = None
    if len(_parsed) >= MAX_CACHED:
        _parsed.pop(next(iter(_parsed)))
    _parsed[key] = (stamp, loaded)
    return loaded


def _top_level_names(module_context) -> set[str]:
    return set(module_context.tree.module_scope.bindings)


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


def module_name_node(module_context, name: str) -> cst.Name | None:
    """A top-level Name node bound to `name` in the module (to ask its context about it)."""
    for binding in module_context.tree.module_scope.bindings.get(name, []):
        if isinstance(binding.node, cst.Name):
            return binding.node
    return None
