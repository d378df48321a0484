"""The `backdoor-lint` command line. Exit codes: 0 nothing blocking, 1 blocking findings,
2 usage, config or internal error (never "clean" after an error)."""
from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

from backdoor_lint import __version__
from backdoor_lint.errors import EXIT_BLOCKED, EXIT_CLEAN, EXIT_ERROR, UsageError

if TYPE_CHECKING:
    import argparse


def _add_scan(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files or directories (default: .)")
    parser.add_argument("--format", choices=["text", "json", "sarif", "github", "gitlab"], default="text",
                        help="gitlab: GitLab code-quality JSON")
    parser.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of stdout (through a symlink to its target; - or /dev/stdout: stdout, /dev/stderr: stderr; devices, FIFOs and sockets are refused)")
    parser.add_argument("--select", action="append", metavar="CODES",
                        help="only these codes or prefixes (comma-separated, repeatable); replaces the config")
    parser.add_argument("--ignore", action="append", metavar="CODES",
                        help="skip these codes or prefixes (comma-separated, repeatable); adds to the config")
    parser.add_argument("--config", metavar="FILE", help="config file (default: nearest .backdoor-lint.toml or "
                        "pyproject.toml with [tool.backdoor-lint])")
    parser.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                        help="worker processes (default: number of cores)")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even with blocking findings (report-only)")
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the per-file result cache")
    parser.add_argument("--cache-dir", metavar="DIR", help="result cache directory (default: $XDG_CACHE_HOME/"
                        "backdoor-lint or ~/.cache/backdoor-lint)")
    adoption = parser.add_argument_group("adoption (baselines and changed-lines mode)")
    adoption.add_argument("--baseline", metavar="FILE", help="hide the findings recorded in FILE (default: the "
                          "`baseline` config key); findings not in it still block")
    adoption.add_argument("--no-baseline", action="store_true", help="ignore the configured baseline")
    adoption.add_argument("--write-baseline", metavar="FILE", help="record every current finding in FILE and exit 0")
    changed = adoption.add_mutually_exclusive_group()
    changed.add_argument("--diff", metavar="REV", help="only findings on lines added or changed since REV "
                         "(working tree against REV), in new files, and guard tampering (BDL8xx)")
    changed.add_argument("--staged", action="store_true", help="like --diff, for the staged content (the index "
                         "against HEAD); what a pre-commit hook should run")


def _run_scan(args: argparse.Namespace) -> int:
    from backdoor_lint.config import apply_cli_overrides, load_config
    from backdoor_lint.engine import scan
    from backdoor_lint.reporters import FORMATS

    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    config = load_config(Path(args.config) if args.config else None)
    apply_cli_overrides(config, args.select, args.ignore)
    if args.write_baseline and (args.diff or args.staged):
        raise UsageError("--write-baseline records a whole scan; it cannot be combined with --diff or --staged")
    from backdoor_lint import adoption

    if args.staged:  # configuration and baseline as staged: an unstaged edit must not weaken the check
        config, baseline = adoption.staged_settings(args)
    else:
        baseline = None if args.write_baseline else adoption.load_baseline_for(args, config)
    speedups = _speedups(args, config)
    try:
        if args.diff or args.staged:
            result = adoption.scan_changed(args, config, baseline, **speedups)
        else:
            result = scan(args.paths, config, jobs=args.jobs, baseline=baseline, **speedups)
    finally:
        if speedups.get("progress") is not None:
            speedups["progress"].close()
    if args.write_baseline:
        return adoption.write_baseline_for(args, config, result)
    stream = _output_stream(args.output)
    colour = stream is not None and stream.isatty() and "NO_COLOR" not in os.environ
    context = {"exit_zero": args.exit_zero, "where": _where(args)}
    report = FORMATS[args.format](result, config, colour=colour, **context)
    if stream is None:
        _write_file(args.output, report)
    else:
        _write_stream(stream, args.output or "stdout", report)
    if stream is None or (stream is sys.stderr and args.format != "text"):  # the verdict stays visible
        from backdoor_lint.reporters.audit import audit_lines
        from backdoor_lint.reporters.text import summary

        print("\n".join([*audit_lines(result), summary(result, config, **context)]), file=sys.stderr)
    failed = any(config.fails(f.severity) for f in result.findings)
    return EXIT_BLOCKED if failed and not args.exit_zero else EXIT_CLEAN


def _where(args: argparse.Namespace) -> str:
    """What a failing scan stops, for the summary: a commit (--staged: the git hook and the
    changed-lines pre-commit hook scan what is about to be committed), a pre-commit hook (the
    pre-commit framework sets PRE_COMMIT=1, also for `pre-commit run` in CI), or just this run."""
    if args.staged:
        return "commit"
    return "pre-commit" if os.environ.get("PRE_COMMIT") == "1" else ""


def _speedups(args: argparse.Namespace, config) -> dict:
    """The result cache (unless --no-cache) and, on a terminal, a progress bar (issue 8)."""
    from backdoor_lint import progress

    options: dict = {"cache": None, "progress": progress.Progress() if progress.wanted() else None}
    if not args.no_cache and not args.staged:  # staged content is scanned from a fresh temp dir
        from backdoor_lint.cache import ResultCache, default_cache_dir

        directory = Path(args.cache_dir) if args.cache_dir else default_cache_dir()
        options["cache"] = ResultCache(directory, config)
    return options


# `-o` names that mean a standard stream: written to the stream, never opened as a path.
STANDARD_STREAMS = {"-": "stdout", "/dev/stdout": "stdout", "/dev/fd/1": "stdout", "/proc/self/fd/1": "stdout",
                    "/dev/stderr": "stderr", "/dev/fd/2": "stderr", "/proc/self/fd/2": "stderr"}


def _output_stream(output: str | None):
    """The stream `-o` names (stdout without -o), or None for a file path."""
    name = "stdout" if output is None else STANDARD_STREAMS.get(output)
    return None if name is None else getattr(sys, name)


def _write_stream(stream, name: str, text: str) -> None:
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:  # e.g. stdout redirected to a full disk: the report is incomplete
        raise UsageError(f"{name}: cannot write the report: {exc.strerror or exc}") from None


def _write_file(path: str, text: str) -> None:
    """`-o FILE`: written through the path (a symlink's target); special files refused; any
    failure exits 2 naming the file (the file is left empty, never half-written)."""
    from backdoor_lint.files import NotARegularFile, write_through

    if path == os.devnull:
        return  # `-o /dev/null`: the report is discarded on purpose (the summary still goes to stderr)
    try:
        write_through(path, text.encode("utf-8"))
    except NotARegularFile as exc:
        raise UsageError(f"{path}: cannot write the report: {exc}; give a regular file, or - for stdout") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot write the report: {exc.strerror or exc}") from None


def _add_rules(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=["table", "markdown", "json"], default="table")


def _run_rules(args: argparse.Namespace) -> int:
    from backdoor_lint.rules_table import render_rules

    sys.stdout.write(render_rules(args.format))
    return EXIT_CLEAN


def _add_explain(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("code", help="a rule code such as BDL101, or its name")


def _run_explain(args: argparse.Namespace) -> int:
    from backdoor_lint.rules_table import explain

    sys.stdout.write(explain(args.code))
    return EXIT_CLEAN


def _add_agent_hook(parser: argparse.ArgumentParser) -> None:
    from backdoor_lint.hooks.agent import AGENTS

    parser.add_argument("action", nargs="?", choices=["run", "install", "uninstall"], default="run",
                        help="run (default): screen the tool call on stdin; install/uninstall: add the hook to "
                             "(remove it from) the project's settings file of the agent")
    parser.add_argument("--agent", required=True, choices=AGENTS, help="which agent's hook protocol to speak")
    parser.add_argument("--root", metavar="DIR", default=".", help="project root for install/uninstall (default: .)")


def _run_agent_hook(args: argparse.Namespace) -> int:
    if args.action == "run":
        from backdoor_lint.hooks.agent import main_hook

        return main_hook(args.agent)
    from backdoor_lint.hooks.install import InstallError, install, uninstall

    try:
        message = (install if args.action == "install" else uninstall)(args.agent, Path(args.root))
    except InstallError as exc:
        raise UsageError(str(exc)) from None
    print(message)
    return EXIT_CLEAN


def _add_check_command(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("command_text", metavar="COMMAND", help="the shell command to screen (one string)")
    parser.add_argument("--cwd", metavar="DIR", default=None, help="directory the command would run in (default: .)")
    parser.add_argument("--format", choices=["text", "json"], default="text")


def _run_check_command(args: argparse.Namespace) -> int:
    import json

    from backdoor_lint.hooks.agent import reason_for
    from backdoor_lint.hooks.guard import check_command, load_project_config

    config, note = load_project_config(args.cwd)
    verdict = check_command(args.command_text, args.cwd, config)
    blocking = [f for f in verdict.findings if config.fails(f.severity)]
    if args.format == "json":
        print(json.dumps({"decision": "deny" if blocking else "allow",
                          "findings": [f.to_dict() for f in verdict.findings]}, indent=2))
    elif blocking:
        print(reason_for("shell command", blocking, audience="person"))
    else:
        print("backdoor-lint: allowed (nothing blocking found)")
    if note:
        print(f"backdoor-lint: note: {note}", file=sys.stderr)
    return EXIT_BLOCKED if blocking else EXIT_CLEAN


# name -> (help, add_arguments, run). Integrations add their subcommands here.
COMMANDS: dict[str, tuple[str, Callable, Callable]] = {
    "scan": ("scan files and directories (the default command)", _add_scan, _run_scan),
    "rules": ("list every rule: code, name, severity, languages", _add_rules, _run_rules),
    "explain": ("explain one rule: what, why (the attack), what to use instead", _add_explain, _run_explain),
    "agent-hook": ("screen a coding agent's tool call (JSON on stdin) and answer in its hook protocol; "
                   "install/uninstall the hook", _add_agent_hook, _run_agent_hook),
    "check-command": ("screen one shell command by hand (exit 1 when it would be blocked)", _add_check_command,
                      _run_check_command),
}


def _register_adoption_commands() -> None:
    """The commands of backdoor_lint.adoption, registered only when the command line is not one
    of the commands above (or the whole parser is built): the agent hook runs on every tool call
    of an agent and must not pay for importing them (issue 17)."""
    from backdoor_lint import adoption

    COMMANDS.update(adoption.COMMANDS)


def _unknown_command(word: str) -> str | None:
    """The error for a first argument that is neither a command nor an existing path but reads
    like a command (a bare word, no path separator): `backdoor-lint sacn` must not scan a path
    named "sacn" and fail with "no such file". A file or directory of that name is scanned."""
    if word.startswith("-") or os.sep in word or "/" in word or "." in word or os.path.lexists(word):
        return None
    import difflib

    close = difflib.get_close_matches(word, list(COMMANDS), n=1, cutoff=0.6)
    if close:
        return f"unknown command {word!r} (did you mean {close[0]!r}?)"
    return (f"unknown command {word!r}, and no file or directory of that name; commands: {', '.join(COMMANDS)} "
            "(a path is scanned: `backdoor-lint scan PATH`)")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or, with `only`, of that one command (what `main` needs once
    the first argument names it: the other commands' help texts are never shown then)."""
    import argparse

    if only is None:
        _register_adoption_commands()
    parser = argparse.ArgumentParser(
        prog="backdoor-lint",
        description="Block backdoor-shaped code (algorithm confusion, exfiltration, weakened crypto, "
                    "obfuscated execution, auth bypasses, invisible text) before it lands.",
        epilog="Exit codes: 0 nothing blocking, 1 blocking findings, 2 usage/config/internal error.",
    )
    parser.add_argument("--version", action="version", version=f"backdoor-lint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (help_text, add_arguments, _) in COMMANDS.items():
        if only is not None and name != only:
            continue
        add_arguments(sub.add_parser(name, help=help_text, description=help_text))
    return parser


# The errors that are the user's to fix (exit 2, "error: <message>", no "internal error"), by
# module and class name. Looked up only among modules already imported: an exception of a class
# whose module was never imported cannot have been raised, and importing baseline, changes and
# adoption on every command only to name their errors cost ~90 ms per agent-hook call (issue 17).
USER_ERRORS = (("backdoor_lint.errors", "UsageError"), ("backdoor_lint.config", "ConfigError"),
               ("backdoor_lint.discovery", "DiscoveryError"), ("backdoor_lint.baseline", "BaselineError"),
               ("backdoor_lint.changes", "ChangeError"))


def _is_user_error(exc: BaseException) -> bool:
    classes = [getattr(sys.modules.get(module), name, None) for module, name in USER_ERRORS]
    return any(isinstance(exc, cls) for cls in classes if isinstance(cls, type))


def _agent_hook_call(argv: list[str]):
    """The arguments of the command line every installed agent hook runs on each tool call,
    `agent-hook --agent NAME` (hooks/install.py), read without argparse (its import, the parser
    and its help formatter cost ~6 ms a call, issue 17); None for anything else, which argparse
    reads as usual."""
    if len(argv) != 3 or argv[:2] != ["agent-hook", "--agent"]:
        return None
    from backdoor_lint.hooks.agent import AGENTS

    return SimpleNamespace(command="agent-hook", action="run", agent=argv[2], root=".") if argv[2] in AGENTS else None


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    hook = _agent_hook_call(argv)
    if hook is not None:
        return _run(hook)
    if not argv or argv[0] not in COMMANDS:
        _register_adoption_commands()
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version")):
        problem = _unknown_command(argv[0]) if argv else None
        if problem:
            print(f"backdoor-lint: error: {problem}", file=sys.stderr)
            return EXIT_ERROR
        argv.insert(0, "scan")  # `backdoor-lint [PATH...]` means `backdoor-lint scan [PATH...]`
    parser = build_parser(argv[0] if argv[0] in COMMANDS else None)
    return _run(parser.parse_args(argv))  # exits 2 on usage errors


def _run(args: argparse.Namespace) -> int:
    try:
        return COMMANDS[args.command][2](args)
    except KeyboardInterrupt:
        print("backdoor-lint: interrupted", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # noqa: BLE001 - never a traceback, never "clean"
        if _is_user_error(exc):
            print(f"backdoor-lint: error: {exc}", file=sys.stderr)
            return EXIT_ERROR
        if isinstance(exc, BrokenPipeError):
            return EXIT_ERROR
        print(f"backdoor-lint: internal error: {type(exc).__name__}: {exc} (nothing was checked; "
              "please report this)", file=sys.stderr)
        return EXIT_ERROR
