"""BDL703/704: confusable and mixed-script identifiers and host names."""
from backdoor_lint.catalogue import BLOCK, Rule

_REFS = ("https://www.unicode.org/reports/tr39/ (Unicode Security Mechanisms: confusables, mixed script)",)

RULES = [
    Rule(
        code="BDL703", name="confusable-identifier", category="trojan-source", severity=BLOCK, confidence="high",
        cwe=("CWE-1007",),
        summary="Identifier that mixes scripts or is confusable with another identifier in the file",
        what="Flags identifiers mixing scripts (Latin with Cyrillic/Greek look-alikes) and identifiers whose Unicode skeleton equals another, different identifier.",
        why="`is_аdmin` with a Cyrillic а is a different function from is_admin; a reviewer sees the familiar name while the code calls a weaker look-alike.",
        example="def is_\u0430dmin(user): return True",
        use_instead="Use one script per identifier; ASCII for code identifiers.",
        fix="retype the identifier in a single script (ASCII)",
        references=_REFS,
    ),
    Rule(
        code="BDL704", name="confusable-hostname", category="trojan-source", severity=BLOCK, confidence="high",
        cwe=("CWE-1007", "CWE-601"),
        summary="Host name in a URL with mixed scripts or confusable characters",
        what="Flags URL host names that mix scripts or contain characters confusable with ASCII (files.pythonh\u043ested.org).",
        why="A look-alike host is a different server: packages, credentials or webhooks go to whoever registered the homoglyph domain.",
        example='INDEX = "https://files.pythonh\u043ested.org/simple"',
        use_instead="Type host names in ASCII (punycode for genuine IDNs).",
        fix="retype the host name in ASCII",
        references=_REFS,
    ),
]
