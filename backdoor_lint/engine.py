"""One scan: discovered files -> per-file checks (text, libcst) -> suppressions and policy.

Fail closed: a file that cannot be read, decoded or parsed is a BDL901 finding, a checker that
raises is a BDL902 finding; neither ever turns into "clean".
"""
from __future__ import annotations

import ast
import io
import os
import tokenize
import traceback
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from backdoor_lint.config import Config
from backdoor_lint.discovery import Target, discover
from backdoor_lint.findings import Finding, assign_fingerprints
from backdoor_lint.languages import SOURCE_LANGUAGES, language_for
from backdoor_lint.suppressions import MARKER, Suppression, apply_suppressions, parse_suppressions

PARALLEL_THRESHOLD = 40  # below this many files a process pool costs more than it saves


@dataclass
class FileResult:
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[tuple[Finding, Suppression]] = field(default_factory=list)
    language: str = ""


@dataclass
class ScanResult:
    findings: list[Finding]
    suppressed: list[tuple[Finding, Suppression]]
    files_scanned: int

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]


def scan(paths: list[str], config: Config, jobs: int | None = None) -> ScanResult:
    targets, skipped = discover(paths, config)
    results = _run(targets, config, jobs)
    findings = [f for f in skipped if config.enabled(f.code)]
    suppressed = []
    for result in results:
        findings += result.findings
        suppressed += result.suppressed
    return finish(findings, suppressed, len(targets), config)


def finish(findings: list[Finding], suppressed: list, files: int, config: Config) -> ScanResult:
    for finding in findings:
        finding.severity = config.severity_of(finding.code, finding.severity)
    findings.sort(key=Finding.sort_key)
    assign_fingerprints(findings)
    return ScanResult(findings=findings, suppressed=suppressed, files_scanned=files)


def _run(targets: list[Target], config: Config, jobs: int | None) -> list[FileResult]:
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(targets) < PARALLEL_THRESHOLD:
        return [scan_target(t, config) for t in targets]
    chunk = max(1, len(targets) // (jobs * 8))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(scan_target, targets, [config] * len(targets), chunksize=chunk))


def scan_target(target: Target, config: Config) -> FileResult:
    try:
        with open(target.path, "rb") as handle:
            data = handle.read(config.max_file_size + 1)
    except OSError as exc:
        return FileResult([Finding(target.display, 1, 1, "BDL901", f"cannot read file: {exc.strerror or exc}",
                                   engine="core")])
    return scan_bytes(target.display, data, config, relpath=target.relpath)


def scan_bytes(display: str, data: bytes, config: Config, relpath: str | None = None,
               language: str | None = None) -> FileResult:
    """Check one file's content as if it were at `display`. Used by scans and by the agent hook."""
    relpath = relpath if relpath is not None else display
    language = language or language_for(display, data[:8192])
    result = FileResult(language=language)
    if language == "binary":
        return result
    findings: list[Finding] = []
    text: str | None = None
    try:
        text, problem = decode(data, language)
        if problem:
            findings.append(Finding(display, problem[0], 1, "BDL901", problem[1], engine="core"))
        if text is not None:
            findings += _text_checks(text, data, display, language)
            if language == "python":
                findings += _python_checks(text, data, display, config, relpath)
    except RecursionError:
        findings.append(Finding(display, 1, 1, "BDL901", "file is nested too deeply to analyse", engine="core"))
    except Exception as exc:  # noqa: BLE001 - fail closed: an engine bug is a blocking finding
        findings.append(_internal_error(display, "scan", exc))
    findings = [f for f in findings if config.enabled_for(relpath, f.code)]
    suppressions: list[Suppression] = []
    if MARKER in data and text is not None:
        suppressions, invalid = parse_suppressions(text, display)
        findings += [f for f in invalid if config.enabled_for(relpath, f.code)]
    result.findings, result.suppressed = apply_suppressions(findings, suppressions)
    return result


def decode(data: bytes, language: str) -> tuple[str | None, tuple[int, str] | None]:
    """The file's text and, if it could not be decoded cleanly, (line, problem).

    Python honours PEP 263 coding cookies and BOMs; other source languages must be UTF-8 (or
    UTF-16/32 with a BOM); plain text files are decoded leniently so the text rules still run."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
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


def _text_checks(text: str, data: bytes, display: str, language: str) -> list[Finding]:
    from backdoor_lint.checkers.registry import text_checkers

    findings = []
    for checker in text_checkers():
        if checker.wants(data, language):
            try:
                findings += checker().check(text, display, language)
            except RecursionError:
                raise
            except Exception as exc:  # noqa: BLE001
                findings.append(_internal_error(display, checker.__name__, exc))
    return findings


def _python_checks(text: str, data: bytes, display: str, config: Config, relpath: str) -> list[Finding]:
    from backdoor_lint.checkers.registry import python_checkers

    wanted = [c for c in python_checkers() if c.wants(data, display)
              and any(config.enabled_for(relpath, code) for code in c.CODES)]
    if not wanted:
        # Nothing to look for, but a file Python cannot parse is still not "clean".
        return _syntax_check(text, display)
    import libcst

    from backdoor_lint.checkers.base import ModuleContext

    try:
        module = libcst.parse_module(text)
    except libcst.ParserSyntaxError as exc:
        return [Finding(display, exc.raw_line or 1, (exc.raw_column or 0) + 1, "BDL901",
                        f"Python syntax error, file not analysed: {exc.message}", engine="libcst")]
    context = ModuleContext(display, text, module)
    context.config = config  # rules with settings (BDL406 allowed-hosts) read them here
    checkers = []
    findings = []
    for checker_class in wanted:
        try:
            checkers.append(checker_class(context))
        except Exception as exc:  # noqa: BLE001
            findings.append(_internal_error(display, checker_class.__name__, exc))
    try:
        context.wrapper.visit_batched(checkers)
    except RecursionError:
        raise
    except Exception as exc:  # noqa: BLE001
        findings.append(_internal_error(display, ", ".join(type(c).__name__ for c in checkers), exc))
    return findings + context.findings


def _syntax_check(text: str, display: str) -> list[Finding]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarnings of the scanned code are not ours
            ast.parse(text, filename=display)
    except SyntaxError as exc:
        return [Finding(display, exc.lineno or 1, exc.offset or 1, "BDL901",
                        f"Python syntax error, file not analysed: {exc.msg}", engine="core")]
    except (ValueError, MemoryError) as exc:
        return [Finding(display, 1, 1, "BDL901", f"file cannot be parsed: {exc}", engine="core")]
    return []


def _internal_error(display: str, step: str, exc: BaseException) -> Finding:
    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f" at {os.path.basename(frame.filename)}:{frame.lineno}" if frame else ""
    return Finding(display, 1, 1, "BDL902", f"{step} failed on this file: {type(exc).__name__}: {exc}{where}",
                   engine="core")
