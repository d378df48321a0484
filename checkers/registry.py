"""Finds the checkers: modules named `text_*` and `ts_*` (the tree-sitter language analyses) hold
TextChecker subclasses, modules named `py_*` hold PythonChecker subclasses. Python checkers (and libcst) are imported only when needed."""
from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

import backdoor_lint.checkers as package


def _modules(prefix: str) -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(package.__path__) if m.name.startswith(prefix))


def _classes(prefix: str, base_name: str) -> list[type]:
    found = []
    for name in _modules(prefix):
        module = importlib.import_module(f"{package.__name__}.{name}")
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == module.__name__ and getattr(value, "CODES", None) \
                    and any(b.__name__ == base_name for b in value.__mro__[1:]):
                found.append(value)
    return found


@lru_cache(maxsize=1)
def text_checkers() -> tuple[type, ...]:
    return tuple(_classes("text_", "TextChecker") + _classes("ts_", "TextChecker"))


@lru_cache(maxsize=1)
def python_checkers() -> tuple[type, ...]:
    return tuple(_classes("py_", "PythonChecker"))

