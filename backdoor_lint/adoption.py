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

from backdoor_lint.errors import EXIT_CLEAN, EXIT_ERROR, UsageError

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
    """The baseline in effect (policy.Baseline), read before anything is scanned or written."""
    from backdoor_lint.baseline import load_baseline
    from backdoor_lint.policy import Baseline

    path = baseline_path(args, config)
    if path is None:
        return None
    return Baseline(str(path), load_baseline(path))


def write_baseline_for(args, config, result) -> int:
    from backdoor_lint.baseline import write_baseline

    path = Path(args.write_baseline)
    count = write_baseline(path, result.findings, config.root.resolve())
    skipped = sum(1 for f in result.findings if f.code in ("BDL803", "BDL902"))
    note = f" ({skipped} analysis failure(s) not recorded: they must be fixed)" if skipped else ""
    written = Path(os.path.abspath(path))
    print(f"backdoor-lint: wrote {count} finding{'s' if count != 1 else ''} to baseline {written}{note}.",
          file=sys.stderr)
    print(f"backdoor-lint: {_baseline_in_effect(written, config)}", file=sys.stderr)
    return EXIT_CLEAN


def _baseline_in_effect(written: Path, config) -> str:
    """Whether later scans will read the file just written, and if not, how to make them."""
    if config.baseline:
        configured = Path(os.path.abspath(config.root / config.baseline))
        if configured.resolve() == written.resolve():
            return (f"it is the configured baseline (`baseline = \"{config.baseline}\"` in {config.source}): "
                    "findings not in it will block; commit the file.")
        return (f"note: the configured baseline is {configured} (`baseline` in {config.source}), not this file; "
                f"this file has no effect unless a scan is given --baseline {written}.")
    try:
        relative = written.relative_to(config.root.resolve()).as_posix()
    except ValueError:
        relative = str(written)
    where = config.source if config.source != "(defaults)" else f"a new file {config.root / '.backdoor-lint.toml'}"
    return (f"note: no `baseline` is configured, so this file has no effect yet. Add `baseline = \"{relative}\"` "
            f"to {where} and commit both, or pass --baseline {written} to each scan.")


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


def staged_settings(args):
    """For --staged: the configuration and baseline as they are in the index. The working tree may
    hold unstaged edits (a new exclude, a regenerated baseline) that are not part of the commit and
    must not weaken the check of what is committed. Files outside the repository are read from disk."""
    from backdoor_lint.baseline import parse_baseline
    from backdoor_lint.changes import repository_top
    from backdoor_lint.config import apply_cli_overrides, load_config
    from backdoor_lint.policy import Baseline

    top = repository_top(Path.cwd())
    config = None
    if args.config:
        inside, data = _index_blob(top, Path(args.config))
        if inside and data is not None:
            config = _config_from_bytes(data, Path(os.path.abspath(args.config)))
        elif inside:
            raise UsageError(f"{args.config}: config file is not staged (git add it, or use a config outside "
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
    return config, Baseline(str(path), parse_baseline(data, f"{path} (staged)"))


def scan_changed(args, config, baseline, cache=None, progress=None):
    from backdoor_lint.changes import collect, scan_changes

    changes = collect(args.diff, bool(args.staged))
    baseline_paths: tuple[str, ...] = ()
    if baseline is not None:
        try:
            baseline_paths = (Path(os.path.abspath(baseline.file)).resolve().relative_to(changes.top).as_posix(),)
        except ValueError:
            pass
    return scan_changes(changes, args.paths, config, jobs=args.jobs, baseline_paths=baseline_paths,
                        cache=cache, progress=progress, baseline=baseline)


# --- `backdoor-lint suppressions` ----------------------------------------------------------------

def _add_suppressions(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.add_argument("--config", metavar="FILE")


def _run_suppressions(args) -> int:
    from backdoor_lint.baseline import safe_text
    from backdoor_lint.config import load_config
    from backdoor_lint.discovery import discover
    from backdoor_lint.engine import decode
    from backdoor_lint.foreign_suppressions import FOREIGN_TRIGGER, find_foreign
    from backdoor_lint.languages import language_for
    from backdoor_lint.suppressions import MARKER, parse_suppressions

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
        raise UsageError(f"cannot run git: {exc}") from None
    if proc.returncode != 0:
        raise UsageError(f"{start}: not inside a git repository")
    path = Path(os.fsdecode(proc.stdout.strip()))
    return (start / path).resolve() if not path.is_absolute() else path


def _add_install(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true",
                        help="replace an existing foreign pre-commit hook (it is kept as pre-commit.backdoor-lint-backup)")


def _run_install(args) -> int:
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
