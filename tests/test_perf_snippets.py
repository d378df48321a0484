"""Snippets are capped (issue 8): a finding in a minified file must not copy a 160 KB line into
every report, baseline and cache entry. The cut is deterministic, so fingerprints and the
changed-lines filter still match equal sites."""
from backdoor_lint.changes import _site
from backdoor_lint.config import Config
from backdoor_lint.engine import scan_bytes
from backdoor_lint.findings import SNIPPET_LINE_CHARS, SNIPPET_LINES, Finding, cap_snippet


def test_short_snippets_are_untouched():
    assert cap_snippet("x = 1") == "x = 1"
    assert cap_snippet("a\nb\nc") == "a\nb\nc"


def test_long_lines_and_many_lines_are_cut():
    text = "\n".join(f"line{i} " + "x" * 1000 for i in range(50))
    capped = cap_snippet(text)
    lines = capped.split("\n")
    assert len(lines) == SNIPPET_LINES + 1 and lines[-1].endswith("(45 more lines)")
    assert all(len(line) <= SNIPPET_LINE_CHARS + 2 for line in lines)
    assert cap_snippet(capped) == capped or len(cap_snippet(capped)) <= len(capped)


def test_cut_ignores_indentation_so_stripped_copies_match():
    line = "        " + "y = '" + "z" * 2000 + "'"
    assert _site(cap_snippet(line)) == _site(cap_snippet(line.strip()))


def test_minified_file_finding_has_a_short_snippet():
    data = ("var a=1;" * 20000 + "var s='\u202e';" + "var b=2;" * 20000 + "\n").encode()
    findings = scan_bytes("vendor/app.min.js", data, Config()).findings
    assert findings and all(len(f.snippet) < 1000 for f in findings)


def test_finding_caps_at_construction():
    finding = Finding("a.py", 1, 1, "BDL901", "m", snippet="q" * 10_000)
    assert len(finding.snippet) <= SNIPPET_LINE_CHARS + 2
