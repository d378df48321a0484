"""Staged exfiltration: files that hold secrets because a command put them there (`printenv > f`,
`cp ~/.aws/credentials /tmp/x`, `tar czf k.tgz ~/.ssh`), so that a later upload of such a file
(`curl -T f`, `--data-binary @f`, `-F x=@f`, `< f`) is read as the upload of the secret itself.

The files known from earlier tool calls of the same agent session come in as `known` (the agent
hook keeps them, hooks/session.py); the ones this command adds are returned in `added`. Paths are
compared normalised: `~` and `$HOME` as `~`, relative paths joined to the command's directory when
it is known. Pure string work: no file system access."""
from __future__ import annotations

import posixpath

from backdoor_lint.checkers.shell.values import Word
from backdoor_lint.checkers.shell.wordlists import ENV_FILES, cred_path


def normalise(path: str, cwd: str | None) -> str:
    text = path.strip()
    for home in ("$HOME/", "${HOME}/"):
        if text.startswith(home):
            text = "~/" + text[len(home):]
    if text.startswith("~"):
        return posixpath.normpath(text)
    if not text.startswith("/") and cwd:
        text = posixpath.join(cwd, text)
    return posixpath.normpath(text) if text else text


class StagedFiles:
    """Known secret-holding files: normalised path -> (what it holds, taint tag)."""

    def __init__(self, cwd: str | None = None, known: dict[str, tuple[str, str]] | None = None) -> None:
        self.cwd = cwd
        self.files: dict[str, tuple[str, str]] = dict(known or {})
        self.added: dict[str, tuple[str, str]] = {}

    def add(self, path: str, what: str, tag: str) -> None:
        if not path or path == "-" or path.startswith(("/dev/", "&", ">(")):
            return
        key = normalise(path, self.cwd)
        self.files[key] = self.added[key] = (what or "secrets", tag)

    def staged(self, text: str) -> tuple[str, str] | None:
        """(what, tag) when `text` names a file (or a file under a directory) known to hold secrets."""
        path = text.lstrip("@<")
        if not path or path in ("-", "/dev/stdin"):
            return None
        key = normalise(path, self.cwd)
        if key in self.files:
            return self.files[key]
        for known, value in self.files.items():
            if key.startswith(known.rstrip("/") + "/"):
                return value
        return None

    def held(self, text: str) -> str | None:
        """What `text` holds when it names a credential file or a file known to hold secrets; the
        description shown in findings (`.aws/credentials`, `/tmp/x (holds ~/.aws/credentials)`)."""
        found = cred_path(text)
        if found:
            return found
        staged = self.staged(text)
        return f"{text.lstrip('@<')} (which holds {staged[0]})" if staged else None

    def tags(self, text: str) -> frozenset:
        """The taint of reading the file `text`: env, cred or secret; empty for an ordinary file."""
        if cred_path(text):
            return frozenset({"env"} if ENV_FILES.search(text) else {"cred"})
        staged = self.staged(text)
        return frozenset({staged[1]}) if staged else frozenset()

    def copy(self, sources: list[Word], destination: str, via: str) -> None:
        """`cp`/`mv`/`tar`/`zip`: the destination holds what the sources hold."""
        held = [h for h in (self.held(s.text) for s in sources) if h]
        if held:
            tag = "env" if any("env" in self.tags(s.text) for s in sources) else "cred"
            self.add(destination, ", ".join(dict.fromkeys(held)), tag)




def copy_destination(name: str, args: list[Word]) -> tuple[list[Word], str] | None:
    """(sources, destination) of a local copy or archive command, or None."""
    texts = [a.text for a in args]
    operands = [a for a in args if not a.text.startswith("-")]
    if name in ("cp", "mv", "install", "ln", "rsync") and len(operands) >= 2:
        if "-t" in texts or any(t.startswith("--target-directory") for t in texts):
            return None
        if name == "rsync" and any(":" in a.text.split("/", 1)[0] for a in operands):
            return None  # a remote copy: the network analysis reads it
        return operands[:-1], operands[-1].text
    if name == "tar":
        return _tar(args)
    if name in ("zip", "7z", "7za") and operands:
        rest = operands[1:] if name == "zip" else operands[2:] if operands[0].text == "a" else []
        archive = operands[0].text if name == "zip" else operands[1].text if len(operands) > 1 else ""
        return (rest, archive) if rest and archive else None
    if name == "dd":
        source = next((a.text[3:] for a in args if a.text.startswith("if=")), "")
        target = next((a.text[3:] for a in args if a.text.startswith("of=")), "")
        return ([Word(source)], target) if source and target else None
    return None


def _tar(args: list[Word]) -> tuple[list[Word], str] | None:
    archive, operands, creating = "", [], False
    i = 0
    while i < len(args):
        t = args[i].text
        if t.startswith("--file="):
            archive = t.split("=", 1)[1]
        elif t == "--file" and i + 1 < len(args):
            archive, i = args[i + 1].text, i + 1
        elif t.startswith("--create"):
            creating = True
        elif t.startswith("-") and not t.startswith("--") or i == 0 and not t.startswith("-"):
            letters = t.lstrip("-")
            creating = creating or "c" in letters or "r" in letters
            if "f" in letters:
                tail = letters[letters.index("f") + 1:]
                if tail:
                    archive = tail
                elif i + 1 < len(args):
                    archive, i = args[i + 1].text, i + 1
        elif not t.startswith("-"):
            operands.append(args[i])
        i += 1
    return (operands, archive) if creating and archive and archive != "-" and operands else None
