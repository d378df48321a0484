"""Defences of the scan against its own input (issue 9): hostile or broken files must never crash,
hang or slip through the guard.

- `parse_python` and `too_deep_for_libcst`: a cheap structural check before libcst sees a file. libcst's native parser
  overflows its stack (a segfault, not an exception) on a few thousand nested brackets, lambdas,
  calls or subscripts, and takes minutes on trees a few thousand levels deep; its visitors hit the
  recursion limit a few hundred levels down. `ast.parse` (C, bounded: at most 200 nested brackets,
  a recursion guard) plus an iterative depth count turns all of that into a BDL901 in
  milliseconds.
- `time_limit`: per-file and per-rule budgets enforced inside the process that analyses the file
  (SIGALRM, main thread only); expiry raises `AnalysisTimeout`, which the engine reports as BDL902.
- `run_supervised`: worker processes the parent watches file by file. A worker that dies
  (segfault, os._exit, OOM kill) or overruns the hard deadline (stuck in C code that a signal
  cannot interrupt) is killed and replaced; the file it was analysing becomes a BDL902 finding and
  the other files are still scanned. Nothing ever turns into a partial "clean".
"""
from __future__ import annotations

import ast
import gc
import signal
import sys
import threading
import time
import warnings
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from backdoor_lint.findings import Finding

# Deepest syntax tree (AST levels, with `a and b and c` counted as libcst nests it) handed to
# libcst. Real code stays far below 100; libcst's visitors fail near 450 with the default
# recursion limit, and its parser slows down superlinearly with depth.
MAX_NESTING = 300
DEFAULT_TIMEOUT = 60.0  # seconds one file may take (config key `timeout`)
RULE_SHARE = 0.5  # one rule (or the batched libcst visit) may use at most this share of the file budget


# --- structural pre-check -------------------------------------------------------------------------

def parse_python(text: str, display: str) -> tuple[ast.Module | None, list[Finding]]:
    """`text`'s `ast` tree, or None and the BDL901 finding if Python cannot parse it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarnings of the scanned code are not ours
            return ast.parse(text, filename=display), []
    except SyntaxError as exc:
        if "too many nested" in (exc.msg or ""):
            return None, [_too_deep(display, exc.lineno or 1, f"{exc.msg}")]
        return None, [Finding(display, exc.lineno or 1, exc.offset or 1, "BDL901",
                              f"Python syntax error, file not analysed: {exc.msg}", engine="core")]
    except (RecursionError, MemoryError):
        # CPython's parser gives up ("too complex", recursion during AST construction)
        return None, [_too_deep(display, 1, "Python's own parser gives up on it")]
    except ValueError as exc:  # e.g. NUL bytes
        return None, [Finding(display, 1, 1, "BDL901", f"file cannot be parsed: {exc}", engine="core")]


def too_deep_for_libcst(tree: ast.Module, display: str) -> list[Finding]:
    """BDL901 if the tree is nested too deeply to hand to libcst; [] if libcst may parse it."""
    depth, line = nesting_depth(tree)
    if depth > MAX_NESTING:
        return [_too_deep(display, line, f"syntax tree {depth} levels deep, limit {MAX_NESTING}")]
    return []


def nesting_depth(tree: ast.AST) -> tuple[int, int]:
    """(depth, line where the deepest level starts) of an AST, without recursion. Boolean
    operations count one level per operand, as libcst nests them. Runs before libcst on every
    file it parses, so it reads only the fields that can hold nodes (`ast.iter_child_nodes` costs
    three times as much) and does not visit the shared leaves: an expression context or operator
    (`ctx`, `op`, `ops`) counts as the level below its node without being pushed."""
    deepest, where = 0, 1
    stack: list[tuple[ast.AST, int]] = [(tree, 1)]
    node_type, bool_op, layouts = ast.AST, ast.BoolOp, _DEPTH_LAYOUTS
    while stack:
        node, depth = stack.pop()
        kind = type(node)
        if kind is bool_op:
            depth += len(node.values) - 1  # type: ignore[attr-defined]
        layout = layouts.get(kind)
        if layout is None:
            layout = layouts[kind] = _depth_layout(kind)
        fields, leaf_below = layout
        if depth + leaf_below > deepest:
            deepest, where = depth + leaf_below, getattr(node, "lineno", where)
        depth += 1
        for name in fields:
            value = getattr(node, name, None)
            if isinstance(value, node_type):
                stack.append((value, depth))
            elif type(value) is list:
                stack.extend((item, depth) for item in value if isinstance(item, node_type))
    return deepest, where


_LEAF_FIELDS = frozenset({"ctx", "op", "ops"})  # always hold nodes without children
_NEVER_NODES = frozenset({"id", "attr", "arg", "name", "level", "conversion", "lineno", "col_offset",
                          "end_lineno", "end_col_offset", "type_comment", "kind", "module", "asname",
                          "is_async", "simple"})
_DEPTH_LAYOUTS: dict[type, tuple[tuple[str, ...], int]] = {}


def _depth_layout(kind: type) -> tuple[tuple[str, ...], int]:
    """(the fields of `kind` to walk, 1 if it holds a leaf one level below it, else 0)."""
    fields = kind._fields
    return tuple(name for name in fields if name not in _LEAF_FIELDS and name not in _NEVER_NODES), \
        int(any(name in _LEAF_FIELDS for name in fields))


def _too_deep(display: str, line: int, detail: str) -> Finding:
    return Finding(display, line, 1, "BDL901",
                   f"file is nested too deeply to analyse safely ({detail}); not analysed", engine="core")


# --- time budgets -----------------------------------------------------------------------------------

class AnalysisTimeout(BaseException):
    """A time budget expired. A BaseException so that `except Exception` inside checkers cannot
    swallow it."""

    def __init__(self, step: str, seconds: float) -> None:
        super().__init__(f"{step} exceeded its time budget of {seconds:g} s")
        self.step = step
        self.seconds = seconds


_budgets: list[tuple[float, str, float]] = []  # (deadline, step, seconds), outermost first
_previous_handler: Any = None


def _alarm_usable() -> bool:
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return False
    if _budgets:
        return True
    # never take SIGALRM away from a host program (or test runner) that uses it
    return signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.SIG_IGN, None)


def _on_alarm(signum, frame) -> None:  # noqa: ARG001
    if not _budgets:
        return
    deadline, step, seconds = min(_budgets)
    if time.monotonic() >= deadline - 0.001:
        raise AnalysisTimeout(step, seconds)
    _arm()


def _arm() -> None:
    deadline = min(_budgets)[0]
    signal.setitimer(signal.ITIMER_REAL, max(deadline - time.monotonic(), 0.001))


@contextmanager
def time_limit(seconds: float | None, step: str) -> Iterator[None]:
    """Raise AnalysisTimeout(step) in this thread if the block runs longer than `seconds` (or than
    an enclosing budget). A no-op off the main thread or where SIGALRM is unavailable/in use;
    the supervising parent's hard deadline still applies there."""
    global _previous_handler
    if not seconds or seconds <= 0 or not _alarm_usable():
        yield
        return
    entry = (time.monotonic() + seconds, step, seconds)
    if not _budgets:
        _previous_handler = signal.signal(signal.SIGALRM, _on_alarm)
    _budgets.append(entry)
    try:
        _arm()
        yield
    finally:
        _budgets.remove(entry)
        if _budgets:
            _arm()
        else:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, _previous_handler if _previous_handler is not None else signal.SIG_DFL)


def timeout_finding(display: str, exc: AnalysisTimeout) -> Finding:
    return Finding(display, 1, 1, "BDL902",
                   f"analysis timed out: {exc.step} took longer than {exc.seconds:g} s on this file; "
                   "not analysed (raise `timeout` in the config if the file is legitimately huge)", engine="core")


# --- supervised worker processes ------------------------------------------------------------------

class _Crashed:
    """Sent back by a worker when `work` raised something the engine did not turn into a finding."""

    def __init__(self, detail: str) -> None:
        self.detail = detail


# A worker builds and drops a syntax tree of tens of thousands of objects per file: at Python's
# default (a young-generation collection every 700 allocations) the collector re-walks the live
# tree hundreds of times per file. Every 100,000 allocations: 3-9 % less CPU on django/db in
# alternating pairs, about 7 MiB more memory; the trees' cycles are still collected.
WORKER_GC_THRESHOLD = 100_000


def _worker_main(conn, work: Callable[[Any], Any]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and kills us
    gc.set_threshold(WORKER_GC_THRESHOLD)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            break
        if message is None:
            break
        index, item = message
        try:
            result = work(item)
        except BaseException as exc:  # noqa: BLE001 - reported to the parent, which fails closed
            result = _Crashed(f"{type(exc).__name__}: {exc}")
        try:
            conn.send((index, result))
        except Exception as exc:  # noqa: BLE001 - e.g. an unpicklable result
            conn.send((index, _Crashed(f"result could not be returned: {type(exc).__name__}: {exc}")))
    conn.close()


def _context():
    import multiprocessing  # here: with pickle and socket it costs every one-file check (the agent hook) ~10 ms

    if sys.platform == "linux":
        return multiprocessing.get_context("fork")  # workers inherit loaded checkers (and test patches)
    return multiprocessing.get_context("spawn")


class _Worker:
    def __init__(self, ctx, work) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, work), daemon=True)
        self.process.start()
        child.close()
        self.task: int | None = None
        self.started = 0.0

    def give(self, index: int, item: Any) -> None:
        self.task, self.started = index, time.monotonic()
        self.conn.send((index, item))

    def kill(self) -> None:
        try:
            self.process.kill()
            self.process.join(5)
        except (OSError, ValueError, AssertionError):
            pass
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.process.join(2)
        if self.process.is_alive():
            self.kill()
        else:
            self.conn.close()


def describe_exit(exitcode: int | None) -> str:
    if exitcode is None:
        return "stopped responding"
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"was killed by {name}"
    return f"exited with status {exitcode}"


def run_supervised(items: list, work: Callable[[Any], Any], jobs: int, hard_timeout: float,
                   failed: Callable[[Any, str], Any], on_result: Callable[[int, Any], None] | None = None) -> list:
    """`[work(item) for item in items]` in `jobs` worker processes, one item at a time per worker.
    Where a worker dies, overruns `hard_timeout` seconds on one item, or `work` raises, the
    result is `failed(item, reason)` instead; the remaining items go to a fresh worker."""
    ctx = _context()
    # What the parent has imported is never garbage: moved out of the collector's reach, the
    # workers do not walk (and copy-on-write) every module object at each collection (about a
    # tenth of a Django scan's CPU).
    gc.freeze()
    results: list = [None] * len(items)
    pending = deque(range(len(items)))
    workers: list[_Worker] = []
    from multiprocessing.connection import wait

    def finish(worker: _Worker, result: Any) -> None:
        index = worker.task
        assert index is not None
        if isinstance(result, _Crashed):
            result = failed(items[index], f"analysis crashed: {result.detail}")
        results[index] = result
        worker.task = None
        if on_result is not None:
            on_result(index, result)

    try:
        while pending or any(w.task is not None for w in workers):
            while pending and len([w for w in workers if w.task is not None]) < jobs:
                worker = next((w for w in workers if w.task is None), None)
                if worker is None:
                    worker = _Worker(ctx, work)
                    workers.append(worker)
                index = pending.popleft()
                try:
                    worker.give(index, items[index])
                except (OSError, ValueError):  # died before it got the task: the task is retried
                    pending.appendleft(index)
                    worker.task = None
                    worker.kill()
                    workers.remove(worker)
            busy = [w for w in workers if w.task is not None]
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=0.25)
            now = time.monotonic()
            for worker in busy:
                if worker.conn in ready or worker.conn.poll():
                    try:
                        _, result = worker.conn.recv()
                    except (EOFError, OSError):  # died mid-answer
                        pass
                    else:
                        finish(worker, result)
                        continue
                if worker.process.sentinel in ready or not worker.process.is_alive():
                    worker.process.join(1)
                    reason = f"worker process {describe_exit(worker.process.exitcode)} while analysing this file"
                elif now - worker.started > hard_timeout:
                    reason = (f"analysis did not finish within {hard_timeout:g} s (stuck where it cannot be "
                              "interrupted); worker process killed")
                else:
                    continue
                worker.kill()
                workers.remove(worker)
                finish(worker, failed(items[worker.task], reason))  # type: ignore[index]
    finally:
        for worker in workers:
            if worker.task is None:
                worker.stop()
            else:
                worker.kill()
        gc.unfreeze()
    return results


def death_finding(display: str, reason: str) -> Finding:
    return Finding(display, 1, 1, "BDL902", f"{reason}; file not analysed", engine="core")


def hard_timeout(config) -> float:
    seconds = float(getattr(config, "timeout", DEFAULT_TIMEOUT) or DEFAULT_TIMEOUT)
    return seconds + max(5.0, seconds / 2)


def file_timeout(config) -> float:
    return float(getattr(config, "timeout", DEFAULT_TIMEOUT) or DEFAULT_TIMEOUT)

