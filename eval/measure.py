#!/usr/bin/env python3
"""Run backdoor-lint and reference tools on one of the project's labelled corpora and score them.

    python3 eval/measure.py eval/python-apps [--tools backdoor-lint,bandit,ruff] [--out DIR]
                            [--min-level note|warning|error] [--scorer PATH] [--details]

The corpus is copied to a scratch directory first, so that this checkout's own configuration
(which excludes eval/ from the self-scan and from ruff) does not apply. Each tool writes SARIF
2.1.0 to DIR/<tool>.sarif; bandit's JSON is converted when its SARIF formatter (bandit[sarif]) is
missing. Default tools: backdoor-lint, bandit and `ruff check --select S` for a Python-only corpus;
backdoor-lint and semgrep with this repository's rules (semgrep-rules/) otherwise. Scores come
from eval/score.py, or from the scorer given with --scorer (e.g. ../shared/eval/score.py).
Tools are looked up beside the running interpreter first, then on PATH. Standard library only.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import score as own_scorer  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 1800


def executable(name: str) -> str | None:
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def run_backdoor_lint(corpus: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "backdoor_lint", "scan", str(corpus), "--format", "sarif", "--output", str(out),
            "--no-cache", "--exit-zero"]


def run_ruff(corpus: Path, out: Path) -> list[str]:
    return [executable("ruff") or "ruff", "check", "--isolated", "--no-cache", "--select", "S", "--exit-zero",
            "--output-format", "sarif", "--output-file", str(out), str(corpus)]


def run_semgrep(corpus: Path, out: Path) -> list[str]:
    return [executable("semgrep") or "semgrep", "scan", "--config", str(ROOT / "semgrep-rules"), "--sarif",
            "--output", str(out), "--metrics=off", "--disable-version-check", "--no-git-ignore", "--quiet",
            str(corpus)]


def bandit_has_sarif() -> bool:
    # bandit registers its SARIF formatter even when the extra it needs (bandit[sarif]) is missing;
    # only the CLI's list of format choices says whether `-f sarif` works
    help_text = subprocess.run([executable("bandit") or "bandit", "--help"], capture_output=True, text=True)
    choices = re.search(r"-f \{([^}]*)\}", help_text.stdout)
    return bool(choices) and "sarif" in choices.group(1).split(",")


def bandit_json_to_sarif(report: dict) -> dict:
    """Minimal SARIF 2.1.0 from bandit's JSON report (test id, severity, file and line range)."""
    level = {"HIGH": "error", "MEDIUM": "warning", "LOW": "note"}
    results = []
    for issue in report.get("results", []):
        lines = issue.get("line_range") or [issue["line_number"]]
        results.append({
            "ruleId": issue["test_id"], "level": level.get(issue.get("issue_severity", ""), "warning"),
            "message": {"text": issue.get("issue_text", "")},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": Path(issue["filename"]).resolve().as_uri()},
                                                "region": {"startLine": min(lines), "endLine": max(lines)}}}],
        })
    return {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "bandit"}}, "results": results}]}


def run_bandit(corpus: Path, out: Path) -> list[str] | None:
    bandit = executable("bandit") or "bandit"
    if bandit_has_sarif():
        return [bandit, "-q", "-r", str(corpus), "-f", "sarif", "-o", str(out), "--exit-zero"]
    raw = out.with_suffix(".json")
    subprocess.run([bandit, "-q", "-r", str(corpus), "-f", "json", "-o", str(raw), "--exit-zero"],
                   capture_output=True, text=True, timeout=TIMEOUT)
    out.write_text(json.dumps(bandit_json_to_sarif(json.loads(raw.read_text()))))
    return None


RUNNERS = {"backdoor-lint": run_backdoor_lint, "bandit": run_bandit, "ruff": run_ruff, "semgrep": run_semgrep}


def default_tools(corpus: Path) -> list[str]:
    langs = {label["lang"] for label in own_scorer.read_labels(corpus)}
    return ["backdoor-lint", "bandit", "ruff"] if langs == {"python"} else ["backdoor-lint", "semgrep"]


def run_tool(tool: str, corpus: Path, out: Path) -> str | None:
    """Writes out; returns an error text when the tool failed to produce SARIF."""
    command = RUNNERS[tool](corpus, out)
    if command is not None:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
        if not out.is_file():
            return f"{tool} wrote no SARIF (exit {done.returncode}): {done.stderr.strip()[-500:]}"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--tools", help="comma-separated: " + ", ".join(RUNNERS))
    parser.add_argument("--out", type=Path, help="directory for the SARIF files (default: a temporary one)")
    parser.add_argument("--min-level", choices=["note", "warning", "error"], default="note")
    parser.add_argument("--scorer", type=Path, help="score with this scorer instead of eval/score.py")
    parser.add_argument("--details", action="store_true", help="list every miss and false positive")
    args = parser.parse_args(argv)
    tools = args.tools.split(",") if args.tools else default_tools(args.corpus)
    unknown = [t for t in tools if t not in RUNNERS]
    if unknown:
        parser.error(f"unknown tools: {', '.join(unknown)}")
    out_dir = args.out or Path(tempfile.mkdtemp(prefix="bdl-measure-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bdl-corpus-") as scratch:
        corpus = Path(scratch) / args.corpus.resolve().name
        shutil.copytree(args.corpus, corpus)
        for tool in tools:
            sarif = out_dir / f"{tool}.sarif"
            error = run_tool(tool, corpus, sarif)
            print(f"== {tool}  ({sarif})")
            if error:
                print(error)
                continue
            if args.scorer:
                command = [sys.executable, str(args.scorer), "--corpus", str(corpus), "--sarif", str(sarif),
                           "--min-level", args.min_level] + (["--details"] if args.details else [])
                print(subprocess.run(command, capture_output=True, text=True).stdout.rstrip())
            else:
                print(own_scorer.render(own_scorer.score(corpus, [sarif], args.min_level), args.details))
    return 0


if __name__ == "__main__":
    sys.exit(main())
