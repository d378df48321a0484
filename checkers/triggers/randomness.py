"""Triggers of the randomness and comparison rules (checkers/py_randomness.py)."""
from __future__ import annotations

import ast
import re

from backdoor_lint.checkers.origin_tables import (
    ATTACKER_INPUT_TEXT,
    FASTAPI_PARAMS,
    NOT_REQUEST_VALUE,
    REQUEST_PARTS,
    ROUTE_METHODS,
)
from backdoor_lint.checkers.triggers import PythonTrigger, sites
from backdoor_lint.checkers.vocabulary import NAMED_BY_KEY_GETTERS, is_test_code, secret_words

# Text without which a module has no MAC or secret to compare (a cheap gate in front of the
# dataflow, not the decision: the origins decide).
SECRET_TEXT = re.compile(r"hmac|hashlib|environ|getenv|(?i:secret|token|api_?key|passw)")
_SECRET_BYTES = re.compile(SECRET_TEXT.pattern.encode())
_ATTACKER_BYTES = re.compile(ATTACKER_INPUT_TEXT.pattern.encode())


# Members of `random` / `random.Random` that produce values (seed/getstate do not).
PRNG_MEMBERS = frozenset({
    "random", "randint", "randrange", "choice", "choices", "sample", "getrandbits", "randbytes", "uniform",
    "triangular", "gauss", "normalvariate", "shuffle", "integers", "bytes", "rand", "random_integers",
    "random_sample", "permutation", "tomaxint",
})
# The generators those members belong to (modules and classes), and the other predictable source.
PRNG_OWNERS = ("random", "random.Random", "numpy.random", "numpy.random.RandomState", "numpy.random.default_rng",
               "numpy.random.Generator", "numpy.random.mtrand")
PREDICTABLE_CALLS = frozenset({"uuid.uuid1"})
# Every qualified name the rule reports a call of (py_randomness.prng_source).
PRNG_CALLS = frozenset(f"{owner}.{member}" for owner in PRNG_OWNERS for member in PRNG_MEMBERS) | PREDICTABLE_CALLS


class InsecureRandomness(PythonTrigger):
    TRIGGER = re.compile(rb"random|uuid1")
    _CONTEXT = re.compile(rb"(?i)token|passw|secret|salt|nonce|otp|session|key|code|csrf|pin|sig|auth|cookie|iv\b|cipher|aes|hmac|jwt|"
                          rb"fernet|coupon|voucher|promo|invit|referral|mail|sms|notify")

    @classmethod
    def wants(cls, raw: bytes, display: str) -> bool:
        # test fixtures make throwaway tokens with random; they never reach production
        return not is_test_code(display) and super().wants(raw, display) and cls._CONTEXT.search(raw) is not None

    @classmethod
    def has_site(cls, facts) -> bool:
        # The rule reports only calls whose callee's qualnames prng_source accepts: PRNG_CALLS. A
        # call may stand for one through aliases, assignments, getattr, instances (`rng =
        # random.Random(); rng.choice`): sites.has_call_of follows what qualnames follows.
        return sites.has_call_of(facts, PRNG_CALLS)


# BDL209: comparisons in the form of calls, text that makes a side a hash or HMAC, and secret words
# whose values are public or plural (not secrets compared in constant time)
EQUALITY_FUNCTIONS = frozenset({"operator.eq", "operator.ne", "operator.contains"})
EQUALITY_METHODS = ("__eq__", "__ne__", "startswith", "endswith")
HASH_CALLS = re.compile(r"\bhmac\b|hexdigest\(|\.digest\(|hashlib|sign\(")
NOT_COMPARED_SECRETS = frozenset({"nonce", "salt", "iv", "tokens", "secrets", "sid", "pin"})
_HASH_BYTES = re.compile(HASH_CALLS.pattern.encode())


class TimingUnsafeComparison(PythonTrigger):
    # a line with == / != and a secret-looking word (multi-line comparisons keep the operator next
    # to one of their operands)
    _WORD = rb"(?:token|secret|signature|hmac|digest|hashlib|passw|api_?key|csrf|otp|\bsig\b|\bmac\b|expected)"
    # Two linear searches rather than one "word and == on the same line" pattern, which
    # backtracks quadratically on long lines.
    # matched against the lower-cased bytes: a (?i) pattern is twice as slow
    TRIGGER = re.compile(_WORD)

    @classmethod
    def wants(cls, raw: bytes, display: str) -> bool:
        if is_test_code(display):
            return False  # assertions in tests are not auth checks
        if (b"==" in raw or b"!=" in raw) and cls.TRIGGER.search(raw.lower()) is not None:
            return True
        # by origin (any comparison form): request input and a MAC or secret in the same file
        return any(op in raw for op in (b" in ", b"eq", b"startswith", b"endswith")) \
            and _ATTACKER_BYTES.search(raw) is not None and _SECRET_BYTES.search(raw) is not None

    @classmethod
    def has_site(cls, facts) -> bool:
        # A hash or HMAC call anywhere: any name comparison's side or its assigned value may be one
        # (the rule searches HASH_CALLS in the side's code and its assigned values).
        hashed = _HASH_BYTES.search(facts.code) is not None

        def requested(side: ast.expr) -> bool:  # computed for the file on first use
            return _request_input(facts)(side)

        for compare in sites.nodes(facts, ast.Compare):
            left = compare.left
            for op, right in zip(compare.ops, compare.comparators):
                if not (_literal(left) or _literal(right)):
                    # by name (_secret_pair): == / != with a secret word on a side, or a hash
                    if isinstance(op, (ast.Eq, ast.NotEq)) and (
                            hashed or _may_name_secret(facts, left) or _may_name_secret(facts, right)):
                        return True
                    # by origin (_origin_pair): one side request input
                    if isinstance(op, (ast.Eq, ast.NotEq, ast.In, ast.NotIn)) \
                            and not (_literal_collection(left) or _literal_collection(right)) \
                            and (requested(left) or requested(right)):
                        return True
                left = right
        # by origin, the call forms: operator.eq(a, b), a.__eq__(b), a.startswith(b)
        for call in sites.nodes(facts, ast.Call):
            if isinstance(call.func, ast.Attribute) and call.func.attr in EQUALITY_METHODS \
                    or sites.may_stand_for(facts, call.func, EQUALITY_FUNCTIONS):
                if requested(call):
                    return True
        return False


def _literal(node: ast.expr) -> bool:
    """What the rule's `_literal` calls a literal (strings, numbers but complex, None/True/False)."""
    return isinstance(node, ast.JoinedStr) or isinstance(node, ast.Constant) and (
        node.value is None or isinstance(node.value, (str, bytes, int, float)))


def _literal_collection(node: ast.expr) -> bool:
    """A tuple, list or set the rule's `_literal_collection` surely calls one (of strings, integers,
    names)."""
    return isinstance(node, (ast.Tuple, ast.List, ast.Set)) and all(
        isinstance(e, ast.Name) or isinstance(e, ast.Constant) and (
            e.value is None or isinstance(e.value, (str, bytes, int)) and not isinstance(e.value, float))
        for e in node.elts)


def _may_name_secret(facts, node: ast.expr) -> bool:
    """Might the rule find a secret word for this side of a comparison? It reads the side's
    terminal name (`x`, `o.attr`, `d["key"]`, `getattr(o, "n")`, `d.get("key")`, through
    `x.hexdigest()` and slices) and the name at the bottom of its chain of attributes, subscripts
    and calls; keys and names it evaluates count as secret when not written as a constant here."""
    while True:
        candidates: list[str] = []
        if isinstance(node, ast.Name):
            candidates.append(node.id)
        elif isinstance(node, ast.Attribute):
            candidates.append(node.attr)
        elif isinstance(node, ast.Subscript) and not isinstance(node.slice, ast.Slice):
            key = node.slice
            if isinstance(key, ast.UnaryOp) and isinstance(key.operand, ast.Constant) \
                    and not isinstance(key.operand.value, str):
                key = key.operand  # `x[-1]`: a number
            if not isinstance(key, ast.Constant):
                return True  # a key the evaluator may compute
            if isinstance(key.value, str):
                candidates.append(key.value)
        elif isinstance(node, ast.Call):
            fetched = None
            names = sites.stands_for(facts, node.func)
            if names is None:
                return True
            if "getattr" in names and len(node.args) >= 2:
                fetched = node.args[1]
            elif isinstance(node.func, ast.Attribute) and node.func.attr in NAMED_BY_KEY_GETTERS and node.args:
                fetched = node.args[0]
            if fetched is not None:
                if not isinstance(fetched, ast.Constant):
                    return True
                if isinstance(fetched.value, str):
                    candidates.append(fetched.value)
        for candidate in candidates:
            word = secret_words(candidate)
            if word and word not in NOT_COMPARED_SECRETS:
                return True
        if isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        else:
            return False


def _request_input(facts):
    """A test for "this expression may be request input" as origins.request_source and
    flow_sources.routed_parameter see it: a request part (`request.headers`, `getattr(request,
    "GET")`), a parameter of a routed function or one with a call as default (`Header(None)`), or
    a name bound anywhere to such a value (followed through every binding of that name, entering
    every sub-expression: more than the rule's shallow walk)."""
    found = facts.memo.get("timing_request_input")
    if found is not None:
        return found
    routed: set[str] = set()
    for function in sites.nodes(facts, ast.FunctionDef) + sites.nodes(facts, ast.AsyncFunctionDef):
        arguments = function.args
        positional = arguments.posonlyargs + arguments.args
        defaults = [None] * (len(positional) - len(arguments.defaults)) + list(arguments.defaults)
        pairs = list(zip(positional, defaults)) + list(zip(arguments.kwonlyargs, arguments.kw_defaults))
        routed |= {a.arg for a, default in pairs
                   if isinstance(default, ast.Call) and sites.may_stand_for(facts, default.func, FASTAPI_PARAMS)}
        if any(isinstance(d, ast.Attribute) and d.attr in ROUTE_METHODS
               for d in (d.func if isinstance(d, ast.Call) else d for d in function.decorator_list)):
            every = [a for a, _ in pairs] + [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
            routed |= {a.arg for a in every if not NOT_REQUEST_VALUE.match(a.arg)}

    def mentions(node: ast.AST) -> bool:
        if isinstance(node, ast.Attribute):
            return node.attr in REQUEST_PARTS and sites.may_be_request(facts, node.value)
        if isinstance(node, ast.Call) and len(node.args) >= 2:
            callee = sites.stands_for(facts, node.func)
            if callee is None or "getattr" in callee:
                part = node.args[1]
                return not (isinstance(part, ast.Constant) and isinstance(part.value, str)) \
                    or part.value in REQUEST_PARTS and sites.may_be_request(facts, node.args[0])
        return False

    return sites.flows_from(facts, "timing_request_input", mentions, routed)
