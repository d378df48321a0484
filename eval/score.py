#!/usr/bin/env python3
"""Score SARIF 2.1.0 results against a labelled corpus (the label format of ../shared/eval/LABELS.md).

    python3 eval/score.py --corpus eval/python-apps --sarif out.sarif [--sarif more.sarif]
                          [--min-level note|warning|error] [--json] [--details]

A `flag` label is hit when a result's region covers its line (startLine <= line <= endLine, endLine
defaulting to startLine). A `clean` label is a false positive when a result covers its line; a
`clean-file` label when the file has any result at all. Recall = flag labels hit / flag labels;
false-positive rate = clean labels hit / clean labels (a clean-file label counts once).

Results count at or above --min-level (result level, else the rule's default level, else
"warning"); results with kind other than "fail", level "none", an accepted suppression or
baselineState "absent" do not count. Result paths are mapped onto corpus files: file URIs,
absolute paths, paths relative to the corpus, to the current directory, or, failing those, the
single corpus file whose path is the longest suffix of the result's path. Standard library only.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import unquote, urlparse

LEVELS = {"none": 0, "note": 1, "warning": 2, "error": 3}
CATEGORIES = frozenset({
    "algorithm-confusion", "weak-crypto", "tls-verification", "insecure-randomness", "timing-unsafe-compare",
    "hidden-network", "exfiltration", "obfuscated-exec", "auth-bypass", "hardcoded-secret",
    "unsafe-deserialization", "command-injection", "trojan-source", "shell-command", "supply-chain", "other",
})
LANGS = frozenset({"python", "javascript", "typescript", "go", "java", "bash", "ruby", "php", "yaml",
                   "dockerfile", "generic"})
EXPECTS = frozenset({"flag", "clean", "clean-file"})


def read_labels(corpus: Path) -> list[dict]:
    """The labels of `corpus`/labels.jsonl; raises ValueError on a malformed line."""
    labels = []
    text = (corpus / "labels.jsonl").read_text(encoding="utf-8")
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        label = json.loads(raw)
        where = f"labels.jsonl:{number}"
        if label.get("expect") not in EXPECTS:
            raise ValueError(f"{where}: expect must be one of {sorted(EXPECTS)}")
        if label["expect"] != "clean-file" and not isinstance(label.get("line"), int):
            raise ValueError(f"{where}: a {label['expect']} label needs an integer line")
        if label.get("category") not in CATEGORIES:
            raise ValueError(f"{where}: unknown category {label.get('category')!r}")
        if label.get("lang") not in LANGS:
            raise ValueError(f"{where}: unknown lang {label.get('lang')!r}")
        label["file"] = Path(label["file"]).as_posix().removeprefix("./")
        labels.append(label)
    return labels


def _rule_levels(run: dict) -> dict[str, str]:
    levels = {}
    for component in [run.get("tool", {}).get("driver", {}), *run.get("tool", {}).get("extensions", [])]:
        for rule in component.get("rules", []) or []:
            level = (rule.get("defaultConfiguration") or {}).get("level")
            if level and rule.get("id"):
                levels[rule["id"]] = level
    return levels


def _counts(result: dict, rule_levels: dict[str, str], min_level: int) -> bool:
    if result.get("kind", "fail") != "fail" or result.get("baselineState") == "absent":
        return False
    if any(s.get("status", "accepted") == "accepted" for s in result.get("suppressions") or []):
        return False
    level = result.get("level") or rule_levels.get(result.get("ruleId", "")) or "warning"
    return LEVELS.get(level, 2) >= max(min_level, 1)


class PathMapper:
    """Maps SARIF artifact locations onto the corpus's relative file paths."""

    def __init__(self, corpus: Path):
        self.corpus = corpus.resolve()
        self.files = {p.relative_to(self.corpus).as_posix() for p in self.corpus.rglob("*") if p.is_file()}

    def __call__(self, location: dict, run: dict) -> str | None:
        uri = location.get("uri")
        if uri is None and "index" in location:
            uri = run.get("artifacts", [])[location["index"]].get("location", {}).get("uri")
        if not uri:
            return None
        base = (run.get("originalUriBaseIds") or {}).get(location.get("uriBaseId", ""), {}).get("uri", "")
        return self._resolve(unquote(urlparse(base).path) if base else "", uri)

    def _resolve(self, base: str, uri: str) -> str | None:
        parsed = urlparse(uri)
        path = unquote(parsed.path) if parsed.scheme in ("file", "") else None
        if path is None:
            return None
        if base and not os.path.isabs(path):
            path = os.path.join(base, path)
        candidates = [Path(path)] if os.path.isabs(path) else [self.corpus / path, Path.cwd() / path]
        for candidate in candidates:
            try:
                relative = candidate.resolve().relative_to(self.corpus).as_posix()
            except ValueError:
                continue
            if relative in self.files:
                return relative
        parts = Path(path).as_posix().lstrip("./").split("/")
        for start in range(len(parts)):
            suffix = "/".join(parts[start:])
            matches = [f for f in self.files if f == suffix or f.endswith("/" + suffix)]
            if len(matches) == 1:
                return matches[0]
            if matches:
                return None
        return None


def read_findings(corpus: Path, sarif_paths: list[Path], min_level: int) -> tuple[dict, set]:
    """Per corpus file: the (start, end) line spans of counted results, and the files with any result."""
    mapper = PathMapper(corpus)
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    files_hit: set[str] = set()
    for sarif_path in sarif_paths:
        document = json.loads(sarif_path.read_text(encoding="utf-8"))
        for run in document.get("runs", []):
            rule_levels = _rule_levels(run)
            for result in run.get("results", []) or []:
                if not _counts(result, rule_levels, min_level):
                    continue
                for location in result.get("locations", []) or []:
                    physical = location.get("physicalLocation", {})
                    rel = mapper(physical.get("artifactLocation", {}), run)
                    if rel is None:
                        continue
                    files_hit.add(rel)
                    region = physical.get("region") or {}
                    if "startLine" in region:
                        start = region["startLine"]
                        spans[rel].append((start, region.get("endLine", start)))
    return spans, files_hit


def score(corpus: Path, sarif_paths: list[Path], min_level: str = "note") -> dict:
    labels = read_labels(corpus)
    spans, files_hit = read_findings(corpus, sarif_paths, LEVELS[min_level])
    per = {"category": defaultdict(Counter), "lang": defaultdict(Counter)}
    misses, false_positives = [], []
    for label in labels:
        if label["expect"] == "clean-file":
            hit = label["file"] in files_hit
        else:
            hit = any(start <= label["line"] <= end for start, end in spans.get(label["file"], ()))
        kind = "flag" if label["expect"] == "flag" else "clean"
        for axis in ("category", "lang"):
            per[axis][label[axis]][kind] += 1
            per[axis][label[axis]][kind + "_hit"] += hit
        if kind == "flag" and not hit:
            misses.append(label)
        elif kind == "clean" and hit:
            false_positives.append(label)
    flags = sum(1 for label in labels if label["expect"] == "flag")
    cleans = len(labels) - flags
    hits = flags - len(misses)
    return {
        "corpus": str(corpus), "min_level": min_level,
        "flag": flags, "flag_hit": hits, "recall": hits / flags if flags else 0.0,
        "clean": cleans, "clean_hit": len(false_positives),
        "fp_rate": len(false_positives) / cleans if cleans else 0.0,
        "by_category": {k: dict(v) for k, v in sorted(per["category"].items())},
        "by_lang": {k: dict(v) for k, v in sorted(per["lang"].items())},
        "misses": misses, "false_positives": false_positives,
    }


def _site(label: dict) -> str:
    where = label["file"] + (f":{label['line']}" if "line" in label else "")
    return f"  {where}  [{label['category']}] {label.get('note', '')}".rstrip()


def render(report: dict, details: bool) -> str:
    lines = [f"recall {report['flag_hit']}/{report['flag']} = {report['recall']:.1%}   "
             f"false positives {report['clean_hit']}/{report['clean']} = {report['fp_rate']:.1%}"]
    for axis in ("by_lang", "by_category"):
        lines.append(axis.replace("_", " ") + ":")
        for name, c in report[axis].items():
            lines.append(f"  {name:24} flag {c.get('flag_hit', 0):3}/{c.get('flag', 0):<3}  "
                         f"clean hit {c.get('clean_hit', 0):3}/{c.get('clean', 0)}")
    if details:
        lines.append("misses:")
        lines += [_site(label) for label in report["misses"]]
        lines.append("false positives:")
        lines += [_site(label) for label in report["false_positives"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", required=True, type=Path)
    parser.add_argument("--sarif", required=True, action="append", type=Path)
    parser.add_argument("--min-level", choices=["note", "warning", "error"], default="note")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--details", action="store_true")
    args = parser.parse_args(argv)
    report = score(args.corpus, args.sarif, args.min_level)
    print(json.dumps(report, indent=1) if args.json else render(report, args.details))
    return 0


if __name__ == "__main__":
    sys.exit(main())
