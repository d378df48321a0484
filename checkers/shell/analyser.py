"""Static analysis of shell commands (bash/sh) for the agent hook and anything else that needs it.

The command is parsed by tree-sitter-bash (a real grammar: lists, pipelines, redirections, heredocs,
command and process substitution, ANSI-C strings), never matched with regular expressions. The
analysis walks the tree like a very small abstract interpreter:

- words are resolved to text (quoted fragments joined: ``c""url`` -> ``curl``; ``$'\\x63url'``
  decoded; simple variables assigned earlier in the same command substituted; ``$(...)`` of a
  literal decoder pipeline such as ``echo Y3VybA== | base64 -d`` evaluated);
- every value carries *taint tags*: ``env`` (the whole environment), ``cred`` (a credential file),
  ``secret`` (a secret-named variable), ``download`` (bytes fetched from the network) and
  ``decoded`` (a payload that was base64/hex/rot13/escape-decoded), which flow through pipes,
  substitutions, ``xargs`` and variables;
- wrappers (``env``, ``sudo``, ``nohup``, ``timeout``, ``time``, ``nice``, ``command``, ``exec``,
  ``xargs``, ``find -exec``, ...) and ``VAR=value`` prefixes are stripped; ``bash -c``, ``sh -c``,
  ``eval``, ``watch``, ``su -c`` and decoded payloads piped into a shell are analysed recursively;
- ``python -c``/``node -e``/``perl -e``/``ruby -e`` bodies are returned as inline code (and get a
  quick libcst-free screen here), files written by ``cat > f <<EOF``, ``tee f``, ``printf ... > f``
  are returned as writes so callers can run the file checkers on them.

Findings: BDL402 (environment, credential files or secrets to the network), BDL405 (download and
execute, reverse shells, encoded payloads executed), BDL803 (guard configuration deleted or edited
blindly) and BDL804 (commit hooks bypassed).

Entry point: :func:`analyse` -> :class:`ShellAnalysis`. Pure: no file system access, no engine.
"""
from __future__ import annotations

import base64
import binascii
import re
import zlib
from dataclasses import dataclass, field
from functools import lru_cache

MAX_DEPTH = 8  # nested bash -c / eval / decoded payloads
MAX_COMMAND = 200_000  # characters analysed per command string

# --------------------------------------------------------------------------------------------
# result types


@dataclass
class ShellFinding:
    code: str
    message: str
    snippet: str = ""  # the (sub)command the finding is about
    line: int = 1  # 1-based line (of the top-level command) in the analysed text


@dataclass
class FileWrite:
    path: str
    content: str | None  # None: content not statically known
    append: bool = False
    via: str = ""  # the command that writes


@dataclass
class InlineCode:
    language: str  # python | javascript | perl | ruby | php | bash
    code: str
    via: str = ""


@dataclass
class ShellAnalysis:
    findings: list[ShellFinding] = field(default_factory=list)
    writes: list[FileWrite] = field(default_factory=list)
    inline: list[InlineCode] = field(default_factory=list)
    parse_errors: bool = False
    line: int = 1  # line of the top-level command being analysed

    def add(self, code: str, message: str, snippet: str = "") -> None:
        key = (code, message, self.line)
        if all((f.code, f.message, f.line) != key for f in self.findings):
            self.findings.append(ShellFinding(code, message, snippet, self.line))


# --------------------------------------------------------------------------------------------
# values


@dataclass(frozen=True)
class Word:
    text: str
    tags: frozenset = frozenset()
    exact: bool = True  # False when part of the text is an unknown expansion
    what: str = ""  # human description of the tainted source, e.g. "$(env)"


@dataclass(frozen=True)
class Stream:
    data: bytes | None = b""  # None: unknown content
    tags: frozenset = frozenset()
    what: str = ""


EMPTY = Stream(b"", frozenset(), "")
UNKNOWN = Stream(None, frozenset(), "")

_SECRET_NAME = re.compile(r"(?i)(secret|token|passw|pwd$|api_?key|access_?key|private_?key|credential|auth_?key"
                          r"|session_?key|signing_?key)")
_NOT_SECRET_NAME = re.compile(r"(?i)^(TOKENIZERS_PARALLELISM|.*_TOKEN_(URL|ENDPOINT|FILE_PATH)|OLDPWD|PWD)$")
_CRED_PATH = re.compile(
    r"(?:^|[\s/=@:\"'<])("
    r"\.ssh(?:/[^\s\"']*)?|\.aws(?:/[^\s\"']*)?|\.netrc|\.git-credentials|\.docker/config\.json|"
    r"\.kube(?:/config)?|\.npmrc|\.pypirc|\.gnupg(?:/[^\s\"']*)?|\.config/gcloud(?:/[^\s\"']*)?|"
    r"\.azure(?:/[^\s\"']*)?|\.vault-token|\.password-store|id_(?:rsa|dsa|ecdsa|ed25519)(?:\.pub)?|"
    r"/etc/shadow|\.env(?:\.(?!example|sample|template|dist)[\w.-]+)?|"
    r"(?:Login Data|Cookies|key[34]\.db|logins\.json)"
    r")(?=$|[\s\"'/;|&)])"
)
_ENV_FILES = re.compile(r"/proc/(?:self|\d+|\$\$|\*)/environ")


def cred_path(text: str) -> str | None:
    """The credential file or directory a word names, or None."""
    if not text:
        return None
    match = _ENV_FILES.search(text)
    if match:
        return match.group(0)
    match = _CRED_PATH.search(text)
    if match:
        found = match.group(1)
        if found.endswith(".pub"):
            return None  # public keys are not secrets
        return found
    return None


def is_secret_name(name: str) -> bool:
    return bool(_SECRET_NAME.search(name)) and not _NOT_SECRET_NAME.match(name)


# --------------------------------------------------------------------------------------------
# parser


@lru_cache(maxsize=1)
def _parser():
    import tree_sitter
    import tree_sitter_bash

    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_bash.language()))


def parse(command: str):
    return _parser().parse(command.encode("utf-8", "surrogatepass"))


# --------------------------------------------------------------------------------------------
# command tables

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
DNS_TOOLS = {"dig", "nslookup", "host", "drill", "ping", "ping6", "getent", "resolvectl"}
ENV_DUMPERS = {"env", "printenv", "set", "export", "declare", "typeset", "compgen"}
HARMLESS_PATH_READERS = {"ls", "chmod", "chown", "mkdir", "stat", "test", "[", "ssh-keygen", "ssh-add", "touch",
                         "cd", "rm", "echo", "file", "du", "wc"}
GUARD_CONFIGS = (".pre-commit-config.yaml", ".backdoor-lint.toml", ".claude/settings.json",
                 ".claude/settings.local.json", ".cursor/hooks.json", ".gemini/settings.json", ".codex/hooks.json",
                 ".codex/config.toml", ".windsurf/hooks.json", ".clinerules/hooks/PreToolUse",
                 ".github/hooks/backdoor-lint.json")
HOOK_BYPASS_ENV = {"SKIP": None, "HUSKY": "0", "HUSKY_SKIP_HOOKS": None, "PRE_COMMIT_ALLOW_NO_CONFIG": None,
                   "LEFTHOOK": "0", "OVERCOMMIT_DISABLE": None}


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


# --------------------------------------------------------------------------------------------
# decoding helpers

_ANSI_ESCAPES = {"a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b", "f": "\f", "n": "\n", "r": "\r", "t": "\t",
                 "v": "\v", "\\": "\\", "'": "'", '"': '"', "?": "?"}


def decode_escapes(text: str) -> str:
    """Backslash escapes as in $'...', echo -e and printf: \\xHH, \\NNN, \\uHHHH, \\n, ..."""
    out = []
    i = 0
    while i < len(text):
        c = text[i]
        if c != "\\" or i + 1 >= len(text):
            out.append(c)
            i += 1
            continue
        n = text[i + 1]
        if n == "x":
            m = re.match(r"[0-9a-fA-F]{1,2}", text[i + 2:])
            if m:
                out.append(chr(int(m.group(0), 16)))
                i += 2 + len(m.group(0))
                continue
        elif n in "uU":
            m = re.match(r"[0-9a-fA-F]{1,%d}" % (4 if n == "u" else 8), text[i + 2:])
            if m:
                try:
                    out.append(chr(int(m.group(0), 16)))
                except (ValueError, OverflowError):
                    pass
                i += 2 + len(m.group(0))
                continue
        elif n in "01234567":
            m = re.match(r"0?[0-7]{1,3}", text[i + 1:])
            out.append(chr(int(m.group(0), 8) & 0xFF))
            i += 1 + len(m.group(0))
            continue
        elif n == "c" and i + 2 < len(text):
            out.append(chr(ord(text[i + 2]) & 0x1F))
            i += 3
            continue
        elif n in _ANSI_ESCAPES:
            out.append(_ANSI_ESCAPES[n])
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _tr_set(spec: str) -> str:
    spec = decode_escapes(spec)
    classes = {"[:lower:]": "abcdefghijklmnopqrstuvwxyz", "[:upper:]": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
               "[:digit:]": "0123456789"}
    for name, chars in classes.items():
        spec = spec.replace(name, chars)
    out = []
    i = 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-" and ord(spec[i]) <= ord(spec[i + 2]):
            out.extend(chr(c) for c in range(ord(spec[i]), ord(spec[i + 2]) + 1))
            i += 3
        else:
            out.append(spec[i])
            i += 1
    return "".join(out)


def _b64(data: bytes) -> bytes | None:
    cleaned = re.sub(rb"\s+", b"", data)
    if not cleaned:
        return b""
    try:
        return base64.b64decode(cleaned + b"=" * (-len(cleaned) % 4), validate=False)
    except (binascii.Error, ValueError):
        try:
            return base64.urlsafe_b64decode(cleaned + b"=" * (-len(cleaned) % 4))
        except (binascii.Error, ValueError):
            return None


def _text(data: bytes | None) -> str | None:
    return None if data is None else data.decode("utf-8", "replace")


# --------------------------------------------------------------------------------------------
# the analyser


class _Analyser:
    def __init__(self, result: ShellAnalysis, depth: int = 0, variables: dict | None = None,
                 downloaded: set | None = None) -> None:
        self.result = result
        self.depth = depth
        self.vars: dict[str, Word] = variables if variables is not None else {}
        self.downloaded: set[str] = downloaded if downloaded is not None else set()
        self.source = b""

    # entry -----------------------------------------------------------------------------------
    def run(self, command: str) -> Stream:
        if self.depth > MAX_DEPTH:
            self.result.add("BDL405", "command nests shells, eval or encoded payloads more than "
                            f"{MAX_DEPTH} levels deep; it cannot be screened", command[:200])
            return UNKNOWN
        command = command[:MAX_COMMAND]
        tree = parse(command)
        self.source = tree.root_node.text or b""
        if tree.root_node.has_error:
            self.result.parse_errors = True
        return self.exec_node(tree.root_node, EMPTY)

    def child(self) -> "_Analyser":
        return _Analyser(self.result, self.depth + 1, dict(self.vars), self.downloaded)

    def recurse(self, code: str) -> Stream:
        return self.child().run(code)

    def snippet(self, node) -> str:
        text = node.text.decode("utf-8", "replace") if node is not None else ""
        return text if len(text) <= 300 else text[:297] + "..."

    # statements ------------------------------------------------------------------------------
    def exec_node(self, node, stdin: Stream) -> Stream:
        kind = node.type
        if self.depth == 0 and kind not in ("program", "heredoc_body"):
            self.result.line = node.start_point[0] + 1
        if kind in ("comment", "heredoc_body", "heredoc_start", "heredoc_end"):
            return EMPTY
        if kind == "command":
            return self.exec_command(node, stdin, [])
        if kind == "pipeline":
            stream = stdin
            for part in node.named_children:
                if part.type == "comment":
                    continue
                stream = self.exec_node(part, stream)
            self.check_socket_pipeline(node)
            return stream
        if kind == "redirected_statement":
            return self.exec_redirected(node, stdin)
        if kind == "variable_assignment":
            self.assign(node)
            return EMPTY
        if kind == "variable_assignments":
            for part in node.named_children:
                self.assign(part)
            return EMPTY
        if kind == "declaration_command":
            return self.exec_declaration(node)
        if kind in ("command_substitution", "process_substitution"):
            return self.exec_block(node, stdin)
        # program, list, compound_statement, subshell, if/while/for/case, function_definition,
        # negated_command, ERROR ...: analyse every statement they contain.
        return self.exec_block(node, stdin)

    def exec_block(self, node, stdin: Stream) -> Stream:
        out = EMPTY
        for part in node.named_children:
            if part.type in ("word", "string", "raw_string", "number", "concatenation", "simple_expansion",
                             "expansion", "variable_name"):
                # loop lists, case values, test operands: resolve for the side effects of $( )
                self.resolve(part)
                continue
            out = self.exec_node(part, stdin)
        return out

    def check_socket_pipeline(self, node) -> None:
        """`cat f | sh -i | nc host port > f`: a shell wired into a network connection."""
        names = []

        def commands(pipeline):
            for part in pipeline.named_children:
                cmd = part
                while cmd is not None and cmd.type == "redirected_statement":
                    cmd = cmd.child_by_field_name("body") or (cmd.named_children[0] if cmd.named_children else None)
                if cmd is not None and cmd.type == "pipeline":
                    yield from commands(cmd)
                elif cmd is not None and cmd.type == "command":
                    yield cmd

        for cmd in commands(node):
            words = [c for c in cmd.named_children if c.type not in ("variable_assignment", "file_redirect",
                                                                     "heredoc_redirect", "herestring_redirect")]
            argv = [self.resolve(w.named_children[0] if w.type == "command_name" and w.named_children else w)
                    for w in words[:8]]
            argv = self.unwrap(argv, EMPTY, cmd) if argv else argv
            if argv:
                names.append((basename(argv[0].text), [a.text for a in argv[1:]]))
        shell = any(n in SHELLS and not any("c" in a[1:] for a in args if a.startswith("-") and not
                                            a.startswith("--")) for n, args in names)
        net = next((n for n, args in names if n in ("nc", "ncat", "netcat", "telnet", "socat") or
                    n == "openssl" and "s_client" in args), None)
        if shell and net:
            self.result.add("BDL405", f"connects a shell to a network connection through a pipe ({net}): a reverse "
                            "shell gives whoever listens on the other end a shell on this machine", self.snippet(node))

    def assign(self, node) -> Word | None:
        name_node = node.child_by_field_name("name") or (node.named_children[0] if node.named_children else None)
        value_node = node.child_by_field_name("value")
        if name_node is None:
            return None
        name = name_node.text.decode("utf-8", "replace")
        value = self.resolve(value_node) if value_node is not None else Word("")
        self.vars[name] = value
        return value

    def exec_declaration(self, node) -> Stream:
        keyword = node.children[0].text.decode() if node.children else ""
        args = []
        for part in node.named_children:
            if part.type == "variable_assignment":
                name_node = part.child_by_field_name("name")
                name = name_node.text.decode("utf-8", "replace") if name_node else ""
                value = self.assign(part)
                if keyword == "export":
                    self.check_bypass_env(name, value, node, exported=True)
            else:
                args.append(self.resolve(part).text)
        if keyword in ("export", "declare", "typeset") and (not node.named_children or
                                                            any(a in ("-p", "-x", "-px", "-xp") for a in args)):
            return Stream(None, frozenset({"env"}), keyword + " " + " ".join(args))
        return EMPTY

    def exec_redirected(self, node, stdin: Stream) -> Stream:
        body = node.child_by_field_name("body") or (node.named_children[0] if node.named_children else None)
        redirects = [c for c in node.named_children if c is not body]
        return self._with_redirects(body, redirects, stdin)

    def _collect_redirects(self, redirects):
        """(stdin stream or None, [(fd, op, target Word)], [heredoc bodies]) of a list of redirect nodes."""
        new_stdin = None
        outputs = []
        for red in redirects:
            if red.type == "heredoc_redirect":
                body = next((c for c in red.children if c.type == "heredoc_body"), None)
                start = next((c for c in red.children if c.type == "heredoc_start"), None)
                quoted = start is not None and start.text[:1] in (b"'", b'"', b"\\")
                if body is not None:
                    text = body.text.decode("utf-8", "replace")
                    tags, what = frozenset(), ""
                    if not quoted:
                        for sub in body.named_children:  # expansions inside an unquoted heredoc
                            if sub.type in ("command_substitution", "simple_expansion", "expansion"):
                                w = self.resolve(sub)
                                tags |= w.tags
                                what = what or w.what
                    new_stdin = Stream(text.encode("utf-8", "surrogatepass"), tags, what)
                else:
                    new_stdin = UNKNOWN
                nested = [c for c in red.named_children if c.type == "file_redirect"]
                n_stdin, n_out = self._collect_redirects(nested)
                outputs += n_out
            elif red.type == "herestring_redirect":
                target = red.named_children[-1] if red.named_children else None
                w = self.resolve(target) if target is not None else Word("")
                new_stdin = Stream((w.text + "\n").encode("utf-8", "surrogatepass") if w.exact else None, w.tags,
                                   w.what)
            elif red.type == "file_redirect":
                fd = None
                op = ""
                target = None
                for c in red.children:
                    if c.type == "file_descriptor":
                        fd = c.text.decode()
                    elif not c.is_named:
                        op = c.text.decode()
                    elif target is None:
                        target = c
                dest = red.child_by_field_name("destination") or target
                word = self.resolve(dest) if dest is not None else Word("")
                outputs.append((fd, op, word, red))
        return new_stdin, outputs

    def _with_redirects(self, body, redirects, stdin: Stream) -> Stream:
        new_stdin, outputs = self._collect_redirects(redirects)
        for fd, op, word, red in outputs:
            target = word.text
            if target.startswith(("/dev/tcp/", "/dev/udp/")) or "/dev/tcp/" in target or "/dev/udp/" in target:
                self.result.add("BDL405", f"raw network socket `{target}` used as a redirection: this is how "
                                "reverse shells connect a shell's input and output to a remote listener",
                                self.snippet(red.parent))
            if op in ("<", "<>") and fd in (None, "0"):
                path = cred_path(target)
                tags = frozenset({"cred"}) if path else frozenset()
                if _ENV_FILES.search(target):
                    tags = frozenset({"env"})
                new_stdin = Stream(None, tags | word.tags, target if tags else "")
        if body is None:
            return EMPTY
        out = self.exec_node(body, new_stdin if new_stdin is not None else stdin)
        writes = [(fd, op, w) for fd, op, w, _ in outputs if op in (">", ">>", ">|", "&>", "&>>")
                  and fd in (None, "1") and not w.text.startswith("/dev/")]
        for _fd, op, w in writes:
            self.record_write(w, out, append=op.endswith(">>"), via=self.snippet(body.parent))
        if writes:
            return EMPTY
        return out

    # simple commands -------------------------------------------------------------------------
    def exec_command(self, node, stdin: Stream, extra_redirects) -> Stream:
        assigns: list[tuple[str, Word]] = []
        argv: list[Word] = []
        redirects = list(extra_redirects)
        for part in node.named_children:
            if part.type == "variable_assignment":
                name_node = part.child_by_field_name("name")
                value_node = part.child_by_field_name("value")
                name = name_node.text.decode("utf-8", "replace") if name_node else ""
                assigns.append((name, self.resolve(value_node) if value_node is not None else Word("")))
            elif part.type in ("file_redirect", "heredoc_redirect", "herestring_redirect"):
                redirects.append(part)
            elif part.type == "command_name":
                argv.append(self.resolve(part.named_children[0] if part.named_children else part))
            elif part.type == "comment":
                continue
            else:
                argv.extend(self.resolve_args(part))
        if redirects:
            new_stdin, outputs = self._collect_redirects(redirects)
            if new_stdin is not None:
                stdin = new_stdin
            for _fd, op, word, _red in outputs:
                if "/dev/tcp/" in word.text or "/dev/udp/" in word.text:
                    self.result.add("BDL405", f"raw network socket `{word.text}` used as a redirection: this is "
                                    "how reverse shells connect a shell to a remote listener", self.snippet(node))
                if op == "<" and cred_path(word.text):
                    stdin = Stream(None, frozenset({"cred"}), word.text)
        if not argv:
            for name, value in assigns:
                self.vars[name] = value
                self.check_bypass_env(name, value, node, exported=False)
            return EMPTY
        env = dict(assigns)
        for name, value in assigns:
            self.check_bypass_env(name, value, node, exported=False, command=argv)
        return self.run_argv(argv, stdin, node, env)

    def resolve_args(self, node) -> list[Word]:
        word = self.resolve(node)
        if not word.exact or node.type not in ("simple_expansion", "expansion"):
            return [word]
        # an unquoted expansion of a known value is split into words
        parts = word.text.split()
        return [Word(p, word.tags, True, word.what) for p in parts] or []

    def check_bypass_env(self, name: str, value: Word | None, node, exported: bool, command=None) -> None:
        if name not in HOOK_BYPASS_ENV:
            return
        text = value.text if value is not None else ""
        wanted = HOOK_BYPASS_ENV[name]
        if wanted is not None and text != wanted:
            return
        if name == "SKIP" and not text:
            return
        if name == "SKIP" and command is not None and not exported:
            head = basename(command[0].text) if command else ""
            if head not in ("git", "pre-commit", "prek", "make", "just", "npm", "yarn", "pnpm", "bash", "sh"):
                return
        self.result.add("BDL804", f"`{name}={text}` switches off commit hooks (pre-commit / husky read it to skip "
                        "checks), so the commit is never screened", self.snippet(node))

    # the dispatcher ------------------------------------------------------------------------
    def run_argv(self, argv: list[Word], stdin: Stream, node, env: dict | None = None) -> Stream:
        argv = self.unwrap(argv, stdin, node)
        if not argv:
            return EMPTY
        if not argv[0].exact:  # `c${UNSET}url`: an unset variable expands to nothing
            collapsed = re.sub(r"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?", "", argv[0].text)
            if basename(collapsed) in NETWORK | SHELLS | set(INTERPRETERS) | {"eval", "git", "source"}:
                argv = [Word(collapsed, argv[0].tags, True, argv[0].what)] + argv[1:]
        if argv[0].text == "__handled__":
            return UNKNOWN
        name = basename(argv[0].text)
        args = argv[1:]
        texts = [a.text for a in args]
        snippet = self.snippet(node)

        # executing something downloaded or decoded
        if any(t in argv[0].tags for t in ("download",)) or argv[0].text in self.downloaded or \
                basename(argv[0].text) in self.downloaded and argv[0].text.startswith(("./", "/")):
            self.result.add("BDL405", f"runs `{argv[0].text}`, which this command downloaded: download-and-"
                            "execute runs whatever the server sends, unreviewed", snippet)

        if name in SHELLS or name in ("source", "."):
            return self.run_shell(name, argv, stdin, node)
        if name == "eval":
            code = Word(" ".join(a.text for a in args), frozenset().union(*[a.tags for a in args]) if args else
                        frozenset(), all(a.exact for a in args), next((a.what for a in args if a.what), ""))
            return self.run_code_word("eval", code, node)
        language = INTERPRETERS.get(name) or (INTERPRETERS.get(re.sub(r"[\d.]+$", "", name)) if
                                             re.match(r"python[\d.]+$", name) else None)
        if language:
            return self.run_interpreter(name, language, argv, stdin, node)
        if name in NETWORK:
            return self.run_network(name, args, stdin, node)
        if name in DNS_TOOLS:
            tainted = [a for a in args if a.tags & {"env", "cred", "secret"}]
            if tainted:
                self.result.add("BDL404", f"puts secret data ({tainted[0].what or tainted[0].text}) into a name "
                                f"resolved with {name}: DNS exfiltration leaves through every firewall that allows "
                                "DNS", snippet)
            return UNKNOWN
        if name == "crontab" and (not texts or texts[-1] == "-") and stdin.data is not None:
            for line in (_text(stdin.data) or "").splitlines():
                fields = line.split(None, 5)
                if len(fields) == 6 and not line.lstrip().startswith("#"):
                    self.recurse(fields[5])
                elif line.startswith("@") and len(line.split(None, 1)) == 2:
                    self.recurse(line.split(None, 1)[1])
            return UNKNOWN
        if any("/inet/tcp/" in t or "/inet/udp/" in t for t in texts):
            self.result.add("BDL405", f"`{name}` opens a raw network connection (/inet/tcp): the gawk form of a "
                            "reverse shell", snippet)
        if name == "git":
            self.check_git(args, node)
            return UNKNOWN
        if name in ("pre-commit", "prek") and texts[:1] == ["uninstall"]:
            self.result.add("BDL804", "`pre-commit uninstall` removes the git hook that runs backdoor-lint, so "
                            "later commits are not screened", snippet)
        if name in ENV_DUMPERS:
            if name == "env" or name == "printenv" and not args or name == "set" and not args or \
                    name == "compgen" and "-v" in texts or name in ("export", "declare", "typeset") and \
                    (not args or any(t in ("-p", "-x", "-px", "-xp") for t in texts)):
                return Stream(None, frozenset({"env"}), f"`{' '.join([name] + texts)}`")
            if name == "printenv" and any(is_secret_name(t) for t in texts):
                return Stream(None, frozenset({"secret"}), f"`printenv {' '.join(texts)}`")
            return UNKNOWN
        if name in ("echo", "printf"):
            return self.run_echo(name, args, stdin)
        decoded = self.run_decoder(name, args, stdin)
        if decoded is not None:
            return decoded
        if name in ("cat", "tee"):
            out = stdin
            files = [a for a in args if not a.text.startswith("-") or a.text == "-"]
            if name == "tee":
                for f in files:
                    if f.text != "-":
                        self.record_write(f, stdin, append="-a" in texts or "--append" in texts, via=snippet)
                return stdin
            if files:
                tags, what = frozenset(), []
                for f in files:
                    path = cred_path(f.text)
                    if path:
                        tags |= {"env"} if _ENV_FILES.search(f.text) else {"cred"}
                        what.append(f.text)
                    tags |= f.tags
                return Stream(None, tags, ", ".join(what))
            return out
        if name in ("rm", "unlink", "shred", "truncate", "mv", "chmod", "ln", "cp", "sed", "perl", "rmdir"):
            self.check_file_tampering(name, args, node)
        if name == "find":
            return self.run_find(args, stdin, node)
        if name in ("watch",):
            cmd = [a for a in args if not a.text.startswith("-")]
            if cmd:
                return self.run_code_word("watch", Word(" ".join(a.text for a in cmd)), node)
        # any other command: its output carries the taint of credential files it reads
        tags = frozenset()
        what = ""
        if name not in HARMLESS_PATH_READERS:
            found = []
            for a in args:
                path = cred_path(a.text)
                if path:
                    tags |= {"env"} if _ENV_FILES.search(a.text) else {"cred"}
                    found.append(a.text)
            what = ", ".join(found)
            tags |= frozenset(t for a in args for t in a.tags if t in ("env", "cred", "secret"))
            what = what or next((a.what for a in args if a.tags), "")
            if name in ("tar", "zip", "gzip", "bzip2", "xz", "7z", "base64", "xxd", "od", "gpg", "openssl", "jq",
                        "head", "tail", "sort", "uniq", "grep", "awk", "sed", "cut", "tr") and stdin.tags:
                tags |= stdin.tags
                what = what or stdin.what
        return Stream(None, tags, what)

    # wrappers --------------------------------------------------------------------------------
    _WRAPPER_OPTS = {
        # wrapper: (options taking a value, number of leading operands to skip)
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
    _RUNNER_SUB = {"uv": "run", "poetry": "run", "pipenv": "run", "pdm": "run", "hatch": "run", "npx": None,
                   "dotenv": None}

    def unwrap(self, argv: list[Word], stdin: Stream, node) -> list[Word]:
        for _ in range(16):
            if not argv:
                return argv
            name = basename(argv[0].text)
            if name == "env":
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
                        self.check_bypass_env(var, Word(val), node, exported=False, command=rest[i + 1:] or [Word("")])
                        i += 1
                    else:
                        break
                if i >= len(rest):
                    return argv[:1]  # bare `env`: prints the environment
                argv = rest[i:]
                continue
            if name in ("su", "runuser"):
                for i, a in enumerate(argv[1:], 1):
                    if a.text in ("-c", "--command") and i + 1 < len(argv):
                        self.run_code_word(name + " -c", argv[i + 1], node)
                        return [Word("__handled__")]
                return argv
            if name == "script":
                for i, a in enumerate(argv[1:], 1):
                    if a.text in ("-c", "--command") and i + 1 < len(argv):
                        self.run_code_word("script -c", argv[i + 1], node)
                        return [Word("__handled__")]
                return argv
            if name == "xargs":
                return self.unwrap_xargs(argv, stdin, node)
            if name == "busybox" and len(argv) > 1 and basename(argv[1].text) not in SHELLS:
                argv = argv[1:]
                continue
            if name not in self._WRAPPER_OPTS:
                return argv
            if name == "command" and len(argv) > 1 and argv[1].text in ("-v", "-V"):
                return []
            takes, operands = self._WRAPPER_OPTS[name]
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
            if name in self._RUNNER_SUB:
                sub = self._RUNNER_SUB[name]
                if sub is not None:
                    if i < len(argv) and argv[i].text == sub:
                        i += 1
                    else:
                        return argv
            argv = argv[i:]
        return argv

    def unwrap_xargs(self, argv: list[Word], stdin: Stream, node) -> list[Word]:
        takes = {"-n", "-I", "-L", "-P", "-d", "-E", "-s", "-a", "--max-args", "--replace", "--max-lines",
                 "--max-procs", "--delimiter", "--eof", "--max-chars", "--arg-file"}
        i = 1
        replace = None
        while i < len(argv):
            t = argv[i].text
            if t in takes:
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
        item = Word("{xargs-input}", stdin.tags, False, stdin.what)
        if replace:
            rest = [Word(w.text.replace(replace, "{xargs-input}"), w.tags | (item.tags if replace in w.text else
                                                                          frozenset()), w.exact, w.what or item.what)
                    for w in rest]
        else:
            rest = rest + [item]
        self.run_argv(rest, EMPTY, node)
        return [Word("__handled__")]

    # shells and interpreters --------------------------------------------------------------------
    def run_shell(self, name: str, argv: list[Word], stdin: Stream, node) -> Stream:
        snippet = self.snippet(node)
        args = argv[1:]
        if name == "busybox":
            args = args[1:]
        if name in ("source", "."):
            target = args[0] if args else Word("")
            if "download" in target.tags or target.text in self.downloaded:
                self.result.add("BDL405", f"sources code downloaded from the network ({target.what or target.text}) "
                                "into the current shell: it runs whatever the server sends, unreviewed", snippet)
            return UNKNOWN
        code = None
        script = None
        positional: list[Word] = []
        i = 0
        while i < len(args):
            t = args[i].text
            if t in ("-o", "+o", "-O", "+O", "--rcfile", "--init-file"):
                i += 2
                continue
            if t.startswith("-") and len(t) > 1 and not t.startswith("--") and "c" in t[1:]:
                if i + 1 < len(args):
                    code = args[i + 1]
                    positional = args[i + 2:]
                break
            if t == "-" or t == "-s":
                break
            if t.startswith(("-", "+")) and len(t) > 1:
                i += 1
                continue
            script = args[i]
            break
        if code is not None:
            return self.run_code_word(f"{name} -c", code, node, positional=positional)
        if script is not None:
            if "download" in script.tags or script.text in self.downloaded or basename(script.text) in self.downloaded:
                self.result.add("BDL405", f"runs a script downloaded from the network ({script.what or script.text}) "
                                f"with {name}: download-and-execute runs whatever the server sends, unreviewed",
                                snippet)
            elif "/dev/stdin" not in script.text:
                return UNKNOWN
        return self.execute_stream(name, "bash", stdin, node)

    def run_interpreter(self, name: str, language: str, argv: list[Word], stdin: Stream, node) -> Stream:
        args = argv[1:]
        flags = INLINE_FLAGS.get(language, set())
        i = 0
        while i < len(args):
            t = args[i].text
            if t in flags or (language in ("python", "perl", "ruby") and t.startswith("-") and not t.startswith("--")
                              and t[-1:] in {f[-1] for f in flags} and len(t) > 2 and t[1:-1].isalpha()):
                if i + 1 < len(args):
                    return self.run_code_word(f"{name} {t}", args[i + 1], node, language)
                return UNKNOWN
            if language == "python" and t == "-m":
                return UNKNOWN
            if t == "-":
                break
            if t.startswith("-") and len(t) > 1:
                i += 1
                continue
            if "download" in args[i].tags or args[i].text in self.downloaded:
                self.result.add("BDL405", f"runs a script downloaded from the network ({args[i].what or args[i].text})"
                                f" with {name}: download-and-execute runs whatever the server sends, unreviewed",
                                self.snippet(node))
            return UNKNOWN
        return self.execute_stream(name, language, stdin, node)

    def execute_stream(self, name: str, language: str, stdin: Stream, node) -> Stream:
        """`... | sh`: the interpreter runs its standard input."""
        snippet = self.snippet(node)
        if "download" in stdin.tags:
            self.result.add("BDL405", f"pipes data fetched from the network ({stdin.what or 'a download'}) into "
                            f"`{name}`: download-and-execute runs whatever the server sends today, unreviewed",
                            snippet)
        if "decoded" in stdin.tags:
            shown = _text(stdin.data)
            shown = f": `{shown.strip()[:160]}`" if shown else ""
            self.result.add("BDL405", f"decodes an encoded payload ({stdin.what or 'base64'}) and pipes it into "
                            f"`{name}`{shown}; hiding the command from the reader is how backdoors are "
                            "smuggled past review", snippet)
        text = _text(stdin.data)
        if text:
            if language == "bash":
                return self.recurse(text)
            self.add_inline(language, text, name)
        return UNKNOWN

    def run_code_word(self, via: str, code: Word, node, language: str = "bash",
                      positional: list[Word] | None = None) -> Stream:
        snippet = self.snippet(node)
        if "download" in code.tags:
            self.result.add("BDL405", f"`{via}` runs code fetched from the network ({code.what or 'a download'}): "
                            "download-and-execute runs whatever the server sends, unreviewed", snippet)
        if "decoded" in code.tags:
            self.result.add("BDL405", f"`{via}` runs a decoded payload (`{code.text.strip()[:160]}`); hiding the "
                            "command from the reader is how backdoors are smuggled past review", snippet)
        if not code.exact and code.tags & {"download", "decoded"}:
            return UNKNOWN  # already reported; the text is a placeholder, not the code
        if language == "bash":
            if positional:  # sh -c 'code' $0 $1 ...: the arguments become positional parameters
                sub = self.child()
                for index, value in enumerate(positional[:10]):
                    sub.vars[str(index)] = value
                rest = positional[1:]
                if rest:
                    joined = Word(" ".join(w.text for w in rest), frozenset().union(*[w.tags for w in rest]),
                                  all(w.exact for w in rest), next((w.what for w in rest if w.what), ""))
                    sub.vars["@"] = sub.vars["*"] = joined
                return sub.run(code.text)
            return self.recurse(code.text)
        self.add_inline(language, code.text, via)
        return UNKNOWN

    def add_inline(self, language: str, code: str, via: str) -> None:
        self.result.inline.append(InlineCode(language, code, via))
        for finding in screen_inline(language, code, via):
            self.result.add(*finding)

    # echo, printf, decoders ---------------------------------------------------------------------
    def run_echo(self, name: str, args: list[Word], stdin: Stream) -> Stream:
        tags = frozenset().union(*[a.tags for a in args]) if args else frozenset()
        what = next((a.what for a in args if a.tags), "")
        exact = all(a.exact for a in args)
        if name == "echo":
            newline, escapes = True, False
            words = list(args)
            while words and re.match(r"-[neE]+$", words[0].text):
                newline = newline and "n" not in words[0].text
                escapes = escapes or "e" in words[0].text
                words.pop(0)
            text = " ".join(w.text for w in words)
            if escapes and "\\" in text:
                decoded = decode_escapes(text)
                if decoded != text:
                    tags |= {"decoded"}
                    what = what or "echo -e escapes"
                text = decoded
            text += "\n" if newline else ""
        else:
            words = list(args)
            if words and words[0].text == "-v":
                words = words[2:]
            if not words:
                return EMPTY
            fmt = words[0].text
            values = [w.text for w in words[1:]]
            text = _printf(fmt, values)
            if re.search(r"\\(x[0-9a-fA-F]|[0-7]{1,3}|u[0-9a-fA-F])", fmt + "".join(values)):
                tags |= {"decoded"}
                what = what or "printf escapes"
        return Stream(text.encode("utf-8", "surrogatepass") if exact else None, tags, what)

    def run_decoder(self, name: str, args: list[Word], stdin: Stream) -> Stream | None:
        texts = [a.text for a in args]
        data = stdin.data
        files = [a for a in args if not a.text.startswith("-")]
        decoded: bytes | None = None
        label = ""
        if name in ("base64", "base32", "basenc") and any(t in ("-d", "--decode", "-D") or
                                                          re.match(r"-[a-zA-Z]*d", t) for t in texts):
            label = f"{name} -d"
            if files:
                return Stream(None, stdin.tags | {"decoded"}, label)
            if data is not None:
                if name == "base32":
                    try:
                        decoded = base64.b32decode(re.sub(rb"\s+", b"", data) + b"=" * (-len(re.sub(rb"\s+", b"", data))
                                                                                          % 8))
                    except (binascii.Error, ValueError):
                        decoded = None
                else:
                    decoded = _b64(data)
        elif name == "openssl" and any(t in ("base64", "enc") for t in texts[:1]) and "-d" in texts:
            label = "openssl base64 -d"
            decoded = _b64(data) if data is not None else None
        elif name == "xxd" and any(t.startswith("-r") for t in texts):
            label = "xxd -r"
            if data is not None:
                hexdigits = re.sub(rb"[^0-9a-fA-F]", b"", data if any("p" in t for t in texts) else
                                   b"\n".join(line.split(b":", 1)[-1][:40] for line in data.splitlines()))
                try:
                    decoded = binascii.unhexlify(hexdigits[: len(hexdigits) // 2 * 2])
                except (binascii.Error, ValueError):
                    decoded = None
        elif name in ("gunzip", "zcat") or name == "gzip" and any(t in ("-d", "--decompress", "-dc", "-cd")
                                                                   for t in texts):
            label = name
            if data is not None:
                try:
                    decoded = zlib.decompress(data, 47)
                except zlib.error:
                    decoded = None
        elif name == "rev":
            label = "rev"
            if data is not None and not files:
                decoded = b"\n".join(line[::-1] for line in data.split(b"\n"))
        elif name == "tr" and len(files) >= 2 and not any(t.startswith("-") for t in texts):
            label = "tr"
            if data is not None:
                src, dst = _tr_set(files[0].text), _tr_set(files[1].text)
                if src and dst:
                    dst = dst + dst[-1] * (len(src) - len(dst))
                    table = {ord(a): b for a, b in zip(src, dst)}
                    decoded = data.decode("latin-1").translate(table).encode("latin-1", "replace")
        else:
            return None
        if decoded is None:
            return Stream(None, stdin.tags | {"decoded"}, label)
        return Stream(decoded, stdin.tags | {"decoded"}, f"{label} of a literal")

    # network ----------------------------------------------------------------------------------
    def run_network(self, name: str, args: list[Word], stdin: Stream, node) -> Stream:
        snippet = self.snippet(node)
        texts = [a.text for a in args]
        urls = [a.text for a in args if re.match(r"(?i)[a-z][a-z0-9+.-]*://", a.text)]
        dest = urls[0] if urls else next((t for t in texts if not t.startswith("-") and ("." in t or ":" in t)), "")
        dest_text = f" to {dest}" if dest else ""
        reads_stdin = name in STDIN_SENDERS and not (name == "openssl" and "s_client" not in texts)
        data_words: list[Word] = []
        sent_files: list[str] = []
        output_file = None
        to_stdout = name in ("curl", "http", "https", "xh", "lwp-request", "GET", "POST", "nc", "ncat", "netcat",
                             "socat", "telnet", "openssl")
        i = 0
        while i < len(args):
            a = args[i]
            t = a.text
            nxt = args[i + 1] if i + 1 < len(args) else None
            if name == "curl":
                m = re.match(r"--(data|data-binary|data-raw|data-ascii|data-urlencode|json|form|form-string|"
                             r"upload-file|header|url|cookie|user)(?:=(.*))?$", t)
                short = re.match(r"-([dFTHbu])(.*)$", t) if not t.startswith("--") else None
                if m or short:
                    opt = m.group(1) if m else {"d": "data", "F": "form", "T": "upload-file", "H": "header",
                                                "b": "cookie", "u": "user"}[short.group(1)]
                    inline_val = (m.group(2) if m else short.group(2)) or None
                    value = Word(inline_val, a.tags, a.exact, a.what) if inline_val else nxt
                    if not inline_val:
                        i += 1
                    if value is not None:
                        self._curl_value(opt, value, data_words, sent_files)
                        if value.text in ("-", "@-", "@/dev/stdin") or opt in ("form",) and re.search(r"[@<]-$",
                                                                                                    value.text):
                            reads_stdin = True
                        if opt == "upload-file" and value.text == "-":
                            reads_stdin = True
                    i += 1
                    continue
                if t in ("-o", "--output") and nxt is not None:
                    output_file = nxt.text
                    i += 2
                    continue
                if t.startswith("-o") and len(t) > 2 and not t.startswith("--"):
                    output_file = t[2:]
                elif t in ("-O", "--remote-name") or re.match(r"-[a-zA-Z]*O[a-zA-Z]*$", t):
                    output_file = basename(urls[0]) if urls else "(remote name)"
                elif re.match(r"-[a-zA-Z]*o$", t) and nxt is not None and not t.startswith("--"):
                    output_file = nxt.text
                    i += 2
                    continue
            elif name == "wget":
                m = re.match(r"--(post-data|post-file|body-data|body-file|header)(?:=(.*))?$", t)
                if m:
                    value = Word(m.group(2), a.tags, a.exact, a.what) if m.group(2) is not None else nxt
                    if m.group(2) is None:
                        i += 1
                    if value is not None:
                        if m.group(1).endswith("file"):
                            if value.text in ("-", "/dev/stdin"):
                                reads_stdin = True
                            elif cred_path(value.text):
                                sent_files.append(value.text)
                        elif m.group(1) != "header" or value.tags & {"env", "cred"}:
                            data_words.append(value)
                    i += 1
                    continue
                if t in ("-O", "--output-document") and nxt is not None:
                    output_file = nxt.text
                    i += 2
                    continue
                if t.startswith("--output-document="):
                    output_file = t.split("=", 1)[1]
                elif re.match(r"-[a-zA-Z]*O(.+)$", t):
                    output_file = re.match(r"-[a-zA-Z]*O(.+)$", t).group(1)
                elif re.match(r"-[a-zA-Z]*O$", t) and nxt is not None:
                    output_file = nxt.text
                    i += 2
                    continue
            elif name in ("nc", "ncat", "netcat"):
                if t in ("-e", "-c", "--exec", "--sh-exec", "--lua-exec") or re.match(r"-[a-zA-Z]*[ec]$", t):
                    prog = nxt.text if nxt is not None else ""
                    self.result.add("BDL405", f"`{name} {t} {prog}` attaches a program to a network connection: a "
                                    "reverse (or bind) shell gives whoever is on the other end a shell on this machine",
                                    snippet)
            elif name == "socat":
                if re.search(r"(?i)\b(exec|system):", t):
                    self.result.add("BDL405", f"`socat ... {t}` attaches a program to a network connection: a reverse "
                                    "shell gives whoever is on the other end a shell on this machine", snippet)
                if re.match(r"(?i)(stdin|stdio|-)$", t) or t.startswith("-"):
                    reads_stdin = True
            elif name in ("http", "https", "xh"):
                if re.match(r"[^=:@]+(:=@|=@|@)(.+)$", t):
                    path = re.match(r"[^=:@]+(:=@|=@|@)(.+)$", t).group(2)
                    if cred_path(path):
                        sent_files.append(path)
                elif "=" in t or ":=" in t:
                    data_words.append(a)
            elif name in UPLOADERS:
                if cred_path(t) and not re.match(r"[\w.-]+@[\w.-]+:|[\w.-]+:[^/]", t) and \
                        any(re.match(r"[\w.-]+@[\w.-]+:|[\w.-]+:|(s3|gs|rsync|sftp|ftp|az|https?)://", x)
                            for x in texts if x != t):
                    sent_files.append(t)
            if a.tags & {"env", "cred"}:
                data_words.append(a)
            i += 1

        sources = []
        for w in data_words:
            # secret-named variables in a request body are ordinary API use (a client sending its
            # key to its own service); whole environments and credential files are not.
            if w.tags & {"env", "cred"}:
                sources.append(w.what or w.text)
            path = cred_path(w.text.lstrip("@<"))
            if path and w.text.startswith(("@", "<")):
                sources.append(w.text.lstrip("@<"))
        sources += sent_files
        if reads_stdin and stdin.tags & {"env", "cred", "secret"}:
            sources.append(stdin.what or "standard input")
        if sources:
            kind = "the whole environment" if any("env" in w.tags for w in data_words) or "env" in stdin.tags and \
                reads_stdin else "credentials"
            shown = ", ".join(dict.fromkeys(s.strip() for s in sources if s))
            self.result.add("BDL402", f"sends {kind} ({shown}) over the network with {name}{dest_text}", snippet)
        if output_file and output_file != "-":
            self.downloaded.add(output_file)
            self.downloaded.add(basename(output_file))
            return EMPTY
        if name == "wget" and not output_file:
            if any(re.match(r"-[a-zA-Z]*O-?$", t) and (t.endswith("O-") or (i := texts.index(t)) + 1 < len(texts) and
                                                       texts[i + 1] == "-") for t in texts):
                return Stream(None, frozenset({"download"}), f"wget {dest}".strip())
            if urls:
                self.downloaded.add(basename(urls[0]))
            return EMPTY
        if output_file == "-" or to_stdout:
            return Stream(None, frozenset({"download"}), f"{name} {dest}".strip())
        return UNKNOWN

    def _curl_value(self, opt: str, value: Word, data_words: list, sent_files: list) -> None:
        text = value.text
        if opt in ("header", "user", "cookie", "url"):
            if value.tags & {"env", "cred"}:
                data_words.append(value)
            return
        if opt == "upload-file":
            if text != "-" and cred_path(text):
                sent_files.append(text)
            return
        if opt in ("form",):
            m = re.match(r"[^=]*=[@<](.+?)(;.*)?$", text)
            if m and cred_path(m.group(1)):
                sent_files.append(m.group(1))
        elif text.startswith("@") and cred_path(text[1:]):
            sent_files.append(text[1:])
        elif opt == "data-urlencode" and re.match(r"[^@]*@(.+)$", text) and cred_path(text.split("@", 1)[1]):
            sent_files.append(text.split("@", 1)[1])
        data_words.append(value)

    # find -exec -------------------------------------------------------------------------------
    def run_find(self, args: list[Word], stdin: Stream, node) -> Stream:
        i = 0
        while i < len(args):
            if args[i].text in ("-exec", "-execdir", "-ok", "-okdir"):
                j = i + 1
                while j < len(args) and args[j].text not in (";", "+", "\\;"):
                    j += 1
                sub = args[i + 1:j]
                if sub:
                    self.run_argv(sub, EMPTY, node)
                i = j
            elif args[i].text == "-delete" and any(is_git_hook_path(a.text) for a in args):
                self.result.add("BDL804", "deletes files under .git/hooks, removing the commit hooks that screen "
                                "changes", self.snippet(node))
            i += 1
        return UNKNOWN

    # git --------------------------------------------------------------------------------------
    def check_git(self, args: list[Word], node) -> None:
        snippet = self.snippet(node)
        texts = [a.text for a in args]
        i = 0
        sub = None
        while i < len(texts):
            t = texts[i]
            if t == "-c" and i + 1 < len(texts):
                if re.match(r"(?i)core\.hookspath=", texts[i + 1]):
                    self.result.add("BDL804", f"`git -c {texts[i + 1]}` points git at another hooks directory for "
                                    "this command, so the project's commit hooks do not run", snippet)
                i += 2
                continue
            if t in ("-C", "--git-dir", "--work-tree", "--namespace", "--exec-path") and i + 1 < len(texts):
                i += 2
                continue
            if t.startswith("-"):
                i += 1
                continue
            sub = t
            break
        rest = texts[i + 1:] if sub else []
        if sub is None:
            return
        if "--no-verify" in rest or "--no-verify" in [r.split("=")[0] for r in rest]:
            self.result.add("BDL804", f"`git {sub} --no-verify` skips the pre-commit/pre-push hooks, so the change is "
                            "never screened by backdoor-lint", snippet)
        if sub == "commit":
            for r in rest:
                if r == "--":
                    break
                if re.match(r"-[a-zA-Z]+$", r):
                    for ch in r[1:]:
                        if ch == "n":
                            self.result.add("BDL804", f"`git commit {r}` includes -n (--no-verify), which skips the "
                                            "pre-commit hooks, so the change is never screened", snippet)
                            break
                        if ch in "mFcCtS":
                            break
        if sub == "config":
            keys = [r for r in rest if not r.startswith("-")]
            writing = len(keys) >= 2 or any(r in ("--unset", "--unset-all", "--add", "--replace-all") for r in rest)
            if keys and keys[0].lower() == "core.hookspath" and writing:
                self.result.add("BDL804", "`git config core.hooksPath` redirects or removes the hooks directory, so "
                                "the project's commit hooks (and backdoor-lint) stop running", snippet)
        if sub in ("rm", "mv"):
            for r in rest:
                if is_guard_config(r):
                    self.result.add("BDL803", f"`git {sub} {r}` removes the guard's configuration, switching the "
                                    "checks off for everyone", snippet)
                if is_git_hook_path(r):
                    self.result.add("BDL804", f"`git {sub} {r}` removes commit hooks", snippet)
        if sub == "update-index" and any(r in ("--assume-unchanged", "--skip-worktree") for r in rest) and \
                any(is_guard_config(r) for r in rest):
            self.result.add("BDL803", "hides changes to the guard's configuration from git", snippet)

    def check_file_tampering(self, name: str, args: list[Word], node) -> None:
        snippet = self.snippet(node)
        paths = [a.text for a in args if not a.text.startswith("-")]
        flags = [a.text for a in args if a.text.startswith("-")]
        if name == "chmod":
            operands = [a.text for a in args if not re.match(r"-[RfvcH]+$|--", a.text)]
            mode = operands[0] if operands else ""
            paths = operands
            if re.match(r"[ugoa]*-[rwx]*x|0?[0-7]?[0-6][0-6][0-6]$|[ugoa]*=[rw]*$", mode):
                for p in paths[1:]:
                    if is_git_hook_path(p):
                        self.result.add("BDL804", f"`chmod {mode} {p}` makes the commit hook non-executable, so git "
                                        "silently skips it", snippet)
            if re.search(r"\+[rwX]*x", mode):
                for p in paths[1:]:
                    if p in self.downloaded or basename(p) in self.downloaded:
                        self.result.add("BDL405", f"marks `{p}`, downloaded by this command, as executable: "
                                        "download-then-run executes whatever the server sent, unreviewed", snippet)
            return
        if name in ("sed", "perl"):
            if not any(f.startswith("-i") or f == "--in-place" or f.startswith("--in-place=") or
                       (name == "perl" and re.match(r"-[a-zA-Z]*i", f)) for f in flags):
                return
            script = " ".join(paths)
            for p in paths:
                guard = is_guard_config(p)
                if guard or basename(p) == "pyproject.toml" and "backdoor" in script:
                    self.result.add("BDL803", f"edits the guard's configuration `{p}` in place with {name}, where the "
                                    "change cannot be checked; use the editor tool so the edit can be screened",
                                    snippet)
                if is_git_hook_path(p):
                    self.result.add("BDL804", f"edits the commit hook `{p}` in place", snippet)
            return
        if name == "ln":
            if paths and paths[0] == "/dev/null" and any(is_git_hook_path(p) for p in paths[1:]):
                self.result.add("BDL804", "replaces a commit hook with /dev/null, so it never runs", snippet)
            return
        if name == "cp":
            if paths and paths[0] == "/dev/null" and any(is_git_hook_path(p) or is_guard_config(p) for p in paths[1:]):
                self.result.add("BDL804", "empties a commit hook or the guard's configuration with /dev/null", snippet)
            return
        targets = paths if name != "mv" else paths[:-1]
        for p in targets:
            if is_git_hook_path(p):
                self.result.add("BDL804", f"`{name} {p}` removes commit hooks, so later commits are not screened",
                                snippet)
            guard = is_guard_config(p)
            if guard:
                self.result.add("BDL803", f"`{name} {p}` removes the guard's configuration ({guard}), switching the "
                                "checks off", snippet)

    # writes -----------------------------------------------------------------------------------
    def record_write(self, target: Word, content: Stream, append: bool, via: str) -> None:
        path = target.text
        if not path or path in ("-",) or path.startswith("/dev/") or path.startswith("&"):
            return
        text = _text(content.data)
        self.result.writes.append(FileWrite(path, text, append, via))

    # words ------------------------------------------------------------------------------------
    def resolve(self, node) -> Word:
        if node is None:
            return Word("")
        kind = node.type
        raw = node.text.decode("utf-8", "replace")
        if kind in ("word", "number", "variable_name", "special_variable_name", "extglob_pattern", "regex",
                    "heredoc_start"):
            if kind == "word" and raw.startswith("~"):
                return Word("~" + _unescape(raw[1:]))
            return Word(_unescape(raw) if kind == "word" else raw)
        if kind == "raw_string":
            return Word(raw[1:-1] if raw.startswith("'") and raw.endswith("'") else raw)
        if kind == "ansi_c_string":
            body = raw[2:-1] if raw.startswith("$'") and raw.endswith("'") else raw
            decoded = decode_escapes(body)
            return Word(decoded, frozenset({"decoded"}) if decoded != body else frozenset(), True,
                        "$'...' escapes" if decoded != body else "")
        if kind == "translated_string":
            return self.resolve(node.named_children[0]) if node.named_children else Word("")
        if kind == "string":
            return self._join(node.named_children, quoted=True, raw=raw)
        if kind == "concatenation":
            return self._join(node.named_children, quoted=False, raw=raw)
        if kind == "string_content":
            return Word(re.sub(r'\\([$`"\\\n])', r"\1", raw))
        if kind in ("simple_expansion", "expansion"):
            return self._expand(node, raw)
        if kind in ("command_substitution",):
            sub = self.child()
            sub.source = self.source
            out = sub.exec_block(node, EMPTY)
            text = _text(out.data)
            what = out.what or f"`{raw[:80]}`"
            if "env" in out.tags:
                what = f"`{raw[:80]}`"
            if text is None:
                return Word(raw, out.tags, False, what)
            return Word(text.rstrip("\n"), out.tags, True, what)
        if kind == "process_substitution":
            sub = self.child()
            out = sub.exec_block(node, EMPTY)
            return Word("/dev/fd/63", out.tags, False, out.what or f"`{raw[:80]}`")
        if kind == "arithmetic_expansion":
            return Word(raw, frozenset(), False)
        if kind == "command_name":
            return self.resolve(node.named_children[0]) if node.named_children else Word(raw)
        if node.named_children:
            return self._join(node.named_children, quoted=False, raw=raw)
        return Word(_unescape(raw))

    def _join(self, parts, quoted: bool, raw: str) -> Word:
        texts, tags, exact, what = [], frozenset(), True, ""
        for part in parts:
            w = self.resolve(part)
            texts.append(w.text)
            tags |= w.tags
            exact = exact and w.exact
            what = what or w.what
        return Word("".join(texts), tags, exact, what)

    def _expand(self, node, raw: str) -> Word:
        name_node = next((c for c in node.named_children if c.type in ("variable_name", "special_variable_name")),
                         None)
        name = name_node.text.decode("utf-8", "replace") if name_node is not None else raw.strip("${}")
        for c in node.named_children:  # ${X:-$(cmd)} and friends: analyse the nested substitution
            if c.type in ("command_substitution", "process_substitution"):
                self.resolve(c)
        if name in self.vars and raw in (f"${name}", f"${{{name}}}"):
            return self.vars[name]
        if name in ("HOME",):
            return Word("~", frozenset(), True)
        tags = frozenset({"secret"}) if is_secret_name(name) else frozenset()
        if name in self.vars:
            value = self.vars[name]
            return Word(raw, value.tags | tags, False, value.what or raw)
        return Word(raw, tags, False, raw if tags else "")


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text, flags=re.S)


def _printf(fmt: str, values: list[str]) -> str:
    out = []
    values = list(values)
    pieces = re.split(r"(%[-+ #0]*\d*(?:\.\d+)?[sdbqcxXioufeEgG%])", fmt)
    for piece in pieces:
        if re.match(r"%[-+ #0]*\d*(?:\.\d+)?[sdbqcxXioufeEgG%]$", piece):
            conv = piece[-1]
            if conv == "%":
                out.append("%")
                continue
            value = values.pop(0) if values else ""
            out.append(decode_escapes(value) if conv == "b" else value)
        else:
            out.append(decode_escapes(piece))
    return "".join(out)


# --------------------------------------------------------------------------------------------
# inline code (python -c, node -e, perl -e, ...): a quick, libcst-free screen. The full Python
# checkers run on python -c bodies too (the caller passes ShellAnalysis.inline to the engine).

_INLINE_ENV = {
    "python": re.compile(r"os\.environ(?!\s*(\[|\.get\b|\.setdefault\b|\.pop\b))|os\.getenv\(\s*\)|"
                         r"os\.environ\.(copy|items|keys|values)\(|environ\b(?!\s*\[)"),
    "javascript": re.compile(r"process\.env(?!\s*(\.|\[))|Object\.(entries|keys|values)\(\s*process\.env|"
                             r"JSON\.stringify\(\s*process\.env"),
    "perl": re.compile(r"%ENV\b|\bkeys\s+%ENV"),
    "ruby": re.compile(r"\bENV\.(to_h|to_a|inspect|each|map|keys|values)|\bENV\b(?!\s*\[)"),
    "php": re.compile(r"getenv\(\s*\)|\$_ENV\b(?!\s*\[)|\$_SERVER\b(?!\s*\[)"),
    "lua": re.compile(r"os\.getenv\(\s*\)"),
}
_INLINE_NET = {
    "python": re.compile(r"\burllib\b|\brequests\b|\bhttp\.client\b|\bhttpx\b|\baiohttp\b|\bsocket\b|\bsmtplib\b|"
                         r"\bftplib\b|\burlopen\b|\bhttplib\b|\bpycurl\b|\bparamiko\b"),
    "javascript": re.compile(r"\bfetch\s*\(|\brequire\(\s*['\"](https?|net|dgram|tls|axios|node-fetch)['\"]\)|"
                             r"\b(https?|net|dgram|tls)\.(request|get|connect|createConnection)\b|XMLHttpRequest|"
                             r"\baxios\b|\bWebSocket\b"),
    "perl": re.compile(r"LWP|HTTP::|IO::Socket|\bsocket\s*\(|Net::"),
    "ruby": re.compile(r"Net::HTTP|open-uri|TCPSocket|Socket\.|URI\.open|HTTParty|Faraday"),
    "php": re.compile(r"curl_|file_get_contents\(\s*['\"]https?:|fsockopen|stream_socket_client|fopen\(\s*['\"]https?:"),
    "lua": re.compile(r"socket|http\.request"),
}
_INLINE_SHELL_SPAWN = {
    "python": re.compile(r"subprocess|os\.system|os\.popen|pty\.spawn|os\.exec|os\.dup2|/bin/(ba)?sh"),
    "javascript": re.compile(r"child_process|\bspawn\(|\bexec\(|/bin/(ba)?sh"),
    "perl": re.compile(r"\bexec\s*[({\"']|\bsystem\s*[(\"']|/bin/(ba)?sh|open\s*\(\s*STDIN"),
    "ruby": re.compile(r"\bexec\b|\bsystem\b|spawn|/bin/(ba)?sh|IO\.popen"),
    "php": re.compile(r"\bexec\(|shell_exec|system\(|passthru|proc_open|popen|/bin/(ba)?sh"),
    "lua": re.compile(r"os\.execute|io\.popen|/bin/(ba)?sh"),
}
_INLINE_SOCKET = {
    "python": re.compile(r"\bsocket\b"), "javascript": re.compile(r"\bnet\.(Socket|connect|createConnection)|"
                                                                  r"require\(\s*['\"]net['\"]\)"),
    "perl": re.compile(r"IO::Socket|\bsocket\s*\("), "ruby": re.compile(r"TCPSocket|Socket\."),
    "php": re.compile(r"fsockopen|stream_socket_client"), "lua": re.compile(r"socket"),
}
_INLINE_EXEC_DOWNLOAD = {
    "python": re.compile(r"\b(exec|eval)\s*\(.*(urlopen|requests\.get|urllib|httpx)", re.S),
    "javascript": re.compile(r"\b(eval|Function)\s*\(.*(fetch|https?\.get|axios)|(fetch|https?\.get).*\beval\s*\(",
                             re.S),
    "perl": re.compile(r"\beval\b.*(LWP|get\s*\()", re.S),
    "ruby": re.compile(r"\beval\b.*(Net::HTTP|URI\.open|open-uri)", re.S),
    "php": re.compile(r"\beval\s*\(.*(file_get_contents|curl_)", re.S),
    "lua": re.compile(r"loadstring.*http", re.S),
}


def screen_inline(language: str, code: str, via: str) -> list[tuple[str, str, str]]:
    """Quick findings for an inline program (python -c ...): whole environment or credential files
    together with a network client (BDL402), a socket wired to a shell (BDL405), code downloaded and
    evaluated (BDL405)."""
    findings = []
    if language == "bash":
        return findings
    env_re, net_re = _INLINE_ENV.get(language), _INLINE_NET.get(language)
    if env_re is None or net_re is None:
        return findings
    net = net_re.search(code)
    creds = cred_path(code) or next((cred_path(s) for s in re.findall(r"['\"]([^'\"]+)['\"]", code) if cred_path(s)),
                                    None)
    env = env_re.search(code)
    short = code.strip().replace("\n", "; ")
    short = short if len(short) <= 160 else short[:157] + "..."
    if net and (env or creds):
        source = f"the whole environment (`{env.group(0)}`)" if env else f"the credential file `{creds}`"
        findings.append(("BDL402", f"`{via}` runs {language} code that reads {source} and uses a network client "
                         f"(`{net.group(0)}`): that is exfiltration of secrets", short))
    if _INLINE_SOCKET[language].search(code) and _INLINE_SHELL_SPAWN[language].search(code):
        findings.append(("BDL405", f"`{via}` runs {language} code that connects a socket and spawns a shell or "
                         "duplicates file descriptors: a reverse shell", short))
    if _INLINE_EXEC_DOWNLOAD[language].search(code):
        findings.append(("BDL405", f"`{via}` runs {language} code that downloads code and evaluates it: "
                         "download-and-execute runs whatever the server sends", short))
    return findings


# --------------------------------------------------------------------------------------------
# public API


def analyse(command: str) -> ShellAnalysis:
    """Analyse one shell command line (or a whole script)."""
    result = ShellAnalysis()
    _Analyser(result).run(command)
    return result


def analyse_script(text: str) -> ShellAnalysis:
    """Analyse a shell script file's content (same as a command; a shebang line is a comment)."""
    return analyse(text)
