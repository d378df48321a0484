"""BDL208 non-cryptographic randomness for secrets, BDL209 timing-unsafe comparison of secrets."""
from __future__ import annotations

import re

import libcst as cst
from backdoor_lint.checkers.base import Invalid, PythonChecker, Valid
from backdoor_lint.checkers.flow_sources import routed_parameter
from backdoor_lint.checkers.origin_tables import REQUEST_CODE
from backdoor_lint.checkers.origins import request_source, walk
from backdoor_lint.checkers.py_dataflow import DIGEST, SECRET, dataflow
from backdoor_lint.checkers.py_dataflow import REQUEST as REQUEST_INPUT
from backdoor_lint.checkers.secflow import SecurityFlow, terminal_name
from backdoor_lint.checkers.triggers import randomness as trigger
from backdoor_lint.checkers.triggers.randomness import (
    CONFIRMATION_WORDS,
    EQUALITY_FUNCTIONS,
    EQUALITY_METHODS,
    HASH_CALLS,
    NOT_COMPARED_SECRETS,
    PREDICTABLE_CALLS,
    PRNG_MEMBERS,
    PRNG_OWNERS,
    SECRET_HINT,
    SECRET_TEXT,
    SETTINGS_CODE,
)
from backdoor_lint.checkers.vocabulary import name_words, secret_words, unambiguous_secret

_SAFE_PREFIXES = ("random.SystemRandom", "secrets.", "os.urandom")


def prng_source(names: set[str]) -> str | None:
    """The predictable generator a call's qualified names point to, or None."""
    for name in sorted(names):
        if name.startswith(_SAFE_PREFIXES):
            return None
    for name in sorted(names):
        head, _, member = name.rpartition(".")
        if member in PRNG_MEMBERS and head in PRNG_OWNERS:
            return name
    for name in sorted(names & PREDICTABLE_CALLS):
        return name
    return None


class InsecureRandomness(trigger.InsecureRandomness, PythonChecker):
    CODES = ("BDL208",)

    def __init__(self, context) -> None:
        super().__init__(context)
        self.flow = SecurityFlow.of(context)
        self.seen: set[int] = set()

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, (cst.Name, cst.Attribute, cst.Call)):  # Call: `getattr(random, "choice")(...)`
            return
        source = prng_source(self.qualnames(func))
        if source is None:
            return
        sink = self.flow.sink(node)
        description = sink.description if sink else self._handed_out(node)
        if description is None:
            return
        statement = self.context.enclosing(node, (cst.SimpleStatementLine, cst.BaseCompoundStatement))
        if statement is not None and id(statement) in self.seen:
            return
        self.seen.add(id(statement))
        self.report(node, "BDL208", f"{self.context.code(func)}() ({source}, a predictable PRNG) produces a value "
                    f"{description}: an attacker who sees a few outputs or guesses the seed predicts it; "
                    "use the secrets module")

    def _handed_out(self, call: cst.Call) -> str | None:
        """By use, where no name says "token": the value is returned from a function that makes a
        one-time code, coupon or voucher, or sent to the user (mail, SMS, notification) or put in
        a response; following assignments within the function."""
        function = self.context.enclosing(call, cst.FunctionDef)
        for node in self._uses(call):
            parent = self.context.parent(node)
            words = set(name_words(function.name.value)) if function is not None else set()
            if isinstance(parent, cst.Return) and words & _HANDED_OUT_WORDS and words & _MAKING_WORDS \
                    and not words & _NOT_HANDED_OUT:
                return f"returned from `{function.name.value}()` (line {self.flow.line(parent)})"
            if isinstance(parent, cst.Arg):
                receiver = self.context.parent(parent)
                if isinstance(receiver, cst.Call) and _SENDS_TO_USER.search(self.context.code(receiver.func)):
                    return f"sent to the user by {self.context.code(receiver.func)}() (line {self.flow.line(receiver)})"
        return None

    def _uses(self, call: cst.Call, limit: int = 40) -> list[cst.CSTNode]:
        """The expression the random value ends up as (through f-strings, joins, formatting and
        local assignments), one level per statement."""
        found: list[cst.CSTNode] = []
        pending: list[cst.CSTNode] = [call]
        while pending and len(found) < limit:
            node = pending.pop()
            parent = self.context.parent(node)
            while isinstance(parent, (cst.BinaryOperation, cst.FormattedStringExpression, cst.FormattedString,
                                      cst.Arg, cst.Call, cst.GeneratorExp, cst.ListComp, cst.Element, cst.List,
                                      cst.DictElement, cst.Dict, cst.Tuple)) \
                    and not (isinstance(parent, cst.Arg) and _SENDS_TO_USER.search(
                        self.context.code(getattr(self.context.parent(parent), "func", parent)))):
                if isinstance(parent, cst.Call) and parent.func is node:
                    break
                node, parent = parent, self.context.parent(parent)
            found.append(node)
            if isinstance(parent, cst.AssignTarget) or isinstance(parent, cst.Assign) and parent.value is node:
                statement = parent if isinstance(parent, cst.Assign) else self.context.parent(parent)
                for target in statement.targets:
                    if isinstance(target.target, cst.Name):
                        for assignment in self.context.assignments(target.target):
                            if assignment.node is target.target:
                                pending += [a.node for a in assignment.references][:10]
        return found

    VALID = [
        Valid('import random, time\ndef backoff(attempt):\n    delay = random.uniform(0, 2 ** attempt)\n    time.sleep(delay)\n',
              "BDL208"),
        Valid('import random\ndef spread(hosts):\n    order = list(hosts)\n    random.shuffle(order)\n    return order\n',
              "BDL208"),
        Valid('import secrets\ndef create_invite_token():\n    return secrets.token_urlsafe(32)\n', "BDL208"),
        Valid('import random\nrng = random.SystemRandom()\ndef new_password():\n    return "".join(rng.choice("abc") for _ in range(20))\n',
              "BDL208"),
        Valid('import random, time\ndef new_request_id():\n    return f"{time.time_ns():x}-{random.getrandbits(32):08x}"\n',
              "BDL208"),
        Valid('import numpy as np\ndef split(rows, seed):\n    rng = np.random.default_rng(seed)\n    sample = rng.permutation(len(rows))\n    return sample\n',
              "BDL208"),
        # a local object with a random-looking API
        Valid('class Dice:\n    def choice(self, xs): return xs[0]\nrandom = Dice()\ntoken = random.choice(["a"])\n',
              "BDL208"),
        Valid('import random\ndef test_reset(client):\n    token = str(random.random())\n    assert client.reset(token)\n',
              "BDL208",
              path="tests/test_reset.py"),
        Valid('import random\ndef make_token_length():\n    return random.randint(16, 32)\n', "BDL208"),
        Valid('import random\ndef roll_dice():\n    return random.randint(1, 6)\n', "BDL208"),
        Valid('import random\ndef pick_code_sample(codes):\n    return random.sample(codes, 3)\n', "BDL208"),
        Valid('import random\nSNIPPETS = ["a", "b"]\ndef generate_code_snippet():\n    return random.choice(SNIPPETS)\n',
              "BDL208"),
        Valid('import random\ndef notify(user, items):\n    pick = random.choice(items)\n'
              '    print(user, pick)\n', "BDL208"),
    ]
    INVALID = [
        Invalid('import random, string\ndef create_reset_token(user):\n'
                '    token = "".join(random.choice(string.ascii_letters) for _ in range(32))\n    return token\n',
                "BDL208", 3),
        Invalid('from random import randint as _pick\ndef create_login_code(user):\n    code = f"{_pick(0, 999999):06d}"\n'
                '    return code\n', "BDL208", 3),
        Invalid('import random, time\n_rng = random.Random(time.time_ns())\ndef new_session_id():\n'
                '    return f"{_rng.getrandbits(128):032x}"\n', "BDL208", 4),
        Invalid('import random\ndef reset_token():\n    token = "".join(getattr(random, "cho" + "ice")("abcdef0123456789") for _ in range(32))\n'
                '    return token\n', "BDL208", 3),
        Invalid('import random\ndef _rand(n):\n    return "".join(random.choices("abcdef0123456789", k=n))\n'
                'def issue(resp):\n    resp.set_cookie("sid", _rand(32))\n', "BDL208", 3),
        Invalid('import numpy as np\nsalt = np.random.bytes(16)\n', "BDL208", 2),
        Invalid('import random\ndef issue(user):\n    ApiKey.objects.create(user=user, key="%x" % random.getrandbits(128))\n',
                "BDL208", 3),
        Invalid('import random\nfrom Crypto.Cipher import AES\ndef enc(m):\n    k = random.randbytes(16)\n'
                '    return AES.new(k, AES.MODE_GCM).encrypt(m)\n', "BDL208", 4),
        Invalid('import random\nuser.api_key = "%032x" % random.getrandbits(\n    128\n)\n', "BDL208", 2),
        Invalid('import random, hmac\ndef f():\n    key = random.randbytes(32)\n    return hmac.new(key, b"x", "sha256")\n', "BDL208", 3),
        Invalid('import random\nr = getattr(random, "ch" + "oice")\ndef gen_password():\n    return "".join(r("ab") for _ in range(12))\n',
                "BDL208", 4),
        Invalid('import random\nsession["csrf"] = str(random.random())\n', "BDL208", 2),
        # by use: returned from a function that makes a code or coupon, sent by mail or SMS, put
        # under a secret key; aliased or from a seeded generator
        Invalid('import string\nfrom random import choice as c\ndef make_code():\n'
                '    return "".join(c(string.digits) for _ in range(6))\n', "BDL208", 4),
        Invalid('import random, string\n_rng = random.Random(1234)\ndef new_coupon():\n'
                '    return "".join(_rng.choice(string.ascii_uppercase) for _ in range(10))\n', "BDL208", 4),
        Invalid('import random\ndef notify(user):\n    n = random.randint(100000, 999999)\n'
                '    send_mail(user.email, f"Your sign-in number is {n}")\n', "BDL208", 3),
        Invalid('import random\nfrom flask import jsonify\ndef reset(user):\n    value = "%06d" % random.randint(0, 999999)\n'
                '    return jsonify({"reset_code": value})\n', "BDL208", 4),
    ]


# A function returning one of these hands out a one-time secret (`make_code`, `new_coupon`).
_HANDED_OUT_WORDS = frozenset({"code", "codes", "coupon", "voucher", "promo", "otp", "pin", "passcode", "invite",
                               "invitation", "referral", "giftcard"})
_MAKING_WORDS = frozenset({"make", "new", "generate", "gen", "create", "issue", "random", "rand", "mint", "send"})
_NOT_HANDED_OUT = frozenset({"snippet", "sample", "example", "status", "error", "exit", "http", "country", "language",
                             "lang", "color", "colour", "zip", "postal", "area", "response", "test", "fake", "dummy"})
_SENDS_TO_USER = re.compile(r"(?i)(send_?(mail|email|sms|text|message|code|otp|verification)|\bmail\b|"
                            r"\.sendmail|send_message|\bsms\b|notify)")
_VALUE_EQUALITY = frozenset({"__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__hash__", "__contains__"})
_DECISION = re.compile(r"(?i)\breturn\b|\braise\b|abort|forbidden|denied|deny|unauthori[sz]ed|40[13]|login|"
                       r"reject|invalid|fail|error|permission|allow|grant|authenticat|verified|valid\b|\bok\b")
_STORED = re.compile(r"(?i)settings\.|config|environ|getenv|stored|expected|\bdb\b|secret|_hash|hashed")


def _literal_collection(node: cst.BaseExpression) -> bool:
    """`("a", "b")`, `{"x", "y"}`: a collection written out of literals."""
    return isinstance(node, (cst.Tuple, cst.List, cst.Set)) and all(
        isinstance(e.value, (cst.SimpleString, cst.Integer, cst.ConcatenatedString, cst.Name)) for e in node.elements)


class TimingUnsafeComparison(trigger.TimingUnsafeComparison, PythonChecker):
    CODES = ("BDL209",)

    def __init__(self, context) -> None:
        super().__init__(context)
        self.flow = SecurityFlow.of(context)
        self._origins_possible: bool | None = None

    def visit_Comparison(self, node: cst.Comparison) -> None:
        function = self.context.enclosing(node, cst.FunctionDef)
        if function is not None and function.name.value in _VALUE_EQUALITY:
            return  # __eq__ compares two objects' fields, not a secret with a guess
        left = node.left
        for target in node.comparisons:
            right = target.comparator
            if isinstance(target.operator, (cst.Equal, cst.NotEqual, cst.In, cst.NotIn)):
                origin = self._origin_pair(left, right)
                if origin:
                    op = self.context.code(target.operator).strip()
                    self._report_origin(node, f"`{self._short(left)}` {op} `{self._short(right)}`", origin)
                    return
            if isinstance(target.operator, (cst.Equal, cst.NotEqual)):
                reason = self._secret_pair(left, right)
                if reason and self._decides(node):
                    op = "==" if isinstance(target.operator, cst.Equal) else "!="
                    self.report(node, "BDL209", f"`{self._short(left)}` {op} `{self._short(right)}` compares {reason} "
                                "byte by byte and stops at the first difference: the response time leaks how much of "
                                "a guess is right; use hmac.compare_digest()")
                    return
            left = right

    def visit_Call(self, node: cst.Call) -> None:
        """`operator.eq(a, b)`, `a.__eq__(b)`, `a.startswith(b)`: comparisons all the same."""
        func = node.func
        pair = None
        if self.qualnames(func) & EQUALITY_FUNCTIONS and len(node.args) == 2:
            pair = node.args[0].value, node.args[1].value
        elif isinstance(func, cst.Attribute) and func.attr.value in EQUALITY_METHODS \
                and len(node.args) == 1:
            pair = func.value, node.args[0].value
        if pair is not None:
            origin = self._origin_pair(*pair)
            if origin:
                self._report_origin(node, f"`{self._short(node)}`", origin)

    def _origin_pair(self, a: cst.BaseExpression, b: cst.BaseExpression) -> str | None:
        """By origin, whatever the names: one side a digest/MAC computed here (or returned by a
        function of the module or the tree) or a configured secret, the other request input."""
        if self._origins_possible is None:  # the dataflow only where both kinds of origin can occur
            self._origins_possible = bool(dataflow(self.context).attacker_input_possible(through_imports=False)
                                          and SECRET_TEXT.search(self.context.source))
        if not self._origins_possible or any(self._literal(x) or _literal_collection(x) for x in (a, b)):
            return None  # a literal side: a magic value (BDL601) or a choice among constants
        # request input on one side, found locally (request parts through local names, routed
        # parameters); the dataflow, which may follow imports, only for the other side
        for secret_side, request_side in ((a, b), (b, a)):
            if not self._requested(request_side) or self._requested(secret_side):
                continue
            kinds = {t.kind for t in dataflow(self.context).taints(secret_side)}
            if REQUEST_INPUT in kinds:
                continue
            if DIGEST in kinds:
                return "a MAC or digest computed here"
            if SECRET in kinds or self._configured_secret(secret_side):
                return "a configured secret"
        return None

    def _requested(self, node: cst.BaseExpression) -> bool:
        """Is `node` request input itself (not a value computed from it, such as its MAC)?"""
        if request_source(self.context, node, shallow=True) is not None:
            return True
        return any(isinstance(n, cst.Name) and any(isinstance(b.node, cst.Param) and routed_parameter(self.context, b.node)
                                                   for b in self.context.assignments(n))
                   for n in walk(self.context, node, budget=200, shallow=True))

    def _configured_secret(self, node: cst.BaseExpression) -> bool:
        """`settings.WEBHOOK_SECRET`, `app.config["API_TOKEN"]`: a secret-named setting."""
        name = terminal_name(self.context, node)
        if not name or not secret_words(name) or secret_words(name) in NOT_COMPARED_SECRETS:
            return False
        return bool(SETTINGS_CODE.search(self.context.code(node)))

    def _report_origin(self, node: cst.CSTNode, shown: str, origin: str) -> None:
        self.report(node, "BDL209", f"{shown} compares {origin} with request input byte by byte and stops at the "
                    "first difference: the response time leaks how much of a guess is right, so the client can "
                    "forge it a byte at a time; use hmac.compare_digest()")

    def _decides(self, node: cst.Comparison) -> bool:
        """Does the comparison gate access? An `if` whose branches neither return, raise nor deny
        (e.g. refreshing a cached copy when it differs) is not an authentication decision."""
        statement = self.context.enclosing(node, (cst.If, cst.While, cst.SimpleStatementLine))
        if not isinstance(statement, (cst.If, cst.While)):
            return True
        test = statement.test
        if not (node is test or any(a is test for a in self.context.ancestors(node))):
            return True
        branches = self.context.code(statement.body)
        if isinstance(statement, cst.If) and statement.orelse is not None:
            branches += self.context.code(statement.orelse)
        return bool(_DECISION.search(branches))

    def _short(self, node: cst.CSTNode) -> str:
        code = " ".join(self.context.code(node).split())
        return code if len(code) <= 50 else code[:47] + "..."

    def _literal(self, node: cst.BaseExpression) -> bool:
        return isinstance(node, (cst.SimpleString, cst.Integer, cst.Float, cst.ConcatenatedString,
                                 cst.FormattedString)) or (isinstance(node, cst.Name) and
                                                           node.value in ("None", "True", "False"))

    def _constant(self, node: cst.BaseExpression) -> bool:
        if isinstance(node, (cst.SimpleString, cst.Integer, cst.Float, cst.ConcatenatedString, cst.FormattedString)):
            return True
        if isinstance(node, cst.Name) and node.value in ("None", "True", "False"):
            return True
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value in (
                "len", "type", "int", "bool", "id", "hash"):
            return True
        if isinstance(node, (cst.Tuple, cst.List, cst.Dict, cst.Set)) and not getattr(node, "elements", True):
            return True
        return bool(self.evaluator.values(node)) if isinstance(node, (cst.Name, cst.Attribute)) else False

    def _facts(self, node: cst.BaseExpression) -> tuple[str | None, bool, bool, bool] | None:
        """(secret word, derived from a hash/HMAC, from request data, a stored/configured value);
        None for a confirmation field (`password != confirm_password` compares two inputs)."""
        name = terminal_name(self.context, node)
        word = secret_words(name) if name else None
        if name and set(name_words(name)) & CONFIRMATION_WORDS:
            return None
        if word in NOT_COMPARED_SECRETS:
            word = None
        codes = [self.context.code(node)]
        if isinstance(node, cst.Name):
            codes += [self.context.code(v) for k, v in self.context.assigned_values(node) if k == "="][:4]
        else:
            inner = node
            while isinstance(inner, (cst.Subscript, cst.Call, cst.Attribute)):
                inner = inner.value if isinstance(inner, (cst.Subscript, cst.Attribute)) else inner.func
            if isinstance(inner, cst.Name) and inner is not node:
                codes += [self.context.code(v) for k, v in self.context.assigned_values(inner) if k == "="][:4]
                inner_word = secret_words(inner.value)
                if inner_word and not word and inner_word not in NOT_COMPARED_SECRETS:
                    word = inner_word
        text = "\n".join(codes)
        hashed = bool(HASH_CALLS.search(text))
        request = bool(REQUEST_CODE.search(text))
        stored = bool(_STORED.search(text))
        return word, hashed, request, stored

    def _secret_pair(self, a: cst.BaseExpression, b: cst.BaseExpression) -> str | None:
        if self._literal(a) or self._literal(b):
            return None
        if not (SECRET_HINT.search(self.context.code(a)) or SECRET_HINT.search(self.context.code(b))
                or isinstance(a, cst.Name) or isinstance(b, cst.Name)):
            return None
        facts_a, facts_b = self._facts(a), self._facts(b)
        if facts_a is None or facts_b is None:
            return None
        wa, ha, ra, sa = facts_a
        wb, hb, rb, sb = facts_b
        for side, other_request, word in ((a, rb, wa), (b, ra, wb)):
            if self._constant(side) and not (word and other_request and isinstance(side, cst.Name)):
                return None  # a known value: a magic-value comparison (BDL601), not a timing leak
        if not (wa or wb or ha or hb):
            return None
        if wa in ("signature", "sig") and not (hb or rb or ra) and not wb:
            return None
        if wb in ("signature", "sig") and not (ha or ra or rb) and not wa:
            return None
        secret = wa or wb or "digest"
        if ha or hb:
            return f"an HMAC/hash digest ({secret})"
        if (ra or rb) and (wa or wb):
            return f"a {secret} taken from the request with the expected value"
        if wa and wb and (sa or sb or any(unambiguous_secret(terminal_name(self.context, x) or "") for x in (a, b))):
            return f"a {secret} with the stored {secret}"
        return None

    VALID = [
        Valid('import hmac\ndef ok(request, expected):\n    return hmac.compare_digest(expected, request.headers.get("X-Sig", ""))\n',
              "BDL209"),
        Valid('def f(token):\n    if token == "":\n        return None\n    if token is None or len(token) == 0:\n        return None\n',
              "BDL209"),
        Valid('def test_login(client):\n    token = client.post("/login").json()["token"]\n    assert token == client.session_token\n',
              "BDL209",
              path="tests/test_login.py"),
        Valid('def parse(tokens):\n    for token in tokens:\n        if token.type == "OP" and token.string == "(":\n            yield token\n',
              "BDL209"),
        Valid('def f(request):\n    if request.method != "POST":\n        return 405\n', "BDL209"),
        Valid('def form_ok(form):\n    return form.password == form.password_confirm\n', "BDL209"),
        Valid('def signup(request, form):\n    password = form.cleaned_data["password"]\n'
              '    if password != form.cleaned_data["confirm_password"]:\n        return 400\n', "BDL209"),
        Valid('import inspect\ndef same(f, g):\n    return inspect.signature(f) == inspect.signature(g)\n', "BDL209"),
        Valid('def f(tok, other):\n    return tok.kind == other.kind\n', "BDL209"),
        Valid('class URL:\n    def __eq__(self, other):\n        return self.password == other.password\n', "BDL209"),
        Valid('def check(nonce, state):\n    if nonce == state.last_nonce:\n        state.count += 1\n', "BDL209"),
        Valid('def refresh(request):\n    if request.session.get("csrf_token") != request.META["CSRF_COOKIE"]:\n'
              '        request.session["csrf_token"] = request.META["CSRF_COOKIE"]\n', "BDL209"),
        Valid('def f(state, identity_token, opt, path):\n    if state.identity_token == identity_token:\n        return state\n'
              '    return opt.is_token_strategy == path.is_token\n', "BDL209"),
        Valid('_UNICODE_TOKEN = "unicode"\ndef f(tokens):\n    return tokens[-1] != _UNICODE_TOKEN\n', "BDL209"),
        Valid('import hmac, hashlib, os\nfrom flask import request\ndef _mac(body):\n'
              '    return hmac.new(os.environ["K"].encode(), body, hashlib.sha256).hexdigest()\n'
              'def hook():\n    if not hmac.compare_digest(request.headers.get("X-Sig", ""), _mac(request.data)):\n'
              '        return "no", 403\n', "BDL209"),
        Valid('from flask import request\nSUPPORTED = ["en", "fr"]\ndef lang():\n'
              '    if request.args.get("lang") in SUPPORTED:\n        return request.args["lang"]\n', "BDL209"),
        Valid('from django.conf import settings\ndef home(request):\n'
              '    if request.get_host() == settings.SITE_DOMAIN:\n        return 1\n', "BDL209"),
    ]
    INVALID = [
        Invalid('API_TOKEN = "c0ffee-5ca1ab1e-d00d"\ndef check(request):\n'
                '    return request.headers["X-Api-Token"] == API_TOKEN\n', "BDL209", 3),
        Invalid('import hmac, hashlib\ndef ok(request, secret):\n    signature = request.headers.get("X-Hub-Signature-256", "")\n'
                '    expected = hmac.new(secret, request.body, hashlib.sha256).hexdigest()\n'
                '    return signature[len("sha256="):] == expected\n', "BDL209", 5),
        Invalid('from django.conf import settings\ndef check(request):\n    provided = request.headers.get("X-Internal-Token", "")\n'
                '    if provided != settings.INTERNAL_API_TOKEN:\n        raise PermissionError\n', "BDL209", 4),
        Invalid('from django.conf import settings\ndef check(request):\n    provided = request.headers.get("X-Internal-Token", "")\n'
                '    if provided != getattr(settings, "INTERNAL_API_" + "TOKEN"):\n        raise PermissionError\n', "BDL209", 4),
        Invalid('import hmac\ndef verify(body, sig, key):\n    return hmac.new(key, body, "sha256").hexdigest() == sig\n', "BDL209", 3),
        Invalid('def verify_token(token, user):\n    return token == user.stored_token\n', "BDL209", 2),
        Invalid('def reset(request, user):\n    if request.GET["token"] != user.reset_token:\n        return 403\n', "BDL209", 2),
        Invalid('def login(user, password):\n    if (\n        user.password_hash\n        == hash_password(password)\n    ):\n'
                '        return True\n', "BDL209", 3),
        # by origin, whatever the names: a MAC made by a helper, compared in any form
        Invalid('import hmac, hashlib, os\nfrom flask import request\ndef _mac(body):\n'
                '    return hmac.new(os.environ["K"].encode(), body, hashlib.sha256).hexdigest()\n'
                'def hook():\n    a = request.headers.get("X-Sig", "")\n    b = _mac(request.get_data())\n'
                '    if a != b:\n        return "no", 403\n', "BDL209", 8),
        Invalid('import hmac, operator\nfrom flask import request\ndef _m(k, d):\n    return hmac.new(k, d, "sha256").hexdigest()\n'
                'def hook(k):\n    if operator.eq(request.headers["X-Sig"], _m(k, request.data)):\n        return 1\n',
                "BDL209", 6),
        Invalid('import hmac\nfrom flask import request\ndef hook(keys):\n'
                '    macs = [hmac.new(k, request.data, "sha256").hexdigest() for k in keys]\n'
                '    if request.headers["X-Sig"] in macs:\n        return 1\n', "BDL209", 5),
        Invalid('import hmac\nfrom flask import request\ndef hook(k):\n'
                '    return hmac.new(k, request.data, "sha256").hexdigest().startswith(request.args["s"])\n', "BDL209", 4),
        Invalid('import hmac\nfrom flask import request\ndef hook(k):\n    v = hmac.new(k, request.data, "sha256").hexdigest()\n'
                '    return v.__eq__(request.args["s"])\n', "BDL209", 5),
        Invalid('from django.conf import settings\ndef hook(request):\n    x = request.headers.get("Authorization")\n'
                '    if x == settings.INTERNAL_API_TOKEN:\n        return 1\n', "BDL209", 4),
    ]
