"""The development corpus (../shared/eval/dev): required categories are fully detected, and no
clean site of any category is flagged. Scored from our SARIF by the shared scorer as well. Its
Python files rewritten the way an evader would (tests/evasion_rewrites.py) are still flagged."""
import json
import runpy
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from backdoor_lint.config import Config
from backdoor_lint.engine import scan_bytes

sys.path.insert(0, str(Path(__file__).parent))
from evasion_rewrites import KINDS, rewritten  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"

pytestmark = pytest.mark.skipif(not (EVAL / "dev" / "labels.jsonl").is_file(), reason="shared eval corpus absent")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("eval") / "dev"
    runpy.run_path(str(EVAL / "materialize.py"))["materialize"](EVAL / "dev", dest)
    return dest


@pytest.fixture(scope="module")
def scan(corpus, tmp_path_factory):
    sarif = tmp_path_factory.mktemp("out") / "out.sarif"
    subprocess.run([sys.executable, "-m", "backdoor_lint", "scan", str(corpus), "--format", "sarif", "-o", str(sarif)],
                   capture_output=True, text=True, timeout=900)
    data = json.loads(sarif.read_text())
    spans: dict[str, list[tuple[int, int, str]]] = {}
    for result in data["runs"][0]["results"]:
        if result.get("suppressions"):
            continue
        location = result["locations"][0]["physicalLocation"]
        path = Path(location["artifactLocation"]["uri"]).resolve().relative_to(corpus.resolve()).as_posix() \
            if location["artifactLocation"]["uri"].startswith("/") else location["artifactLocation"]["uri"]
        region = location["region"]
        spans.setdefault(path.split(f"{corpus.name}/", 1)[-1], []).append(
            (region["startLine"], region.get("endLine", region["startLine"]), result["ruleId"]))
    return sarif, spans


def _labels():
    return [json.loads(line) for line in (EVAL / "dev" / "labels.jsonl").read_text().splitlines() if line.strip()]


def _hits(spans, label):
    return [code for start, end, code in spans.get(label["file"], []) if "line" in label and start <= label["line"] <= end]


def test_every_flag_site_is_hit(scan):
    _, spans = scan
    missed = [f"{label['file']}:{label['line']} [{label['category']}]" for label in _labels()
              if label["expect"] == "flag" and not _hits(spans, label)]
    assert not missed, "missed flag sites:\n" + "\n".join(missed)


def test_no_clean_site_is_flagged(scan):
    _, spans = scan
    false_positives = []
    for label in _labels():
        if label["expect"] == "clean" and _hits(spans, label):
            false_positives.append(f"{label['file']}:{label['line']} {_hits(spans, label)}")
        if label["expect"] == "clean-file" and spans.get(label["file"]):
            false_positives.append(f"{label['file']} (clean file) {spans[label['file']]}")
    assert not false_positives, "false positives:\n" + "\n".join(false_positives)


def test_shared_scorer_reads_our_sarif(scan, corpus):
    sarif, _ = scan
    result = subprocess.run([sys.executable, str(EVAL / "score.py"), "--corpus", str(corpus), "--sarif", str(sarif),
                             "--json"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    scores = json.loads(result.stdout)
    assert scores["sarif_stats"]["unmapped_locations"] == 0 and scores["sarif_stats"]["counted"] > 0
    assert scores["totals"]["flag_hit"] == scores["totals"]["flag"]
    assert scores["totals"]["clean_hit"] == 0


@pytest.mark.slow  # every flagged corpus file, rewritten and scanned again, per kind of rewrite
@pytest.mark.parametrize("kind", KINDS)
def test_rewritten_python_files_are_still_flagged(corpus, kind):
    """Rules are written from the attack, not from the corpus's spelling of it: the same files with
    their strings built at run time, their imports renamed or fetched with getattr must give every
    finding again. BDL70x are left out: they report characters the source shows, which the
    rewrites change."""
    files = sorted({label["file"] for label in _labels() if label["expect"] == "flag" and label["file"].endswith(".py")})
    lost = []
    for name in files:
        source = (corpus / name).read_text()
        mutant = rewritten(source, kind)
        if mutant == source:
            continue
        before = Counter(f.code for f in scan_bytes(name, source.encode(), Config()).findings
                         if not f.code.startswith("BDL70"))
        after = Counter(f.code for f in scan_bytes(name, mutant.encode(), Config()).findings)
        missing = {code: count - after[code] for code, count in before.items() if after[code] < count}
        if missing:
            lost.append(f"{name}: {missing}")
    assert not lost, f"findings lost when the files are rewritten ({kind}):\n" + "\n".join(lost)
