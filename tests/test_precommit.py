"""The pre-commit integration, end to end: `pre-commit try-repo` from this checkout refuses the
algorithm-confusion example with its explanation, and a real `git commit` through an installed
hook is refused, while clean content passes."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

BAD = 'import jwt\n\n\ndef verify(token, PUBLIC_KEY):\n    return jwt.decode(token, PUBLIC_KEY, algorithms=["RS256", "HS256"])\n'
GOOD = BAD.replace('["RS256", "HS256"]', '["RS256"]')

# The hook environment is a pip install from PyPI (once per test run): the slowest tests of the suite.
pytestmark = [pytest.mark.skipif(shutil.which("git") is None, reason="git not installed"), pytest.mark.slow]


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, timeout=900)


def _pre_commit(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=1800)


# `pre-commit try-repo`, unchanged except for its store: it builds the hook environment in a
# throwaway store (a full pip install of backdoor-lint and semgrep for every call, the slowest step
# of the suite). Here it uses the session's store ($XDG_CACHE_HOME/pre-commit, a temporary directory
# of this test run), keyed by the repository's absolute path (try-repo passes it on relative to the
# project) so that `pre-commit install`'s hooks for the same repository and commit find the same
# environment: one environment per test run instead of one per call.
_TRY_REPO_IN_SESSION_STORE = """
import os
import sys
from pre_commit.commands import try_repo
from pre_commit.main import main
from pre_commit.store import Store
assert try_repo.Store is Store, "pre-commit's try-repo no longer builds its store this way"
class SessionStore(Store):
    def __init__(self, _throwaway_directory):
        super().__init__()
    def clone(self, repo, ref, deps=()):
        return super().clone(os.path.abspath(repo), ref, deps)
try_repo.Store = SessionStore
sys.exit(main(["try-repo", *sys.argv[1:]]))
"""


def _try_repo(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", _TRY_REPO_IN_SESSION_STORE, *args], cwd=cwd, capture_output=True,
                          text=True, timeout=1800)


@pytest.fixture(scope="module")
def shadow_checkout(tmp_path_factory) -> tuple[Path, str]:
    """This checkout, including uncommitted changes, as a committed repository pre-commit can pin."""
    shadow = tmp_path_factory.mktemp("shadow") / "backdoor-lint"
    listing = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                             capture_output=True, check=True).stdout.split(b"\0")
    for name in filter(None, listing):
        source = ROOT / os.fsdecode(name)
        if source.is_file():
            target = shadow / os.fsdecode(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    _git(shadow, "init", "-q")
    _git(shadow, "add", "-A")
    assert _git(shadow, "commit", "-q", "-m", "snapshot").returncode == 0
    return shadow, _git(shadow, "rev-parse", "HEAD").stdout.strip()


@pytest.fixture
def project(tmp_path) -> Path:
    repo = tmp_path / "project"
    repo.mkdir()
    _git(repo, "init", "-q")
    return repo


def test_try_repo_refuses_algorithm_confusion_and_accepts_clean_code(shadow_checkout, project):
    shadow, _ = shadow_checkout
    (project / "auth.py").write_text(BAD)
    _git(project, "add", "auth.py")
    refused = _try_repo(str(shadow), "backdoor-lint", "--files", "auth.py", cwd=project)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "BDL101" in refused.stdout and "RS256" in refused.stdout and "HS256" in refused.stdout
    assert "HMAC secret" in refused.stdout and "The pre-commit hook fails." in refused.stdout

    (project / "auth.py").write_text(GOOD)
    _git(project, "add", "auth.py")
    accepted = _try_repo(str(shadow), "backdoor-lint", "--files", "auth.py", cwd=project)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr


def test_installed_hook_blocks_the_commit(shadow_checkout, project):
    shadow, rev = shadow_checkout
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {shadow}\n    rev: {rev}\n    hooks:\n      - id: backdoor-lint\n      - id: backdoor-lint-python\n"
    )
    installed = _pre_commit("install", cwd=project)
    assert installed.returncode == 0, installed.stderr
    (project / "auth.py").write_text(BAD)
    _git(project, "add", "-A")
    refused = _git(project, "commit", "-m", "add auth")
    assert refused.returncode != 0, refused.stdout
    assert "BDL101" in refused.stdout + refused.stderr
    assert _git(project, "rev-parse", "--verify", "HEAD").returncode != 0  # nothing was committed

    (project / "auth.py").write_text(GOOD)
    _git(project, "add", "-A")
    accepted = _git(project, "commit", "-m", "add auth")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr


WARN_ONLY = 'import subprocess\n\n\ndef run(name):\n    subprocess.run("ls " + name, shell=True)\n'  # BDL505, a warning


def _readme_precommit_config(shadow: Path, rev: str) -> str:
    """The `.pre-commit-config.yaml` of the README's "Use it with pre-commit", pointed at `shadow`."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Use it with pre-commit"):]
    block = section[section.index("```yaml\n") + 8:section.index("\n```", section.index("```yaml"))]
    assert "<owner>" in block and "rev: <commit>" in block, "the README recipe pins a commit of the repository"
    block = re.sub(r"repo: \S+", f"repo: {shadow}", block)
    return block.replace("rev: <commit>", f"rev: {rev}") + "\n"


def test_readme_config_shows_warnings_and_blocks_findings(shadow_checkout, project):
    """The README's config, copied into another repository: a commit with only a warning passes and
    the warning is shown (pre-commit hides the output of passing hooks unless `verbose: true`); a
    blocking finding refuses the commit."""
    shadow, rev = shadow_checkout
    (project / ".pre-commit-config.yaml").write_text(_readme_precommit_config(shadow, rev))
    assert _pre_commit("install", cwd=project).returncode == 0
    (project / "run.py").write_text(WARN_ONLY)
    _git(project, "add", "-A")
    committed = _git(project, "commit", "-m", "add run")
    assert committed.returncode == 0, committed.stdout + committed.stderr
    assert "BDL505" in committed.stdout + committed.stderr and "1 warning" in committed.stdout + committed.stderr

    (project / "auth.py").write_text(BAD)
    _git(project, "add", "-A")
    refused = _git(project, "commit", "-m", "add auth")
    assert refused.returncode != 0 and "BDL101" in refused.stdout + refused.stderr
