"""Do the rules' site tests (checkers/triggers/sites.py) change any finding? Scans each path twice
in one process, with the site tests on and off, and prints every finding only one of the two
reports (the site tests must report none: they may only skip files no rule could report on).

    python benchmarks/site_tests_differential.py ~/.cache/backdoor-lint-bench/trees/*/*

Exit status 1 when the findings differ. No cache is read or written."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from backdoor_lint.checkers import triggers

from backdoor_lint import engine
from backdoor_lint.config import load_config


def findings(path: str, site_tests: bool) -> tuple[set[tuple], float]:
    triggers.SITE_TESTS_ON = site_tests
    try:
        config = load_config(None, start=Path(path))
        config.semgrep = False  # semgrep never sees the Python rules' triggers
        started = time.process_time()
        result = engine.collect([path], config, jobs=1)
        spent = time.process_time() - started
    finally:
        triggers.SITE_TESTS_ON = True
    return {(f.path, f.line, f.code, f.message) for checked in result.files for f in checked.findings}, spent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args(argv)
    differ = False
    for path in args.paths:
        with_tests, cpu_with = findings(path, True)
        without, cpu_without = findings(path, False)
        print(f"{path}: {len(with_tests)} findings; parent CPU {cpu_without:.2f} s without site tests, "
              f"{cpu_with:.2f} s with them")
        for finding in sorted(without - with_tests):
            differ = True
            print("  lost by the site tests:", *finding)
        for finding in sorted(with_tests - without):
            differ = True
            print("  only with the site tests:", *finding)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
