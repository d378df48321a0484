"""Values the language evaluators compute, shared by JavaScript/TypeScript, Go and Java.

A value is a Python str/int/float/bool/None, a tuple (array, slice), a dict (object, struct
literal), a `Ref` (something imported: a module or one of its members, by qualified name) or
UNKNOWN. Unknown parts make a string or container unknown only where a rule needs the whole
value; `render` keeps the known pieces of a string for rules that ask "does this path name a
credential file". Work is bounded by MAX_DEPTH and by MAX_SIZE characters per value."""
from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

MAX_DEPTH = 12
MAX_SIZE = 1_000_000
HOLE = "\ufffc"  # an unknown piece of a rendered string


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        return False


UNKNOWN = _Unknown()


@dataclass(frozen=True)
class Ref:
    """An imported thing: `child_process`, `jsonwebtoken.verify`, `os/exec.Command`."""

    name: str


def known(value) -> bool:
    return value is not UNKNOWN and not isinstance(value, Ref)


def small(value) -> bool:
    return not isinstance(value, (str, tuple)) or len(value) <= MAX_SIZE


# JWT algorithm families (the same split the Python rule makes in checkers/py_jwt.py).
ASYMMETRIC = re.compile(r"^(RS|PS|ES)\d+K?$|^EdDSA$|^Ed25519$|^Ed448$", re.IGNORECASE)
SYMMETRIC = re.compile(r"^HS\d+$", re.IGNORECASE)


class MemoisedValues:
    """`value(node)` for a file's evaluator: memoised per node, UNKNOWN past MAX_DEPTH, on a cycle
    (a name whose value refers to itself) and for values too large to keep. Subclasses give
    `_value(node, depth)` and create `self._values` (dict) and `self._active` (set)."""

    def _memo_key(self, node):
        return node.id

    def value(self, node, depth: int = 0):
        """The constant value of an expression, or UNKNOWN."""
        if node is None or depth > MAX_DEPTH:
            return UNKNOWN
        key = self._memo_key(node)
        if key in self._values:
            return self._values[key]
        if node.id in self._active:
            return UNKNOWN
        self._active.add(node.id)
        try:
            result = self._value(node, depth)
        finally:
            self._active.discard(node.id)
        result = result if small(result) else UNKNOWN
        self._values[key] = result
        return result


def algorithm_problem(algorithms) -> tuple[str, str] | None:
    """('BDL101' | 'BDL102', description) for an allow-list mixing families or accepting none."""
    if not isinstance(algorithms, tuple):
        return None
    names = [a for a in algorithms if isinstance(a, str)]
    if any(a.lower() == "none" for a in names):
        return "BDL102", "accepts the 'none' algorithm"
    asymmetric = [a for a in names if ASYMMETRIC.match(a)]
    symmetric = [a for a in names if SYMMETRIC.match(a)]
    if asymmetric and symmetric:
        return "BDL101", f"accepts both {asymmetric[0]} and {symmetric[0]}"
    return None


def decode_base64(text) -> str | None:
    if not isinstance(text, str):
        return None
    try:
        cleaned = re.sub(r"\s+", "", text)
        raw = base64.b64decode(cleaned + "=" * (-len(cleaned) % 4), altchars=b"-_" if "-" in cleaned or
                               "_" in cleaned else None, validate=False)
        return raw.decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None


def decode_hex(text) -> str | None:
    if not isinstance(text, str):
        return None
    try:
        return bytes.fromhex(text).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None


def from_codes(codes) -> str | None:
    if isinstance(codes, tuple) and codes and all(isinstance(c, int) and 0 <= c < 0x110000 for c in codes):
        return "".join(chr(c) for c in codes)
    return None


def truthy(value) -> bool | None:
    """JavaScript/Go/Java truth of a known constant, None when unknown."""
    if not known(value):
        return None
    return bool(value)
