"""Baselines: accept today's findings, block every new one.

`--write-baseline FILE` records each current finding as (code, path relative to the config root,
site fingerprint, line). The site fingerprint hashes the rule, the path and the whitespace-
normalised text of the site, never the line number, so code that moves keeps its entry.
`--baseline FILE` hides exactly the recorded findings. Identical sites in one file are matched
by count: entries and findings of one fingerprint are paired nearest line first, so a second copy
of an accepted line is reported as new, and the copy that is reported is the one farthest from
where the accepted ones were. Entries that no longer match anything are reported as stale so the
baseline can shrink.

The file is data a change can edit, so it is read defensively: size cap, strict schema, no
NaN/Infinity, no duplicate keys, bounded nesting. Anything else is a BaselineError (exit 2).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from backdoor_lint.catalogue import CODE_RE
from backdoor_lint.files import write_atomically
from backdoor_lint.findings import Finding

FORMAT = "backdoor-lint-baseline"
VERSION = 1
MAX_BYTES = 20_000_000
MAX_ENTRIES = 200_000
MAX_PATH = 4096
# Never hidden by a baseline: an analysis failure, and weakening the guard (a baseline edit could
# otherwise pre-accept its own BDL803).
NEVER_BASELINED = frozenset({"BDL803", "BDL902"})
_FINGERPRINT = re.compile(r"^[0-9a-f]{32}$")
_WS = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")
_ENTRY_KEYS = {"fingerprint", "code", "path", "line", "message"}


class BaselineError(Exception):
    """A baseline file that cannot be trusted; the message names the file and the problem."""


@dataclass(frozen=True)
class Entry:
    fingerprint: str
    code: str
    path: str
    line: int


@dataclass
class BaselineOutcome:
    file: str
    hidden: int = 0
    stale: list[Entry] = field(default_factory=list)


def root_relative(display: str, root: Path) -> str:
    """A finding's path relative to the config root (display paths are relative to the cwd)."""
    path = Path(display)
    if not path.is_absolute():
        path = Path.cwd() / path
    try:
        return Path(os.path.normpath(path)).relative_to(root).as_posix()
    except ValueError:
        return Path(os.path.normpath(path)).as_posix()


def site_fingerprint(finding: Finding, relpath: str) -> str:
    """rule + path + normalised site text. Without a snippet, the message with its numbers blanked
    (messages of core findings such as BDL903 carry sizes or line numbers)."""
    site = _WS.sub(" ", finding.snippet).strip() or _DIGITS.sub("#", finding.message)
    return hashlib.sha256("\0".join((finding.code, relpath, site)).encode()).hexdigest()[:32]


def write_baseline(path: Path, findings: list[Finding], root: Path) -> int:
    """Write every finding (except NEVER_BASELINED codes) to `path` atomically; returns the count."""
    entries = []
    for f in findings:
        if f.code in NEVER_BASELINED:
            continue
        rel = root_relative(f.path, root)
        entries.append({"fingerprint": site_fingerprint(f, rel), "code": f.code, "path": rel, "line": f.line,
                        "message": f.message[:200]})
    entries.sort(key=lambda e: (e["path"], e["line"], e["code"], e["fingerprint"]))
    body = ",\n".join("    " + json.dumps(e, ensure_ascii=False, sort_keys=True) for e in entries)
    text = (f'{{\n  "format": "{FORMAT}",\n  "version": {VERSION},\n  "findings": [\n{body}\n  ]\n}}\n'
            if entries else f'{{\n  "format": "{FORMAT}",\n  "version": {VERSION},\n  "findings": []\n}}\n')
    try:
        write_atomically(path, text)
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write baseline: {exc.strerror or exc}") from None
    return len(entries)


def _reject_constant(name: str):
    raise ValueError(f"{name} is not allowed")


def _no_duplicates(pairs: list) -> dict:
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate key in object")
    return dict(pairs)


def parse_baseline(data: bytes, name: str) -> list[Entry]:
    """Validate and parse baseline bytes; BaselineError on anything unexpected."""
    if len(data) > MAX_BYTES:
        raise BaselineError(f"{name}: baseline is larger than {MAX_BYTES} bytes; refusing to read it")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BaselineError(f"{name}: baseline is not valid UTF-8 ({exc.reason} at byte {exc.start})") from None
    # Nesting deeper than the schema needs is rejected before the parser sees it.
    depth = max_depth = 0
    for char in re.sub(r'"(?:[^"\\]|\\.)*"', "", text):
        if char in "[{":
            depth += 1
            max_depth = max(max_depth, depth)
            if max_depth > 8:
                raise BaselineError(f"{name}: baseline is nested too deeply; not a backdoor-lint baseline")
        elif char in "]}":
            depth -= 1
    try:
        document = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicates)
    except (ValueError, RecursionError) as exc:
        raise BaselineError(f"{name}: baseline is not valid JSON: {exc}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BaselineError(f"{name}: not a backdoor-lint baseline (expected \"format\": \"{FORMAT}\"); "
                            "create one with --write-baseline")
    if document.get("version") != VERSION or isinstance(document.get("version"), bool):
        raise BaselineError(f"{name}: unsupported baseline version {document.get('version')!r} (expected {VERSION})")
    if set(document) - {"format", "version", "findings"}:
        raise BaselineError(f"{name}: unexpected keys {sorted(set(document) - {'format', 'version', 'findings'})}")
    findings = document.get("findings")
    if not isinstance(findings, list):
        raise BaselineError(f"{name}: \"findings\" must be a list")
    if len(findings) > MAX_ENTRIES:
        raise BaselineError(f"{name}: baseline has {len(findings)} entries, more than {MAX_ENTRIES}")
    entries = []
    for index, item in enumerate(findings):
        where = f"{name}: findings[{index}]"
        if not isinstance(item, dict) or set(item) - _ENTRY_KEYS or not {"fingerprint", "code", "path", "line"} <= set(item):
            raise BaselineError(f"{where}: expected an object with fingerprint, code, path, line")
        fp, code, path, line = item["fingerprint"], item["code"], item["path"], item["line"]
        if not isinstance(fp, str) or not _FINGERPRINT.match(fp):
            raise BaselineError(f"{where}: fingerprint must be 32 lowercase hex digits")
        if not isinstance(code, str) or not CODE_RE.match(code):
            raise BaselineError(f"{where}: code must look like BDL123")
        if not isinstance(path, str) or not path or len(path) > MAX_PATH or any(ord(c) < 32 for c in path):
            raise BaselineError(f"{where}: path must be a non-empty string without control characters")
        if not isinstance(line, int) or isinstance(line, bool) or not 1 <= line <= 10**9:
            raise BaselineError(f"{where}: line must be a positive integer")
        if "message" in item and not isinstance(item["message"], str):
            raise BaselineError(f"{where}: message must be a string")
        entries.append(Entry(fp, code, path, line))
    return entries


def load_baseline(path: Path) -> list[Entry]:
    try:
        if not path.is_file():
            raise BaselineError(f"{path}: baseline file not found (create it with --write-baseline {path})")
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
    return parse_baseline(data, str(path))


def apply_baseline(findings: list[Finding], entries: list[Entry], root: Path,
                   name: str) -> tuple[list[Finding], BaselineOutcome]:
    """(findings not in the baseline, outcome with the hidden count and the stale entries)."""
    outcome = BaselineOutcome(file=name)
    by_fp: dict[str, list[Entry]] = {}
    for entry in entries:
        by_fp.setdefault(entry.fingerprint, []).append(entry)
    groups: dict[str, list[Finding]] = {}
    kept: list[Finding] = []
    for finding in findings:
        if finding.code in NEVER_BASELINED:
            kept.append(finding)
            continue
        groups.setdefault(site_fingerprint(finding, root_relative(finding.path, root)), []).append(finding)
    for fp, group in groups.items():
        accepted = by_fp.pop(fp, [])
        if len(group) * len(accepted) <= 250_000:
            pairs = sorted((abs(f.line - e.line), i, j) for i, f in enumerate(group) for j, e in enumerate(accepted))
        else:  # very many identical sites: pair them in line order instead of by distance
            pairs = [(0, i, j) for i, j in zip(sorted(range(len(group)), key=lambda k: group[k].line),
                                                 sorted(range(len(accepted)), key=lambda k: accepted[k].line))]
        used_f: set[int] = set()
        used_e: set[int] = set()
        for _, i, j in pairs:
            if i not in used_f and j not in used_e:
                used_f.add(i)
                used_e.add(j)
        outcome.hidden += len(used_f)
        kept += [f for i, f in enumerate(group) if i not in used_f]
        outcome.stale += [e for j, e in enumerate(accepted) if j not in used_e]
    for rest in by_fp.values():
        outcome.stale += rest
    outcome.stale.sort(key=lambda e: (e.path, e.line, e.code))
    kept.sort(key=Finding.sort_key)
    return kept, outcome


def entry_counts(entries: list[Entry]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry.fingerprint] = counts.get(entry.fingerprint, 0) + 1
    return counts


def safe_text(text: str) -> str:
    """Text from a baseline (an editable file) made safe for a terminal or a log."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)
