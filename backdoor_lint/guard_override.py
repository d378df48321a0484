"""The human override of BDL803 (guard weakened): a person sets BACKDOOR_LINT_ALLOW_GUARD_CHANGE=1
for the one commit. It is honoured only when no coding-agent session is detected in the
environment (variables the agents set for the commands they run); an agent that sets it is
refused and told why. In CI a reviewer grants it (README, "The human override for BDL803": a label
that only maintainers can apply)."""
from __future__ import annotations

import os

from backdoor_lint.catalogue import WARN
from backdoor_lint.findings import Finding

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

