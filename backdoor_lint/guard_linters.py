"""BDL803 for other security linters' settings: bandit (`.bandit`, `bandit.yaml`, `[tool.bandit]`),
ruff (`[tool.ruff]`, `ruff.toml`) and flake8 (new S-code ignores, skips, excludes), and lines added
to `.semgrepignore`."""
from __future__ import annotations

import configparser
import re

from backdoor_lint.guard_documents import get_in, line_of, parse_toml, parse_yaml, strings


def linter_problems(name: str, old_text: str | None, new_text: str | None) -> list[tuple[int, str]]:
    """(line, message) for a change of the file called `name`, if it configures a security linter."""
    problems: list[tuple[int, str]] = []
    if name in ("pyproject.toml", "ruff.toml", ".ruff.toml"):
        problems += _ruff(old_text, new_text, name)
    if name in ("pyproject.toml", ".bandit", "bandit.yaml", "bandit.yml", ".bandit.yaml", ".bandit.yml"):
        problems += _bandit(old_text, new_text, name)
    if name in (".flake8", "setup.cfg", "tox.ini"):
        problems += _flake8(old_text, new_text)
    if name == ".semgrepignore":
        problems += _semgrepignore(old_text, new_text)
    return problems


# --- ruff / bandit / flake8 / semgrep -----------------------------------------------------------

_S_CODE = re.compile(r"^(S\d*|ALL)$")


def _ruff_tables(data: dict, name: str) -> list[dict]:
    root = get_in(data, "tool", "ruff", default={}) if name == "pyproject.toml" else data
    if not isinstance(root, dict):
        return []
    lint = root.get("lint", {})
    return [root, lint if isinstance(lint, dict) else {}]


def _ruff(old_text, new_text, name) -> list[tuple[int, str]]:
    old, new = parse_toml(old_text), parse_toml(new_text)
    if not isinstance(old, dict) or not isinstance(new, dict):
        return []
    olds, news = _ruff_tables(old, name), _ruff_tables(new, name)
    if not olds or not news:
        return []
    out = []

    def values(tables, key) -> set[str]:
        return {v for t in tables for v in strings(t.get(key, []))}

    def pfi(tables) -> dict[str, set[str]]:
        merged: dict[str, set[str]] = {}
        for t in tables:
            for key in ("per-file-ignores", "extend-per-file-ignores"):
                table = t.get(key, {})
                if isinstance(table, dict):
                    for glob, codes in table.items():
                        merged.setdefault(glob, set()).update(strings(codes))
        return merged

    for key in ("ignore", "extend-ignore"):
        more = {c for c in values(news, key) - values(olds, key) if _S_CODE.match(c)}
        if more:
            out.append((line_of(new_text, key), f"ruff `{key}` gains security codes {', '.join(sorted(more))}"))
    old_pfi = pfi(olds)
    for glob, codes in pfi(news).items():
        more = {c for c in codes - old_pfi.get(glob, set()) if _S_CODE.match(c)}
        if more:
            out.append((line_of(new_text, glob), f"ruff per-file-ignores[{glob!r}] gains {', '.join(sorted(more))}"))
    for key in ("select", "extend-select"):
        gone = {c for c in values(olds, key) - values(news, key) if _S_CODE.match(c)}
        if gone and not ({c for c in values(news, "select") | values(news, "extend-select") if _S_CODE.match(c)}
                         >= gone):
            out.append((line_of(new_text, key), f"ruff `{key}` drops {', '.join(sorted(gone))}"))
    selects_security = any(_S_CODE.match(c) for c in values(olds, "select") | values(olds, "extend-select"))
    if selects_security:
        for key in ("exclude", "extend-exclude"):
            more = values(news, key) - values(olds, key)
            if more:
                out.append((line_of(new_text, key), f"ruff `{key}` gains {', '.join(sorted(more)[:5])} "
                                                     "(security rules stop seeing those files)"))
    return out


def _bandit_settings(text: str | None, name: str) -> dict | None:
    if name == "pyproject.toml":
        data = parse_toml(text)
        return get_in(data, "tool", "bandit", default={}) if isinstance(data, dict) else None
    if name == ".bandit":
        if text is None:
            return {}
        parser = configparser.ConfigParser()
        try:
            parser.read_string(text)
        except configparser.Error:
            return None
        if not parser.has_section("bandit"):
            return {}
        return {k: [p.strip() for p in v.split(",") if p.strip()] for k, v in parser.items("bandit")}
    data = parse_yaml(text)
    if data is None and text is not None and not text.strip():
        return {}  # an empty file configures nothing
    return data if isinstance(data, dict) else None


def _bandit(old_text, new_text, name) -> list[tuple[int, str]]:
    old, new = _bandit_settings(old_text, name), _bandit_settings(new_text, name)
    if not isinstance(old, dict) or not isinstance(new, dict):
        return []
    out = []
    for key in ("skips", "exclude_dirs", "exclude"):
        more = [v for v in strings(new.get(key, [])) if v not in strings(old.get(key, []))]
        if more:
            out.append((line_of(new_text, key), f"bandit `{key}` gains {', '.join(more[:6])}"))
    old_tests, new_tests = set(strings(old.get("tests", []))), set(strings(new.get("tests", [])))
    if new_tests and (not old_tests or old_tests - new_tests):
        out.append((line_of(new_text, "tests"), "bandit `tests` narrowed to " + ", ".join(sorted(new_tests)[:6])))
    return out


def _flake8(old_text, new_text) -> list[tuple[int, str]]:
    def codes(text):
        if text is None:
            return set(), {}
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(text)
        except configparser.Error:
            return set(), {}
        if not parser.has_section("flake8"):
            return set(), {}
        ignored = set()
        for key in ("ignore", "extend-ignore"):
            ignored |= {c for c in re.split(r"[,\s]+", parser.get("flake8", key, fallback="")) if _S_CODE.match(c)}
        per_file: dict[str, set[str]] = {}
        for entry in re.split(r"\n", parser.get("flake8", "per-file-ignores", fallback="")):
            if ":" in entry:
                glob, _, rest = entry.partition(":")
                per_file[glob.strip()] = {c for c in re.split(r"[,\s]+", rest) if _S_CODE.match(c)}
        return ignored, per_file

    old_ignored, old_pf = codes(old_text)
    new_ignored, new_pf = codes(new_text)
    out = []
    if new_ignored - old_ignored:
        out.append((line_of(new_text, "ignore"), f"flake8 ignores security codes {', '.join(sorted(new_ignored - old_ignored))}"))
    for glob, cs in new_pf.items():
        if cs - old_pf.get(glob, set()):
            out.append((line_of(new_text, glob), f"flake8 per-file-ignores[{glob!r}] gains {', '.join(sorted(cs))}"))
    return out


def _semgrepignore(old_text, new_text) -> list[tuple[int, str]]:
    def entries(text):
        return [line.strip() for line in (text or "").splitlines() if line.strip() and not line.startswith("#")]

    old = entries(old_text)
    more = [e for e in entries(new_text) if e not in old]
    return [(line_of(new_text, more[0]), f".semgrepignore gains {', '.join(more[:5])}")] if more else []

