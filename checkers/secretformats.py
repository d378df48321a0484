"""Shared, libcst-free knowledge about credential values (BDL601/BDL603): known token formats,
private-key blocks and placeholders. Used by the Python rules (py_secrets, py_auth) and by the
text rule for every other file (text_secrets). Secret-shaped names and test paths are in
vocabulary."""
from __future__ import annotations

import re

# (label, pattern) of token formats whose shape alone says "live credential".
TOKEN_FORMATS: list[tuple[str, re.Pattern[str]]] = [
    ("AWS access key id", re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])")),
    ("GitHub token", re.compile(r"(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,}(?![A-Za-z0-9])")),
    ("GitHub fine-grained token", re.compile(r"(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{50,}")),
    ("GitLab token", re.compile(r"(?<![A-Za-z0-9_])glpat-[A-Za-z0-9_-]{20,}")),
    ("Slack token", re.compile(r"(?<![A-Za-z0-9])xox[abposr]-(?:[0-9]+-)?[A-Za-z0-9-]{10,}")),
    ("Slack webhook URL", re.compile(r"https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]{16,}")),
    ("Stripe live secret key", re.compile(r"(?<![A-Za-z0-9])(?:sk|rk)_live_[A-Za-z0-9]{16,}")),
    ("Google API key", re.compile(r"(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])")),
    ("OpenAI API key", re.compile(r"(?<![A-Za-z0-9])sk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}")),
    ("Anthropic API key", re.compile(r"(?<![A-Za-z0-9])sk-ant-(?:api|admin)\d\d-[A-Za-z0-9_-]{80,}")),
    ("npm token", re.compile(r"(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])")),
    ("PyPI token", re.compile(r"(?<![A-Za-z0-9])pypi-AgE[A-Za-z0-9_-]{50,}")),
    ("SendGrid API key", re.compile(r"(?<![A-Za-z0-9])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}")),
]
# A private-key header followed by key material (a bare header constant used by a PEM parser is not a key).
PRIVATE_KEY = re.compile(
    r"-----BEGIN ((?:RSA |DSA |EC |OPENSSH |ENCRYPTED |PGP |SSH2 ENCRYPTED )?PRIVATE KEY(?: BLOCK)?)-----"
    r"(?:\\r|\\n|\s|[A-Za-z0-9:,\-]+:[^\n]*)*[A-Za-z0-9+/=]{40,}")
# Bytes prefilter for all of the above (cheap, no alternation explosion).
FORMAT_TRIGGER = re.compile(
    rb"AKIA|ASIA|ABIA|ACCA|A3T|gh[pousr]_|github_pat_|glpat-|xox[abposr]-|hooks\.slack\.com|[sr]k_live_|AIza"
    rb"|T3BlbkFJ|sk-ant-|npm_|pypi-AgE|SG\.|PRIVATE KEY")

# Plain substrings, one of which every match of the formats above contains: `bytes in` per literal
# is several times faster than a regex alternation, and this runs on every file.
FORMAT_LITERALS = (b"AKIA", b"ASIA", b"AIza", b"_live_", b"xox", b"ghp_", b"gho_", b"ghu_", b"ghs_", b"ghr_",
                   b"github_pat_", b"glpat-", b"PRIVATE KEY", b"T3BlbkFJ", b"sk-ant-", b"npm_", b"pypi-AgE", b"SG.")


def lines_with(raw: bytes, lower: bytes, words: tuple[bytes, ...], test) -> bool:
    """True if some line containing one of `words` (searched in `lower`, the lower-cased `raw`)
    satisfies `test(raw, line_start, word_end)`: a cheap per-occurrence prefilter."""
    for word in words:
        position = lower.find(word)
        while position != -1:
            start = raw.rfind(b"\n", 0, position) + 1
            if test(raw, start, position + len(word)):
                return True
            position = lower.find(word, position + len(word))
    return False


def has_format_trigger(raw: bytes) -> bool:
    return any(literal in raw for literal in FORMAT_LITERALS)


# Credentials embedded in a URL: scheme://user:password@host
URL_CREDENTIALS = re.compile(r"\b[a-z][a-z0-9+.-]{0,31}://([^/\s:@'\"]+):([^/\s@'\"]+)@[A-Za-z0-9.-]")


def token_formats(text: str) -> list[tuple[str, int, int]]:
    """(label, start, end) of each known token format or private key block in `text`."""
    found = []
    for label, pattern in TOKEN_FORMATS:
        for match in pattern.finditer(text):
            if not is_placeholder(match.group(0)) and not _format_example(match.group(0)):
                found.append((label, match.start(), match.end()))
    for match in PRIVATE_KEY.finditer(text):
        found.append((match.group(1).title().replace("Rsa", "RSA").replace("Dsa", "DSA").replace("Ec ", "EC ")
                      .replace("Openssh", "OpenSSH").replace("Pgp", "PGP") + " block", match.start(), match.end()))
    return found


def _format_example(token: str) -> bool:
    """Documented example tokens (AKIAIOSFODNN7EXAMPLE) and runs of one repeated character."""
    upper = token.upper()
    if any(marker in upper for marker in ("EXAMPLE", "XXXXXXXX", "00000000", "12345678", "ABCDEFGH")):
        return True
    body = re.sub(r"^[a-zA-Z]+[_-]", "", token)
    return len(set(body)) <= 4


# Values -----------------------------------------------------------------------------------
PLACEHOLDER_WORDS = ("changeme", "change_me", "change-me", "changeit", "your", "example", "placeholder",
                     "dummy", "fake", "sample", "redacted", "replace", "insert", "todo", "fixme", "xxxx",
                     "****", "....", "<", ">", "${", "{{", "%(", "secret_here", "here", "notsecret",
                     "not-secret", "not_secret", "insecure-default", "none", "null", "undefined", "test",
                     "mock", "foobar", "empty", "default", "unset", "required", "missing", "tbd")
_IDENTIFIER_LIKE = re.compile(r"^[A-Za-z_][A-Za-z_.:/ -]*$")
_FORMAT_TEMPLATE = re.compile(r"\{[A-Za-z0-9_.!:]*\}|%\([a-z_]+\)[sdr]|%[sdr]\b|\$\{[A-Za-z_]+\}|^\$[A-Z_]+$")


def is_placeholder(value: str) -> bool:
    lower = value.strip().lower()
    if len(lower) < 4 or len(set(lower)) <= 2:
        return True
    return any(word in lower for word in PLACEHOLDER_WORDS)


def looks_like_secret_value(value: object) -> str | None:
    """The string if `value` can be a real secret rather than a placeholder, a name, a message,
    a path or a template; else None."""
    if isinstance(value, (bytes, bytearray)):
        try:
            value = bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            return "<binary>" if len(value) >= 8 else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if len(text) < 6 or len(text) > 4096 or any(c.isspace() for c in text) and "PRIVATE KEY" not in text:
        return None
    if "PUBLIC KEY" in text or "CERTIFICATE" in text:
        return None
    if is_placeholder(text) or _FORMAT_TEMPLATE.search(text):
        return None
    if text.startswith(("http://", "https://", "/", "./", "~/", "file:")) and not URL_CREDENTIALS.search(text):
        return None
    # names of things (header names, setting names, dotted paths): letters and separators, no digits
    if _IDENTIFIER_LIKE.match(text) and (len(text) < 16 or re.search(r"[._:/ -]", text)):
        return None
    return text


# Comparison operands that are sentinels, not magic credentials (BDL601 in every language).
SENTINELS = {"none", "null", "undefined", "true", "false", "bearer", "basic", "token", "password", "secret",
             "digest", "anonymous", "guest", "*", "nan", "n/a", "empty", "unset", "default", "required"}


def magic_literal(value: object, strict: bool) -> str | None:
    """The literal if it can be a magic credential (not empty, a sentinel or a template); `strict`
    (a token, as often a lexer's or a URL sentinel): it must look random, letters and digits."""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not isinstance(value, str):
        return None
    text = value.strip()
    if len(text) < 4 or text.lower() in SENTINELS or any(c.isspace() for c in text) or "{" in text or "%s" in text:
        return None
    if strict and not (re.search(r"\d", text) and re.search(r"[A-Za-z]", text) and len(text) >= 8):
        return None
    return text
