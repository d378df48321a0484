"""Messages, severities and cross-function flow of the crypto, randomness, timing and TLS rules."""
from backdoor_lint.config import Config
from backdoor_lint.engine import scan_bytes


def _findings(source: str, path: str = "app/mod.py"):
    return [f for f in scan_bytes(path, source.encode(), Config()).findings if f.code.startswith(("BDL2", "BDL3"))]


def test_weak_hash_message_names_hash_and_input():
    [finding] = _findings("import hashlib\ndef hash_password(pw):\n    return hashlib.md5(pw.encode()).hexdigest()\n")
    assert finding.code == "BDL201" and finding.severity == "block"
    assert "MD5" in finding.message and "hash_password()" in finding.message


def test_random_flows_through_helper_to_token():
    source = ("import random\ndef _chars(n):\n    return ''.join(random.choice('abc') for _ in range(n))\n"
              "def invite(user):\n    user.invite_token = _chars(40)\n")
    [finding] = _findings(source)
    assert finding.code == "BDL208" and finding.line == 3
    assert "invite_token" in finding.message and "_chars()" in finding.message


def test_random_for_jitter_and_ids_is_quiet():
    source = ("import random, time\ndef retry(f):\n    for attempt in range(5):\n"
              "        time.sleep(random.uniform(0, 2 ** attempt))\n"
              "def request_id():\n    return '%08x' % random.getrandbits(32)\n")
    assert _findings(source) == []


def test_check_hostname_alone_is_a_warning_and_restored_is_quiet():
    alone = "import ssl\nctx = ssl.create_default_context()\nctx.check_hostname = False\n"
    [finding] = _findings(alone)
    assert finding.code == "BDL302" and finding.severity == "warn"
    restored = ("import ssl\ndef f(ctx):\n    old = ctx.check_hostname\n    ctx.check_hostname = False\n"
                "    try:\n        yield\n    finally:\n        ctx.check_hostname = old\n")
    assert _findings(restored) == []


def test_verify_false_message_names_the_constant():
    [finding] = _findings("import requests\nVERIFY = False\nrequests.get('https://x.example', verify=VERIFY)\n")
    assert finding.code == "BDL301" and "verify=VERIFY" in finding.message


def test_hardcoded_key_reported_where_the_literal_is():
    source = "import hmac\nKEY = b'0f1e2d3c4b5a69788796a5b4'\ndef sign(m):\n    return hmac.new(KEY, m, 'sha256').digest()\n"
    [finding] = _findings(source)
    assert finding.code == "BDL210" and finding.line == 2 and "line 4" in finding.message


def test_hardcoded_key_in_tests_is_quiet():
    source = "import hmac\nKEY = b'0f1e2d3c4b5a69788796a5b4'\nhmac.new(KEY, b'm', 'sha256')\n"
    assert _findings(source, path="tests/test_sign.py") == []
