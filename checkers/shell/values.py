"""What the shell analysis returns (findings, file writes, inline programs) and the values it
computes with: words (resolved text plus taint tags) and streams (standard output plus tags)."""
from __future__ import annotations

from dataclasses import dataclass, field

MAX_DEPTH = 8  # nested bash -c / eval / decoded payloads
MAX_COMMAND = 200_000  # characters analysed per command string


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


@dataclass(frozen=True)
class NetworkUse:
    """A network program run (or a /dev/tcp redirection) and the destinations on its command line."""

    program: str
    destinations: tuple[str, ...] = ()  # URLs and host operands as written (host, user@host:path, ip)


@dataclass
class ShellAnalysis:
    findings: list[ShellFinding] = field(default_factory=list)
    writes: list[FileWrite] = field(default_factory=list)
    inline: list[InlineCode] = field(default_factory=list)
    network: list[NetworkUse] = field(default_factory=list)
    downloads: list[str] = field(default_factory=list)  # files a network program writes its response to
    parse_errors: bool = False
    line: int = 1  # line of the top-level command being analysed
    # what the agent hook remembers for later tool calls of the session (hooks/session.py)
    staged: dict[str, tuple[str, str]] = field(default_factory=dict)  # path -> (secrets it holds, taint tag)
    remotes: dict[str, str] = field(default_factory=dict)  # git remotes added: name -> URL
    runs: list[tuple[str, str]] = field(default_factory=list)  # (shell | make, path) of scripts run, content unknown
    removed: list[str] = field(default_factory=list)  # paths deleted or moved away (rm, unlink, shred, mv, ...)

    def add(self, code: str, message: str, snippet: str = "") -> None:
        key = (code, message, self.line)
        if all((f.code, f.message, f.line) != key for f in self.findings):
            self.findings.append(ShellFinding(code, message, snippet, self.line))


@dataclass
class Known:
    """What earlier tool calls of the same agent session left behind (hooks/session.py): files
    holding secrets, git remotes added. It can only add findings, never remove one."""

    staged: dict[str, tuple[str, str]] = field(default_factory=dict)
    remotes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Word:
    """A resolved word. Taint tags: env (the whole environment), cred (a credential file), secret (a
    secret-named variable), download (fetched from the network), decoded (an encoded payload)."""

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
HANDLED = "__handled__"  # argv[0] of a command a wrapper already analysed


def joined(words: list[Word]) -> Word:
    """Words joined with spaces, carrying all their tags (eval a b, sh -c 'code' x y)."""
    return Word(" ".join(w.text for w in words), frozenset().union(*[w.tags for w in words]) if words else
                frozenset(), all(w.exact for w in words), next((w.what for w in words if w.what), ""))
