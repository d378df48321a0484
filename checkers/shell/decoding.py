"""Streams and decoding: what echo/printf print and what the decoders (base64, base32, xxd -r,
gunzip, rev, tr) make of a literal payload, and the escape rules of $'...', echo -e and printf."""
from __future__ import annotations

import base64
import binascii
import re
import zlib

from backdoor_lint.checkers.shell.values import EMPTY, Stream, Word

_ANSI_ESCAPES = {"a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b", "f": "\f", "n": "\n", "r": "\r", "t": "\t",
                 "v": "\v", "\\": "\\", "'": "'", '"': '"', "?": "?"}


def _escape_at(text: str, i: int) -> tuple[str, int] | None:
    """The character the backslash escape at text[i] stands for and the index after it."""
    n = text[i + 1]
    if n == "x":
        m = re.match(r"[0-9a-fA-F]{1,2}", text[i + 2:])
        if m:
            return chr(int(m.group(0), 16)), i + 2 + len(m.group(0))
    elif n in "uU":
        m = re.match(r"[0-9a-fA-F]{1,4}" if n == "u" else r"[0-9a-fA-F]{1,8}", text[i + 2:])
        if m:
            try:
                return chr(int(m.group(0), 16)), i + 2 + len(m.group(0))
            except (ValueError, OverflowError):
                return "", i + 2 + len(m.group(0))
    elif n in "01234567":
        m = re.match(r"0?[0-7]{1,3}", text[i + 1:])
        return chr(int(m.group(0), 8) & 0xFF), i + 1 + len(m.group(0))
    elif n == "c" and i + 2 < len(text):
        return chr(ord(text[i + 2]) & 0x1F), i + 3
    elif n in _ANSI_ESCAPES:
        return _ANSI_ESCAPES[n], i + 2
    return None


def decode_escapes(text: str) -> str:
    """Backslash escapes as in $'...', echo -e and printf: \\xHH, \\NNN, \\uHHHH, \\n, ..."""
    out = []
    i = 0
    while i < len(text):
        c = text[i]
        escape = _escape_at(text, i) if c == "\\" and i + 1 < len(text) else None
        if escape is None:
            out.append(c)
            i += 1
        else:
            out.append(escape[0])
            i = escape[1]
    return "".join(out)


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text, flags=re.S)


def printf(fmt: str, values: list[str]) -> str:
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


def text_of(data: bytes | None) -> str | None:
    return None if data is None else data.decode("utf-8", "replace")


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


def _b32(data: bytes) -> bytes | None:
    cleaned = re.sub(rb"\s+", b"", data)
    try:
        return base64.b32decode(cleaned + b"=" * (-len(cleaned) % 8))
    except (binascii.Error, ValueError):
        return None


def _unhex(data: bytes, plain: bool) -> bytes | None:
    """xxd -r (-p: plain hex digits; otherwise a hexdump with offsets)."""
    hexdigits = re.sub(rb"[^0-9a-fA-F]", b"", data if plain else
                       b"\n".join(line.split(b":", 1)[-1][:40] for line in data.splitlines()))
    try:
        return binascii.unhexlify(hexdigits[: len(hexdigits) // 2 * 2])
    except (binascii.Error, ValueError):
        return None


def _gunzip(data: bytes) -> bytes | None:
    try:
        return zlib.decompress(data, 47)
    except zlib.error:
        return None


def _tr(data: bytes, files: list[Word]) -> bytes | None:
    src, dst = _tr_set(files[0].text), _tr_set(files[1].text)
    if not (src and dst):
        return None
    dst = dst + dst[-1] * (len(src) - len(dst))
    table = {ord(a): b for a, b in zip(src, dst)}
    return data.decode("latin-1").translate(table).encode("latin-1", "replace")


def _decoder(name: str, texts: list[str], files: list[Word]):
    """(label, decode function or None, reads a file) of a decoding command, or None if it does not decode."""
    if name in ("base64", "base32", "basenc") and any(t in ("-d", "--decode", "-D") or re.match(r"-[a-zA-Z]*d", t)
                                                      for t in texts):
        return f"{name} -d", (_b32 if name == "base32" else _b64), bool(files)
    if name == "openssl" and any(t in ("base64", "enc") for t in texts[:1]) and "-d" in texts:
        return "openssl base64 -d", _b64, False
    if name == "xxd" and any(t.startswith("-r") for t in texts):
        plain = any("p" in t for t in texts)
        return "xxd -r", lambda data: _unhex(data, plain), False
    if name in ("gunzip", "zcat") or name == "gzip" and any(t in ("-d", "--decompress", "-dc", "-cd") for t in texts):
        return name, _gunzip, False
    if name == "rev":
        return "rev", (None if files else lambda data: b"\n".join(line[::-1] for line in data.split(b"\n"))), False
    if name == "tr" and len(files) >= 2 and not any(t.startswith("-") for t in texts):
        return "tr", lambda data: _tr(data, files), False
    return None


def decode_stream(name: str, args: list[Word], stdin: Stream) -> Stream | None:
    """The output of a decoding command (tagged `decoded`), or None if the command does not decode."""
    files = [a for a in args if not a.text.startswith("-")]
    decoder = _decoder(name, [a.text for a in args], files)
    if decoder is None:
        return None
    label, decode, reads_file = decoder
    if reads_file:
        return Stream(None, stdin.tags | {"decoded"}, label)
    decoded = decode(stdin.data) if decode is not None and stdin.data is not None else None
    if decoded is None:
        return Stream(None, stdin.tags | {"decoded"}, label)
    return Stream(decoded, stdin.tags | {"decoded"}, f"{label} of a literal")


def echo_stream(name: str, args: list[Word]) -> Stream:
    """What `echo` or `printf` prints; tagged `decoded` when escapes hide the text."""
    tags = frozenset().union(*[a.tags for a in args]) if args else frozenset()
    what = next((a.what for a in args if a.tags), "")
    exact = all(a.exact for a in args)
    words = list(args)
    if name == "echo":
        newline, escapes = True, False
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
        if words and words[0].text == "-v":
            words = words[2:]
        if not words:
            return EMPTY
        fmt = words[0].text
        values = [w.text for w in words[1:]]
        text = printf(fmt, values)
        if re.search(r"\\(x[0-9a-fA-F]|[0-7]{1,3}|u[0-9a-fA-F])", fmt + "".join(values)):
            tags |= {"decoded"}
            what = what or "printf escapes"
    return Stream(text.encode("utf-8", "surrogatepass") if exact else None, tags, what)
