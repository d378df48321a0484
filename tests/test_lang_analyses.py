"""The tree-sitter analyses of JavaScript/TypeScript, Go and Java (checkers/lang/, checkers/ts_*.py):
the evaluators on their own, every INVALID example rewritten the way an evader would (strings built
from pieces or decoded: tests/lang_rewrites.py), one report per site when semgrep finds it too,
and bad input (unparsable regions, minified bundles, deep nesting) handled in linear time."""
import sys
import time
from pathlib import Path

import pytest
from backdoor_lint.checkers.lang.golang import GoFile
from backdoor_lint.checkers.lang.java import JavaFile
from backdoor_lint.checkers.lang.javascript import JsFile
from backdoor_lint.checkers.lang.syntax import Source
from backdoor_lint.checkers.lang.values import UNKNOWN
from backdoor_lint.checkers.ts_go import GoValueChecker
from backdoor_lint.checkers.ts_java import JavaValueChecker
from backdoor_lint.checkers.ts_javascript import JavaScriptValueChecker

from backdoor_lint import policy, semgrep_runner
from backdoor_lint.config import Config
from backdoor_lint.engine import scan
from backdoor_lint.languages import language_for

sys.path.insert(0, str(Path(__file__).parent))
from lang_rewrites import KINDS, rewritten  # noqa: E402


def _last_value(text: str, grammar: str, file_class):
    """The value of the last declaration's initialiser in `text`."""
    facts = file_class(Source(text, grammar))
    declarators = facts.source.of_type("variable_declarator", "const_spec", "var_spec", "short_var_declaration")
    node = declarators[-1]
    value = node.child_by_field_name("value") or node.child_by_field_name("right")
    if value is not None and value.type == "expression_list":
        value = value.named_children[0]
    return facts.value(value)


@pytest.mark.parametrize("text,expected", [
    ("const a = 'ver' + `if${'y'}`;", "verify"),
    ("const A = ['RS256']; const B = [...A, 'HS' + 256];", ("RS256", "HS256")),
    ("const o = {a: 1}; const p = Object.assign({}, o, {b: 2}); const q = p.b;", 2),
    ("const s = String.fromCharCode(101, 118, 97, 108);", "eval"),
    ("const s = atob('ZXZhbA==');", "eval"),
    ("const s = Buffer.from('6576616c', 'hex').toString();", "eval"),
    ("const s = 'lave'.split('').reverse().join('');", "eval"),
    ("function f() { return ['a', 'b']; } const s = f().join('-');", "a-b"),
    ("const k = Object.keys(x).find(n => n === 'spawn');", "spawn"),
    ("const s = unknownCall() + 'x';", UNKNOWN),
])
def test_javascript_values(text, expected):
    assert _last_value(text, "javascript", JsFile) == expected


@pytest.mark.parametrize("text,expected", [
    ('package a\nconst h = "HS"\nvar m = []string{"RS256", h + "256"}\n', ("RS256", "HS256")),
    ('package a\nimport b "encoding/base64"\nfunc f() { d, _ := b.StdEncoding.DecodeString("aWQ=")\n'
     '\tc := string(d) }\n', "id"),
    ('package a\nfunc alg() string { return "ES" + "256" }\nvar x = alg()\n', "ES256"),
])
def test_go_values(text, expected):
    assert _last_value(text, "go", GoFile) == expected


@pytest.mark.parametrize("text,expected", [
    ('class C { static final String A = "DES"; }\nclass D { String x = C.A + "/ECB"; }', "DES/ECB"),
    ('class C { String m; C() { this.m = "GCM"; } String x = "AES/" + this.m; }', "AES/GCM"),
    ('class C { static final String[] V = {"a", "b"}; String x = V[1].toUpperCase(); }', "B"),
    ('class C { String x = new String(java.util.Base64.getDecoder().decode("aWQ=")); }', "id"),
])
def test_java_values(text, expected):
    assert _last_value(text, "java", JavaFile) == expected


# Once a rewrite decodes a command's constant part at run time, the command is hidden: BDL501
# (decoded code executed) is the finding, stronger than BDL505 (built from variable data).
STRONGER = {"BDL505": {"BDL501"}}
CHECKERS = {"javascript": JavaScriptValueChecker, "go": GoValueChecker, "java": JavaValueChecker}
REWRITE_CASES = [(checker, example, kind) for language, checker in CHECKERS.items() for example in checker.INVALID
                 if example.code != "BDL901" for kind in KINDS[language]]


def _grammar(path: str) -> str:
    language = language_for(path)
    return "tsx" if path.endswith(".tsx") else language


@pytest.mark.parametrize("checker,example,kind", REWRITE_CASES,
                         ids=[f"{c.__name__}-{e.code}-{i}-{k}" for i, (c, e, k) in enumerate(REWRITE_CASES)])
def test_rewritten_invalid_example_is_still_flagged(checker, example, kind):
    grammar = _grammar(example.path)
    mutant = rewritten(example.source, "javascript" if grammar in ("typescript", "tsx") else grammar, kind)
    found = checker().check(mutant, example.path, language_for(example.path))
    codes = {example.code} | STRONGER.get(example.code, set())
    assert {(f.code, f.line) for f in found if f.code in codes and f.line == example.line} or \
        example.line is None and codes & {f.code for f in found}, f"{example.code} lost after '{kind}':\n{mutant}\n{found}"
    assert "BDL901" not in {f.code for f in found}, mutant


# Semgrep rules the analysis covers completely (every site on the dev corpus, the peer suites and
# these fixtures, plus evasions the patterns miss), retired (tests/test_semgrep.py RETIRED checks
# every retired rule's fixture notes). Their fixture sites must stay found, their look-alikes quiet.
RETIRED_RULE_SITES = [
    ("tests/semgrep/javascript/tls.js", "BDL301", {8, 13, 18}, {24}),  # js-reject-unauthorized-false
    ("tests/semgrep/javascript/jwt.ts", "BDL101", {11, 16, 21, 26}, {31, 36, 41}),  # js-jwt-mixed-algorithms(-constant)
    ("tests/semgrep/go/security.go", "BDL301", {102}, {104}),  # go-insecure-skip-verify
]


@pytest.mark.parametrize("path,code,flagged,quiet", RETIRED_RULE_SITES)
def test_sites_of_semgrep_rules_the_analysis_covers_are_found(path, code, flagged, quiet):
    text = (Path(__file__).parent.parent / path).read_text(encoding="utf-8")
    language = language_for(path)
    checker = GoValueChecker if language == "go" else JavaScriptValueChecker
    lines = {f.line for f in checker().check(text, path, language) if f.code == code}
    assert flagged <= lines and not quiet & lines, (sorted(lines), flagged, quiet)


def test_a_site_semgrep_also_finds_is_reported_once():
    """DES is a semgrep rule's (java-broken-cipher, kept: the analysis misses some of its sites) and
    the analysis' finding: one report. (JavaScript's overlapping rules are retired.)"""
    path = "Box.java"
    text = ('import javax.crypto.Cipher;\n\nclass Box {\n    Cipher make() throws Exception {\n'
            '        return Cipher.getInstance("DES/CBC/PKCS5Padding");\n    }\n}\n')
    ours = JavaValueChecker().check(text, path, "java")
    theirs = semgrep_runner.scan_contents([(path, text.encode())], Config()).findings
    assert {("BDL203", 5)} <= {(f.code, f.line) for f in ours}
    assert {("BDL203", 5)} <= {(f.code, f.line) for f in theirs}
    kept = policy.dedupe_across_engines(ours + theirs)
    assert [(f.code, f.line, f.engine) for f in kept if f.code == "BDL203"] == [("BDL203", 5, "text")]


def test_unparsable_region_is_reported_and_the_rest_analysed():
    text = ("const cp = require('child_process');\ncp['ex' + 'ec'](atob('aWQ='));\n"
            "function broken( {{{\n")
    found = {(f.code, f.line) for f in JavaScriptValueChecker().check(text, "x.js", "javascript")}
    assert ("BDL901", 3) in found
    assert {("BDL503", 2), ("BDL501", 2)} <= found


@pytest.mark.parametrize("checker,path,text,broken", [
    (JavaScriptValueChecker, "broken.js", "function ok() { return 1; }\nconst x = {{{;\n", True),
    (JavaScriptValueChecker, "view.jsx", "const x = <div className='a'>{items.map(i => <Item key={i.id} {...i} />)}"
                                         "</div>;\n", False),
    (JavaScriptValueChecker, "view.tsx", "const f = <T,>(x: T) => <b>{String(x)}</b>;\n", False),
    (JavaScriptValueChecker, "cast.ts", "const n = <number>value;\n", False),
    (GoValueChecker, "main.go", 'package main\n\nimport "os/exec"\n\nfunc main() {\n\tx := []int{1, 2\n'
                                '\texec.Command("id").Run()\n}\n', True),
    (GoValueChecker, "main.go", 'package main\n\nfunc main() {\n\tx := []int{1, 2}\n\t_ = x\n}\n', False),
    (JavaValueChecker, "Run.java", 'class Run {\n    void go() throws Exception {\n'
                                   '        Runtime.getRuntime().exec("id"\n    }\n}\n', True),
    (JavaValueChecker, "Run.java", 'class Run {\n    void go() throws Exception {\n'
                                   '        Runtime.getRuntime().exec(new String[]{"git", "status"});\n    }\n}\n', False),
])
def test_what_tree_sitter_cannot_parse_is_bdl901(checker, path, text, broken):
    """The grammar is chosen by the file name (JSX in .js/.jsx, TSX only in .tsx, `<T>x` casts in .ts)."""
    codes = {f.code for f in checker().check(text, path, language_for(path))}
    assert ("BDL901" in codes) == broken, codes


def _minified(size: int) -> str:
    """A bundle-like file: thousands of small functions binding the same one-letter names."""
    chunk = ("!function(e,t){var n=e.a||{},r=t['b'+'c'];function o(e){return e+n[r]}"
             "n.x=o(t);e[r]=[1,2,'s'].join('');}(window,{bc:1});")
    return chunk * (size // len(chunk) + 1)


def _analyse(text: str) -> float:
    """Processor seconds of this thread (time spent waiting for the processor on a loaded machine is
    not the analysis's and is not counted)."""
    start = time.thread_time()
    JavaScriptValueChecker().check(text, "bundle.min.js", "javascript")
    return time.thread_time() - start


def test_minified_bundle_is_linear():
    """1 MB of minified code: nodes in proportion to the size, and the processor time of the whole no
    more than a generous multiple of sixteen times that of a sixteenth (calibrated on this machine
    now: quadratic work at this size is hundreds of times slower, load is not)."""
    big = _minified(1_000_000)
    small = big[:len(big) // 16]
    assert Source(big, "javascript").root.descendant_count < 2 * len(big)  # nodes in proportion to the size
    small_time = min(_analyse(small) for _ in range(3))
    big_time = _analyse(big)
    assert big_time < 16 * small_time * 6 + 0.5, (big_time, small_time)


def test_deep_nesting_does_not_crash():
    text = "const x = " + "[" * 20_000 + "1" + "]" * 20_000 + ";\neval(atob('aWQ='));\n"
    found = JavaScriptValueChecker().check(text, "deep.js", "javascript")
    assert ("BDL501", 2) in {(f.code, f.line) for f in found}


@pytest.mark.parametrize("name, source", [
    ("util.js", "var total = 0;\nfunction add( {\n"),
    ("util.ts", "let total: number = 0;\nfunction add( {\n"),
    ("util.go", "package util\n\nfunc Add( {\n"),
    ("Util.java", "class Util {\n    int add( {\n}\n"),
])
def test_syntax_error_is_reported_where_no_rule_has_a_site(tmp_path, name, source):
    """No trigger word, so no analysis runs; the file is still parsed (nothing else parses it since
    semgrep left these languages) and a syntax error is BDL901, never a clean file."""
    (tmp_path / name).write_text(source)
    result = scan([str(tmp_path)], Config(), jobs=1)
    assert [(f.code, f.line) for f in result.findings] == [("BDL901", 2 if name != "util.go" else 3)], result.findings
