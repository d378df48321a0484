"""backdoor-lint's own source passes backdoor-lint (with the checkout's .backdoor-lint.toml): the
attack strings it holds on purpose are suppressed inline, one by one, with a reason."""
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_this_checkout_scans_clean_and_every_suppression_has_a_reason(cli):
    run = cli("scan", "--no-cache", "--format", "json", ".", cwd=ROOT)
    report = json.loads(run.stdout)
    assert run.returncode == 0, [(f["path"], f["line"], f["code"]) for f in report["findings"]]
    assert report["findings"] == []
    assert report["suppressed"], "the rule examples' attack strings are reported, then suppressed"
    assert all(s["suppression_reason"] for s in report["suppressed"])
