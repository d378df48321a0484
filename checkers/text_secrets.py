"""BDL603 in every non-Python text file: known token formats (AWS, GitHub, GitLab, Slack, Stripe
live keys, Google, OpenAI, Anthropic, npm, PyPI, SendGrid) and private-key blocks. Python files
get the same formats from the libcst rule (py_secrets), which also knows names and docstrings."""
from __future__ import annotations

from backdoor_lint.checkers.examples import Invalid, Valid
from backdoor_lint.checkers.secretformats import FORMAT_TRIGGER, has_format_trigger, token_formats
from backdoor_lint.checkers.text import TextChecker, line_and_column, line_starts
from backdoor_lint.checkers.vocabulary import is_test_or_example
from backdoor_lint.findings import Finding


class TokenFormatsInText(TextChecker):
    CODES = ("BDL603",)
    TRIGGER = FORMAT_TRIGGER

    @classmethod
    def wants(cls, raw: bytes, language: str) -> bool:
        return language != "python" and has_format_trigger(raw) and super().wants(raw, language)

    def check(self, text: str, display: str, language: str) -> list[Finding]:
        if is_test_or_example(display):
            return []
        findings = []
        starts = line_starts(text)
        for label, start, end in token_formats(text):
            line, column = line_and_column(text, start, starts)
            end_line, end_column = line_and_column(text, end, starts)
            token = text[start:end]
            preview = token[:8] + "…" if len(token) > 12 else token[:4] + "…"
            findings.append(Finding(
                display, line, column, "BDL603",
                f"{label} ({preview}, {len(token)} characters) committed in a {language} file: anyone with "
                "the repository or its history holds it; move it to a secret store and rotate it",
                end_line=end_line, end_column=end_column, engine="text",
                snippet=text[starts[line - 1]:starts[end_line] if end_line < len(starts) else len(text)][:300]))
        return findings

    VALID = [
        Valid('const key = process.env.AWS_ACCESS_KEY_ID;\n// e.g. AKIAIOSFODNN7EXAMPLE\n',
              "BDL603", path="src/aws.js"),
        Valid('-----BEGIN RSA PRIVATE KEY-----\n', "BDL603", path="docs/format.md"),
        Valid('GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n', "BDL603", path=".env.example"),
        # backdoor-lint: ignore[BDL603] rule example: the test input the rule must flag
        Valid('token: "ghp_aBcD1234EfGh5678IjKl9012MnOp3456QrSt"\n', "BDL603", path="tests/fixtures/config.yaml"),
    ]
    INVALID = [
        # backdoor-lint: ignore[BDL603] rule example: the test input the rule must flag
        Invalid('const s3 = new S3({ accessKeyId: "AKIAFJ196TYBXG78BPW7" });\n', "BDL603", 1, path="src/s3.js"),
        # backdoor-lint: ignore[BDL603] rule example: the test input the rule must flag
        Invalid('env:\n  SLACK: xoxb-2048719635-7730195286431-Ab9dEfGh2jKlMnOpQ7StUvWx\n', "BDL603", 2,
                path=".github/workflows/ci.yml"),
        # backdoor-lint: ignore[BDL603] rule example: the test input the rule must flag
        Invalid('STRIPE_KEY=sk_live_4eC39HqLyjWDarjtT1zdp7dc\n', "BDL603", 1, path=".env"),
        # backdoor-lint: ignore[BDL603] rule example: the test input the rule must flag
        Invalid('-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n'
                '-----END OPENSSH PRIVATE KEY-----\n', "BDL603", 1, path="deploy/id_ed25519"),
        # backdoor-lint: ignore[BDL603] rule example: the test input the rule must flag
        Invalid('String t = "glpat-Ab3dEf6hIj9kLm2nOp5q";\n', "BDL603", 1, path="src/Main.java"),
    ]
