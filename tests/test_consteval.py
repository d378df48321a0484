"""The shared constant evaluator and qualified-name resolution (DESIGN §5)."""
import libcst as cst
import pytest
from backdoor_lint.checkers.base import ModuleContext


def evaluate(source: str, expression: str = "RESULT"):
    """Values of the last assignment's target named RESULT... evaluated at its use in `use(RESULT)`."""
    code = source + f"\nuse({expression})\n"
    context = ModuleContext("m.py", code, cst.parse_module(code))
    call = context.module.body[-1].body[0].value
    return context.evaluator.values(call.args[0].value)


@pytest.mark.parametrize("source,expected", [
    ('RESULT = "a" "b"', ["ab"]),
    ('X = "ex"\nRESULT = X + "ec"', ["exec"]),
    ('RESULT = "".join(["h", "t", "t", "p"])', ["http"]),
    ('RESULT = "".join(chr(c) for c in [104, 105])', ["hi"]),
    ('RESULT = "".join(map(chr, [104, 105]))', ["hi"]),
    ('RESULT = "olleh"[::-1]', ["hello"]),
    ('import base64\nRESULT = base64.b64decode("aGVsbG8=").decode()', ["hello"]),
    ('import base64 as b\nRESULT = b.b64decode(b"aGVsbG8=")', [b"hello"]),
    ('import codecs\nRESULT = codecs.decode("uryyb", "rot13")', ["hello"]),
    ('RESULT = bytes.fromhex("6869").decode()', ["hi"]),
    ('import zlib\nRESULT = zlib.decompress(b"x\\x9c\\xcbH\\xcd\\xc9\\xc9\\x07\\x00\\x06,\\x02\\x15")', [b"hello"]),
    ('RESULT = b"\\x00" * 16', [b"\x00" * 16]),
    ('D = {"a": {"b": [1, 2]}}\nRESULT = D["a"]["b"]', [[1, 2]]),
    ('B = ["x"]\nRESULT = [*B, "y"]', [["x", "y"]]),
    ('O = {"verify": False}\nRESULT = {**O, "timeout": 3}', [{"verify": False, "timeout": 3}]),
    ('H = "example"\nRESULT = f"https://{H}.test/"', ["https://example.test/"]),
    ('RESULT = "%s://%s" % ("https", "h")', ["https://h"]),
    ('RESULT = "{}-{}".format("a", 1)', ["a-1"]),
    ('RESULT = ["a"]\nRESULT.append("b")', [["a"], ["a", "b"]]),
    ('RESULT = ["a"]\nRESULT += ["b"]', [["a"], ["a", "b"]]),
    ('RESULT = not True', [False]),
    ('RESULT = "A,B".split(",")', [["A", "B"]]),
    ('RESULT = dict(timeout=5, **{"ver" + "ify": False})', [{"timeout": 5, "verify": False}]),
    ('def _algs():\n    return ["RS256", "HS" + "256"]\nRESULT = _algs()', [["RS256", "HS256"]]),
    ('def f(a="x"):\n    if a:\n        return a\n    return "y"\nRESULT = f()', ["x", "y"]),
    # helper functions: the one return expression with the parameters bound (not a name elsewhere)
    ('def f(x):\n    return x\nRESULT = f(1)', [1]),
    ('x = "outer"\ndef f(x, suffix="56"):\n    return x.upper() + suffix\nRESULT = f("hs2")', ["HS256"]),
])
def test_values(source, expected):
    assert evaluate(source) == expected


@pytest.mark.parametrize("source", [
    "import os\nRESULT = os.environ['X']",
    "RESULT = input()",
    # a helper with more than its return statement, or called with an unknown argument
    "def f(x):\n    log(x)\n    return x\nRESULT = f(1)",
    "def f(x):\n    return x\nRESULT = f(input())",
    "import os\ndef f():\n    if os.environ:\n        return 'a'\n    return os.environ['X']\nRESULT = f()",
    "def f():\n    return f()\nRESULT = f()",
    "RESULT = RESULT + 'a'",  # self-reference: unknown, not a crash
    "RESULT = b'x' * 10**12",  # too large: unknown, not a MemoryError
    "RESULT = 'a' ** 'b'",
])
def test_unknown_values_are_empty(source):
    assert evaluate(source) == []


def test_decompression_bomb_is_bounded():
    import zlib

    bomb = zlib.compress(b"\0" * 50_000_000)
    assert evaluate(f"import zlib\nRESULT = zlib.decompress({bomb!r})") == []


def test_class_and_self_attributes():
    source = ("class C:\n    A = 'x'\n    def __init__(self):\n        self.b = 'y'\n"
              "    def m(self):\n        return use(self.b)\nRESULT = C.A\n")
    assert evaluate(source) == ["x"]
    context = ModuleContext("m.py", source, cst.parse_module(source))
    calls = []

    class Finder(cst.CSTVisitor):
        def visit_Call(self, node):
            calls.append(node)

    context.module.visit(Finder())
    inner = next(c for c in calls if context.code(c) == "use(self.b)")
    assert context.evaluator.values(inner.args[0].value) == ["y"]


def qualnames(source: str) -> set[str]:
    """Qualified names of the function called by the last statement of `source`."""
    context = ModuleContext("m.py", source, cst.parse_module(source))
    call = context.module.body[-1].body[0].value
    return context.qualnames(call.func)


@pytest.mark.parametrize("source,name", [
    ("import jwt as j\nj.decode(t)", "jwt.decode"),
    ("from jwt import decode as d\nd(t)", "jwt.decode"),
    ("import jwt\njwt.PyJWT().decode(t)", "jwt.PyJWT.decode"),
    ("from jwt import PyJWT\nc = PyJWT()\nc.decode(t)", "jwt.PyJWT.decode"),
    ("import jwt\ngetattr(jwt, 'de' + 'code')(t)", "jwt.decode"),
    ("__import__('jwt').decode(t)", "jwt.decode"),
    ("import importlib\nimportlib.import_module('jwt').decode(t)", "jwt.decode"),
    ("import jwt\nf = jwt.decode\nf(t)", "jwt.decode"),
])
def test_qualnames_see_through_evasions(source, name):
    assert name in qualnames(source)


@pytest.mark.parametrize("source", [
    "class Codec:\n    def decode(self, t): ...\njwt = Codec()\njwt.decode(t)",
    "def decode(t): ...\ndecode(t)",
])
def test_local_names_do_not_masquerade_as_imports(source):
    assert "jwt.decode" not in qualnames(source)


# Each of these would allocate hundreds of MB (some many GB) if evaluated; the evaluator must see
# the size coming and give up (unknown), like it does for `b'x' * 10**12`.
ALLOCATION_BOMBS = [
    'RESULT = "md5".zfill(300_000_000)',
    "RESULT = bytes(300_000_000)",
    "RESULT = bytearray(300_000_000)",
    'RESULT = "%300000000d" % 1',
    'RESULT = "%.300000000f" % 1.0',
    'RESULT = "{:>300000000}".format(1)',
    'RESULT = "{0:300000000}".format("a")',
    'A = "a" * 1_000_000\nRESULT = ("{0}" * 300).format(A)',
    'A = "a" * 1_000_000\nRESULT = ("%s" * 300) % ((A,) * 300)',
    'A = "a" * 20_000\nRESULT = A.replace("", "b" * 20_000)',
    'A = "a" * 1_000_000\nRESULT = A.translate({97: "b" * 300})',
    'A = "a" * 1_000_000\nRESULT = "".join([A] * 300)',
    'A = "a" * 1_000_000\nRESULT = f"' + "{A}" * 300 + '"',
    'A = ["a" * 1_000_000]\nRESULT = A * 300',
    'A = "a" * 1_000_000\nRESULT = str([A] * 300)',
    'A = 2 ** 4096\nB = A ** 4096\nRESULT = B ** 4096',
    "RESULT = list(map(bytes, [300_000_000]))",
]


@pytest.mark.parametrize("source", ALLOCATION_BOMBS)
def test_allocation_bombs_are_refused_before_they_allocate(source):
    import tracemalloc

    tracemalloc.start()
    try:
        values = evaluate(source)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert all(len(v) <= 1_000_000 for v in values if isinstance(v, (str, bytes, bytearray)))
    assert peak < 100_000_000, f"evaluating it allocated {peak / 1e6:.0f} MB"
