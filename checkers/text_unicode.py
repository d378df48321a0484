"""BDL701/BDL702: bidi controls and invisible characters, every occurrence, in any text file."""
from __future__ import annotations

import re
import unicodedata

from backdoor_lint.checkers.examples import Invalid, Valid
from backdoor_lint.checkers.text import TextChecker, line_and_column, line_starts

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


class InvisibleText(TextChecker):
    CODES = ("BDL701", "BDL702")
    TRIGGER = _TRIGGER

    @classmethod
    def wants(cls, raw: bytes, language: str) -> bool:
        # Translation catalogues are data for people who read right-to-left, not code.
        return language != "translation" and super().wants(raw, language)

    def check(self, text: str, display: str, language: str) -> list[Finding]:
        findings = []
        starts: list[int] | None = None
        for match in _PATTERN.finditer(text):
            offset = match.start()
            char = match.group()
            if char == "\ufeff" and offset == 0:
                continue  # a byte-order mark at the start of the file is an encoding marker
            if char in _JOINERS and _legitimate_joiner(text, offset):
                continue
            if char in _MARKS and _legitimate_mark(text, offset):
                continue
            starts = starts or line_starts(text)
            line, column = line_and_column(text, offset, starts)
            name = unicodedata.name(char, "TAG CHARACTER" if ord(char) >= 0xE0000 else "FORMAT CHARACTER")
            line_text = text[starts[line - 1] : starts[line] if line < len(starts) else len(text)].rstrip("\r\n")
            visible = line_text.encode("ascii", "backslashreplace").decode()
            if re.match(f"[{BIDI}]", char):
                code = "BDL701"
                message = (f"bidi control U+{ord(char):04X} {name} makes editors and reviewers see this line in a "
                           "different order than the compiler reads it")
            else:
                code = "BDL702"
                message = (f"invisible character U+{ord(char):04X} {name}: text that looks identical in review "
                           "compares or resolves differently")
            findings.append(Finding(display, line, column, code, message, engine="text", snippet=visible))
        return findings

    VALID = [
        Valid('"""Tschüß, カート, سلة"""\nBIDI = "\\u202e"  # escapes are visible\n', "BDL701"),
        Valid('\ufeff"""byte-order mark at the start of the file"""\n', "BDL702"),
        Valid('FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"\n', "BDL702"),  # emoji ZWJ sequence
        Valid('WORD = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"\n', "BDL702"),  # Persian ZWNJ
        Valid("const s = 'plain ascii';\n", "BDL701", path="a.js"),
        Valid('GREETING = "\u05e9\u05dc\u05d5\u05dd\u200f!"\n', "BDL701"),  # RLM after Hebrew text
        Valid('msgid "Save"\nmsgstr "\u202b\u062d\u0641\u0638\u202c"\n', "BDL701", path="locale/ar/django.po"),
    ]
    INVALID = [
        Invalid('if access_level != "user\u202e \u2066# Check if admin\u2069 \u2066":\n    pass\n', "BDL701", 1),
        Invalid('x = 1\n# \u2067 isolate\n', "BDL701", 2),
        Invalid('if role == "admin\u200f":\n    pass\n', "BDL701", 1),  # RLM between ASCII
        Invalid("const ok = role === 'user\u200f';\n", "BDL701", 1, path="a.js"),
        Invalid('if path.startswith("/ad\u200bmin"):\n    pass\n', "BDL702", 1),
        Invalid("let is\u200dAdmin = true;\n", "BDL702", 1, path="a.js"),
        Invalid('x = 1\ny = "\ufeff"\n', "BDL702", 2),
        Invalid('PROMPT = "hello\U000e0069\U000e0067\U000e006e"\n', "BDL702", 1),
        Invalid("echo ok\u2060; rm -rf /tmp/x\n", "BDL702", 1, path="run.sh"),
        Invalid('name = "a\u3164b"\n', "BDL702", 1),
    ]
