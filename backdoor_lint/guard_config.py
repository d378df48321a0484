"""BDL803 (guard weakened): the ONE engine that judges a change of the files that configure the
guard, for `scan --staged`/`--diff` (a git change) and for the agent hook (one file's write or edit).

It compares, for each such file, the old and the new settings, parsed with real TOML/YAML parsers
(backdoor_lint.guard_documents):

- `[tool.backdoor-lint]` / `.backdoor-lint.toml`: new ignores, per-file ignores, excludes, allowed
  hosts, a narrower selection, severities downgraded, unsuppressible codes removed, a new baseline
  file, a lower max-file-size, fail-on relaxed;
- a baseline file that gains entries;
- the agent settings files: the backdoor-lint agent hook removed, or every hook disabled;
- `.pre-commit-config.yaml` and CI files (backdoor_lint.guard_runners);
- bandit, ruff, flake8 and semgrep settings (backdoor_lint.guard_linters).

A person may make such a change with the override (backdoor_lint.guard_override).
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from backdoor_lint.catalogue import BLOCK, WARN, all_rules, expand_codes
from backdoor_lint.findings import Finding
from backdoor_lint.guard_documents import backdoor_lint_table, decode_text, display_of, line_of, strings
from backdoor_lint.guard_linters import linter_problems
from backdoor_lint.guard_override import OVERRIDE_VARIABLE
from backdoor_lint.guard_runners import CI_FILES, ci_problems, precommit_problems

CONFIG_FILES = (".backdoor-lint.toml", "pyproject.toml")
# Where each agent keeps the hook that `backdoor-lint agent-hook install` adds.
AGENT_SETTINGS = (".claude/settings.json", ".claude/settings.local.json", ".cursor/hooks.json",
                  ".gemini/settings.json", ".codex/hooks.json", ".codex/config.toml", ".windsurf/hooks.json",
                  ".clinerules/hooks/PreToolUse", ".github/hooks/backdoor-lint.json")


@dataclass(frozen=True)
class OneFileChange:
    """The versions of one file, for a caller without a git change (the agent hook's Write or Edit
    of `path`, repository-relative; None means absent). Any other path reads as absent."""
    path: str
    old: bytes | None
    new: bytes | None

    def old_content(self, path: str) -> bytes | None:
        return self.old if path == self.path else None

    def new_content(self, path: str) -> bytes | None:
        return self.new if path == self.path else None


def guard_findings(changes, config, baseline_paths: tuple[str, ...] = ()) -> list[Finding]:
    """BDL803 findings for every guard-configuration file the change touches."""
    versions = changes
    cwd = Path.cwd()
    out: list[Finding] = []
    touched: set[str] = set()
    for change in changes.files.values():
        touched.add(change.path)
        if change.old_path and change.old_path != change.path:
            touched.add(change.old_path)  # a rename away from a guard file removes it
    config_dirs: set[str] = set()
    baseline_files = set(baseline_paths) | _configured_baselines(versions, touched, config, changes)
    for path in sorted(touched):
        name = PurePosixPath(path).name
        old, new = versions.old_content(path), versions.new_content(path)
        if old == new:
            continue
        if name in CONFIG_FILES:
            config_dirs.add(str(PurePosixPath(path).parent))
        for line, message in _file_problems(path, old, new, path in baseline_files):
            out.append(_finding(changes, path, cwd, line, message, decode_text(new)))
    for directory in sorted(config_dirs):
        for path, line, message in _backdoor_lint_config(versions, directory):
            out.append(_finding(changes, path, cwd, line, message, decode_text(versions.new_content(path))))
    return out


def _file_problems(path: str, old: bytes | None, new: bytes | None, is_baseline: bool) -> list[tuple[int, str]]:
    """(line, message) for one guard file, except the backdoor-lint config (see _backdoor_lint_config)."""
    name = PurePosixPath(path).name
    problems: list[tuple[int, str]] = []
    old_text, new_text = decode_text(old), decode_text(new)
    if name in (".pre-commit-config.yaml", ".pre-commit-config.yml"):
        problems += precommit_problems(old_text, new_text)
    if CI_FILES.match(path):
        problems += ci_problems(old_text, new_text)
    if any(path == s or path.endswith("/" + s) for s in AGENT_SETTINGS):
        problems += _agent_settings(path, old_text, new_text)
    problems += linter_problems(name, old_text, new_text)
    if is_baseline:
        problems += _baseline_growth(old, new)
    return problems


def check_file_change(path: str, old: bytes | None, new: bytes | None) -> list[tuple[int, str]]:
    """BDL803 problems of one file edit, for callers without a git change (the agent hook: a Write or
    Edit of `path`, repository-relative, from `old` to `new`; None means absent). Returns
    (line, message) pairs; the backdoor-lint config is judged from this file alone."""
    if old == new:
        return []
    problems = _file_problems(path, old, new, b'"backdoor-lint-baseline"' in (new or b"")[:200])
    if PurePosixPath(path).name in CONFIG_FILES:
        directory = str(PurePosixPath(path).parent)
        problems += [(line, message) for _, line, message in
                     _backdoor_lint_config(OneFileChange(path, old, new), directory)]
    return problems


def file_change_findings(display: str, path: str, old: bytes | None, new: bytes | None) -> list[Finding]:
    """check_file_change as BDL803 findings at `display`: the same findings `scan --staged` reports."""
    text = decode_text(new)
    return [guard_finding(display, line, message, text) for line, message in check_file_change(path, old, new)]


def _finding(changes, path: str, cwd: Path, line: int, message: str, text: str | None) -> Finding:
    return guard_finding(display_of(changes, path, cwd), line, message, text)


def guard_finding(display: str, line: int, message: str, text: str | None) -> Finding:
    """The BDL803 finding of one problem at `line` of the new text."""
    lines = text.splitlines() if text else []
    snippet = lines[line - 1] if 0 < line <= len(lines) else ""
    return Finding(display, line, 1, "BDL803",
                   f"{message}; a person must make this change ({OVERRIDE_VARIABLE}=1 outside any coding-agent "
                   "session, or a separately reviewed commit)", engine="core", snippet=snippet,
                   end_column=len(snippet) + 1 if snippet else 1)


def _configured_baselines(versions, touched, config, changes) -> set[str]:
    """Repository paths of baseline files named by backdoor-lint config (old or new) or config."""
    paths: set[str] = set()
    if config.baseline:
        try:
            paths.add((config.root.resolve() / config.baseline).resolve().relative_to(changes.top).as_posix())
        except (ValueError, OSError):
            pass
    for path in touched:
        if PurePosixPath(path).name in CONFIG_FILES:
            for data in (versions.old_content(path), versions.new_content(path)):
                table = backdoor_lint_table(decode_text(data), PurePosixPath(path).name)
                value = table.get("baseline") if isinstance(table, dict) else None
                if isinstance(value, str) and value:
                    joined = os.path.normpath(str(PurePosixPath(path).parent / value))
                    paths.add(PurePosixPath(joined).as_posix())
    for path in touched:  # anything that is a baseline by content
        data = versions.new_content(path) or versions.old_content(path)
        if data and data[:200].lstrip().startswith(b"{") and b'"backdoor-lint-baseline"' in data[:200]:
            paths.add(path)
    return paths


# --- [tool.backdoor-lint] / .backdoor-lint.toml ------------------------------------------------

def _codes(values) -> set[str]:
    named = strings(values)
    try:
        return expand_codes(named, "config")
    except ValueError:
        return set(named)


def _effective(versions, directory: str, side: str) -> tuple[str, dict | None]:
    """(file, table) of the config that governs `directory` on one side: .backdoor-lint.toml wins."""
    base = "" if directory in ("", ".") else directory + "/"
    read = versions.old_content if side == "old" else versions.new_content
    dotfile = read(base + ".backdoor-lint.toml")
    if dotfile is not None:
        return base + ".backdoor-lint.toml", backdoor_lint_table(decode_text(dotfile), ".backdoor-lint.toml")
    pyproject = read(base + "pyproject.toml")
    return base + "pyproject.toml", backdoor_lint_table(decode_text(pyproject), "pyproject.toml") if pyproject is not None else {}


def _backdoor_lint_config(versions, directory: str) -> list[tuple[str, int, str]]:
    old_file, old = _effective(versions, directory, "old")
    new_file, new = _effective(versions, directory, "new")
    new_text = decode_text(versions.new_content(new_file))
    if old is None:
        return []  # the old config was broken; nothing to weaken
    if new is None:
        return [(new_file, 1, f"{new_file} can no longer be parsed, which drops the backdoor-lint settings")]
    out: list[tuple[str, int, str]] = []

    def flag(key: str, message: str, needle: str = "") -> None:
        out.append((new_file, line_of(new_text, needle, key), f"backdoor-lint config: {message}"))

    rules = all_rules()
    added = _codes(new.get("ignore", [])) - _codes(old.get("ignore", []))
    if added:
        flag("ignore", f"`ignore` newly disables {', '.join(sorted(added)[:8])}")
    old_select = _codes(old.get("select", ["BDL"]))
    new_select = _codes(new.get("select", ["BDL"]))
    dropped = (old_select & set(rules)) - new_select
    if dropped:
        flag("select", f"`select` no longer covers {', '.join(sorted(dropped)[:8])}")
    old_pfi, new_pfi = old.get("per-file-ignores", {}), new.get("per-file-ignores", {})
    if isinstance(new_pfi, dict):
        for glob, codes in new_pfi.items():
            more = _codes(codes) - _codes(old_pfi.get(glob, []) if isinstance(old_pfi, dict) else [])
            if more:
                flag("per-file-ignores", f"per-file-ignores[{glob!r}] newly disables {', '.join(sorted(more)[:8])}",
                     glob)
    for key in ("exclude", "allowed-hosts"):
        more = [v for v in strings(new.get(key, [])) if v not in strings(old.get(key, []))]
        if more:
            flag(key, f"`{key}` gains {', '.join(repr(v) for v in more[:5])}", more[0])
    removed = _codes(old.get("unsuppressible", [])) - _codes(new.get("unsuppressible", []))
    if removed:
        flag("unsuppressible", f"`unsuppressible` no longer protects {', '.join(sorted(removed)[:8])}")
    old_sev, new_sev = old.get("severity", {}), new.get("severity", {})
    if isinstance(new_sev, dict):
        for code, level in new_sev.items():
            if level != WARN:
                continue
            for expanded in _codes([code]):
                rule = rules.get(expanded)
                before = rule.severity if rule else BLOCK
                if isinstance(old_sev, dict):
                    for old_code, old_level in old_sev.items():
                        if expanded in _codes([old_code]):
                            before = old_level
                if before != WARN:
                    flag("severity", f"severity of {code} lowered from block to warn", code)
                    break
    if old.get("fail-on") == WARN and new.get("fail-on", BLOCK) != WARN:
        flag("fail-on", "`fail-on` relaxed from warn to block")
    old_max, new_max = old.get("max-file-size", 5_000_000), new.get("max-file-size", 5_000_000)
    if isinstance(old_max, int) and isinstance(new_max, int) and new_max < old_max:
        flag("max-file-size", f"`max-file-size` lowered from {old_max} to {new_max} (more files skipped)")
    if new.get("baseline") and new.get("baseline") != old.get("baseline"):
        flag("baseline", f"`baseline` now points at {new.get('baseline')!r}")
    known = {"select", "ignore", "per-file-ignores", "exclude", "allowed-hosts", "unsuppressible", "severity",
             "fail-on", "max-file-size", "baseline"}
    for key in sorted(set(new) - known):
        if new[key] != old.get(key) and (new[key] in (False, 0, "off", "false", "none")
                                         or re.search(r"skip|disable|exclude|ignore|allow|off", key)):
            flag(key, f"`{key}` changed to {new[key]!r}")
    return out


# --- baseline --------------------------------------------------------------------------------

def _baseline_growth(old: bytes | None, new: bytes | None) -> list[tuple[int, str]]:
    from backdoor_lint.baseline import BaselineError, entry_counts, parse_baseline

    if new is None:
        return []
    try:
        new_entries = parse_baseline(new, "baseline")
    except BaselineError:
        return [(1, "baseline file replaced by content that is not a valid baseline")]
    try:
        old_counts = entry_counts(parse_baseline(old, "baseline")) if old is not None else {}
    except BaselineError:
        old_counts = {}
    added = []
    for entry in new_entries:
        if old_counts.get(entry.fingerprint, 0) > 0:
            old_counts[entry.fingerprint] -= 1
        else:
            added.append(entry)
    if not added:
        return []
    from backdoor_lint.baseline import safe_text

    sample = ", ".join(f"{e.code} in {safe_text(e.path)}" for e in added[:3])
    return [(1, f"baseline gains {len(added)} accepted finding{'s' if len(added) != 1 else ''} ({sample}), "
                "which hides them from every later check")]


# --- agent settings ----------------------------------------------------------------------------

_DISABLE_ALL = re.compile(r"\"disableAllHooks\"\s*:\s*true")


def _agent_settings(path: str, old_text: str | None, new_text: str | None) -> list[tuple[int, str]]:
    """The backdoor-lint agent hook removed from an agent's settings, or every hook disabled."""
    out: list[tuple[int, str]] = []
    if old_text is not None and "backdoor-lint" in old_text and (new_text is None or "backdoor-lint" not in new_text):
        out.append((1, f"removes the backdoor-lint agent hook from {path}, so the agent's commands and edits are "
                       "no longer screened"))
    if new_text is not None and _disables_all_hooks(new_text) and not (old_text and _disables_all_hooks(old_text)):
        out.append((line_of(new_text, "disableAllHooks"), f"sets disableAllHooks in {path}, switching off the "
                                                           "backdoor-lint agent hook"))
    return out


def _disables_all_hooks(text: str) -> bool:
    try:
        document = json.loads(text)
    except ValueError:
        return bool(_DISABLE_ALL.search(text))  # JSON with comments (settings files allow them)
    return isinstance(document, dict) and document.get("disableAllHooks") is True
