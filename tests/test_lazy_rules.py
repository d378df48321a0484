"""A Python rule's module, and libcst with it (about 0.5 s of CPU to import), is loaded only when a
file's trigger wants the rule (issue 19): the triggers live without libcst in checkers/triggers/,
each rule extends its own. Checked in fresh interpreters, where nothing is imported yet."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from backdoor_lint.checkers import triggers
from backdoor_lint.checkers.registry import checker_of, python_checkers, python_triggers

# A plain module that no rule's trigger wants (a 300-line file of arithmetic is the same).
PLAIN = "import math\n\n\ndef norm(x, y):\n    \"\"\"Euclidean norm.\"\"\"\n    return math.hypot(x, y)\n"


def _run(code: str, cwd=None) -> dict:
    run = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_every_rule_extends_its_own_trigger_and_only_it():
    rules = [checker_of(trigger) for trigger in python_triggers()]
    assert rules == list(python_checkers())  # one trigger per rule, in the rules' order
    for rule, trigger in zip(rules, python_triggers()):
        assert rule.__bases__[0] is trigger and rule.__name__ == trigger.__name__
        declared = [klass for klass in rule.__mro__[1:] if issubclass(klass, triggers.PythonTrigger)
                    and klass.__module__.startswith("backdoor_lint.checkers.py_")]
        assert not declared, f"{rule.__name__}: trigger attributes declared outside checkers/triggers/"
        assert not [name for name in vars(rule) if name.startswith(("TRIGGER", "wants"))], rule


def test_the_triggers_and_trigger_facts_import_no_libcst():
    found = _run("""
        import json, sys
        from backdoor_lint.checkers.registry import python_triggers
        from backdoor_lint.checkers import trigger_facts
        python_triggers()
        print(json.dumps({"libcst": "libcst" in sys.modules,
                          "rules": sorted(m for m in sys.modules if m.startswith("backdoor_lint.checkers.py_"))}))
    """)
    assert found == {"libcst": False, "rules": []}


def test_a_file_no_rule_wants_is_checked_without_libcst_and_a_file_that_triggers_imports_only_its_rules():
    found = _run(f"""
        import json, sys
        from backdoor_lint.config import Config
        from backdoor_lint.engine import scan_bytes
        plain = scan_bytes("geometry.py", {PLAIN!r}.encode(), Config())
        before = "libcst" in sys.modules
        jwt = scan_bytes("auth.py", b'import jwt\\njwt.decode("t", "k", algorithms=["none"])\\n', Config())
        print(json.dumps({{"plain": [f.code for f in plain.findings], "libcst_before": before,
                          "jwt": [f.code for f in jwt.findings], "libcst_after": "libcst" in sys.modules,
                          "rules": sorted(m for m in sys.modules if m.startswith("backdoor_lint.checkers.py_"))}}))
    """)
    assert found["plain"] == [] and found["libcst_before"] is False
    assert "BDL102" in found["jwt"] and found["libcst_after"] is True
    assert "backdoor_lint.checkers.py_jwt" in found["rules"]
    assert "backdoor_lint.checkers.py_sql" not in found["rules"]  # nothing in the file wants it


def test_every_python_rule_example_is_found_through_the_engine_from_a_cold_start():
    """The engine imports the rules on demand, one module at a time: each INVALID example of a
    Python rule is still reported with its code (and line), by an interpreter that imported no
    rule beforehand and is handed only the examples' text."""
    examples = [{"rule": rule.__name__, "code": e.code, "line": e.line, "path": e.path, "source": e.source,
                 "config": [list(pair) for pair in e.config]}
                for rule in python_checkers() for e in rule.INVALID if e.path.endswith(".py") and e.before is None]
    assert len(examples) > 100
    found = _run(f"""
        import json, sys
        from pathlib import Path
        from backdoor_lint.config import Config, config_from_table
        from backdoor_lint.engine import scan_bytes

        missed = []
        for e in json.loads({json.dumps(examples)!r}):
            config = config_from_table(dict(map(tuple, e["config"])), "example", Path.cwd()) if e["config"] else Config()
            got = [(f.code, f.line) for f in scan_bytes(e["path"], e["source"].encode(), config).findings]
            if not any(code == e["code"] and (e["line"] is None or line == e["line"]) for code, line in got):
                missed.append([e["rule"], e["code"], e["line"], got])
        print(json.dumps({{"missed": missed}}))
    """)
    assert found["missed"] == []


def test_a_scan_of_files_no_rule_wants_never_imports_libcst(tmp_path):
    """Parent and workers (-X importtime: every process reports its own imports)."""
    for number in range(6):
        (tmp_path / f"m{number}.py").write_text(PLAIN.replace("norm", f"norm{number}"))
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "backdoor_lint", "scan", ".", "--no-cache",
                          "--jobs", "2"], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    names = [line.rsplit("|", 1)[1].strip() for line in run.stderr.splitlines()
             if line.startswith("import time:") and "|" in line]
    assert run.returncode == 0, run.stdout + run.stderr[-2000:]
    assert "backdoor_lint.checkers.trigger_facts" in names  # the files were looked at
    assert "libcst" not in names and "backdoor_lint.checkers.base" not in names
    (tmp_path / "m0.py").write_text('import jwt\njwt.decode("t", "k", algorithms=["none"])\n')  # control
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "backdoor_lint", "scan", ".", "--no-cache",
                          "--jobs", "2"], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    names = [line.rsplit("|", 1)[1].strip() for line in run.stderr.splitlines()
             if line.startswith("import time:") and "|" in line]
    assert "BDL102" in run.stdout and names.count("libcst") == 1  # once, in the parent
    assert "backdoor_lint.checkers.py_sql" not in names


def test_an_agent_write_of_a_file_no_rule_wants_never_imports_libcst(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    call = json.dumps({"tool_name": "Write", "cwd": str(tmp_path), "session_id": "lazy-rules-test",
                       "tool_input": {"file_path": str(tmp_path / "geometry.py"), "content": PLAIN * 50}})
    probe = ("import atexit, runpy, sys\n"
             "atexit.register(lambda: sys.stderr.write('\\nMODULES ' + ' '.join(sorted(sys.modules)) + '\\n'))\n"
             "runpy.run_module('backdoor_lint', run_name='__main__', alter_sys=True)\n")
    run = subprocess.run([sys.executable, "-c", probe, "agent-hook", "--agent", "claude"], cwd=tmp_path, input=call,
                         capture_output=True, text=True, timeout=600)
    listed = [line for line in run.stderr.splitlines() if line.startswith("MODULES ")]
    assert run.returncode == 0 and "deny" not in run.stdout and listed, (run.stdout, run.stderr[-2000:])
    names = set(listed[-1].split()[1:])
    assert "backdoor_lint.checkers.trigger_facts" in names  # it was checked
    assert "libcst" not in names and not [m for m in names if m.startswith("backdoor_lint.checkers.py_")]


def test_a_small_scan_computes_each_files_trigger_facts_once(tmp_path, monkeypatch):
    """The parent decides which rule modules to import from the files' trigger facts; the forked
    workers reuse that decision instead of parsing and computing the facts again (issue 19)."""
    from backdoor_lint.checkers import trigger_facts

    from backdoor_lint.config import Config
    from backdoor_lint.engine import scan

    tree = tmp_path / "tree"
    tree.mkdir()
    for number in range(5):
        (tree / f"m{number}.py").write_text(PLAIN.replace("norm", f"norm{number}"))
    (tree / "auth.py").write_text('import jwt\njwt.decode("t", "k", algorithms=["none"])\n')
    calls = tmp_path / "calls"
    original = trigger_facts.python_facts

    def counted(data, tree, path=None, root=None):
        with open(calls, "a") as log:  # the workers are forked: they count in the same file
            log.write(f"{path}\n")
        return original(data, tree, path, root)

    monkeypatch.setattr(trigger_facts, "python_facts", counted)
    result = scan([str(tree)], Config(root=tree), jobs=2)
    assert [f.code for f in result.findings if f.path.endswith("auth.py")] == ["BDL102"]
    computed = calls.read_text().splitlines()
    assert sorted(computed) == sorted(str(tree / name) for name in ("auth.py", *(f"m{n}.py" for n in range(5))))
