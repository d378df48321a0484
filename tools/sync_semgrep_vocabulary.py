"""Rewrite the vocabulary parts of the semgrep rules' regexes from backdoor_lint.checkers.vocabulary.

A generated part is marked in the YAML by a PCRE comment naming it, followed by one group:
`(?#vocabulary:credential-files)(?-i:...)`. This script replaces each such group with what the
vocabulary gives today; tests/test_vocabulary.py fails when the committed YAML differs from it.

    python tools/sync_semgrep_vocabulary.py          # rewrite semgrep-rules/**/*.yaml in place
    python tools/sync_semgrep_vocabulary.py --check  # exit 1 if a file would change
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from backdoor_lint.checkers import vocabulary

RULES = Path(__file__).resolve().parent.parent / "semgrep-rules"
MARKER = re.compile(r"\(\?#vocabulary:([a-z-]+)\)")


def fragments() -> dict[str, str]:
    """Marker name -> the group that follows it (case-sensitive whatever the rule's flags)."""
    return {"credential-files": f"(?-i:{vocabulary.CREDENTIAL_FILE.pattern})"}


def group_end(text: str, start: int) -> int:
    """The index after the group opening at text[start] ('('), skipping escapes and classes."""
    depth, index, in_class = 0, start, False
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if text[index + 1:index + 2] == "]":
                index += 1  # `[]...]`: a ] first in a class is a literal
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    raise ValueError(f"unbalanced group at {start}")


def rewrite(text: str) -> str:
    known = fragments()
    out, position = [], 0
    for marker in MARKER.finditer(text):
        name = marker.group(1)
        if name not in known:
            raise ValueError(f"unknown vocabulary marker {marker.group(0)}")
        if marker.start() < position:
            continue
        if text[marker.end():marker.end() + 1] != "(":
            raise ValueError(f"{marker.group(0)} is not followed by a group")
        end = group_end(text, marker.end())
        out.append(text[position:marker.end()] + known[name])
        position = end
    out.append(text[position:])
    return "".join(out)


def rule_files() -> list[Path]:
    return sorted(RULES.rglob("*.yaml"))


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for path in rule_files():
        text = path.read_text("utf-8")
        new = rewrite(text)
        if new != text:
            stale.append(path)
            if not check:
                path.write_text(new, "utf-8")
    for path in stale:
        print(f"{'stale' if check else 'rewrote'}: {path.relative_to(RULES.parent)}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
