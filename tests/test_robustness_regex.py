"""Issue 9: no catastrophic backtracking. Every regex of the project (checker TRIGGERs and other module
or class level patterns, suppression, language and config-glob regexes) is fed adversarial input
(long runs of every character it mentions, pumped prefixes of the project's own syntaxes,
alternations of pairs of characters) at two sizes eight times apart, and its cost must grow
linearly: one pass over the larger may take at most MAX_GROWTH times as long as eight passes over
the smaller (the same number of characters). A linear pattern takes about the same time for both,
a quadratic one eight times as long for the larger, and an exponential one never finishes (a
processor-time limit stops it). Both sides are processor time of this thread, measured the same way
a moment apart (a suspect result is measured again), so a loaded machine slows both alike and
cannot fail a linear pattern; nothing is compared with a wall clock."""
from __future__ import annotations

import gc
import importlib
import pkgutil
import re
import signal
import sys
import time
from contextlib import contextmanager

import pytest
from backdoor_lint.checkers import fast_search

import backdoor_lint
from backdoor_lint.config import ConfigError, check_pattern, glob_to_regex
from backdoor_lint.robust import AnalysisTimeout

SMALL = 256  # characters of the smaller input; far above every bounded repeat ({0,200} at most)
GROWTH = 8  # the larger input is this many times longer
MAX_GROWTH = 3.0  # linear: ~1; quadratic: ~GROWTH (8); cubic or exponential: far more
REPEATS = 3  # measurements before an input counts as superlinear (the smallest time of each side)
CPU_LIMIT = 5.0  # processor seconds one input may take: the slowest linear pattern needs 0.1 s


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
    if isinstance(value, re.Pattern) and value.pattern is None:
        return  # a relaxed form in fast_search's memo (compiled from a parse tree): run as a _SearchedFast
    if isinstance(value, re.Pattern):
        out.setdefault((value.pattern, value.flags), (where, value))
        if fast_search.relaxed_form(value) is not None:
            out.setdefault((value.pattern, value.flags, "fast"), (f"{where} (fast_search)", _SearchedFast(value)))
    elif depth < 2 and isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            _patterns_in(item, where, out, depth + 1)
    elif depth < 2 and isinstance(value, dict):
        for key, item in value.items():
            _patterns_in(item, f"{where}[{key!r}]", out, depth + 1)


class _SearchedFast:
    """A pattern compiled by checkers/fast_search.py as `fast_search.search` runs it (its relaxed
    form first, then the pattern itself at each position where that one matches): each pass of
    `finditer` is one such search, which over a text without a match tries every position."""

    def __init__(self, pattern: re.Pattern) -> None:
        self.pattern, self.flags, self._compiled = pattern.pattern, pattern.flags, pattern

    def finditer(self, data):
        found = fast_search.search(self._compiled, data)
        return [found] if found is not None else []


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


@contextmanager
def cpu_time_limit(seconds: float, where: str):
    """Raise AnalysisTimeout once this process has used `seconds` of processor time (SIGPROF, which
    interrupts the regex engine like SIGALRM does; time spent waiting for the processor not counted)."""
    def expire(signum, frame):
        raise AnalysisTimeout(where, seconds)

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def cpu_seconds(pattern: re.Pattern, data, passes: int) -> float:
    """Processor time of `passes` finditer runs over `data`. finditer tries every start position, the
    first one being what match() tries and its first result what search() finds: it covers both."""
    start = time.thread_time()
    for _ in range(passes):
        for _ in pattern.finditer(data):
            pass
    return time.thread_time() - start


# The budget of the config-glob test: the processor time a known-linear pattern takes per
# character on a fixed text, measured when the test starts; whatever slows it down (another
# process sharing the core's caches) slows the pattern under test the same way.
_LINEAR = re.compile(r"\w+|\W+")
_REFERENCE_TEXT = "ab, cd.\n" * 12_500
LINEAR_MULTIPLE = 400  # a pattern may be this much slower than a linear pass; backtracking is far slower


def seconds_per_char() -> float:
    return cpu_seconds(_LINEAR, _REFERENCE_TEXT, 1) / len(_REFERENCE_TEXT)


def calibrated_budget(data, per_char: float) -> float:
    """Processor seconds a search/finditer/match of `data` may take on this machine right now."""
    return max(2.0, len(data) / 1_000_000, LINEAR_MULTIPLE * per_char * len(data))


def _literal_chars(pattern: re.Pattern) -> list[str]:
    source = pattern.pattern if isinstance(pattern.pattern, str) else pattern.pattern.decode("latin-1")
    chars = {c for c in source if c.isprintable()}
    return sorted(chars | {" ", "\t", "\n", "\r", "a", "0", "/", ".", "\u202e", "\xe2", "\x00"})


def adversarial_inputs(pattern: re.Pattern, n: int):
    """(label, text) pairs of about `n` characters: long runs of every character the pattern
    mentions, alternations of pairs of them, and pumped prefixes of the project's own syntaxes."""
    chars = _literal_chars(pattern)
    for c in chars:
        yield f"{c!r}*n", c * n
    pumps = ["# backdoor-lint: ignore[", "# backdoor-lint:", "#!", "#!/usr/bin/env ", "from ", "from .", "import ",
             "def a(", "class A(", "a/", "a.", "**/", "RS", "HS1", "pub_", "<!--", "/*", "\\x", "jwt."]
    for pump in pumps:
        yield f"{pump!r}*n", pump * (n // len(pump))
        yield f"{pump!r}+'a'*n", pump + "a" * n
        yield f"{pump!r}+' '*n", pump + " " * n
        yield f"{pump!r}+'.'*n+'!'", pump + "." * n + "!"
    head = chars[:24]
    for i, a in enumerate(head):
        for b in head[i + 1:]:
            yield f"({a + b!r})*n", (a + b) * (n // 2)


def _coerce(pattern: re.Pattern, text: str):
    if isinstance(pattern.pattern, bytes):
        return text.encode("utf-8", "surrogatepass")
    return text


def grows_faster_than_linearly(pattern: re.Pattern, small, large) -> tuple[bool, float, float]:
    """Whether one pass over `large` costs more than MAX_GROWTH times len(large) / len(small) passes
    over `small` (the same number of characters: a linear pattern takes about the same time for
    both), with the two processor times. A first measurement that says so is checked again: each
    time is the smallest of up to REPEATS, taken alternately."""
    passes = round(len(large) / len(small))
    large_time = small_time = float("inf")
    for _ in range(REPEATS):
        small_time = min(small_time, cpu_seconds(pattern, small, passes))
        large_time = min(large_time, cpu_seconds(pattern, large, 1))
        if large_time <= MAX_GROWTH * small_time + RESOLUTION:
            return False, large_time, small_time
    return True, large_time, small_time


# Below this many processor seconds a difference is the clock's and the cache's, not the pattern's
# (a quadratic pattern spends milliseconds at SMALL * GROWTH characters).
RESOLUTION = 100e-6


def superlinear_inputs(pattern: re.Pattern, where: str) -> list[str]:
    """The inputs on which `pattern`'s processor time grows faster than linearly with their length."""
    found = []
    gc_was_enabled = gc.isenabled()
    gc.disable()  # a collection inside one timing is not the pattern's cost
    try:
        for (label, small), (_, large) in zip(adversarial_inputs(pattern, SMALL),
                                              adversarial_inputs(pattern, SMALL * GROWTH), strict=True):
            try:
                with cpu_time_limit(CPU_LIMIT, where):
                    faster, large_time, small_time = grows_faster_than_linearly(
                        pattern, _coerce(pattern, small), _coerce(pattern, large))
            except AnalysisTimeout:
                found.append(f"{label}: over {CPU_LIMIT:g} processor seconds at {len(large)} characters")
                break  # exponential: each further input would cost the whole limit again
            if faster:
                found.append(f"{label}: {large_time * 1e3:.2f} ms at {len(large)} characters, "
                             f"{small_time * 1e3:.2f} ms for the same length in pieces of {len(small)}")
    finally:
        if gc_was_enabled:
            gc.enable()
    return found


@pytest.mark.slow  # ~200 patterns, each on ~400 inputs of 256 and 2,048 characters
@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="the processor-time limit uses SIGPROF")
@pytest.mark.parametrize("where,pattern", PATTERNS, ids=[w for w, _ in PATTERNS])
def test_no_catastrophic_backtracking(where, pattern):
    superlinear = superlinear_inputs(pattern, where)
    assert not superlinear, (f"{where} /{pattern.pattern!r}/ grows faster than linearly (catastrophic "
                             "backtracking) on:\n" + "\n".join(superlinear[:10]))


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
        with cpu_time_limit(calibrated_budget(path, per_char), f"glob {glob!r}"):
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
