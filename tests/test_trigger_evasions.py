"""A trigger must never hide what its rule finds. Every Python INVALID example is rewritten the way
an evader would, without changing what the code does (tests/evasion_rewrites.py lists the
rewrites). Whenever the rule itself (run on the rewrite without its trigger) still reports it, the
engine must report it too.

Where the rule itself does not follow a rewrite, the case must be listed in KNOWN_GAPS with the
reason; the list is strict: a gap that is closed, or a new one, fails the test until the list is
updated, so it always says exactly what the rules miss."""
import hashlib
import sys
from pathlib import Path

import pytest
from backdoor_lint.checkers.base import ModuleContext
from backdoor_lint.checkers.registry import python_checkers
from backdoor_lint.checkers.tree import parse_module

from backdoor_lint.config import Config, config_from_table
from backdoor_lint.engine import check_bytes, scan_bytes

sys.path.insert(0, str(Path(__file__).parent))
from evasion_rewrites import KINDS, rewritten, sibling_module  # noqa: E402


def gap_key(example, kind: str) -> tuple[str, str, str]:
    """A case named by what it is, not by its position: code, rewrite, digest of the example."""
    return example.code, kind, hashlib.sha256(example.source.encode()).hexdigest()[:10]


_STRING_REWRITES = ("concat", "join", "reverse", "chr", "hex", "b64", "rot13")
KNOWN_GAPS = {
    ("BDL602", "from", "248258199f"): "`from flask.request import cookies` is not a valid program: the 'from' "
                                      "rewrite of an object's attribute has nothing to find",
    ("BDL602", "from", "19d4e6e2ae"): "`from flask.request import remote_addr` is not a valid program either",
    ("BDL605", "getattr", "73e1925b09"): "`getattr(stat, \"S_IRWXU\")` as a chmod mode: stat's constants are "
                                         "not evaluated through getattr",
    ("BDL403", "reverse", "0a1e9714ef"): "the rewrite reverses the reversed host back into a plain literal: the "
                                         "host is no longer hidden (the engine reports BDL406 instead)",
    ("BDL403", "rot13", "50d8b2881a"): "the rewrite decodes the rot13 host into a literal: no longer hidden",
    # `from flask import request; request.form` rewritten `from flask.request import form`: flask.request is
    # an object, not a module, so the rewrite is not a valid program (as for BDL602 above)
    **{(code, "from", digest): "`from flask.request import ...` is not a valid program: the 'from' rewrite of "
                               "the request object's attribute has nothing to find"
       for code, digest in (("BDL502", "375d1584b4"), ("BDL502", "1214bf6e22"), ("BDL502", "0c0cf8e451"),
                            ("BDL209", "1f054b202c"), ("BDL209", "d63854eb8a"), ("BDL209", "5150c4b94e"),
                            ("BDL209", "e5df74518b"), ("BDL209", "76e76008eb"), ("BDL505", "12a86a9464"),
                            ("BDL507", "ee2ad022f6"), ("BDL507", "46d95ae4b8"), ("BDL507", "1815fa3795"),
                            ("BDL507", "123b367863"), ("BDL505", "d949d56936"))},
    **{("BDL406", kind, digest): "the host is built at run time by the rewrite: reported as BDL403 (hidden "
                                 "destination), the stronger finding"
       for kind in _STRING_REWRITES for digest in ("273ac5e11b", "1eb0660a9a")},
}

CASES = [(checker, example, kind) for checker in python_checkers() for example in checker.INVALID
         if example.path.endswith(".py") for kind in KINDS if rewritten(example.source, kind) != example.source]


@pytest.mark.parametrize("checker,example,kind", CASES,
                         ids=[f"{c.__name__}-{'-'.join(gap_key(e, k))}" for c, e, k in CASES])
def test_trigger_sees_what_an_evader_rewrote(checker, example, kind):
    mutant = rewritten(example.source, kind)
    config = config_from_table(dict(example.config), "example", Path.cwd()) if example.config else Config()
    context = ModuleContext(example.path, mutant, parse_module(mutant))
    context.config = config
    context.run([checker(context)])
    by_rule = {(f.code, f.line) for f in context.findings if f.code == example.code}
    known_gap = KNOWN_GAPS.get(gap_key(example, kind))
    if not by_rule:
        assert known_gap, (f"{checker.__name__} no longer finds {example.code} once rewritten '{kind}' (a new gap: "
                           f"fix the rule, or list {gap_key(example, kind)} in KNOWN_GAPS with the reason):\n{mutant}")
        return
    assert not known_gap, f"{gap_key(example, kind)} is found now: remove it from KNOWN_GAPS"
    by_engine = {(f.code, f.line) for f in scan_bytes(example.path, mutant.encode(), config).findings}
    assert by_rule & by_engine, f"the trigger hides what {checker.__name__} finds in:\n{mutant}"


def test_every_known_gap_is_a_case():
    """A listed gap whose example or rewrite no longer exists is stale."""
    keys = {gap_key(example, kind) for _, example, kind in CASES}
    assert set(KNOWN_GAPS) <= keys, sorted(set(KNOWN_GAPS) - keys)


# Values imported from a sibling module of the scanned tree (the 'hoist' rewrite split into the file
# and a settings.py it imports with `from .settings import ...`): the finding must still be made, on
# the file or, where the value itself is the finding (a hard-coded secret), on settings.py. Strict
# like KNOWN_GAPS.
SIBLING_GAPS: dict[tuple[str, str, str], str] = {}
SIBLING_CASES = [(checker, example) for checker in python_checkers() for example in checker.INVALID
                 if example.path.endswith(".py") and not example.config and sibling_module(example.source)]


@pytest.mark.parametrize("checker,example", SIBLING_CASES,
                         ids=[f"{c.__name__}-{'-'.join(gap_key(e, 'sibling'))}" for c, e in SIBLING_CASES])
def test_values_imported_from_a_sibling_module_are_followed(checker, example, tmp_path):
    if not any(f.code == example.code for f in scan_bytes(example.path, example.source.encode(), Config()).findings):
        pytest.skip("the engine does not report the example itself (covered by the example tests)")
    code, settings = sibling_module(example.source)
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "settings.py").write_text(settings)
    name = example.path.rsplit("/", 1)[-1]
    (package / name).write_text(code)
    config = Config(root=tmp_path)
    found = [f for relpath in (f"pkg/{name}", "pkg/settings.py")
             for f in check_bytes(str(tmp_path / relpath), (tmp_path / relpath).read_bytes(), config, relpath).findings
             if f.code == example.code]
    gap = SIBLING_GAPS.get(gap_key(example, "sibling"))
    if not found:
        assert gap, f"{checker.__name__} loses {example.code} when the values come from settings.py " \
                    f"(list {gap_key(example, 'sibling')} in SIBLING_GAPS with the reason):\n{code}\n# settings.py\n{settings}"
        return
    assert not gap, f"{gap_key(example, 'sibling')} is found now: remove it from SIBLING_GAPS"


def test_every_sibling_gap_is_a_case():
    keys = {gap_key(example, "sibling") for _, example in SIBLING_CASES}
    assert set(SIBLING_GAPS) <= keys, sorted(set(SIBLING_GAPS) - keys)
