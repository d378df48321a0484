"""`backdoor-lint agent-hook --agent NAME`: screen a coding agent's tool call before it runs.

Reads the agent's hook payload (JSON) on stdin, screens shell commands, file writes and edits
(hooks/guard.py) and answers in that agent's own protocol. Fail closed: a payload that cannot be
understood, or any internal error, is answered with a *deny* and a reason - never with silence,
never with exit status 1 (which Claude Code treats as "go ahead").

Allowed calls get the agent's neutral answer (no explicit "allow" where an explicit allow would
skip the user's own permission prompts).
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field

AGENTS = ("claude", "cursor", "gemini", "codex", "copilot", "windsurf", "cline", "generic")
MAX_STDIN = 50_000_000
MAX_FINDINGS_SHOWN = 5

# --------------------------------------------------------------------------------------------
# normalised tool calls


@dataclass
class ToolCall:
    kind: str  # shell | write | edit | patch | notebook | skip
    tool: str = ""
    command: str = ""
    path: str = ""
    content: str = ""
    edits: list = field(default_factory=list)
    cwd: str | None = None
    cell_type: str = ""
    session: str | None = None  # the agent session's key (hooks/session.py), when the agent sends one


class PayloadError(Exception):
    """The payload is not something this hook understands; answered with deny."""


SHELL_TOOLS = {"bash", "shell", "run_shell_command", "execute_command", "run_command", "run_terminal_cmd",
               "terminal", "exec_command", "local_shell", "container.exec", "powershell", "pre_run_command",
               "beforeshellexecution", "runcommand", "run_in_terminal", "runinterminal"}
WRITE_TOOLS = {"write", "write_file", "write_to_file", "create", "create_file", "writefile", "tabwrite", "new_file",
               "createfile"}
EDIT_TOOLS = {"edit", "multiedit", "replace", "str_replace", "str_replace_editor", "strreplace", "edit_file",
              "replace_in_file", "search_replace", "pre_write_code", "editfile", "replacestringinfile",
              "multireplacestringinfile", "insert_edit_into_file"}
PATCH_TOOLS = {"apply_patch", "applypatch"}
NOTEBOOK_TOOLS = {"notebookedit", "edit_notebook", "editnotebook"}
# tools that neither run commands nor write files: nothing to screen
READ_ONLY_TOOLS = {"read", "read_file", "view", "glob", "grep", "ls", "list_dir", "list_directory", "search",
                   "search_files", "list_files", "webfetch", "web_fetch", "websearch", "web_search", "google_web_search",
                   "todowrite", "todoread", "task", "exitplanmode", "bashoutput", "killshell", "killbash",
                   "read_many_files", "glob_search", "codebase_search", "file_search", "grep_search",
                   "list_code_definition_names", "ask_followup_question", "attempt_completion", "new_task",
                   "plan_mode_respond", "browser_action", "access_mcp_resource", "use_mcp_tool", "save_memory",
                   "memory", "read_notebook", "notebookread", "slashcommand", "skill", "askuserquestion",
                   "delete", "report_intent", "think", "update_plan", "view_image", "fetch", "load_mcp_documentation"}

_PATH_KEYS = ("file_path", "path", "filePath", "notebook_path", "target_file", "filename", "file", "absolute_path")
_CONTENT_KEYS = ("content", "file_text", "contents", "text", "new_content", "code")
_OLD_KEYS = ("old_string", "old_str", "oldString", "old_text", "search")
_NEW_KEYS = ("new_string", "new_str", "newString", "new_text", "replace", "replacement")


def _first(data: dict, keys) -> object:
    for key in keys:
        if key in data and data[key] is not None:
            return data[key]
    return None


def _string(value, what: str) -> str:
    if not isinstance(value, str):
        raise PayloadError(f"{what} is not a string")
    return value


def _maybe_json(value) -> object:
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("{"):
            try:
                return json.loads(stripped)
            except ValueError as exc:
                raise PayloadError(f"tool arguments are not valid JSON: {exc}") from None
    return value


def normalise(tool: str, args: object, cwd: str | None) -> ToolCall:
    """A ToolCall from any agent's tool name and argument object."""
    args = _maybe_json(args)
    if args is None:
        args = {}
    if isinstance(args, str):
        args = {"command": args}
    if not isinstance(args, dict):
        raise PayloadError("tool arguments are not a JSON object")
    if not isinstance(tool, str) or not tool:
        raise PayloadError("no tool name in the payload")
    key = tool.lower()
    if key.startswith(("mcp__", "mcp:")):
        key = key.rsplit("__", 1)[-1]
    cwd = args.get("cwd") if isinstance(args.get("cwd"), str) and args.get("cwd") else cwd
    if key in PATCH_TOOLS or key == "shell" and _looks_like_patch(args):
        patch = _first(args, ("patch", "input", "command", "diff"))
        if isinstance(patch, list):
            patch = next((p for p in patch if isinstance(p, str) and "*** Begin Patch" in p), None)
        return ToolCall("patch", tool, content=_string(patch, "the patch"), cwd=cwd)
    if key in SHELL_TOOLS or (key not in READ_ONLY_TOOLS and key not in WRITE_TOOLS | EDIT_TOOLS | NOTEBOOK_TOOLS
                              and isinstance(args.get("command"), (str, list)) and "content" not in args):
        command = _first(args, ("command", "command_line", "commandLine", "cmd", "script", "input"))
        if isinstance(command, list):
            if not all(isinstance(c, str) for c in command):
                raise PayloadError("the command is not a list of strings")
            command = _join_argv(command)
        return ToolCall("shell", tool, command=_string(command, "the command"), cwd=cwd)
    if key in NOTEBOOK_TOOLS:
        path = _first(args, _PATH_KEYS)
        source = _first(args, ("new_source", "source", "content", "newCode"))
        if source is None and args.get("edit_mode") == "delete":
            return ToolCall("skip", tool)
        return ToolCall("notebook", tool, path=_string(path, "the notebook path"),
                        content=_string(source, "the cell source"), cwd=cwd,
                        cell_type=str(args.get("cell_type") or "code"))
    if key in WRITE_TOOLS or (key not in READ_ONLY_TOOLS and key not in EDIT_TOOLS and _first(args, _PATH_KEYS)
                              and _first(args, _CONTENT_KEYS) is not None and _first(args, _OLD_KEYS) is None
                              and "edits" not in args and "diff" not in args):
        path = _first(args, _PATH_KEYS)
        content = _first(args, _CONTENT_KEYS)
        return ToolCall("write", tool, path=_string(path, "the file path"), content=_string(content, "the content"),
                        cwd=cwd)
    if key in EDIT_TOOLS or (key not in READ_ONLY_TOOLS and _first(args, _PATH_KEYS)
                             and (_first(args, _OLD_KEYS) is not None or "edits" in args or "diff" in args)):
        from backdoor_lint.hooks.guard import Edit

        path = _string(_first(args, _PATH_KEYS), "the file path")
        edits = []
        if isinstance(args.get("edits"), list):
            for item in args["edits"]:
                if not isinstance(item, dict):
                    raise PayloadError("an edit is not a JSON object")
                edits.append(Edit(_string(_first(item, _OLD_KEYS) or "", "old text"),
                                  _string(_first(item, _NEW_KEYS) or "", "new text"),
                                  bool(item.get("replace_all") or item.get("replaceAll"))))
        elif isinstance(args.get("diff"), str):
            edits = parse_search_replace(args["diff"])
            if edits is None:
                raise PayloadError("the SEARCH/REPLACE diff could not be parsed")
        elif _first(args, _OLD_KEYS) is not None:
            expected = args.get("expected_replacements")
            edits.append(Edit(_string(_first(args, _OLD_KEYS), "old text"),
                              _string(_first(args, _NEW_KEYS) or "", "new text"),
                              bool(args.get("replace_all") or args.get("replaceAll")) or
                              isinstance(expected, int) and expected > 1))
        elif _first(args, _CONTENT_KEYS) is not None:  # edit tools that carry the whole new file
            return ToolCall("write", tool, path=path, content=_string(_first(args, _CONTENT_KEYS), "the content"),
                            cwd=cwd)
        elif isinstance(args.get("insert_line"), int) and isinstance(_first(args, ("new_str", "insert_text")), str):
            return ToolCall("edit", tool, path=path, edits=[], content=_first(args, ("new_str", "insert_text")),
                            cwd=cwd)
        else:
            raise PayloadError(f"the {tool} call has no old/new text")
        return ToolCall("edit", tool, path=path, edits=edits, cwd=cwd)
    if key in READ_ONLY_TOOLS:
        return ToolCall("skip", tool)
    # A tool this hook does not know that carries neither a command nor file content: nothing it
    # could run or write is visible to us, so there is nothing to screen.
    return ToolCall("skip", tool)


def _looks_like_patch(args: dict) -> bool:
    command = args.get("command")
    if isinstance(command, list):
        return any(isinstance(c, str) and "*** Begin Patch" in c for c in command)
    return isinstance(command, str) and command.lstrip().startswith("*** Begin Patch")


def _join_argv(argv: list[str]) -> str:
    import shlex

    if len(argv) >= 3 and argv[0].rsplit("/", 1)[-1] in ("bash", "sh", "zsh") and argv[1] in ("-c", "-lc", "-ic"):
        return argv[2]
    return " ".join(shlex.quote(a) for a in argv)


def parse_search_replace(diff: str):
    """Cline's replace_in_file blocks: ------- SEARCH / ======= / +++++++ REPLACE (or <<<<<<< / >>>>>>>)."""
    import re

    from backdoor_lint.hooks.guard import Edit

    edits = []
    pattern = re.compile(r"^(?:-{3,} SEARCH|<{3,} SEARCH)\s*\n(.*?)^={3,}\s*\n(.*?)^(?:\+{3,} REPLACE|>{3,} REPLACE)\s*$",
                         re.S | re.M)
    for match in pattern.finditer(diff):
        edits.append(Edit(match.group(1), match.group(2)))
    return edits or None


# --------------------------------------------------------------------------------------------
# reading each agent's payload


def read_payload(agent: str, data: dict) -> ToolCall:
    if not isinstance(data, dict):
        raise PayloadError("the payload is not a JSON object")
    cwd = data.get("cwd") if isinstance(data.get("cwd"), str) else None
    if cwd is None and isinstance(data.get("workspace_roots"), list) and data["workspace_roots"]:
        cwd = data["workspace_roots"][0] if isinstance(data["workspace_roots"][0], str) else None
    if cwd is None and isinstance(data.get("workspaceRoots"), list) and data["workspaceRoots"]:
        cwd = data["workspaceRoots"][0] if isinstance(data["workspaceRoots"][0], str) else None
    event = data.get("hook_event_name")
    if event in ("beforeMCPExecution", "beforeReadFile", "beforeSubmitPrompt", "afterFileEdit", "afterShellExecution",
                 "afterMCPExecution", "afterAgentResponse", "afterAgentThought", "stop", "sessionStart",
                 "sessionEnd", "PostToolUse", "SessionStart", "Stop", "UserPromptSubmit", "AfterTool",
                 "BeforeAgent", "AfterAgent", "Notification", "beforeTabFileRead", "afterTabFileEdit"):
        return ToolCall("skip", event)  # not a pre-execution event of a command or a write
    if agent == "cursor" and ("command" in data and "tool_name" not in data):
        return ToolCall("shell", "beforeShellExecution", command=_string(data["command"], "the command"), cwd=cwd)
    if agent == "windsurf" or "agent_action_name" in data:
        action = data.get("agent_action_name")
        info = data.get("tool_info")
        if not isinstance(info, dict):
            raise PayloadError("no tool_info in the Windsurf payload")
        cwd = info.get("cwd") if isinstance(info.get("cwd"), str) else cwd
        if action == "pre_run_command" or "command_line" in info:
            return ToolCall("shell", "pre_run_command", command=_string(info.get("command_line"), "the command"),
                            cwd=cwd)
        if action == "pre_write_code" or "edits" in info:
            from backdoor_lint.hooks.guard import Edit

            edits = info.get("edits")
            if not isinstance(edits, list):
                raise PayloadError("no edits in the Windsurf pre_write_code payload")
            parsed = []
            for e in edits:
                if not isinstance(e, dict):
                    raise PayloadError("an edit is not a JSON object")
                parsed.append(Edit(_string(e.get("old_string", ""), "old text"),
                                   _string(e.get("new_string", ""), "new text")))
            return ToolCall("edit", "pre_write_code", path=_string(info.get("file_path"), "the file path"),
                            edits=parsed, cwd=cwd)
        if action in ("pre_read_code", "pre_mcp_tool_use", "pre_user_prompt"):
            return ToolCall("skip", action)
        raise PayloadError(f"unknown Windsurf action {action!r}")
    if agent == "cline" or "preToolUse" in data and isinstance(data.get("preToolUse"), dict):
        inner = data.get("preToolUse")
        if not isinstance(inner, dict):
            raise PayloadError("no preToolUse object in the Cline payload")
        roots = data.get("workspaceRoots")
        if isinstance(roots, list) and roots and isinstance(roots[0], str):
            cwd = roots[0]
        return normalise(inner.get("toolName") or inner.get("tool"), inner.get("parameters"), cwd)
    if "toolName" in data or "toolArgs" in data:  # Copilot CLI (camelCase events)
        return normalise(data.get("toolName"), data.get("toolArgs"), cwd)
    if "tool_name" in data:  # Claude Code, Codex, Gemini CLI, Cursor preToolUse, Copilot (PascalCase events)
        return normalise(data.get("tool_name"), data.get("tool_input", data.get("input")), cwd)
    if agent == "generic" or "tool" in data:
        tool = data.get("tool")
        args = {k: v for k, v in data.items() if k not in ("tool", "cwd")}
        if isinstance(data.get("input"), dict):
            args = data["input"]
        return normalise(tool, args, cwd)
    if "command" in data:
        return ToolCall("shell", "command", command=_string(data["command"], "the command"), cwd=cwd)
    raise PayloadError("the payload has no tool name (expected tool_name/tool_input or the agent's own fields)")


# --------------------------------------------------------------------------------------------
# screening


def screen(call: ToolCall):
    from backdoor_lint.hooks import guard

    config, note = guard.load_project_config(call.cwd)
    if call.kind == "shell":
        verdict = guard.check_command(call.command, call.cwd, config, call.session)
        verdict.subject = f"shell command `{_short(call.command)}`"
    elif call.kind == "write":
        verdict = guard.check_write(call.path, call.content, call.cwd, config)
    elif call.kind == "edit":
        if not call.edits and call.content:  # insert-style edit: check the inserted text in context
            original = guard.read_existing(guard.resolve_path(call.path, call.cwd), config.max_file_size) or b""
            verdict = guard.Verdict(f"edit of {call.path}")
            verdict.findings = guard.check_content(
                call.path, original + b"\n" + call.content.encode("utf-8", "surrogatepass"), call.cwd, config,
                original=original, original_known=True)
        else:
            verdict = guard.check_edit(call.path, call.edits, call.cwd, config)
    elif call.kind == "patch":
        verdict = guard.check_patch(call.content, call.cwd, config)
    elif call.kind == "notebook":
        verdict = guard.Verdict(f"notebook cell in {call.path}")
        if call.cell_type == "markdown":
            verdict.findings = guard.scan_other_language(call.path + ".md", call.content.encode(), config, "text")
        else:
            python, shell_lines = guard.split_cell(call.content)
            from backdoor_lint.engine import scan_bytes

            cell = f"{call.path}[cell].py"
            verdict.findings = list(scan_bytes(cell, python.encode("utf-8", "surrogatepass"), config).findings)
            for command in shell_lines:
                verdict.findings += guard.check_command(command, call.cwd, config).findings
    else:
        verdict = guard.Verdict(call.tool or "tool call")
    if call.kind in ("write", "edit", "notebook"):
        verdict.remember["written"] = [guard.written_key(call.path, call.cwd)]
    elif call.kind == "patch":
        verdict.remember["written"] = [guard.written_key(move_to or path, call.cwd)
                                       for _, path, _, move_to in guard.parse_patch(call.content) or []]
    # every finding has been through the policy pipeline (backdoor_lint.policy): severity is set
    blocking = [f for f in verdict.findings if config.fails(f.severity)]
    if note:
        verdict.notes.append(note)
    return verdict, blocking


def _short(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def reason_for(subject: str, blocking: list, audience: str = "agent") -> str:
    """The blocking reason, written for the model and for the person reading along (audience
    "agent"), or for a person who asked (`check-command`, audience "person")."""
    from backdoor_lint.catalogue import get_rule

    lines = [f"backdoor-lint {'would block' if audience == 'person' else 'blocked'} this {subject}."]
    seen_codes = set()
    for f in blocking[:MAX_FINDINGS_SHOWN]:
        rule = get_rule(f.code)
        where = f" ({f.path}:{f.line})" if f.path and not f.path.startswith("<") else ""
        lines.append(f"- {f.code} {rule.name}{where}: {f.message}")
        if f.code not in seen_codes:
            seen_codes.add(f.code)
            lines.append(f"  Why it is dangerous: {_first_sentence(rule.why)}")
            lines.append("  Do instead: " + rule.use_instead.strip().replace("\n", "\n    "))
    if len(blocking) > MAX_FINDINGS_SHOWN:
        lines.append(f"- ... and {len(blocking) - MAX_FINDINGS_SHOWN} more finding(s).")
    if audience == "person":
        lines.append(f"`backdoor-lint explain {blocking[0].code}` explains the rule. If you have reviewed the command "
                     "and trust it, run it yourself; a coding agent's hook denies it.")
        return "\n".join(lines)
    lines.append("Do not retry with the same effect in another form (encoding, splitting, a different tool); "
                 "that is blocked too. If this is a false positive, ask the user to review and run it themselves; "
                 f"`backdoor-lint explain {blocking[0].code}` explains the rule.")
    return "\n".join(lines)


def _first_sentence(text: str) -> str:
    """The first sentence of the rule's "why" (two when the first is short)."""
    flat = " ".join(text.split())
    end = flat.find(". ")
    if 0 <= end < 100:
        second = flat.find(". ", end + 2)
        end = second if second >= 0 else len(flat)
    return flat if end < 0 else flat[: end + 1]


# --------------------------------------------------------------------------------------------
# answering in each agent's protocol


@dataclass
class Answer:
    stdout: str = ""
    stderr: str = ""
    exit_code: int = 0


def answer(agent: str, deny: bool, reason: str, event: str = "PreToolUse", findings=None) -> Answer:
    if agent in ("claude", "codex"):
        if not deny:
            return Answer()  # no output: the agent's own permission rules still apply
        return Answer(json.dumps({"hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": "deny",
                                                         "permissionDecisionReason": reason}}) + "\n",
                      reason + "\n" if agent == "codex" else "")
    if agent == "cursor":
        if not deny:
            # an empty object: valid JSON for `failClosed` hooks, and no "permission": "allow",
            # which would let the call skip Cursor's own approval settings
            return Answer("{}\n")
        return Answer(json.dumps({"permission": "deny", "user_message": reason, "agent_message": reason,
                                  "decision": "deny", "reason": reason}) + "\n")
    if agent == "gemini":
        if not deny:
            return Answer("{}\n")
        return Answer(json.dumps({"decision": "deny", "reason": reason}) + "\n")
    if agent == "copilot":
        if not deny:
            return Answer("{}\n")
        # flat fields for camelCase `preToolUse` hooks; hookSpecificOutput for PascalCase (VS Code style)
        return Answer(json.dumps({"permissionDecision": "deny", "permissionDecisionReason": reason,
                                  "hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": "deny",
                                                         "permissionDecisionReason": reason}}) + "\n")
    if agent == "windsurf":
        if not deny:
            return Answer()
        return Answer("", reason + "\n", 2)
    if agent == "cline":
        if not deny:
            return Answer(json.dumps({"cancel": False}) + "\n")
        return Answer(json.dumps({"cancel": True, "errorMessage": reason, "contextModification": reason}) + "\n")
    # generic
    payload = {"decision": "deny" if deny else "allow", "reason": reason}
    if findings is not None:
        payload["findings"] = [f.to_dict() for f in findings]
    return Answer(json.dumps(payload) + "\n", "", 2 if deny else 0)


def run(agent: str, raw: str) -> Answer:
    """Screen one payload; never raises."""
    try:
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise PayloadError(f"the payload is not valid JSON ({exc})") from None
        call = read_payload(agent, data)
        if call.kind == "skip":
            return answer(agent, False, "")
        from backdoor_lint.hooks import session

        call.session = session.session_key(agent, data)
        verdict, blocking = screen(call)
        if not blocking:
            session.record(call.session, **verdict.remember)
            return answer(agent, False, "", findings=verdict.findings)
        return answer(agent, True, reason_for(verdict.subject, blocking), findings=blocking)
    except PayloadError as exc:
        return answer(agent, True, f"backdoor-lint could not screen this tool call and denies it to be safe: {exc}. "
                      "(Is the hook configured with the right --agent?)")
    except RecursionError:
        return answer(agent, True, "backdoor-lint denies this tool call: it is nested too deeply to be screened.")
    except Exception as exc:  # noqa: BLE001 - fail closed
        import traceback  # only here: it costs ~10 ms of start-up on every call

        frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
        where = f" at {frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}" if frame else ""
        return answer(agent, True, f"backdoor-lint had an internal error and denies this tool call to be safe: "
                      f"{type(exc).__name__}: {exc}{where}. Please report this.")


def main_hook(agent: str, stream=None) -> int:
    """Read stdin, answer on stdout/stderr; the exit status is the agent's protocol's."""
    try:
        stream = stream or sys.stdin
        raw = stream.read(MAX_STDIN + 1)
        if isinstance(raw, bytes):
            raw = raw.decode("utf-8", "replace")
        if len(raw) > MAX_STDIN:
            result = answer(agent, True, "backdoor-lint denies this tool call: the payload is too large to screen.")
        else:
            result = run(agent, raw)
    except BaseException as exc:  # noqa: BLE001 - even KeyboardInterrupt must not mean "allow"
        result = answer(agent, True, f"backdoor-lint could not read the tool call and denies it: {exc!r}")
    try:
        if result.stdout:
            sys.stdout.write(result.stdout)
            sys.stdout.flush()
        if result.stderr:
            sys.stderr.write(result.stderr)
            sys.stderr.flush()
    except BrokenPipeError:
        return 2
    return result.exit_code
