"""BDL703/704: confusable and mixed-script identifiers and host names (Unicode TR39).

Skeletons use the Unicode consortium's confusables.txt (shipped as package data, data/
confusables.txt); scripts come from the Unicode character names. Identifiers are read with the
`tokenize` module for Python (strings and comments never count) and with a small lexer that
drops strings and comments for JavaScript/TypeScript/Go/Java. Host names are checked in URL
literals and host-like words of every text file. libcst-free, and files without non-ASCII
bytes (or `xn--`) are skipped before decoding."""
from __future__ import annotations

import io
import re
import tokenize
import unicodedata
from functools import lru_cache

from backdoor_lint.checkers import read_data
from backdoor_lint.checkers.examples import Invalid, Valid
from backdoor_lint.checkers.text import TextChecker, line_and_column, line_starts

from backdoor_lint.findings import Finding

# TR39 "highly restrictive": these script sets may be mixed in one identifier.
ALLOWED_MIXES = [
    {"LATIN", "HAN", "HIRAGANA", "KATAKANA"},
    {"LATIN", "HAN", "BOPOMOFO"},
    {"LATIN", "HAN", "HANGUL"},
]
SCRIPT_ALIASES = {"CJK": "HAN", "FULLWIDTH": "LATIN", "HALFWIDTH": "KATAKANA", "KANGXI": "HAN",
                  "IDEOGRAPHIC": "HAN"}
C_LIKE = {"javascript", "typescript", "go", "java"}
_C_TOKENS = re.compile(
    # Unterminated comments and strings run to the end of the line (or text) instead of failing:
    # a failed match would be retried from every later quote, which is quadratic.
    r"//[^\n]*|/\*.*?(?:\*/|\Z)|\"(?:\\.|[^\"\\\n])*(?:\"|(?=\n)|\\?\Z)|'(?:\\.|[^'\\\n])*(?:'|(?=\n)|\\?\Z)"
    r"|`(?:\\.|[^`\\])*(?:`|\\?\Z)|([^\W\d][\w$]*)",
    re.DOTALL,
)
# A host-like word without a scheme: dotted labels ending in an ASCII top-level domain.
_TOP_LEVEL_DOMAINS = (r"(?:com|org|net|io|dev|app|co|ai|me|info|biz|xyz|cloud|site|online|us|uk|de|ru|cn|eu|example|"
                      r"test|local|internal)")
_HOST_END = r"(?=[/:?#\s'\"`<>)\]},;]|$)"
HOSTISH = re.compile(r"(?<![\w.@-])((?:[\w-]+\.)+" + _TOP_LEVEL_DOMAINS + ")" + _HOST_END, re.IGNORECASE)
URL_HOST = re.compile(r"(?i)\b[a-z][a-z0-9+.-]{0,31}://(?:[^\s/?#@'\"<>]*@)?([^\s/?#:'\"<>\\)\]}`,;]+)")
# Cheap necessary conditions for a host BDL704 can report: punycode, a non-ASCII character in a
# URL authority, or one in the run of name characters before a top-level domain that ends a word
# (a HOSTISH match is such a whole run). The two patterns above cost 5x more on prose-heavy files
# (translations), where there is nothing to find; the top-level domain is looked for first
# (a literal `.` the regex engine skips to), and only its run is read backwards.
_URL_AUTHORITY_HINT = re.compile(r"://[^\s/?#'\"<>]*[^\x00-\x7f]")
_TOP_LEVEL_DOMAIN_END = re.compile(r"\." + _TOP_LEVEL_DOMAINS + _HOST_END, re.IGNORECASE)
_HOST_CHARACTER = re.compile(r"[\w.-]")


def may_hold_confusable_host(text: str) -> bool:
    if "xn--" in text:
        return True
    if text.isascii():
        return False
    if _URL_AUTHORITY_HINT.search(text):
        return True
    for match in _TOP_LEVEL_DOMAIN_END.finditer(text):
        start = match.start()
        while start and _HOST_CHARACTER.match(text[start - 1]):
            start -= 1
        if not text[start:match.end()].isascii():  # (IGNORECASE: the Kelvin sign matches the k of `uk`)
            return True
    return False


@lru_cache(maxsize=1)
def confusables() -> dict[str, str]:
    table = {}
    text = read_data("confusables.txt")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        source, target, *_ = (p.strip() for p in line.split(";"))
        table[chr(int(source, 16))] = "".join(chr(int(c, 16)) for c in target.split())
    return table


def skeleton(text: str) -> str:
    """TR39 skeleton: NFD, map each character to its prototype, NFD again."""
    table = confusables()
    mapped = "".join(table.get(ch, ch) for ch in unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFD", mapped)


def script_of(ch: str) -> str | None:
    """The script of a letter from its Unicode name (None for digits, marks, punctuation)."""
    if not ch.isalpha():
        return None
    if unicodedata.category(ch).startswith("M"):
        return None
    name = unicodedata.name(ch, "")
    if not name:
        return "UNKNOWN"
    first = name.split()[0]
    if first in ("MATHEMATICAL",):
        return "MATHEMATICAL"
    if first in ("MODIFIER", "SMALL", "SUPERSCRIPT", "SUBSCRIPT"):
        return "LATIN" if "LATIN" in name or "LETTER" in name and ch.isascii() else first
    return SCRIPT_ALIASES.get(first, first)


def scripts(text: str) -> set[str]:
    return {s for s in (script_of(ch) for ch in text) if s}


def mixed(text: str) -> set[str] | None:
    found = scripts(text)
    if len(found) <= 1 or any(found <= allowed for allowed in ALLOWED_MIXES):
        return None
    return found


def _describe(text: str) -> str:
    odd = [ch for ch in text if not ch.isascii()]
    names = []
    for ch in dict.fromkeys(odd):
        names.append(f"U+{ord(ch):04X} {unicodedata.name(ch, '?')}")
    return ", ".join(names[:3])


# Comments and string literals as Python's tokenizer reads them (group 1: a string's prefix).
_PY_COMMENT_OR_STRING = re.compile(
    r"#[^\n]*"
    r"|(?:(?<!\w)([rRbBuUfF]{1,2}))?"
    r'(?:"""(?:\\[\s\S]|[^\\])*?"""'
    r"|'''(?:\\[\s\S]|[^\\])*?'''"
    r'|"(?:\\[\s\S]|[^"\\\n])*"'
    r"|'(?:\\[\s\S]|[^'\\\n])*')")


def python_names_are_ascii(text: str) -> bool:
    """True when every non-ASCII character of a Python file lies in a comment or in the literal
    text of a string, so no identifier can be non-ASCII and Python's tokenizer (pure Python before
    3.12; a second per hundred translation-heavy files) is not needed. Conservative: anything
    unusual (non-ASCII in an f-string's {fields}, unbalanced braces) answers False. A file this
    reading gets wrong is not valid Python, and invalid Python is blocked as BDL901 anyway."""
    last = 0
    for match in _PY_COMMENT_OR_STRING.finditer(text):
        if not text[last:match.start()].isascii():
            return False
        last = match.end()
        prefix = match.group(1) or ""
        if ("f" in prefix or "F" in prefix) and not _fields_are_ascii(match.group(0)[len(prefix):]):
            return False
    return text[last:].isascii()


def _fields_are_ascii(literal: str) -> bool:
    """Are the {replacement fields} of an f-string literal ASCII? Braces that do not balance (a
    nested string holding one, or a Python 3.12 f-string read wrongly) answer False."""
    depth = 0
    for ch in literal:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return False
        elif depth and not ch.isascii():
            return False
    return depth == 0


def python_identifiers(text: str):
    """(name, line, column) of every NAME token."""
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.NAME:
                yield token.string, token.start[0], token.start[1] + 1
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return


def c_identifiers(text: str):
    """Identifiers of C-like code. Minified files (a line over 2000 characters) are skipped: their
    regex literals defeat this small lexer; a name right next to a quote is string content the
    lexer lost track of, not an identifier."""
    if any(len(line) > 2000 for line in text.splitlines()):
        return
    starts = None
    for match in _C_TOKENS.finditer(text):
        if match.group(1):
            before = text[match.start(1) - 1] if match.start(1) else ""
            after = text[match.end(1)] if match.end(1) < len(text) else ""
            if before in "\"'`" and before or after in "\"'`" and after:
                continue
            starts = starts or line_starts(text)
            line, column = line_and_column(text, match.start(1), starts)
            yield match.group(1), line, column


class ConfusableIdentifier(TextChecker):
    """BDL703: an identifier that mixes scripts or whose skeleton equals another identifier's."""

    CODES = ("BDL703",)
    LANGUAGES = frozenset({"python", *C_LIKE})  # the languages whose identifiers it tokenizes
    TRIGGER = re.compile(rb"[\x80-\xff]")

    def check(self, text: str, display: str, language: str) -> list[Finding]:
        if language == "python":
            if python_names_are_ascii(text):
                return []
            return self._identifiers(list(python_identifiers(text)), display, language)
        if language in C_LIKE:
            return self._identifiers(list(c_identifiers(text)), display, language)
        return []

    def _identifiers(self, tokens, display: str, language: str) -> list[Finding]:
        odd = {name for name, _, _ in tokens if not name.isascii()}
        if not odd:
            return []
        skeletons: dict[str, set[str]] = {}
        for name in {n for n, _, _ in tokens}:
            skeletons.setdefault(skeleton(name), set()).add(name)
        problems: dict[str, str] = {}
        for name in odd:
            found = mixed(name)
            twins = sorted(skeletons.get(skeleton(name), set()) - {name})
            if twins:
                problems[name] = (f"identifier `{name}` looks like `{twins[0]}` ({_describe(name)}) but is a different "
                                  "name: a reviewer reads one and the code uses the other")
            elif found:
                problems[name] = (f"identifier `{name}` mixes {' and '.join(sorted(found))} letters "
                                  f"({_describe(name)}): it looks like `{_ascii_look(name)}` but is a different name")
            elif language == "python" and unicodedata.normalize("NFKC", name) != name \
                    and unicodedata.normalize("NFKC", name).isascii():
                problems[name] = (f"identifier `{name}` is read by Python as `{unicodedata.normalize('NFKC', name)}` "
                                  "(NFKC): the real name is hidden from search and review")
        findings = []
        seen = set()
        for name, line, column in tokens:
            if name in problems and (name, line) not in seen:
                seen.add((name, line))
                findings.append(Finding(display, line, column, "BDL703", problems[name], engine="text",
                                        end_line=line, end_column=column + len(name)))
        return findings

    VALID = [
        Valid('MESSAGES = {"ru": "Ваша корзина пуста.", "de": "Grüße"}\ndef message(k):\n    return MESSAGES[k]\n',
              "BDL703"),
        Valid('def größe(x):\n    return x\nпривет = 1\n', "BDL703"),  # single-script identifiers
        Valid('名前 = "x"\ndef 関数_calc(値):\n    return 値\n', "BDL703"),  # Japanese with Latin
        Valid('const msg = "Привет, мир"; // комментарий\nconst total = 1;\n', "BDL703", path="a.js"),
        Valid('# Ωmega in a comment and "αβγ" in a string\nx = 1\n', "BDL703"),
    ]
    INVALID = [
        Invalid('def is_admin(u):\n    return u.role == "admin"\ndef is_\u0430dmin(u):\n    return True\n', "BDL703", 3),
        Invalid('def check(u):\n    return is_\u0430dmin(u)\n', "BDL703", 2),
        Invalid('p\u0430ssword_ok = True\n', "BDL703", 1),
        Invalid('\uff45val = print\n', "BDL703", 1),  # fullwidth e: Python reads it as `eval`
        Invalid('function isAdmin(u) { return u.admin; }\nconst ok = is\u0391dmin(user);\n', "BDL703", 2, path="a.js"),
    ]


class ConfusableHostname(TextChecker):
    """BDL704: a host name in a URL or host-like word with mixed scripts or ASCII look-alikes."""

    CODES = ("BDL704",)
    TRIGGER = re.compile(rb"[\x80-\xff]|xn--")

    def check(self, text: str, display: str, language: str) -> list[Finding]:
        return self._hosts(text, display)

    def _hosts(self, text: str, display: str) -> list[Finding]:
        if not may_hold_confusable_host(text):
            return []
        findings = []
        starts = None
        seen: set[tuple[int, str]] = set()
        for pattern in (URL_HOST, HOSTISH):
            for match in pattern.finditer(text):
                host = match.group(1).rstrip(".").lower()
                if host.isascii() and "xn--" not in host:
                    continue
                problem = self._host_problem(host)
                if not problem:
                    continue
                starts = starts or line_starts(text)
                line, column = line_and_column(text, match.start(1), starts)
                if (line, host) in seen:
                    continue
                seen.add((line, host))
                findings.append(Finding(display, line, column, "BDL704", problem, engine="text",
                                        snippet=text[starts[line - 1]:].split("\n", 1)[0]
                                        .encode("ascii", "backslashreplace").decode()))
        return findings

    def _host_problem(self, host: str) -> str | None:
        labels = host.split(".")
        if len(labels) < 2:
            return None
        for label in labels:
            shown = label
            if label.startswith("xn--"):
                try:
                    label = label.encode("ascii").decode("idna")
                except (UnicodeError, ValueError):
                    continue
            if label.isascii():
                continue
            found = mixed(label)
            if found:
                return (f"host name {host} mixes {' and '.join(sorted(found))} letters in '{label}' "
                        f"({_describe(label)}): it looks like {_ascii_look(host)} but is a different server")
            look = skeleton(label)
            if look.isascii() and re.match(r"^[a-z0-9-]+$", look):
                return (f"host label '{label}'{f' ({shown})' if shown != label else ''} is made of characters "
                        f"confusable with ASCII ({_describe(label)}): it reads as '{look}' but is a different server")
        return None

    VALID = [
        Valid('URL = "https://münchen.example/a"\nRU = "https://пример.рф/"\n', "BDL704"),  # genuine IDNs
        Valid('URL = "https://xn--mnchen-3ya.example/stadtplan"\n', "BDL704"),  # an IDN in one script (münchen)
    ]
    INVALID = [
        Invalid('INDEX = "https://files.pyth\u043enhosted.org/simple"\n', "BDL704", 1),
        Invalid('curl -s https://\u0440\u0430\u0443\u0440\u0430l.example/x\n', "BDL704", 1, path="run.sh"),
        # backdoor-lint: ignore[BDL704] rule example: the test input the rule must flag
        Invalid('HOOK = "https://xn--pythnhosted-unj.org/simple"\n', "BDL704", 1),
        Invalid('const api = "https://\u0430pi.github.com/repos";\n', "BDL704", 1, path="a.ts"),
    ]


def _ascii_look(text: str) -> str:
    look = skeleton(text)
    return look if look.isascii() else text.encode("ascii", "replace").decode().replace("?", "_")
