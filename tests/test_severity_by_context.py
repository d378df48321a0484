"""Severity decided by the site, for the rules whose examples alone cannot show it (the example
tests check that a code is reported, not how hard): unverified TLS to this machine in a test is a
warning and blocks everywhere else; a verification that fails open blocks although BDL606's
always-true form is a warning."""
import pytest

from backdoor_lint.config import Config
from backdoor_lint.engine import scan_bytes


def _severities(path: str, source: str, code: str) -> list[str]:
    findings = scan_bytes(path, source.encode(), Config()).findings
    return [f.severity for f in findings if f.code == code]


LOOPBACK = ["https://127.0.0.1:8443/health", "https://localhost/health", "https://[::1]:9000/x",
            "http://0.0.0.0:8000/", "https://api.localhost/v1", "https://127.8.9.1/"]
REMOTE = ["https://api.example.com/v1", "https://localhost@collect.example/v1", "https://127.0.0.1.nip.example/",
          "https://localhost.example.com/"]


@pytest.mark.parametrize("url", LOOPBACK)
def test_unverified_tls_to_loopback_in_a_test_is_a_warning(url):
    source = f'import requests\ndef test_health():\n    requests.get("{url}", verify=False)\n'
    assert _severities("tests/test_health.py", source, "BDL301") == ["warn"]


@pytest.mark.parametrize("url", REMOTE)
def test_unverified_tls_to_another_host_in_a_test_blocks(url):
    source = f'import requests\ndef test_api():\n    requests.get("{url}", verify=False)\n'
    assert _severities("tests/test_api.py", source, "BDL301") == ["block"]


def test_unverified_tls_to_loopback_outside_tests_blocks():
    source = 'import requests\ndef health():\n    return requests.get("https://127.0.0.1:8443/h", verify=False)\n'
    assert _severities("app/health.py", source, "BDL301") == ["block"]


def test_unknown_or_mixed_destinations_in_a_test_block():
    unknown = 'import requests\ndef test_api(url):\n    requests.get(url, verify=False)\n'
    mixed = ('import httpx\ndef test_api():\n    httpx.Client(base_url="https://evil.example", verify=False)'
             '.get("https://127.0.0.1/")\n')
    assert _severities("tests/test_api.py", unknown, "BDL301") == ["block"]
    assert _severities("tests/test_api.py", mixed, "BDL301") == ["block"]


def test_fail_open_verification_blocks_and_always_true_stays_a_warning():
    fail_open = ('import hmac\ndef verify_signature(body, sig, key):\n    try:\n'
                 '        return hmac.compare_digest(sign(body, key), sig)\n    except Exception:\n        return True\n')
    always = 'def verify_signature(payload, signature):\n    return True\n'
    assert _severities("app/hooks.py", fail_open, "BDL606") == ["block"]
    assert _severities("app/hooks.py", always, "BDL606") == ["warn"]
