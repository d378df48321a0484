"""Reading the files that configure the guard: TOML and YAML with real parsers (bounded), the
backdoor-lint table of a config file, and where in a file a setting sits. Shared by every BDL8xx
check, for `scan --staged`/`--diff` and for the agent hook alike."""
from __future__ import annotations

import re
import sys
from pathlib import Path

MAX_CONFIG_BYTES = 2_000_000
MAX_NODES = 200_000  # walks over parsed YAML stop here (aliases make graphs, not trees)
GUARD = re.compile(r"backdoor[-_]lint", re.IGNORECASE)


def decode_text(data: bytes | None) -> str | None:
    if data is None:
        return None
    return data.decode("utf-8", "replace")


def display_of(changes, relpath: str, cwd: Path) -> str:
    """A repository path as the reports show it: relative to the working directory if inside it."""
    full = changes.top / relpath
    try:
        return full.relative_to(cwd).as_posix()
    except ValueError:
        return full.as_posix()


def config_relative(changes, relpath: str, config) -> str:
    """A repository path relative to the configuration's root (as per-file settings match it)."""
    try:
        return (changes.top / relpath).relative_to(config.root.resolve()).as_posix()
    except ValueError:
        return relpath


def line_of(text: str | None, *needles: str) -> int:
    """The line of the first needle found in `text` (1 when none is)."""
    if not text:
        return 1
    for needle in needles:
        if not needle:
            continue
        index = text.find(needle)
        if index >= 0:
            return text.count("\n", 0, index) + 1
    return 1


def parse_toml(text: str | None) -> dict | None:
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


def parse_yaml(text: str | None):
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


def get_in(table, *keys, default=None):
    """table[k1][k2]... or `default` where a level is missing or not a table."""
    for key in keys:
        if not isinstance(table, dict) or key not in table:
            return default
        table = table[key]
    return table


def strings(value) -> list[str]:
    """The strings of a setting that may be one string or a list."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def backdoor_lint_table(text: str | None, name: str) -> dict | None:
    """The backdoor-lint settings of a config file's text: [tool.backdoor-lint] of a pyproject.toml,
    the whole of a .backdoor-lint.toml; {} for a missing file, None when unreadable."""
    data = parse_toml(text)
    if data is None:
        return None
    table = get_in(data, "tool", "backdoor-lint", default={}) if name == "pyproject.toml" else data
    return table if isinstance(table, dict) else None
