"""The README documents what the tool really has: every subcommand, option, output format and
config key (read from the real parser and config schema, so a flag added without documentation
fails here), every environment variable the code reads, and it speaks of this repository only."""
from __future__ import annotations

import argparse
import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(start: str, end: str) -> str:
    return README[README.index(start):README.index(end)]


CLI_REFERENCE = _section("<!-- cli-reference:start -->", "<!-- cli-reference:end -->")


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    from backdoor_lint.cli import build_parser

    parser = build_parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub.choices)


def _documented(word: str) -> bool:
    return re.search(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", CLI_REFERENCE) is not None


def test_every_subcommand_option_and_choice_is_in_the_cli_reference():
    from backdoor_lint.cli import build_parser

    missing = []
    top = [o for a in build_parser()._actions for o in a.option_strings]
    for option in top:
        if not _documented(option):
            missing.append(f"backdoor-lint {option}")
    for name, parser in _subcommands().items():
        if not _documented(f"backdoor-lint {name}") and name != "scan":
            missing.append(name)
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            missing += [f"{name} {o}" for o in action.option_strings if not _documented(o)]
            missing += [f"{name} {action.dest}={c}" for c in action.choices or () if not _documented(str(c))]
    assert _documented("backdoor-lint [scan]")
    assert not missing, f"README CLI reference lacks: {missing}"


def test_every_console_script_is_documented():
    from backdoor_lint.config import toml_module  # tomli on Python 3.10

    scripts = toml_module().loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert [s for s in scripts if not _documented(s)] == []


def test_every_config_key_is_documented():
    from backdoor_lint.config import KEYS

    configuration = _section("## Configuration", "## Suppressions")
    missing = [key for key in KEYS if not re.search(rf"^{re.escape(key)} = ", configuration, re.M)
               or f"`{key}`" not in configuration]
    assert not missing, f"README Configuration lacks (in the example and the list of keys): {missing}"


def _environment_variables() -> set[str]:
    """Every environment variable name the tool reads: literals given to os.environ/getenv, and the
    module constants naming variables (ENV_*, *_VARIABLE, *_VARIABLES)."""
    names: set[str] = set()
    for path in [*(ROOT / "backdoor_lint").rglob("*.py"), *(ROOT / "hooks").rglob("*.py")]:
        if "catalogue" in path.parts:
            continue  # rule prose, not settings
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                target = node.targets[0].id
                if target.startswith("ENV_") or target.endswith(("_VARIABLE", "_VARIABLES")):
                    values = node.value.elts if isinstance(node.value, ast.Tuple | ast.List) else [node.value]
                    names |= {v.value for v in values if isinstance(v, ast.Constant) and isinstance(v.value, str)}
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("get", "getenv"):
                owner = ast.unparse(node.func.value)
                if "environ" in owner or owner == "os":
                    first = node.args[0] if node.args else None
                    if isinstance(first, ast.Constant) and isinstance(first.value, str):
                        names.add(first.value)
            if isinstance(node, ast.Compare) and any(isinstance(op, ast.In | ast.NotIn) for op in node.ops):
                if "environ" in ast.unparse(node.comparators[0]) and isinstance(node.left, ast.Constant):
                    names.add(node.left.value)
    return {n for n in names if re.fullmatch(r"[A-Z][A-Z0-9_]+", n)}


def test_every_environment_variable_is_documented():
    names = _environment_variables()
    assert {"BACKDOOR_LINT_ALLOW_GUARD_CHANGE", "BACKDOOR_LINT_SEMGREP", "NO_COLOR", "XDG_CACHE_HOME",
            "CLAUDECODE"} <= names  # the collector itself works
    missing = sorted(n for n in names if f"`{n}" not in CLI_REFERENCE)
    assert not missing, f"README environment variables lack: {missing}"


@pytest.mark.parametrize("pattern, why", [
    (r"\bissues? \d+", "issue numbers of the project's tracker"),
    (r"\.\./shared|DESIGN(\.md| §)", "files users of this repository do not have"),
    (r"v0\.1\.0|vX\.Y\.Z|X\.Y\.Z|backdoor-lint==", "a release or tag that does not exist"),
])
def test_readme_speaks_of_this_repository_only(pattern, why):
    found = [m.group(0) for m in re.finditer(pattern, README)]
    assert not found, f"README mentions {why}: {found}"


def test_two_commands_install_and_scan_then_test():
    quick = _section("## Quick start", "## Install")
    commands = re.findall(r"```sh\n(.*?)\n```", quick, re.S)
    assert len(commands) == 2 and all("\n" not in c for c in commands), commands
    assert "pip install ." in commands[0] and "backdoor-lint scan" in commands[0]
    assert "pytest" in commands[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ".venv/bin/python -m pytest\n" in ci  # CI runs the documented command, the slow tests included
    assert '-m "not slow"' in quick


def test_every_install_line_uses_a_source_that_exists_today():
    """No recipe installs a release that does not exist: every `pip install` of backdoor-lint in a
    code block is the checkout (`.`), a local path, a built wheel or a git URL pinned to a commit."""
    allowed = [r"\.", r"-e '\.\[test\]'", r"/path/to/backdoor-lint", r"dist/backdoor_lint-\*-py3-none-any\.whl",
               r'"git\+https://github\.com/<owner>/backdoor-lint@<commit>"', r"build"]
    code, inside = [], False
    for line in README.splitlines():
        if line.startswith("```"):
            inside = not inside
        elif inside:
            code.append(line)
    installs = re.findall(r"pip install (-e '\S+'|\S+)", "\n".join(code))
    assert len(installs) >= 6, installs
    bad = [target for target in installs if not any(re.fullmatch(a, target) for a in allowed)]
    assert not bad, bad
