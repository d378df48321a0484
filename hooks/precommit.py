"""Console entry points used by `.pre-commit-hooks.yaml`."""
from __future__ import annotations

import os
import sys

from backdoor_lint.cli import main as cli_main
from backdoor_lint.languages import language_for


def _is_python(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            head = handle.read(8192)
    except OSError:
        return True  # let the scan report the unreadable file
    return language_for(path, head) == "python"


def main_python(argv: list[str] | None = None) -> int:
    """`backdoor-lint-python [OPTIONS] FILE...`: the scan, restricted to the Python files given
    (pre-commit's `types: [python]` passes only those; by hand, other files are dropped)."""
    args = list(sys.argv[1:] if argv is None else argv)
    kept = [a for a in args if not os.path.isfile(a) or _is_python(a)]
    if any(os.path.isfile(a) for a in args) and not any(os.path.isfile(a) for a in kept):
        return 0  # only non-Python files were given
    return cli_main(["scan", *kept])
