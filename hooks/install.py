"""`backdoor-lint agent-hook install|uninstall --agent NAME`: add the hook to (or remove it from) the
project's settings file of a coding agent, merging with what is there, keeping a backup, idempotent.

Our entries are recognised by the command containing HOOK_MARK, so install never duplicates them
and uninstall removes only them.
"""
from __future__ import annotations

import json
import os
import shlex
import shutil
import sys
from pathlib import Path

from backdoor_lint.files import write_atomically

HOOK_MARK = "backdoor-lint agent-hook"
MODULE_MARK = "backdoor_lint agent-hook"  # the `python -m backdoor_lint` form
BACKUP_SUFFIX = ".backdoor-lint.bak"


def executable() -> str:
    """The command that runs this installation of backdoor-lint, as an absolute path: the agent
    runs hooks without the user's PATH or virtualenv, so a bare `backdoor-lint` would be "not
    found" (and every tool call blocked). The running console script, else the one beside the
    running Python, else that Python with `-m backdoor_lint`."""
    argv0 = sys.argv[0] if sys.argv else ""
    if os.path.basename(argv0) in ("backdoor-lint", "backdoor-lint.exe") and os.path.isfile(argv0):
        return shlex.quote(os.path.abspath(argv0))
    beside = Path(sys.executable).parent / ("backdoor-lint.exe" if os.name == "nt" else "backdoor-lint")
    if beside.is_file():
        return shlex.quote(str(beside.absolute()))
    return f"{shlex.quote(os.path.abspath(sys.executable))} -m backdoor_lint"


def agent_hook_command(agent: str) -> str:
    return f"{executable()} agent-hook --agent {agent}"


def hook_command(agent: str) -> str:
    # `|| exit 2`: if backdoor-lint is missing or crashes, the agent sees exit 2 ("block"), not
    # an ordinary failure that Claude Code, Codex and Gemini CLI would treat as "go ahead".
    return f"{agent_hook_command(agent)} || exit 2"


def _claude_like(matcher: str | None, agent: str, timeout: int | None = 30, name: bool = False) -> dict:
    hook = {"type": "command", "command": hook_command(agent)}
    if timeout is not None:
        hook["timeout"] = timeout
    if name:
        hook["name"] = "backdoor-lint"
    group = {"hooks": [hook]}
    if matcher is not None:
        group = {"matcher": matcher, **group}
    return group


def targets() -> dict[str, tuple[str, dict, dict]]:
    """agent -> (settings file, {event: entry}, json top-level extras), with this installation's path."""
    return {
        "claude": (".claude/settings.json",
                   {"PreToolUse": _claude_like("Bash|Write|Edit|MultiEdit|NotebookEdit", "claude")}, {}),
        "codex": (".codex/hooks.json", {"PreToolUse": _claude_like(None, "codex")}, {}),
        "gemini": (".gemini/settings.json",
                   {"BeforeTool": _claude_like("run_shell_command|write_file|replace", "gemini", timeout=30000,
                                               name=True)}, {}),
        "cursor": (".cursor/hooks.json",
                   {"beforeShellExecution": {"command": agent_hook_command("cursor"), "failClosed": True},
                    "preToolUse": {"command": agent_hook_command("cursor"), "matcher": "Write|StrReplace|Edit",
                                   "failClosed": True}},
                   {"version": 1}),
        "copilot": (".github/hooks/backdoor-lint.json",
                    {"preToolUse": {"type": "command", "bash": hook_command("copilot"), "timeoutSec": 30}},
                    {"version": 1}),
        "windsurf": (".windsurf/hooks.json",
                     {"pre_run_command": {"command": hook_command("windsurf"), "show_output": True},
                      "pre_write_code": {"command": hook_command("windsurf"), "show_output": True}}, {}),
    }


CLINE_SCRIPT = ".clinerules/hooks/PreToolUse"


def cline_body() -> str:
    return ("#!/usr/bin/env bash\n"
            f"# {HOOK_MARK}: screens Cline's tool calls (installed by `backdoor-lint agent-hook install --agent cline`)\n"
            f"{agent_hook_command('cline')} && exit 0\n"
            "echo '{\"cancel\": true, \"errorMessage\": \"backdoor-lint could not run (is it installed?); denied to "
            "be safe\"}'\n")


class InstallError(Exception):
    pass


def _ours(entry) -> bool:
    text = json.dumps(entry)
    return HOOK_MARK in text or MODULE_MARK in text


def _load(path: Path) -> dict:
    if not path.exists():
        return {}
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InstallError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if not text.strip():
        return {}
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InstallError(f"{path}: not valid JSON ({exc}); fix it or move it away, nothing was changed") from None
    if not isinstance(data, dict):
        raise InstallError(f"{path}: expected a JSON object at the top level; nothing was changed")
    return data


def _save(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        shutil.copy2(path, path.with_name(path.name + BACKUP_SUFFIX))
    write_atomically(path, json.dumps(data, indent=2) + "\n")


def install(agent: str, root: Path) -> str:
    if agent == "cline":
        return _install_cline(root)
    if agent not in targets():
        raise InstallError(f"no project-level hook configuration for --agent {agent}; see the README section 'Agent hooks'")
    relative, events, extras = targets()[agent]
    path = root / relative
    data = _load(path)
    before = json.dumps(data, sort_keys=True)
    for key, value in extras.items():
        data.setdefault(key, value)
    hooks = data.setdefault("hooks", {})
    if not isinstance(hooks, dict):
        raise InstallError(f"{path}: \"hooks\" is not an object; nothing was changed")
    for event, entry in events.items():
        entries = hooks.setdefault(event, [])
        if not isinstance(entries, list):
            raise InstallError(f"{path}: hooks.{event} is not a list; nothing was changed")
        if any(_ours(e) for e in entries):  # an earlier install (another path): this installation's command
            entries[:] = [entry if _ours(e) else e for e in entries]
        else:
            entries.append(entry)
    if json.dumps(data, sort_keys=True) == before:
        return f"{path.absolute()}: already installed, nothing changed (runs `{hook_command(agent)}`)"
    _save(path, data)
    backup = path.with_name(path.name + BACKUP_SUFFIX)
    lines = [f"{path.absolute()}: backdoor-lint agent hook installed for {', '.join(events)}; it runs",
             f"    {agent_hook_command(agent)}"]
    if backup.exists():
        lines.append(f"backup of the previous file: {backup.absolute()}")
    return "\n".join(lines)


def uninstall(agent: str, root: Path) -> str:
    if agent == "cline":
        path = root / CLINE_SCRIPT
        if path.exists() and HOOK_MARK in path.read_text(encoding="utf-8", errors="replace"):
            shutil.copy2(path, path.with_name(path.name + BACKUP_SUFFIX))
            path.unlink()
            return f"{CLINE_SCRIPT}: removed"
        return f"{CLINE_SCRIPT}: not installed, nothing changed"
    if agent not in targets():
        raise InstallError(f"no project-level hook configuration for --agent {agent}")
    relative, events, extras = targets()[agent]
    path = root / relative
    if not path.exists():
        return f"{relative}: not installed, nothing changed"
    data = _load(path)
    hooks = data.get("hooks")
    if not isinstance(hooks, dict):
        return f"{relative}: not installed, nothing changed"
    changed = False
    for event in list(hooks):
        entries = hooks[event]
        if not isinstance(entries, list):
            continue
        kept = []
        for entry in entries:
            if not _ours(entry):
                kept.append(entry)
                continue
            changed = True
            inner = entry.get("hooks") if isinstance(entry, dict) else None
            if isinstance(inner, list):  # a matcher group shared with other hooks: keep the others
                others = [h for h in inner if not _ours(h)]
                if others:
                    kept.append({**entry, "hooks": others})
        if kept:
            hooks[event] = kept
        else:
            del hooks[event]
    if not changed:
        return f"{relative}: not installed, nothing changed"
    if not hooks:
        del data["hooks"]
    if not data or data == extras:
        shutil.copy2(path, path.with_name(path.name + BACKUP_SUFFIX))
        path.unlink()
        return f"{relative}: removed (it held only the backdoor-lint hook; backup: {relative}{BACKUP_SUFFIX})"
    _save(path, data)
    return f"{relative}: backdoor-lint agent hook removed (backup: {relative}{BACKUP_SUFFIX})"


def _install_cline(root: Path) -> str:
    path = root / CLINE_SCRIPT
    if path.exists():
        text = path.read_text(encoding="utf-8", errors="replace")
        if HOOK_MARK in text:
            return f"{CLINE_SCRIPT}: already installed, nothing changed"
        raise InstallError(f"{CLINE_SCRIPT} already exists and is not ours; add "
                           "`backdoor-lint agent-hook --agent cline` to it by hand (Cline runs one script per hook)")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(cline_body(), encoding="utf-8")
    path.chmod(0o755)
    return f"{path.absolute()}: backdoor-lint agent hook installed (an executable script); it runs\n" \
           f"    {agent_hook_command('cline')}"
