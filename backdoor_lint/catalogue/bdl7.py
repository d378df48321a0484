"""BDL7xx: invisible or deceptive text, in every text file of any language."""
from backdoor_lint.catalogue import BLOCK, Rule

_TROJAN_REFS = (
    "https://trojansource.codes/ (Boucher & Anderson, Trojan Source, CVE-2021-42574)",
    "https://www.unicode.org/reports/tr9/ (Unicode Bidirectional Algorithm)",
    "https://cwe.mitre.org/data/definitions/1007.html",
)

RULES = [
    Rule(
        code="BDL701",
        name="bidi-control-character",
        category="trojan-source",
        severity=BLOCK,
        confidence="high",
        cwe=("CWE-1007", "CWE-451"),
        summary="Bidirectional control character that reorders how code is displayed",
        what=(
            "Reports Unicode bidirectional controls in any text file, graded by whether they can\n"
            "reorder code. Embeddings and overrides (U+202A-U+202E) and isolates (U+2066-U+2069)\n"
            "block when they are outside any string literal or comment, or when they are not closed\n"
            "inside the literal or comment (on the same line) that opens them: then the code after\n"
            "them is displayed reordered. Balanced inside one string literal or comment they only\n"
            "reorder that text: a warning, and nothing at all around right-to-left letters in a\n"
            "string (locale and translation data). Direction marks (U+200E LRM, U+200F RLM, U+061C\n"
            "ALM) reorder nothing but neutral characters: they never block, and a mark between\n"
            "left-to-right letters or in code is a warning."
        ),
        why=(
            "Editors and review tools render the text reordered, compilers read it in byte order. A\n"
            "right-to-left override can make `if role != \"user\u202e \u2066// admin\u2069 \u2066\"` look like a\n"
            "harmless comparison followed by a comment, while the compiled condition is different:\n"
            "the reviewer approves code they never saw (Trojan Source)."
        ),
        example='if access_level != "user<U+202E> <U+2066>// Check if admin<U+2069> <U+2066>":',
        use_instead=(
            "Remove the control characters. If right-to-left text is genuinely needed, keep it in\n"
            "a translation file, or write it with escapes (\"\\u202e\") so it is visible in review."
        ),
        fix="delete the invisible control character (or write it as a \\u escape)",
        known_problems=(
            "Accepted as ordinary right-to-left text: direction marks next to right-to-left letters or\n"
            "beside punctuation inside a string (the RLM of an Arabic date format \"d<U+200F>/m<U+200F>/Y\"),\n"
            "marks in comments, balanced controls around right-to-left letters in a string, and\n"
            "everything in translation catalogues (.po, .pot, .xlf). Literals and comments are found\n"
            "by a lexer per language (Python's tokenizer; C-family, shell and YAML quoting rules); a\n"
            "file it cannot follow is graded as all code. In plain text files each line counts as one\n"
            "literal."
        ),
        references=_TROJAN_REFS,
    ),
    Rule(
        code="BDL702",
        name="invisible-character",
        category="trojan-source",
        severity=BLOCK,
        confidence="high",
        cwe=("CWE-1007",),
        summary="Invisible character (zero-width, tag, filler) hidden in source text",
        what=(
            "Reports every zero-width character (U+200B-U+200D, U+2060), a byte-order mark that is\n"
            "not at the start of the file, Hangul fillers (U+115F, U+1160, U+3164, U+FFA0), tag\n"
            "characters (U+E0000-U+E007F), other invisible format characters and soft hyphens.\n"
            "They block in code and string literals, where text is compared or resolved; in a comment\n"
            "of a source file or in a prose file (.txt, .md, .rst) they are a warning. Tag characters\n"
            "block everywhere."
        ),
        why=(
            "Invisible characters make two strings that look identical compare unequal, or two\n"
            "identifiers that look identical be different variables. `\"/ad\u200bmin\"` looks like \"/admin\"\n"
            "in review, but a permission check against it never matches, so the guarded route is\n"
            "open. Tag characters can smuggle whole hidden instructions into text a model reads."
        ),
        example='if path.startswith("/ad<U+200B>min"):',
        use_instead="Delete the character. If one is really needed in a string, write it as an escape (\"\\u200b\").",
        fix="delete the invisible character (or write it as a \\u escape)",
        references=_TROJAN_REFS,
    ),
]
