"""Trigger of the obfuscated-execution rule (checkers/py_exec.py)."""
from __future__ import annotations

import re

from backdoor_lint.checkers.triggers import PythonTrigger

# Execution primitives (called or not: `run = exec` then `run(payload)`), builtins holders,
# decoders, unpicklers, process calls, getattr with a built name and literal concatenation (names
# assembled from pieces).
_PRIMITIVES = re.compile(
    rb"(?<![.\w])(?:exec|eval|compile|execfile|__import__)\b|import_module|FunctionType|CodeType|__builtins__|"
    rb"__builtin__|\bbuiltins\b|globals\(\)\s*\[|locals\(\)\s*\[|vars\(|__dict__\s*\[|b64decode|b32decode|b16decode|fromhex|"
    rb"unhexlify|a2b_|decompress|codecs|marshal|pickle|dill|jsonpickle|unsafe_load|runpy|subprocess|system\(|popen|"
    rb"urlretrieve|"
    rb"getattr\([^\n]*(?:[\"']\s*\+|\+\s*[\"']|join\(|\[::-1\]|chr\(|decode\()"
)
LITERAL_CONCATENATION = re.compile(rb"[\"']\s*\+\s*[\"']")
# A dropper without the words above: a file made executable or started (`os.chmod`, `Popen`,
# `startfile`) after a download or a decode.
DROPPER_RUNNERS = re.compile(rb"chmod|startfile|Popen|spawn|exec[lv]")
DROPPER_SOURCES = re.compile(rb"requests|urlopen|urllib|httpx|aiohttp|socket|recv|decode|decompress|fromhex|unhexlify|"
                             rb"decrypt|download")


class ObfuscatedExec(PythonTrigger):
    TRIGGER = _PRIMITIVES
    # every branch of TRIGGER holds one of these: substring tests rule most files out 5x faster
    TRIGGER_LITERALS = (b"exec", b"eval", b"compile", b"__import__", b"import_module", b"FunctionType", b"CodeType",
                        b"builtin", b"globals", b"locals", b"vars(", b"__dict__", b"b64decode", b"b32decode",
                        b"b16decode", b"fromhex", b"unhexlify", b"a2b_", b"decompress", b"codecs", b"marshal",
                        b"pickle", b"dill", b"unsafe_load", b"runpy", b"subprocess", b"system(", b"popen",
                        b"getattr(", b"urlretrieve")

    @classmethod
    def wants(cls, raw: bytes, display: str) -> bool:
        return super().wants(raw, display) or LITERAL_CONCATENATION.search(raw) is not None \
            or (DROPPER_RUNNERS.search(raw) is not None and DROPPER_SOURCES.search(raw) is not None)

    @classmethod
    def wants_module(cls, facts, raw: bytes, display: str) -> bool:
        # `getattr(requests, A + B)` with A, B constants elsewhere: no byte pattern sees it
        return facts.computed_getattr or super().wants_module(facts, raw, display)
