"""Configuration: `[tool.backdoor-lint]` in pyproject.toml, or `.backdoor-lint.toml`.

Every key is declared once in KEYS; an unknown key, a wrong type or an unknown rule code is a
ConfigError (exit 2) naming the file and the key, never a silently ignored setting.
"""
from __future__ import annotations

import fnmatch
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from backdoor_lint.catalogue import BLOCK, SEVERITIES, WARN, all_rules, expand_codes

MAX_CONFIG_BYTES = 1_000_000

# key -> (expected python type, default, description). The README documents these.
KEYS: dict[str, tuple[type, object, str]] = {
    "select": (list, ["BDL"], "codes or prefixes to enable (default: all)"),
    "ignore": (list, [], "codes or prefixes to disable"),
    "per-file-ignores": (dict, {}, "glob -> list of codes disabled in matching files"),
    "severity": (dict, {}, "code -> 'block' or 'warn', overriding the rule's default"),
    "exclude": (list, [], "globs of paths not to scan (on top of .gitignore)"),
    "fail-on": (str, BLOCK, "'block' (default): only blocking findings fail; 'warn': any finding fails"),
    "max-file-size": (int, 5_000_000, "files larger than this many bytes are skipped with BDL903"),
    "unsuppressible": (list, [], "codes or prefixes that inline suppressions cannot hide (BDL801 and BDL803 always)"),
    "baseline": (str, "", "baseline file (relative to this config file) whose findings are hidden; see --write-baseline"),
    "semgrep": (bool, True, "run the bundled semgrep rules (JS/TS, Go, Java, workflows, Dockerfile, "
                            "package.json install hooks); false skips those rules"),
    "timeout": (int, 60, "seconds one file may take before its analysis is abandoned with BDL902"),
    "allowed-hosts": (list, [], "hosts outbound calls may reach (BDL406; '*.example.com' for subdomains); "
                      "empty: BDL406 is off"),
}

# Codes no inline comment can ever suppress, whatever the configuration says.
ALWAYS_UNSUPPRESSIBLE = frozenset({"BDL801", "BDL803"})


class ConfigError(Exception):
    """A configuration problem; the message names the file and the key."""


@dataclass
class Config:
    select: set[str] = field(default_factory=lambda: set(all_rules()))
    ignore: set[str] = field(default_factory=set)
    per_file_ignores: list[tuple[str, Glob, frozenset[str]]] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    exclude: list[tuple[str, Glob]] = field(default_factory=list)
    fail_on: str = BLOCK
    max_file_size: int = 5_000_000
    unsuppressible: frozenset[str] = ALWAYS_UNSUPPRESSIBLE
    baseline: str = ""
    semgrep: bool = True
    timeout: int = 60
    allowed_hosts: list[str] = field(default_factory=list)
    root: Path = field(default_factory=Path.cwd)
    source: str = "(defaults)"
    raw: dict = field(default_factory=dict)

    def enabled(self, code: str) -> bool:
        return code in self.select and code not in self.ignore

    def enabled_for(self, relpath: str, code: str) -> bool:
        if not self.enabled(code):
            return False
        return not any(code in codes and rx.match(relpath) for _, rx, codes in self.per_file_ignores)

    def severity_of(self, code: str, default: str) -> str:
        return self.severity.get(code, default)

    def is_excluded(self, relpath: str) -> bool:
        return any(rx.match(relpath) for _, rx in self.exclude)

    def fails(self, severity: str) -> bool:
        return severity == BLOCK or (self.fail_on == WARN and severity == WARN)

    def digest(self) -> str:
        """A hash of the effective settings, for cache keys."""
        state = {
            "select": sorted(self.select),
            "ignore": sorted(self.ignore),
            "pfi": [(p, sorted(c)) for p, _, c in self.per_file_ignores],
            "severity": self.severity,
            "max": self.max_file_size,
            "unsuppressible": sorted(self.unsuppressible),
            "semgrep": self.semgrep,
            "allowed-hosts": self.allowed_hosts,
        }
        import hashlib  # here: the agent hook's start-up does not pay for it

        return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()[:16]


def check_pattern(pattern: str, origin: str, key: str) -> None:
    """Config globs name paths inside the repository: no `..` segments, no NUL (issue 9)."""
    parts = pattern.replace("\\", "/").split("/")
    if ".." in parts or "\0" in pattern or len(pattern) > 1024:
        raise ConfigError(f"{origin}: {key} pattern {pattern[:80]!r} escapes the repository or is malformed; "
                          "patterns are relative to the config's directory")
    if sum(pattern.count(c) for c in "*?") > 16:  # each wildcard multiplies regex backtracking
        raise ConfigError(f"{origin}: {key} pattern {pattern[:80]!r} has more than 16 wildcards")


class Glob:
    """A compiled config glob with a regex-like `.match(relpath)`. Matching goes segment by
    segment (fnmatch's backtracking-free translation within a segment, a small table for `**`), so
    a hostile pattern cannot make matching exponential as one big regex could (issue 9)."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        text = pattern.strip().replace("\\", "/")
        anchored = "/" in text.rstrip("/")
        segments: list[str] = []
        for segment in text.strip("/").split("/"):
            if segment and not (segment == "**" and segments[-1:] == ["**"]):
                segments.append(segment)
        if not anchored and segments[:1] != ["**"]:
            segments.insert(0, "**")
        self.parts: list[re.Pattern | None] = [
            None if s == "**" else re.compile(fnmatch.translate(re.sub(r"\*{2,}", "*", s))) for s in segments
        ]

    def match(self, relpath: str) -> bool:
        """True if the pattern matches the path or one of its parent directories."""
        names = relpath.split("/")
        parts = self.parts
        seen: dict[tuple[int, int], bool] = {}
        stack = [(0, 0)]
        while stack:  # reachability over (pattern part, path segment): O(parts x segments)
            i, j = stack.pop()
            if (i, j) in seen:
                continue
            seen[(i, j)] = True
            if i == len(parts):
                if j > 0:
                    return True
                continue
            if parts[i] is None:
                stack.append((i + 1, j))
                if j < len(names):
                    stack.append((i, j + 1))
            elif j < len(names) and parts[i].match(names[j]):
                stack.append((i + 1, j + 1))
        return False


def glob_to_regex(pattern: str) -> Glob:
    """gitignore-like glob: `**` spans directories, `*` and `?` stay within one path segment;
    a pattern without `/` matches a file or directory of that name anywhere; a match on a
    directory covers everything below it. (The name is historical: it returns a Glob.)"""
    return Glob(pattern)


def find_config(start: Path) -> Path | None:
    """The nearest `.backdoor-lint.toml`, or pyproject.toml with a [tool.backdoor-lint] table,
    from `start` upwards."""
    start = start.resolve()
    for directory in (start, *start.parents):
        candidate = directory / ".backdoor-lint.toml"
        if candidate.is_file():
            return candidate
        candidate = directory / "pyproject.toml"
        if candidate.is_file() and _has_tool_table(candidate):
            return candidate
    return None


def _has_tool_table(pyproject: Path) -> bool:
    try:
        return b"backdoor-lint" in pyproject.read_bytes()[:MAX_CONFIG_BYTES] and "backdoor-lint" in _read_toml(
            pyproject
        ).get("tool", {})
    except ConfigError:
        return True  # let load_config report the broken file instead of skipping it


def toml_module():
    """tomllib (tomli on Python 3.10), imported only when a file is read: an agent-hook call in a
    project without a config file never needs it (issue 17)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    return tomllib


def _read_toml(path: Path) -> dict:
    tomllib = toml_module()
    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            raise ConfigError(f"{path}: config file is larger than {MAX_CONFIG_BYTES} bytes")
        return tomllib.loads(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: config is not valid UTF-8 ({exc.reason} at byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except (RecursionError, MemoryError, ValueError) as exc:  # issue 9: hostile nesting or content
        raise ConfigError(f"{path}: config cannot be read ({type(exc).__name__}: nested too deeply or malformed)") from None


def load_config(path: Path | None, start: Path | None = None) -> Config:
    """Load `path`, or discover a config from `start` (default: cwd). No config means defaults."""
    if path is None:
        path = find_config(start or Path.cwd())
        if path is None:
            return Config(root=(start or Path.cwd()).resolve())
    elif not path.is_file():
        raise ConfigError(f"{path}: config file not found")
    data = _read_toml(path)
    if path.name == "pyproject.toml" or "tool" in data:
        table = data.get("tool", {}).get("backdoor-lint", {})
        origin = f"{path}: [tool.backdoor-lint]"
    else:
        table = data
        origin = str(path)
    return config_from_table(table, origin=origin, root=path.parent.resolve())


def config_from_table(table: dict, origin: str, root: Path) -> Config:
    if not isinstance(table, dict):
        raise ConfigError(f"{origin}: expected a table")
    for key, value in table.items():
        if key not in KEYS:
            raise ConfigError(f"{origin}: unknown key {key!r} (known keys: {', '.join(KEYS)})")
        expected = KEYS[key][0]
        if not isinstance(value, expected) or isinstance(value, bool) and expected is int:
            raise ConfigError(f"{origin}: key {key!r} must be a {expected.__name__}, got {type(value).__name__}")
    config = Config(root=root, source=origin, raw=dict(table))

    def codes(key: str, value: list) -> set[str]:
        if not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{origin}: key {key!r} must be a list of strings")
        try:
            return expand_codes(value, f"{origin}: key {key!r}")
        except ValueError as exc:
            raise ConfigError(str(exc)) from None

    if "select" in table:
        if not table["select"]:
            raise ConfigError(f"{origin}: key 'select' is empty, so nothing would be checked (remove the key to "
                              "check every rule)")
        config.select = codes("select", table["select"])
    if "ignore" in table:
        config.ignore = codes("ignore", table["ignore"])
    _require_a_rule(config, origin)
    for pattern, value in table.get("per-file-ignores", {}).items():
        check_pattern(pattern, origin, "per-file-ignores")
        if not isinstance(value, list):
            raise ConfigError(f"{origin}: per-file-ignores[{pattern!r}] must be a list of codes")
        config.per_file_ignores.append(
            (pattern, glob_to_regex(pattern), frozenset(codes(f"per-file-ignores.{pattern}", value)))
        )
    for code, severity in table.get("severity", {}).items():
        if severity not in SEVERITIES:
            raise ConfigError(f"{origin}: severity[{code!r}] must be 'block' or 'warn', got {severity!r}")
        for expanded in codes(f"severity.{code}", [code]):
            config.severity[expanded] = severity
    for pattern in table.get("exclude", []):
        if not isinstance(pattern, str) or not pattern.strip():
            raise ConfigError(f"{origin}: key 'exclude' must be a list of non-empty strings")
        check_pattern(pattern, origin, "exclude")
        config.exclude.append((pattern, glob_to_regex(pattern)))
    if "fail-on" in table:
        if table["fail-on"] not in SEVERITIES:
            raise ConfigError(f"{origin}: key 'fail-on' must be 'block' or 'warn', got {table['fail-on']!r}")
        config.fail_on = table["fail-on"]
    if "max-file-size" in table:
        if not 0 < table["max-file-size"] <= 2**31 - 1:
            raise ConfigError(f"{origin}: key 'max-file-size' must be between 1 and {2**31 - 1}")
        config.max_file_size = table["max-file-size"]
    if "unsuppressible" in table:
        config.unsuppressible = ALWAYS_UNSUPPRESSIBLE | frozenset(codes("unsuppressible", table["unsuppressible"]))
    if "baseline" in table:
        if not table["baseline"].strip() or "\0" in table["baseline"]:
            raise ConfigError(f"{origin}: key 'baseline' must be a non-empty file path")
        config.baseline = table["baseline"]
    if "semgrep" in table:
        config.semgrep = table["semgrep"]
    if "timeout" in table:
        if not 0 < table["timeout"] <= 86_400:
            raise ConfigError(f"{origin}: key 'timeout' must be between 1 and 86400 seconds")
        config.timeout = table["timeout"]
    if "allowed-hosts" in table:
        hosts = table["allowed-hosts"]
        if not all(isinstance(h, str) and h.strip() for h in hosts):
            raise ConfigError(f"{origin}: key 'allowed-hosts' must be a list of non-empty strings")
        config.allowed_hosts = [h.strip().lower() for h in hosts]
    return config


def apply_cli_overrides(config: Config, select: list[str] | None, ignore: list[str] | None) -> None:
    """`--select` replaces the configured selection; `--ignore` adds to the configured ignores."""
    try:
        if select is not None:
            if not _split(select):
                raise ConfigError("--select: no codes given, so nothing would be checked")
            config.select = expand_codes(_split(select), "--select")
        if ignore:
            config.ignore |= expand_codes(_split(ignore), "--ignore")
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    _require_a_rule(config, "--select/--ignore")


def _require_a_rule(config: Config, origin: str) -> None:
    """A selection that leaves no rule enabled would pass everything: refuse it, never check nothing."""
    if not any(config.enabled(code) for code in all_rules()):
        raise ConfigError(f"{origin}: select and ignore leave no rule enabled, so nothing would be checked")


def _split(values: list[str]) -> list[str]:
    return [part for value in values for part in value.split(",") if part.strip()]
