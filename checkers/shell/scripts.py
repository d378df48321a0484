"""Scripts, Makefiles and git remotes a command line uses: `bash f`, `. f`, `make -f f` of a file
the same command wrote is analysed as what it is (a script, a Makefile); a file it did not write
is reported in ShellAnalysis.runs so that the agent hook can analyse it when an earlier tool call
of the session wrote it. `git remote add` + `git push` of a dump is read here too."""
from __future__ import annotations

import re

from backdoor_lint.checkers.shell.staging import normalise
from backdoor_lint.checkers.shell.tampering import git_subcommand
from backdoor_lint.checkers.shell.values import UNKNOWN, Stream, Word

MAKEFILES = ("GNUmakefile", "makefile", "Makefile")
_URL_REMOTE = re.compile(r"\A(?:[a-z][\w+.-]*://|[\w.-]+@[\w.-]+:)")


class ScriptRunner:
    """Mixin of the analyser (it provides shared, result, staged, recurse)."""

    def run_script_file(self, kind: str, path: str) -> Stream:
        """`bash f`, `. f`, `make -f f`: a file this command wrote is analysed as what it is; any
        other is left to the caller (hooks: files written earlier in the agent session)."""
        if not path:
            return UNKNOWN
        text = self.shared.written.get(normalise(path, self.shared.cwd))
        if text is None:
            self.result.runs.append((kind, path))
            return UNKNOWN
        if kind == "make":
            from backdoor_lint.checkers.shell.carriers import makefile_shell

            for recipe in makefile_shell(text):
                self.recurse(recipe.text)
            return UNKNOWN
        return self.recurse(text)

    def run_make(self, args: list[Word], node) -> Stream:
        texts = [a.text for a in args]
        files = [texts[i + 1] for i, t in enumerate(texts[:-1]) if t in ("-f", "--file", "--makefile")]
        files += [t.split("=", 1)[1] for t in texts if t.startswith(("--file=", "--makefile="))]
        files += [t[2:] for t in texts if t.startswith("-f") and len(t) > 2]
        directory = next((texts[i + 1] for i, t in enumerate(texts[:-1]) if t in ("-C", "--directory")), "")
        if not files:  # the default Makefile, only when this command (or the session) wrote one
            prefix = directory.rstrip("/") + "/" if directory else ""
            files = [prefix + name for name in MAKEFILES]
        for f in files:
            self.run_script_file("make", f)
        return UNKNOWN

    def run_git_remote(self, args: list[Word], snippet: str) -> None:
        """`git remote add x URL` then `git push x`, or `git push URL`: a push to a remote this session
        chose, while a file holding secrets exists, publishes the dump as a commit."""
        index = git_subcommand([a.text for a in args])
        texts = [a.text for a in args[index:] if not a.text.startswith("-")] if index is not None else []
        if texts[:2] in (["remote", "add"], ["remote", "set-url"]) and len(texts) >= 4:
            self.shared.remotes[texts[2]] = texts[3]
            self.result.remotes[texts[2]] = texts[3]
            return
        if texts[:1] != ["push"] or len(texts) < 2:
            return
        target = texts[1]
        url = self.shared.remotes.get(target) or (target if _URL_REMOTE.match(target)
                                                   else None)
        if url and self.staged.files:
            held = ", ".join(dict.fromkeys(f"{path} ({what})" for path, (what, _) in self.staged.files.items()))
            self.result.add("BDL402", f"pushes to `{target}` ({url}), a remote this session chose, after writing "
                            f"files that hold secrets ({held[:200]}): a committed dump leaves with the push",
                            snippet)
