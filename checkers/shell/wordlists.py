"""The shell analysis' word lists in one place: secret names, credential paths and network programs
(taken from the shared vocabulary), the programs only the shell cares about (shells,
interpreters, environment dumpers, filters), the guard's own configuration files and the
variables that switch commit hooks off."""
from __future__ import annotations

from backdoor_lint.checkers import vocabulary

# Secret names, credential files and network programs are the shared vocabulary's
# (checkers/vocabulary.py), so the shell analysis and the Python rules agree on them.
ENV_FILES = vocabulary.ENVIRON_FILE
cred_path = vocabulary.credential_file  # the credential file or directory a word names, or None
is_secret_name = vocabulary.is_secret_variable


SHELLS = {"sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "fish", "yash", "busybox", "rbash"}
INTERPRETERS = {
    "python": "python", "python2": "python", "python3": "python", "pypy": "python", "pypy3": "python",
    "node": "javascript", "nodejs": "javascript", "deno": "javascript", "bun": "javascript",
    "perl": "perl", "ruby": "ruby", "php": "php", "lua": "lua",
}
INLINE_FLAGS = {"python": {"-c"}, "javascript": {"-e", "--eval", "-p", "--print"}, "perl": {"-e", "-E"},
                "ruby": {"-e"}, "php": {"-r"}, "lua": {"-e"}}
DOWNLOADERS = vocabulary.DOWNLOADERS
STDIN_SENDERS = vocabulary.STDIN_SENDERS
UPLOADERS = vocabulary.UPLOADERS
NETWORK = vocabulary.NETWORK_PROGRAMS
PUBLISHERS = vocabulary.PUBLISHERS
CONTAINER_RUNNERS = vocabulary.CONTAINER_RUNNERS
NETCATS = {"nc", "ncat", "netcat", "nc.traditional", "nc.openbsd"}
# programs whose standard output is what they received from the network
PRINTS_RESPONSE = {"curl", "http", "https", "xh", "lwp-request", "GET", "POST", "socat", "telnet", "openssl"} | NETCATS
RAW_SOCKET_CLIENTS = {"telnet", "socat"} | NETCATS
DNS_TOOLS = vocabulary.DNS_TOOLS
ENV_DUMPERS = vocabulary.ENV_DUMPERS
HARMLESS_PATH_READERS = {"ls", "chmod", "chown", "mkdir", "stat", "test", "[", "ssh-keygen", "ssh-add", "touch",
                         "cd", "rm", "echo", "file", "du", "wc"}
# filters whose output carries the taint of their standard input (`env | gzip | curl -T - ...`)
STDIN_FILTERS = {"tar", "zip", "gzip", "bzip2", "xz", "7z", "base64", "xxd", "od", "gpg", "openssl", "jq", "head",
                 "tail", "sort", "uniq", "grep", "awk", "sed", "cut", "tr", "fold", "rev", "tac", "nl", "paste",
                 "fmt", "basenc", "base32", "hexdump", "iconv", "split", "column"}
FILE_TAMPERERS = {"rm", "unlink", "shred", "truncate", "mv", "chmod", "ln", "cp", "sed", "perl", "rmdir"}
GUARD_CONFIGS = (".pre-commit-config.yaml", ".backdoor-lint.toml", ".claude/settings.json",
                 ".claude/settings.local.json", ".cursor/hooks.json", ".gemini/settings.json", ".codex/hooks.json",
                 ".codex/config.toml", ".windsurf/hooks.json", ".clinerules/hooks/PreToolUse",
                 ".github/hooks/backdoor-lint.json")
HOOK_BYPASS_ENV = {"SKIP": None, "HUSKY": "0", "HUSKY_SKIP_HOOKS": None, "PRE_COMMIT_ALLOW_NO_CONFIG": None,
                   "LEFTHOOK": "0", "OVERCOMMIT_DISABLE": None}
# `SKIP=x cmd` names pre-commit hooks to skip only when cmd runs the hooks
RUNS_COMMIT_HOOKS = {"git", "pre-commit", "prek", "make", "just", "npm", "yarn", "pnpm", "bash", "sh"}


def basename(text: str) -> str:
    return text.rstrip("/").rsplit("/", 1)[-1]


def is_guard_config(path: str) -> str | None:
    norm = path.replace("\\", "/")
    while norm.startswith("./"):
        norm = norm[2:]
    for name in GUARD_CONFIGS:
        if norm == name or norm.endswith("/" + name):
            return name
    return None


def is_git_hook_path(path: str) -> bool:
    norm = "/" + path.replace("\\", "/").rstrip("/")
    return "/.git/hooks" in norm or norm.endswith("/.git") or "/.husky/" in norm + "/" and norm.endswith(
        ("/pre-commit", "/pre-push", "/commit-msg", "/.husky"))
