"""Commands that switch the guard off: git options and sub-commands that skip or redirect the
commit hooks (BDL804), file commands that delete or blindly edit the hooks or the guard's
configuration (BDL803/804), and environment variables that tell hook runners to skip."""
from __future__ import annotations

import re

from backdoor_lint.checkers.shell.gitoptions import means_no_verify
from backdoor_lint.checkers.shell.values import ShellAnalysis, Word
from backdoor_lint.checkers.shell.wordlists import (
    HOOK_BYPASS_ENV,
    RUNS_COMMIT_HOOKS,
    basename,
    is_git_hook_path,
    is_guard_config,
)

# git's global options that take a value (`git -C dir commit`)
_GIT_VALUE_OPTIONS = ("-C", "--git-dir", "--work-tree", "--namespace", "--exec-path")


def check_bypass_env(result: ShellAnalysis, name: str, value: Word | None, snippet: str, exported: bool,
                     command: list[Word] | None = None) -> None:
    """`HUSKY=0 git commit`, `export SKIP=...`: variables hook runners read to skip the checks;
    `GIT_CONFIG_KEY_0=core.hooksPath` (with GIT_CONFIG_COUNT/VALUE_0): git configuration from the
    environment, which redirects the hooks like `git -c core.hooksPath=...`."""
    text = value.text if value is not None else ""
    if re.fullmatch(r"GIT_CONFIG_KEY_\d+", name) and text.lower() == "core.hookspath" or \
            name == "GIT_CONFIG_PARAMETERS" and "core.hookspath" in text.lower():
        result.add("BDL804", f"`{name}={text}` sets core.hooksPath through git's environment, pointing git at "
                   "another hooks directory, so the project's commit hooks do not run", snippet)
        return
    if name not in HOOK_BYPASS_ENV:
        return
    wanted = HOOK_BYPASS_ENV[name]
    if wanted is not None and text != wanted:
        return
    if name == "SKIP" and not text:
        return
    if name == "SKIP" and command is not None and not exported:
        head = basename(command[0].text) if command else ""
        if head not in RUNS_COMMIT_HOOKS:
            return
    result.add("BDL804", f"`{name}={text}` switches off commit hooks (pre-commit / husky read it to skip "
               "checks), so the commit is never screened", snippet)


def git_subcommand(texts: list[str]) -> int | None:
    """Index of git's sub-command after the global options."""
    i = 0
    while i < len(texts):
        t = texts[i]
        if (t == "-c" or t in _GIT_VALUE_OPTIONS) and i + 1 < len(texts):
            i += 2
        elif t.startswith("-"):
            i += 1
        else:
            return i
    return None


def _check_global_options(result: ShellAnalysis, texts: list[str], snippet: str) -> None:
    """`git -c core.hooksPath=/dev/null ...`, `git --config-env=core.hooksPath=VAR ...`."""
    for i, t in enumerate(texts):
        setting = texts[i + 1] if t == "-c" and i + 1 < len(texts) else \
            t.split("=", 1)[1] if t.startswith("--config-env=") else None
        if setting is None:
            continue
        key, equals, value = setting.partition("=")
        if key.lower() == "core.hookspath" and equals and value.removeprefix("./").rstrip("/") != ".git/hooks":
            shown = f"{t} {setting}" if t == "-c" else t
            result.add("BDL804", f"`git {shown}` points git at another hooks "
                       "directory for this command, so the project's commit hooks do not run", snippet)


def _commit_short_n(result: ShellAnalysis, rest: list[str], snippet: str) -> None:
    """`git commit -an`: -n (--no-verify) bundled with other short options."""
    for r in rest:
        if r == "--":
            break
        if re.match(r"-[a-zA-Z]+$", r):
            for ch in r[1:]:
                if ch == "n":
                    result.add("BDL804", f"`git commit {r}` includes -n (--no-verify), which skips the "
                               "pre-commit hooks, so the change is never screened", snippet)
                    break
                if ch in "mFcCtS":  # options whose value follows: the rest of the word is that value
                    break


def check_git(result: ShellAnalysis, args: list[Word], snippet: str) -> None:
    texts = [a.text for a in args]
    index = git_subcommand(texts)
    _check_global_options(result, texts[:index] if index is not None else texts, snippet)
    if index is None:
        return
    sub = texts[index]
    rest = texts[index + 1:] if sub else []
    options = rest[:rest.index("--")] if "--" in rest else rest
    skip = next((r for r in options if r.split("=")[0] == "--no-verify" or means_no_verify(sub, r)), None)
    if skip:
        shown = f"`git {sub} {skip}`" + ("" if skip.split("=")[0] == "--no-verify" else " (git reads it as --no-verify)")
        result.add("BDL804", f"{shown} skips the pre-commit/pre-push hooks, so the change is "
                   "never screened by backdoor-lint", snippet)
    _check_plumbing(result, sub, rest, snippet)
    if sub == "commit":
        _commit_short_n(result, rest, snippet)
    if sub == "config":
        keys = [r for r in rest if not r.startswith("-")]
        writing = len(keys) >= 2 or any(r in ("--unset", "--unset-all", "--add", "--replace-all") for r in rest)
        if keys and keys[0].lower() == "core.hookspath" and writing:
            result.add("BDL804", "`git config core.hooksPath` redirects or removes the hooks directory, so "
                       "the project's commit hooks (and backdoor-lint) stop running", snippet)
    if sub in ("rm", "mv"):
        for r in rest:
            if is_guard_config(r):
                result.add("BDL803", f"`git {sub} {r}` removes the guard's configuration, switching the "
                           "checks off for everyone", snippet)
            if is_git_hook_path(r):
                result.add("BDL804", f"`git {sub} {r}` removes commit hooks", snippet)
    if sub == "update-index" and any(r in ("--assume-unchanged", "--skip-worktree") for r in rest) and \
            any(is_guard_config(r) for r in rest):
        result.add("BDL803", "hides changes to the guard's configuration from git", snippet)


def _check_plumbing(result: ShellAnalysis, sub: str, rest: list[str], snippet: str) -> None:
    """`git commit-tree` + `git update-ref refs/heads/...`: a commit made without `git commit`, so
    no commit hook ever sees it."""
    if sub == "commit-tree":
        result.add("BDL804", "`git commit-tree` writes a commit object without running the commit hooks; moved onto "
                   "a branch (update-ref, reset, push) it lands unscreened. Use `git commit`", snippet)
    if sub == "update-ref" and not any(r in ("-d", "--delete", "--stdin") for r in rest):
        refs = [r for r in rest if not r.startswith("-")]
        if refs and (refs[0] == "HEAD" or refs[0].startswith("refs/heads/")):
            result.add("BDL804", f"`git update-ref {refs[0]}` moves a branch to a commit that `git commit` never made, "
                       "so the commit hooks never screened it. Use `git commit`", snippet)


def _check_chmod(result: ShellAnalysis, args: list[Word], snippet: str, downloaded: set[str]) -> None:
    operands = [a.text for a in args if not re.match(r"-[RfvcH]+$|--", a.text)]
    mode = operands[0] if operands else ""
    if re.match(r"[ugoa]*-[rwx]*x|0?[0-7]?[0-6][0-6][0-6]$|[ugoa]*=[rw]*$", mode):
        for p in operands[1:]:
            if is_git_hook_path(p):
                result.add("BDL804", f"`chmod {mode} {p}` makes the commit hook non-executable, so git "
                           "silently skips it", snippet)
    if re.search(r"\+[rwX]*x", mode) or re.fullmatch(r"0?[0-7]?[0-7]{3}", mode) and int(mode[-3], 8) & 1:
        for p in operands[1:]:
            if p in downloaded or basename(p) in downloaded:
                result.add("BDL405", f"marks `{p}`, downloaded by this command, as executable: "
                           "download-then-run executes whatever the server sent, unreviewed", snippet)


def _check_in_place_edit(result: ShellAnalysis, name: str, paths: list[str], flags: list[str], snippet: str) -> None:
    """sed -i / perl -i on the guard's configuration or a commit hook."""
    if not any(f.startswith(("-i", "--in-place=")) or f == "--in-place" or
               (name == "perl" and re.match(r"-[a-zA-Z]*i", f)) for f in flags):
        return
    script = " ".join(paths)
    for p in paths:
        guard = is_guard_config(p)
        if guard or basename(p) == "pyproject.toml" and "backdoor" in script:
            result.add("BDL803", f"edits the guard's configuration `{p}` in place with {name}, where the "
                       "change cannot be checked; use the editor tool so the edit can be screened", snippet)
        if is_git_hook_path(p):
            result.add("BDL804", f"edits the commit hook `{p}` in place", snippet)


def check_file_tampering(result: ShellAnalysis, name: str, args: list[Word], snippet: str,
                         downloaded: set[str]) -> None:
    paths = [a.text for a in args if not a.text.startswith("-")]
    flags = [a.text for a in args if a.text.startswith("-")]
    if name == "chmod":
        _check_chmod(result, args, snippet, downloaded)
    elif name in ("sed", "perl"):
        _check_in_place_edit(result, name, paths, flags, snippet)
    elif name == "ln":
        if paths and paths[0] == "/dev/null" and any(is_git_hook_path(p) for p in paths[1:]):
            result.add("BDL804", "replaces a commit hook with /dev/null, so it never runs", snippet)
    elif name == "cp":
        if paths and paths[0] == "/dev/null" and any(is_git_hook_path(p) or is_guard_config(p) for p in paths[1:]):
            result.add("BDL804", "empties a commit hook or the guard's configuration with /dev/null", snippet)
    else:
        for p in paths if name != "mv" else paths[:-1]:
            result.removed.append(p)
            if is_git_hook_path(p):
                result.add("BDL804", f"`{name} {p}` removes commit hooks, so later commits are not screened",
                           snippet)
            guard = is_guard_config(p)
            if guard:
                result.add("BDL803", f"`{name} {p}` removes the guard's configuration ({guard}), switching the "
                           "checks off", snippet)
