"""A generated tree for the speed machinery's tests: many files of every kind the engine treats
differently (triggering and non-triggering Python, syntax errors, suppressions, invisible text,
binary files, other languages)."""
from __future__ import annotations

from pathlib import Path

TEMPLATES = [
    ("py", 'import jwt\n\ndef check(token, key):\n    return jwt.decode(token, key, algorithms=["RS256", "HS256"])\n'),
    ("py", 'from jwt import decode as _d\nALGS = ["none"]\n\ndef f(t):\n    return _d(t, "k", algorithms=ALGS)\n'),
    ("py", "def add(a, b):\n    return a + b\n\n\nVALUE = add(1, 2)\n"),
    ("py", "def broken(:\n    pass\n"),
    ("py", 'import jwt  # backdoor-lint: ignore[BDL106] reviewed: internal test helper\njwt.decode("t", "k")\n'),
    ("py", 'import jwt\njwt.decode("t", "k")  # backdoor-lint: ignore\n'),
    ("py", 'access = "user\u202e \u2066// admin\u2069 \u2066"\n'),
    ("js", "const x = 1;\nconsole.log(x)\u200b;\n"),
    ("md", "# Notes\n\nNothing to see here.\n"),
    ("bin", b"\x00\x01\x02binary\x00".decode("latin-1")),
]


def make_tree(root: Path, copies: int = 12) -> list[Path]:
    """`copies` x len(TEMPLATES) files in nested directories; returns their paths."""
    paths = []
    for index in range(copies):
        for number, (ext, text) in enumerate(TEMPLATES):
            path = root / f"pkg{index % 4}" / f"sub{index}" / f"mod{number}.{ext}"
            path.parent.mkdir(parents=True, exist_ok=True)
            if ext == "bin":
                path.write_bytes(text.encode("latin-1"))
            else:
                path.write_text(text + f"# copy {index}\n" * (index % 3), encoding="utf-8")
            paths.append(path)
    return paths


def as_dicts(result) -> tuple[list[dict], list[tuple[dict, tuple]]]:
    findings = [f.to_dict() for f in result.findings]
    suppressed = sorted(((f.to_dict(), (s.line, sorted(s.codes), s.reason)) for f, s in result.suppressed),
                        key=repr)
    return findings, suppressed
