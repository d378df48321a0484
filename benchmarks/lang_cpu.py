"""CPU of the tree-sitter language analyses (checkers/ts_*.py) over the JavaScript/TypeScript, Go
and Java files under the given directories, by phase, with the number of syntax nodes handed to
Python and the findings (to compare two branches: same findings, less CPU). Counts and CPU time,
not wall time, so it can be read on a loaded machine.

    python benchmarks/lang_cpu.py DIR... [--findings]"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from backdoor_lint.checkers.lang.go_rules import analyse as analyse_go
from backdoor_lint.checkers.lang.golang import GoFile
from backdoor_lint.checkers.lang.java import JavaFile
from backdoor_lint.checkers.lang.java_rules import analyse as analyse_java
from backdoor_lint.checkers.lang.javascript import JsFile
from backdoor_lint.checkers.lang.js_rules import analyse as analyse_js
from backdoor_lint.checkers.lang.syntax import Source, grammar_for

from backdoor_lint.languages import language_for

ANALYSES = {"javascript": (JsFile, analyse_js), "typescript": (JsFile, analyse_js),
            "go": (GoFile, lambda facts, _display: analyse_go(facts)),
            "java": (JavaFile, lambda facts, _display: analyse_java(facts))}


def main(argv: list[str]) -> None:
    show = "--findings" in argv
    cpu = {"parse": 0.0, "facts": 0.0, "concepts": 0.0}
    files = size = handed = 0
    for root in (a for a in argv if a != "--findings"):
        for path in sorted(p for p in Path(root).rglob("*") if p.is_file()):
            language = language_for(str(path))
            if language not in ANALYSES:
                continue
            facts_class, analyse = ANALYSES[language]
            text = path.read_text("utf-8", "replace")
            files, size = files + 1, size + len(text.encode())
            start = time.process_time()
            source = Source(text, grammar_for(language, str(path)))
            parsed = time.process_time()
            # the facts get the file's place, so that other files of the tree are followed as in a scan
            place = (str(path.resolve()), str(Path(root).resolve()))
            facts = facts_class(source, *place) if facts_class is JsFile else facts_class(source, False, *place)
            built = time.process_time()
            reports = analyse(facts, str(path))
            done = time.process_time()
            cpu["parse"] += parsed - start
            cpu["facts"] += built - parsed
            cpu["concepts"] += done - built
            handed += sum(len(nodes) for nodes in source._by_type.values())
            for report in reports if show else ():
                print(f"{path}:{report.line}: {report.code}")
    print(f"{files} files, {size} bytes, {handed} nodes handed to Python ({handed / max(size, 1):.3f} per byte); "
          + ", ".join(f"{phase} {seconds:.2f} s" for phase, seconds in cpu.items()) + " CPU")


if __name__ == "__main__":
    main(sys.argv[1:])
