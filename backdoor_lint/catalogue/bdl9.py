"""BDL9xx: scan integrity. The guard fails closed: what it could not check is never clean."""
from backdoor_lint.catalogue import BLOCK, WARN, Invalid, Rule, Valid

_ALL = ("any",)

RULES = [
    Rule(
        code="BDL901",
        name="unparsable-file",
        category="scan-integrity",
        severity=BLOCK,
        confidence="high",
        cwe=("CWE-693",),
        languages=_ALL,
        summary="A file that should be analysed could not be decoded or parsed",
        what="Reported for a source file the checkers cannot read: invalid encoding, NUL bytes, a syntax error.",
        why=(
            "A checker that cannot see the code must not call it clean. An attacker who knows the\n"
            "guard skips unparsable files can hide a backdoor behind one stray byte or a construct\n"
            "the parser rejects, while the interpreter that runs the file may still accept it."
        ),
        example="def f(:\n    pass",
        use_instead="Fix the syntax or encoding (UTF-8, or a PEP 263 coding cookie) so the file can be checked.",
        fix="make the file valid source in a declared encoding so it can be checked",
        invalid=(Invalid("def f(:\n    pass\n", "BDL901", 1),),
        valid=(Valid("def handle(command):\n    match command.split():\n        case [\"go\", direction]:\n"
                     "            return direction\n        case _:\n            return None\n", "BDL901"),),
    ),
    Rule(
        code="BDL902",
        name="analysis-failed",
        category="scan-integrity",
        severity=BLOCK,
        confidence="high",
        cwe=("CWE-693",),
        languages=_ALL,
        summary="An analysis step failed (checker exception, semgrep missing, crashed or timed out)",
        what="Reported when a checker raises, times out, or an external engine fails for a file.",
        why=(
            "A failed check is an unchecked file. Treating it as clean would let anyone who can\n"
            "trigger the failure (a pathological file, a missing tool) land code unexamined."
        ),
        example="(a checker exception on this file)",
        use_instead="Report the failure to the backdoor-lint maintainers with the file; do not suppress it.",
        fix="rerun; if it persists, report it with the file attached",
    ),
    Rule(
        code="BDL903",
        name="file-skipped",
        category="scan-integrity",
        severity=WARN,
        confidence="high",
        cwe=("CWE-693",),
        languages=_ALL,
        summary="A file was skipped for its size, type or location",
        what=("Reported when a file is not analysed: too large, compiled code, a symlink out of the tree, or a\n"
              "special file (named pipe, device, socket). It blocks for source files and special files."),
        why="Skipped files are unchecked; a backdoor placed in a huge or oddly linked file would pass unseen.",
        example="(a 60 MB generated .py file)",
        use_instead="Exclude generated files explicitly in the config, or raise max-file-size.",
        fix="remove the file or exclude its path in the config if it is not code you own (raise max-file-size for "
            "large source)",
        invalid=(Invalid("\x7fELF\x02\x01\x01\x00" + "\x00" * 8, "BDL903", 1,
                         path="pkg/_speedups.cpython-311-x86_64-linux-gnu.so"),),
        valid=(Valid("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "BDL903", path="docs/logo.png"),),
    ),
]
