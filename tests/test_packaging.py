"""The installed layout: folders mapped into backdoor_lint, nothing top-level."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_top_level_folders_are_not_importable_on_their_own(tmp_path):
    for name in ("checkers", "hooks", "semgrep_rules"):
        result = subprocess.run([sys.executable, "-c", f"import {name}"], cwd=tmp_path, capture_output=True, text=True)
        assert result.returncode != 0, f"`import {name}` must fail after installation"


def test_mapped_packages_import(tmp_path):
    code = ("import backdoor_lint.checkers.registry, backdoor_lint.hooks.precommit, backdoor_lint.semgrep_rules;"
            "print(backdoor_lint.checkers.registry.__file__)")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()).parent.name == "checkers"


def test_readme_rules_table_is_in_sync():
    from backdoor_lint.rules_table import render_rules

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- rules-table:start -->") + len("<!-- rules-table:start -->\n")
    end = readme.index("<!-- rules-table:end -->")
    assert readme[start:end] == render_rules("markdown"), (
        "README rules table is stale: regenerate it with `backdoor-lint rules --format markdown`")


def test_every_rule_is_implemented_somewhere():
    from backdoor_lint.rules_table import rule_languages

    missing = [code for code, langs in rule_languages().items() if not langs]
    assert not missing, f"catalogue codes without any implementation: {missing}"
