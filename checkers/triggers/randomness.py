"""Triggers of the randomness and comparison rules (checkers/py_randomness.py)."""
from __future__ import annotations

import re

from backdoor_lint.checkers.origin_tables import ATTACKER_INPUT_TEXT
from backdoor_lint.checkers.triggers import PythonTrigger, sites
from backdoor_lint.checkers.vocabulary import is_test_code

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
        # random.Random(); rng.choice`): sites.calls_of follows what qualnames follows.
        return bool(sites.calls_of(facts, PRNG_CALLS))


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
