#!/usr/bin/env python3
"""False-positive rate on real code: scan the pinned real trees (Django, SQLAlchemy, pip, Flask,
requests; see trees.py) with a selection of codes and print the blocking findings per 20,000
lines of Python, listing every finding so each can be judged.

    python benchmarks/quiet.py --select BDL2,BDL3            # crypto and transport families
    python benchmarks/quiet.py --select BDL4 --max-per-20k 1  # exit 1 above the limit

These trees are mature, reviewed code with no backdoors, so a blocking finding here is almost
certainly a false positive. Issues 3 and 4 require at most one per 20,000 lines.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import trees as tree_data  # noqa: E402

BIN = Path(sys.executable).parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--select", default="BDL", help="codes or prefixes, comma-separated (default: all)")
    parser.add_argument("--ignore", help="codes or prefixes to leave out, comma-separated")
    parser.add_argument("--trees", default=",".join(t.name for t in tree_data.TREES))
    parser.add_argument("--max-per-20k", type=float, default=1.0,
                        help="exit 1 if blocking findings per 20,000 Python lines exceed this (default 1)")
    parser.add_argument("--warnings", action="store_true", help="also list warn-severity findings")
    parser.add_argument("--cache-dir", default=str(tree_data.default_cache()), help="downloaded trees")
    parser.add_argument("--backdoor-lint", default=str(BIN / "backdoor-lint"), metavar="EXE")
    parser.add_argument("--json", metavar="FILE", help="also write the counts and findings as JSON")
    args = parser.parse_args(argv)
    names = [t.strip() for t in args.trees.split(",") if t.strip()]
    unknown = [n for n in names if n not in tree_data.BY_NAME]
    if unknown:
        parser.error(f"unknown trees: {', '.join(unknown)}")

    report = {"select": args.select, "ignore": args.ignore, "trees": {}}
    total_lines = total_blocking = 0
    for name in names:
        package = tree_data.fetch(tree_data.BY_NAME[name], Path(args.cache_dir), log=lambda m: print(m, file=sys.stderr))
        lines = tree_data.count_lines(tree_data.python_files(package))
        command = [args.backdoor_lint, "scan", str(package.name), "--select", args.select, "--format", "json",
                   "--exit-zero"]
        if args.ignore:
            command += ["--ignore", args.ignore]
        done = subprocess.run(command, cwd=package.parent, capture_output=True, text=True)
        if done.returncode != 0:
            print(f"{name}: backdoor-lint failed (exit {done.returncode}): {done.stderr.strip()[-1000:]}",
                  file=sys.stderr)
            return 2
        findings = json.loads(done.stdout)["findings"]
        blocking = [f for f in findings if f["severity"] == "block"]
        warnings = [f for f in findings if f["severity"] != "block"]
        failed = [f for f in findings if f["code"] in ("BDL901", "BDL902")]
        total_lines += lines
        total_blocking += len(blocking)
        rate = len(blocking) * 20000 / lines if lines else 0.0
        report["trees"][name] = {"requirement": tree_data.BY_NAME[name].requirement, "python_lines": lines,
                                 "blocking": len(blocking), "warnings": len(warnings), "per_20k": round(rate, 3),
                                 "findings": blocking + (warnings if args.warnings else [])}
        print(f"\n{name} ({tree_data.BY_NAME[name].requirement}): {lines} Python lines, {len(blocking)} blocking "
              f"({rate:.2f} per 20k lines), {len(warnings)} warnings"
              + (f", {len(failed)} analysis failures (BDL901/902)" if failed else ""))
        for finding in blocking + (warnings if args.warnings else []):
            print(f"  {finding['path']}:{finding['line']}:{finding['column']}: {finding['code']} "
                  f"{finding['name']} [{finding['severity']}] {finding['message']}")
    rate = total_blocking * 20000 / total_lines if total_lines else 0.0
    report.update(python_lines=total_lines, blocking=total_blocking, per_20k=round(rate, 3),
                  limit=args.max_per_20k, ok=rate <= args.max_per_20k)
    print(f"\nall trees: {total_lines} Python lines, {total_blocking} blocking findings for --select {args.select}"
          f"{' --ignore ' + args.ignore if args.ignore else ''}: {rate:.2f} per 20,000 lines "
          f"({'OK' if report['ok'] else 'OVER'} the limit of {args.max_per_20k:g})")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n")
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
