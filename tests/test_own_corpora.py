"""The project's own labelled corpora (eval/python-apps, eval/multi-lang) are well-formed, and the
small scorer and SARIF conversion in eval/ follow LABELS.md's matching rules. No recall figures are
asserted here: eval/measure.py reports them."""
import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYTHON_APPS = ROOT / "eval" / "python-apps"
MULTI_LANG = ROOT / "eval" / "multi-lang"
CORPORA = [PYTHON_APPS, MULTI_LANG]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"eval_{name}", ROOT / "eval" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


score = _load("score")
measure = _load("measure")

GRAMMARS = {  # suffix -> (module, function returning the language)
    ".js": ("tree_sitter_javascript", "language"), ".mjs": ("tree_sitter_javascript", "language"),
    ".jsx": ("tree_sitter_javascript", "language"), ".ts": ("tree_sitter_typescript", "language_typescript"),
    ".tsx": ("tree_sitter_typescript", "language_tsx"), ".go": ("tree_sitter_go", "language"),
    ".java": ("tree_sitter_java", "language"),
}


def counts(corpus: Path) -> Counter:
    return Counter((label["lang"], label["expect"]) for label in score.read_labels(corpus))


@pytest.mark.parametrize("corpus", CORPORA, ids=lambda p: p.name)
def test_every_label_points_at_an_existing_non_blank_line(corpus):
    labels = score.read_labels(corpus)  # raises on bad expect, category, lang or line type
    seen = {}
    for label in labels:
        path = corpus / label["file"]
        assert path.is_file(), label
        if label["expect"] == "clean-file":
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        assert 1 <= label["line"] <= len(lines), label
        assert lines[label["line"] - 1].strip(), label
        key = (label["file"], label["line"])
        assert seen.setdefault(key, label["expect"]) == label["expect"], f"flag and clean on one line: {key}"
        if label["expect"] == "flag":
            assert label.get("note"), f"a flag label says why it is dangerous: {key}"


@pytest.mark.parametrize("corpus", CORPORA, ids=lambda p: p.name)
def test_clean_files_are_not_also_flagged(corpus):
    labels = score.read_labels(corpus)
    clean_files = {label["file"] for label in labels if label["expect"] == "clean-file"}
    assert not clean_files & {label["file"] for label in labels if label["expect"] == "flag"}


@pytest.mark.parametrize("corpus", CORPORA, ids=lambda p: p.name)
def test_no_authoring_marker_is_left_in_the_sources(corpus):
    for path in corpus.rglob("*"):
        if path.is_file() and path.suffix != ".pyc" and path.name != "labels.jsonl":
            text = path.read_text(encoding="utf-8")
            assert not any(marker in text for marker in ("#@F ", "//@F ", "#@C ", "//@C ", "@CF ")), path


def test_python_corpus_meets_the_issue_15_minimums():
    c = counts(PYTHON_APPS)
    assert {lang for lang, _ in c} == {"python"}
    assert c["python", "flag"] >= 150
    assert c["python", "clean"] >= 150


def test_multi_language_corpus_meets_the_issue_16_minimums_per_language():
    c = counts(MULTI_LANG)
    merged = Counter()
    for (lang, expect), n in c.items():
        merged[("javascript/typescript" if lang in ("javascript", "typescript") else lang), expect] += n
    for lang in ("javascript/typescript", "go", "java"):
        assert merged[lang, "flag"] >= 60, lang
        assert merged[lang, "clean"] + merged[lang, "clean-file"] >= 60, lang


@pytest.mark.parametrize("path", sorted(PYTHON_APPS.rglob("*.py")), ids=lambda p: p.relative_to(PYTHON_APPS).as_posix())
def test_every_python_file_compiles(path):
    compile(path.read_bytes(), str(path), "exec", dont_inherit=True)


def _error_nodes(node, found):
    if node.type == "ERROR" or node.is_missing:
        found.append((node.start_point[0] + 1, node.type))
    for child in node.children:
        _error_nodes(child, found)
    return found


@pytest.mark.parametrize("path", sorted(p for p in MULTI_LANG.rglob("*") if p.suffix in GRAMMARS),
                         ids=lambda p: p.relative_to(MULTI_LANG).as_posix())
def test_every_javascript_typescript_go_java_file_parses(path):
    tree_sitter = pytest.importorskip("tree_sitter")
    module_name, function = GRAMMARS[path.suffix]
    grammar = pytest.importorskip(module_name)
    parser = tree_sitter.Parser(tree_sitter.Language(getattr(grammar, function)()))
    assert _error_nodes(parser.parse(path.read_bytes()).root_node, []) == []


# --------------------------------------------------------------------------- the scorer

def _sarif(results, rules=()):
    return {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "t", "rules": list(rules)}}, "results": results}]}


def _result(uri, start, end=None, level=None, **extra):
    region = {"startLine": start} | ({"endLine": end} if end else {})
    result = {"ruleId": "R1", "message": {"text": "m"},
              "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": region}}]}
    return result | ({"level": level} if level else {}) | extra


@pytest.fixture
def tiny(tmp_path):
    corpus = tmp_path / "c"
    (corpus / "pkg").mkdir(parents=True)
    (corpus / "pkg" / "a.py").write_text("x = 1\ny = 2\nz = 3\nw = 4\n")
    (corpus / "pkg" / "b.py").write_text("ok = True\n")
    labels = [
        {"file": "pkg/a.py", "line": 2, "expect": "flag", "category": "weak-crypto", "lang": "python", "note": "n"},
        {"file": "pkg/a.py", "line": 4, "expect": "flag", "category": "exfiltration", "lang": "python", "note": "n"},
        {"file": "pkg/a.py", "line": 1, "expect": "clean", "category": "weak-crypto", "lang": "python"},
        {"file": "pkg/b.py", "expect": "clean-file", "category": "other", "lang": "python"},
    ]
    (corpus / "labels.jsonl").write_text("\n".join(json.dumps(label) for label in labels) + "\n")
    return corpus


def _score(corpus, results, tmp_path, min_level="note", rules=()):
    sarif = tmp_path / "r.sarif"
    sarif.write_text(json.dumps(_sarif(results, rules)))
    return score.score(corpus, [sarif], min_level)


def test_a_region_covering_the_line_hits_and_a_neighbouring_line_does_not(tiny, tmp_path):
    report = _score(tiny, [_result("pkg/a.py", 2, 3), _result("pkg/a.py", 3)], tmp_path)
    assert (report["flag_hit"], report["flag"], report["clean_hit"]) == (1, 2, 0)
    assert report["by_category"]["exfiltration"] == {"flag": 1, "flag_hit": 0}


def test_a_finding_on_a_clean_line_or_anywhere_in_a_clean_file_is_a_false_positive(tiny, tmp_path):
    report = _score(tiny, [_result("pkg/a.py", 1), _result("pkg/b.py", 1)], tmp_path)
    assert (report["clean_hit"], report["clean"]) == (2, 2)


@pytest.mark.parametrize("uri", ["file://{corpus}/pkg/a.py", "{corpus}/pkg/a.py", "./pkg/a.py", "elsewhere/c/pkg/a.py",
                                 "pkg/a%2Epy"])
def test_result_paths_in_every_usual_form_map_onto_the_corpus_file(tiny, tmp_path, uri):
    report = _score(tiny, [_result(uri.format(corpus=tiny.resolve()), 2)], tmp_path)
    assert report["flag_hit"] == 1


def test_suppressed_absent_non_fail_and_below_level_results_do_not_count(tiny, tmp_path):
    results = [_result("pkg/a.py", 2, suppressions=[{"kind": "inSource"}]),
               _result("pkg/a.py", 2, baselineState="absent"),
               _result("pkg/a.py", 2, kind="pass"),
               _result("pkg/a.py", 2, level="none"),
               _result("pkg/a.py", 4, level="note")]
    assert _score(tiny, results, tmp_path)["flag_hit"] == 1
    assert _score(tiny, results, tmp_path, min_level="warning")["flag_hit"] == 0


def test_the_level_falls_back_to_the_rules_default(tiny, tmp_path):
    rules = [{"id": "R1", "defaultConfiguration": {"level": "error"}}]
    assert _score(tiny, [_result("pkg/a.py", 2)], tmp_path, "error", rules)["flag_hit"] == 1
    assert _score(tiny, [_result("pkg/a.py", 2)], tmp_path, "error")["flag_hit"] == 0  # default: warning


def test_a_malformed_label_is_refused(tiny):
    with open(tiny / "labels.jsonl", "a") as fh:
        fh.write(json.dumps({"file": "pkg/a.py", "line": 1, "expect": "flag", "category": "backdoor", "lang": "python"}))
    with pytest.raises(ValueError, match="unknown category"):
        score.read_labels(tiny)


def test_bandit_json_is_converted_to_sarif_the_scorer_reads(tiny, tmp_path):
    report = {"results": [{"filename": str(tiny / "pkg" / "a.py"), "line_number": 2, "line_range": [2, 3],
                           "test_id": "B303", "issue_severity": "MEDIUM", "issue_text": "md5"}]}
    sarif = tmp_path / "bandit.sarif"
    sarif.write_text(json.dumps(measure.bandit_json_to_sarif(report)))
    scored = score.score(tiny, [sarif])
    assert (scored["flag_hit"], scored["clean_hit"]) == (1, 0)
