"""Triggers of the randomness and comparison rules (checkers/py_randomness.py)."""
from __future__ import annotations

import ast
import re

from backdoor_lint.checkers import fast_search
from backdoor_lint.checkers.origin_tables import (
    ATTACKER_INPUT_BYTES,
    HASH_MODULE,
    KEYRING,
    MAC_CALLS,
    REQUEST_CODE,
)
from backdoor_lint.checkers.triggers import PythonTrigger, sites, sites_auth, sites_exec, sites_tree
from backdoor_lint.checkers.vocabulary import (
    ENV_GETTERS,
    ENV_OBJECTS,
    NAMED_BY_KEY_GETTERS,
    is_test_code,
    name_words,
    secret_words,
)

# Text without which a module has no MAC or secret to compare (a cheap gate in front of the
# dataflow, not the decision: the origins decide).
SECRET_TEXT = re.compile(r"hmac|hashlib|environ|getenv|(?i:secret|token|api_?key|passw)")
_SECRET_BYTES = re.compile(SECRET_TEXT.pattern.encode())


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
    # (No word list of the rule's context here: the rule decides by names, dict keys, keywords,
    # cookies and where the value is returned or sent (secflow, py_randomness), more than a word
    # list kept in step by hand covered. The site test below keeps only files with a PRNG call.)
    TRIGGER = re.compile(rb"random|uuid1")

    @classmethod
    def wants(cls, raw: bytes, display: str) -> bool:
        # test fixtures make throwaway tokens with random; they never reach production
        return not is_test_code(display) and super().wants(raw, display)

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
# A side named with one of these words is a confirmation field: `password != confirm_password`
# compares two inputs, and the rule (_facts) reports no secret pair with one.
CONFIRMATION_WORDS = frozenset({"confirm", "confirmation", "repeat", "retype", "again", "new", "old", "2", "1"})
NOT_COMPARED_SECRETS = frozenset({"nonce", "salt", "iv", "tokens", "secrets", "sid", "pin"})
# a side's code that hints at a secret (one of them must, or be a plain name), and the code of a
# configured secret (`settings.API_TOKEN`)
SECRET_HINT = re.compile(r"(?i)token|secret|signature|sig\b|hmac|digest|passw|pwd|api_?key|csrf|otp|mac\b|nonce")
SETTINGS_CODE = re.compile(r"(?i)^(settings|config|conf|cfg|app\.config|current_app\.config|self\.settings|"
                           r"self\.config|os\.environ)\b")


class TimingUnsafeComparison(PythonTrigger):
    # a line with == / != and a secret-looking word (multi-line comparisons keep the operator next
    # to one of their operands)
    _WORD = rb"(?:token|secret|signature|hmac|digest|hashlib|passw|api_?key|csrf|otp|\bsig\b|\bmac\b|expected)"
    # Two linear searches rather than one "word and == on the same line" pattern, which
    # backtracks quadratically on long lines.
    # matched against the lower-cased bytes: a (?i) pattern is twice as slow
    TRIGGER = fast_search.compile(_WORD)

    @classmethod
    def wants(cls, raw: bytes, display: str) -> bool:
        if is_test_code(display):
            return False  # assertions in tests are not auth checks
        if (b"==" in raw or b"!=" in raw) and fast_search.search(cls.TRIGGER, raw.lower()) is not None:
            return True
        # by origin (any comparison form): request input and a MAC or secret in the same file
        return any(op in raw for op in (b" in ", b"eq", b"startswith", b"endswith")) \
            and fast_search.search(ATTACKER_INPUT_BYTES, raw) is not None and _SECRET_BYTES.search(raw) is not None

    @classmethod
    def has_site(cls, facts) -> bool:
        """A comparison (==, !=) that _secret_pair may report (`_may_secret_pair`), or one (also
        `in`, and the call forms `operator.eq(a, b)`, `a.__eq__(b)`, `a.startswith(b)`) that
        _origin_pair may report (`_may_origin_pair`)."""
        for compare in sites_tree.nodes(facts, ast.Compare):
            left = compare.left
            for op, right in zip(compare.ops, compare.comparators):
                if not (_literal(left) or _literal(right)):
                    if isinstance(op, (ast.Eq, ast.NotEq)) and _may_secret_pair(facts, left, right):
                        return True
                    if isinstance(op, (ast.Eq, ast.NotEq, ast.In, ast.NotIn)) and _may_origin_pair(facts, left, right):
                        return True
                left = right
        for call in sites_tree.nodes(facts, ast.Call):
            given = sites_tree.arguments(call)
            if len(given) == 2 and sites.may_stand_for(facts, call.func, EQUALITY_FUNCTIONS) \
                    and _may_origin_pair(facts, *given):
                return True
            if len(given) == 1 and isinstance(call.func, ast.Attribute) and call.func.attr in EQUALITY_METHODS \
                    and _may_origin_pair(facts, call.func.value, given[0]):
                return True
        return False


# `_constant` of the rule: a call of these is a known value, no secret (`len(token) == n`)
_CONSTANT_CALLS = ("len", "type", "int", "bool", "id", "hash")


def _may_secret_pair(facts, a: ast.expr, b: ast.expr) -> bool:
    """Could _secret_pair report `a == b`: no side is named as a confirmation field (CONFIRMATION_WORDS);
    a side's code hints at a secret (SECRET_HINT) or is a name; neither side is a known value
    written out (`len(x)`, an empty collection: `_constant`);
    and one side is a hash or HMAC (HASH_CALLS in its code or in the values of its name), or one
    names a secret while one reads the request (REQUEST_CODE, the same way), or both name one."""
    for side in (a, b):  # (a name or an attribute is its own terminal name, as the rule reads it)
        name = side.id if isinstance(side, ast.Name) else side.attr if isinstance(side, ast.Attribute) else None
        if name is not None and set(name_words(name)) & CONFIRMATION_WORDS:
            return False
    codes = [sites_auth.spelled(facts, a), sites_auth.spelled(facts, b)]
    if not (isinstance(a, ast.Name) or isinstance(b, ast.Name)
            or any(code is None or SECRET_HINT.search(code) for code in codes)):
        return False
    for side in (a, b):
        if isinstance(side, ast.Call) and isinstance(side.func, ast.Name) and side.func.id in _CONSTANT_CALLS \
                or isinstance(side, (ast.Tuple, ast.List, ast.Set)) and not side.elts \
                or isinstance(side, ast.Dict) and not side.keys:
            return False
    if _side_matches(facts, a, HASH_CALLS) or _side_matches(facts, b, HASH_CALLS):
        return True
    word_a, word_b = _may_name_secret(facts, a), _may_name_secret(facts, b)
    return word_a and word_b or (word_a or word_b) and (
        _side_matches(facts, a, REQUEST_CODE) or _side_matches(facts, b, REQUEST_CODE))


def _side_matches(facts, side: ast.expr, pattern: re.Pattern) -> bool:
    """Does `pattern` match the code _facts reads for a side: its own, and the values bound to it
    (a name) or to the name at the bottom of its chain of attributes, subscripts and calls. Code
    that may hold a comment (`spelled` says None) may match."""
    expressions = [side]
    inner = side
    while isinstance(inner, (ast.Subscript, ast.Call, ast.Attribute)):
        inner = inner.func if isinstance(inner, ast.Call) else inner.value
    if isinstance(inner, ast.Name):
        expressions += sites.values_by_name(facts).get(inner.id, [])
    for expression in expressions:
        code = sites_auth.spelled(facts, expression)
        if code is None or pattern.search(code):
            return True
    return False


def _may_origin_pair(facts, a: ast.expr, b: ast.expr) -> bool:
    """Could _origin_pair report: no literal side; one side request input (`_request_input`), the
    other what may carry a secret or a digest (`_may_carry_secret`) or a configured secret
    (`settings.API_TOKEN`: a secret name, code SETTINGS_CODE matches)."""
    if any(_literal(x) or _literal_collection(x) for x in (a, b)):
        return False
    requested, secret = _request_input(facts), _may_carry_secret(facts)
    for secret_side, request_side in ((a, b), (b, a)):
        if requested(request_side) and (secret(secret_side) or _may_name_secret(facts, secret_side) and (
                (code := sites_auth.spelled(facts, secret_side)) is None or SETTINGS_CODE.search(code))):
            return True
    return False


# what the dataflow (py_dataflow) makes a SECRET or DIGEST: an environment variable, the keyring,
# a MAC (and hashlib, `_may_be_hashlib_call`)
_SECRET_CALLS = ENV_GETTERS | frozenset(KEYRING) | MAC_CALLS


def _may_carry_secret(facts):
    """A test "may the dataflow find a SECRET or DIGEST taint in this expression": it may carry
    (sites.dataflow_carries) a `_SECRET_CALLS` call, a hashlib call, a subscript of what may be
    ENV_OBJECTS, or a name imported with `from` whose binding in its module may carry one
    (sites.imported_carrying: Dataflow._imported)."""
    found = facts.memo.get("timing_secret")
    if found is not None:
        return found
    from_imported = sites.imported_carrying(facts, _may_carry_secret)

    def mentions(node: ast.AST) -> bool:
        if isinstance(node, ast.Name):
            return from_imported(node.id)
        if isinstance(node, ast.Subscript):
            return sites.may_stand_for(facts, node.value, ENV_OBJECTS)
        if isinstance(node, ast.Call):
            return sites.may_stand_for(facts, node.func, _SECRET_CALLS) or _may_be_hashlib_call(facts, node) \
                or isinstance(node.func, ast.Attribute) and node.func.attr in ("get", "pop", "setdefault") \
                and sites.may_stand_for(facts, node.func.value, ENV_OBJECTS)  # `os.environb.pop(k)`
        return False

    return sites.dataflow_carries(facts, "timing_secret", mentions)


def _may_be_hashlib_call(facts, call: ast.Call) -> bool:
    """May the call's qualified names start with `hashlib.` (origin_tables.HASH_MODULE): the file
    may name hashlib (sites_exec.roots), and a name along its callee's chain may stand for hashlib
    or a name imported from it (`sha256(...)`, `h.update(...)` after `h = hashlib.sha256()`)."""
    roots = sites_exec.roots(facts)
    module = HASH_MODULE.rstrip(".")
    if sites_exec.ANY not in roots and module not in roots:
        return False
    members = facts.memo.get("hashlib_members")
    if members is None:
        members = facts.memo["hashlib_members"] = {module} | {
            name for node in sites_tree.nodes(facts, ast.ImportFrom) if node.module == module
            for alias in node.names for name in (alias.name, alias.asname) if name}
    if "*" in members or sites_exec.ANY in roots:
        return True
    node = call.func
    while True:
        names = sites.stands_for(facts, node, receiver=isinstance(node, ast.Name) and node is not call.func)
        if names is None or not names.isdisjoint(members):
            return True
        if isinstance(node, ast.Attribute):
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        else:
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


def _server_keyed(facts) -> set[int]:
    """`request.META["REMOTE_ADDR"]`, `request.environ.get("SERVER_NAME")`: the META or environ
    attributes (ids) that origins.request_source skips, read with a literal key (origins._key: a
    subscript, or get/getlist/get_all/pop/__getitem__/getone) not starting with HTTP_."""
    found = set()
    for node in sites_tree.nodes(facts, ast.Subscript) + sites_tree.nodes(facts, ast.Call):
        if isinstance(node, ast.Subscript):
            holder, key = node.value, node.slice
        elif isinstance(node.func, ast.Attribute) and node.func.attr in _KEY_GETTERS and node.args \
                and not isinstance(node.args[0], ast.Starred):
            holder, key = node.func.value, node.args[0]
        else:
            continue
        if isinstance(holder, ast.Attribute) and holder.attr in ("META", "environ") and isinstance(key, ast.Constant) \
                and isinstance(key.value, str) and key.value and not key.value.startswith("HTTP_"):
            found.add(id(holder))
    return found


_KEY_GETTERS = ("get", "getlist", "get_all", "pop", "__getitem__", "getone")


def _request_input(facts):
    """Request input as origins.request_source sees it (sites.request_input), which skips the
    server-set META and environ keys (`_server_keyed`)."""
    return sites.request_input(facts, "timing_request_input", lambda: _server_keyed(facts))
