"""CLI glue for adoption: baseline options, changed-lines mode, and the `suppressions`,
`install-git-hook` and `uninstall-git-hook` subcommands. Imported by cli.py; keep imports light."""
from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
from collections import Counter
from pathlib import Path


def _usage_error(message: str) -> Exception:
    from backdoor_lint.cli import UsageError

    return UsageError(message)


# --- baseline ----------------------------------------------------------------------------------

def baseline_path(args, config) -> Path | None:
    if getattr(args, "no_baseline", False):
        return None
    if args.baseline:
        return Path(args.baseline)
    if config.baseline:
        return config.root / config.baseline
    return None


def load_baseline_for(args, config):
    """(path, entries) of the baseline in effect, read before anything is scanned or written."""
    from backdoor_lint.baseline import load_baseline

    path = baseline_path(args, config)
    if path is None:
        return None
    return path, load_baseline(path)


def write_baseline_for(args, config, result) -> int:
    from backdoor_lint.baseline import write_baseline
    from backdoor_lint.cli import EXIT_CLEAN

    path = Path(args.write_baseline)
    count = write_baseline(path, result.findings, config.root.resolve())
    skipped = sum(1 for f in result.findings if f.code in ("BDL803", "BDL902"))
    note = f" ({skipped} analysis failure(s) not recorded: they must be fixed)" if skipped else ""
    print(f"backdoor-lint: wrote {count} finding{'s' if count != 1 else ''} to baseline {path}{note}. "
          "Findings not in it will block; commit the file.", file=sys.stderr)
    return EXIT_CLEAN


def apply_baseline_to(result, baseline, config) -> None:
    from backdoor_lint.baseline import apply_baseline

    path, entries = baseline
    root = config.root.resolve()
    result.findings, result.baseline = apply_baseline(result.findings, entries, root, str(path))
    changes = getattr(result, "changes", None)
    if changes is not None:  # only the changed files were scanned: other entries are not stale
        touched = set()
        for change in changes.files.values():
            for rel in (change.path, change.old_path):
                if rel:
                    try:
                        touched.add((changes.top / rel).relative_to(root).as_posix())
                    except ValueError:
                        touched.add(rel)
        relevant = [e for e in entries if e.path in touched]
        _, whole = apply_baseline(changes.scanned_findings, relevant, root, str(path))
        result.baseline.stale = whole.stale


def _index_blob(top: Path, path: Path) -> tuple[bool, bytes | None]:
    """(inside the repository, staged content or None)."""
    from backdoor_lint.changes import blob

    try:
        rel = Path(os.path.abspath(path)).resolve().relative_to(top).as_posix()
    except ValueError:
        return False, None
    return True, blob(top, f":{rel}")


def _config_from_bytes(data: bytes, path: Path):
    from backdoor_lint.config import ConfigError, config_from_table

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        document = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path} (staged): invalid config: {exc}") from None
    if path.name == "pyproject.toml" or "tool" in document:
        table, origin = document.get("tool", {}).get("backdoor-lint", {}), f"{path} (staged): [tool.backdoor-lint]"
    else:
        table, origin = document, f"{path} (staged)"
    return config_from_table(table, origin=origin, root=path.parent.resolve())


def staged_settings(args, disk_config):
    """For --staged: the configuration and baseline as they are in the index. The working tree may
    hold unstaged edits (a new exclude, a regenerated baseline) that are not part of the commit and
    must not weaken the check of what is committed. Files outside the repository are read from disk."""
    from backdoor_lint.baseline import parse_baseline
    from backdoor_lint.changes import repository_top
    from backdoor_lint.config import apply_cli_overrides, load_config

    top = repository_top(Path.cwd())
    config = None
    if args.config:
        inside, data = _index_blob(top, Path(args.config))
        if inside and data is not None:
            config = _config_from_bytes(data, Path(os.path.abspath(args.config)))
        elif inside:
            raise _usage_error(f"{args.config}: config file is not staged (git add it, or use a config outside "
                               "the repository)")
        else:
            config = load_config(Path(args.config))
    else:
        for directory in (Path.cwd().resolve(), *Path.cwd().resolve().parents):
            if directory != top and top not in directory.parents:
                config = load_config(None, start=directory)  # above the repository: the disk is the truth
                break
            for name in (".backdoor-lint.toml", "pyproject.toml"):
                _, data = _index_blob(top, directory / name)
                if data is None:
                    continue
                if name == "pyproject.toml" and b"backdoor-lint" not in data:
                    continue
                candidate = _config_from_bytes(data, directory / name)
                if name == ".backdoor-lint.toml" or candidate.raw:
                    config = candidate
                    break
            if config is not None:
                break
        if config is None:
            config = load_config(None, start=top)
    apply_cli_overrides(config, args.select, args.ignore)
    path = baseline_path(args, config)
    if path is None:
        return config, None
    inside, data = _index_blob(top, path)
    if not inside:
        return config, load_baseline_for(args, config)
    if data is None:
        print(f"backdoor-lint: baseline {path} is not staged; checking without it (nothing hidden)", file=sys.stderr)
        return config, None
    return config, (path, parse_baseline(data, f"{path} (staged)"))


def scan_changed(args, config, baseline, cache=None, progress=None):
    from backdoor_lint.changes import collect, scan_changes

    changes = collect(args.diff, bool(args.staged))
    baseline_paths: tuple[str, ...] = ()
    if baseline is not None:
        try:
            baseline_paths = (Path(os.path.abspath(baseline[0])).resolve().relative_to(changes.top).as_posix(),)
        except ValueError:
            pass
    return scan_changes(changes, args.paths, config, jobs=args.jobs, baseline_paths=baseline_paths,
                        cache=cache, progress=progress)


# --- reporting helpers shared by the reporters -----------------------------------------------------

def suppression_audit(suppressed) -> dict[str, dict[str, int]]:
    """code -> reason -> count, for every suppression that hid a finding in this run."""
    audit: dict[str, Counter] = {}
    for finding, suppression in suppressed:
        audit.setdefault(finding.code, Counter())[suppression.reason] += 1
    return {code: dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))) for code, reasons in sorted(audit.items())}


def audit_lines(result) -> list[str]:
    """Plain-text lines: suppressions by code with their reasons, baseline and diff notes."""
    from backdoor_lint.baseline import safe_text

    lines = []
    audit = suppression_audit(result.suppressed)
    if audit:
        lines.append(f"suppressions in this run ({len(result.suppressed)}):")
        for code, reasons in audit.items():
            shown = "; ".join(f"{safe_text(reason)!r}" + (f" x{n}" if n > 1 else "") for reason, n in
                              list(reasons.items())[:5])
            more = f"; +{len(reasons) - 5} more reasons" if len(reasons) > 5 else ""
            lines.append(f"  {code} x{sum(reasons.values())}: {shown}{more}")
    outcome = getattr(result, "baseline", None)
    if outcome is not None:
        lines.append(f"baseline {safe_text(outcome.file)}: {outcome.hidden} known finding"
                     f"{'s' if outcome.hidden != 1 else ''} hidden")
        if outcome.stale:
            lines.append(f"  {len(outcome.stale)} baseline entr{'ies' if len(outcome.stale) != 1 else 'y'} no longer "
                         "match (fixed or gone); shrink the baseline with --write-baseline:")
            for entry in outcome.stale[:20]:
                lines.append(f"    {safe_text(entry.path)}:{entry.line}: {entry.code}")
            if len(outcome.stale) > 20:
                lines.append(f"    ... and {len(outcome.stale) - 20} more")
    changes = getattr(result, "changes", None)
    if changes is not None:
        lines.append(f"changed-lines mode: {len(changes.files)} changed file(s) against {safe_text(changes.label)}")
    return lines


def audit_json(result) -> dict:
    data: dict = {"suppressions_by_code": suppression_audit(result.suppressed)}
    outcome = getattr(result, "baseline", None)
    if outcome is not None:
        data["baseline"] = {"file": outcome.file, "hidden": outcome.hidden,
                            "stale": [{"code": e.code, "path": e.path, "line": e.line, "fingerprint": e.fingerprint}
                                      for e in outcome.stale]}
    changes = getattr(result, "changes", None)
    if changes is not None:
        data["changes"] = {"against": changes.label, "staged": changes.staged, "files": sorted(changes.files)}
    return data


# --- `backdoor-lint suppressions` ----------------------------------------------------------------

def _add_suppressions(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.add_argument("--config", metavar="FILE")


def _run_suppressions(args) -> int:
    from backdoor_lint.baseline import safe_text
    from backdoor_lint.cli import EXIT_CLEAN
    from backdoor_lint.config import load_config
    from backdoor_lint.discovery import discover
    from backdoor_lint.engine import decode
    from backdoor_lint.languages import language_for
    from backdoor_lint.suppressions import MARKER, parse_suppressions
    from backdoor_lint.tamper import FOREIGN_TRIGGER, find_foreign

    config = load_config(Path(args.config) if args.config else None)
    targets, _ = discover(args.paths, config)
    ours, invalid, foreign = [], [], []
    for target in targets:
        try:
            with open(target.path, "rb") as handle:
                data = handle.read(config.max_file_size + 1)
        except OSError:
            continue
        has_marker, has_foreign = MARKER in data, FOREIGN_TRIGGER.search(data) is not None
        if not (has_marker or has_foreign):
            continue
        language = language_for(target.display, data[:8192])
        if language == "binary":
            continue
        text, _ = decode(data, language)
        if text is None:
            continue
        if has_marker:
            valid, bad = parse_suppressions(text, target.display, config.unsuppressible)
            ours += [{"path": target.display, "line": s.line, "codes": sorted(s.codes), "reason": s.reason}
                     for s in valid]
            invalid += [{"path": f.path, "line": f.line, "problem": f.message} for f in bad]
        if has_foreign:
            foreign += [{"path": target.display, "line": line, "tool": tool, "comment": comment}
                        for line, _, tool, comment in find_foreign(text, language == "python")]
    by_code = Counter(code for s in ours for code in s["codes"])
    if args.format == "json":
        document = {"suppressions": ours, "invalid": invalid, "foreign": foreign,
                    "by_code": dict(sorted(by_code.items()))}
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return EXIT_CLEAN
    out = []
    for s in ours:
        out.append(f"{s['path']}:{s['line']}: {','.join(s['codes'])}  {safe_text(s['reason'])}")
    for s in invalid:
        out.append(f"{s['path']}:{s['line']}: BDL801 (invalid, suppresses nothing)  {s['problem']}")
    for s in foreign:
        out.append(f"{s['path']}:{s['line']}: foreign ({s['tool']})  {safe_text(s['comment'])}")
    counts = ", ".join(f"{code} x{n}" for code, n in sorted(by_code.items())) or "none"
    out.append(f"backdoor-lint: {len(ours)} suppression{'s' if len(ours) != 1 else ''} ({counts}); "
               f"{len(invalid)} invalid; {len(foreign)} foreign security suppression{'s' if len(foreign) != 1 else ''}"
               f" in {len(targets)} files.")
    sys.stdout.write("\n".join(out) + "\n")
    return EXIT_CLEAN


# --- plain git hook ----------------------------------------------------------------------------

HOOK_MARKER = "# backdoor-lint git hook v1"


def hook_script() -> str:
    python = shlex.quote(sys.executable)
    return f"""#!/bin/sh
{HOOK_MARKER} (installed by `backdoor-lint install-git-hook`; remove with `backdoor-lint uninstall-git-hook`)
# Scans what is about to be committed (the staged content, changed lines only) and blocks the commit
# on blocking findings. A person who must change the guard's own configuration sets
# BACKDOOR_LINT_ALLOW_GUARD_CHANGE=1 for that one commit (refused inside coding-agent sessions).
if [ -x {python} ]; then
    exec {python} -m backdoor_lint scan --staged
fi
if command -v backdoor-lint >/dev/null 2>&1; then
    exec backdoor-lint scan --staged
fi
echo "backdoor-lint: not installed any more; commit blocked. Reinstall it, or remove this hook with" >&2
echo "  backdoor-lint uninstall-git-hook (or delete $0)" >&2
exit 1
"""


def hooks_dir(start: Path | None = None) -> Path:
    start = start or Path.cwd()
    try:
        proc = subprocess.run(["git", "rev-parse", "--git-path", "hooks"], cwd=start, capture_output=True,
                              timeout=60, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        raise _usage_error(f"cannot run git: {exc}") from None
    if proc.returncode != 0:
        raise _usage_error(f"{start}: not inside a git repository")
    path = Path(os.fsdecode(proc.stdout.strip()))
    return (start / path).resolve() if not path.is_absolute() else path


def _add_install(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true",
                        help="replace an existing foreign pre-commit hook (it is kept as pre-commit.backdoor-lint-backup)")


def _run_install(args) -> int:
    from backdoor_lint.cli import EXIT_CLEAN, EXIT_ERROR

    directory = hooks_dir()
    hook = directory / "pre-commit"
    backup = directory / "pre-commit.backdoor-lint-backup"
    if os.path.lexists(hook):
        current = _read(hook)
        if HOOK_MARKER not in current:
            if not args.force:
                kind = "pre-commit framework" if "pre-commit" in current and "INSTALL_PYTHON" in current else "foreign"
                print(f"backdoor-lint: error: {hook} exists and is a {kind} hook; not overwriting it. Use the "
                      "pre-commit hook id `backdoor-lint-diff` instead, or pass --force (the old hook is kept as "
                      f"{backup.name}).", file=sys.stderr)
                return EXIT_ERROR
            if os.path.lexists(backup):
                print(f"backdoor-lint: error: {backup} already exists; move it away first", file=sys.stderr)
                return EXIT_ERROR
            os.replace(hook, backup)
    directory.mkdir(parents=True, exist_ok=True)
    tmp = directory / f".pre-commit.{os.getpid()}.tmp"
    tmp.write_text(hook_script(), encoding="utf-8")
    tmp.chmod(0o755)
    os.replace(tmp, hook)
    print(f"backdoor-lint: installed {hook} (runs `backdoor-lint scan --staged` before each commit)")
    return EXIT_CLEAN


def _add_uninstall(parser: argparse.ArgumentParser) -> None:
    pass


def _run_uninstall(args) -> int:
    from backdoor_lint.cli import EXIT_CLEAN, EXIT_ERROR

    directory = hooks_dir()
    hook = directory / "pre-commit"
    backup = directory / "pre-commit.backdoor-lint-backup"
    if not os.path.lexists(hook):
        print(f"backdoor-lint: no hook at {hook}; nothing to do")
        return EXIT_CLEAN
    if HOOK_MARKER not in _read(hook):
        print(f"backdoor-lint: error: {hook} was not installed by backdoor-lint; leaving it alone", file=sys.stderr)
        return EXIT_ERROR
    hook.unlink()
    if os.path.lexists(backup):
        os.replace(backup, hook)
        print(f"backdoor-lint: removed the backdoor-lint hook and restored the previous {hook}")
    else:
        print(f"backdoor-lint: removed {hook}")
    return EXIT_CLEAN


def _read(path: Path) -> str:
    try:
        with open(path, "rb") as handle:
            return handle.read(1_000_000).decode("utf-8", "replace")
    except OSError:
        return ""


COMMANDS = {
    "suppressions": ("list every suppression (ours with codes and reasons, invalid ones, and other tools' "
                     "security suppressions)", _add_suppressions, _run_suppressions),
    "install-git-hook": ("install a plain .git/hooks/pre-commit that runs the staged scan", _add_install, _run_install),
    "uninstall-git-hook": ("remove the hook installed by install-git-hook", _add_uninstall, _run_uninstall),
}
