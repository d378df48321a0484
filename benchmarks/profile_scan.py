#!/usr/bin/env python3
"""Where does a scan spend its time? Runs one serial, uncached scan in this process under cProfile
and prints the top functions, plus the total per module so framework cost (engine, base,
consteval, libcst) and rule cost (checkers/py_*.py) can be told apart.

    python benchmarks/profile_scan.py ~/.cache/backdoor-lint-bench/trees/django-5.2.19/django
    python benchmarks/profile_scan.py PATH --select BDL1 --top 40 --sort cumulative
    python benchmarks/profile_scan.py PATH --triggers   # how many files each TRIGGER lets through

A checker whose trigger matches most files makes every one of them pay for a libcst parse and,
once it asks for a qualified name, a scope analysis (about 3x the parse): keep triggers narrow.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from collections import defaultdict


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--select", help="codes or prefixes (default: the configured selection)")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="tottime", choices=["tottime", "cumulative", "ncalls"])
    parser.add_argument("--output", metavar="FILE", help="also save the raw profile (for snakeviz, pstats)")
    parser.add_argument("--triggers", action="store_true", help="only report each checker's trigger selectivity")
    args = parser.parse_args(argv)
    if args.triggers:
        return triggers(args.paths)

    from backdoor_lint.config import apply_cli_overrides, load_config
    from backdoor_lint.engine import scan

    config = load_config(None)
    apply_cli_overrides(config, [args.select] if args.select else None, None)
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    result = scan(args.paths, config, jobs=1)
    profiler.disable()
    elapsed = time.perf_counter() - start
    print(f"{result.files_scanned} files, {len(result.findings)} findings, {elapsed:.2f} s under the profiler\n")
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats(args.sort).print_stats(args.top)
    print(stream.getvalue())
    per_module: dict[str, float] = defaultdict(float)
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        per_module[_module_of(filename)] += tottime
    print("own time per module:")
    for module, seconds in sorted(per_module.items(), key=lambda kv: -kv[1])[: args.top]:
        print(f"  {seconds:8.2f} s  {module}")
    if args.output:
        profiler.dump_stats(args.output)
    return 0


def triggers(paths: list[str]) -> int:
    from backdoor_lint.checkers.registry import python_checkers, text_checkers

    from backdoor_lint.config import load_config
    from backdoor_lint.discovery import discover
    from backdoor_lint.languages import language_for

    targets, _ = discover(paths, load_config(None))
    files = []
    for target in targets:
        with open(target.path, "rb") as handle:
            data = handle.read()
        files.append((target.display, data, language_for(target.display, data[:8192])))
    python = [(d, b) for d, b, lang in files if lang == "python"]
    print(f"{len(files)} files, {len(python)} Python\n")
    print(f"{'checker':<40}{'files':>8}{'share':>8}{'seconds':>9}")
    wanted_any: set[str] = set()
    for checker in python_checkers():
        start = time.perf_counter()
        hits = [d for d, b in python if checker.wants(b, d)]
        wanted_any.update(hits)
        print(f"{checker.__name__:<40}{len(hits):>8}{len(hits) / max(1, len(python)):>8.0%}"
              f"{time.perf_counter() - start:>9.3f}")
    print(f"{'any Python checker (parsed files)':<40}{len(wanted_any):>8}{len(wanted_any) / max(1, len(python)):>8.0%}")
    for checker in text_checkers():
        start = time.perf_counter()
        hits = sum(1 for d, b, lang in files if lang != "binary" and checker.wants(b, lang))
        print(f"{checker.__name__:<40}{hits:>8}{hits / max(1, len(files)):>8.0%}{time.perf_counter() - start:>9.3f}")
    return 0


def _module_of(filename: str) -> str:
    for marker in ("/libcst/", "/backdoor_lint/", "/checkers/", "/site-packages/", "/lib/python"):
        if marker in filename:
            tail = filename.split(marker, 1)[1]
            return marker.strip("/") + "/" + (tail.split("/", 1)[0] if marker in ("/libcst/", "/site-packages/",
                                                                              "/lib/python") else tail)
    return filename


if __name__ == "__main__":
    sys.exit(main())
