"""Wrappers: commands that run another command (env, sudo, nohup, timeout, xargs, uv run, ...).
A table says which of their options take a value and how many operands precede the command;
`su -c`/`script -c` hand their code to the analyser."""
from __future__ import annotations

import re

from backdoor_lint.checkers.shell.tampering import check_bypass_env
from backdoor_lint.checkers.shell.values import EMPTY, HANDLED, Stream, Word
from backdoor_lint.checkers.shell.wordlists import SHELLS, basename

# wrapper: (options taking a value, number of leading operands to skip)
WRAPPER_OPTIONS = {
    "sudo": ({"-u", "-g", "-p", "-C", "-D", "-h", "-r", "-t", "-T", "-U", "--user", "--group", "--prompt",
              "--chdir", "--host", "--role", "--type", "--close-from", "--other-user"}, 0),
    "doas": ({"-u", "-C"}, 0),
    "nohup": (set(), 0), "time": ({"-f", "-o", "--format", "--output"}, 0), "command": (set(), 0),
    "builtin": (set(), 0), "exec": ({"-a"}, 0), "nice": ({"-n", "--adjustment"}, 0),
    "ionice": ({"-c", "-n", "-p", "-P", "-u", "--class", "--classdata"}, 0),
    "timeout": ({"-s", "-k", "--signal", "--kill-after"}, 1), "stdbuf": ({"-i", "-o", "-e"}, 0),
    "setsid": (set(), 0), "chronic": (set(), 0), "unbuffer": (set(), 0), "caffeinate": (set(), 0),
    "taskset": (set(), 1), "chrt": (set(), 1), "flock": ({"-w", "-E", "--timeout", "--conflict-exit-code"}, 1),
    "strace": ({"-e", "-o", "-p", "-s", "-u"}, 0), "ltrace": ({"-e", "-o"}, 0),
    "firejail": (set(), 0), "proxychains": ({"-f"}, 0), "proxychains4": ({"-f"}, 0), "torsocks": (set(), 0),
    "tsocks": (set(), 0), "npx": ({"-p", "--package"}, 0), "uv": (set(), 0), "poetry": (set(), 0),
    "pipenv": (set(), 0), "pdm": (set(), 0), "hatch": (set(), 0), "dotenv": (set(), 0),
}
# runners that wrap a command only after a sub-command (`uv run cmd`); None: right away
RUNNER_SUBCOMMAND = {"uv": "run", "poetry": "run", "pipenv": "run", "pdm": "run", "hatch": "run", "npx": None,
                     "dotenv": None}
# commands whose -c/--command option is shell code
CODE_OPTION_RUNNERS = {"su": "su -c", "runuser": "runuser -c", "script": "script -c"}
XARGS_VALUE_OPTIONS = {"-n", "-I", "-L", "-P", "-d", "-E", "-s", "-a", "--max-args", "--replace", "--max-lines",
                       "--max-procs", "--delimiter", "--eof", "--max-chars", "--arg-file"}
XARGS_INPUT = "{xargs-input}"


class WrapperUnwrapper:
    """Mixin of the analyser: strips wrappers off an argv (run_argv and run_code_word come from it)."""

    def unwrap(self, argv: list[Word], stdin: Stream, node) -> list[Word]:
        for _ in range(16):
            if not argv:
                return argv
            name = basename(argv[0].text)
            if name == "env":
                argv = self._unwrap_env(argv, node)
                if len(argv) == 1 and basename(argv[0].text) == "env":
                    return argv
                continue
            if name in CODE_OPTION_RUNNERS:
                return self._unwrap_code_option(name, argv, node)
            if name == "xargs":
                return self.unwrap_xargs(argv, stdin, node)
            if name == "busybox" and len(argv) > 1 and basename(argv[1].text) not in SHELLS:
                argv = argv[1:]
                continue
            if name not in WRAPPER_OPTIONS:
                return argv
            if name == "command" and len(argv) > 1 and argv[1].text in ("-v", "-V"):
                return []
            start = self._wrapped_command_start(name, argv)
            if isinstance(start, list):
                return start
            argv = argv[start:]
        return argv

    def _unwrap_env(self, argv: list[Word], node) -> list[Word]:
        """`env -u X A=1 cmd`: cmd and its arguments; `[env]` for a bare env (it prints the environment)."""
        rest = argv[1:]
        i = 0
        while i < len(rest):
            t = rest[i].text
            if t in ("-u", "--unset", "-C", "--chdir"):
                i += 2
            elif t in ("-S", "--split-string") and i + 1 < len(rest):
                split = [Word(p, rest[i + 1].tags, rest[i + 1].exact) for p in rest[i + 1].text.split()]
                rest = rest[:i] + split + rest[i + 2:]
            elif t.startswith("--split-string=") or t.startswith("-S") and len(t) > 2:
                val = t.split("=", 1)[1] if "=" in t and t.startswith("--") else t[2:]
                rest = rest[:i] + [Word(p) for p in val.split()] + rest[i + 1:]
            elif t.startswith("-") and t != "-":
                i += 1
            elif "=" in t and re.match(r"[A-Za-z_][A-Za-z0-9_]*=", t):
                var, val = t.split("=", 1)
                check_bypass_env(self.result, var, Word(val), self.snippet(node), exported=False,
                                 command=rest[i + 1:] or [Word("")])
                i += 1
            else:
                break
        if i >= len(rest):
            return argv[:1]
        return rest[i:]

    def _unwrap_code_option(self, name: str, argv: list[Word], node) -> list[Word]:
        """`su -c 'code' user`: the code is analysed as shell."""
        for i, a in enumerate(argv[1:], 1):
            if a.text in ("-c", "--command") and i + 1 < len(argv):
                self.run_code_word(CODE_OPTION_RUNNERS[name], argv[i + 1], node)
                return [Word(HANDLED)]
        return argv

    @staticmethod
    def _wrapped_command_start(name: str, argv: list[Word]) -> int | list[Word]:
        """Index of the wrapped command in argv, or the argv to analyse instead (`sudo -s`: a shell)."""
        takes, operands = WRAPPER_OPTIONS[name]
        i = 1
        while i < len(argv):
            t = argv[i].text
            if t == "--":
                i += 1
                break
            if t in takes:
                i += 2
            elif t.startswith("-") and len(t) > 1:
                if name == "sudo" and t in ("-s", "-i", "--shell", "--login") and i + 1 >= len(argv):
                    return [Word("bash")]
                i += 1
            elif name == "nice" and re.match(r"-\d+$", t):
                i += 1
            else:
                break
        i += operands
        sub = RUNNER_SUBCOMMAND.get(name)
        if sub is not None:
            if i < len(argv) and argv[i].text == sub:
                i += 1
            else:
                return argv
        return i

    def unwrap_xargs(self, argv: list[Word], stdin: Stream, node) -> list[Word]:
        i = 1
        replace = None
        while i < len(argv):
            t = argv[i].text
            if t in XARGS_VALUE_OPTIONS:
                if t in ("-I", "--replace") and i + 1 < len(argv):
                    replace = argv[i + 1].text
                i += 2
            elif t.startswith("-I") and len(t) > 2:
                replace = t[2:]
                i += 1
            elif t.startswith("-") and len(t) > 1:
                i += 1
            else:
                break
        rest = argv[i:] or [Word("echo")]
        item = Word(XARGS_INPUT, stdin.tags, False, stdin.what)
        if replace:
            rest = [Word(w.text.replace(replace, XARGS_INPUT), w.tags | (item.tags if replace in w.text else
                                                                       frozenset()), w.exact, w.what or item.what)
                    for w in rest]
        else:
            rest = rest + [item]
        self.run_argv(rest, EMPTY, node)
        return [Word(HANDLED)]
