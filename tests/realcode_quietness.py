"""Quietness on real code: blocking findings per 20,000 lines of unmodified popular packages.

Downloads the wheels (PyPI only), unpacks each into WORKDIR/<name>, scans each with the selected
codes and prints, per package and in total, the Python line count, the blocking and warning
findings, the rate per 20,000 lines, and every blocking finding (to be given a verdict by hand).

    python tests/realcode_quietness.py --select BDL504,BDL505,BDL6
    python tests/realcode_quietness.py --select BDL2,BDL3 --workdir /tmp/realcode --no-download

Not a pytest test (it needs the network and minutes of CPU); run it by hand or in a benchmark job.
"""
from __future__ import annotations

import argparse
import json
import pathlib
import subprocess
import sys
import zipfile

PACKAGES = ["django==5.2.*", "flask", "requests", "urllib3", "pyjwt", "sqlalchemy", "pip"]
PER_LINES = 20_000


def download(workdir: pathlib.Path, packages: list[str]) -> None:
    wheels = workdir / "_wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-d", str(wheels),
                    *packages], check=True)
    for wheel in wheels.glob("*.whl"):
        name = wheel.name.split("-", 1)[0].lower()
        target = workdir / name
        if not target.exists():
            with zipfile.ZipFile(wheel) as archive:
                archive.extractall(target)


def python_lines(root: pathlib.Path) -> int:
    return sum(len(p.read_bytes().splitlines()) for p in root.rglob("*.py"))


def scan(root: pathlib.Path, select: str, jobs: int) -> list[dict]:
    result = subprocess.run([sys.executable, "-m", "backdoor_lint", "scan", str(root), "--select", select,
                             "--format", "json", "--exit-zero", "--jobs", str(jobs)],
                            capture_output=True, text=True, check=True)
    data = json.loads(result.stdout)
    return data["findings"] if isinstance(data, dict) else data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--select", required=True, help="codes or prefixes, as for `backdoor-lint scan --select`")
    parser.add_argument("--workdir", default="/tmp/realcode", type=pathlib.Path)
    parser.add_argument("--no-download", action="store_true", help="use what is already unpacked in --workdir")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("packages", nargs="*", default=PACKAGES)
    args = parser.parse_args(argv)
    if not args.no_download:
        download(args.workdir, args.packages)
    roots = sorted(p for p in args.workdir.iterdir() if p.is_dir() and not p.name.startswith("_"))
    total_lines = total_block = total_warn = 0
    blocking: list[dict] = []
    print(f"{'package':<14}{'lines':>9}{'block':>7}{'warn':>7}{'block/20k':>11}")
    for root in roots:
        lines = python_lines(root)
        findings = scan(root, args.select, args.jobs)
        block = [f for f in findings if f["severity"] == "block"]
        warn = len(findings) - len(block)
        blocking += block
        total_lines += lines
        total_block += len(block)
        total_warn += warn
        print(f"{root.name:<14}{lines:>9}{len(block):>7}{warn:>7}{len(block) * PER_LINES / max(lines, 1):>11.2f}")
    print(f"{'TOTAL':<14}{total_lines:>9}{total_block:>7}{total_warn:>7}"
          f"{total_block * PER_LINES / max(total_lines, 1):>11.2f}")
    for finding in blocking:
        print(f"{finding['path']}:{finding['line']}: {finding['code']} {finding['message'][:160]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
