"""The data-origin engine across files (DESIGN §10): values and functions imported from other modules
of the scanned tree are followed, read-only and bounded; what cannot be resolved stays unknown
(never a crash, never proof of anything); request input decides severity."""
from pathlib import Path

from backdoor_lint.config import Config
from backdoor_lint.engine import scan


def _tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _found(root: Path, *paths: str) -> set[tuple[str, str, int, str]]:
    result = scan([str(root / p) for p in paths], Config(root=root), jobs=1)
    return {(Path(f.path).name, f.code, f.line, f.severity) for f in result.findings}


SETTINGS = ('JWT_ALGORITHMS = ["RS256", "HS256"]\nVERIFY_TLS = False\n'
            'class Settings:\n    VERIFY_TLS = False\n    TIMEOUT = 5\n')
VIEWS = ('import jwt, requests\nfrom .settings import JWT_ALGORITHMS, Settings\nfrom app import settings as conf\n'
         'def check(token, key):\n    return jwt.decode(token, key, algorithms=JWT_ALGORITHMS)\n'
         'def fetch(url):\n    return requests.get(url, verify=conf.VERIFY_TLS)\n'
         'def fetch2(url):\n    cfg = Settings()\n    return requests.get(url, verify=cfg.VERIFY_TLS)\n')


def test_constants_settings_and_instances_imported_from_the_tree(tmp_path):
    _tree(tmp_path, {"app/__init__.py": "", "app/settings.py": SETTINGS, "app/views.py": VIEWS})
    # only the changed file is scanned (pre-commit): its imports are still read
    found = _found(tmp_path, "app/views.py")
    assert {("views.py", "BDL101", 5), ("views.py", "BDL301", 7), ("views.py", "BDL301", 10)} \
        <= {(name, code, line) for name, code, line, _ in found}


def test_functions_imported_from_the_tree_carry_request_input(tmp_path):
    _tree(tmp_path, {
        "svc/__init__.py": "",
        "svc/inputs.py": "from flask import request\ndef command():\n    return request.args.get('c')\n",
        "svc/run.py": "import os\nfrom .inputs import command\ndef go():\n    os.system(command())\n",
    })
    assert ("run.py", "BDL505", 4, "block") in _found(tmp_path, "svc/run.py")


def test_unknown_imports_are_unknown_not_clean_and_never_crash(tmp_path):
    outside = tmp_path / "outside"
    _tree(outside, {"secret_settings.py": "VERIFY = False\n"})
    root = tmp_path / "repo"
    _tree(root, {
        "pkg/__init__.py": "",
        "pkg/a.py": "from .b import X\nimport requests\nVERIFY = X\n"
                    "def f(u):\n    return requests.get(u, verify=VERIFY)\n",
        "pkg/b.py": "from .a import VERIFY as X\n",  # a cycle
        "pkg/c.py": "import requests\nfrom .missing import VERIFY\nfrom ...outside.secret_settings import VERIFY as V2\n"
                    "def f(u):\n    return requests.get(u, verify=VERIFY) or requests.get(u, verify=V2)\n",
        "pkg/d.py": "import requests\nfrom .broken import VERIFY\ndef f(u):\n    return requests.get(u, verify=VERIFY)\n",
        "pkg/broken.py": "VERIFY = (\n",
    })
    found = _found(root, "pkg/a.py", "pkg/c.py", "pkg/d.py")
    codes = {code for _, code, _, _ in found}
    assert "BDL902" not in codes  # no checker failed
    assert not {f for f in found if f[1] == "BDL301"}  # nothing outside the tree was read, nothing guessed
    assert ("broken.py", "BDL901") not in {(n, c) for n, c, _, _ in found}  # only the scanned files are reported


def test_request_input_blocks_where_local_data_warns(tmp_path):
    _tree(tmp_path, {"m.py": (
        "import pickle, subprocess\nfrom flask import request\n"
        "def _restore(blob):\n    return pickle.loads(blob)\n"
        "def session_state():\n    return _restore(request.cookies['state'])\n"
        "def cache(path):\n    with open(path, 'rb') as fh:\n        return pickle.load(fh)\n"
        "def run(host):\n    subprocess.run(f'ping -c 1 {host}', shell=True)\n"
        "def ping():\n    run(request.args['h'])\n")})
    found = _found(tmp_path, "m.py")
    assert ("m.py", "BDL504", 4, "block") in found  # the cookie reaches pickle through a helper
    assert ("m.py", "BDL504", 9, "warn") in found  # a local cache file stays a warning
    assert ("m.py", "BDL505", 11, "block") in found  # request input through the helper's parameter
