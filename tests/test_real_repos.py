"""What real repositories hold that is not a backdoor must not block, while the evasions
next to it still do."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from backdoor_lint.config import Config
from backdoor_lint.engine import scan_bytes

ROOT = Path(__file__).resolve().parents[1]


def graded(path: str, source: str) -> list[tuple[str, str, int]]:
    result = scan_bytes(path, source.encode(), Config(semgrep=False))
    return [(f.code, f.severity, f.line) for f in result.findings if f.code == "BDL701"]


# Django 5.2's django/conf/locale/ar/formats.py, the lines with right-to-left marks.
DJANGO_AR_FORMATS = (
    '# This file is distributed under the same license as the Django package.\n'
    'DATE_FORMAT = "j F\u060c Y"\n'
    'SHORT_DATE_FORMAT = "d\u200f/m\u200f/Y"\n'
    'DECIMAL_SEPARATOR = ","\n'
)


def test_rtl_locale_formats_are_accepted():
    assert graded("django/conf/locale/ar/formats.py", DJANGO_AR_FORMATS) == []


@pytest.mark.parametrize("path, source, line", [
    # Trojan Source "stretched string": the override opened in the string is never closed
    ("a.py", 'if access_level != "user\u202e \u2066# Check if admin\u2069 \u2066":\n    pass\n', 1),
    # "commenting out": an override hidden in a comment reorders the code after the comment
    ("a.js", "/* \u202e } \u2066if (isAdmin)\u2069 \u2066 begin admins only */ if (x) {\n", 1),
    ("a.py", "x = 1\n# \u2067 isolate\n", 2),
    # opened in one literal and closed in the next: the code between them is reordered
    ("a.py", 'ok = role == "user\u202e" and "\u202c" or grant()\n', 1),
    # balanced, but in code: an isolate reorders the code itself
    ("A.java", "boolean is\u2067Admin\u2069 = true;\n", 1),
    ("a.go", "var ok = x \u202eb\u202c\n", 1),
    # a string continued on the next line: the paragraph (line) decides, not the literal
    ("a.js", "const s = `ok\u202e\n\u202c`; run();\n", 1),
    # a quote in a regex literal does not open a string that hides the code after it
    ("a.js", "if (/\"/.test(s) && \u2066admin\u2069) { grant(); }\n", 1),
    # a PDF that closes nothing
    ("a.py", 'x = "\u202cabc"\n', 1),
    # not tokenizable Python: nothing is trusted to be a literal
    ("a.py", 'x = "\u202bab\u202c" + \u202e\n', 1),
])
def test_controls_that_reorder_code_block(path, source, line):
    findings = graded(path, source)
    assert findings and all(severity == "block" for _, severity, _ in findings), findings
    assert line in {found_line for _, _, found_line in findings}


@pytest.mark.parametrize("path, source", [
    ("a.py", 'LABEL = "\u202eabc\u202c"\n'),  # balanced in a string, Latin text: displayed reversed
    ("a.py", "# \u2066note\u2069\nx = 1\n"),  # balanced in a comment
    ("a.sh", "echo '\u202bx\u202c'\n"),
    ("notes.txt", "a \u2067b\u2069 c\n"),  # plain text: no code to reorder
])
def test_balanced_controls_in_literals_warn(path, source):
    findings = graded(path, source)
    assert findings and all(severity == "warn" for _, severity, _ in findings), findings


@pytest.mark.parametrize("source", [
    'if role == "admin\u200f":\n    pass\n',  # a mark between Latin letters: compares differently
    'x = 1 \u200e\n',  # a mark in code
])
def test_direction_marks_never_block(source):
    findings = graded("a.py", source)
    assert findings and all(severity == "warn" for _, severity, _ in findings), findings


# The start of Flask 3.1.3's flask-3.1.3.dist-info/METADATA: no extension, a Python sample in Markdown.
FLASK_METADATA = '''Metadata-Version: 2.4
Name: Flask
Version: 3.1.3

# Flask

## A Simple Example

```python
# save this as app.py
from flask import Flask

app = Flask(__name__)

@app.route("/")
def hello():
    return "Hello, World!"
```

```
$ flask run
  * Running on http://127.0.0.1:5000/ (Press CTRL+C to quit)
```
'''


def test_file_without_extension_or_shebang_is_text():
    from backdoor_lint.languages import language_for

    assert language_for("flask-3.1.3.dist-info/METADATA", FLASK_METADATA.encode()) == "text"
    result = scan_bytes("flask-3.1.3.dist-info/METADATA", FLASK_METADATA.encode(), Config(semgrep=False))
    assert result.findings == []
    # text rules still run on it
    hidden = FLASK_METADATA.replace("Hello, World!", "Hello\u202e")
    assert [f.code for f in scan_bytes("METADATA", hidden.encode(), Config(semgrep=False)).findings] == ["BDL701"]


@pytest.mark.parametrize("name, head, language", [
    ("bin/deploy", b"#!/usr/bin/env python3\nimport os\n", "python"),
    ("bin/run", b"#!/bin/sh\necho ok\n", "bash"),
    ("bin/serve", b"#!/usr/bin/env node\nconsole.log(1)\n", "javascript"),
    ("SConstruct", b"env = Environment()\n", "python"),
    ("tool", b"import os\nos.system('x')\n", "text"),
    ("README", b"from flask import Flask\n", "text"),
    ("payload.png", b"import os\n", "text"),
])
def test_language_from_content_only_when_unambiguous(name, head, language):
    from backdoor_lint.languages import language_for

    assert language_for(name, head) == language


# ---------------------------------------------------------------- vendored libraries by content

# A stand-in for a published library file: it holds what the rules report (a bidi override in a
# string, a TLS check switched off), so "not analysed" is visible in the findings.
LIBRARY = ("/*! demo-lib v1.0.0 */\n"
           "var s = 'a\u202eb';\n"
           "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';\n").encode()


@pytest.fixture
def published(monkeypatch):
    """The vendored-hash table holding LIBRARY as demo-lib@1.0.0 dist/demo.min.js."""
    import hashlib

    from backdoor_lint import vendored

    table = (frozenset({len(LIBRARY)}), {hashlib.sha256(LIBRARY).hexdigest(): ("demo-lib@1.0.0", "dist/demo.min.js")})
    monkeypatch.setattr(vendored, "known_files", lambda: table)


def _json_scan(cli, tree):
    import json

    run = cli("scan", ".", "--no-cache", "--format", "json", cwd=tree)
    return run, json.loads(run.stdout)


def test_identical_copy_of_a_published_file_is_listed_not_analysed(tmp_path, cli, published):
    tree = tmp_path / "tree"
    (tree / "static" / "vendor").mkdir(parents=True)
    (tree / "static" / "vendor" / "demo.min.js").write_bytes(LIBRARY)
    (tree / "anywhere.js").write_bytes(LIBRARY)  # content decides, not the path
    (tree / "app.py").write_text("x = 1\n")
    run, report = _json_scan(cli, tree)
    assert run.returncode == 0, run.stdout
    assert report["findings"] == [] and report["files_scanned"] == 1
    assert sorted((k["path"], k["package"], k["file"]) for k in report["known_vendored"]) == [
        ("anywhere.js", "demo-lib@1.0.0", "dist/demo.min.js"),
        ("static/vendor/demo.min.js", "demo-lib@1.0.0", "dist/demo.min.js")]
    text = cli("scan", ".", "--no-cache", cwd=tree)
    assert "2 unmodified copies of published libraries" in text.stdout
    assert "static/vendor/demo.min.js: demo-lib@1.0.0 dist/demo.min.js" in text.stdout


def test_copy_with_one_changed_byte_is_scanned_in_full(tmp_path, cli, published):
    tree = tmp_path / "tree"
    (tree / "static" / "vendor").mkdir(parents=True)
    changed = LIBRARY.replace(b"v1.0.0", b"v1.0.1")  # same size, one byte different
    assert len(changed) == len(LIBRARY)
    (tree / "static" / "vendor" / "demo.min.js").write_bytes(changed)
    run, report = _json_scan(cli, tree)
    assert run.returncode == 1
    assert "known_vendored" not in report and report["files_scanned"] == 1
    assert {f["code"] for f in report["findings"]} >= {"BDL701", "BDL302"}, report["findings"]


def test_shipped_table_knows_the_libraries_django_vendors():
    import base64

    from backdoor_lint import vendored

    sizes, by_hash = vendored.known_files()
    packages = {package.rsplit("@", 1)[0] for package, _ in by_hash.values()}
    assert {"jquery", "jquery-ui", "select2", "xregexp", "bootstrap", "@popperjs/core", "lodash", "moment", "d3",
            "chart.js", "htmx.org", "alpinejs", "react", "react-dom"} <= packages
    # jquery-3.7.1.min.js, by the Subresource Integrity hash code.jquery.com publishes for it
    sri = base64.b64decode("/JqT3SQfawRcv/BIHPThkBvs0OEvtFFmqPF/lYI/Cxo=").hex()
    assert by_hash[sri] == ("jquery@3.7.1", "dist/jquery.min.js")
    assert min(sizes) >= 100  # no empty or trivial file is "known"


@pytest.mark.parametrize("path, source, severity", [
    # pip 26.3: a zero-width space at the end of a comment, and inside a name in AUTHORS.txt
    ("pip/_internal/utils/unpacking.py", "    # NOTE: removable once pip requires CPython \u2265 3.12.\u200b\nx = 1\n", "warn"),
    ("pip-26.3.dist-info/licenses/AUTHORS.txt", "S\u200bage Abdullah\n", "warn"),
    ("a.js", "// note\u200b\nlet x = 1;\n", "warn"),
    # where text is compared or resolved, or a model reads hidden text, it blocks
    ("a.py", 'if path.startswith("/ad\u200bmin"):\n    pass\n', "block"),
    ("a.js", "let is\u200dAdmin = true;\n", "block"),
    ("a.py", "# hidden \U000e0069\U000e0067\U000e006e\nx = 1\n", "block"),
    ("README.md", "Install it.\U000e0072\U000e006d\n", "block"),
    ("settings.toml", 'admin = "ro\u200bot"\n', "block"),
])
def test_invisible_characters_graded_by_place(path, source, severity):
    result = scan_bytes(path, source.encode(), Config(semgrep=False))
    found = [(f.code, f.severity) for f in result.findings if f.code == "BDL702"]
    assert found and all(s == severity for _, s in found), found


# ---------------------------------------------------------------- full scans of the pinned trees

def _bench_trees():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import trees
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return trees


# Every blocking finding a full scan of each pinned wheel (benchmarks/trees.py) may give, as
# (path, code), each judged by reading the code. Anything else that blocks is a false positive to fix.
JUDGED_BLOCKING = {
    "django": {
        # salted MD5 of a password (MD5PasswordHasher.encode): a real weak password hash, kept for legacy logins
        ("django/contrib/auth/hashers.py", "BDL201"),
        # a Django template named .js ({% autoescape off %} on line 1): not JavaScript, cannot be parsed as it
        ("django/views/templates/i18n_catalog.js", "BDL901"),
        # Django's copy of XRegExp differs from every published build, so it is scanned: its Unicode
        # tables hold unbalanced bidi controls and invisible characters inside string literals
        ("django/contrib/admin/static/admin/js/vendor/xregexp/xregexp.min.js", "BDL701"),
        ("django/contrib/admin/static/admin/js/vendor/xregexp/xregexp.min.js", "BDL702"),
    },
    "flask": set(), "requests": set(), "urllib3": set(), "pyjwt": set(), "sqlalchemy": set(), "pip": set(),
}
MUST_BLOCK = {"django": {("django/contrib/auth/hashers.py", "BDL201"), ("django/views/templates/i18n_catalog.js", "BDL901")}}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(JUDGED_BLOCKING))
def test_full_scan_of_a_pinned_tree_blocks_only_on_judged_findings(name, cli, benchmark_cache):
    """The whole unpacked wheel (package, dist-info, vendored files), as downloaded by
    benchmarks/run.py; skipped when the tree is not in the cache (no network in the tests)."""
    import json

    trees = _bench_trees()
    tree = trees.BY_NAME[name]
    root = benchmark_cache / "trees" / tree.wheel.removesuffix(".whl")
    if not (root / ".complete").is_file():
        pytest.skip(f"{tree.requirement} not in {root.parent} (benchmarks/run.py --trees {name} downloads it)")
    run = cli("scan", ".", "--no-cache", "--format", "json", cwd=root)
    assert run.returncode in (0, 1), run.stderr
    report = json.loads(run.stdout)
    blocking = {(f["path"], f["code"]) for f in report["findings"] if f["severity"] == "block"}
    assert blocking <= JUDGED_BLOCKING[name], sorted(blocking - JUDGED_BLOCKING[name])
    assert MUST_BLOCK.get(name, set()) <= blocking
