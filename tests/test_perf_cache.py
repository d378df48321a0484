"""The per-file result cache (issue 8): warm results equal cold ones, changes are seen, corrupt
entries are recomputed and never trusted, failed analyses are never stored."""
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from backdoor_lint import engine
from backdoor_lint.cache import ResultCache
from backdoor_lint.config import Config, config_from_table
from backdoor_lint.engine import scan

sys.path.insert(0, str(Path(__file__).parent))
from perf_tree import as_dicts, make_tree  # noqa: E402


@pytest.fixture
def tree(tmp_path, monkeypatch):
    make_tree(tmp_path / "tree", copies=5)
    monkeypatch.chdir(tmp_path)
    return tmp_path / "tree"


def _config(tmp_path, **table):
    # semgrep off except where a test is about it: the per-file engine is what most tests exercise
    return config_from_table({"semgrep": False, **table}, origin="test", root=tmp_path)


def _scan(tmp_path, config=None, jobs=1):
    config = config or _config(tmp_path)
    cache = ResultCache(tmp_path / "cache", config)
    return scan(["tree"], config, jobs=jobs, cache=cache), cache


def test_warm_equals_cold_and_hits_everything(tree, tmp_path):
    cold, cache = _scan(tmp_path)
    assert cache.hits == 0 and cache.misses == 50
    warm, cache = _scan(tmp_path)
    assert cache.hits == 50 and cache.misses == 0 and cache.rejected == 0
    assert as_dicts(warm) == as_dicts(cold) == as_dicts(scan(["tree"], _config(tmp_path), jobs=1))
    assert as_dicts(_scan(tmp_path, jobs=2)[0]) == as_dicts(cold)


def test_changed_file_is_rescanned(tree, tmp_path):
    _scan(tmp_path)
    victim = tree / "pkg0" / "sub0" / "mod2.py"  # clean at first
    victim.write_text('import jwt\njwt.decode("t", "k", algorithms=["none"])\n', encoding="utf-8")
    result, cache = _scan(tmp_path)
    assert cache.misses == 1
    assert any(f.path.endswith("sub0/mod2.py") and f.code == "BDL102" for f in result.findings)


def test_content_change_with_restored_mtime_and_size_is_seen(tree, tmp_path):
    """touch -r style evasion: same size, same mtime, different content; ctime still moves."""
    _scan(tmp_path)
    victim = tree / "pkg0" / "sub0" / "mod2.py"
    before = victim.stat()
    text = victim.read_text(encoding="utf-8")
    evil = 'import jwt;jwt.decode("t","k",algorithms=["none"])\n'
    victim.write_text((evil + text)[: len(text)], encoding="utf-8")
    os.utime(victim, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert victim.stat().st_size == before.st_size and victim.stat().st_mtime_ns == before.st_mtime_ns
    result, cache = _scan(tmp_path)
    assert cache.misses == 1
    assert any(f.path.endswith("sub0/mod2.py") and f.code == "BDL102" for f in result.findings)


def test_touched_but_unchanged_file_is_a_hit(tree, tmp_path):
    _scan(tmp_path)
    os.utime(tree / "pkg0" / "sub0" / "mod0.py")
    assert _scan(tmp_path)[1].hits == 50


def _pack(tmp_path) -> Path:
    (pack,) = (tmp_path / "cache").rglob("*.pack")
    return pack


def test_corrupt_pack_bytes_are_never_trusted(tree, tmp_path):
    cold, _ = _scan(tmp_path)
    pack = _pack(tmp_path)
    data = bytearray(pack.read_bytes())
    for offset in range(100, len(data), max(1, len(data) // 50)):
        data[offset] ^= 0x55
    pack.write_bytes(bytes(data))
    warm, cache = _scan(tmp_path)
    assert cache.rejected == 1 and cache.hits == 0
    assert as_dicts(warm) == as_dicts(cold)
    assert _scan(tmp_path)[1].hits == 50  # rewritten cleanly


@pytest.mark.parametrize("damage", ["truncate", "empty", "garbage"])
def test_broken_pack_files(tree, tmp_path, damage):
    cold, _ = _scan(tmp_path)
    pack = _pack(tmp_path)
    data = pack.read_bytes()
    pack.write_bytes({"truncate": data[: len(data) // 2], "empty": b"", "garbage": os.urandom(4096)}[damage])
    warm, cache = _scan(tmp_path)
    assert cache.hits == 0
    assert as_dicts(warm) == as_dicts(cold)


def _rewrite_entries(pack: Path, change) -> None:
    import hashlib

    body = pack.read_bytes().partition(b"\n")[2]
    # backdoor-lint: ignore[BDL504] reads back the cache pack this test wrote
    state = marshal.loads(body)
    for display, entry in state["files"].items():
        change(display, entry)
    body = marshal.dumps(state)
    pack.write_bytes(hashlib.sha256(body).hexdigest().encode() + b"\n" + body)


@pytest.mark.parametrize("poison", [
    lambda e: e["result"].update(f=[{"line": "x"}]),
    lambda e: e["result"].update(f=[{"line": 1, "column": 1, "code": "BDL999", "message": "", "end_line": 1, "end_column": 1,
                                         "severity": "block", "confidence": "high", "engine": "x", "snippet": "", "extra": {}}]),
    lambda e: e["result"].update(f=[{"line": 1, "column": 1, "code": "BDL902", "message": "", "end_line": 1, "end_column": 1,
                                         "severity": "block", "confidence": "high", "engine": "x", "snippet": "", "extra": {}}]),
    lambda e: e["result"].update(lang=7),
    lambda e: e["result"].pop("s"),
    lambda e: e.update(result="nonsense"),
    lambda e: e.update(result=None),
    lambda e: e.update(key="0" * 64, result={"lang": "python", "f": [], "s": []}),  # "clean" under a wrong key
    lambda e: e.update(sha="0" * 64, stat=[0, 0, 0, 0, 0]),
], ids=["bad-type", "unknown-code", "bdl902", "bad-language", "missing-part", "not-a-dict", "none",
        "wrong-key", "wrong-stat"])
def test_poisoned_entries_are_recomputed(tree, tmp_path, poison):
    """Entries that do not decode into valid findings, or whose key does not match the file's
    content, are recomputed. (Whoever can write the cache directory with a valid checksum and
    valid content can write anything; the checksum guards against corruption, the validation
    against garbage.)"""
    cold, _ = _scan(tmp_path)
    victims = {f.path for f in cold.findings}
    _rewrite_entries(_pack(tmp_path), lambda display, entry: display in victims and poison(entry))
    warm, cache = _scan(tmp_path)
    assert as_dicts(warm) == as_dicts(cold)
    assert _scan(tmp_path)[1].hits == 50


def test_analysis_failures_are_never_cached(tree, tmp_path, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("checker exploded")

    with monkeypatch.context() as patch:
        patch.setattr(engine, "_text_checks", boom)
        failed, cache = _scan(tmp_path)
    assert any(f.code == "BDL902" for f in failed.findings)
    assert not list((tmp_path / "cache").rglob("*.pack")) or all(
        not any(item["code"] == "BDL902" for item in entry["result"]["f"])
        # backdoor-lint: ignore[BDL504] reads back the cache pack this test wrote
        for entry in marshal.loads(_pack(tmp_path).read_bytes().partition(b"\n")[2])["files"].values())
    healed, cache = _scan(tmp_path)
    assert not any(f.code == "BDL902" for f in healed.findings)
    assert cache.misses == len({f.path for f in failed.findings if f.code == "BDL902"}) == 45  # not the binaries


def test_config_and_rule_set_are_part_of_the_key(tree, tmp_path, monkeypatch):
    _scan(tmp_path)
    narrow = _config(tmp_path, select=["BDL7"])
    result, cache = _scan(tmp_path, config=narrow)
    assert cache.hits == 0 and {f.code[:4] for f in result.findings} <= {"BDL7", "BDL9"}
    from backdoor_lint import cache as cache_module

    monkeypatch.setattr(cache_module, "_RULESET", "f" * 64)
    assert _scan(tmp_path)[1].hits == 0


def test_unwritable_cache_dir_does_not_break_the_scan(tree, tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache directory should be")
    result, cache = _scan(tmp_path)
    assert result.files_scanned == 50


def test_concurrent_runs_leave_a_valid_pack(tree, tmp_path):
    cmd = [sys.executable, "-m", "backdoor_lint", "scan", "tree", "--exit-zero", "-j", "1",
           "--cache-dir", str(tmp_path / "cache"), "--format", "json"]
    procs = [subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(4)]
    outputs = [p.communicate(timeout=300)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert len(set(outputs)) == 1
    _, cache = _scan(tmp_path, config=Config(root=tmp_path))
    assert cache.rejected == 0 and cache.hits == 50


def test_cli_no_cache_and_cache_dir(tree, tmp_path):
    base = [sys.executable, "-m", "backdoor_lint", "scan", "tree", "--exit-zero", "--format", "json"]
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "xdg"))
    subprocess.run([*base, "--no-cache"], cwd=tmp_path, env=env, check=True, capture_output=True)
    assert not (tmp_path / "xdg").exists()
    subprocess.run(base, cwd=tmp_path, env=env, check=True, capture_output=True)
    assert list((tmp_path / "xdg" / "backdoor-lint").rglob("*.pack"))
    subprocess.run([*base, "--cache-dir", "elsewhere"], cwd=tmp_path, env=env, check=True, capture_output=True)
    assert list((tmp_path / "elsewhere").rglob("*.pack"))


def test_crashed_worker_file_is_bdl902_not_rerun_and_not_cached(tree, tmp_path, monkeypatch):
    """A file that kills its worker is BDL902 (robust.run_supervised), is not analysed again in
    the parent, and is not stored: the next run analyses it again."""
    real = engine.check_bytes
    parent = os.getpid()

    def fatal(display, data, config, **kwargs):
        if display.endswith("sub1/mod0.py"):
            assert os.getpid() != parent, "analysed in the parent"
            os._exit(9)
        return real(display, data, config, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(engine, "check_bytes", fatal)
        crashed, cache = _scan(tmp_path, jobs=2)
    dead = [f for f in crashed.findings if f.code == "BDL902"]
    assert [f.path for f in dead] == ["tree/pkg1/sub1/mod0.py"] and "exited with status 9" in dead[0].message
    healed, cache = _scan(tmp_path)
    assert cache.misses == 1 and cache.hits == 49
    assert not any(f.code == "BDL902" for f in healed.findings)


def test_file_changed_between_lookup_and_analysis_is_not_stored(tree, tmp_path, monkeypatch):
    """The worker reports the hash of the bytes it analysed; when that is not what the parent
    looked up, the result is used for this run but not stored under the old content."""
    _scan(tmp_path)
    victim = tree / "pkg0" / "sub0" / "mod2.py"
    victim.write_text("X = 1\n", encoding="utf-8")
    os.utime(victim, ns=(1, 1))  # stat differs from the entry: the parent re-hashes
    real = engine.scan_target

    def racing(target, config, hashed=False):
        result = real(target, config, hashed)
        result.content_hash = "0" * 64  # as if the file changed after the parent hashed it
        return result

    with monkeypatch.context() as patch:
        patch.setattr(engine, "scan_target", racing)
        _, cache = _scan(tmp_path)
    assert cache.misses == 1
    assert _scan(tmp_path)[1].misses == 1  # still not cached


# a site only a semgrep rule reports (go-jwt-parse-unverified; JavaScript is the tree-sitter analysis' alone)
GO = ('package b\n\nimport "github.com/golang-jwt/jwt/v5"\n\n'
      'func tenant(raw string) {\n\tjwt.NewParser().ParseUnverified(raw, jwt.MapClaims{})\n}\n')


def test_semgrep_findings_are_cached_per_file(tmp_path, monkeypatch):
    from backdoor_lint import semgrep_runner
    from backdoor_lint.semgrep_runner import find_semgrep

    if find_semgrep()[0] is None:
        pytest.skip("semgrep not installed")
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "a.go").write_text(GO, encoding="utf-8")
    (tmp_path / "tree" / "b.go").write_text("package b\n\nconst x = 1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    config = config_from_table({}, origin="test", root=tmp_path)
    cold, _ = _scan(tmp_path, config=config)
    assert any(f.engine == "semgrep" and f.path == "tree/a.go" for f in cold.findings)
    real = semgrep_runner.start_scan  # every semgrep run goes through it
    seen = []
    monkeypatch.setattr(semgrep_runner, "start_scan", lambda targets, cfg, single=False: (targets and seen.append(
        sorted(t.display for t in targets))) or real(targets, cfg, single))
    warm, _ = _scan(tmp_path, config=config)
    assert seen == [] and as_dicts(warm) == as_dicts(cold)
    (tmp_path / "tree" / "b.go").write_text("package b\n\nconst y = 2\n", encoding="utf-8")
    again, _ = _scan(tmp_path, config=config)
    assert seen == [["tree/b.go"]] and as_dicts(again) == as_dicts(cold)


def test_semgrep_failure_is_not_cached(tmp_path, monkeypatch):
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "a.go").write_text(GO, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    config = config_from_table({}, origin="test", root=tmp_path)
    monkeypatch.setenv("BACKDOOR_LINT_SEMGREP", str(tmp_path / "missing-semgrep"))
    failed, _ = _scan(tmp_path, config=config)
    assert any(f.code == "BDL902" and f.path == "tree/a.go" for f in failed.findings)
    monkeypatch.delenv("BACKDOOR_LINT_SEMGREP")
    from backdoor_lint.semgrep_runner import find_semgrep

    if find_semgrep()[0] is None:
        pytest.skip("semgrep not installed")
    again, _ = _scan(tmp_path, config=config)  # semgrep asked again, not the failure replayed
    assert not any(f.code == "BDL902" for f in again.findings)
    assert any(f.engine == "semgrep" and f.path == "tree/a.go" for f in again.findings)


def test_only_semgreps_content_decided_skip_is_a_cacheable_bdl902():
    from backdoor_lint.cache import _uncacheable
    from backdoor_lint.findings import Finding
    from backdoor_lint.semgrep_runner import SKIPPED

    skipped = Finding("a.min.js", 1, 1, "BDL902", SKIPPED, engine="semgrep")
    crashed = Finding("a.min.js", 1, 1, "BDL902", "semgrep failed on this file (Timeout): x", engine="semgrep")
    assert not _uncacheable([skipped], semgrep=True)
    assert _uncacheable([crashed], semgrep=True)
    assert _uncacheable([skipped])  # never in a per-file engine result


def test_entries_of_deleted_files_are_dropped(tree, tmp_path):
    _scan(tmp_path)
    gone = tree / "pkg0" / "sub0" / "mod2.py"
    gone.unlink()
    (tree / "pkg0" / "sub0" / "mod3.py").write_text("x = 2\n", encoding="utf-8")  # something to save
    _, cache = _scan(tmp_path)
    assert "tree/pkg0/sub0/mod2.py" not in ResultCache(tmp_path / "cache", _config(tmp_path))._entries
    assert len(ResultCache(tmp_path / "cache", _config(tmp_path))._entries) == cache.hits + cache.misses


def test_a_go_file_added_to_the_package_redoes_its_users(tmp_path, monkeypatch):
    """A Go name is looked for in every file of the package's directory: a file added there later
    (declaring the allow-list) changes the result of a user that is itself unchanged."""
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "auth.go").write_text('package auth\n\nimport jwt "github.com/golang-jwt/jwt/v5"\n\n'
                                               'var parser = jwt.NewParser(jwt.WithValidMethods(methods))\n')
    monkeypatch.chdir(tmp_path)
    config = config_from_table({}, origin="test", root=tmp_path)
    cold, _ = _scan(tmp_path, config=config)
    assert not [f for f in cold.findings if f.code == "BDL101"]
    (tmp_path / "tree" / "config.go").write_text('package auth\n\nvar methods = []string{"RS256", "HS256"}\n')
    warm, _ = _scan(tmp_path, config=config)
    assert [(f.path, f.code) for f in warm.findings if f.code == "BDL101"] == [("tree/auth.go", "BDL101")]


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("importer, imported, before, after", [
    ("app.py", "settings.py", 'ALGORITHMS = ["RS256"]\n', 'ALGORITHMS = ["RS256", "HS256"]\n'),
    ("auth.js", "config.js", 'export const ALGS = ["RS256"];\n', 'export const ALGS = ["RS256", "HS256"];\n'),
    ("auth.go", "config.go", 'package auth\n\nvar methods = []string{"RS256"}\n',
     'package auth\n\nvar methods = []string{"RS256", "HS256"}\n'),
    ("Tokens.java", "Keys.java", 'class Keys {\n    static final String VERIFIER = System.getenv("K");\n}\n',
     'class Keys {\n    static final String VERIFIER = "-----BEGIN PUBLIC KEY-----\\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIB'
     'CgKCAQEAu1SU1LfVLPHCozMxH2Mo\\n-----END PUBLIC KEY-----";\n}\n'),
])
def test_a_change_to_an_imported_module_redoes_its_importers(tmp_path, monkeypatch, jobs, importer, imported,
                                                            before, after):
    """The rules follow constants into the modules a file imports; a cached result of the importer
    read them as they were, so it is not used once they change (the importer itself unchanged)."""
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "app.py").write_text("import jwt\nfrom settings import ALGORITHMS\n\ndef check(t, key):\n"
                                              "    return jwt.decode(t, key, algorithms=ALGORITHMS)\n")
    (tmp_path / "tree" / "auth.js").write_text("const jwt = require('jsonwebtoken');\nconst { ALGS } = "
                                               "require('./config');\nfunction check(t, key) {\n"
                                               "  return jwt.verify(t, key, { algorithms: ALGS });\n}\n"
                                               "module.exports = check;\n")
    (tmp_path / "tree" / "auth.go").write_text('package auth\n\nimport jwt "github.com/golang-jwt/jwt/v5"\n\n'
                                               'var parser = jwt.NewParser(jwt.WithValidMethods(methods))\n')
    (tmp_path / "tree" / "Tokens.java").write_text("import com.auth0.jwt.algorithms.Algorithm;\n\nclass Tokens {\n"
                                                   "    Algorithm a() { return Algorithm.HMAC256(Keys.VERIFIER); }\n}\n")
    (tmp_path / "tree" / imported).write_text(before)
    monkeypatch.chdir(tmp_path)
    config = config_from_table({}, origin="test", root=tmp_path)
    cold, _ = _scan(tmp_path, config=config, jobs=jobs)
    assert not [f for f in cold.findings if f.code == "BDL101"]
    (tmp_path / "tree" / imported).write_text(after)
    warm, cache = _scan(tmp_path, config=config, jobs=jobs)
    assert [(f.path, f.code) for f in warm.findings if f.code == "BDL101"] == [(f"tree/{importer}", "BDL101")]
    assert as_dicts(warm) == as_dicts(scan(["tree"], config, jobs=1))  # what a cold scan says
    again, cache = _scan(tmp_path, config=config, jobs=jobs)
    assert as_dicts(again) == as_dicts(warm) and cache.misses == 0  # and cached again, with the new state
