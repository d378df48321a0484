"""The pure operations the constant evaluator (checkers/consteval.py) may apply to constant
values, with the size bounds that keep hostile literals from exploding, and nothing of libcst: the
trigger facts (checkers/trigger_facts.py) fold constants with the same tables before any rule,
or libcst, is loaded."""
from __future__ import annotations

import base64
import binascii
import bz2
import codecs
import lzma
import re
import urllib.parse
import zlib
from collections.abc import Callable

MAX_SIZE = 1_000_000  # characters, bytes and elements of any one value, nested ones included
MAX_INT_BITS = 1_000_000
_SIZED = (str, bytes, bytearray)
_CONTAINERS = (list, tuple, set, frozenset)


def _size(value: object, budget: int = MAX_SIZE) -> int:
    """The characters, bytes and elements of `value`, nested ones included (a list of 300 copies
    of a 1 MB string is 300 MB, whatever its len()); counting stops once past `budget`."""
    total, pending = 0, [value]
    while pending and total <= budget:
        item = pending.pop()
        if isinstance(item, _SIZED):
            total += len(item)
        elif isinstance(item, _CONTAINERS):
            total += len(item) + 1
            pending.extend(item)
        elif isinstance(item, dict):
            total += len(item) + 1
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, int):
            total += item.bit_length() // 3 + 1  # about its decimal digits
        else:
            total += 1
    return total


def size_ok(value: object) -> bool:
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        return False
    return _size(value) <= MAX_SIZE


# Methods and functions whose integer arguments are output sizes (`"x".zfill(n)`, `bytes(n)`).
_COUNT_ARGUMENTS = {"zfill", "ljust", "rjust", "center", "expandtabs", "bytes", "bytearray"}
_FORMAT_NUMBER = re.compile(r"\d+")


def predicted_size(operation: str, receiver: object, args: tuple, kwargs: dict) -> int:
    """An upper bound on the size of `receiver.operation(*args, **kwargs)` (or of the function
    `operation`) for the operations whose output can be much larger than their inputs; 0 for the
    others (their output is bounded by a small multiple of the inputs, all within MAX_SIZE)."""
    inputs = (*args, *kwargs.values())
    if operation in _COUNT_ARGUMENTS:
        return sum(abs(a) for a in inputs if isinstance(a, int)) + _size(receiver)
    if operation == "replace" and isinstance(receiver, _SIZED) and len(args) >= 2:
        old, new = args[0], args[1]
        if isinstance(old, _SIZED) and isinstance(new, _SIZED):
            return len(receiver) + (receiver.count(old) if old else len(receiver) + 1) * len(new)
    if operation == "translate" and isinstance(receiver, _SIZED) and args and isinstance(args[0], dict):
        longest = max((len(v) for v in args[0].values() if isinstance(v, _SIZED)), default=1)
        return len(receiver) * max(longest, 1)
    if operation == "join" and isinstance(receiver, _SIZED) and args:
        items = args[0]
        count = len(items) if isinstance(items, (*_CONTAINERS, dict, *_SIZED)) else 0
        return len(receiver) * count + _size(items)
    if operation in ("format", "%") and isinstance(receiver, _SIZED):
        return _formatted_size(receiver, inputs)
    return 0


def _formatted_size(template: str | bytes, arguments: tuple) -> int:
    """Bound on `template.format(*arguments)` / `template % arguments`: every field may hold all of
    the arguments, padded to the largest width or precision the template names."""
    text = template.decode("latin-1") if isinstance(template, (bytes, bytearray)) else template
    numbers = _FORMAT_NUMBER.findall(text)
    if any(len(number) > 9 for number in numbers):
        return MAX_SIZE + 1
    widest = max((int(number) for number in numbers), default=0)
    fields = text.count("{") + text.count("%")
    return len(text) + fields * (_size(arguments) * 4 + widest)  # *4: repr of bytes may escape each one


def _bounded_decompress(decompressor, data: bytes) -> bytes:
    """Decompress at most MAX_SIZE bytes, so a decompression bomb in a literal costs nothing."""
    out = decompressor.decompress(data, MAX_SIZE + 1)
    if len(out) > MAX_SIZE:
        raise ValueError("decompressed value too large")
    return out


def _zlib(data: bytes, wbits: int = zlib.MAX_WBITS) -> bytes:
    return _bounded_decompress(zlib.decompressobj(wbits), data)


def _rot13(value):
    return codecs.decode(value, "rot13") if isinstance(value, str) else value


def _codecs_decode(value, encoding="utf-8", *_):
    encoding = str(encoding).lower().replace("-", "_")
    if encoding in ("rot13", "rot_13"):
        return _rot13(value)
    if encoding in ("hex", "hex_codec"):
        return binascii.unhexlify(value)
    if encoding in ("base64", "base_64", "base64_codec"):
        return base64.b64decode(value)
    if encoding in ("zlib", "zip", "zlib_codec"):
        return _zlib(value)
    if encoding in ("bz2", "bz2_codec"):
        return _bounded_decompress(bz2.BZ2Decompressor(), value)
    return value.decode(encoding) if isinstance(value, (bytes, bytearray)) else value


def _codecs_encode(value, encoding="utf-8", *_):
    encoding = str(encoding).lower().replace("-", "_")
    if encoding in ("rot13", "rot_13"):
        return _rot13(value)
    if encoding in ("hex", "hex_codec"):
        return binascii.hexlify(value)
    if encoding in ("base64", "base_64", "base64_codec"):
        return base64.b64encode(value)
    return value.encode(encoding) if isinstance(value, str) else value


def _to_bytes(value):
    return value.encode() if isinstance(value, str) else value


# Pure functions the evaluator may apply to constant arguments, by qualified name.
PURE_FUNCTIONS: dict[str, Callable] = {
    "chr": chr, "ord": ord, "str": str, "int": int, "bool": bool, "dict": dict, "bytes": bytes, "bytearray": bytearray,
    "list": list, "tuple": tuple, "set": set, "frozenset": frozenset, "sorted": sorted,
    "reversed": lambda v: list(reversed(v)),
    "bytes.fromhex": bytes.fromhex, "bytearray.fromhex": bytearray.fromhex,
    "base64.b64decode": lambda v, *a, **k: base64.b64decode(v, *a, **k),
    "base64.standard_b64decode": base64.standard_b64decode,
    "base64.urlsafe_b64decode": base64.urlsafe_b64decode,
    "base64.b32decode": base64.b32decode, "base64.b16decode": lambda v, *a: base64.b16decode(v, *a),
    "base64.a85decode": base64.a85decode, "base64.b85decode": base64.b85decode,
    "base64.decodebytes": lambda v: base64.decodebytes(_to_bytes(v)),
    "base64.b64encode": lambda v, *a: base64.b64encode(_to_bytes(v), *a),
    "base64.urlsafe_b64encode": lambda v: base64.urlsafe_b64encode(_to_bytes(v)),
    "base64.b32encode": lambda v: base64.b32encode(_to_bytes(v)),
    "base64.b16encode": lambda v: base64.b16encode(_to_bytes(v)),
    "binascii.unhexlify": binascii.unhexlify, "binascii.a2b_hex": binascii.a2b_hex,
    "binascii.hexlify": binascii.hexlify, "binascii.b2a_hex": binascii.b2a_hex,
    "binascii.a2b_base64": binascii.a2b_base64,
    "codecs.decode": _codecs_decode, "codecs.encode": _codecs_encode,
    "zlib.decompress": _zlib,
    "gzip.decompress": lambda v: _zlib(v, 16 + zlib.MAX_WBITS),
    "bz2.decompress": lambda v: _bounded_decompress(bz2.BZ2Decompressor(), v),
    "lzma.decompress": lambda v: _bounded_decompress(lzma.LZMADecompressor(), v),
    "urllib.parse.unquote": urllib.parse.unquote, "urllib.parse.unquote_plus": urllib.parse.unquote_plus,
    "urllib.parse.quote": urllib.parse.quote,
}

# Methods the evaluator may call on constant receivers.
PURE_METHODS = {
    str: {"join", "upper", "lower", "strip", "lstrip", "rstrip", "replace", "format", "split", "encode",
          "title", "capitalize", "casefold", "swapcase", "removeprefix", "removesuffix", "zfill", "translate"},
    bytes: {"join", "decode", "upper", "lower", "strip", "replace", "split", "hex", "translate"},
    bytearray: {"decode", "hex"},
    dict: {"get", "copy", "keys", "values", "items"},
    list: {"copy"},
}


def _mul(a, b):
    if isinstance(a, int) and not isinstance(b, int):
        a, b = b, a
    if isinstance(b, int) and not isinstance(a, int) and _size(a) * b > MAX_SIZE:
        raise ValueError("too large")
    if isinstance(a, int) and isinstance(b, int) and a.bit_length() + b.bit_length() > MAX_INT_BITS:
        raise ValueError("too large")
    return a * b


def _pow(a, b):
    if isinstance(b, int) and abs(b) > 4096:
        raise ValueError("too large")
    if isinstance(a, int) and isinstance(b, int) and a.bit_length() * abs(b) > MAX_INT_BITS:
        raise ValueError("too large")
    return a ** b


def _mod(a, b):
    if isinstance(a, _SIZED) and _formatted_size(a, b if isinstance(b, tuple) else (b,)) > MAX_SIZE:
        raise ValueError("too large")
    return a % b


BINARY_OPERATIONS: dict[str, Callable] = {
    "Add": lambda a, b: a + b, "+": lambda a, b: a + b,
    "Subtract": lambda a, b: a - b, "-": lambda a, b: a - b,
    "Multiply": _mul, "*": _mul,
    "Power": _pow, "**": _pow,
    "Modulo": _mod, "%": _mod,
    "BitOr": lambda a, b: a | b, "|": lambda a, b: a | b,
    "BitXor": lambda a, b: a ^ b, "^": lambda a, b: a ^ b,
    "BitAnd": lambda a, b: a & b, "&": lambda a, b: a & b,
    "FloorDivide": lambda a, b: a // b, "//": lambda a, b: a // b,
    "LeftShift": lambda a, b: a << b if b < 64 else 1 / 0, "<<": lambda a, b: a << b if b < 64 else 1 / 0,
}
