"""The shell analysis' word lists in one place: secret names, credential paths, the programs it
knows (shells, interpreters, network clients, environment dumpers, wrappers' neighbours), the
guard's own configuration files and the variables that switch commit hooks off."""
from __future__ import annotations

import re

SECRET_NAME = re.compile(r"(?i)(secret|token|passw|pwd$|api_?key|access_?key|private_?key|credential|auth_?key"
                         r"|session_?key|signing_?key)")
NOT_SECRET_NAME = re.compile(r"(?i)^(TOKENIZERS_PARALLELISM|.*_TOKEN_(URL|ENDPOINT|FILE_PATH)|OLDPWD|PWD)$")
CRED_PATH = re.compile(
    r"(?:^|[\s/=@:\"'<])("
    r"\.ssh(?:/[^\s\"']*)?|\.aws(?:/[^\s\"']*)?|\.netrc|\.git-credentials|\.docker/config\.json|"
    r"\.kube(?:/config)?|\.npmrc|\.pypirc|\.gnupg(?:/[^\s\"']*)?|\.config/gcloud(?:/[^\s\"']*)?|"
    r"\.azure(?:/[^\s\"']*)?|\.vault-token|\.password-store|id_(?:rsa|dsa|ecdsa|ed25519)(?:\.pub)?|"
    r"/etc/shadow|\.env(?:\.(?!example|sample|template|dist)[\w.-]+)?|"
    r"(?:Login Data|Cookies|key[34]\.db|logins\.json)"
    r")(?=$|[\s\"'/;|&)])"
)
ENV_FILES = re.compile(r"/proc/(?:self|\d+|\$\$|\*)/environ")


def cred_path(text: str) -> str | None:
    """The credential file or directory a word names, or None."""
    if not text:
        return None
    match = ENV_FILES.search(text)
    if match:
        return match.group(0)
    match = CRED_PATH.search(text)
    if match:
        found = match.group(1)
        if found.endswith(".pub"):
            return None  # public keys are not secrets
        return found
    return None


def is_secret_name(name: str) -> bool:
    return bool(SECRET_NAME.search(name)) and not NOT_SECRET_NAME.match(name)


SHELLS = {"sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "fish", "yash", "busybox", "rbash"}
INTERPRETERS = {
    "python": "python", "python2": "python", "python3": "python", "pypy": "python", "pypy3": "python",
    "node": "javascript", "nodejs": "javascript", "deno": "javascript", "bun": "javascript",
    "perl": "perl", "ruby": "ruby", "php": "php", "lua": "lua",
}
INLINE_FLAGS = {"python": {"-c"}, "javascript": {"-e", "--eval", "-p", "--print"}, "perl": {"-e", "-E"},
                "ruby": {"-e"}, "php": {"-r"}, "lua": {"-e"}}
DOWNLOADERS = {"curl", "wget", "fetch", "aria2c", "http", "https", "xh", "httpie", "lwp-request", "GET", "POST"}
STDIN_SENDERS = {"nc", "ncat", "netcat", "socat", "telnet", "ssh", "mail", "mailx", "sendmail", "mutt", "openssl"}
UPLOADERS = {"scp", "rsync", "sftp", "rclone", "aws", "gsutil", "az", "azcopy", "s3cmd", "smbclient", "ftp", "lftp"}
NETWORK = DOWNLOADERS | STDIN_SENDERS | UPLOADERS
# programs whose standard output is what they received from the network
PRINTS_RESPONSE = {"curl", "http", "https", "xh", "lwp-request", "GET", "POST", "nc", "ncat", "netcat", "socat",
                   "telnet", "openssl"}
RAW_SOCKET_CLIENTS = {"nc", "ncat", "netcat", "telnet", "socat"}
DNS_TOOLS = {"dig", "nslookup", "host", "drill", "ping", "ping6", "getent", "resolvectl"}
ENV_DUMPERS = {"env", "printenv", "set", "export", "declare", "typeset", "compgen"}
HARMLESS_PATH_READERS = {"ls", "chmod", "chown", "mkdir", "stat", "test", "[", "ssh-keygen", "ssh-add", "touch",
                         "cd", "rm", "echo", "file", "du", "wc"}
# filters whose output carries the taint of their standard input (`env | gzip | curl -T - ...`)
STDIN_FILTERS = {"tar", "zip", "gzip", "bzip2", "xz", "7z", "base64", "xxd", "od", "gpg", "openssl", "jq", "head",
                 "tail", "sort", "uniq", "grep", "awk", "sed", "cut", "tr"}
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
