"""Finds the checkers: modules named `text_*` and `ts_*` (the tree-sitter language analyses) hold
TextChecker subclasses, modules named `py_*` hold PythonChecker subclasses, each extending its
trigger of the same name in `triggers/<area>.py` (without libcst). The triggers are read first;
a rule's module (and libcst) is imported only when a file needs the rule."""
from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

import backdoor_lint.checkers as package
import backdoor_lint.checkers.triggers as triggers


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



@lru_cache(maxsize=1)
def python_triggers() -> tuple[type, ...]:
    """Every Python rule's trigger (triggers.PythonTrigger subclasses), in the order of
    python_checkers(); importing them imports no rule and no libcst."""
    found = []
    for info in sorted(pkgutil.iter_modules(triggers.__path__), key=lambda info: info.name):
        module = importlib.import_module(f"{triggers.__name__}.{info.name}")
        found += [value for value in vars(module).values() if isinstance(value, type)
                  and value.__module__ == module.__name__ and issubclass(value, triggers.PythonTrigger)]
    return tuple(found)


def checker_of(trigger: type) -> type:
    """The rule `py_<area>.<Name>` of the trigger `triggers.<area>.<Name>`: imports the rule's
    module (and libcst) on first use."""
    area = trigger.__module__.rpartition(".")[2]
    checker = getattr(importlib.import_module(f"{package.__name__}.py_{area}"), trigger.__name__)
    assert trigger in checker.__bases__, f"{checker.__name__} does not extend its trigger {trigger.__qualname__}"
    return checker
