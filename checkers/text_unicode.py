"""BDL701/BDL702: bidi controls and invisible characters, every occurrence, in any text file."""
from __future__ import annotations

import bisect
import re
import unicodedata

from backdoor_lint.checkers.examples import Invalid, Valid
from backdoor_lint.checkers.text import TextChecker, line_and_column, line_starts
from backdoor_lint.checkers.text_literals import literal_spans

from backdoor_lint.findings import Finding

BIDI = "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
INVISIBLE = (
    "\u200b-\u200d\u2060-\u2064\ufeff\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180e\u3164\uffa0"
    "\U000e0000-\U000e007f"
)
_PATTERN = re.compile(f"[{BIDI}]|[{INVISIBLE}]")
# UTF-8 lead bytes of every character above: files without them are skipped without decoding.
_TRIGGER = re.compile(rb"\xe2\x80[\x8b-\x8f\xaa-\xae]|\xe2\x81[\xa0-\xa9]|\xd8\x9c|\xef\xbb\xbf|\xc2\xad"
                      rb"|\xcd\x8f|\xe1\x85[\x9f\xa0]|\xe1\x9e[\xb4\xb5]|\xe1\xa0\x8e|\xe3\x85\xa4|\xef\xbe\xa0"
                      rb"|\xf3\xa0[\x80\x81]")
_JOINERS = {"\u200c", "\u200d"}
_MARKS = {"\u200e", "\u200f", "\u061c"}
# Letters of right-to-left scripts: Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic, and
# the presentation forms.
_RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def _is_pictograph(char: str) -> bool:
    return bool(char) and (unicodedata.category(char) in ("So", "Sk") or "\U0001f3fb" <= char <= "\U0001f3ff"
                           or char == "\ufe0f")


def _is_complex_script_letter(char: str) -> bool:
    return bool(char) and char.isalpha() and ord(char) > 0x24F


def _legitimate_joiner(text: str, offset: int) -> bool:
    """ZWJ inside an emoji sequence, or ZWJ/ZWNJ between two letters of a script that needs them
    (Persian, Indic, ...). Between ASCII letters or in code they are never legitimate."""
    before = text[offset - 1] if offset else ""
    after = text[offset + 1] if offset + 1 < len(text) else ""
    if text[offset] == "\u200d" and _is_pictograph(before) and _is_pictograph(after):
        return True
    return _is_complex_script_letter(before) and _is_complex_script_letter(after)


def _legitimate_mark(text: str, offset: int) -> bool:
    """A direction mark (LRM/RLM/ALM) right next to right-to-left letters is ordinary bidi text;
    one between ASCII characters only serves to change how code looks."""
    window = text[max(0, offset - 2) : offset] + text[offset + 1 : offset + 3]
    return bool(_RTL_LETTER.search(window.replace("\ufeff", "")))


def _mark_beside_neutral(text: str, offset: int) -> bool:
    """A mark next to punctuation or a symbol (`"d\u200f/m\u200f/Y"`) fixes where a neutral character
    is displayed in right-to-left text: how date and number formats of RTL locales are written."""
    around = text[max(0, offset - 1) : offset] + text[offset + 1 : offset + 2]
    return any(unicodedata.category(char)[0] in "PS" and char not in "\"'`" for char in around)  # not a quote


_OPENERS = {"\u202a": "embedding", "\u202b": "embedding", "\u202d": "embedding", "\u202e": "embedding",
            "\u2066": "isolate", "\u2067": "isolate", "\u2068": "isolate"}
_CLOSERS = {"\u202c": "embedding", "\u2069": "isolate"}
# Files of prose for people, where an invisible character is a typing accident, not a comparison.
_PROSE = (".txt", ".md", ".rst")
_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Where the Unicode bidi algorithm ends a paragraph, and with it every embedding, override and isolate.
_PARAGRAPH_END = re.compile("[\n\r\x1c-\x1e\x85\u2029]")


def _balanced(segment: str) -> bool:
    """Every embedding/override closed by a PDF and every isolate by a PDI, properly nested."""
    stack: list[str] = []
    for char in _CONTROL.findall(segment):
        if char in _OPENERS:
            stack.append(_OPENERS[char])
        elif not stack or stack.pop() != _CLOSERS[char]:
            return False
    return not stack


class _Grader:
    """Grades one file's bidi characters by where they are: in code, or inside a string literal or
    comment (for text files, inside a line), balanced or not."""

    def __init__(self, text: str, language: str) -> None:
        self.text = text
        self.spans = literal_spans(text, language)
        self.span_starts = [span.start for span in self.spans or ()]

    def _container(self, offset: int) -> tuple[int, int, str] | None:
        """The literal, comment or (for text files) paragraph holding `offset`, cut to its paragraph;
        None in code."""
        if self.spans is None:
            start, end, kind = 0, len(self.text), "text"
        else:
            index = bisect.bisect_right(self.span_starts, offset) - 1
            if index < 0 or self.spans[index].end <= offset:
                return None
            start, end, kind = self.spans[index]
        before = self.text.rfind("\n", start, offset)  # fast path, then the exact paragraph ends
        for match in _PARAGRAPH_END.finditer(self.text, max(start, before), offset):
            start = match.end()
        match = _PARAGRAPH_END.search(self.text, offset, end)
        return start, match.start() if match else end, kind

    def control(self, offset: int) -> tuple[str, str] | None:
        """(severity, why) of an embedding/override/isolate, or None when it is accepted."""
        container = self._container(offset)
        if container is None:
            return "block", "outside any string literal or comment, it reorders how the code itself is displayed"
        start, end, kind = container
        where = {"string": "string literal", "comment": "comment", "text": "line"}[kind]
        segment = self.text[start:end]
        if not _balanced(segment):
            return "block", (f"it is not closed (or closes nothing) inside its {where}, so the rest of the line, "
                             "code included, is displayed in a different order than the compiler reads it")
        if kind != "comment" and _RTL_LETTER.search(segment):
            return None  # balanced controls around right-to-left text: locale or translation data
        return "warn", (f"balanced inside its {where}, it cannot reorder code, but the {where} is displayed in a "
                        "different order than it holds")

    def invisible(self, offset: int, display: str) -> tuple[str, str]:
        """(severity, why) of an invisible character. Only where nothing is compared or resolved (a
        comment of a source file, a prose file) is it a warning; tag characters, which can spell
        out hidden instructions to a model reading the text, block everywhere."""
        why = "text that looks identical in review compares or resolves differently"
        if ord(self.text[offset]) >= 0xE0000:
            return "block", "tag characters spell out text no reviewer sees, e.g. hidden instructions to a model"
        if display.lower().endswith(_PROSE):
            return "warn", f"{why}; in a prose file it changes no code"
        container = self._container(offset) if self.spans is not None else None
        if container is not None and container[2] == "comment":
            return "warn", f"{why}; in a comment it changes no code"
        return "block", why

    def mark(self, offset: int) -> tuple[str, str] | None:
        """Marks reorder nothing beyond neutral characters: never blocking; accepted in text that
        needs them."""
        if _legitimate_mark(self.text, offset):
            return None
        container = self._container(offset)
        if container is None:
            return "warn", "a direction mark in code changes nothing but how the line looks"
        if container[2] == "comment" or _mark_beside_neutral(self.text, offset):
            return None
        return "warn", ("a direction mark between left-to-right letters: the text looks the same as without it "
                        "but compares differently")


class InvisibleText(TextChecker):
    CODES = ("BDL701", "BDL702")
    TRIGGER = _TRIGGER
    EXCEPT = frozenset({"translation"})  # catalogues are data for people who read right-to-left, not code

    def check(self, text: str, display: str, language: str) -> list[Finding]:
        findings = []
        starts: list[int] | None = None
        grader: _Grader | None = None
        for match in _PATTERN.finditer(text):
            offset = match.start()
            char = match.group()
            if char == "\ufeff" and offset == 0:
                continue  # a byte-order mark at the start of the file is an encoding marker
            if char in _JOINERS and _legitimate_joiner(text, offset):
                continue
            name = unicodedata.name(char, "TAG CHARACTER" if ord(char) >= 0xE0000 else "FORMAT CHARACTER")
            if re.match(f"[{BIDI}]", char):
                grader = grader or _Grader(text, language)
                grade = grader.mark(offset) if char in _MARKS else grader.control(offset)
                if grade is None:
                    continue
                code, (severity, why) = "BDL701", grade
                message = f"bidi control U+{ord(char):04X} {name}: {why}"
            else:
                grader = grader or _Grader(text, language)
                code, (severity, why) = "BDL702", grader.invisible(offset, display)
                message = f"invisible character U+{ord(char):04X} {name}: {why}"
            starts = starts or line_starts(text)
            line, column = line_and_column(text, offset, starts)
            line_text = text[starts[line - 1] : starts[line] if line < len(starts) else len(text)].rstrip("\r\n")
            visible = line_text.encode("ascii", "backslashreplace").decode()
            findings.append(Finding(display, line, column, code, message, engine="text", snippet=visible,
                                    severity=severity))
        return findings

    VALID = [
        Valid('"""Tschüß, カート, سلة"""\nBIDI = "\\u202e"  # escapes are visible\n', "BDL701"),
        Valid('\ufeff"""byte-order mark at the start of the file"""\n', "BDL702"),
        Valid('FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"\n', "BDL702"),  # emoji ZWJ sequence
        Valid('WORD = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"\n', "BDL702"),  # Persian ZWNJ
        Valid("const s = 'plain ascii';\n", "BDL701", path="a.js"),
        Valid('GREETING = "\u05e9\u05dc\u05d5\u05dd\u200f!"\n', "BDL701"),  # RLM after Hebrew text
        Valid('msgid "Save"\nmsgstr "\u202b\u062d\u0641\u0638\u202c"\n', "BDL701", path="locale/ar/django.po"),
        # right-to-left locale formats: RLM/ALM place the separators of a date
        Valid('SHORT_DATE_FORMAT = "d\u200f/m\u200f/Y"\n', "BDL701", path="conf/locale/ar/formats.py"),
        Valid('SHORT_DATETIME_FORMAT = "Y/n/j\u060c\u200f G:i"\n', "BDL701", path="conf/locale/fa/formats.py"),
        Valid("const format = 'd\u200f/m\u200f/Y';\n", "BDL701", path="locale/he.js"),
        # balanced embedding around Arabic text in a string: translation data, not code
        Valid('SAVE = "\u202b\u062d\u0641\u0638\u202c"\n', "BDL701"),
    ]
    INVALID = [
        Invalid('if access_level != "user\u202e \u2066# Check if admin\u2069 \u2066":\n    pass\n', "BDL701", 1),
        Invalid('x = 1\n# \u2067 isolate\n', "BDL701", 2),
        # an override hidden in a comment, never closed: the code after it on the line is reordered
        Invalid("/* \u202e } \u2066if (isAdmin)\u2069 \u2066 begin admins only */ if (x) { grant(); }\n", "BDL701", 1,
                path="a.js"),
        # an override opened in a string and closed in the next one: each literal is unbalanced
        Invalid('ok = role == "user\u202e" and "\u202c" or grant()\n', "BDL701", 1),
        # isolates reordering code: balanced, but outside any literal (a shell word may hold them)
        Invalid("echo done \u2066; grant_admin\u2069\n", "BDL701", 1, path="run.sh"),
        Invalid('if role == "admin\u200f":\n    pass\n', "BDL701", 1),  # RLM between ASCII
        Invalid("const ok = role === 'user\u200f';\n", "BDL701", 1, path="a.js"),
        Invalid('if path.startswith("/ad\u200bmin"):\n    pass\n', "BDL702", 1),
        Invalid("let is\u200dAdmin = true;\n", "BDL702", 1, path="a.js"),
        Invalid('x = 1\ny = "\ufeff"\n', "BDL702", 2),
        Invalid('PROMPT = "hello\U000e0069\U000e0067\U000e006e"\n', "BDL702", 1),
        Invalid("echo ok\u2060; rm -rf /tmp/x\n", "BDL702", 1, path="run.sh"),
        Invalid('name = "a\u3164b"\n', "BDL702", 1),
    ]
