"""Which trigger patterns does checkers/fast_search.py speed up? For every regular expression of the
Python rules' text stage (each TRIGGER and the module-level patterns of checkers/triggers/), the
processor time of searching the code of every Python file of a tree (comment lines and docstrings
emptied, as the triggers see it) as written and through its relaxed form, and whether both find the
same match in every file. A pattern is compiled with fast_search.compile only where the relaxed
search is clearly faster; "compiled here" says which are.

    python benchmarks/trigger_regex.py ~/.cache/backdoor-lint-bench/trees/django-5.2.19-py3-none-any/django
"""
from __future__ import annotations

import argparse
import ast
import importlib
import pkgutil
import re
import time
from pathlib import Path

import backdoor_lint.checkers.triggers as triggers_package
from backdoor_lint.checkers import fast_search
from backdoor_lint.checkers.trigger_facts import python_facts


def trigger_patterns() -> dict[str, re.Pattern]:
    found: dict[str, re.Pattern] = {}
    for info in pkgutil.iter_modules(triggers_package.__path__):
        module = importlib.import_module(f"{triggers_package.__name__}.{info.name}")
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, bytes):
                found.setdefault(f"{info.name}.{name}", value)
            elif isinstance(value, type) and isinstance(getattr(value, "TRIGGER", None), re.Pattern):
                found.setdefault(f"{info.name}.{name}.TRIGGER", value.TRIGGER)
    unique: dict[re.Pattern, str] = {}
    for where, pattern in sorted(found.items()):
        unique.setdefault(pattern, where)
    return {where: pattern for pattern, where in unique.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree")
    parser.add_argument("--rounds", type=int, default=3, help="the smallest time of this many rounds")
    args = parser.parse_args()
    codes = []
    for path in sorted(Path(args.tree).rglob("*.py")):
        data = path.read_bytes()
        try:
            codes.append(python_facts(data, ast.parse(data)).code)
        except (SyntaxError, ValueError):
            continue
    print(f"{len(codes)} Python files, {sum(map(len, codes)) / 1e6:.1f} MB of code\n")
    print(f"{'pattern':44} {'as written':>10} {'relaxed':>8}  same  compiled here")
    for where, pattern in trigger_patterns().items():
        relaxed = fast_search.relax(pattern)
        if relaxed is None:
            continue

        def relaxed_search(text, pattern=pattern, relaxed=relaxed):
            return fast_search.first_match(pattern, relaxed, text)

        times = {}
        for label, search in (("written", pattern.search), ("relaxed", relaxed_search)):
            best = float("inf")
            for _ in range(args.rounds):
                start = time.process_time()
                results = [search(code) for code in codes]
                best = min(best, time.process_time() - start)
            times[label] = (best, [m.span() if m else None for m in results])
        same = times["written"][1] == times["relaxed"][1]
        print(f"{where:44} {times['written'][0]:9.3f}s {times['relaxed'][0]:7.3f}s  {'yes' if same else 'NO':4}  "
              f"{'yes' if fast_search.relaxed_form(pattern) is not None else ''}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
