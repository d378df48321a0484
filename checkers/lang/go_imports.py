"""Package-level constants a Go file uses from another file of the scanned tree (issue 16), read
so that the evaluator can follow them there: a const/var of the same package declared in another
.go file of the same directory (Go's package is the directory: `algs` from config.go used in
auth.go), and an exported one of another package of the module imported by path
(`"example.com/app/config"` with go.mod's `module example.com/app` -> the directory config of
the module, `config.Algs`).

Bounded and read-only like checkers/lang/js_imports.py (whose loader it uses): files whose real
path stays inside the scan root, at most MAX_MODULE_BYTES, never executed, one level deep, at most
MAX_FILES per directory, parsed once per process. A name declared in no file, in several, or
assigned again in its package or in the file that uses it (a var changed by an init function) is
UNKNOWN, never clean. Known limit: an exported var of another package assigned from a third
package (`config.Methods = ...` elsewhere) is not seen."""
from __future__ import annotations

import functools
import os

from backdoor_lint.checkers.lang import js_imports
from backdoor_lint.checkers.lang.values import UNKNOWN
from backdoor_lint.checkers.module_files import note_read

MAX_FILES = 64  # .go files of one directory looked at (a larger package: UNKNOWN)
MAX_GO_MOD_BYTES = 64_000


def same_package(go, name: str, depth: int):
    """The value of `name`, used but not bound in the file, from another file of its package."""
    path, root = getattr(go, "path", None), getattr(go, "root", None)
    if path is None or root is None or name in go.bindings:
        return UNKNOWN  # bound somewhere in this file (a function assigning the package var): not one value
    return _member(go, os.path.dirname(os.path.abspath(path)), root, name, depth, exclude=os.path.realpath(path),
                   test=path.endswith("_test.go"))


def imported(go, import_path: str, name: str, depth: int):
    """The value of `pkg.Name` where pkg is another package of the module (by go.mod's module path)."""
    path, root = getattr(go, "path", None), getattr(go, "root", None)
    if path is None or root is None or not name[:1].isupper() or name in go.fields:
        return UNKNOWN  # `pkg.Name = ...` in this file: not one value
    directory = _package_directory(os.path.dirname(os.path.abspath(path)), import_path, root)
    return _member(go, directory, root, name, depth) if directory is not None else UNKNOWN


def _member(go, directory: str, root: str, name: str, depth: int, exclude: str | None = None, test: bool = False):
    package = _package_name(go) if exclude is not None else None
    note_read(directory)  # a file added to or removed from the package changes what the name is
    found = []
    try:
        listed = os.stat(directory).st_mtime_ns  # the listing is remembered until the directory changes
    except OSError:
        return UNKNOWN
    files = _go_files(directory, root, test, listed)
    if files is None:
        return UNKNOWN  # more files than are looked at: the name could be declared in one not read
    for real in files:
        if real == exclude:
            continue
        note_read(real)
        try:
            with open(real, "rb") as handle:
                head = handle.read(js_imports.MAX_MODULE_BYTES + 1)
        except OSError:
            return UNKNOWN  # a file of the package we cannot read might declare it
        if name.encode() not in head:
            continue
        other = js_imports.load(real, type(go), "go")  # the importer's class: no import cycle
        if other is None:
            return UNKNOWN
        if package is not None and _package_name(other) != package:
            continue  # `package x_test` beside `package x`
        bindings = other.bindings.get(name, [])
        if bindings:
            found.append((other, bindings))
    if len(found) != 1:
        return UNKNOWN
    other, bindings = found[0]
    binding = bindings[0]
    if len(bindings) != 1 or binding.scope != other.source.root or binding.multi or binding.value is None:
        return UNKNOWN
    return other.value(binding.value, depth + 1)


def _package_name(go) -> str | None:
    clause = next(iter(go.source.of_type("package_clause")), None)
    ident = clause.named_children[0] if clause is not None and clause.named_children else None
    return go.source.text(ident) if ident is not None else None


@functools.lru_cache(maxsize=1024)
def _go_files(directory: str, root: str, test: bool, _listed: int) -> tuple[str, ...] | None:
    """The real paths of the package's .go files (test files only for a test file), inside the root;
    None when there are more than MAX_FILES."""
    inside = os.path.join(os.path.realpath(root), "")
    try:
        names = sorted(e.name for e in os.scandir(directory) if e.name.endswith(".go"))
    except OSError:
        return None
    if len(names) > MAX_FILES:
        return None
    files = []
    for name in names:
        if name.endswith("_test.go") and not test:
            continue
        real = os.path.realpath(os.path.join(directory, name))
        if real.startswith(inside) and os.path.isfile(real):
            files.append(real)
    return tuple(files)


def _package_directory(directory: str, import_path: str, root: str) -> str | None:
    """The directory of an import path of the module: go.mod found from the file's directory up to
    the root, `module M`, import path `M/sub` -> `<go.mod's directory>/sub` (inside the root)."""
    top = os.path.realpath(root)
    current = os.path.realpath(directory)
    while current.startswith(os.path.join(top, "")) or current == top:
        go_mod = os.path.join(current, "go.mod")
        if os.path.isfile(go_mod):
            note_read(go_mod)
            module = _module_path(go_mod)
            if module is None or not import_path.startswith(module + "/"):
                return None
            target = os.path.realpath(os.path.join(current, import_path[len(module) + 1:]))
            return target if target.startswith(os.path.join(top, "")) and os.path.isdir(target) else None
        if current == top:
            break
        current = os.path.dirname(current)
    return None


def _module_path(go_mod: str) -> str | None:
    try:
        with open(go_mod, "rb") as handle:
            text = handle.read(MAX_GO_MOD_BYTES).decode("utf-8", "replace")
    except OSError:
        return None
    for line in text.splitlines():
        words = line.split("//")[0].split()
        if len(words) == 2 and words[0] == "module":
            return words[1].strip('"`')
    return None
