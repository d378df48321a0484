"""trigger_facts.python_facts: what the Python rules' triggers see (comments and docstrings left out)
and which imports a file binds."""
import ast
from pathlib import Path

import pytest
from backdoor_lint.checkers.trigger_facts import python_facts

ROOT = Path(__file__).resolve().parents[1]


def facts(source: str):
    data = source.encode()
    return python_facts(data, ast.parse(data))


def code_lines(source: str) -> list[str]:
    return facts(source).code.decode().split("\n")


def test_comment_lines_and_docstrings_are_emptied_and_lines_are_kept():
    source = ('"""Module doc: token auth."""\n# http requests\nimport os\n\n\ndef f(a):\n    """doc: passw"""\n'
              '    # secret\n    return a  # trailing comments stay\n')
    assert code_lines(source) == ["", "", "import os", "", "", "def f(a):", "", "", "    return a  # trailing comments stay",
                                  ""]


def test_code_sharing_a_line_with_a_docstring_or_a_body_is_kept():
    source = 'class A: x = 1\ndef f(): "not emptied: the line has code"\ndef g(a,\n      b=Header(None)): """d"""\n'
    assert code_lines(source)[:4] == ['class A: x = 1', 'def f(): "not emptied: the line has code"', "def g(a,",
                                      '      b=Header(None)): """d"""']


def test_headers_and_block_keywords_are_kept():
    source = ("@decorate(  # verify\n    x)\ndef f():\n    pass\ntry:\n    import requests\n"
              "except (requests.RequestException, OSError) as exc:\n    pass\nelse:\n    pass\n")
    lines = code_lines(source)
    assert lines[:3] == ["@decorate(  # verify", "    x)", "def f():"]
    assert lines[6] == "except (requests.RequestException, OSError) as exc:"
    assert lines[8] == "else:"


def test_a_hash_inside_a_string_is_not_a_comment():
    source = 'x = """\n# not a comment: exec(payload)\n"""\ny = "#"; eval(y)\n'
    assert code_lines(source)[:4] == ['x = """', "# not a comment: exec(payload)", '"""', 'y = "#"; eval(y)']


def test_a_string_statement_that_is_not_first_is_code():
    assert code_lines('def f():\n    x = 1\n    "kept"\n')[2] == '    "kept"'


def test_imports_are_found_wherever_they_are_and_name_what_they_bind():
    source = ("import os.path\nimport urllib.request as ur\ntry: import requests\nexcept ImportError: pass\n"
              "def f():\n    from socket import create_connection as cc\n    from . import http\n"
              "    from subprocess import *\n")
    assert facts(source).imports == {"os", "urllib.request", "requests", "socket.create_connection", "subprocess.*"}


def test_a_lone_carriage_return_keeps_the_code_whole():
    data = b"# c\rimport requests\r\n# d\n"
    result = python_facts(data, ast.parse(data))
    assert result.code == data
    assert result.imports == {"requests"}


def _sources() -> list[Path]:
    return sorted(p for folder in ("backdoor_lint", "checkers", "tests") for p in (ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_line_of_every_node_outside_docstrings_survives(path):
    """The property the triggers rely on: no code is ever emptied (run on this repository's own
    sources, which hold every kind of statement, decorators, nested strings and comments)."""
    data = path.read_bytes()
    tree = ast.parse(data)
    kept = python_facts(data, tree).code.split(b"\n")
    original = data.split(b"\n")
    docstrings = {id(part) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) for part in (node.body[0], node.body[0].value)}
    for node in ast.walk(tree):
        if id(node) in docstrings or not hasattr(node, "lineno"):
            continue
        # a compound statement may end with its body's docstring; its other nodes end on code
        for line in {node.lineno} if hasattr(node, "body") else {node.lineno, node.end_lineno}:
            assert kept[line - 1] == original[line - 1], f"{path}:{line} emptied but holds {type(node).__name__}"


@pytest.mark.parametrize("source,expected", [
    ('f("ver" + "ify")\n', 'f("verify")'),
    ('x = ("sys"  # it\'s "split"\n     + # on purpose\n     f"tem")\n', 'x = ("system"'),
    ('x = "".join(["ev", "al"])\n', 'x = "eval"'),
    ("x = 'lave'[::-1]\n", 'x = "eval"'),
    ('x = ("a" + "b") + "c"\n', 'x = "abc"'),
    ('k.sign(d, p, getattr(hashes, "SH" + "A1")())\n', "k.sign(d, p, hashes.SHA1())"),
    ('key = getattr(Crypto.PublicKey.RSA, "generate", None)(512)\n', "key = Crypto.PublicKey.RSA.generate(512)"),
    ('import base64 as b\nurl = b.b64decode("aHR0cHM6Ly9ldmls").decode()\n', 'url = "https://evil"'),
    ('from base64 import b64decode\nurl = b64decode(b"aHR0cHM6Ly9ldmls")\n', 'url = "https://evil"'),
    ('k = __import__("codecs").decode("irevsl", "rot13")\n', 'k = "verify"'),
    ('k = bytes.fromhex("766572696679").decode()\n', 'k = "verify"'),
    ('k = "".join(chr(c) for c in [118, 101, 114, 105, 102, 121])\n', 'k = "verify"'),
    ('k = "".join(map(chr, (118, 101, 114, 105, 102, 121)))\n', 'k = "verify"'),
    ('A = "ver"\nB = A + "i"\nk = B + "fy"\n', 'k = "verify"'),
    ('k = "%s%s" % ("ver", "ify")\n', 'k = "verify"'),
    ('P = "VERIFY"\nk = P.lower()\n', 'k = "verify"'),
    ('import codecs\nc = codecs\nk = c.decode("irevsl", "rot13")\n', 'k = "verify"'),
    ('import codecs\nk = getattr(codecs, "decode")("irevsl", "rot13")\n', 'k = "verify"'),
    ('k = "ve" + "r" * 1 + "ify"\n', 'k = "verify"'),
])
def test_strings_built_from_literal_pieces_and_getattr_are_folded_into_extra_lines(source, expected):
    folded = facts(source).extra.decode()
    assert expected in folded
    assert facts(source).code.decode().startswith(source.rstrip("\n").split("\n")[0])  # originals kept


@pytest.mark.parametrize("source", ['A = "a"\nA = "b"\nx = A + "c"\n', 'x = b64decode("aGk=")\n',
                                    'x = "ab".zfill(2_000_000)\n', 'x = getattr(obj(), "a")\n', 'x = getattr(m, name)\n', 'x = getattr(m, "not a name")\n',
                                    'x = "a" + name\n', 'x = sep.join(parts)\n', 'x = f"{a}b"\n', "x = s[::-1]\n"])
def test_expressions_that_are_not_constant_are_not_folded(source):
    assert facts(source).extra == b""


@pytest.mark.parametrize("source,expected", [
    ("from cryptography.hazmat.primitives import hashes as h\nd = h.Hash(h.SHA1())\n", "d = hashes.Hash(hashes.SHA1())"),
    ("import hashlib as hl\ndef f():\n    return hl.md5()\n", "    return hashlib.md5()"),
    ("try:\n    import xml.etree.ElementTree as ET\nexcept ImportError:\n    raise\nET.parse(x)\n", "xml.etree.ElementTree.parse(x)"),
    ("from fastapi import Header as Hdr\ndef f(u=Hdr(None)): pass\n", "def f(u=Header(None)): pass"),
])
def test_names_bound_by_import_as_are_replaced_by_the_imported_names_in_extra_lines(source, expected):
    assert expected in facts(source).extra.decode().split("\n")


@pytest.mark.parametrize("source", ["import os as os\nos.system(x)\n", "import a.b as b\nb.c()\n"])
def test_an_import_as_its_own_name_is_no_alias(source):
    assert facts(source).extra == b""


def test_an_attribute_or_a_longer_name_is_not_the_alias():
    assert facts("import hashlib as h\nx.h.md5()\nhx = 1\n").extra == b"\nimport hashlib as hashlib"


@pytest.mark.parametrize("source,expected", [
    ("from cryptography.hazmat.primitives import hashes\nH = hashes\nk.sign(d, p, H.SHA1())\n", "k.sign(d, p, hashes.SHA1())"),
    ("import hashlib as hl\nweak = hl.md5\ndef f(x):\n    return weak(x)\n", "    return hashlib.md5(x)"),
    ("from fastapi import Header\nclass A:\n    param: object = Header\n    def f(self, u=param(None)): pass\n",
     "    def f(self, u=Header(None)): pass"),
])
def test_names_assigned_from_an_imported_name_are_replaced_too(source, expected):
    assert expected in facts(source).extra.decode().split("\n")


def test_names_assigned_from_anything_else_are_left_alone():
    assert facts("request = self.request\nx = request.user\nf = g()\n").extra == b""


def test_a_cycle_of_aliases_ends():
    assert facts("import a as b\nc = b.x\nb = c.y\nb.z()\n").extra  # terminates; the lines are still there


def test_a_folding_bomb_is_not_computed():
    import tracemalloc

    tracemalloc.start()
    try:
        facts('A = "a" * 1000\nx = ("{0}" * 1000).format(A + A)\ny = "md5".zfill(300_000_000)\n')
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50_000_000


@pytest.mark.parametrize("source", [
    "a = getattr(a, a)\nb = getattr(a, b)\nx = b.c(1)\n",  # names defined by each other, two ways each
    "a = a + 'x'\nb = b + a + b\nx = b + 'y'\n",
    "".join(f"v{i} = getattr(v{i + 1}, v{i + 1})\n" for i in range(200)) + "x = v0.f(1)\n",
])
def test_names_that_refer_to_each_other_end(source):
    facts(source)  # terminates, without a RecursionError
