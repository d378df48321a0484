"""Issue 9: no catastrophic backtracking. Every regex of the project (checker TRIGGERs and other module
or class level patterns, suppression, language and config-glob regexes) is fed adversarial input
and must finish within a generous bound. This is a correctness bound (exponential or quadratic
backtracking takes minutes at these sizes), not a benchmark: the budget is calibrated on the machine
as it is loaded at that moment (a multiple of the time known-linear patterns take on the same input,
at least 2 s), so a busy 2-core CI runner does not turn a linear pattern into a failure. It is
enforced with SIGALRM, which interrupts the regex engine."""
from __future__ import annotations

import importlib
import pkgutil
import re
import signal
import sys
import time

import pytest

import backdoor_lint
from backdoor_lint.config import ConfigError, check_pattern, glob_to_regex
from backdoor_lint.robust import AnalysisTimeout, time_limit

SIZE = 100_000
PAIR_SIZE = 30_000


def _modules() -> list:
    found = []
    for info in pkgutil.walk_packages(backdoor_lint.__path__, "backdoor_lint."):
        if info.name.endswith("__main__"):
            continue
        try:
            found.append(importlib.import_module(info.name))
        except Exception:  # noqa: BLE001 - an optional integration whose dependency is missing
            continue
    return found


def _patterns_in(value, where: str, out: dict, depth: int = 0) -> None:
    if isinstance(value, re.Pattern):
        out.setdefault((value.pattern, value.flags), (where, value))
    elif depth < 2 and isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            _patterns_in(item, where, out, depth + 1)
    elif depth < 2 and isinstance(value, dict):
        for key, item in value.items():
            _patterns_in(item, f"{where}[{key!r}]", out, depth + 1)


def project_patterns() -> list[tuple[str, re.Pattern]]:
    out: dict = {}
    modules = _modules()
    for package in ("backdoor_lint.checkers", "backdoor_lint.hooks"):  # folders mapped from outside the package
        try:
            root = importlib.import_module(package)
        except ImportError:
            continue
        for info in pkgutil.walk_packages(root.__path__, package + "."):  # with subpackages (checkers.shell)
            try:
                modules.append(importlib.import_module(info.name))
            except Exception:  # noqa: BLE001
                continue
    for module in modules:
        for name, value in vars(module).items():
            _patterns_in(value, f"{module.__name__}.{name}", out)
            if isinstance(value, type) and value.__module__ == module.__name__:
                for attr, inner in vars(value).items():
                    _patterns_in(inner, f"{module.__name__}.{name}.{attr}", out)
    return sorted(out.values(), key=lambda item: item[0])


PATTERNS = project_patterns()

# The calibration of the budget: the time a known-linear pattern takes per character on a fixed
# text, measured when a test starts; whatever slows it down (a loaded machine) slows the pattern under
# test the same way.
_LINEAR = re.compile(r"\w+|\W+")
_REFERENCE_TEXT = "ab, cd.\n" * (SIZE // 8)
LINEAR_MULTIPLE = 400  # a pattern may be this much slower than a linear pass; backtracking is far slower


def seconds_per_char() -> float:
    start = time.perf_counter()
    for _ in _LINEAR.finditer(_REFERENCE_TEXT):
        pass
    return (time.perf_counter() - start) / len(_REFERENCE_TEXT)


def calibrated_budget(data, per_char: float) -> float:
    """Seconds a search/finditer/match of `data` may take on this machine right now."""
    return max(2.0, len(data) / 1_000_000, LINEAR_MULTIPLE * per_char * len(data))


def _literal_chars(pattern: re.Pattern) -> list[str]:
    source = pattern.pattern if isinstance(pattern.pattern, str) else pattern.pattern.decode("latin-1")
    chars = {c for c in source if c.isprintable()}
    return sorted(chars | {" ", "\t", "\n", "\r", "a", "0", "/", ".", "\u202e", "\xe2", "\x00"})


def adversarial_inputs(pattern: re.Pattern):
    """(label, text) pairs: long runs of every character the pattern mentions, alternations of
    pairs of them, and pumped prefixes of the project's own syntaxes."""
    chars = _literal_chars(pattern)
    for c in chars:
        yield f"{c!r}*{SIZE}", c * SIZE
    pumps = ["# backdoor-lint: ignore[", "# backdoor-lint:", "#!", "#!/usr/bin/env ", "from ", "from .", "import ",
             "def a(", "class A(", "a/", "a.", "**/", "RS", "HS1", "pub_", "<!--", "/*", "\\x", "jwt."]
    for pump in pumps:
        yield f"{pump!r}*n", pump * (SIZE // len(pump))
        yield f"{pump!r}+'a'*n", pump + "a" * SIZE
        yield f"{pump!r}+' '*n", pump + " " * SIZE
        yield f"{pump!r}+'.'*n+'!'", pump + "." * SIZE + "!"
    head = chars[:24]
    for i, a in enumerate(head):
        for b in head[i + 1:]:
            yield f"({a + b!r})*n", (a + b) * (PAIR_SIZE // 2)


def _coerce(pattern: re.Pattern, text: str):
    if isinstance(pattern.pattern, bytes):
        return text.encode("utf-8", "surrogatepass")
    return text


@pytest.mark.slow  # ~200 patterns, each on ~20 MB of adversarial text
@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="the time bound uses SIGALRM")
@pytest.mark.parametrize("where,pattern", PATTERNS, ids=[w for w, _ in PATTERNS])
def test_no_catastrophic_backtracking(where, pattern):
    per_char = seconds_per_char()
    for label, text in adversarial_inputs(pattern):
        data = _coerce(pattern, text)
        budget = calibrated_budget(data, per_char)
        try:
            with time_limit(budget, where):
                # finditer tries every start position, the first one being what match() tries and
                # its first result what search() finds: it covers both at a third of the cost
                for _ in pattern.finditer(data):
                    pass
        except AnalysisTimeout:
            pytest.fail(f"{where} /{pattern.pattern!r}/ took over {budget:g} s on {label} ({len(data)} chars): "
                        "catastrophic backtracking")


def test_patterns_were_found():
    wheres = " ".join(w for w, _ in PATTERNS)
    assert "TRIGGER" in wheres and "suppressions._SUPPRESSION" in wheres and "languages._SHEBANG" in wheres
    assert len(PATTERNS) >= 10


@pytest.mark.parametrize("glob", ["*" * 100, "a*" * 40 + "b", "?" * 200, "x" * 5000])
def test_hostile_globs_are_config_errors(glob):
    with pytest.raises(ConfigError):
        check_pattern(glob, "cfg.toml", "exclude")


@pytest.mark.parametrize("glob", ["**/*.py", "src/**/test_*.py", "a*b*c*d*e*f*g*h*", "**/**/**/**/**/x",
                                  "*/*/*/*/*/*/*/*", "?*?*?*?*?*?*?*", "**/a/**/b/**/c/**/d", "*a*a*a*a*a*a*a*a*b"])
def test_config_globs_match_hostile_paths_in_bounded_time(glob):
    """Config globs are user (or attacker) input: matching stays polynomial-small whatever the
    pattern and the path (longest real paths: 4096 bytes, 255 per segment)."""
    matcher = glob_to_regex(glob)
    paths = ["a" * 255, "a/" * 2000, ("a" * 254 + "/") * 16, "ab" * 127, "a/b/c/d/" * 500 + "x", "x" * 4096]
    per_char = seconds_per_char()
    for path in paths:
        with time_limit(calibrated_budget(path, per_char), f"glob {glob!r}"):
            matcher.match(path)


def test_the_budget_grows_with_the_linear_reference_time():
    """The budget follows the calibration: where a linear pass is slow (a loaded machine), the
    budget is proportionally larger; it never drops below 2 s."""
    assert calibrated_budget("a" * 100_000, 1e-6) == LINEAR_MULTIPLE * 1e-6 * 100_000
    assert calibrated_budget("a" * 100_000, 1e-9) == 2.0
    assert 0 < seconds_per_char() < 1e-3


def test_repeated_double_star_collapses():
    assert len(glob_to_regex("**/**/**/x").parts) == len(glob_to_regex("**/x").parts)


@pytest.mark.skipif(sys.platform != "linux", reason="signal-based budget")
def test_a_slow_trigger_in_a_checker_is_bdl902_not_a_hang(monkeypatch):
    """If a rule's regex ever did backtrack catastrophically on some file, the per-rule budget
    turns it into BDL902 for that file instead of hanging the scan."""
    from backdoor_lint.checkers.text_unicode import InvisibleText

    from backdoor_lint.config import Config
    from backdoor_lint.engine import scan_bytes

    evil = re.compile(r"(a+)+$")

    def check(self, text, display, language):
        evil.search(text)
        return []

    monkeypatch.setattr(InvisibleText, "check", check)
    result = scan_bytes("x.txt", ("\u202e" + "a" * 60 + "!").encode(), Config(timeout=1))
    assert [f.code for f in result.findings] == ["BDL902"]
    assert "InvisibleText" in result.findings[0].message
