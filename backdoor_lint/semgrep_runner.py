"""The semgrep engine: backdoor-lint's own rules (package data `backdoor_lint.semgrep_rules`) for
Go, Java, shell, GitHub Actions workflows, Dockerfiles and package.json (JavaScript/TypeScript are
the tree-sitter analysis' alone; a language no bundled rule covers is never given to semgrep).

One semgrep process per scan for every target that has rules. Rules are loaded only from the
installed package data; `--metrics=off`, no registry, no network, `--disable-nosem` (a
`// nosemgrep` comment written by the code under review must not switch our rules off).

The fast path is `semgrep scan --experimental` (the OCaml CLI, ~0.3 s start-up instead of ~3 s for
the Python wrapper); if it fails to produce a usable report, the plain CLI runs the same scan. Names
its language detection leaves out (`jquery.min.js`, `x.d.ts`) are staged under another name, so the
fast path scans them too; any file it still leaves out is scanned again by the plain CLI.

Fail closed: semgrep missing, crashing, timing out, a rule error, or a file it did not report as
scanned gives BDL902 on each affected file; a syntax error gives BDL901 on that file.
"""
from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath

from backdoor_lint.catalogue import SEVERITIES, all_rules
from backdoor_lint.findings import Finding, cap_snippet
from backdoor_lint.languages import language_for
from backdoor_lint.semgrep_targets import recognised as _recognised
from backdoor_lint.semgrep_targets import rules_dir, wanted

ENV_EXECUTABLE = "BACKDOOR_LINT_SEMGREP"  # explicit path to the semgrep executable
ENV_MODE = "BACKDOOR_LINT_SEMGREP_MODE"  # "fast" (default: experimental, then plain) or "plain"
TIMEOUT = 300  # seconds for the whole semgrep process
PER_FILE_TIMEOUT = 30  # semgrep's own per-file-per-rule timeout
SMALL_RUN = 40  # up to this many targets, one semgrep worker is fastest
MAX_COMMAND_CHARS = 100_000  # keep each command line well under ARG_MAX; more targets -> more processes

_CANONICAL_SUFFIX = {"javascript": ".js", "typescript": ".ts", "go": ".go", "java": ".java", "bash": ".sh",
                     "yaml": ".yml", "json": ".json"}
# semgrep decided from the file's content not to scan it (too large, ...) even without its fast path:
# the same content gives the same answer, so the result cache may keep this BDL902 (issue 8), unlike
# crashes.
SKIPPED = "semgrep skipped this file (its plain CLI too, not only the fast path); its rules did not run"
_PARSE_ERRORS = ("Syntax error", "Lexical error", "Other syntax error", "PartialParsing", "Parse error")


@dataclass
class SemgrepTarget:
    display: str
    relpath: str
    language: str
    path: Path | None = None  # on disk, if semgrep can read it there under a name it recognises
    data: bytes | None = None  # in memory (or a file semgrep would not recognise by its name)


@dataclass
class SemgrepResult:
    findings: list[Finding]  # raw (see _with_snippets)
    seconds: float = 0.0  # wall-clock time of the semgrep step
    cpu_seconds: float = 0.0  # user+system CPU time of the semgrep processes
    mode: str = ""  # "experimental", "plain" or "" (did not run)


# ---------------------------------------------------------------- rules and languages


def rule_files() -> list[Path]:
    root = rules_dir()
    return sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


@lru_cache(maxsize=1)
def load_rules() -> tuple[dict, ...]:
    """Every bundled rule (the parsed YAML mapping), with `_file` set to its rule file."""
    import yaml

    rules = []
    for path in rule_files():
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}  # noqa: S506 - safe loader
        for rule in document.get("rules", []):
            rule = dict(rule)
            rule["_file"] = path.relative_to(rules_dir()).as_posix()
            rules.append(rule)
    return tuple(rules)


def rule_code(rule: dict) -> str:
    return str((rule.get("metadata") or {}).get("bdl-code", ""))


def rule_languages() -> dict[str, set[str]]:
    """Code -> languages of the bundled semgrep rules, as shown by `backdoor-lint rules`.
    Rules restricted to one kind of file show that kind (GitHub Actions, package.json)."""
    out: dict[str, set[str]] = {}
    for rule in load_rules():
        shown = (rule.get("metadata") or {}).get("bdl-language")
        if isinstance(shown, str):
            shown = [shown]
        languages = [str(lang) for lang in (shown or rule.get("languages", []))]
        out.setdefault(rule_code(rule), set()).update(languages)
    out.pop("", None)
    return out


# ---------------------------------------------------------------- the executable


def find_semgrep() -> tuple[str | None, str]:
    """The semgrep executable, and where we looked (for the error message)."""
    explicit = os.environ.get(ENV_EXECUTABLE)
    if explicit:
        ok = os.path.isfile(explicit) and os.access(explicit, os.X_OK)
        return (explicit if ok else None), f"${ENV_EXECUTABLE}={explicit}"
    beside = Path(sys.executable).parent / ("semgrep.exe" if os.name == "nt" else "semgrep")
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside), str(beside)
    found = shutil.which("semgrep")
    return found, f"{beside} and PATH"


# ---------------------------------------------------------------- scanning


def scan_targets(targets: list[SemgrepTarget], config) -> SemgrepResult:
    """Run the bundled rules over `targets` in one semgrep process and map the results."""
    return start_scan(targets, config).result()


class PendingScan:
    """A semgrep scan running in its own process while the caller does other work (the engine
    starts it before the per-file checks, issue 8). `result()` waits for it and maps its report;
    `close()` kills it if the result is never wanted (an interrupted scan)."""

    def __init__(self, ready: SemgrepResult | None = None) -> None:
        self.ready = ready
        self.displays: set[str] = set()  # the files this scan covers
        self._tmp: tempfile.TemporaryDirectory | None = None
        self._first: _Launch | None = None  # the semgrep process started for the first chunk
        self._executable = ""
        self._by_path: dict[str, SemgrepTarget] = {}
        self._config = None
        self._started = self._cpu_before = 0.0

    def result(self) -> SemgrepResult:
        if self.ready is not None:
            return self.ready
        import resource
        import time

        by_path, config = self._by_path, self._config
        tmpdir = Path(self._tmp.name)  # type: ignore[union-attr]
        findings: list[Finding] = []
        used = ""
        try:
            for number, chunk in enumerate(_chunks(list(by_path))):
                chunk_targets = {path: by_path[path] for path in chunk}
                report, problem, used = _run_semgrep(self._executable, chunk, tmpdir, config,
                                                     self._first if number == 0 else None)
                if report is None:
                    findings += _fail_all(list(chunk_targets.values()), problem)
                    continue
                mapped = _map_report(report, chunk_targets, tmpdir)
                if used == "experimental":
                    mapped = _rescan_skipped(mapped, self._executable, chunk_targets, tmpdir, config)
                findings += mapped
        finally:
            self.close()
        result = SemgrepResult(_with_snippets(findings, list(by_path.values())))
        result.seconds = time.perf_counter() - self._started
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        result.cpu_seconds = usage.ru_utime + usage.ru_stime - self._cpu_before
        result.mode = used
        self.ready = result
        return result

    def close(self) -> None:
        if self._first is not None:
            self._first.kill()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None


def start_scan(targets: list[SemgrepTarget], config, single: bool = False) -> PendingScan:
    """Stage the targets and start semgrep on them in the background; see PendingScan. `single`:
    one semgrep worker, because our own workers keep the cores busy meanwhile (measured on Django:
    semgrep's parallel workers then cost a third more CPU and slow the whole scan down)."""
    import resource
    import time

    targets = [t for t in targets if wanted(t.display, t.language)]
    if not targets or not getattr(config, "semgrep", True) or not _any_code_enabled(config):
        return PendingScan(SemgrepResult([]))
    targets = [t for t in targets if _some_rule_enabled(t, config)]
    if not targets:
        return PendingScan(SemgrepResult([]))
    started = time.perf_counter()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_before = usage.ru_utime + usage.ru_stime
    executable, looked = find_semgrep()
    if executable is None:
        return PendingScan(SemgrepResult(_fail_all(targets, f"semgrep executable not found (looked at {looked}); "
                                                   "install semgrep or set semgrep = false to skip these languages "
                                                   "explicitly")))
    pending = PendingScan()
    pending._tmp = tempfile.TemporaryDirectory(prefix="backdoor-lint-semgrep-")
    try:
        tmpdir = Path(pending._tmp.name)
        by_path: dict[str, SemgrepTarget] = {}
        staged = tmpdir / "targets"
        for index, target in enumerate(targets):
            if target.path is not None and target.data is None and _recognised(target.display, target.language):
                where = Path(target.path).resolve()
            else:
                data = target.data if target.data is not None else _read(target)
                if data is None:
                    continue  # unreadable: the per-file checks already report BDL901
                where = staged / str(index) / _staged_name(target)
                where.parent.mkdir(parents=True)
                where.write_bytes(data)
                target.data = data
            by_path[str(where)] = target
        if not by_path:
            pending.close()
            return PendingScan(SemgrepResult([]))
        first = None
        if os.environ.get(ENV_MODE, "fast") != "plain":
            first = _launch(executable, _chunks(list(by_path))[0], tmpdir, True, config, single)
    except BaseException:
        pending.close()
        raise
    pending.displays = {t.display for t in by_path.values()}
    pending._first, pending._executable, pending._by_path, pending._config = first, executable, by_path, config
    pending._started, pending._cpu_before = started, cpu_before
    return pending


def scan_content(display: str, data: bytes, config, relpath: str | None = None,
                 language: str | None = None) -> SemgrepResult:
    """Check in-memory content as if it were the file `display` (for the agent hook): the content is
    written to a private temp dir under a name semgrep recognises, then scanned like any target.
    Returns no findings for languages without semgrep rules. A shell command is checked by passing
    it as the content of e.g. `command.sh`."""
    return scan_contents([(display, data)], config, relpaths=[relpath], languages=[language])


def scan_contents(items: list[tuple[str, bytes]], config, relpaths: list[str | None] | None = None,
                  languages: list[str | None] | None = None) -> SemgrepResult:
    """Several in-memory files (display path, content) in one semgrep process."""
    targets = []
    for index, (display, data) in enumerate(items):
        relpath = (relpaths or [None] * len(items))[index]
        language = (languages or [None] * len(items))[index] or language_for(display, data[:8192])
        targets.append(SemgrepTarget(display=display, relpath=relpath if relpath is not None else display,
                                     language=language, data=data))
    return scan_targets(targets, config)


def targets_for(targets, results) -> list[SemgrepTarget]:
    """Semgrep targets among discovered files (discovery.Target) given their per-file results
    (engine.FileResult, which knows each file's language)."""
    return [SemgrepTarget(display=t.display, relpath=t.relpath, language=r.language, path=Path(t.path))
            for t, r in zip(targets, results) if wanted(t.display, r.language)]


@lru_cache(maxsize=1)
def bundled_codes() -> frozenset[str]:
    """Codes of the bundled rules, read without a YAML parser (this runs on every scan)."""
    import re

    pattern = re.compile(r"^\s*bdl-code:\s*[\"']?(BDL\d{3})\b", re.M)
    return frozenset(code for path in rule_files() for code in pattern.findall(path.read_text(encoding="utf-8")))


def _any_code_enabled(config) -> bool:
    return any(config.enabled(code) for code in bundled_codes())


# the kinds of file the rules' `bdl-language` metadata names, as backdoor-lint's languages
_FILE_KINDS = {"github-actions": "yaml", "package.json": "json"}


@lru_cache(maxsize=1)
def codes_by_language() -> dict[str, frozenset[str]]:
    """backdoor-lint language -> codes of the bundled rules that run on its files ("*": rules
    whose files cannot be told from their metadata, which run on every target)."""
    out: dict[str, set[str]] = {}
    for rule in load_rules():
        shown = (rule.get("metadata") or {}).get("bdl-language") or rule.get("languages", [])
        for language in [shown] if isinstance(shown, str) else shown:
            language = _FILE_KINDS.get(str(language), str(language))
            out.setdefault("*" if language in ("regex", "generic") else language, set()).add(rule_code(rule))
    return {language: frozenset(codes) for language, codes in out.items()}


def _some_rule_enabled(target: SemgrepTarget, config) -> bool:
    """Whether any enabled rule runs on this target: a file no enabled rule could report on is not
    given to semgrep (e.g. `--select BDL1` on a tree of Dockerfiles, or per-file ignores)."""
    enabled_for = getattr(config, "enabled_for", None)
    if enabled_for is None:
        return True
    codes = codes_by_language()
    return any(enabled_for(target.relpath, code) for code in codes.get(target.language, frozenset()) | codes.get("*", frozenset()))


def _read(target: SemgrepTarget) -> bytes | None:
    try:
        return Path(target.path).read_bytes()
    except OSError:
        return None


def _staged_name(target: SemgrepTarget) -> str:
    name = PurePosixPath(target.display).name or "file"
    if target.language == "dockerfile":
        return "Dockerfile"
    if target.language == "json":
        return "package.json"
    if target.language == "yaml":
        return "github-workflow.yml"  # the workflow rules' `paths.include`
    if _recognised(target.display, target.language):
        return name
    return name + _CANONICAL_SUFFIX[target.language]


def _chunks(paths: list[str]) -> list[list[str]]:
    """One chunk (one semgrep process) unless the command line would exceed what the OS accepts."""
    chunks: list[list[str]] = [[]]
    size = 0
    for path in paths:
        if chunks[-1] and size + len(path) + 1 > MAX_COMMAND_CHARS:
            chunks.append([])
            size = 0
        chunks[-1].append(path)
        size += len(path) + 1
    return chunks


def _run_semgrep(executable: str, paths: list[str], tmpdir: Path, config,
                 launched: _Launch | None = None) -> tuple[dict | None, str, str]:
    """The fast path first (`--experimental`; `launched` if it was already started), then the
    plain CLI if the fast path gave no usable report."""
    report, problem = None, ""
    if launched is not None or os.environ.get(ENV_MODE, "fast") != "plain":
        report, problem = _collect(launched or _launch(executable, paths, tmpdir, True, config))
        if report is not None:
            return report, "", "experimental"
    fallback, plain_problem = _collect(_launch(executable, paths, tmpdir, False, config))
    if fallback is not None:
        return fallback, "", "plain"
    return None, plain_problem if not problem else f"{problem}; fallback: {plain_problem}", "plain"


def _rescan_skipped(findings: list[Finding], executable: str, targets: dict[str, SemgrepTarget], tmpdir: Path,
                    config) -> list[Finding]:
    """The files the fast path skipped, scanned by the plain CLI: a healthy file is never left
    unanalysed because the fast path passed it over. What the plain CLI cannot scan keeps a BDL902
    that says why."""
    skipped = {f.path for f in findings if f.code == "BDL902" and f.message == SKIPPED}
    if not skipped:
        return findings
    again = {path: target for path, target in targets.items() if target.display in skipped}
    report, problem = _collect(_launch(executable, list(again), tmpdir, False, config))
    kept = [f for f in findings if not (f.path in skipped and f.message == SKIPPED)]
    if report is None:
        return kept + _fail_all(list(again.values()), f"semgrep --experimental skipped this file and {problem}")
    return kept + _map_report(report, again, tmpdir)


def _command(executable: str, paths: list[str], experimental: bool, config, single: bool = False) -> list[str]:
    command = [executable, "scan"]
    if experimental:
        command.append("--experimental")
    command += ["--config", str(rules_dir()), "--json", "--metrics=off", "--disable-version-check",
                "--disable-nosem", "--no-git-ignore", "--quiet",
                "--timeout", str(PER_FILE_TIMEOUT), "--timeout-threshold", "0",
                "--max-target-bytes", str(getattr(config, "max_file_size", 5_000_000) + 1)]
    if len(paths) <= SMALL_RUN or single:
        command += ["--jobs", "1"]  # a few files: forking parsing workers costs more than it saves
    return command + paths


@dataclass
class _Launch:
    """One semgrep process, its report going to files in the scan's private directory."""

    process: subprocess.Popen | None
    label: str
    out: Path
    err: Path
    started: float
    problem: str = ""  # why it could not be started

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


_launches = itertools.count()


def _launch(executable: str, paths: list[str], tmpdir: Path, experimental: bool, config,
            single: bool = False) -> _Launch:
    import time

    env = dict(os.environ, SEMGREP_SEND_METRICS="off", SEMGREP_ENABLE_VERSION_CHECK="0",
               SEMGREP_SETTINGS_FILE=str(tmpdir / "settings.yml"), SEMGREP_LOG_FILE=str(tmpdir / "semgrep.log"),
               SEMGREP_VERSION_CACHE_PATH=str(tmpdir / "version"))
    env.pop("SEMGREP_APP_TOKEN", None)
    label = "semgrep --experimental" if experimental else "semgrep"
    number = next(_launches)
    out, err = tmpdir / f"report-{number}.json", tmpdir / f"stderr-{number}.txt"
    try:
        with open(out, "wb") as stdout, open(err, "wb") as stderr:
            process = subprocess.Popen(_command(executable, paths, experimental, config, single), cwd=tmpdir, env=env,
                                       stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr)
    except OSError as exc:
        return _Launch(None, label, out, err, 0.0, f"{label} could not be started ({executable}): {exc.strerror or exc}")
    return _Launch(process, label, out, err, time.monotonic())


def _collect(launch: _Launch) -> tuple[dict | None, str]:
    """Wait for a launched semgrep (at most TIMEOUT seconds from its start) and read its report."""
    import time

    label, process = launch.label, launch.process
    if process is None:
        return None, launch.problem
    try:
        returncode = process.wait(timeout=max(0.0, TIMEOUT - (time.monotonic() - launch.started)))
    except subprocess.TimeoutExpired:
        launch.kill()
        return None, f"{label} timed out after {TIMEOUT} s"
    try:
        stdout, stderr_bytes = launch.out.read_bytes(), launch.err.read_bytes()
    except OSError as exc:
        return None, f"{label} report could not be read: {exc.strerror or exc}"
    stderr = stderr_bytes.decode("utf-8", "replace").strip()
    tail = stderr.splitlines()[-1][:300] if stderr else "no error output"
    if returncode not in (0, 1):
        return None, f"{label} exited with status {returncode}: {tail}"
    try:
        report = json.loads(stdout)
    except ValueError:
        return None, f"{label} produced no readable JSON report (exit {returncode}): {tail}"
    if not isinstance(report, dict) or not isinstance(report.get("results"), list):
        return None, f"{label} produced a report without results (exit {returncode})"
    return report, ""


def _fail_all(targets: list[SemgrepTarget], problem: str) -> list[Finding]:
    return [Finding(t.display, 1, 1, "BDL902", f"{problem}; the {t.language} rules did not run on this file",
                    engine="semgrep") for t in targets]


def _as_displayed(message: str, path: str, target: SemgrepTarget, base: Path) -> str:
    """semgrep's message names the file by the path it was given (absolute, or a staged copy):
    name it as the report does instead."""
    for written in sorted({path, str((base / path).resolve()), str(base / path)}, key=len, reverse=True):
        message = message.replace(written, target.display)
    return message


def _map_report(report: dict, by_path: dict[str, SemgrepTarget], base: Path) -> list[Finding]:
    findings: list[Finding] = []
    known = all_rules()
    resolved = {str(Path(p).resolve()): t for p, t in by_path.items()}

    def target_of(path: str | None) -> SemgrepTarget | None:
        if not path:
            return None
        return by_path.get(path) or resolved.get(str((base / path).resolve()))

    global_errors = []
    errored: set[str] = set()
    for error in report.get("errors") or []:
        kind = error.get("type")
        kind_name = kind[0] if isinstance(kind, list) and kind else str(kind)
        message = " ".join(str(error.get("message", "")).split())
        target = target_of(error.get("path"))
        if target is None:
            global_errors.append(f"{kind_name}: {message[:300]}")
            continue
        message = _as_displayed(message, error.get("path"), target, base)[:300]
        errored.add(target.display)
        line = _error_line(error)
        if any(kind_name.startswith(p) for p in _PARSE_ERRORS):
            findings.append(Finding(target.display, line or 1, 1, "BDL901",
                                    f"{target.language} could not be fully parsed, part of the file was not "
                                    f"analysed by the semgrep rules: {message}", engine="semgrep"))
        else:
            findings.append(Finding(target.display, line or 1, 1, "BDL902",
                                    f"semgrep failed on this file ({kind_name}): {message}", engine="semgrep"))
    if global_errors:
        problem = "semgrep reported an error: " + "; ".join(global_errors)[:600]
        findings += _fail_all(list(by_path.values()), problem)
        return findings
    scanned = (report.get("paths") or {}).get("scanned")
    if isinstance(scanned, list):
        seen = {str((base / p).resolve()) for p in scanned} | set(scanned)
        for path, target in by_path.items():
            if path not in seen and str(Path(path).resolve()) not in seen and target.display not in errored:
                findings.append(Finding(target.display, 1, 1, "BDL902", SKIPPED, engine="semgrep"))
    for item in report["results"]:
        target = target_of(item.get("path"))
        extra = item.get("extra") or {}
        metadata = extra.get("metadata") or {}
        code = str(metadata.get("bdl-code", ""))
        if target is None:
            continue
        if code not in known:
            findings.append(Finding(target.display, 1, 1, "BDL902",
                                    f"semgrep rule {item.get('check_id')} has no known bdl-code ({code!r})",
                                    engine="semgrep"))
            continue
        start, end = item.get("start") or {}, item.get("end") or {}
        severity = metadata.get("severity")
        severity = severity if severity in SEVERITIES else ""
        findings.append(Finding(
            target.display, int(start.get("line", 1)), int(start.get("col", 1)), code,
            " ".join(str(extra.get("message", "")).split()),
            end_line=int(end.get("line", 0)), end_column=int(end.get("col", 0)),
            severity=severity, confidence=str(metadata.get("confidence", "")).lower()
            if metadata.get("confidence") in ("HIGH", "MEDIUM", "LOW", "high", "medium", "low") else "",
            engine="semgrep", extra={"semgrep_rule": str(item.get("check_id", "")).rsplit(".", 1)[-1]},
        ))
    return _dedupe(findings)


def _error_line(error: dict) -> int:
    """First line semgrep points at for an error (its spans), 1 if none."""
    for span in error.get("spans") or []:
        line = (span.get("start") or {}).get("line") if isinstance(span, dict) else None
        if isinstance(line, int) and line > 0:
            return line
    return 1


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in findings:
        key = (f.path, f.line, f.code)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def _with_snippets(findings: list[Finding], targets: list[SemgrepTarget]) -> list[Finding]:
    """The findings with the source text of their sites. Raw: enabling, inline suppressions and
    severity are the policy pipeline's (backdoor_lint.policy), with the file's own suppressions."""
    by_display = {t.display: t for t in targets}
    lines_of: dict[str, list[str]] = {}
    for f in findings:
        if f.path not in lines_of:
            target = by_display[f.path]
            data = target.data if target.data is not None else _read(target) or b""
            lines_of[f.path] = data.decode("utf-8", "replace").splitlines()
        # the lines as written, indentation kept (the code frame's carets count from column 1)
        f.snippet = cap_snippet("\n".join(lines_of[f.path][f.line - 1:f.end_line]).rstrip())
    return findings
