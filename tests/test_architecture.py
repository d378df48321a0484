"""The import contract (DESIGN §10): arrows run hooks -> core -> checkers; checkers import only the
finding model from the core; only the faces (the modules the console scripts and `python -m` start:
the CLI, the pre-commit entry) may import the CLI, and of the core only the CLI may import hooks; no
import cycles between files, function-local imports included; no module over 800 lines and no
function over 80.

Read from the source with `ast` (nothing is imported), so a forbidden import anywhere in a file,
even inside a function, fails this test."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = {"backdoor_lint": "backdoor_lint", "backdoor_lint.checkers": "checkers", "backdoor_lint.hooks": "hooks"}
if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib


def _faces() -> set[str]:
    """The entry modules: `python -m backdoor_lint` and every console script of pyproject.toml."""
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    return {"backdoor_lint.__main__", *(target.split(":")[0] for target in scripts.values())}


FACE = _faces()
CHECKERS_MAY_IMPORT_FROM_CORE = {"backdoor_lint.findings"}
MAX_MODULE_LINES = 800
MAX_FUNCTION_LINES = 80


def project_sources(root: Path = ROOT) -> tuple[dict[str, str], frozenset[str]]:
    """Module name -> source text of every module of the three folders, and which are packages."""
    sources, packages = {}, set()
    for package, folder in FOLDERS.items():
        for path in sorted((root / folder).rglob("*.py")):
            parts = [p for p in path.relative_to(root / folder).with_suffix("").parts if p != "__init__"]
            module = ".".join([package, *parts])
            sources[module] = path.read_text(encoding="utf-8")
            if path.name == "__init__.py":
                packages.add(module)
    return sources, frozenset(packages)


def room(module: str) -> str:
    if module in FACE:
        return "face"
    for name in ("checkers", "hooks"):
        if module == f"backdoor_lint.{name}" or module.startswith(f"backdoor_lint.{name}."):
            return name
    return "core"


def _resolve(name: str, modules) -> str | None:
    """The project module an imported name lives in (`a.b.c` may be module `a.b`'s attribute c)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(module: str, source: str, modules, is_package: bool = False) -> set[str]:
    """Project modules `module` imports anywhere in its source."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(_resolve(alias.name, modules) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module if is_package else module.rpartition(".")[0]
                for _ in range(node.level - 1):
                    package = package.rpartition(".")[0]
                base = f"{package}.{base}" if base else package
            for alias in node.names:
                found.add(_resolve(f"{base}.{alias.name}", modules) or _resolve(base, modules))
    found.discard(None)
    found.discard(module)
    return found


def graph_of(sources: dict[str, str], packages: frozenset[str] = frozenset()) -> dict[str, set[str]]:
    return {m: imports_of(m, s, sources, m in packages) for m, s in sources.items()}


def forbidden_arrows(graph: dict[str, set[str]]) -> list[str]:
    bad = []
    for source, targets in graph.items():
        for target in targets:
            a, b = room(source), room(target)
            if b == "face" and a != "face":
                bad.append(f"{source} -> {target} (the CLI is the top: nothing below imports it)")
            elif b == "hooks" and a in ("core", "checkers"):
                bad.append(f"{source} -> {target} (only the CLI may import hooks)")
            elif a == "checkers" and b != "checkers" and target not in CHECKERS_MAY_IMPORT_FROM_CORE:
                bad.append(f"{source} -> {target} (checkers import only the finding model from the core)")
    return sorted(bad)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (iterative Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for nxt in successors:
                if nxt not in graph:
                    continue
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


SOURCES, PACKAGES = project_sources()
GRAPH = graph_of(SOURCES, PACKAGES)


def test_no_forbidden_arrow():
    assert forbidden_arrows(GRAPH) == []


def test_no_import_cycle():
    assert cycles(GRAPH) == []


def test_no_module_over_the_limit():
    long = {m: s.count("\n") for m, s in SOURCES.items() if s.count("\n") > MAX_MODULE_LINES}
    assert long == {}


def test_no_function_over_the_limit():
    long = [f"{m}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
            for m, s in SOURCES.items() for node in ast.walk(ast.parse(s))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert long == []


# The contract checker itself must catch what it is there to catch.
@pytest.mark.parametrize("module,source,expected", [
    ("backdoor_lint.checkers.x", "def f():\n    from backdoor_lint.hooks.agent import run\n", "only the CLI"),
    ("backdoor_lint.checkers.x", "import backdoor_lint.config\n", "only the finding model"),
    ("backdoor_lint.checkers.x", "from backdoor_lint import engine\n", "only the finding model"),
    ("backdoor_lint.engine", "from backdoor_lint.hooks import guard\n", "only the CLI"),
    ("backdoor_lint.hooks.agent", "from backdoor_lint.cli import main\n", "nothing below imports it"),
])
def test_a_forbidden_import_is_caught(module, source, expected):
    sources = {"backdoor_lint.findings": "", "backdoor_lint.config": "", "backdoor_lint.engine": "",
               "backdoor_lint.cli": "", "backdoor_lint.hooks.agent": "", "backdoor_lint.hooks.guard": "",
               "backdoor_lint.checkers.x": "", "backdoor_lint.hooks": "", "backdoor_lint": ""}
    sources[module] = source
    arrows = forbidden_arrows(graph_of(sources))
    assert len(arrows) == 1 and expected in arrows[0]


def test_allowed_imports_pass():
    sources = {"backdoor_lint.findings": "", "backdoor_lint.checkers.x": "from backdoor_lint.findings import Finding\n",
               "backdoor_lint.engine": "from backdoor_lint.checkers import x\n",
               "backdoor_lint.hooks.agent": "import backdoor_lint.engine\n",
               "backdoor_lint.cli": "from backdoor_lint.hooks.agent import run\n"}
    assert forbidden_arrows(graph_of(sources)) == []


def test_a_cycle_through_a_function_local_import_is_caught():
    sources = {"backdoor_lint.a": "from backdoor_lint.b import x\n",
               "backdoor_lint.b": "def f():\n    from backdoor_lint import a\n"}
    assert cycles(graph_of(sources)) == [["backdoor_lint.a", "backdoor_lint.b"]]


def test_the_faces_are_the_entry_points():
    assert {"backdoor_lint.cli", "backdoor_lint.__main__", "backdoor_lint.hooks.precommit"} <= FACE
    assert "backdoor_lint.hooks.agent" not in FACE
