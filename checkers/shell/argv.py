"""Command lines run by other languages' process calls, as shell text for the analysis: an argv
list becomes the line a shell would run (`["bash", "-c", s]` is `bash -c 's'`). Unknown parts
(a language analysis' hole character) reach the shell analysis as an unset variable: unknown
text, never a guess. Used by the Python dataflow and the JavaScript/TypeScript analysis."""
from __future__ import annotations

import re
import shlex

UNKNOWN_PART = "${UNKNOWN}"
# [program, flag, script]: interpreters that are not bash whose script is taken as the command line
FOREIGN_SCRIPT_FLAGS = {"cmd": "/c", "cmd.exe": "/c", "powershell": "-Command", "pwsh": "-Command",
                        "powershell.exe": "-Command"}


def _shell_word(word: str, hole: str) -> str:
    """One argument of an argv list as shell text: quoted, so no shell syntax of its own counts."""
    if hole not in word:
        return shlex.quote(word)
    return '"' + re.sub(r'([$`"\\\\])', r"\\\1", word) + '"'  # the hole: expanded by the caller


def argv_command(words: list[str], hole: str) -> str:
    """The shell text equivalent to running an argv list (`["bash", "-c", s]` is `bash -c 's'`)."""
    for index, word in enumerate(words[:-1]):
        program = words[index - 1].replace("\\", "/").rsplit("/", 1)[-1].lower() if index >= 1 else ""
        if FOREIGN_SCRIPT_FLAGS.get(program) == word:
            return words[index + 1]
    return " ".join(_shell_word(w, hole) for w in words)
