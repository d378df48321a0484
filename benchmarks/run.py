#!/usr/bin/env python3
"""Speed benchmark: backdoor-lint against bandit, `ruff --select S` and semgrep on pinned real
trees, all in one run, so the ratios are comparable even on a busy machine.

    python benchmarks/run.py                          # all trees, 3 rounds
    python benchmarks/run.py --trees django --rounds 5 --json bench.json

    python benchmarks/run.py --trees django --backdoor-lint-before OLD/bin/backdoor-lint   # before/after

Scenarios (whole-process wall time and CPU, median of the rounds; tools alternate order every round):
  cold      full scan with an empty cache (ruff --no-cache; bandit and semgrep have no cache)
  warm      re-scan with nothing changed (backdoor-lint and ruff with their caches populated)
  commit10  pre-commit-sized run: 10 changed Python files passed by name (content changed each
  commit50  round so backdoor-lint's cache cannot answer for them), likewise 50
  agent     `backdoor-lint agent-hook --agent claude` calls (Write of a Python file, a Bash
            command); skipped with a note if the subcommand does not exist
Every tool writes its default human-readable report (--format json: every tool writes JSON).
CPU is user + system time of each measured process tree (os.wait4: the process and every child it
waited for, workers and semgrep included). With --backdoor-lint-before, a second build of
backdoor-lint ("backdoor-lint before") is measured in the same rounds, alternating with the others.
Peak memory is ru_maxrss of each measured process tree (os.wait4: the largest single process
of the tree, workers included). Results go to a table on stdout and, with --json, to a file
that later runs can be compared against (--compare OLD.json).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import trees as tree_data  # noqa: E402

BIN = Path(sys.executable).parent
TARGETS = {  # the speed targets the project has set itself (README "Speed")
    "django cold wall: backdoor-lint / bandit": 0.5,
    "django cold CPU: backdoor-lint / bandit": 1.0,
    "django warm: backdoor-lint / ruff cold": 2.0,
    "commit10: backdoor-lint median seconds": 0.3,
    "commit50: backdoor-lint / bandit": 0.5,
    "django peak memory: backdoor-lint MiB": 500,
    "agent bash: backdoor-lint median seconds": 0.1,
}
BEFORE = "backdoor-lint before"  # the second build measured by --backdoor-lint-before


def find_tool(name: str, override: str | None) -> str | None:
    if override:
        return override if shutil.which(override) else None
    local = BIN / name
    return str(local) if local.exists() else shutil.which(name)


# Measured processes run as an installed tool would: with bytecode caching on. (An environment
# with PYTHONDONTWRITEBYTECODE=1 and an editable install would otherwise recompile every module
# of backdoor-lint from source on every run, which no pip-installed copy does.)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measure(command: list[str], cwd: Path, stdin: bytes | None = None, timeout: float = 1800) -> dict:
    """Wall time, CPU (user + system), exit status and peak RSS (KiB) of one process tree."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        proc = subprocess.Popen(command, cwd=cwd, stdout=sink, stderr=subprocess.PIPE, env=ENV,
                                stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL)
        if stdin is not None:
            proc.stdin.write(stdin)
            proc.stdin.close()
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.002)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        stderr = proc.stderr.read().decode("utf-8", "replace")[-2000:]
        proc.stderr.close()
    return {"seconds": elapsed, "cpu_seconds": usage.ru_utime + usage.ru_stime, "rc": proc.returncode,
            "maxrss_kib": usage.ru_maxrss, "stderr": stderr}


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.cache = Path(args.cache_dir)
        self.work = Path(tempfile.mkdtemp(prefix="bdl-bench-"))
        self.notes: list[str] = []
        self.samples: dict[str, dict[str, list[dict]]] = {}  # scenario -> tool -> runs
        self.tools = {
            "backdoor-lint": find_tool("backdoor-lint", args.backdoor_lint),
            "bandit": find_tool("bandit", args.bandit),
            "ruff": find_tool("ruff", args.ruff),
            "semgrep": None if args.no_semgrep else find_tool("semgrep", args.semgrep),
        }
        if args.backdoor_lint_before:
            self.tools[BEFORE] = find_tool("backdoor-lint", args.backdoor_lint_before)
            if self.tools[BEFORE] is None:
                raise SystemExit(f"--backdoor-lint-before: {args.backdoor_lint_before}: not an executable")
        self.ours = [tool for tool in ("backdoor-lint", BEFORE) if self.tools.get(tool)]
        for name, path in self.tools.items():
            if path is None:
                self.notes.append(f"{name}: not found (skipped)" if name != "semgrep" or not args.no_semgrep
                                  else "semgrep: skipped (--no-semgrep)")
        self.semgrep_rules = self._semgrep_rules() if self.tools["semgrep"] else None
        if self.tools["semgrep"] and not self.semgrep_rules:
            self.notes.append("semgrep: no bundled rules found by backdoor_lint.semgrep_runner.rules_dir() (skipped)")
            self.tools["semgrep"] = None
        self.python = str(BIN / "python") if (BIN / "python").exists() else sys.executable
        self.agent_builds = [tool for tool in self.ours if self._has_agent_hook(self.tools[tool])]
        for tool in set(self.ours) - set(self.agent_builds):
            self.notes.append(f"agent: `{tool} agent-hook` does not exist in that build (skipped)")

    # tools -------------------------------------------------------------------------------------
    def _semgrep_rules(self) -> str | None:
        if self.args.semgrep_config:
            return self.args.semgrep_config
        # the rules the scan itself uses (package data `backdoor_lint.semgrep_rules`, semgrep-rules/ in the repo)
        # asked from another folder: run from a checkout, `import backdoor_lint` would find the
        # source tree, whose rules are not a package (they are one only once installed)
        probe = subprocess.run([sys.executable, "-c", "from backdoor_lint.semgrep_runner import rules_dir; "
                                "print(rules_dir())"], capture_output=True, text=True, cwd=tempfile.gettempdir())
        folder = Path(probe.stdout.strip()) if probe.returncode == 0 else None
        if folder and any(folder.rglob("*.yaml")) or folder and any(folder.rglob("*.yml")):
            return str(folder)
        return None

    @staticmethod
    def _has_agent_hook(exe: str) -> bool:
        probe = subprocess.run([exe, "agent-hook", "--help"], capture_output=True, text=True)
        return probe.returncode == 0

    def command(self, tool: str, paths: list[str], scenario: str) -> list[str] | None:
        exe = self.tools[tool]
        if exe is None:
            return None
        if tool in self.ours:
            cmd = [exe, "scan", *paths, "--exit-zero", "--format", self.args.format, "--cache-dir", str(self.bdl_cache(tool))]
            if self.args.jobs:
                cmd += ["--jobs", str(self.args.jobs)]
            return cmd
        if tool == "bandit":
            return [exe, "-q", "-f", "json" if self.args.format == "json" else "txt", *(["-r"] if len(paths) == 1 and Path(paths[0]).is_dir() else []), *paths]
        if tool == "ruff":
            return [exe, "check", "--isolated", "--select", "S", "--exit-zero", "--quiet",
                    "--output-format", "json" if self.args.format == "json" else "full",
                    *(["--no-cache"] if scenario != "warm" else ["--cache-dir", str(self.work / "ruff-cache")]),
                    *paths]
        if tool == "semgrep":
            return [exe, "scan", "--config", self.semgrep_rules, "--metrics=off", "--disable-version-check",
                    "--quiet", *(["--json"] if self.args.format == "json" else []), "--no-git-ignore", *paths]
        raise ValueError(tool)

    def bdl_cache(self, tool: str) -> Path:
        return self.work / ("bdl-cache" if tool == "backdoor-lint" else "bdl-cache-before")

    def record(self, scenario: str, tool: str, run: dict) -> None:
        self.samples.setdefault(scenario, {}).setdefault(tool, []).append(run)
        if run["rc"] not in (0, 1):
            self.notes.append(f"{scenario}/{tool}: exit {run['rc']}: {run['stderr'].strip()[-300:]}")

    # scenarios ---------------------------------------------------------------------------------
    def run(self) -> dict:
        rounds = self.args.rounds
        self.tree_info = {}
        for name in self.args.trees:
            tree = tree_data.BY_NAME[name]
            package = tree_data.fetch(tree, self.cache, log=lambda m: print(m, file=sys.stderr))
            scratch = self.work / "trees" / tree.package
            shutil.copytree(package, scratch)  # a private copy: the commit scenarios modify files
            files = tree_data.python_files(scratch)
            self.tree_info[name] = {"requirement": tree.requirement, "sha256": tree.sha256,
                                    "files": sum(1 for p in scratch.rglob("*") if p.is_file()),
                                    "python_files": len(files), "python_lines": tree_data.count_lines(files)}
            print(f"{name}: {self.tree_info[name]['python_files']} Python files, "
                  f"{self.tree_info[name]['python_lines']} lines", file=sys.stderr)
            cold_tools = [*self.ours, "bandit", "ruff"] + (["semgrep"] if self.tools["semgrep"] else [])
            if name == self.args.trees[0]:  # unmeasured: writes bytecode caches, warms the page cache
                for tool in cold_tools:
                    cmd = self.command(tool, [str(files[0])], "cold")
                    if cmd:
                        measure(cmd, self.work)
            for number in range(rounds):
                for tool in _rotate(cold_tools, number):
                    if tool in self.ours:
                        shutil.rmtree(self.bdl_cache(tool), ignore_errors=True)
                    if tool == "semgrep" and number >= self.args.semgrep_rounds:
                        continue
                    cmd = self.command(tool, [str(scratch)], "cold")
                    if cmd:
                        self.record(f"{name} cold", tool, measure(cmd, self.work))
            # warm: caches populated by one unmeasured run each
            for tool in (*self.ours, "ruff"):
                cmd = self.command(tool, [str(scratch)], "warm")
                if cmd:
                    measure(cmd, self.work)
            for number in range(rounds):
                for tool in _rotate([*self.ours, "ruff"], number):
                    cmd = self.command(tool, [str(scratch)], "warm")
                    if cmd:
                        self.record(f"{name} warm", tool, measure(cmd, self.work))
            if name == self.args.trees[0]:
                self.commit_runs(scratch, files)
                self.agent_runs(scratch, files)
        shutil.rmtree(self.work, ignore_errors=True)
        return self.report()

    def commit_runs(self, scratch: Path, files: list[Path]) -> None:
        """pre-commit passes the changed files by name; each round changes their content."""
        rng = random.Random(8)
        for size in (10, 50):
            chosen = rng.sample(files, min(size, len(files)))
            relative = [str(p.relative_to(scratch)) for p in chosen]
            for number in range(max(self.args.rounds, 5)):
                for path in chosen:
                    with open(path, "a", encoding="utf-8") as handle:
                        handle.write(f"\n# benchmark change {size}/{number}\n")
                for tool in _rotate([*self.ours, "bandit", "ruff"], number):
                    cmd = self.command(tool, relative, "commit")
                    if cmd:
                        self.record(f"commit{size}", tool, measure(cmd, scratch))

    def agent_runs(self, scratch: Path, files: list[Path]) -> None:
        source = max(files[:200], key=lambda p: p.stat().st_size).read_text(encoding="utf-8")[:20000]
        calls = {
            "agent write": {"hook_event_name": "PreToolUse", "tool_name": "Write", "cwd": str(scratch),
                            "tool_input": {"file_path": str(scratch / "bench_new_module.py"), "content": source}},
            "agent bash": {"hook_event_name": "PreToolUse", "tool_name": "Bash", "cwd": str(scratch),
                           "tool_input": {"command": "python -m pytest -q tests 2>&1 | tail -20 && git status"}},
        }
        for scenario, payload in calls.items():
            data = json.dumps(payload).encode()
            for number in range(max(self.args.rounds, 5)):
                for tool in _rotate(self.agent_builds, number):
                    cmd = [self.tools[tool], "agent-hook", "--agent", "claude"]
                    self.record(scenario, tool, measure(cmd, scratch, stdin=data))

    # output ------------------------------------------------------------------------------------
    def report(self) -> dict:
        summary: dict[str, dict[str, dict]] = {}
        for scenario, tools in self.samples.items():
            summary[scenario] = {}
            for tool, runs in tools.items():
                seconds = [r["seconds"] for r in runs]
                summary[scenario][tool] = {
                    "median_s": round(statistics.median(seconds), 4), "min_s": round(min(seconds), 4),
                    "max_s": round(max(seconds), 4), "rounds": len(runs),
                    "median_cpu_s": round(statistics.median(r["cpu_seconds"] for r in runs), 4),
                    "peak_rss_mib": round(max(r["maxrss_kib"] for r in runs) / 1024, 1),
                    "exit_codes": sorted({r["rc"] for r in runs}),
                }
        targets = self.targets(summary)
        return {
            "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
            "output_format": self.args.format,
            "machine": {"platform": platform.platform(), "python": platform.python_version(),
                        "bytecode_cache": "on (PYTHONDONTWRITEBYTECODE removed for measured runs)",
                        "cpus": os.cpu_count(), "usable_cpus": _usable_cpus(),
                        "loadavg_start": self.load_start, "loadavg_end": list(os.getloadavg())},
            "versions": self.versions(),
            "trees": self.tree_info,
            "results": summary,
            "targets": targets,
            "notes": sorted(set(self.notes)),
        }

    def targets(self, summary: dict) -> dict:
        def median(scenario, tool, key="median_s"):
            return summary.get(scenario, {}).get(tool, {}).get(key)

        def ratio(name, ours, theirs):
            if ours and theirs:
                found[name] = ours / theirs

        found = {}
        if "django" in self.args.trees:
            ratio("django cold wall: backdoor-lint / bandit", median("django cold", "backdoor-lint"),
                  median("django cold", "bandit"))
            ratio("django cold CPU: backdoor-lint / bandit", median("django cold", "backdoor-lint", "median_cpu_s"),
                  median("django cold", "bandit", "median_cpu_s"))
            ratio("django warm: backdoor-lint / ruff cold", median("django warm", "backdoor-lint"),
                  median("django cold", "ruff"))
            peak = median("django cold", "backdoor-lint", "peak_rss_mib")
            if peak:
                found["django peak memory: backdoor-lint MiB"] = peak
        for name, scenario in (("commit10: backdoor-lint median seconds", "commit10"),
                               ("agent bash: backdoor-lint median seconds", "agent bash")):
            if median(scenario, "backdoor-lint"):
                found[name] = median(scenario, "backdoor-lint")
        ratio("commit50: backdoor-lint / bandit", median("commit50", "backdoor-lint"), median("commit50", "bandit"))
        return {name: {"value": round(value, 3), "limit": TARGETS[name], "ok": value <= TARGETS[name]}
                for name, value in found.items()}

    def versions(self) -> dict:
        versions = {}
        for tool, exe in self.tools.items():
            if exe:
                out = subprocess.run([exe, "--version"], capture_output=True, text=True)
                versions[tool] = (out.stdout or out.stderr).strip().splitlines()[0] if (out.stdout or out.stderr) else "?"
        if self.tools.get(BEFORE):
            versions[f"{BEFORE} executable"] = self.tools[BEFORE]
        try:
            versions["backdoor-lint commit"] = subprocess.run(
                ["git", "-C", str(Path(__file__).resolve().parent), "rev-parse", "--short", "HEAD"],
                capture_output=True, text=True).stdout.strip()
        except OSError:
            pass
        return versions


def _rotate(items: list[str], number: int) -> list[str]:
    number %= len(items)
    return items[number:] + items[:number]


def _usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def render(result: dict, previous: dict | None = None) -> str:
    lines = [f"backdoor-lint benchmark {result['when']} on {result['machine']['platform']}, "
             f"{result['machine']['usable_cpus']} CPUs, load {result['machine']['loadavg_start'][0]:.1f} -> "
             f"{result['machine']['loadavg_end'][0]:.1f}", ""]
    for name, info in result["trees"].items():
        lines.append(f"  {name}: {info['requirement']}, {info['files']} files, {info['python_files']} Python files, "
                     f"{info['python_lines']} Python lines")
    lines.append("")
    header = f"{'scenario':<16}{'tool':<22}{'median s':>10}{'min s':>9}{'max s':>9}{'CPU s':>8}{'n':>4}{'peak MiB':>10}" \
             f"{'x bandit':>10}{'CPU x bandit':>14}{'x ruff':>8}" + ("  vs previous" if previous else "")
    lines += [header, "-" * len(header)]
    for scenario, tools in result["results"].items():
        bandit = tools.get("bandit", {}).get("median_s")
        ruff = tools.get("ruff", {}).get("median_s")
        bandit_cpu = tools.get("bandit", {}).get("median_cpu_s")
        if scenario.endswith(" warm"):
            ruff = result["results"].get(scenario.replace(" warm", " cold"), {}).get("ruff", {}).get("median_s")
        for tool, row in tools.items():
            ratio_b = f"{row['median_s'] / bandit:.2f}" if bandit else "-"
            ratio_r = f"{row['median_s'] / ruff:.2f}" if ruff else "-"
            cpu = row.get("median_cpu_s")
            ratio_cpu = f"{cpu / bandit_cpu:.2f}" if bandit_cpu and cpu is not None else "-"
            change = ""
            if previous:
                old = previous.get("results", {}).get(scenario, {}).get(tool, {}).get("median_s")
                change = f"  {row['median_s'] / old:.2f}x" if old else "  (new)"
            cpu_text = f"{cpu:.2f}" if cpu is not None else "-"
            lines.append(f"{scenario:<16}{tool:<22}{row['median_s']:>10.3f}{row['min_s']:>9.3f}{row['max_s']:>9.3f}"
                         f"{cpu_text:>8}{row['rounds']:>4}{row['peak_rss_mib']:>10.1f}{ratio_b:>10}{ratio_cpu:>14}"
                         f"{ratio_r:>8}{change}")
    lines.append("(warm rows: 'x ruff' is against ruff's cold time; CPU = user + system of the process tree)")
    if result["targets"]:
        lines += ["", "targets (backdoor-lint, not the before build):"]
        for name, row in result["targets"].items():
            lines.append(f"  {'PASS' if row['ok'] else 'FAIL'}  {name} = {row['value']} (limit {row['limit']})")
    if result["notes"]:
        lines += ["", "notes:"] + [f"  {note}" for note in result["notes"]]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trees", default=",".join(t.name for t in tree_data.TREES),
                        help="comma-separated subset of: " + ", ".join(t.name for t in tree_data.TREES))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--semgrep-rounds", type=int, default=1, help="cold rounds for semgrep (slow to start)")
    parser.add_argument("--jobs", type=int, help="pass --jobs to backdoor-lint (default: its own default)")
    parser.add_argument("--cache-dir", default=str(tree_data.default_cache()),
                        help="where the downloaded trees are kept (default: %(default)s)")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON to FILE")
    parser.add_argument("--compare", metavar="OLD.json", help="show each median as a ratio to an earlier run")
    parser.add_argument("--format", choices=["text", "json"], default="text",
                        help="report format every tool is asked for (default: each tool's human-readable text)")
    parser.add_argument("--no-semgrep", action="store_true")
    parser.add_argument("--semgrep-config", help="semgrep rules (default: the bundled backdoor_lint/semgrep_rules)")
    for tool in ("backdoor-lint", "bandit", "ruff", "semgrep"):
        parser.add_argument(f"--{tool}", metavar="EXE", help=f"{tool} executable (default: next to this Python)")
    parser.add_argument("--backdoor-lint-before", metavar="EXE",
                        help="a second backdoor-lint build (e.g. an install of an older commit) measured in the "
                             "same rounds, reported as 'backdoor-lint before'")
    args = parser.parse_args(argv)
    args.trees = [t.strip() for t in args.trees.split(",") if t.strip()]
    unknown = [t for t in args.trees if t not in tree_data.BY_NAME]
    if unknown:
        parser.error(f"unknown trees: {', '.join(unknown)}")
    bench = Bench(args)
    bench.load_start = list(os.getloadavg())
    if bench.tools["backdoor-lint"] is None:
        print("backdoor-lint not found; nothing to measure", file=sys.stderr)
        return 2
    result = bench.run()
    previous = json.loads(Path(args.compare).read_text()) if args.compare else None
    sys.stdout.write(render(result, previous))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
