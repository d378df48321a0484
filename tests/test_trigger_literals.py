"""A trigger's TRIGGER_LITERALS are a quick test in front of its TRIGGER, so every text TRIGGER can
match must hold one of them (lower-cased when TRIGGER_LOWER): checked on the parse of each pattern
(every branch has a literal run, a mandatory group or repetition that holds one). And the gaps this
check found stay closed: each case is reported by the rule alone and by the whole engine."""
import re
import re._constants as sre_constants
import re._parser as sre_parser

import pytest
from backdoor_lint.checkers.base import ModuleContext
from backdoor_lint.checkers.registry import python_checkers, python_triggers
from backdoor_lint.checkers.tree import parse_module

from backdoor_lint.config import Config
from backdoor_lint.engine import scan_bytes

_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT)


def _holds_a_literal(items, literals: list[str], lower: bool, ignore_case: bool, prefix: str = "") -> bool:
    """Whether every text the parsed sequence `items` matches (after the literal `prefix`, which the
    parser factors out of alternatives: `execute|exec_driver_sql` is `exec` then a branch) contains
    one of `literals`."""
    run: list[str] = list(prefix)

    def run_holds() -> bool:
        if ignore_case and not lower:
            return False
        text = "".join(run).lower() if lower else "".join(run)
        return any(literal in text for literal in literals)

    for op, value in items:
        if op is sre_constants.LITERAL:
            run.append(chr(value))
            continue
        if run and run_holds():
            return True
        before = "".join(run)
        run.clear()
        if op is sre_constants.SUBPATTERN:
            _, add_flags, _, inner = value
            if _holds_a_literal(inner, literals, lower, ignore_case or bool(add_flags & re.IGNORECASE), before):
                return True
        elif op is sre_constants.BRANCH:
            if all(_holds_a_literal(branch, literals, lower, ignore_case, before) for branch in value[1]):
                return True
        elif op in _REPEATS and value[0] >= 1 and _holds_a_literal(value[2], literals, lower, ignore_case):
            return True
    return bool(run) and run_holds()


TRIGGERS = [t for t in python_triggers() if t.TRIGGER is not None and t.TRIGGER_LITERALS]


@pytest.mark.parametrize("trigger", TRIGGERS, ids=[t.__name__ for t in TRIGGERS])
def test_every_match_of_the_trigger_holds_one_of_its_literals(trigger):
    pattern = trigger.TRIGGER
    parsed = sre_parser.parse(pattern.pattern.decode("latin-1"), pattern.flags & ~re.UNICODE)
    literals = [literal.decode("latin-1") for literal in trigger.TRIGGER_LITERALS]
    assert not trigger.TRIGGER_LOWER or literals == [literal.lower() for literal in literals]
    assert _holds_a_literal(parsed, literals, trigger.TRIGGER_LOWER, bool(pattern.flags & re.IGNORECASE))


def test_the_check_finds_a_literal_missing():
    missing = re.compile(rb"execute|exec_driver_sql")
    parsed = sre_parser.parse(missing.pattern.decode("latin-1"))
    assert not _holds_a_literal(parsed, ["execute"], False, False)
    assert _holds_a_literal(parsed, ["execute", "exec_driver_sql"], False, False)


# What the text stages hid before: a verification named with a word of AUTH_OBJECT_WORDS the trigger
# did not list (key, webhook, pin, apikey, twofactor) or a verb followed by no other word,
# sqlalchemy's exec_driver_sql, a PRNG value named with a secret word the randomness trigger's own
# word list lacked (passphrase, pwd, mfa, credential, xsrf), a fail-open `return(True)`.
GAPS = [
    ("AuthAlwaysSucceeds", "def is_valid_key(key):\n    return True\n", "BDL606", 1),
    ("AuthAlwaysSucceeds", "def check_webhook(payload, mac):\n    return True\n", "BDL606", 1),
    ("AuthAlwaysSucceeds", "def has_valid_pin(pin):\n    return True\n", "BDL606", 1),
    ("AuthAlwaysSucceeds", "is_valid_apikey = lambda k: True\n", "BDL606", 1),
    ("AuthAlwaysSucceeds", "is_valid_apikey = lambda k: 2\n", "BDL606", 1),
    ("AuthAlwaysSucceeds", "def verify_twofactor(code):\n    return True\n", "BDL606", 1),
    ("AuthAlwaysSucceeds", "def \\\n    is_valid_key(key):\n    return True\n", "BDL606", 1),
    ("SqlInjection", 'from flask import request\ndef f(conn):\n'
                     '    conn.exec_driver_sql("SELECT * FROM t WHERE a = " + request.args["a"])\n', "BDL507", 3),
    # network data from a client the attacker-input text (the rule's own gate, ATTACKER_INPUT_TEXT) lacked
    ("SqlInjection", 'import niquests\ndef f(conn):\n    name = niquests.get("https://feed.example/n").text\n'
                     '    conn.execute("INSERT INTO t VALUES (\'" + name + "\')")\n', "BDL507", 4),
    ("SqlInjection", 'import asyncio\nasync def f(conn, host):\n    reader, writer = await asyncio.open_connection(host, 9)\n'
                     '    line = await reader.readline()\n    conn.execute("INSERT INTO t VALUES (\'" + line.decode() + "\')")\n',
     "BDL507", 5),
    # a secret named with a word InsecureRandomness' old context list lacked
    ("InsecureRandomness", 'import random\ndef make():\n    passphrase = "-".join(random.choice(WORDS) for _ in range(4))\n'
                           '    return passphrase\n', "BDL208", 3),
    ("InsecureRandomness", 'import random\ndef make():\n    pwd = str(random.randint(100000, 999999))\n    return pwd\n',
     "BDL208", 3),
    ("InsecureRandomness", 'import random\ndef make():\n    mfa = random.randint(100000, 999999)\n    return mfa\n',
     "BDL208", 3),
    ("InsecureRandomness", 'import random\ndef make():\n    credential = random.getrandbits(64)\n    return credential\n',
     "BDL208", 3),
    ("InsecureRandomness", 'import random\ndef make():\n    xsrf = random.getrandbits(64)\n    return xsrf\n', "BDL208", 3),
    # a fail-open success spelled otherwise than the fail-open trigger's two literals
    *(("FailOpenVerification", 'import hmac\ndef verify_signature(sig, body):\n    try:\n'
                               '        return hmac.compare_digest(sig, mac(body))\n    except Exception:\n'
                               f'        {success}\n', "BDL606", 6)
      for success in ("return(True)", "return  True", "return 2")),
]


@pytest.mark.parametrize("rule_name,source,code,line", GAPS)
def test_a_text_stage_gap_stays_closed(rule_name, source, code, line):
    rule = next(checker for checker in python_checkers() if checker.__name__ == rule_name)
    context = ModuleContext("app/module.py", source, parse_module(source))
    context.run([rule(context)])
    assert (code, line) in {(f.code, f.line) for f in context.findings}, "the rule itself does not report it"
    assert (code, line) in {(f.code, f.line) for f in scan_bytes("app/module.py", source.encode(), Config()).findings}


def test_the_attacker_input_text_holds_every_fetching_call():
    """ATTACKER_INPUT_TEXT gates the dataflow's request input and network data (Dataflow.
    attacker_input_possible) and the SQL, shell and timing triggers: a call that fetches
    (sink_tables.FETCHING_CALLS, which the dataflow makes network data) must be spelled with a word
    it holds, or the gate hides what the dataflow would find."""
    from backdoor_lint.checkers.origin_tables import ATTACKER_INPUT_BYTES, ATTACKER_INPUT_TEXT
    from backdoor_lint.checkers.sink_tables import FETCHING_CALLS

    assert [name for name in sorted(FETCHING_CALLS) if not ATTACKER_INPUT_TEXT.search(name)] == []
    assert ATTACKER_INPUT_BYTES.pattern == ATTACKER_INPUT_TEXT.pattern.encode()
