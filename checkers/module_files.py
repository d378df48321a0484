"""Files of the scanned tree that a module imports, found and read by their text alone (never
parsed by libcst, never executed): where an import's module lives (`bases_of`, `module_file`),
the constants its top-level lines assign (`module_constants`), and for the trigger facts
(checkers/trigger_facts.py) the constants a module imports from them (`imported_constants`).
checkers/imported_modules.py parses such files for the rules, on these helpers.

Read-only and bounded like imported_modules: only `.py` files under the scan root (or beside the
file's top-level package), at most MAX_MODULE_BYTES each, caches bounded per process."""
from __future__ import annotations

import ast
import functools
import os
import re

from backdoor_lint.checkers import fast_search

MAX_MODULE_BYTES = 512_000
MAX_CACHED = 128
# The scanned file's imports are followed, not theirs (each parse costs as much as a scanned file):
# imported_modules for the rules, trigger_facts.module_facts for their site tests.
MAX_IMPORT_DEPTH = 1

# Other files of the tree read while one file is analysed (here, by imported_modules.py and by the
# JavaScript imports of checkers/lang/js_imports.py), with their stat signature when read: the
# result cache keeps them with that file's result, which is stale once one of them changes.
_reads: dict[str, list[int] | None] = {}


def note_read(path: str) -> None:
    """Call before reading `path` for the file under analysis (the signature is the one before)."""
    if path not in _reads:
        try:
            _reads[path] = _signature(os.stat(path))
        except OSError:
            _reads[path] = None


def _signature(stat: os.stat_result) -> list[int]:
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev]


def take_reads() -> dict[str, list[int] | None]:
    """The files noted since the last call (and forget them)."""
    reads = dict(_reads)
    _reads.clear()
    return reads


def from_tree_file(cache: dict, path: str, build, size: int = MAX_CACHED):
    """`build(data)` of the file of the tree at `path` (its bytes, at most MAX_MODULE_BYTES; None
    when it is larger or unreadable), computed once per process while the file is unchanged:
    `cache` maps path -> ((mtime_ns, size), value) and keeps at most `size` entries. The read is
    noted for the file under analysis (note_read: the result cache depends on it)."""
    try:
        stat = os.stat(path)
    except OSError:
        _reads.setdefault(path, None)
        return None
    _reads.setdefault(path, _signature(stat))  # note_read, on the same stat
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = cache.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    value = None
    if stat.st_size <= MAX_MODULE_BYTES:
        try:
            with open(path, "rb") as handle:
                data = handle.read(MAX_MODULE_BYTES + 1)
            value = build(data) if len(data) <= MAX_MODULE_BYTES else None
        except OSError:
            value = None
    if len(cache) >= size:
        cache.pop(next(iter(cache)))
    cache[path] = (stamp, value)
    return value


def restore_reads(reads: dict[str, list[int] | None]) -> None:
    """Note again what was read for this file in another process (the scan's parent)."""
    for path, signature in reads.items():
        _reads.setdefault(path, signature)


_matched: dict[tuple[str, str], tuple[tuple[int, int] | None, bool]] = {}


def text_matches(path: str, text: re.Pattern) -> bool:
    """Does the text of the tree's file at `path` (its first MAX_MODULE_BYTES) match `text`? The
    cheap gate before another module is parsed for the dataflow (imported_modules.resolve) and the
    site tests' copy of that gate (sites_values.from_modules_matching); remembered while the file
    is unchanged. The read is noted."""
    note_read(path)
    try:
        stat = os.stat(path)
        stamp = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        stamp = None
    key = (path, text.pattern)
    cached = _matched.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    try:
        with open(path, "rb") as handle:
            matches = fast_search.search(text, handle.read(MAX_MODULE_BYTES + 1).decode("utf-8", "replace")) is not None
    except OSError:
        matches = False
    if len(_matched) > MAX_CACHED * 16:
        _matched.pop(next(iter(_matched)))
    _matched[key] = (stamp, matches)
    return matches


@functools.lru_cache(maxsize=4096)
def bases_of(path: str, root: str | None, level: int) -> list[str]:
    """Directories an import is looked up from: for `from .. import x` the package `level - 1`
    up from the file; for absolute imports the scan root and the directory above the file's
    top-level package (a tree scanned from inside `src/` or a single file given to pre-commit)."""
    here = os.path.dirname(path)
    if level:
        for _ in range(level - 1):
            here = os.path.dirname(here)
        return [here]
    bases = []
    top = here
    while os.path.isfile(os.path.join(top, "__init__.py")) and os.path.dirname(top) != top:
        top = os.path.dirname(top)
    for base in (root, top, os.path.join(root, "src") if root else None):
        if base and base not in bases:
            bases.append(base)
    return bases


@functools.lru_cache(maxsize=1024)
def _real_tops(bases: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(os.path.realpath(base).rstrip(os.sep) + os.sep for base in bases)


# -- for the trigger facts: constants other files of the tree define -----------------------------
_CONSTANT_LINE = re.compile(rb"^([A-Za-z_]\w*)\s*(?::[^=\n]*)?=(?!=)[ \t]*(.*)$", re.MULTILINE)
_TOP_LEVEL = re.compile(rb"\n(?=[^\s)\]}])")
MAX_VALUE_TEXT = 4096
_constants: dict[str, tuple[tuple[int, int], dict[str, bytes]]] = {}


def imported_constants(tree: ast.Module, path: str | None, root: str | None) -> dict[str, bytes]:
    """For the trigger facts (checkers/trigger_facts.py): name -> the text of its value, for each
    name this module imports from a module of the scanned tree that assigns it at its top level,
    so a rule's trigger sees `"verify"` or `"none"` when only `from .settings import VERIFY` is in
    the file. Read with a regex over the other file, never parsed or executed; over-approximate (a
    name assigned twice gives both texts), which keeps the triggers sound."""
    found: dict[str, bytes] = {}
    if not path:
        return found
    for statement in _import_statements(tree.body):
        parts = statement.module.split(".") if statement.module else []
        for base in bases_of(path, root, statement.level):
            values = module_constants(module_file(base, parts, path, root))
            for alias in statement.names:
                if alias.name in values:
                    found[alias.asname or alias.name] = values[alias.name]
            if values:
                break
    return found


def _import_statements(body: list[ast.stmt]) -> list[ast.ImportFrom]:
    """`from ... import ...` statements at the top level and in blocks (try, if, functions)."""
    found: list[ast.ImportFrom] = []
    stack: list[tuple[list, int]] = [(body, 0)]
    while stack:
        statements, depth = stack.pop()
        for statement in statements:
            if isinstance(statement, ast.ImportFrom):
                found.append(statement)
            elif depth < 4 and isinstance(statement, ast.stmt):
                for field in ("body", "orelse", "finalbody", "handlers"):
                    block = getattr(statement, field, None)
                    if isinstance(block, list):
                        stack.append((block, depth + 1))
            elif isinstance(statement, ast.excepthandler):
                stack.append((statement.body, depth))
    return found


def locate(importer: str, root: str | None, qualname: str, attr: str | None) -> tuple[str, str] | None:
    """(file, name defined there) that an import binding's dotted name (leading dots: relative)
    refers to from the file `importer`, by the files' text alone: `pkg.settings.X` -> (pkg/settings.py,
    "X") when that file defines X; a module (`pkg.settings`) -> (its file, `attr`), None without attr."""
    level = len(qualname) - len(qualname.lstrip("."))
    parts = [p for p in qualname[level:].split(".") if p]
    if not parts and level == 0:
        return None
    for base in bases_of(importer, root, level):
        holder = module_file(base, parts[:-1], importer, root) if parts else None
        if holder is not None and defines(holder, parts[-1], "any"):
            return holder, parts[-1]  # `from pkg.settings import X`
        module = module_file(base, parts, importer, root)
        if module is not None:  # `from pkg import settings`, `import pkg.settings`: its attribute
            return (module, attr) if attr else None
    return None


_DEFINITION = re.compile(rb"^(?:async[ \t]+)?(def|class)[ \t]+([A-Za-z_]\w*)", re.MULTILINE)
_definitions: dict[str, tuple[tuple[int, int], dict[str, str]]] = {}


def defines(path: str, name: str, kind: str) -> bool:
    """Does the file's text define `name` at its top level as `kind` ("value": a top-level
    assignment, "function", "class"; "any": anyhow)?"""
    if kind in ("value", "any") and name in module_constants(path):
        return True
    if kind == "value":
        return False
    table = from_tree_file(_definitions, path, lambda data: {m.group(2).decode(): m.group(1).decode()
                                                              for m in _DEFINITION.finditer(data)}, MAX_CACHED * 8)
    defined = (table or {}).get(name)
    return defined is not None and (kind == "any" or {"function": "def", "class": "class"}[kind] == defined)


def module_file(base: str, parts: list[str], importer: str, root: str | None) -> str | None:
    # only files of the scanned tree (under the scan root, or beside the importer's top-level
    # package): the importer matters only through those places, which all files of one package
    # share, so the cache is keyed by them
    return _file_cached(base, tuple(parts), tuple(bases_of(importer, root, 0)))


@functools.lru_cache(maxsize=16384)
def _file_cached(base: str, parts: tuple[str, ...], allowed: tuple[str, ...]) -> str | None:
    stem = os.path.join(base, *parts)
    for candidate in (stem + ".py", os.path.join(stem, "__init__.py")) if parts else (os.path.join(base, "__init__.py"),):
        if os.path.isfile(candidate):
            real = os.path.realpath(candidate)
            if any(real.startswith(top) for top in _real_tops(allowed)):
                return candidate
    return None


def module_constants(path: str | None) -> dict[str, bytes]:
    """name -> the text assigned to it on a top-level line of the file at `path` (cached per
    process, bounded like the parsed modules)."""
    if path is None:
        return {}
    return from_tree_file(_constants, path, _constant_lines, MAX_CACHED * 8) or {}


def _constant_lines(data: bytes) -> dict[str, bytes]:
    values: dict[str, bytes] = {}
    for match in _CONSTANT_LINE.finditer(data):
        name = match.group(1).decode()
        following = _TOP_LEVEL.search(data, match.end())  # a value continued on indented lines
        text = data[match.start(2): following.start() if following else len(data)][:MAX_VALUE_TEXT]
        text = b" ".join(text.split())
        values[name] = values[name] + b" " + text if name in values else text
    return values
