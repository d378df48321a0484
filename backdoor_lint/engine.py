"""One scan: discovered files -> per-file checks (text, libcst) and semgrep -> raw results, which
the policy pipeline (backdoor_lint.policy) turns into the reported outcome.

Fail closed: a file that cannot be read, decoded or parsed is a BDL901 finding, a checker that
raises is a BDL902 finding; neither ever turns into "clean".
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import io
import os
import sys
import tokenize
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path

from backdoor_lint import policy
from backdoor_lint.config import Config
from backdoor_lint.discovery import Target, discover
from backdoor_lint.findings import Finding
from backdoor_lint.languages import SOURCE_LANGUAGES, language_for
from backdoor_lint.results import FileResult, ScanResult
from backdoor_lint.robust import (  # issue 9: fail-closed defences against hostile input
    RULE_SHARE,
    AnalysisTimeout,
    death_finding,
    file_timeout,
    hard_timeout,
    parse_python,
    run_supervised,
    time_limit,
    timeout_finding,
    too_deep_for_libcst,
)
from backdoor_lint.semgrep_targets import wanted
from backdoor_lint.suppressions import MARKER, parse_suppressions
from backdoor_lint.vendored import split_known

BUSY_POOL = 40  # this many files for our workers keep the cores busy while semgrep runs


@dataclass(frozen=True)
class RawScan:
    """Every file's raw results (policy.CheckedFile) and discovery's own findings, before the policy."""
    files: list[policy.CheckedFile]
    unattached: list[Finding]
    files_scanned: int
    known_vendored: tuple = ()  # vendored.KnownCopy: byte-identical published files, not analysed


def scan(paths: list[str], config: Config, jobs: int | None = None, cache=None, progress=None,
         baseline: policy.Baseline | None = None) -> ScanResult:
    """Scan `paths` and apply the policy (with `baseline`, if given). `cache` is a
    backdoor_lint.cache.ResultCache (None: no cache); `progress` is called as
    progress(files_done, files_total, findings_so_far) while the scan runs (issue 8)."""
    raw = collect(paths, config, jobs=jobs, cache=cache, progress=progress)
    result = policy.apply(raw.files, config, raw.files_scanned, unattached=raw.unattached, baseline=baseline)
    return dataclasses.replace(result, known_vendored=raw.known_vendored)


def collect(paths: list[str], config: Config, jobs: int | None = None, cache=None, progress=None) -> RawScan:
    """The raw results of every file under `paths`: per-file checks in workers, semgrep in its own
    process, each file's findings from both with the file's parsed suppressions."""
    targets, skipped = discover(paths, config)
    targets, known = split_known(targets)  # unmodified published libraries: reported, not analysed
    cached, tickets = _look_up(targets, cache)
    # semgrep runs in its own process while the workers check the files (issue 8)
    early = _start_semgrep(targets, cached, config) if config.semgrep else None
    try:
        results = _run(targets, cached, tickets, config, jobs, cache=cache, progress=progress)
        semgrep_findings = _semgrep(targets, results, config, cache, early) if config.semgrep else []
    finally:
        if early is not None:
            early.close()
    if cache is not None:
        cache.save()
    by_display: dict[str, list[Finding]] = {}
    for finding in semgrep_findings:
        by_display.setdefault(finding.path, []).append(finding)
    files = [policy.CheckedFile(target.display, target.relpath, result.findings + by_display.get(target.display, []),
                                result.suppressions)
             for target, result in zip(targets, results)]
    return RawScan(files, list(skipped), len(targets), tuple(known))


def _start_semgrep(targets: list[Target], cached: list, config: Config):
    """Start semgrep on the files it has rules for, as far as their names tell (a .js file, a
    Dockerfile, a workflow), among those the cache cannot answer for. The rest (e.g. a script
    recognised by its #! line) is checked after the per-file results are in. None (and the semgrep
    glue not even imported) when no name asks for semgrep."""
    early = []
    for target, hit in zip(targets, cached):
        if hit is None:
            language = language_for(target.display, b"")
            if wanted(target.display, language):
                early.append((target, language))
    if not early:
        return None
    from backdoor_lint.semgrep_runner import SemgrepTarget, start_scan

    early = [SemgrepTarget(display=target.display, relpath=target.relpath, language=language, path=Path(target.path))
             for target, language in early]
    # With a real workload for our own workers, semgrep gets one worker (they would compete for the
    # cores); a tree that is mostly JavaScript keeps semgrep's own parallelism.
    busy = sum(hit is None for hit in cached) - len(early) >= BUSY_POOL
    return start_scan(early, config, single=busy)


def _semgrep(targets: list[Target], results: list[FileResult], config: Config, cache, early) -> list[Finding]:
    """The raw semgrep findings of the scanned files: from the scan started early where it covered
    the file, from the cache where it has them for the file's current content, from one more
    semgrep process for the rest (normally none)."""
    if early is None and not any(wanted(t.display, r.language) for t, r in zip(targets, results)):
        return []  # nothing for semgrep: its glue stays unimported (a Python-only pre-commit run)
    from backdoor_lint.semgrep_runner import scan_targets, targets_for

    wanted_targets = targets_for(targets, results)
    wanted_displays = {t.display for t in wanted_targets}
    findings: list[Finding] = []
    covered: set[str] = set()
    if early is not None:
        started = early.result()
        covered = early.displays & wanted_displays  # the per-file checks have the last word on languages
        findings += [f for f in started.findings if f.path in covered]
    todo = []
    key = None
    if cache is not None:
        from backdoor_lint.cache import semgrep_key

        key = semgrep_key()
    for target in wanted_targets:
        if target.display in covered:
            continue
        stored = cache.semgrep_lookup(target.display, key) if cache is not None else None
        if stored is None:
            todo.append(target)
        else:
            findings += stored
    if todo:
        findings += scan_targets(todo, config).findings
    if cache is not None:
        by_file: dict[str, list[Finding]] = {display: [] for display in covered}
        by_file.update({t.display: [] for t in todo})
        for finding in findings:
            if finding.path in by_file:
                by_file[finding.path].append(finding)
        for display, file_findings in by_file.items():
            cache.semgrep_store(display, key, file_findings)
    return findings


def _look_up(targets: list[Target], cache) -> tuple[list, dict]:
    """The cached FileResult of each target (None where the cache cannot answer) and the
    cache's tickets for the misses. Done here in the parent, before any worker starts."""
    cached: list[FileResult | None] = [None] * len(targets)
    tickets: dict = {}
    if cache is not None:
        for index, target in enumerate(targets):
            hit, ticket = cache.lookup(target)
            if hit is not None:
                cached[index] = hit
            else:
                tickets[index] = ticket
    return cached, tickets


def _run(targets: list[Target], cached: list, tickets: dict, config: Config, jobs: int | None, cache=None,
         progress=None) -> list[FileResult]:
    """One FileResult per target, in target order: the cached ones, and the misses analysed each
    in a supervised worker process (issue 9: a file that kills or hangs its worker becomes
    BDL902, is never re-run here, and is never cached)."""
    results: list[FileResult | None] = list(cached)
    todo = [index for index, hit in enumerate(cached) if hit is None]
    state = {"done": len(targets) - len(todo), "findings": sum(len(hit.findings) for hit in cached if hit)}

    def tick() -> None:
        if progress is not None:
            progress(state["done"], len(targets), state["findings"])

    tick()
    if todo:
        # Each worker imports the checkers, so it gets two files at least; beyond that forked
        # workers are cheap (measured: 10 changed Django files 0.58 s in one worker, 0.47 s in
        # two; Flask's 24 files 0.82 -> 0.59 s).
        jobs = min(jobs or _default_jobs(), max(1, len(todo) // 2))

        def done(position: int, result: FileResult) -> None:
            index = todo[position]
            results[index] = result
            state["done"] += 1
            state["findings"] += len(result.findings)
            if cache is not None:
                cache.store(targets[index], tickets[index], result)
            tick()

        _preload([targets[i] for i in todo], config)
        work = functools.partial(scan_target, config=config, hashed=cache is not None)
        try:
            run_supervised([targets[i] for i in todo], work, jobs, hard_timeout(config),
                           _failed_target, on_result=done)
        finally:
            _DECIDED.clear()
    return results  # type: ignore[return-value]


def _preload(targets: list[Target], config: Config) -> None:
    """Import here, before the workers fork (robust.run_supervised), what every one of them would
    otherwise import again on its first file: the text checkers (with the shell analysis) and, if
    a file is named as Python, the trigger facts and the modules of the Python rules the files
    need (with libcst: about 0.5 s of CPU each time). Start-up is then paid once, whatever the
    number of workers, and not at all for rules no file wants."""
    try:
        from backdoor_lint.checkers.registry import checker_of, text_checkers

        text_checkers()
        import backdoor_lint.checkers.shell.analyser  # noqa: F401 - text_shell and text_embedded_shell import it on use
        python = [target for target in targets if language_for(target.display, b"") == "python"]
        if python:
            import backdoor_lint.checkers.trigger_facts  # noqa: F401

            for trigger in _triggers_needed(python, config):
                checker_of(trigger)
    except Exception:  # noqa: BLE001, S110 - a checker that cannot load fails in the workers: BDL902 per file
        pass


# Up to this many Python files, the parent asks their triggers which rule modules to import (an
# ast parse and the trigger facts, a few ms a file); a larger tree wants nearly every rule.
PRELOAD_DECIDED_FILES = 24
# What the parent found for those files, (display, bytes) -> (ast tree, parse findings, triggers):
# the forked workers inherit it and do not parse the file with ast or compute its facts again.
_DECIDED: dict[tuple[str, bytes], tuple] = {}


def _triggers_needed(targets: list[Target], config: Config) -> list[type]:
    from backdoor_lint.checkers.registry import python_triggers

    _DECIDED.clear()  # one scan's: another scan may have another root or config
    if len(targets) > PRELOAD_DECIDED_FILES:
        return list(python_triggers())
    needed: set[type] = set()
    for target in targets:
        try:
            with time_limit(file_timeout(config), "the trigger stage"), _scanned_code_warnings_ignored(), \
                    open(target.path, "rb") as handle:
                data = handle.read(config.max_file_size + 1)
                text, _ = decode(data, "python")
                if text is None or len(data) > config.max_file_size:
                    continue
                data = data if data.isascii() else text.encode("utf-8", "surrogatepass")
                tree, problems = parse_python(text, target.display)
                _tree_reads()  # nothing read so far belongs to this file
                triggered = _triggered(tree, data, target.display, config, target.relpath) if tree else []
                _DECIDED[(target.display, data)] = (tree, problems, triggered, _tree_reads())
                needed.update(triggered)
        except (Exception, AnalysisTimeout):  # noqa: BLE001 - the worker reports it; load every rule for it
            return list(python_triggers())
    return [trigger for trigger in python_triggers() if trigger in needed]


def _default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _failed_target(target: Target, reason: str) -> FileResult:
    return FileResult([death_finding(target.display, reason)])


def scan_target(target: Target, config: Config, hashed: bool = False) -> FileResult:
    """Read and check one discovered file (raw results, for the policy in the parent). With `hashed`, the result carries the SHA-256 of the
    bytes that were analysed (for the result cache)."""
    try:
        with open(target.path, "rb") as handle:
            data = handle.read(config.max_file_size + 1)
    except OSError as exc:
        return FileResult([Finding(target.display, 1, 1, "BDL901", f"cannot read file: {exc.strerror or exc}",
                                   engine="core")])
    if len(data) > config.max_file_size:  # grew after discovery: never analyse a truncated prefix
        return FileResult([Finding(target.display, 1, 1, "BDL903", f"file is over max-file-size "
                                   f"{config.max_file_size}; not analysed", severity="block", engine="core")])
    _tree_reads()  # left over from another file: not this one's
    result = check_bytes(target.display, data, config, relpath=target.relpath)
    result.dependencies = _tree_reads()
    if hashed:
        from backdoor_lint.cache import content_hash

        result.content_hash = content_hash(data)
    return result


@contextlib.contextmanager
def _scanned_code_warnings_ignored():
    """Evaluating the scanned code's literals (`ast.literal_eval`, libcst's `evaluated_value`)
    warns about *its* oddities (`"\\S"`: an invalid escape, a SyntaxWarning printed by default since
    Python 3.12); they are not the user's concern in our output."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def _tree_reads() -> dict[str, list[int] | None]:
    """The other files of the tree the checkers read since the last call (checkers/module_files.py),
    for the result cache: none if no checker that reads them was imported."""
    module = sys.modules.get("backdoor_lint.checkers.module_files")
    return module.take_reads() if module is not None else {}


def scan_bytes(display: str, data: bytes, config: Config, relpath: str | None = None,
               language: str | None = None) -> ScanResult:
    """Check one file's content as if it were at `display`, policy applied (the agent hook, tests)."""
    raw = check_bytes(display, data, config, relpath=relpath, language=language)
    return policy.apply_one(display, relpath if relpath is not None else display, raw.findings, raw.suppressions,
                            config)


def check_bytes(display: str, data: bytes, config: Config, relpath: str | None = None,
                language: str | None = None) -> FileResult:
    """The raw results of one file's content as if it were at `display`: every finding of the
    text and libcst checks, the file's valid inline suppressions, and BDL801 for invalid ones."""
    relpath = relpath if relpath is not None else display
    language = language or language_for(display, data[:8192])
    result = FileResult(language=language)
    if language == "binary":
        from backdoor_lint.languages import COMPILED_EXTENSIONS  # issue 9: compiled code is not "clean"

        if os.path.splitext(display)[1].lower() in COMPILED_EXTENSIONS:
            result.findings.append(Finding(display, 1, 1, "BDL903", "compiled code (bytecode or native library) "
                                           "cannot be analysed; not checked", engine="core"))
        return result
    findings: list[Finding] = []
    text: str | None = None
    budget = file_timeout(config)
    try:
        with time_limit(budget, "the analysis of this file"), _scanned_code_warnings_ignored():
            text, problem = decode(data, language)
            if problem:
                findings.append(Finding(display, problem[0], 1, "BDL901", problem[1], engine="core"))
            if text is not None and not data.isascii():
                # issue 9: byte triggers must see UTF-8 whatever the file's encoding (UTF-16 with BOM,
                # a PEP 263 cookie), or `j\0w\0t\0` and a UTF-16 bidi control would skip every rule.
                data = text.encode("utf-8", "surrogatepass")
            if text is not None:
                place = (os.path.abspath(os.path.join(str(config.root), relpath)), str(config.root))
                findings += _text_checks(text, data, display, language, budget * RULE_SHARE, place)
                if language == "python":
                    python_findings = _python_checks(text, data, display, config, relpath)
                    if problem:  # the parser read a text that is not the file's (NUL, replaced bytes):
                        # its failure has the same cause as the BDL901 above, reported once
                        python_findings = [f for f in python_findings if f.code != "BDL901"]
                    findings += python_findings
    except AnalysisTimeout as exc:
        findings.append(timeout_finding(display, exc))
    except RecursionError:
        findings.append(Finding(display, 1, 1, "BDL901", "file is nested too deeply to analyse", engine="core"))
    except MemoryError:
        findings.append(Finding(display, 1, 1, "BDL902", "analysis ran out of memory on this file; not analysed",
                                engine="core"))
    except Exception as exc:  # noqa: BLE001 - fail closed: an engine bug is a blocking finding
        findings.append(_internal_error(display, "scan", exc))
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: BLE001 - e.g. a Rust panic in libcst (pyo3 PanicException), SystemExit
        findings.append(_internal_error(display, "scan", exc))
    if MARKER in data and text is not None:
        result.suppressions, invalid = parse_suppressions(text, display, config.unsuppressible,
                                                          python=language == "python")
        findings += invalid
    result.findings = findings
    return result


def decode(data: bytes, language: str) -> tuple[str | None, tuple[int, str] | None]:
    """The file's text and, if it could not be decoded cleanly, (line, problem).

    Python honours PEP 263 coding cookies and BOMs; other source languages must be UTF-8 (or
    UTF-16/32 with a BOM); plain text files are decoded leniently so the text rules still run."""
    for boms, codec in (((b"\xff\xfe\0\0", b"\0\0\xfe\xff"), "utf-32"), ((b"\xff\xfe", b"\xfe\xff"), "utf-16")):
        if data.startswith(boms):
            try:
                return data.decode(codec), None
            except UnicodeDecodeError:
                pass
    if language == "python":
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        except SyntaxError as exc:
            return data.decode("utf-8", "replace"), (1, f"cannot determine source encoding: {exc.msg}")
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            return data.decode("utf-8", "replace"), (_line_of(data, exc), f"not valid {encoding}: {exc}")
        if "\0" in text:
            return text, (_line_of(data, None), "NUL byte in Python source; the file cannot be parsed")
        return text, None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", "replace")
        if language in SOURCE_LANGUAGES:
            return text, (_line_of(data, exc), f"not valid UTF-8 ({exc.reason} at byte {exc.start})")
        return text, None


def _line_of(data: bytes, exc: UnicodeDecodeError | None) -> int:
    offset = exc.start if isinstance(exc, UnicodeDecodeError) else data.find(b"\0")
    return data.count(b"\n", 0, max(offset, 0)) + 1


def _text_checks(text: str, data: bytes, display: str, language: str, rule_budget: float = 0,
                 place: tuple[str, str] | None = None) -> list[Finding]:
    from backdoor_lint.checkers.registry import text_checkers

    findings = []
    for checker in text_checkers():
        if checker.wants(data, language):
            try:
                with time_limit(rule_budget, checker.__name__):
                    instance = checker()
                    instance.path, instance.root = place or (None, None)  # (path on disk, scan root)
                    findings += instance.check(text, display, language)
            except AnalysisTimeout as exc:
                if exc.step != checker.__name__:
                    raise  # the whole file's budget expired
                findings.append(timeout_finding(display, exc))
            except RecursionError:
                raise
            except Exception as exc:  # noqa: BLE001
                findings.append(_internal_error(display, checker.__name__, exc))
    return findings


def _python_checks(text: str, data: bytes, display: str, config: Config, relpath: str) -> list[Finding]:
    from backdoor_lint.checkers.registry import checker_of

    # A file Python cannot parse is not "clean" even when no rule would look at it; one nested
    # deeper than libcst survives is BDL901 before libcst can crash or hang on it (issue 9).
    decided = _DECIDED.pop((display, data), None)  # the parent's, before the fork (_triggers_needed)
    if decided and decided[3]:
        from backdoor_lint.checkers.module_files import restore_reads

        restore_reads(decided[3])  # the files its trigger facts read, in the parent
    tree, problems = decided[:2] if decided else parse_python(text, display)
    if tree is None:
        return problems
    triggered = decided[2] if decided else _triggered(tree, data, display, config, relpath)
    wanted = [checker_of(t) for t in triggered]
    wanted = [c for c in wanted if any(config.enabled_for(relpath, code) for code in c.CODES)]
    if not wanted:
        return []
    problems = too_deep_for_libcst(tree, display)
    if problems:
        return problems
    import libcst

    from backdoor_lint.checkers.base import ModuleContext
    from backdoor_lint.checkers.tree import parse_module

    try:
        module = parse_module(text)
    except libcst.ParserSyntaxError as exc:
        return [Finding(display, exc.raw_line or 1, (exc.raw_column or 0) + 1, "BDL901",
                        f"Python syntax error, file not analysed: {exc.message}", engine="libcst")]
    context = ModuleContext(display, text, module)
    context.syntax_tree = tree  # (the same text's: positions one statement at a time)
    context.config = config  # rules with settings (BDL406 allowed-hosts) read them here
    context.root = str(config.root)
    context.path = os.path.abspath(os.path.join(context.root, relpath))
    checkers = []
    findings = []
    for checker_class in wanted:
        try:
            checkers.append(checker_class(context))
        except Exception as exc:  # noqa: BLE001
            findings.append(_internal_error(display, checker_class.__name__, exc))
    names = ", ".join(type(c).__name__ for c in checkers)
    try:
        with time_limit(file_timeout(config) * RULE_SHARE, names):
            context.run(checkers)
    except AnalysisTimeout as exc:
        if exc.step != names:
            raise
        findings.append(timeout_finding(display, exc))
    except RecursionError:
        raise
    except Exception as exc:  # noqa: BLE001
        findings.append(_internal_error(display, ", ".join(type(c).__name__ for c in checkers), exc))
    return findings + context.findings


def _triggered(tree, data: bytes, display: str, config: Config, relpath: str) -> list[type]:
    """The triggers (checkers/triggers/) of the enabled Python rules that want this file, decided
    before any rule module, or libcst, is imported (issue 19)."""
    from backdoor_lint.checkers.registry import python_triggers
    from backdoor_lint.checkers.trigger_facts import python_facts

    root = str(config.root)
    facts = python_facts(data, tree, os.path.abspath(os.path.join(root, relpath)), root)
    return [t for t in python_triggers() if t.wants_module(facts, data, display)]


def _internal_error(display: str, step: str, exc: BaseException) -> Finding:
    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f" at {os.path.basename(frame.filename)}:{frame.lineno}" if frame else ""
    return Finding(display, 1, 1, "BDL902", f"{step} failed on this file: {type(exc).__name__}: {exc}{where}",
                   engine="core")
