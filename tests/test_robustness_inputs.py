"""Issue 9: each hostile or broken input, handled deliberately, with its expected finding or error."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from backdoor_lint.config import Config
from backdoor_lint.discovery import Target, discover
from backdoor_lint.engine import scan, scan_bytes, scan_target

JWT_BAD = 'import jwt\njwt.decode(t, k, algorithms=["RS256", "HS256"])\n'


def codes(result) -> list[str]:
    return sorted(f.code for f in result.findings)


def scan_py(data: bytes, name: str = "m.py"):
    return scan_bytes(name, data, Config())


# --- encodings and line endings ---------------------------------------------------------------------

def test_invalid_utf8_is_bdl901():
    result = scan_py(b"import jwt\nx = '\xff\xfe\xfa'\n")
    assert codes(result) == ["BDL901"]
    assert "utf-8" in result.findings[0].message.lower()


def test_invalid_utf8_in_other_source_language_is_bdl901():
    result = scan_bytes("a.js", b"const a = '\xff';\n", Config())
    assert codes(result) == ["BDL901"]


def test_utf16_with_bom_is_decoded_and_checked():
    result = scan_py(JWT_BAD.encode("utf-16"))
    assert "BDL101" in codes(result)


def test_latin1_with_coding_cookie_is_decoded_and_checked():
    data = b"# -*- coding: latin-1 -*-\nNAME = '\xe9t\xe9'\n" + JWT_BAD.encode()
    result = scan_py(data)
    assert codes(result) == ["BDL101"]
    assert result.findings[0].line == 4


def test_wrong_coding_cookie_is_bdl901():
    assert codes(scan_py(b"# coding: no-such-codec\nx = 1\n")) == ["BDL901"]


@pytest.mark.parametrize("newline", [b"\r\n", b"\r"], ids=["crlf", "lone-cr"])
def test_crlf_and_lone_cr(newline):
    data = JWT_BAD.encode().replace(b"\n", newline)
    result = scan_py(data)
    assert codes(result) == ["BDL101"]
    assert result.findings[0].line == 2


def test_bidi_after_lone_cr_is_on_the_right_line():
    result = scan_py("x = 1\ry = '\u202e'\r".encode())
    assert [(f.code, f.line) for f in result.findings] == [("BDL701", 2)]


def test_nul_byte_in_py_file_is_bdl901_not_binary():
    result = scan_py(JWT_BAD.encode() + b"\0\0\0binary tail")
    assert set(codes(result)) == {"BDL901"}


def test_nul_bytes_in_unknown_file_is_binary_and_skipped():
    assert codes(scan_bytes("blob.dat", b"\0\1\2" * 100, Config())) == []


def test_compiled_python_is_never_silently_clean():
    assert codes(scan_bytes("evil.pyc", b"\xa7\r\r\n\0\0\0\0" + b"\0" * 20, Config())) == ["BDL903"]


# --- size and shape ----------------------------------------------------------------------------------

def test_empty_file_is_clean():
    assert codes(scan_py(b"")) == []
    assert codes(scan_bytes("empty.js", b"", Config())) == []


def test_python2_syntax_is_bdl901():
    result = scan_py(b"import jwt\nprint 'hello'\nexec code in ns\n")
    assert codes(result) == ["BDL901"]
    assert result.findings[0].line == 2


def test_python2_syntax_without_any_trigger_is_bdl901():
    assert codes(scan_py(b"print 'hello'\n")) == ["BDL901"]


def test_one_100k_character_line():
    data = b"import jwt\nX = '" + b"a" * 100_000 + b"'; " + b'jwt.decode(t, k, algorithms=["RS256", "HS256"])\n'
    assert codes(scan_py(data)) == ["BDL101"]


def test_one_100k_character_line_of_tokens():
    data = b"import jwt\nX = [" + b"1," * 50_000 + b"]\n"
    assert codes(scan_py(data)) == []


@pytest.mark.parametrize("shape", [
    "(" * 5000 + "1" + ")" * 5000,
    "[" * 5000 + "]" * 5000,
    "f(" * 5000 + ")" * 5000,
    "a" + "[0]" * 5000,
    "lambda: " * 5000 + "1",
    "1+" * 5000 + "1",
    "-" * 5000 + "1",
    "a" + ".b" * 5000,
    "not " * 5000 + "x",
    "x if c else " * 5000 + "y",
    "a and " * 5000 + "b",
    "a" + "()" * 5000,
], ids=["parens", "lists", "calls", "subscripts", "lambdas", "binop", "unary", "attributes", "not", "ifexp",
        "boolop", "call-chain"])
def test_5000_deep_nesting_is_bdl901_quickly(shape):
    """libcst's native parser segfaults or runs for minutes on these; the pre-check reports them."""
    # (with a real site of a libcst rule, so the file is one libcst would be asked to parse)
    data = f"import jwt\njwt.decode(t, K, algorithms=['RS256', 'HS256'])\nx = {shape}\n".encode()
    result = scan_py(data)
    assert codes(result) == ["BDL901"]
    assert "nested too deeply" in result.findings[0].message


def test_5000_deep_nesting_in_a_worker_process_does_not_crash_the_scan(tmp_path, monkeypatch):
    (tmp_path / "deep.py").write_text("import jwt\nx = " + "(" * 5000 + "1" + ")" * 5000 + "\n")
    (tmp_path / "bad.py").write_text(JWT_BAD)
    monkeypatch.chdir(tmp_path)
    result = scan(["."], Config(root=tmp_path))
    assert sorted((f.path, f.code) for f in result.findings) == [("bad.py", "BDL101"), ("deep.py", "BDL901")]


def test_moderate_nesting_is_still_analysed():
    data = ("import jwt\nx = " + "(" * 50 + "1" + ")" * 50 + "\ny = " + "1+" * 100 + "1\n" + JWT_BAD).encode()
    assert codes(scan_py(data)) == ["BDL101"]


def test_deep_indentation_is_bdl901():
    data = b"import jwt\n" + b"".join(b" " * i + b"if x:\n" for i in range(150)) + b" " * 150 + b"pass\n"
    assert codes(scan_py(data)) == ["BDL901"]


def test_50_mb_python_file_is_skipped_loudly_and_blocks(tmp_path, monkeypatch):
    big = tmp_path / "big.py"
    with open(big, "wb") as handle:
        handle.write(JWT_BAD.encode())
        handle.write((b"x = 1  # padding\n") * (50_000_000 // 17 + 1))
    assert big.stat().st_size >= 50_000_000
    monkeypatch.chdir(tmp_path)
    result = scan(["."], Config(root=tmp_path))
    assert [(f.path, f.code, f.severity) for f in result.findings] == [("big.py", "BDL903", "block")]
    assert "max-file-size" in result.findings[0].message


def test_50_mb_data_file_is_a_warning(tmp_path, monkeypatch):
    (tmp_path / "data.csv").write_bytes(b"a,b\n" * 12_500_001)
    monkeypatch.chdir(tmp_path)
    result = scan(["."], Config(root=tmp_path))
    assert [(f.code, f.severity) for f in result.findings] == [("BDL903", "warn")]


def test_file_that_grew_after_discovery_is_not_analysed_truncated(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(JWT_BAD * 10)
    config = Config(root=tmp_path, max_file_size=50)
    result = scan_target(Target(path=path, display="m.py", relpath="m.py"), config)
    assert [(f.code, f.severity) for f in result.findings] == [("BDL903", "block")]


# --- names, links, permissions, kinds of file --------------------------------------------------------

@pytest.mark.parametrize("name", [b"with space.py", b"new\nline.py", b"bad\xff\xfebytes.py", b"tab\there.py",
                                  b"bidi\xe2\x80\xaename.py"],
                         ids=["space", "newline", "non-utf8", "tab", "bidi"])
def test_odd_file_names_are_scanned_and_printed_safely(tmp_path, monkeypatch, name, cli):
    os.makedirs(tmp_path / "t")
    with open(os.path.join(os.fsencode(tmp_path / "t"), name), "wb") as handle:
        handle.write(JWT_BAD.encode())
    monkeypatch.chdir(tmp_path)
    result = scan(["t"], Config(root=tmp_path))
    assert [f.code for f in result.findings] == ["BDL101"]
    shown = result.findings[0].path
    assert shown.isprintable() and "\n" not in shown
    run = cli("scan", "t", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert run.stdout.count("BDL101 ") == 1
    first = run.stdout.splitlines()[0]
    assert first.startswith("t/") and ":2:1: BDL101" in first
    for fmt in ("json", "sarif", "github"):
        run = cli("scan", "t", "--format", fmt, cwd=tmp_path)
        assert run.returncode == 1 and "Traceback" not in run.stderr, (fmt, run.stderr)


def test_symlinks_out_of_the_tree_are_not_followed(tmp_path, monkeypatch):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text(JWT_BAD)
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "ok.py").write_text("x = 1\n")
    os.symlink(outside / "secret.py", tree / "link.py")
    os.symlink(outside, tree / "linkdir")
    monkeypatch.chdir(tmp_path)
    result = scan(["tree"], Config(root=tmp_path))
    found = sorted((f.path, f.code, f.severity) for f in result.findings)
    assert found == [("tree/link.py", "BDL903", "warn"), ("tree/linkdir", "BDL903", "warn")]
    assert all("outside the scanned tree" in f.message for f in result.findings)
    assert result.files_scanned == 1
    # also when the link is named explicitly
    result = scan(["tree/link.py"], Config(root=tmp_path))
    assert [f.code for f in result.findings] == ["BDL903"]


def test_symlink_loops_are_reported_not_followed(tmp_path, monkeypatch, cli):
    tree = tmp_path / "tree"
    tree.mkdir()
    os.symlink("loop_b", tree / "loop_a")
    os.symlink("loop_a", tree / "loop_b")
    os.symlink(".", tree / "self")
    (tree / "ok.py").write_text("x = 1\n")
    monkeypatch.chdir(tmp_path)
    result = scan(["tree"], Config(root=tmp_path))
    assert sorted((f.path, f.code) for f in result.findings) == [("tree/loop_a", "BDL903"), ("tree/loop_b", "BDL903")]
    result = scan(["tree/loop_a"], Config(root=tmp_path))
    assert [f.code for f in result.findings] == ["BDL903"]
    run = cli("scan", "tree/loop_a", cwd=tmp_path)
    assert run.returncode == 0 and "Traceback" not in run.stderr and "symlink loop" in run.stdout


def test_symlink_inside_the_tree_is_scanned_once_under_its_own_name(tmp_path, monkeypatch):
    (tmp_path / "real.py").write_text(JWT_BAD)
    os.symlink("real.py", tmp_path / "alias.py")
    monkeypatch.chdir(tmp_path)
    result = scan(["."], Config(root=tmp_path))
    assert [(f.path, f.code) for f in result.findings] == [("real.py", "BDL101")]


def test_unreadable_file_is_bdl901(tmp_path, monkeypatch):
    path = tmp_path / "locked.py"
    path.write_text(JWT_BAD)
    target = Target(path=path, display="locked.py", relpath="locked.py")
    if os.geteuid() != 0:
        path.chmod(0)
        try:
            result = scan_target(target, Config(root=tmp_path))
        finally:
            path.chmod(0o644)
    else:
        # root reads through chmod 000: simulate the EACCES the kernel would give anyone else
        import builtins

        real_open = builtins.open

        def denying_open(file, *args, **kwargs):
            if str(file) == str(path):
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", denying_open)
        result = scan_target(target, Config(root=tmp_path))
    assert [f.code for f in result.findings] == ["BDL901"]
    assert "Permission denied" in result.findings[0].message


def test_unreadable_file_in_a_full_scan_blocks(tmp_path, monkeypatch):
    (tmp_path / "locked.py").write_text("x = 1\n")
    monkeypatch.chdir(tmp_path)
    import builtins

    real_open = builtins.open

    def denying_open(file, *args, **kwargs):
        if str(file).endswith("locked.py"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", denying_open)  # inherited by the forked worker
    result = scan(["."], Config(root=tmp_path))
    assert [(f.code, f.severity) for f in result.findings] == [("BDL901", "block")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_is_reported_and_never_opened(tmp_path, monkeypatch):
    os.mkfifo(tmp_path / "pipe.py")  # opening it would block forever
    monkeypatch.chdir(tmp_path)
    result = scan(["."], Config(root=tmp_path))
    assert [f.code for f in result.findings] == ["BDL903"]


def test_text_file_renamed_png_is_read_as_text(tmp_path, monkeypatch):
    # Issue 18: content names a language only by a shebang; a text .png is text, its text rules run
    (tmp_path / "logo.png").write_text(JWT_BAD + "x = '\u202e'\n")
    (tmp_path / "real.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)))
    monkeypatch.chdir(tmp_path)
    result = scan(["."], Config(root=tmp_path))
    assert [(f.path, f.code) for f in result.findings] == [("logo.png", "BDL701")]


def test_text_file_renamed_png_with_bidi_is_checked():
    assert codes(scan_bytes("icon.png", "x = '\u202e'\n".encode(), Config())) == ["BDL701"]


def test_extensionless_file_with_python_shebang_is_python(tmp_path, monkeypatch):
    (tmp_path / "deploy").write_text("#!/usr/bin/env python3\n" + JWT_BAD)
    (tmp_path / "SConstruct").write_text(JWT_BAD)  # a known file name
    (tmp_path / "tool").write_text(JWT_BAD)  # no shebang, no telling name: text (issue 18)
    (tmp_path / "LICENSE").write_text("Permission is hereby granted, import nothing.\n")
    monkeypatch.chdir(tmp_path)
    result = scan(["."], Config(root=tmp_path))
    assert sorted((f.path, f.code) for f in result.findings) == [("SConstruct", "BDL101"), ("deploy", "BDL101")]


def test_extensionless_python_with_syntax_error_is_bdl901():
    assert codes(scan_bytes("script", b"#!/usr/bin/python\nprint 'x'\n", Config())) == ["BDL901"]


def test_directory_named_py_is_not_a_file(tmp_path, monkeypatch, cli):
    (tmp_path / "pkg.py").mkdir()
    (tmp_path / "pkg.py" / "inner.py").write_text(JWT_BAD)
    monkeypatch.chdir(tmp_path)
    result = scan(["."], Config(root=tmp_path))
    assert [(f.path, f.code) for f in result.findings] == [("pkg.py/inner.py", "BDL101")]
    result = scan(["pkg.py"], Config(root=tmp_path))
    assert [(f.path, f.code) for f in result.findings] == [("pkg.py/inner.py", "BDL101")]
    run = cli("scan", "pkg.py", cwd=tmp_path)
    assert run.returncode == 1 and "Traceback" not in run.stderr


def test_discovery_of_names_never_raises(tmp_path, monkeypatch):
    tree = tmp_path / "t"
    tree.mkdir()
    for raw in (b"a b.py", b"\xff.py", b"x\ny.py", b"-rf.py", b"--help.py", b".hidden.py"):
        with open(os.path.join(os.fsencode(tree), raw), "wb") as handle:
            handle.write(b"x = 1\n")
    monkeypatch.chdir(tmp_path)
    targets, skipped = discover(["t"], Config(root=tmp_path))
    assert len(targets) == 6 and skipped == []
    assert all(t.display.isprintable() for t in targets)


@pytest.mark.skipif(sys.platform != "linux", reason="fork-based worker isolation is exercised on Linux")
def test_cli_paths_that_look_like_options(tmp_path, cli):
    (tmp_path / "--help.py").write_text(JWT_BAD)
    run = cli("scan", "--", "--help.py", cwd=tmp_path)
    assert run.returncode == 1 and "BDL101" in run.stdout, run.stderr


def test_nothing_in_the_scanned_tree_is_written(tmp_path, monkeypatch):
    (tmp_path / "a.py").write_text(JWT_BAD)
    (tmp_path / "b.py").write_bytes(b"\xff\xfe\0garbage")
    (tmp_path / "c.py").write_text("x = " + "(" * 5000)
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in tmp_path.rglob("*")}
    monkeypatch.chdir(tmp_path)
    scan(["."], Config(root=tmp_path))
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in tmp_path.rglob("*")}
    assert before == after
    assert not list(Path(tmp_path).rglob("__pycache__"))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-8-sig"])
def test_bom_encoded_files_reach_every_trigger(encoding):
    source = JWT_BAD + "NAME = 'adm\u202ein'\n"
    result = scan_py(source.encode(encoding))
    assert {"BDL101", "BDL701"} <= set(codes(result)), codes(result)


def test_coding_cookie_files_reach_every_trigger():
    data = "# -*- coding: cp1252 -*-\nA = '\u20ac'\n".encode("cp1252") + JWT_BAD.encode()
    assert codes(scan_py(data)) == ["BDL101"]


def test_missing_path_with_a_newline_is_a_one_line_error(tmp_path, cli):
    run = cli("scan", "no\nsuch\u202efile.py", cwd=tmp_path)
    assert run.returncode == 2
    assert len(run.stderr.strip().splitlines()) == 1 and "no\\nsuch\\u202efile.py" in run.stderr, run.stderr


def test_javascript_report_on_a_line_python_counts_as_blank_does_not_crash():
    """CR CR LF: the analysis and str.splitlines count lines differently; a report that lands on a
    blank line gets no snippet instead of crashing the checker (BDL902)."""
    data = (b'const crypto = require("crypto");\r\r\nconst M = ["aes", "256", "ecb"].join("-");\r\r\n'
            b"function f(k, p) {\r\r\n  return crypto.createCipheriv(M, k, null).update(p);\r\r\n}\r\r\n")
    from backdoor_lint.config import Config
    from backdoor_lint.engine import scan_bytes
    result = scan_bytes("vault.js", data, Config())
    assert "BDL902" not in [finding.code for finding in result.findings]
