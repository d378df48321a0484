"""`static final` constants a Java file uses from another class of the scanned tree (issue 16),
read so that the evaluator can follow them there: `Policy.ALGS` with Policy in the same package
(`Policy.java` beside the file) or imported (`import com.x.Policy;` -> `com/x/Policy.java` under
the file's source root, the directory its own `package` declaration is in), and a static import
(`import static com.x.Policy.ALGS;`).

Bounded and read-only like checkers/lang/js_imports.py (whose loader it uses): one candidate file
per name, whose real path stays inside the scan root, at most MAX_MODULE_BYTES, never executed,
one level deep, parsed once per process. Only `final` fields (or an interface's constants) are
read: another class could change anything else. A class found in no such file (the JDK, a
library, another module of a multi-module build) is UNKNOWN, never clean."""
from __future__ import annotations

import os

from backdoor_lint.checkers.lang import js_imports
from backdoor_lint.checkers.lang.values import UNKNOWN
from backdoor_lint.checkers.module_files import note_read


def constant(java, class_name: str, field: str, depth: int):
    """The value of `ClassName.FIELD` (or of a statically imported FIELD, class_name qualified)."""
    path, root = getattr(java, "path", None), getattr(java, "root", None)
    if path is None or root is None:
        return UNKNOWN
    if "." not in class_name and class_name in _declared_classes(java):
        return UNKNOWN  # a class of this file (a nested one shadows the package's class of that name)
    qualified = java.imports.get(class_name, class_name) if "." not in class_name else class_name
    real = _class_file(java, os.path.dirname(os.path.abspath(path)), qualified, root)
    if real is None:
        return UNKNOWN
    other = js_imports.load(real, type(java), "java")  # the importer's class: no import cycle
    simple = qualified.rsplit(".", 1)[-1]
    value = other.constants.get(f"{simple}.{field}") if other is not None else None
    if value is None or not _final(other, value):
        return UNKNOWN
    return other.value(value, depth + 1)


def _class_file(java, directory: str, qualified: str, root: str) -> str | None:
    """The file a class is declared in: `X` in the same directory, `a.b.X` under the source root."""
    if "." not in qualified:
        candidate = os.path.join(directory, qualified + ".java")
    else:
        package = _package(java)
        parts = package.split(".") if package else []
        if parts and directory.replace(os.sep, "/").split("/")[-len(parts):] != parts:
            return None  # the file is not where its package says: no source root to resolve from
        source_root = directory
        for _ in parts:
            source_root = os.path.dirname(source_root)
        candidate = os.path.join(source_root, *qualified.split(".")) + ".java"
    inside = os.path.join(os.path.realpath(root), "")
    real = os.path.realpath(candidate)
    if real.startswith(inside):
        note_read(real)  # even when absent: a class file created later changes what the name is
    return real if real.startswith(inside) and os.path.isfile(real) else None


def _declared_classes(java) -> set[str]:
    src = java.source
    return {src.text(d.child_by_field_name("name")) for d in src.of_type(
        "class_declaration", "interface_declaration", "enum_declaration", "record_declaration")
        if d.child_by_field_name("name") is not None}


def _package(java) -> str:
    declaration = next(iter(java.source.of_type("package_declaration")), None)
    name = next((c for c in declaration.named_children if c.type in ("scoped_identifier", "identifier")), None) \
        if declaration is not None else None
    return java.source.text(name) if name is not None else ""


def _final(other, value) -> bool:
    """Is the field whose initialiser `value` is final (an interface's fields always are)?"""
    holder = value.parent.parent if value.parent is not None else None
    if holder is None:
        return False
    if holder.type == "constant_declaration":
        return True
    modifiers = next((c for c in holder.children if c.type == "modifiers"), None)
    return modifiers is not None and "final" in other.source.text(modifiers).split()
