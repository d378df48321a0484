"""The installed layout: folders mapped into backdoor_lint, nothing top-level; the release
artefacts (`python -m build`) install into a fresh environment and work outside the checkout."""
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

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


def test_every_package_folder_is_listed_for_installation():
    # a sub-package missing from pyproject's list is absent from the wheel: its checkers would fail
    # to import in every installed copy (BDL902 on every file) while the editable checkout works
    try:
        import tomllib
    except ImportError:  # Python < 3.11
        import tomli as tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    mapped = {"backdoor_lint": ROOT / "backdoor_lint", "backdoor_lint.checkers": ROOT / "checkers",
              "backdoor_lint.hooks": ROOT / "hooks"}
    found = set()
    for package, folder in mapped.items():
        for init in folder.rglob("__init__.py"):
            relative = init.parent.relative_to(folder).parts
            found.add(".".join((package, *relative)))
    assert found <= listed, sorted(found - listed)


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


# ---------------------------------------------------------------- the release artefacts

BAD_PY = 'import jwt\n\n\ndef verify(token, PUBLIC_KEY):\n    return jwt.decode(token, PUBLIC_KEY, algorithms=["RS256", "HS256"])\n'
BAD_JS = 'const jwt = require("jsonwebtoken");\njwt.verify(token, key, { algorithms: ["none"] });\n'
# a site only a semgrep rule reports (go-jwt-parse-unverified)
BAD_GO = ('package b\n\nimport "github.com/golang-jwt/jwt/v5"\n\n'
          'func tenant(raw string) {\n\tjwt.NewParser().ParseUnverified(raw, jwt.MapClaims{})\n}\n')


def _copy_tracked_files(target: Path) -> None:
    """The files a release is built from: tracked and untracked-but-not-ignored files of this checkout."""
    listing = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                             capture_output=True, check=True).stdout.split(b"\0")
    for name in filter(None, listing):
        source = ROOT / os.fsdecode(name)
        if source.is_file():
            (target / os.fsdecode(name)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / os.fsdecode(name))


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> dict:
    """`python -m build` of a copy of this checkout: the sdist, and the wheel built from that sdist
    (build's default), so a file missing from the sdist is missing from the wheel too."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout to know which files a release is built from")
    source = tmp_path_factory.mktemp("source") / "backdoor-lint"
    _copy_tracked_files(source)
    dist = tmp_path_factory.mktemp("dist")
    # --no-isolation: the backend comes from the test environment ([test] installs build and
    # setuptools), so the build needs no network.
    built = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(source)],
                           capture_output=True, text=True, timeout=900)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    from backdoor_lint import __version__

    sdists, wheels = list(dist.glob("*.tar.gz")), list(dist.glob("*.whl"))
    assert [p.name for p in sdists] == [f"backdoor_lint-{__version__}.tar.gz"]
    assert [p.name for p in wheels] == [f"backdoor_lint-{__version__}-py3-none-any.whl"]
    return {"sdist": sdists[0], "wheel": wheels[0], "version": __version__}


def test_sdist_holds_what_a_rebuild_needs(release):
    with tarfile.open(release["sdist"]) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"pyproject.toml", "README.md", "backdoor_lint/__init__.py", "checkers/data/vendored_hashes.txt",
            "checkers/data/confusables.txt", "hooks/precommit.py"} <= names
    rule_files = {str(path.relative_to(ROOT)) for path in (ROOT / "semgrep-rules").rglob("*.yaml")}
    assert rule_files and rule_files <= names, rule_files - names


def test_wheel_holds_the_rules_and_data_files_and_nothing_top_level(release):
    with zipfile.ZipFile(release["wheel"]) as archive:
        names = set(archive.namelist())
    tops = {name.split("/", 1)[0] for name in names}
    assert tops == {"backdoor_lint", f"backdoor_lint-{release['version']}.dist-info"}, tops
    data = ROOT / "checkers" / "data"
    assert {f"backdoor_lint/checkers/data/{p.name}" for p in data.iterdir() if p.is_file()} <= names
    rules = {f"backdoor_lint/semgrep_rules/{p.relative_to(ROOT / 'semgrep-rules').as_posix()}"
             for p in (ROOT / "semgrep-rules").rglob("*.yaml")}
    assert rules and rules <= names, sorted(rules - names)[:5]


@pytest.mark.slow
def test_wheel_installs_and_works_outside_the_checkout(release, tmp_path):
    """The wheel in a fresh virtual environment, run from a directory outside the checkout: the
    console script, --version, `rules`, `explain`, and a scan whose findings need the libcst rules,
    the JavaScript analysis, the semgrep rules and the shipped data files."""
    python = _fresh_venv(tmp_path)
    venv = python.parent.parent
    installed = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                                "--no-index", "--disable-pip-version-check", "-q", str(release["wheel"])],
                               capture_output=True, text=True, timeout=600)
    assert installed.returncode == 0, installed.stderr
    work = tmp_path / "elsewhere"
    (work / "project").mkdir(parents=True)
    (work / "project" / "auth.py").write_text(BAD_PY)
    (work / "project" / "verify.js").write_text(BAD_JS)
    (work / "project" / "tenant.go").write_text(BAD_GO)
    semgrep = Path(sys.executable).parent / "semgrep"
    env = {**os.environ, "BACKDOOR_LINT_SEMGREP": str(semgrep), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("PYTHONPATH", None)
    script = python.parent / "backdoor-lint"

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(script), *args], cwd=work, capture_output=True, text=True, env=env, timeout=600)

    where = subprocess.run([str(python), "-c", "import backdoor_lint; print(backdoor_lint.__file__)"],
                           cwd=work, capture_output=True, text=True, env=env)
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout + where.stderr
    version = run("--version")
    assert version.returncode == 0 and version.stdout.strip() == f"backdoor-lint {release['version']}"
    rules = run("rules", "--format", "json")
    assert rules.returncode == 0 and '"BDL101"' in rules.stdout
    assert "algorithm" in run("explain", "BDL101").stdout
    scan = run("scan", "project", "--format", "json")
    assert scan.returncode == 1, scan.stdout + scan.stderr
    import json

    report = json.loads(scan.stdout)
    found = {(f["path"], f["code"], f["engine"]) for f in report["findings"]}
    assert ("project/auth.py", "BDL101", "libcst") in found, found
    # the JavaScript analysis (a sub-package of the checkers) and the semgrep rules both ran
    assert ("project/verify.js", "BDL102", "text") in found, found
    assert ("project/tenant.go", "BDL103", "semgrep") in found, found
    assert not [f for f in report["findings"] if f["code"] in ("BDL901", "BDL902")], report["findings"]
    known = subprocess.run([str(python), "-c", "from backdoor_lint import vendored; print(len(vendored.known_files()[1]))"],
                           cwd=work, capture_output=True, text=True, env=env)
    assert known.returncode == 0 and int(known.stdout) > 100, known.stdout + known.stderr


def _fresh_venv(tmp_path: Path) -> Path:
    """A virtual environment without pip whose dependencies come from the test environment (a .pth
    line), so installing backdoor-lint into it needs no network. Returns its python."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=300)
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "zz_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


@pytest.mark.slow
def test_pinned_git_url_installs(tmp_path):
    """The README's `pip install "git+<URL>@<commit>"`, with a file:// URL to a committed copy of
    this checkout: pip clones it, checks out the commit, builds and installs a working tool."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs git and a git checkout")
    repo = tmp_path / "backdoor-lint"
    _copy_tracked_files(repo)
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "snapshot"]):
        subprocess.run(["git", "-C", str(repo), *command], check=True, env=env, capture_output=True, timeout=300)
    commit = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True,
                            check=True).stdout.strip()
    (repo / "README.md").write_text("a later commit that must not be installed\n")
    subprocess.run(["git", "-C", str(repo), "commit", "-qam", "later"], check=True, env=env, capture_output=True)
    python = _fresh_venv(tmp_path)
    installed = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                                "--no-build-isolation", "--no-index", "--disable-pip-version-check", "-q",
                                f"git+{repo.as_uri()}@{commit}"], capture_output=True, text=True, timeout=900)
    assert installed.returncode == 0, installed.stdout[-2000:] + installed.stderr[-2000:]
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "auth.py").write_text(BAD_PY)
    scan = subprocess.run([str(python.parent / "backdoor-lint"), "scan", "project", "--no-cache"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=600)
    assert scan.returncode == 1 and "BDL101" in scan.stdout, scan.stdout + scan.stderr
    site = python.parent.parent / "lib"
    (metadata,) = site.glob("python*/site-packages/backdoor_lint-*.dist-info/METADATA")
    text = metadata.read_text(encoding="utf-8")  # the README is the long description
    assert "# backdoor-lint" in text and "a later commit that must not be installed" not in text
