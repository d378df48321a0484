"""Constants a JavaScript/TypeScript file imports from another file of the scanned tree
(`import { ALGS } from './config'`, `const { ALGS } = require('./config')`, `require('./config').ALGS`,
`import * as cfg from './config'; cfg.ALGS`), read so that the evaluator can follow them there:
`export const ALGS = [...]`, `export { ALGS }`, `export default {...}`, `module.exports = {...}`,
`exports.ALGS = ...`.

Read-only and bounded like checkers/imported_modules.py on the Python side: only relative
specifiers (`./x`, `../x`), resolved to a regular file whose real path (symlinks followed by the OS,
then checked) stays inside the scan root, at most MAX_MODULE_BYTES, never executed; one level deep
(the imported file's own imports stay unknown); parsed once per process (MAX_CACHED files kept).
What cannot be resolved, read or evaluated is UNKNOWN: the callers treat it like any unknown value,
never as proof that something is clean."""
from __future__ import annotations

import functools
import os
import re

from backdoor_lint.checkers.lang.syntax import Source, TooLarge, grammar_for
from backdoor_lint.checkers.lang.values import UNKNOWN, Ref
from backdoor_lint.checkers.module_files import MAX_MODULE_BYTES, from_tree_file  # noqa: F401 (the bound, shown)

EXTENSIONS = (".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx")
_TS_FOR_JS = {".js": (".ts", ".tsx"), ".mjs": (".mts",), ".cjs": (".cts",), ".jsx": (".tsx",)}
_parsed: dict[str, tuple[tuple[int, int], object | None]] = {}  # real path -> ((mtime_ns, size), JsFile)


def named(js, ref: Ref, depth: int):
    """The value of a name bound by `import { X } from './m'` (Ref('./m.X')); the Ref itself when the
    name is the module (`import * as m`, a default import) or nothing known can be said."""
    if not _relative(ref.name) or _file(js, ref.name) is not None:
        return ref
    module, _, export = ref.name.rpartition(".")
    value = member(js, module, export, depth) if module and export else UNKNOWN
    return ref if value is UNKNOWN else value


def member(js, module: str, export: str, depth: int):
    """The value `export` of the file `module` resolves to (`cfg.ALGS`, `require('./m').ALGS`)."""
    if not _relative(module):
        return UNKNOWN
    other = load(_file(js, module), type(js))
    if other is None:
        return UNKNOWN
    try:
        exports, default = _exports(other)
    except TooLarge:
        return UNKNOWN
    if export in exports:
        return other.value(exports[export], depth + 1)
    whole = other.value(default, depth + 1) if default is not None else UNKNOWN
    return whole.get(export, UNKNOWN) if isinstance(whole, dict) else UNKNOWN


def _relative(specifier: str) -> bool:
    return specifier.startswith(("./", "../")) or specifier in (".", "..")


def _file(js, specifier: str) -> str | None:
    """The real path of the file a relative specifier names, when it is a regular file inside the
    scan root (the importing file is in the tree; a symlink out of it is not followed)."""
    path, root = getattr(js, "path", None), getattr(js, "root", None)
    if path is None or root is None:
        return None
    return _resolve(os.path.dirname(path), specifier, root)


@functools.lru_cache(maxsize=4096)
def _resolve(directory: str, specifier: str, root: str) -> str | None:
    base = os.path.normpath(os.path.join(directory, specifier))
    stem, extension = os.path.splitext(base)
    candidates = [base + e for e in EXTENSIONS] + [os.path.join(base, "index" + e) for e in EXTENSIONS]
    if extension in EXTENSIONS:  # `./config.js` written in TypeScript sources names config.ts
        candidates = [base] + [stem + e for e in _TS_FOR_JS.get(extension, ())] + candidates
    inside = os.path.join(os.path.realpath(root), "")
    for candidate in candidates:
        real = os.path.realpath(candidate)
        if real.startswith(inside) and os.path.isfile(real):
            return real
    return None


def load(real: str | None, facts_class, language: str | None = None):
    """The facts (the importer's own facts class, without a path: its imports are not followed) of
    a file of the tree, parsed once per process; None when too large or unreadable. `language`:
    the grammar (default: JavaScript or TypeScript by the extension; go_imports/java_imports pass theirs)."""
    if real is None:
        return None
    grammar = language or ("typescript" if real.endswith((".ts", ".tsx", ".mts", ".cts")) else "javascript")

    def parsed(data: bytes):
        try:
            return facts_class(Source(data.decode("utf-8"), grammar_for(grammar, real)))
        except (UnicodeDecodeError, TooLarge, RecursionError):
            return None

    return from_tree_file(_parsed, real, parsed)


def _exports(other) -> tuple[dict, object | None]:
    """(export name -> the node whose value it is, the default export's node) of a parsed file."""
    if getattr(other, "_exports", None) is None:
        exports, default = {}, None
        src = other.source
        for node in src.of_type("export_statement"):
            if node.child_by_field_name("source") is not None:
                continue  # `export ... from './other'`: a second level, not followed
            declaration, value = node.child_by_field_name("declaration"), node.child_by_field_name("value")
            if value is not None:
                default = value
            elif declaration is not None and declaration.type in ("lexical_declaration", "variable_declaration"):
                for declarator in declaration.named_children:
                    name = declarator.child_by_field_name("name")
                    if declarator.type == "variable_declarator" and name is not None and name.type == "identifier":
                        exports[src.text(name)] = name
            for clause in (c for c in node.named_children if c.type == "export_clause"):
                for spec in (s for s in clause.named_children if s.type == "export_specifier"):
                    name, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
                    if name is not None and name.type == "identifier":
                        exports[other._key_text(alias or name)] = name
        for node in src.of_type("assignment_expression"):
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            target = src.text(left) if left is not None and left.type == "member_expression" else ""
            if target == "module.exports" and right is not None:
                default = right
            elif target.startswith(("module.exports.", "exports.")) and target.count(".") == 1 + \
                    target.startswith("module."):
                exports[target.rpartition(".")[2]] = right
        other._exports = (exports, default)
    return other._exports


_RELATIVE_IMPORT = re.compile(rb"(?:\bfrom|\brequire|\bimport)\s*(?:\(\s*)?['\"`]\.\.?/")


def may_import_from_tree(js) -> bool:
    """A cheap gate (one regex over the bytes): does the file import or require a relative path?"""
    return getattr(js, "path", None) is not None and _RELATIVE_IMPORT.search(js.source.data) is not None

