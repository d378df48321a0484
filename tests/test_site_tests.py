"""The rules' site tests (PythonTrigger.has_site, checkers/triggers/sites.py) may only skip files no
rule could report on: with them on and off, every corpus of this repository and every Python
example of every rule gives the same findings. (benchmarks/site_tests_differential.py does the
same on the benchmark trees.)"""
from pathlib import Path

import pytest
from backdoor_lint.checkers import triggers
from backdoor_lint.checkers.registry import python_checkers

from backdoor_lint.config import Config, config_from_table
from backdoor_lint.engine import scan_bytes

REPO = Path(__file__).resolve().parent.parent
CORPORA = [REPO / "eval" / "python-apps", REPO / "eval" / "multi-lang", REPO / "tests"]


def _findings(display: str, source: bytes, config: Config, site_tests: bool) -> set[tuple]:
    triggers.SITE_TESTS_ON = site_tests
    try:
        return {(f.line, f.code, f.message) for f in scan_bytes(display, source, config).findings}
    finally:
        triggers.SITE_TESTS_ON = True


def _examples():
    for checker in python_checkers():
        for example in checker.INVALID + checker.VALID:
            if example.path.endswith(".py"):
                yield checker.__name__, example


EXAMPLES = list(_examples())


@pytest.mark.parametrize("name,example", EXAMPLES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(EXAMPLES)])
def test_site_tests_change_no_finding_of_an_example(name, example):
    config = config_from_table(dict(example.config), "example", Path.cwd()) if example.config else Config()
    source = example.source.encode()
    assert _findings(example.path, source, config, True) == _findings(example.path, source, config, False)


CORPUS_FILES = sorted(path for corpus in CORPORA for path in corpus.rglob("*.py"))


@pytest.mark.parametrize("path", CORPUS_FILES, ids=[str(p.relative_to(REPO)) for p in CORPUS_FILES])
def test_site_tests_change_no_finding_in_the_corpora(path):
    source = path.read_bytes()
    config = Config(root=path.parent)
    assert _findings(str(path), source, config, True) == _findings(str(path), source, config, False)
