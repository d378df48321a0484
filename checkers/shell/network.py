"""Network programs: per-program option tables (which options of curl, wget, nc, scp, ... send
their value, upload a file, name the output file or attach a program to the connection) and what
a command line of such a program sends where (BDL402) or attaches (BDL405).

Options are read the way getopt reads them: `-sSLo out` is -s -S -L -o out, `-XPOST` is -X POST,
`--data=x` and `--data x` are the same; a short option that takes a value ends the bundle."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from backdoor_lint.checkers.shell.values import EMPTY, UNKNOWN, NetworkUse, ShellAnalysis, Stream, Word
from backdoor_lint.checkers.shell.wordlists import (
    NETCATS,
    PRINTS_RESPONSE,
    STDIN_SENDERS,
    UPLOADERS,
    basename,
    cred_path,
)

# what an option's value means
DATA = "data"  # sent as the request body; `@file` sends the file
URLENCODE = "urlencode"  # curl --data-urlencode: `name@file` sends the file too
FORM = "form"  # a form field; `name=@file` / `name=<file` sends the file
UPLOAD = "upload"  # the file named is uploaded; `-` is standard input
POST_FILE = "post-file"  # the file named is the request body
IF_SECRET = "if-secret"  # headers, cookies, user: ordinary unless the value is the environment or a credential
OUTPUT = "output"  # names the file the response is written to
REMOTE_NAME = "remote-name"  # a flag: the response is written to the URL's file name
EXEC = "exec"  # attaches a program to the connection (a reverse or bind shell)
LOCAL = "local"  # a local setting (identity file, remote shell command): neither sent nor written
FLAG_ROLES = {REMOTE_NAME}


@dataclass(frozen=True)
class ProgramOptions:
    roles: dict[str, str] = field(default_factory=dict)  # option spelling -> what its value means
    short_values: str = ""  # short options that take a value
    stdin_values: tuple[str, ...] = ()  # values of DATA/FORM/UPLOAD/IF_SECRET options that read standard input

    def takes_value(self, option: str) -> bool:
        if option.startswith("--"):
            return option in self.roles and self.roles[option] not in FLAG_ROLES
        return option[1:] in self.short_values


def _spellings(role: str, *options: str) -> dict[str, str]:
    return dict.fromkeys(options, role)


CURL = ProgramOptions(
    roles={**_spellings(DATA, "-d", "--data", "--data-binary", "--data-raw", "--data-ascii", "--json"),
           **_spellings(URLENCODE, "--data-urlencode"),
           **_spellings(FORM, "-F", "--form", "--form-string"),
           **_spellings(UPLOAD, "-T", "--upload-file"),
           **_spellings(IF_SECRET, "-H", "--header", "-b", "--cookie", "-u", "--user", "--url"),
           **_spellings(OUTPUT, "-o", "--output"),
           **_spellings(REMOTE_NAME, "-O", "--remote-name")},
    short_values="AbcCdDeEFHKmoPQrtTuUwxXyYz",
    stdin_values=("-", "@-", "@/dev/stdin"),
)
WGET = ProgramOptions(
    roles={**_spellings(DATA, "--post-data", "--body-data"),
           **_spellings(POST_FILE, "--post-file", "--body-file"),
           **_spellings(IF_SECRET, "--header"),
           **_spellings(OUTPUT, "-O", "--output-document")},
    short_values="aABDeiIloOPQRtTUwX",
)
NETCAT = ProgramOptions(roles=_spellings(EXEC, "-e", "-c", "--exec", "--sh-exec", "--lua-exec"),
                        short_values="ceipqsw")
SCP = ProgramOptions(roles=_spellings(LOCAL, "-i", "-F", "-o", "-S", "-J"), short_values="cDFiJlloPSX")
SFTP = ProgramOptions(roles=_spellings(LOCAL, "-i", "-F", "-o", "-S", "-J", "-b"), short_values="BbcDFiJloPRSs")
RSYNC = ProgramOptions(roles=_spellings(LOCAL, "-e", "--rsh", "--password-file"), short_values="eBfMT")
OPTIONS = {"curl": CURL, "wget": WGET, "scp": SCP, "sftp": SFTP, "rsync": RSYNC, **dict.fromkeys(NETCATS, NETCAT)}

_HTTPIE_FILE_ITEM = re.compile(r"\A[^=:@]+(:=@|=@|@)(.+)$")  # field=@file, field:=@file.json, field@file
_REMOTE_SPEC = re.compile(r"\A(?:[\w.-]+@[\w.-]+:|[\w.-]+:|(s3|gs|rsync|sftp|ftp|az|https?)://)")
_REMOTE_HOST_SPEC = re.compile(r"\A(?:[\w.-]+@[\w.-]+:|[\w.-]+:[^/])")


@dataclass
class Request:
    """What one network command line sends and where its response goes."""

    name: str
    texts: list[str]
    snippet: str
    reads_stdin: bool = False
    data_words: list[Word] = field(default_factory=list)
    sent_files: list[str] = field(default_factory=list)
    output_file: str | None = None
    # what a file named on the command line holds: a credential file, or a file the command (or
    # the session) filled with secrets (staging.StagedFiles.held); None for an ordinary file
    held: Callable[[str], str | None] = cred_path


def _read_options(options: ProgramOptions, args: list[Word]):
    """(token, option, role, value) per argument as getopt reads it: option and role are None for
    an operand, value is the option's value (None when it takes none); values taken from the next
    argument are not yielded again."""
    i = 0
    while i < len(args):
        word = args[i]
        t = word.text
        nxt = args[i + 1] if i + 1 < len(args) else None
        i += 1
        if t.startswith("--") and len(t) > 2:
            option, eq, inline = t.partition("=")
            if not options.takes_value(option):
                yield word, option, options.roles.get(option), None
            elif eq:
                yield word, option, options.roles.get(option), Word(inline, word.tags, word.exact, word.what)
            else:
                yield word, option, options.roles.get(option), nxt
                i += nxt is not None
            continue
        if not (t.startswith("-") and len(t) > 1):
            yield word, None, None, None
            continue
        flags_seen = False
        for j, letter in enumerate(t[1:], 1):
            option = "-" + letter
            if options.takes_value(option):
                inline = t[j + 1:]
                value = Word(inline, word.tags, word.exact, word.what) if inline else nxt
                i += not inline and nxt is not None
                yield word, option, options.roles.get(option), value
                break
            if option in options.roles:
                flags_seen = True
                yield word, option, options.roles[option], None
        else:
            if not flags_seen:
                yield word, t, None, None


def _send_value(request: Request, role: str, value: Word, options: ProgramOptions) -> None:
    """The value of a DATA/URLENCODE/FORM/UPLOAD/POST_FILE/IF_SECRET option."""
    text = value.text
    if text in options.stdin_values or role == FORM and re.search(r"[@<]-$", text):
        request.reads_stdin = True
    if role == IF_SECRET:
        if value.tags & {"env", "cred"}:
            request.data_words.append(value)
        return
    if role in (UPLOAD, POST_FILE):
        if text == "-" or role == POST_FILE and text == "/dev/stdin":
            request.reads_stdin = True
        elif request.held(text):
            request.sent_files.append(request.held(text))
        return
    if role == FORM:
        m = re.match(r"[^=]*=[@<](.+?)(;.*)?$", text)
        if m and request.held(m.group(1)):
            request.sent_files.append(request.held(m.group(1)))
    elif text.startswith("@") and request.held(text[1:]):
        request.sent_files.append(request.held(text[1:]))
    elif role == URLENCODE and re.match(r"[^@]*@(.+)$", text) and request.held(text.split("@", 1)[1]):
        request.sent_files.append(request.held(text.split("@", 1)[1]))
    request.data_words.append(value)


def _operand(request: Request, word: Word, result: ShellAnalysis) -> None:
    """An argument that is not an option's value: program-specific address and item rules."""
    name, t = request.name, word.text
    if name == "socat":
        if re.search(r"(?i)\b(exec|system):", t):
            result.add("BDL405", f"`socat ... {t}` attaches a program to a network connection: a reverse "
                       "shell gives whoever is on the other end a shell on this machine", request.snippet)
        if re.match(r"(?i)(stdin|stdio|-)$", t) or t.startswith("-"):
            request.reads_stdin = True
    elif name in ("http", "https", "xh"):
        item = _HTTPIE_FILE_ITEM.match(t)
        if item:
            if request.held(item.group(2)):
                request.sent_files.append(request.held(item.group(2)))
        elif "=" in t or ":=" in t:
            request.data_words.append(word)
    elif name in UPLOADERS and not t.startswith("-"):
        if request.held(t) and not _REMOTE_HOST_SPEC.match(t) and \
                any(_REMOTE_SPEC.match(x) for x in request.texts if x != t):
            request.sent_files.append(request.held(t))
    if word.tags & {"env", "cred"}:
        request.data_words.append(word)


def _read_request(name: str, args: list[Word], stdin: Stream, snippet: str, result: ShellAnalysis,
                  urls: list[str], held: Callable[[str], str | None]) -> Request:
    texts = [a.text for a in args]
    request = Request(name, texts, snippet,
                      reads_stdin=name in STDIN_SENDERS and not (name == "openssl" and "s_client" not in texts),
                      held=held)
    options = OPTIONS.get(name, ProgramOptions())
    for token, option, role, value in _read_options(options, args):
        if option is None or role is None and value is None:
            _operand(request, token, result)
        elif role == EXEC:
            inline = value is None or len(token.text) > 2 and token.text.endswith(value.text)
            shown = token.text if inline else f"{token.text} {value.text}"
            result.add("BDL405", f"`{name} {shown}` attaches a program to a network connection: a "
                       "reverse (or bind) shell gives whoever is on the other end a shell on this machine", snippet)
        elif role == OUTPUT and value is not None:
            request.output_file = value.text
        elif role == REMOTE_NAME:
            request.output_file = basename(urls[0]) if urls else "(remote name)"
        elif role in (None, LOCAL) and value is not None and value.tags & {"env", "cred"}:
            request.data_words.append(value)  # `-A "$(env)"`: whatever option carries it, it is sent
        elif role not in (None, LOCAL, OUTPUT) and value is not None:
            _send_value(request, role, value, options)
    return request


def _report_sent(request: Request, stdin: Stream, dest: str, result: ShellAnalysis) -> None:
    sources = []
    for w in request.data_words:
        # secret-named variables in a request body are ordinary API use (a client sending its
        # key to its own service); whole environments and credential files are not.
        if w.tags & {"env", "cred"}:
            sources.append(w.what or w.text)
        path = request.held(w.text.lstrip("@<"))
        if path and w.text.startswith(("@", "<")):
            sources.append(path)
    sources += request.sent_files
    if request.reads_stdin and stdin.tags & {"env", "cred", "secret"}:
        sources.append(stdin.what or "standard input")
    if sources:
        kind = "the whole environment" if any("env" in w.tags for w in request.data_words) or \
            "env" in stdin.tags and request.reads_stdin else "credentials"
        shown = ", ".join(dict.fromkeys(s.strip() for s in sources if s))
        dest_text = f" to {dest}" if dest else ""
        result.add("BDL402", f"sends {kind} ({shown}) over the network with {request.name}{dest_text}",
                   request.snippet)


def run_network(result: ShellAnalysis, downloaded: set[str], name: str, args: list[Word], stdin: Stream,
                snippet: str, held: Callable[[str], str | None] = cred_path) -> Stream:
    """Report what a network command sends; its output stream (tagged `download` when it prints the
    response) and the files it downloads (added to `downloaded`)."""
    texts = [a.text for a in args]
    urls = [t for t in texts if re.match(r"(?i)[a-z][a-z0-9+.-]*://", t)]
    dest = urls[0] if urls else next((t for t in texts if not t.startswith("-") and ("." in t or ":" in t)), "")
    hosts = [t for t in texts if t not in urls and not t.startswith("-") and ("." in t or ":" in t)]
    result.network.append(NetworkUse(name, tuple(urls + hosts)))
    request = _read_request(name, args, stdin, snippet, result, urls, held)
    _report_sent(request, stdin, dest, result)
    output_file = request.output_file
    if output_file and output_file != "-":
        result.downloads.append(output_file)
        downloaded.add(output_file)
        downloaded.add(basename(output_file))
        return EMPTY
    if name == "wget" and not output_file:
        if urls:
            downloaded.add(basename(urls[0]))
        return EMPTY
    if output_file == "-" or name in PRINTS_RESPONSE:
        return Stream(None, frozenset({"download"}), f"{name} {dest}".strip())
    return UNKNOWN


# gh/glab sub-commands that publish files: (sub-command, action) -> options whose value is a file
_PUBLISH_FILE_OPTIONS = ("-F", "--body-file", "--notes-file", "--input", "-f", "--file")
_PUBLISHES_OPERANDS = {("gist", "create"), ("gist", "edit"), ("release", "create"), ("release", "upload"),
                       ("snippet", "create"), ("repo", "create")}


def run_publisher(result: ShellAnalysis, name: str, args: list[Word], snippet: str,
                  held: Callable[[str], str | None] = cred_path) -> Stream:
    """`gh gist create ~/.config/gh/hosts.yml`, `gh release upload v1 /tmp/env.txt`, `gh issue
    create --body-file ~/.aws/credentials`: a credential file published on a hosting service."""
    texts = [a.text for a in args]
    words = [t for t in texts if not t.startswith("-")]
    operands = words[2:] if tuple(words[:2]) in _PUBLISHES_OPERANDS else []
    files = [t for t in operands if held(t)]
    for i, t in enumerate(texts):
        option, eq, inline = t.partition("=")
        if option in _PUBLISH_FILE_OPTIONS:
            value = inline if eq else texts[i + 1] if i + 1 < len(texts) else ""
            if held(value.lstrip("@")):
                files.append(value.lstrip("@"))
        elif option in ("-F", "--field", "-f", "--raw-field") and "=@" in (inline or ""):
            files += [inline.split("=@", 1)[1]] if held(inline.split("=@", 1)[1]) else []
    if files:
        shown = ", ".join(dict.fromkeys(held(f) or f for f in files))
        result.add("BDL402", f"publishes credentials ({shown}) with `{name} {' '.join(words[:2])}`: a gist, "
                   "release asset or issue is readable by others, and the token or key in it is then theirs",
                   snippet)
    return UNKNOWN
