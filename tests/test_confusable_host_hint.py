"""BDL704's cheap pre-test (`may_hold_confusable_host`) must say yes wherever the full host scan
would report, and no on prose with nothing to find (translations: the full scan is 5x dearer)."""
import pytest
from backdoor_lint.checkers import text_identifiers
from backdoor_lint.checkers.text_identifiers import ConfusableHostname, may_hold_confusable_host

CYRILLIC_A, CYRILLIC_O = "\u0430", "\u043e"
REPORTED = [
    f'INDEX = "https://files.pyth{CYRILLIC_O}nhosted.org/simple"\n',
    f"curl -s https://{CYRILLIC_A}pi.github.com/x\n",
    f"see {CYRILLIC_A}pi.github.com for details\n",  # no scheme: a host-like word
    f"mirror: www.pyth{CYRILLIC_O}n.org, then\n",
    f"(files.pyth{CYRILLIC_O}nhosted.org)\n",
    f"host=g{CYRILLIC_O}{CYRILLIC_O}gle.com\n",
    f"line one\nhttps://user@p{CYRILLIC_A}ypal.com:443/login\n",
    # backdoor-lint: ignore[BDL704] test input: a punycode look-alike the pre-test must let through
    "HOOK = 'https://xn--pythnhosted-unj.org/simple'\n",
]
QUIET = [
    "msgid \"Error\"\nmsgstr \"Ошибка, т.е. неверное значение. См. https://www.djangoproject.com/\"\n",
    "msgstr \"Überprüfen Sie die Eingabe.Danach erneut\"\n",
    "plain ascii https://example.com\n",
]


@pytest.mark.parametrize("text", REPORTED)
def test_the_pre_test_lets_through_every_text_the_scan_reports_on(text, monkeypatch):
    monkeypatch.setattr(text_identifiers, "may_hold_confusable_host", lambda _text: True)
    assert ConfusableHostname()._hosts(text, "f.txt"), "the example must be one the full scan reports"
    monkeypatch.undo()
    assert may_hold_confusable_host(text)


@pytest.mark.parametrize("text", QUIET)
def test_prose_without_a_non_ascii_host_skips_the_scan(text):
    assert not may_hold_confusable_host(text)
