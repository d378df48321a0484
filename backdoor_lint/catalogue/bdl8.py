"""BDL8xx: tampering with the guard itself."""
from backdoor_lint.catalogue import BLOCK, Rule

RULES = [
    Rule(
        code="BDL801",
        name="invalid-suppression",
        category="guard-tampering",
        severity=BLOCK,
        confidence="high",
        cwe=("CWE-693",),
        languages=("any",),
        summary="backdoor-lint suppression without codes, without a reason, or naming unknown codes",
        what=(
            "Reports a `backdoor-lint: ignore` comment that is blanket (no codes), gives no reason,\n"
            "or names codes that do not exist. Such a comment suppresses nothing."
        ),
        why=(
            "A bare ignore is the cheapest way to switch the guard off for a line that carries a\n"
            "backdoor, and nobody reviewing the diff learns why. Requiring the exact code and a\n"
            "reason makes each suppression a reviewable statement."
        ),
        example="token = jwt.decode(t, KEY, algorithms=ALGS)  # backdoor-lint: ignore",
        use_instead="# backdoor-lint: ignore[BDL101] migration window until 2026-12-01, tracked in SEC-123",
        fix="name the code(s) in brackets and say why, e.g. # backdoor-lint: ignore[BDL101] reason",
    ),
]
