"""Screening of one tool call: a shell command, a file write or an edit. Agent-neutral; the
protocols of the individual agents live in hooks/agent.py.

- :func:`check_command` screens a shell command (checkers/shell/) and everything it contains:
  files it writes (``cat > f <<EOF``, ``tee``, ``printf > f``) are checked like a Write, inline
  programs (``python -c``) are run through the engine's checkers as a file of their language.
- :func:`check_write` checks content as the file it will become (language by path) and reports
  only findings that the file on disk does not already have.
- :func:`check_edit` rebuilds the resulting file from disk plus the edits, then as check_write.

Every non-Python file goes through :func:`scan_other_language`, the single place to route
JavaScript/Go/Java/... content to the semgrep integration.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from backdoor_lint.config import Config
from backdoor_lint.findings import Finding

COMMAND_DISPLAY = "<command>"
_WS = re.compile(r"\s+")


@dataclass
class Edit:
    old: str
    new: str
    replace_all: bool = False


@dataclass
class Verdict:
    subject: str  # "Bash command", "write to src/auth.py", ...
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # what the session should remember if the call is allowed (hooks/session.py: record)
    remember: dict = field(default_factory=dict)

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]

    @property
    def blocked(self) -> bool:
        return bool(self.blocking)


# --------------------------------------------------------------------------------------------
# configuration and paths


def load_project_config(cwd: str | None) -> tuple[Config, str | None]:
    """The project's config (found from cwd upwards); defaults (every rule on) if it is broken."""
    from backdoor_lint.config import ConfigError, load_config

    start = Path(cwd or os.getcwd())
    try:
        return load_config(None, start=start if start.is_dir() else Path.cwd()), None
    except ConfigError as exc:
        return Config(root=start.resolve() if start.is_dir() else Path.cwd()), \
            f"project configuration ignored, all rules on: {exc}"


def resolve_path(path: str, cwd: str | None) -> Path:
    expanded = os.path.expanduser(path)
    return Path(expanded) if os.path.isabs(expanded) else Path(cwd or os.getcwd()) / expanded


def display_path(path: Path, config: Config) -> str:
    try:
        return path.resolve().relative_to(config.root.resolve()).as_posix()
    except (ValueError, OSError):
        return path.as_posix()


def read_existing(path: Path, limit: int) -> bytes | None:
    try:
        if path.is_file():
            with open(path, "rb") as handle:
                return handle.read(limit + 1)
    except OSError:
        return None
    return None


# --------------------------------------------------------------------------------------------
# files


def scan_other_language(display: str, data: bytes, config: Config, language: str,
                        suppressed: list | None = None, extra=None) -> list[Finding]:
    """Checks for content that is not Python. The ONE routing point for other languages: the
    engine's text checks (invisible/bidi characters, shell analysis of scripts) and the semgrep
    rules, whose raw findings (and `extra`, a callable giving more raw findings) go through the
    policy pipeline once, with the file's own inline suppressions."""
    from backdoor_lint import policy
    from backdoor_lint.engine import check_bytes

    raw = check_bytes(display, data, config, language=language)
    findings = list(raw.findings)
    if config.semgrep and language not in ("text", "binary"):
        from backdoor_lint.semgrep_runner import scan_content

        findings += scan_content(display, data, config, language=language).findings
    if extra is not None:
        findings += extra()
    result = policy.apply_one(display, display, findings, raw.suppressions, config)
    if suppressed is not None:
        suppressed += result.suppressed
    return result.findings


SHELL_RC_FILES = {".bashrc", ".bash_profile", ".bash_login", ".profile", ".zshrc", ".zprofile", ".zshenv",
                  ".zlogin", ".kshrc", ".envrc", "bashrc", "profile"}


def file_findings(display: str, data: bytes, config: Config, suppressed: list | None = None) -> list[Finding]:
    """Findings of one file's content as if it were at `display`; findings silenced by inline
    suppressions are appended to `suppressed` as (finding, suppression) when it is given."""
    from backdoor_lint.languages import language_for

    language = language_for(display, data[:8192])
    if display.rsplit("/", 1)[-1] in SHELL_RC_FILES:
        language = "bash"  # shell start-up files run on every new shell: persistence
    if language == "binary":
        return []
    if language == "python":
        from backdoor_lint.engine import scan_bytes

        result = scan_bytes(display, data, config)
        if suppressed is not None:
            suppressed += result.suppressed
        return result.findings
    # shell scripts get the shell analysis through the engine's text checker (checkers/text_shell.py)
    name = display.rsplit("/", 1)[-1]

    def embedded() -> list[Finding]:  # (package.json scripts: checkers/text_embedded_shell.py, via the engine)
        if name.endswith(".ipynb"):
            return _notebook_findings(display, data, config)
        return []

    return _dedupe(scan_other_language(display, data, config, language, suppressed, extra=embedded))


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in findings:
        key = (f.code, f.line, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def _notebook_findings(display: str, data: bytes, config: Config) -> list[Finding]:
    """Code cells of a Jupyter notebook as one Python file; `!` lines and %%bash cells as shell."""
    import json

    try:
        cells = json.loads(data.decode("utf-8", "replace")).get("cells", [])
    except (ValueError, AttributeError):
        return []
    from backdoor_lint.engine import scan_bytes

    python, out = [], []
    for index, cell in enumerate(cells if isinstance(cells, list) else []):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        py, shell = split_cell(source)
        python.append(py)
        for command in shell:
            out += [Finding(display, 1, 1, f.code, f"cell {index + 1}: {f.message}", engine="core", snippet=f.snippet)
                    for f in check_command(command, None, config).findings]
    code = "\n\n".join(python)
    out += [f for f in scan_bytes(display + ".py", code.encode("utf-8", "surrogatepass"), config).findings
            if f.code != "BDL901"]
    return out


def split_cell(source: str) -> tuple[str, list[str]]:
    """(Python code, shell commands) of a notebook cell: `!cmd` lines and %%bash/%%sh cells are shell."""
    lines = source.splitlines()
    if lines and lines[0].startswith(("%%bash", "%%sh", "%%script bash", "%%script sh")):
        return "", ["\n".join(lines[1:])]
    shell = [line.lstrip()[1:] for line in lines if line.lstrip().startswith("!")]
    python = "\n".join("" if line.lstrip().startswith(("!", "%")) else line for line in lines)
    return python, shell


def _line_of(text: str, snippet: str) -> int:
    if snippet:
        index = text.find(snippet.splitlines()[0] if snippet.splitlines() else snippet)
        if index >= 0:
            return text.count("\n", 0, index) + 1
    return 1


def _site(finding: Finding, lines: list[str]) -> str:
    site = finding.snippet
    if not site and 0 < finding.line <= len(lines):
        site = lines[finding.line - 1]
    return site


def introduced(before: list[Finding], after: list[Finding]) -> list[Finding]:
    """Findings of `after` that `before` does not have: "the same finding" is the same fingerprint
    (findings.assign_fingerprints: rule, path, site text and occurrence), as for baselines."""
    known = {f.fingerprint for f in before}
    return [f for f in after if f.fingerprint not in known]


def check_content(path: str, new: bytes, cwd: str | None, config: Config,
                  original: bytes | None = None, original_known: bool = False) -> list[Finding]:
    """Findings the new content of `path` introduces compared with `original` (default: disk)."""
    from backdoor_lint import policy

    target = resolve_path(path, cwd)
    display = display_path(target, config)
    if not original_known:
        original = read_existing(target, config.max_file_size)
    suppressed: list = []
    findings = file_findings(display, new, config, suppressed)
    new_text = new.decode("utf-8", "replace")
    if original is not None and findings:
        old_text = original.decode("utf-8", "replace")
        # Only a finding whose site text already occurs in the old file can be pre-existing; when
        # none does, skip analysing the old file (halves the cost of a typical edit).
        old_sites = {_WS.sub(" ", line).strip() for line in old_text.splitlines()}
        new_lines = new_text.splitlines()
        if any(f.code in ("BDL901", "BDL902") or
               all(_WS.sub(" ", part).strip() in old_sites for part in _site(f, new_lines).splitlines())
               for f in findings):
            findings = introduced(file_findings(display, original, config), findings)
    findings += _newly_suppressed(suppressed, original, new_text)  # never diffed away
    old_text = original.decode("utf-8", "replace") if original is not None else None
    findings += policy.apply_one(display, display, guard_findings(display, old_text, new_text), [], config).findings
    return findings


def _newly_suppressed(suppressed: list, original: bytes | None, new_text: str) -> list[Finding]:
    """Findings silenced by a `backdoor-lint: ignore` comment that this change adds. An agent may
    not suppress findings; a person adds suppressions in a reviewed change."""
    if not suppressed:
        return []
    old_lines = {_WS.sub(" ", line).strip() for line in (original or b"").decode("utf-8", "replace").splitlines()}
    new_lines = new_text.splitlines()
    out = []
    for finding, suppression in suppressed:
        comment = new_lines[suppression.line - 1] if 0 < suppression.line <= len(new_lines) else ""
        if _WS.sub(" ", comment).strip() in old_lines:
            continue
        finding.message += (" (silenced only by a `backdoor-lint: ignore` comment this change adds; an agent may not "
                            "suppress findings, a person must review and add the suppression)")
        out.append(finding)
    return out


def check_write(path: str, content: str, cwd: str | None, config: Config | None = None) -> Verdict:
    config = config or load_project_config(cwd)[0]
    verdict = Verdict(f"write to {path}")
    verdict.findings = check_content(path, content.encode("utf-8", "surrogatepass"), cwd, config)
    return verdict


def apply_edits(original: str, edits: list[Edit]) -> tuple[str | None, list[str]]:
    """The file after the edits, or None when an edit's old text is not in the file (the agent's
    own tool would fail); also the new fragments."""
    text = original
    for edit in edits:
        if edit.old == "":
            if text == "":
                text = edit.new
                continue
            return None, [e.new for e in edits]
        if edit.old not in text:
            return None, [e.new for e in edits]
        text = text.replace(edit.old, edit.new) if edit.replace_all else text.replace(edit.old, edit.new, 1)
    return text, [e.new for e in edits]


def check_edit(path: str, edits: list[Edit], cwd: str | None, config: Config | None = None) -> Verdict:
    config = config or load_project_config(cwd)[0]
    verdict = Verdict(f"edit of {path}")
    target = resolve_path(path, cwd)
    original = read_existing(target, config.max_file_size)
    base = original.decode("utf-8", "replace") if original is not None else ""
    result, fragments = apply_edits(base, edits)
    if result is not None:
        verdict.findings = check_content(path, result.encode("utf-8", "surrogatepass"), cwd, config,
                                         original=original, original_known=True)
        return verdict
    # The edit does not apply to the file on disk: check the new text on its own (a fragment may
    # not parse, so parse failures are not reported).
    verdict.notes.append("the text to replace was not found in the file on disk; the new text was checked alone")
    display = display_path(target, config)
    for fragment in fragments:
        verdict.findings += [f for f in file_findings(display, fragment.encode("utf-8", "surrogatepass"), config)
                             if f.code not in ("BDL901",)]
    return verdict


def check_patch(patch: str, cwd: str | None, config: Config | None = None) -> Verdict:
    """A Codex apply_patch envelope (*** Begin Patch / *** Add File / *** Update File / ...)."""
    config = config or load_project_config(cwd)[0]
    verdict = Verdict("patch (apply_patch)")
    files = parse_patch(patch)
    if files is None:
        verdict.findings.append(Finding(COMMAND_DISPLAY, 1, 1, "BDL901", "the patch could not be parsed, so it "
                                        "cannot be screened", engine="core"))
        return verdict
    for op, path, body, move_to in files:
        target = resolve_path(path, cwd)
        if op == "delete":
            from backdoor_lint import policy

            display = display_path(target, config)
            before = read_existing(target, config.max_file_size)
            old_text = before.decode("utf-8", "replace") if before is not None else None
            verdict.findings += policy.apply_one(display, display, guard_findings(display, old_text, None), [],
                                                 config).findings
            continue
        if op == "add":
            verdict.findings += check_content(move_to or path, body.encode("utf-8", "surrogatepass"), cwd, config)
            continue
        original = read_existing(target, config.max_file_size)
        base = original.decode("utf-8", "replace") if original is not None else ""
        result = apply_hunks(base, body)
        if result is None:
            added = "\n".join(line[1:] for line in body.splitlines() if line.startswith("+"))
            verdict.notes.append(f"the patch for {path} does not apply to the file on disk; its added lines were "
                                 "checked alone")
            verdict.findings += [f for f in file_findings(display_path(target, config),
                                                          added.encode("utf-8", "surrogatepass"), config)
                                 if f.code != "BDL901"]
            continue
        verdict.findings += check_content(move_to or path, result.encode("utf-8", "surrogatepass"), cwd, config,
                                          original=original, original_known=True)
    return verdict


def parse_patch(patch: str) -> list[tuple[str, str, str, str | None]] | None:
    lines = patch.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == "*** Begin Patch"), None)
    if start is None:
        return None
    files: list[tuple[str, str, str, str | None]] = []
    current = None
    body: list[str] = []
    move_to = None

    def flush():
        if current is not None:
            op, path = current
            text = "\n".join(body)
            if op == "add":
                text = "\n".join(line[1:] if line.startswith("+") else line for line in body) + ("\n" if body else "")
            files.append((op, path, text, move_to))

    for line in lines[start + 1:]:
        m = re.match(r"\*\*\* (Add|Update|Delete) File: (.+)$", line)
        if m:
            flush()
            current, body, move_to = (m.group(1).lower(), m.group(2).strip()), [], None
            continue
        if line.startswith("*** Move to: "):
            move_to = line[len("*** Move to: "):].strip()
            continue
        if line.strip() == "*** End Patch":
            break
        if line.startswith("*** End of File"):
            continue
        body.append(line)
    flush()
    return files


def apply_hunks(original: str, body: str) -> str | None:
    """Apply the @@ hunks of one Update File section; None when a hunk does not match."""
    lines = original.split("\n")
    hunks: list[list[str]] = []
    for line in body.split("\n"):
        if line.startswith("@@"):
            hunks.append([])
            continue
        if not hunks:
            hunks.append([])
        hunks[-1].append(line)
    position = 0
    for hunk in hunks:
        while hunk and hunk[-1] == "":
            hunk.pop()
        if not hunk:
            continue
        old = [h[1:] if h[:1] in (" ", "-") else h for h in hunk if not h.startswith("+")]
        new = [h[1:] if h[:1] in (" ", "+") else h for h in hunk if not h.startswith("-")]
        index = _find(lines, old, position)
        if index is None:
            index = _find([x.strip() for x in lines], [x.strip() for x in old], 0)
            if index is None:
                return None
        lines[index:index + len(old)] = new
        position = index + len(new)
    return "\n".join(lines)


def _find(lines: list[str], needle: list[str], start: int) -> int | None:
    if not needle:
        return start
    for i in range(start, len(lines) - len(needle) + 1):
        if lines[i:i + len(needle)] == needle:
            return i
    return None


# --------------------------------------------------------------------------------------------
# the guard's own configuration (BDL803) and git hooks (BDL804)

def in_result_cache(path: str) -> bool:
    """Is `path` inside backdoor-lint's result cache? A pack written there by anyone but
    backdoor-lint could make later scans answer "clean" for content they never analysed."""
    from backdoor_lint.cache import default_cache_dir

    norm = path.replace("\\", "/")
    if "/.cache/backdoor-lint/" in norm + "/" or "backdoor-lint/v1/packs" in norm:
        return True
    try:
        return Path(os.path.expanduser(path)).resolve().is_relative_to(default_cache_dir().resolve())
    except (OSError, RuntimeError, ValueError):
        return False


CACHE_TAMPERING = ("writes into backdoor-lint's result cache ({path}): a forged entry there makes later scans "
                   "report files as clean without analysing them. Only backdoor-lint writes its cache; clear it "
                   "with `rm -rf` if it must go")


def guard_findings(display: str, old: str | None, new: str | None) -> list[Finding]:
    """BDL803/804 for a change of `display` from `old` to `new` (None: absent / deleted)."""
    from backdoor_lint.checkers.shell import is_git_hook_path

    from backdoor_lint.guard_config import file_change_findings

    norm = display.replace("\\", "/")
    out: list[Finding] = []

    def add(code: str, message: str, snippet: str = "") -> None:
        line = _line_of(new or "", snippet) if snippet else 1
        out.append(Finding(display, line, 1, code, message, engine="core", snippet=snippet))

    if new is not None and in_result_cache(display):
        add("BDL803", CACHE_TAMPERING.format(path=display))
    if is_git_hook_path(norm) and new is not None:
        body = [line.strip() for line in new.splitlines() if line.strip() and not line.strip().startswith("#")]
        if all(re.match(r"(exit\s+0|true|:|exit)\s*;?$", line) for line in body):
            add("BDL804", f"overwrites the git hook {display} with a script that does nothing, so commits are no "
                "longer screened")
    # the guard's configuration, pre-commit, CI, agent settings, baselines: the engine `scan --staged` uses
    out += file_change_findings(display, norm, _encoded(old), _encoded(new))
    return out


def _encoded(text: str | None) -> bytes | None:
    return None if text is None else text.encode("utf-8", "surrogatepass")


# --------------------------------------------------------------------------------------------
# commands


def check_command(command: str, cwd: str | None, config: Config | None = None,
                  session: str | None = None) -> Verdict:
    """`session`: the agent session's key (hooks/session.py); what earlier calls of the session left
    behind (files holding secrets, remotes, scripts written) is taken into account."""
    from backdoor_lint.checkers.shell import MAX_COMMAND, analyse, is_git_hook_path, is_guard_config
    from backdoor_lint.hooks import session as memory_store

    config = config or load_project_config(cwd)[0]
    verdict = Verdict("shell command")
    if len(command) > MAX_COMMAND:
        verdict.findings.append(Finding(COMMAND_DISPLAY, 1, 1, "BDL902", f"the command is {len(command)} characters "
                                        f"long, more than the {MAX_COMMAND} that can be screened; write large files "
                                        "with the editor tool and run shorter commands", engine="core"))
        return verdict
    memory = memory_store.load(session)
    known = _known(memory)
    where = os.path.abspath(cwd or os.getcwd())
    analysis = analyse(command, known, where)
    # the command's own findings: raw, through the policy pipeline once (below)
    own = [Finding(COMMAND_DISPLAY, 1, 1, f.code, f.message, engine="core", snippet=f.snippet)
           for f in analysis.findings]
    own += _session_scripts(analysis.runs, memory, known, where, config)
    own += _forgetting(analysis.removed, memory, where)
    verdict.remember = {"staged": analysis.staged, "remotes": analysis.remotes,
                        "written": [written_key(w.path, where) for w in analysis.writes]}
    for write in analysis.writes:
        if write.content is None and in_result_cache(write.path):
            own.append(Finding(COMMAND_DISPLAY, 1, 1, "BDL803", CACHE_TAMPERING.format(path=write.path),
                               engine="core", snippet=write.via))
            continue
        if write.content is None:
            guard = is_guard_config(write.path)
            if guard or is_git_hook_path(write.path):
                code = "BDL804" if is_git_hook_path(write.path) else "BDL803"
                own.append(Finding(COMMAND_DISPLAY, 1, 1, code, f"overwrites {write.path} with content that cannot "
                                   "be checked; use the editor tool so the change can be screened", engine="core",
                                   snippet=write.via))
            continue
        target = resolve_path(write.path, cwd)
        original = read_existing(target, config.max_file_size)
        content = write.content.encode("utf-8", "surrogatepass")
        if write.append and original is not None:
            content = original + content
        for f in check_content(write.path, content, cwd, config, original=original, original_known=True):
            f.message = f"{f.message} (written by the command: `{_short(write.via)}`)"
            verdict.findings.append(f)
    for inline in analysis.inline:
        code = inline.code.encode("utf-8", "surrogatepass")
        if inline.language == "python":
            from backdoor_lint.engine import scan_bytes

            found = scan_bytes(f"<{inline.via}>.py", code, config).findings
        elif inline.language in INLINE_EXTENSIONS:
            # node -e, perl -e, ...: the same routing as files of that language (semgrep rules)
            display = f"<{inline.via}>{INLINE_EXTENSIONS[inline.language]}"
            found = scan_other_language(display, code, config, inline.language)
        else:
            continue
        # a one-liner's top level is the program itself, not import-time code (BDL401)
        verdict.findings += [f for f in found if f.code not in ("BDL901", "BDL401")]
    if own:  # the policy (and its modules) only for findings to apply it to
        from backdoor_lint import policy

        verdict.findings[:0] = policy.apply_one(COMMAND_DISPLAY, COMMAND_DISPLAY, own, [], config).findings
    return verdict


INLINE_EXTENSIONS = {"javascript": ".js", "perl": ".pl", "ruby": ".rb", "php": ".php", "lua": ".lua"}


def _short(text: str, limit: int = 80) -> str:
    text = _WS.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 3] + "..."


def written_key(path: str, cwd: str | None) -> str:
    """How the session memory names a file the agent wrote: its absolute, normalised path."""
    return os.path.normpath(str(resolve_path(path, cwd)))


def _known(memory):
    from backdoor_lint.checkers.shell import Known

    return Known(staged={p: (what, tag) for p, (what, tag, _) in memory.staged.items()},
                 remotes={name: url for name, (url, _) in memory.remotes.items()})


def _forgetting(removed: list[str], memory, cwd: str) -> list[Finding]:
    """Deleting the session memory while it records files that hold secrets would let the next call
    upload them unnoticed (the memory only adds denials; without it nothing is known)."""
    if not memory.staged or not removed:
        return []
    from backdoor_lint.hooks.session import sessions_dir

    sessions = os.path.normpath(str(sessions_dir()))
    for path in removed:
        target = os.path.normpath(str(resolve_path(path.rstrip("*").rstrip("/") or "/", cwd)))
        if sessions == target or sessions.startswith(target.rstrip("/") + "/"):
            held = ", ".join(list(memory.staged)[:3])
            return [Finding(COMMAND_DISPLAY, 1, 1, "BDL803", f"deletes the agent hook's session memory ({path}) "
                            f"while it records files that hold secrets ({held}): the next command could upload "
                            "them unnoticed. Delete those files instead", engine="core")]
    return []


def _session_scripts(runs: list, memory, known, cwd: str, config: Config) -> list[Finding]:
    """`bash f`, `. f`, `make` of a file an earlier call of this session wrote: analysed as the
    script or Makefile it is (a name like `notes` or `build.txt` hides it from the Write check)."""
    out = []
    for kind, path in runs:
        key = written_key(path, cwd)
        if key not in memory.written:
            continue
        from backdoor_lint.checkers.shell import analyse_script
        from backdoor_lint.checkers.shell.carriers import makefile_shell

        data = read_existing(Path(key), config.max_file_size)
        if data is None:
            continue
        text = data.decode("utf-8", "replace")
        scripts = [s.text for s in makefile_shell(text)] if kind == "make" else [text]
        for script in scripts:
            for f in analyse_script(script, known, cwd).findings:
                out.append(Finding(COMMAND_DISPLAY, 1, 1, f.code, f"{f.message} (in {path}, which this agent session "
                                   "wrote and this command runs)", engine="core", snippet=f.snippet))
    return out
