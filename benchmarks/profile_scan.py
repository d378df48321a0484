#!/usr/bin/env python3
"""Where does a scan spend its time? Runs one serial, uncached scan in this process (no worker
processes) under cProfile
and prints the top functions, plus the total per module so framework cost (engine, base,
consteval, libcst) and rule cost (checkers/py_*.py) can be told apart.

    python benchmarks/profile_scan.py ~/.cache/backdoor-lint-bench/trees/django-5.2.19/django
    python benchmarks/profile_scan.py PATH --select BDL1 --top 40 --sort cumulative
    python benchmarks/profile_scan.py PATH --triggers   # how many files each TRIGGER lets through
    python benchmarks/profile_scan.py PATH --phases     # CPU seconds per phase, and the counts

A checker whose trigger matches most files makes every one of them pay for a libcst parse and,
once it asks for a qualified name, a scope analysis (about 3x the parse): keep triggers narrow.
"""
from __future__ import annotations

import argparse
import cProfile
import functools
import io
import pstats
import sys
import time
from collections import defaultdict
from contextlib import contextmanager


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--select", help="codes or prefixes (default: the configured selection)")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="tottime", choices=["tottime", "cumulative", "ncalls"])
    parser.add_argument("--output", metavar="FILE", help="also save the raw profile (for snakeviz, pstats)")
    parser.add_argument("--triggers", action="store_true", help="only report each checker's trigger selectivity")
    parser.add_argument("--phases", action="store_true", help="CPU seconds per phase of the scan instead")
    parser.add_argument("--no-semgrep", action="store_true", help="with --phases: semgrep off")
    args = parser.parse_args(argv)
    if args.triggers:
        return triggers(args.paths)
    if args.phases:
        return phases(args.paths, args.select, not args.no_semgrep)

    from backdoor_lint import engine
    from backdoor_lint.config import apply_cli_overrides, load_config

    config = load_config(None)
    apply_cli_overrides(config, [args.select] if args.select else None, None)
    profiler = cProfile.Profile()
    start = time.perf_counter()
    supervised, engine.run_supervised = engine.run_supervised, _serial  # the files' work in this process
    profiler.enable()
    try:
        result = engine.scan(args.paths, config, jobs=1)
    finally:
        profiler.disable()
        engine.run_supervised = supervised
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


def phases(paths: list[str], select: str | None, semgrep: bool) -> int:
    """CPU seconds per phase of one uncached scan run in this process (the per-file work done
    serially here instead of in workers), and the counts that explain them."""
    import importlib
    import resource

    from backdoor_lint import engine, policy
    from backdoor_lint.config import apply_cli_overrides, load_config
    from backdoor_lint.reporters import FORMATS

    config = load_config(None)
    apply_cli_overrides(config, [select] if select else None, None)
    config.semgrep = semgrep
    clock = _PhaseClock()
    counts: dict[str, int] = defaultdict(int)
    started_cpu = time.process_time()

    from backdoor_lint import semgrep_runner

    def counted_start(targets, *args, **kwargs):
        counts["files given to semgrep"] += sum(semgrep_runner.wanted(t.display, t.language) for t in targets)
        return start_scan(targets, *args, **kwargs)

    start_scan = semgrep_runner.start_scan
    patches = [(engine, "run_supervised", _serial), (semgrep_runner, "start_scan", counted_start)]
    # what each worker imports before its first file, once here (workers fork after engine._preload)
    with clock.phase("imports: text checkers"):
        registry = importlib.import_module("backdoor_lint.checkers.registry")
        registry.text_checkers()
    with clock.phase("imports: Python checkers and libcst"):
        trigger_facts = importlib.import_module("backdoor_lint.checkers.trigger_facts")
        registry.python_checkers()
    for owner, name, phase in [
            (engine, "discover", "discovery"), (engine, "split_known", "vendored hashes"),
            (engine, "_look_up", "result cache"), (engine, "scan_target", "reading files"),
            (engine, "decode", "decoding"), (engine, "_text_checks", "text checkers"),
            (engine, "parse_python", "ast syntax check"), (trigger_facts, "python_facts", "trigger facts"),
            (engine, "_python_checks", "trigger match, rule selection"),
            (engine, "too_deep_for_libcst", "nesting depth (before libcst)"),
            (engine, "parse_suppressions", "inline suppressions"), (engine, "_start_semgrep", "semgrep (parent side)"),
            (engine, "_semgrep", "semgrep (parent side)"), (policy, "apply", "policy")]:
        patches.append((owner, name, clock.wrap(getattr(owner, name), phase, counts)))
    from backdoor_lint.checkers import base, tree

    patches += [(tree, "parse_module", clock.wrap(tree.parse_module, "libcst parse", counts)),
                (base.ModuleContext, "__init__", clock.wrap(base.ModuleContext.__init__, "rule visits", counts)),
                (base.ModuleContext, "run", clock.wrap(base.ModuleContext.run, "rule visits", counts))]
    saved = [(owner, name, getattr(owner, name)) for owner, name, _ in patches]
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        for owner, name, value in patches:
            setattr(owner, name, value)
        result = engine.scan(paths, config, jobs=1)
        with clock.phase("reporting (json)"):
            FORMATS["json"](result, config)
    finally:
        for owner, name, value in saved:
            setattr(owner, name, value)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    clock.seconds["semgrep processes"] += after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    total_own = time.process_time() - started_cpu
    clock.seconds["rest (engine glue)"] = total_own - sum(v for k, v in clock.seconds.items() if k != "semgrep processes")
    total = sum(clock.seconds.values())
    print(f"{result.files_scanned} files, {len(result.findings)} findings, {total:.2f} CPU s "
          f"({total_own:.2f} in this process)\n")
    print(f"{'phase':<40}{'CPU s':>8}{'share':>8}{'calls':>8}")
    for phase, seconds in sorted(clock.seconds.items(), key=lambda kv: -kv[1]):
        print(f"{phase:<40}{seconds:>8.2f}{seconds / total:>8.0%}{counts.get(phase, 0) or '':>8}")
    print(f"\nfiles given to semgrep: {counts['files given to semgrep']}")
    return 0


def _serial(items, work, jobs, hard_timeout, failed, on_result=None):  # noqa: ARG001
    """robust.run_supervised without worker processes: the profiler sees the per-file work."""
    results = []
    for index, item in enumerate(items):
        results.append(work(item))
        if on_result is not None:
            on_result(index, results[-1])
    return results


class _PhaseClock:
    """Exclusive CPU time per phase: a phase entered inside another is not counted twice."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.stack: list[list] = []

    @contextmanager
    def phase(self, name: str):
        frame = [name, time.process_time(), 0.0]  # name, start, time of inner phases
        self.stack.append(frame)
        try:
            yield
        finally:
            self.stack.pop()
            spent = time.process_time() - frame[1]
            self.seconds[name] += spent - frame[2]
            if self.stack:
                self.stack[-1][2] += spent

    def wrap(self, function, name: str, counts: dict[str, int]):
        @functools.wraps(function)
        def timed(*args, **kwargs):
            counts[name] += 1
            with self.phase(name):
                return function(*args, **kwargs)
        return timed


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
