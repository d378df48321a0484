"""Guarding the guard: BDL802 (foreign security suppressions added) and BDL803 (guard weakened).

Both look at a change (see backdoor_lint.changes): the file at the base revision against the new
version. BDL803 compares, for the files that configure checking, the old and the new settings:

- `.pre-commit-config.yaml`: a backdoor-lint hook deleted, its stages emptied or moved off the
  commit stage, `exclude`/`files`/`types` changed, pointed at another repository (a fork), args
  that switch checks off, `ci: skip`, a global `exclude`/`files`, or the file made unreadable;
- `[tool.backdoor-lint]` / `.backdoor-lint.toml`: new ignores, per-file ignores, excludes,
  allowed hosts, a narrower selection, severities downgraded, unsuppressible codes removed, a new
  baseline file, a lower max-file-size, fail-on relaxed;
- a baseline file that gains entries;
- bandit (`.bandit`, `bandit.yaml`, `[tool.bandit]`), ruff (`[tool.ruff]`, `ruff.toml`) and flake8
  security settings (new S-code ignores, skips, excludes), `.semgrepignore` lines added;
- CI (GitHub workflows, GitLab CI, ...): a step or job that runs backdoor-lint deleted, skipped
  (`if:`, `when:`, `rules:`), made non-failing (`continue-on-error`, `allow_failure`, `|| true`,
  `--exit-zero`), or given the override variable.

The override: a person sets BACKDOOR_LINT_ALLOW_GUARD_CHANGE=1 for the one commit. It is honoured
only when no coding-agent session is detected in the environment (variables the agents set for
the commands they run); an agent that sets it is refused and told why. In CI a reviewer grants it
(README, "The human override for BDL803": a label that only maintainers can apply).
"""
from __future__ import annotations

import configparser
import os
import re
import sys
from pathlib import Path, PurePosixPath

from backdoor_lint.catalogue import BLOCK, WARN, all_rules, expand_codes
from backdoor_lint.findings import Finding
from backdoor_lint.suppressions import python_comment_columns

OVERRIDE_VARIABLE = "BACKDOOR_LINT_ALLOW_GUARD_CHANGE"
# Environment variables coding agents set for the commands they run (vendor docs and the
# @vercel/detect-agent / agents.md AGENT conventions). A non-empty value means "agent session".
AGENT_VARIABLES = (
    "CLAUDECODE", "CLAUDE_CODE_ENTRYPOINT",  # Claude Code
    "CURSOR_AGENT",  # Cursor agent / cursor-agent CLI
    "GEMINI_CLI",  # Gemini CLI
    "CODEX_SANDBOX", "CODEX_THREAD_ID", "CODEX_SANDBOX_NETWORK_DISABLED",  # OpenAI Codex CLI
    "CLINE_ACTIVE",  # Cline
    "OPENCODE",  # opencode
    "AUGMENT_AGENT",  # Augment
    "ANTIGRAVITY_AGENT",  # Google Antigravity
    "AI_AGENT", "AGENT",  # self-identification conventions
)
AGENT_FILES = ("/opt/.devin",)  # Devin's machines
MAX_CONFIG_BYTES = 2_000_000
MAX_NODES = 200_000
GUARD = re.compile(r"backdoor[-_]lint", re.IGNORECASE)


# --------------------------------------------------------------------------------------------
# Override
# --------------------------------------------------------------------------------------------

def agent_session(environ=None) -> str | None:
    """The variable (or file) that shows a coding-agent session, or None."""
    environ = os.environ if environ is None else environ
    for name in AGENT_VARIABLES:
        if environ.get(name, "").strip():
            return name
    for path in AGENT_FILES:
        if os.path.exists(path):
            return path
    return None


def override_state(environ=None) -> tuple[bool, str]:
    environ = os.environ if environ is None else environ
    value = environ.get(OVERRIDE_VARIABLE, "").strip().lower()
    if value not in ("1", "true", "yes"):
        return False, ""
    agent = agent_session(environ)
    if agent:
        return False, (f"[{OVERRIDE_VARIABLE} ignored: a coding-agent session is detected ({agent} is set); "
                       "a person must make this change outside the agent]")
    return True, f"[allowed by {OVERRIDE_VARIABLE}=1 outside an agent session]"


def apply_override(findings: list[Finding], environ=None) -> None:
    """With a valid human override, BDL803 findings are shown as warnings instead of blocking."""
    allowed, note = override_state(environ)
    if not note:
        return
    for finding in findings:
        if finding.code == "BDL803":
            finding.message = f"{finding.message} {note}"
            if allowed:
                finding.severity = WARN


# --------------------------------------------------------------------------------------------
# BDL802: foreign security suppressions
# --------------------------------------------------------------------------------------------

_COMMENT = r"(?:#|//|/\*|<!--|--|;|\*)"
_FOREIGN = [
    ("bandit/gosec", re.compile(_COMMENT + r"[ \t]*(?:#[ \t]*)?nosec\b", re.IGNORECASE)),
    ("semgrep", re.compile(_COMMENT + r"[ \t]*nosem(?:grep)?\b", re.IGNORECASE)),
    ("gitleaks", re.compile(r"gitleaks\s*:\s*allow\b", re.IGNORECASE)),
    ("detect-secrets", re.compile(r"pragma\s*:\s*allowlist[ -]secret\b", re.IGNORECASE)),
    ("sonar", re.compile(_COMMENT + r"[ \t]*NOSONAR\b")),
]
_NOQA = re.compile(r"#\s*(?:ruff\s*:\s*|flake8\s*:\s*)?noqa\s*:\s*(?P<codes>[A-Za-z0-9, ]+)", re.IGNORECASE)
_SECURITY_NOQA = re.compile(r"^(S\d*|DUO\d+|SCS\d+)$", re.IGNORECASE)
_PYLINT = re.compile(r"#\s*pylint\s*:\s*disable\s*=\s*(?P<codes>[\w, -]+)", re.IGNORECASE)
_PYLINT_SECURITY = {"eval-used", "exec-used", "w0123", "w0122"}
_ESLINT = re.compile(r"(?://|/\*)\s*eslint-disable(?:-next-line|-line)?(?=[\s*]|$)(?P<rules>[^\n]*)")
_ESLINT_SECURITY = re.compile(
    r"^(security|security-node|no-unsanitized|@microsoft/sdl|xss|scanjs-rules|anti-trojan-source|"
    r"@typescript-eslint/no-implied-eval)(/|$)|^(no-eval|no-implied-eval|no-new-func|no-script-url|"
    r"react/no-danger|react/no-danger-with-children|detect-[\w-]+)$")
FOREIGN_TRIGGER = re.compile(rb"nosec|nosem|noqa|NOSONAR|gitleaks|allowlist|pylint|eslint-disable", re.IGNORECASE)


def find_foreign(text: str, python: bool = False) -> list[tuple[int, int, str, str]]:
    """Security suppressions of other tools: (line, column, tool, the comment) for every line. In
    Python source (`python`), only real comments count, not text inside string literals."""
    found = _find_foreign(text)
    if python and found:
        comments = python_comment_columns(text)
        if comments is not None:
            found = [f for f in found if f[0] in comments and f[1] - 1 >= comments[f[0]]]
    return found


def _find_foreign(text: str) -> list[tuple[int, int, str, str]]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not FOREIGN_TRIGGER.search(line.encode("utf-8", "surrogatepass")):
            continue
        for tool, pattern in _FOREIGN:
            match = pattern.search(line)
            if match:
                found.append((number, match.start() + 1, tool, line[match.start():].strip()[:120]))
        for match in _NOQA.finditer(line):
            codes = [c for c in re.split(r"[,\s]+", match.group("codes")) if c]
            security = [c for c in codes if _SECURITY_NOQA.match(c)]
            if security:
                found.append((number, match.start() + 1, "ruff/flake8-bandit " + ",".join(security), match.group(0)))
        match = _PYLINT.search(line)
        if match and {c.strip().lower() for c in match.group("codes").split(",")} & _PYLINT_SECURITY:
            found.append((number, match.start() + 1, "pylint", match.group(0).strip()))
        match = _ESLINT.search(line)
        if match:
            rules_text = match.group("rules").split("--")[0].replace("*/", "").strip()
            rules = [r.strip() for r in rules_text.split(",") if r.strip()]
            security = [r for r in rules if _ESLINT_SECURITY.search(r)]
            if not rules:
                found.append((number, match.start() + 1, "eslint (every rule, including security rules)",
                              match.group(0).strip()[:120]))
            elif security:
                found.append((number, match.start() + 1, "eslint " + ",".join(security), match.group(0).strip()[:120]))
    return found


def _decode(data: bytes | None) -> str | None:
    if data is None:
        return None
    return data.decode("utf-8", "replace")


def foreign_suppression_findings(changes, files, config) -> list[Finding]:
    """BDL802 for foreign security suppressions on added lines that the base version did not have
    as often (editing or moving a line that already carried one is not "adding")."""
    from backdoor_lint.suppressions import apply_suppressions, parse_suppressions

    findings: list[Finding] = []
    cwd = Path.cwd()
    for change in files:
        new = changes.new_bytes(change)
        if new is None or not FOREIGN_TRIGGER.search(new) or b"\0" in new[:8192]:
            continue
        text = _decode(new)
        display = _display(changes, change.path, cwd)
        relpath = _config_relative(changes, change.path, config)
        if not config.enabled_for(relpath, "BDL802") or config.is_excluded(relpath):
            continue
        old_counts: dict[str, int] = {}
        old = _decode(changes.old_bytes(change))
        python = change.path.endswith((".py", ".pyi"))
        if old:
            for _, _, _tool, comment in find_foreign(old, python):
                old_counts[comment] = old_counts.get(comment, 0) + 1
        lines = text.splitlines()
        file_findings = []
        for number, column, tool, comment in find_foreign(text, python):
            if not (change.is_new or number in change.added):
                continue
            if old_counts.get(comment, 0) > 0:
                old_counts[comment] -= 1
                continue
            file_findings.append(Finding(
                display, number, column, "BDL802",
                f"{tool} suppression `{comment}` added: it silences that tool's security check on this line, "
                "where a backdoor would be reported; fix the finding or state the exact rule and a reason",
                engine="core", snippet=lines[number - 1] if number <= len(lines) else ""))
        if file_findings and b"backdoor-lint:" in new:
            valid, _ = parse_suppressions(text, display, config.unsuppressible)
            file_findings, _ = apply_suppressions(file_findings, valid, config.unsuppressible)
        findings += file_findings
    return findings


# --------------------------------------------------------------------------------------------
# BDL803: guard configuration weakened
# --------------------------------------------------------------------------------------------

def _display(changes, relpath: str, cwd: Path) -> str:
    full = changes.top / relpath
    try:
        return full.relative_to(cwd).as_posix()
    except ValueError:
        return full.as_posix()


def _config_relative(changes, relpath: str, config) -> str:
    try:
        return (changes.top / relpath).relative_to(config.root.resolve()).as_posix()
    except ValueError:
        return relpath


def _line_of(text: str | None, *needles: str) -> int:
    if not text:
        return 1
    for needle in needles:
        if not needle:
            continue
        index = text.find(needle)
        if index >= 0:
            return text.count("\n", 0, index) + 1
    return 1


class _Versions:
    """Old (base revision) and new (index or working tree) content of any path of the repository."""

    def __init__(self, changes):
        self.changes = changes
        self._cache: dict[tuple[str, str], bytes | None] = {}

    def old(self, path: str) -> bytes | None:
        from backdoor_lint.changes import EMPTY_TREE, blob

        key = ("old", path)
        if key not in self._cache:
            self._cache[key] = None if self.changes.base == EMPTY_TREE else blob(self.changes.top,
                                                                                 f"{self.changes.base}:{path}")
        return self._cache[key]

    def new(self, path: str) -> bytes | None:
        from backdoor_lint.changes import blob

        key = ("new", path)
        if key not in self._cache:
            if self.changes.staged:
                self._cache[key] = blob(self.changes.top, f":{path}")
            else:
                try:
                    self._cache[key] = (self.changes.top / path).read_bytes()
                except OSError:
                    self._cache[key] = None
        return self._cache[key]


CI_FILES = re.compile(r"^(?:\.github/workflows/[^/]+\.ya?ml|(?:.*/)?\.gitlab-ci\.ya?ml|\.gitlab/ci/.+\.ya?ml|"
                      r"\.circleci/config\.ya?ml|azure-pipelines\.ya?ml|bitbucket-pipelines\.ya?ml|"
                      r"\.buildkite/pipeline\.ya?ml|\.woodpecker\.ya?ml|\.drone\.ya?ml)$")


def guard_findings(changes, config, baseline_paths: tuple[str, ...] = ()) -> list[Finding]:
    """BDL803 findings for every guard-configuration file the change touches."""
    versions = _Versions(changes)
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
        old, new = versions.old(path), versions.new(path)
        if old == new:
            continue
        if name in (".backdoor-lint.toml", "pyproject.toml"):
            config_dirs.add(str(PurePosixPath(path).parent))
        for line, message in _file_problems(path, old, new, path in baseline_files):
            out.append(_finding(changes, path, cwd, line, message, _decode(new)))
    for directory in sorted(config_dirs):
        for path, line, message in _backdoor_lint_config(versions, directory):
            out.append(_finding(changes, path, cwd, line, message, _decode(versions.new(path))))
    return out


def _file_problems(path: str, old: bytes | None, new: bytes | None, is_baseline: bool) -> list[tuple[int, str]]:
    """(line, message) for one guard file, except the backdoor-lint config (see _backdoor_lint_config)."""
    name = PurePosixPath(path).name
    problems: list[tuple[int, str]] = []
    old_text, new_text = _decode(old), _decode(new)
    if name in (".pre-commit-config.yaml", ".pre-commit-config.yml"):
        problems += _precommit(old_text, new_text)
    if name in ("pyproject.toml", "ruff.toml", ".ruff.toml"):
        problems += _ruff(old_text, new_text, name)
    if name in ("pyproject.toml", ".bandit", "bandit.yaml", "bandit.yml", ".bandit.yaml", ".bandit.yml"):
        problems += _bandit(old_text, new_text, name)
    if name in (".flake8", "setup.cfg", "tox.ini"):
        problems += _flake8(old_text, new_text)
    if name == ".semgrepignore":
        problems += _semgrepignore(old_text, new_text)
    if CI_FILES.match(path):
        problems += _ci(old_text, new_text)
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
    if PurePosixPath(path).name in (".backdoor-lint.toml", "pyproject.toml"):
        class _One:
            def old(self, p):
                return old if p == path else None

            def new(self, p):
                return new if p == path else None

        directory = str(PurePosixPath(path).parent)
        problems += [(line, message) for _, line, message in _backdoor_lint_config(_One(), directory)]
    return problems


def _finding(changes, path: str, cwd: Path, line: int, message: str, text: str | None) -> Finding:
    lines = text.splitlines() if text else []
    snippet = lines[line - 1] if 0 < line <= len(lines) else ""
    return Finding(_display(changes, path, cwd), line, 1, "BDL803",
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
        if PurePosixPath(path).name in (".backdoor-lint.toml", "pyproject.toml"):
            for data in (versions.old(path), versions.new(path)):
                table = _bdl_table(_decode(data), PurePosixPath(path).name)
                value = table.get("baseline") if isinstance(table, dict) else None
                if isinstance(value, str) and value:
                    joined = os.path.normpath(str(PurePosixPath(path).parent / value))
                    paths.add(PurePosixPath(joined).as_posix())
    for path in touched:  # anything that is a baseline by content
        data = versions.new(path) or versions.old(path)
        if data and data[:200].lstrip().startswith(b"{") and b'"backdoor-lint-baseline"' in data[:200]:
            paths.add(path)
    return paths


# --- helpers for structured data ------------------------------------------------------------

def _toml(text: str | None) -> dict | None:
    """Parsed TOML, {} for a missing file, None when unreadable."""
    if text is None:
        return {}
    if len(text) > MAX_CONFIG_BYTES:
        return None
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError):
        return None


def _yaml(text: str | None):
    """Parsed YAML (safe loader), {} for a missing file, None when unreadable. Aliases are allowed
    (they are shared, not copied); walks are bounded by MAX_NODES."""
    if text is None:
        return {}
    if len(text) > MAX_CONFIG_BYTES:
        return None
    import yaml

    try:
        return yaml.safe_load(text)
    except (yaml.YAMLError, RecursionError, ValueError):
        return None


def _get(table, *keys, default=None):
    for key in keys:
        if not isinstance(table, dict) or key not in table:
            return default
        table = table[key]
    return table


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _bdl_table(text: str | None, name: str) -> dict | None:
    data = _toml(text)
    if data is None:
        return None
    if name == "pyproject.toml":
        table = _get(data, "tool", "backdoor-lint", default={})
    else:
        table = data
    return table if isinstance(table, dict) else None


# --- [tool.backdoor-lint] / .backdoor-lint.toml ------------------------------------------------

def _codes(values) -> set[str]:
    strings = _strings(values)
    try:
        return expand_codes(strings, "config")
    except ValueError:
        return set(strings)


def _effective(versions, directory: str, side: str) -> tuple[str, dict | None]:
    """(file, table) of the config that governs `directory` on one side: .backdoor-lint.toml wins."""
    base = "" if directory in ("", ".") else directory + "/"
    read = versions.old if side == "old" else versions.new
    dotfile = read(base + ".backdoor-lint.toml")
    if dotfile is not None:
        return base + ".backdoor-lint.toml", _bdl_table(_decode(dotfile), ".backdoor-lint.toml")
    pyproject = read(base + "pyproject.toml")
    return base + "pyproject.toml", _bdl_table(_decode(pyproject), "pyproject.toml") if pyproject is not None else {}


def _backdoor_lint_config(versions, directory: str) -> list[tuple[str, int, str]]:
    old_file, old = _effective(versions, directory, "old")
    new_file, new = _effective(versions, directory, "new")
    new_text = _decode((versions.new)(new_file))
    if old is None:
        return []  # the old config was broken; nothing to weaken
    if new is None:
        return [(new_file, 1, f"{new_file} can no longer be parsed, which drops the backdoor-lint settings")]
    out: list[tuple[str, int, str]] = []

    def flag(key: str, message: str, needle: str = "") -> None:
        out.append((new_file, _line_of(new_text, needle, key), f"backdoor-lint config: {message}"))

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
        more = [v for v in _strings(new.get(key, [])) if v not in _strings(old.get(key, []))]
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


# --- .pre-commit-config.yaml -------------------------------------------------------------------

_COMMIT_STAGES = {"pre-commit", "commit"}
_SAFE_ARGS = re.compile(r"^(--format(=.*)?|text|json|sarif|github|gitlab|--jobs(=\d+)?|-j\d*|\d+|--no-cache|"
                        r"--staged|--diff(=.*)?)$")


def _guard_hooks(doc) -> dict[str, dict]:
    hooks: dict[str, dict] = {}
    for repo in _get(doc, "repos", default=[]) or []:
        if not isinstance(repo, dict):
            continue
        for hook in repo.get("hooks") or []:
            if not isinstance(hook, dict):
                continue
            ident = str(hook.get("id", ""))
            if GUARD.search(ident) or GUARD.search(str(hook.get("entry", ""))):
                key = ident
                while key in hooks:
                    key += "'"
                hooks[key] = {"repo": str(repo.get("repo", "")), "hook": hook}
    return hooks


def _norm_repo(url: str) -> str:
    return re.sub(r"(\.git)?/*$", "", url.strip().lower())


def _stages(hook: dict, doc: dict) -> set[str] | None:
    stages = hook.get("stages", _get(doc, "default_stages"))
    return None if stages is None else set(_strings(stages))


def _matches_everything(pattern) -> bool:
    if not isinstance(pattern, str) or not pattern:
        return False
    try:
        rx = re.compile(pattern)
    except re.error:
        return False
    return all(rx.search(p) for p in ("a.py", "src/pkg/x.py", "app.js", "Dockerfile", "x/y/z.go"))


def _precommit(old_text: str | None, new_text: str | None) -> list[tuple[int, str]]:
    old = _yaml(old_text)
    old_hooks = _guard_hooks(old) if isinstance(old, dict) else {}
    if not old_hooks:
        return []
    new = _yaml(new_text)
    if new_text is None:
        return [(1, ".pre-commit-config.yaml deleted, removing the backdoor-lint hook")]
    if not isinstance(new, dict):
        return [(1, ".pre-commit-config.yaml can no longer be parsed, which disables the backdoor-lint hook")]
    new_hooks = _guard_hooks(new)
    out: list[tuple[int, str]] = []

    def flag(message: str, *needles: str) -> None:
        out.append((_line_of(new_text, *needles), message))

    for key, before in old_hooks.items():
        ident = key.rstrip("'")
        after = new_hooks.get(key)
        if after is None:
            flag(f"pre-commit hook `{ident}` removed from .pre-commit-config.yaml")
            continue
        oh, nh = before["hook"], after["hook"]
        if _norm_repo(before["repo"]) != _norm_repo(after["repo"]):
            flag(f"pre-commit hook `{ident}` now comes from {after['repo']!r} instead of {before['repo']!r} "
                 "(a fork or another repository runs instead of backdoor-lint)", after["repo"])
        old_stages, new_stages = _stages(oh, old), _stages(nh, new)
        if new_stages is not None and not new_stages:
            flag(f"pre-commit hook `{ident}`: `stages` emptied, so it never runs", "stages")
        elif new_stages is not None and not (new_stages & _COMMIT_STAGES) and \
                (old_stages is None or old_stages & _COMMIT_STAGES):
            flag(f"pre-commit hook `{ident}` no longer runs at commit (stages: {sorted(new_stages)})", "stages")
        for field_name in ("exclude", "files", "types", "types_or", "exclude_types"):
            if nh.get(field_name) != oh.get(field_name) and nh.get(field_name) not in (None, "", []):
                everything = " (matches every file)" if field_name == "exclude" and \
                    _matches_everything(nh.get(field_name)) else ""
                flag(f"pre-commit hook `{ident}`: `{field_name}` changed to {nh.get(field_name)!r}{everything}",
                     f"{field_name}:")
        if nh.get("entry") != oh.get("entry") and "entry" in nh:
            flag(f"pre-commit hook `{ident}`: `entry` changed to {nh.get('entry')!r}", "entry:")
        if nh.get("language") == "fail" and oh.get("language") != "fail":
            flag(f"pre-commit hook `{ident}`: language set to `fail`", "language:")
        old_args = [str(a) for a in oh.get("args") or []]
        new_args = [str(a) for a in nh.get("args") or []]
        added = [a for a in new_args if a not in old_args and not _SAFE_ARGS.match(a)]
        if added:
            flag(f"pre-commit hook `{ident}`: args gain {' '.join(added)}", added[0])
    skip_old = set(_strings(_get(old, "ci", "skip", default=[])))
    for ident in _strings(_get(new, "ci", "skip", default=[])):
        if ident not in skip_old and any(ident == k.rstrip("'") for k in old_hooks):
            flag(f"pre-commit.ci told to skip `{ident}`", "skip")
    for field_name in ("exclude", "files"):
        if new.get(field_name) != old.get(field_name) and new.get(field_name) not in (None, ""):
            flag(f"global `{field_name}` of .pre-commit-config.yaml changed to {new.get(field_name)!r}",
                 f"{field_name}:")
    return out


# --- ruff / bandit / flake8 / semgrep -----------------------------------------------------------

_S_CODE = re.compile(r"^(S\d*|ALL)$")


def _ruff_tables(data: dict, name: str) -> list[dict]:
    root = _get(data, "tool", "ruff", default={}) if name == "pyproject.toml" else data
    if not isinstance(root, dict):
        return []
    lint = root.get("lint", {})
    return [root, lint if isinstance(lint, dict) else {}]


def _ruff(old_text, new_text, name) -> list[tuple[int, str]]:
    old, new = _toml(old_text), _toml(new_text)
    if not isinstance(old, dict) or not isinstance(new, dict):
        return []
    olds, news = _ruff_tables(old, name), _ruff_tables(new, name)
    if not olds or not news:
        return []
    out = []

    def values(tables, key) -> set[str]:
        return {v for t in tables for v in _strings(t.get(key, []))}

    def pfi(tables) -> dict[str, set[str]]:
        merged: dict[str, set[str]] = {}
        for t in tables:
            for key in ("per-file-ignores", "extend-per-file-ignores"):
                table = t.get(key, {})
                if isinstance(table, dict):
                    for glob, codes in table.items():
                        merged.setdefault(glob, set()).update(_strings(codes))
        return merged

    for key in ("ignore", "extend-ignore"):
        more = {c for c in values(news, key) - values(olds, key) if _S_CODE.match(c)}
        if more:
            out.append((_line_of(new_text, key), f"ruff `{key}` gains security codes {', '.join(sorted(more))}"))
    old_pfi = pfi(olds)
    for glob, codes in pfi(news).items():
        more = {c for c in codes - old_pfi.get(glob, set()) if _S_CODE.match(c)}
        if more:
            out.append((_line_of(new_text, glob), f"ruff per-file-ignores[{glob!r}] gains {', '.join(sorted(more))}"))
    for key in ("select", "extend-select"):
        gone = {c for c in values(olds, key) - values(news, key) if _S_CODE.match(c)}
        if gone and not ({c for c in values(news, "select") | values(news, "extend-select") if _S_CODE.match(c)}
                         >= gone):
            out.append((_line_of(new_text, key), f"ruff `{key}` drops {', '.join(sorted(gone))}"))
    selects_security = any(_S_CODE.match(c) for c in values(olds, "select") | values(olds, "extend-select"))
    if selects_security:
        for key in ("exclude", "extend-exclude"):
            more = values(news, key) - values(olds, key)
            if more:
                out.append((_line_of(new_text, key), f"ruff `{key}` gains {', '.join(sorted(more)[:5])} "
                                                     "(security rules stop seeing those files)"))
    return out


def _bandit_settings(text: str | None, name: str) -> dict | None:
    if name == "pyproject.toml":
        data = _toml(text)
        return _get(data, "tool", "bandit", default={}) if isinstance(data, dict) else None
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
    data = _yaml(text)
    if data is None and text is not None and not text.strip():
        return {}  # an empty file configures nothing
    return data if isinstance(data, dict) else None


def _bandit(old_text, new_text, name) -> list[tuple[int, str]]:
    old, new = _bandit_settings(old_text, name), _bandit_settings(new_text, name)
    if not isinstance(old, dict) or not isinstance(new, dict):
        return []
    out = []
    for key in ("skips", "exclude_dirs", "exclude"):
        more = [v for v in _strings(new.get(key, [])) if v not in _strings(old.get(key, []))]
        if more:
            out.append((_line_of(new_text, key), f"bandit `{key}` gains {', '.join(more[:6])}"))
    old_tests, new_tests = set(_strings(old.get("tests", []))), set(_strings(new.get("tests", [])))
    if new_tests and (not old_tests or old_tests - new_tests):
        out.append((_line_of(new_text, "tests"), "bandit `tests` narrowed to " + ", ".join(sorted(new_tests)[:6])))
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
        out.append((_line_of(new_text, "ignore"), f"flake8 ignores security codes {', '.join(sorted(new_ignored - old_ignored))}"))
    for glob, cs in new_pf.items():
        if cs - old_pf.get(glob, set()):
            out.append((_line_of(new_text, glob), f"flake8 per-file-ignores[{glob!r}] gains {', '.join(sorted(cs))}"))
    return out


def _semgrepignore(old_text, new_text) -> list[tuple[int, str]]:
    def entries(text):
        return [line.strip() for line in (text or "").splitlines() if line.strip() and not line.startswith("#")]

    old = entries(old_text)
    more = [e for e in entries(new_text) if e not in old]
    return [(_line_of(new_text, more[0]), f".semgrepignore gains {', '.join(more[:5])}")] if more else []


# --- CI ----------------------------------------------------------------------------------------

_WEAKEN_KEYS = ("if", "continue-on-error", "allow_failure", "when", "rules", "only", "except", "needs", "on")
_WEAKEN_FLAGS = re.compile(r"(--exit-zero|--ignore\b|--select\b|--no-baseline|--baseline\b|--config\b|"
                           r"\|\|\s*(true|exit 0|:)\b|;\s*(true|exit 0)\s*$|" + OVERRIDE_VARIABLE + ")")


def _guard_units(doc) -> dict[str, tuple[dict, list[dict]]]:
    """Mappings (steps/jobs) whose own string values run backdoor-lint, keyed by a stable path,
    with their ancestor mappings (job, workflow)."""
    units: dict[str, tuple[dict, list[dict]]] = {}
    budget = [MAX_NODES]
    seen: set[int] = set()

    def label(item, index) -> str:
        if isinstance(item, dict):
            for key in ("id", "name"):
                if isinstance(item.get(key), str):
                    return item[key]
        return str(index)

    def walk(node, path: str, ancestors: list[dict]) -> None:
        budget[0] -= 1
        if budget[0] < 0 or id(node) in seen:
            return
        if isinstance(node, (dict, list)):
            seen.add(id(node))
        if isinstance(node, dict):
            own = " ".join(s for v in node.values() for s in _strings(v))
            if GUARD.search(own):
                units[path] = (node, list(ancestors))
            for key, value in node.items():
                if isinstance(value, (dict, list)):
                    walk(value, f"{path}/{key}", [*ancestors, node])
        elif isinstance(node, list):
            for index, item in enumerate(node):
                walk(item, f"{path}[{label(item, index)}]", ancestors)

    walk(doc, "", [])
    return units


def _command_text(node: dict) -> str:
    """What the unit runs, without its display name or id (renaming a step does not remove it)."""
    return " ".join(s for k, v in node.items() if k not in ("name", "id") for s in _strings(v))


def _ci(old_text: str | None, new_text: str | None) -> list[tuple[int, str]]:
    old = _yaml(old_text)
    old_units = _guard_units(old) if isinstance(old, (dict, list)) else {}
    out: list[tuple[int, str]] = []
    # A new CI file cannot switch off the existing ones, so only an existing file gaining it counts.
    if old_text is not None and new_text is not None and OVERRIDE_VARIABLE in new_text \
            and OVERRIDE_VARIABLE not in old_text:
        out.append((_line_of(new_text, OVERRIDE_VARIABLE), f"CI configuration starts setting {OVERRIDE_VARIABLE}"))
    if not old_units:
        return out
    if new_text is None:
        return out + [(1, "CI configuration that runs backdoor-lint deleted")]
    new = _yaml(new_text)
    if not isinstance(new, (dict, list)):
        return out + [(1, "CI configuration that runs backdoor-lint can no longer be parsed")]
    new_units = _guard_units(new)
    unmatched_new = {k: v for k, v in new_units.items() if k not in old_units}
    for key, (node, ancestors) in old_units.items():
        match = new_units.get(key)
        if match is None:  # renamed or moved: the same command elsewhere
            text = _command_text(node)
            other = next((k for k, (n, _) in unmatched_new.items() if _command_text(n) == text), None)
            if other is None:
                out.append((1, f"CI step running backdoor-lint removed ({key.strip('/') or 'top level'})"))
                continue
            match = unmatched_new.pop(other)
        new_node, new_ancestors = match
        for where, (before, after) in enumerate(zip([node, *reversed(ancestors)], [new_node, *reversed(new_ancestors)])):
            for field_name in _WEAKEN_KEYS:
                if field_name == "on" and where == 0 or field_name == "needs":
                    continue
                if _field(after, field_name) != _field(before, field_name) and _has(after, field_name):
                    value = _field(after, field_name)
                    if field_name in ("continue-on-error", "allow_failure") and value in (False, "false"):
                        continue
                    if field_name == "on" and _triggers(value) >= _triggers(_field(before, field_name)):
                        continue
                    scope = "step/job running backdoor-lint" if where == 0 else "enclosing job/workflow"
                    out.append((_line_of(new_text, f"{field_name}:"), f"CI {scope}: `{field_name}` changed to "
                                                                       f"{str(value)[:80]!r}"))
        old_cmd, new_cmd = _command_text(node), _command_text(new_node)
        weakened = {m.group(0) for m in _WEAKEN_FLAGS.finditer(new_cmd)} - \
            {m.group(0) for m in _WEAKEN_FLAGS.finditer(old_cmd)}
        if weakened:
            out.append((_line_of(new_text, *sorted(weakened)), f"CI backdoor-lint command gains "
                                                               f"{', '.join(sorted(weakened))}"))
    return out


def _has(node: dict, name: str) -> bool:
    return name in node or (name == "on" and True in node)  # YAML 1.1 reads a bare `on:` key as True


def _field(node: dict, name: str):
    if name == "on" and "on" not in node:
        return node.get(True)
    return node.get(name)


def _triggers(value) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, list):
        return set(_strings(value))
    if isinstance(value, dict):
        return {str(k) for k in value}
    return set()
