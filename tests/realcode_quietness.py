"""Quietness on real code: blocking findings per 20,000 lines on unmodified popular packages.

    python tests/realcode_quietness.py --select BDL2,BDL3            # download, unpack, scan, count
    python tests/realcode_quietness.py --select BDL5,BDL6 --root /tmp/realcode --no-download

Downloads the wheels with pip (PyPI only), unpacks each into <root>/<name>, scans the tree with
the selected codes and prints every blocking finding and the rate per 20,000 lines of Python.
Exit status 1 when the rate is above --max-per-20k (default 1.0). Not a pytest test: it needs the
network once and takes minutes; run it by hand or in a scheduled job.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import zipfile
from pathlib import Path

PACKAGES = ["django==5.2.*", "flask", "requests", "urllib3", "pyjwt", "sqlalchemy", "pip"]


def download(root: Path) -> None:
    wheels = root / "_wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", str(wheels), *PACKAGES],
                   check=True)
    for wheel in sorted(wheels.glob("*.whl")):
        target = root / wheel.name.split("-")[0].lower()
        if not target.exists():
            with zipfile.ZipFile(wheel) as archive:
                archive.extractall(target)


def count_lines(root: Path) -> int:
    total = 0
    for path in root.rglob("*.py"):
        if "_wheels" not in path.parts:
            with open(path, "rb") as handle:
                total += sum(1 for _ in handle)
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default="/tmp/realcode", type=Path)
    parser.add_argument("--select", default="BDL2,BDL3")
    parser.add_argument("--no-download", action="store_true")
    parser.add_argument("--max-per-20k", type=float, default=1.0)
    parser.add_argument("--jobs", default="2")
    args = parser.parse_args()
    if not args.no_download:
        download(args.root)
    report = args.root / "_findings.json"
    subprocess.run([sys.executable, "-m", "backdoor_lint", "scan", *[str(p) for p in sorted(args.root.iterdir())
                                                                       if p.is_dir() and p.name != "_wheels"],
                    "--select", args.select, "--jobs", args.jobs, "--format", "json", "--output", str(report),
                    "--exit-zero"], check=True)
    data = json.loads(report.read_text())
    findings = data["findings"] if isinstance(data, dict) else data
    blocking = [f for f in findings if f["severity"] == "block"]
    lines = count_lines(args.root)
    for finding in blocking:
        print(f"{finding['path']}:{finding['line']}: {finding['code']} {finding['message'][:140]}")
    rate = len(blocking) / max(lines, 1) * 20_000
    print(f"{len(blocking)} blocking ({len(findings) - len(blocking)} warnings) in {lines:,} lines of Python: "
          f"{rate:.2f} per 20,000 lines (limit {args.max_per_20k})")
    return 0 if rate <= args.max_per_20k else 1


if __name__ == "__main__":
    sys.exit(main())
