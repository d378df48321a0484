"""Inline suppressions need codes and a reason; invalid ones are BDL801 and suppress nothing."""
from backdoor_lint.config import Config
from backdoor_lint.engine import scan_bytes

LINE = 'jwt.decode(t, PUBLIC_KEY, algorithms=["RS256", "HS256"])'


def scan(source: str, path: str = "a.py"):
    result = scan_bytes(path, ("import jwt\n" + source).encode(), Config())
    return [f.code for f in result.findings], result.suppressed


def test_valid_suppression_on_the_line():
    codes, suppressed = scan(f"{LINE}  # backdoor-lint: ignore[BDL101] migration window, SEC-12\n")
    assert codes == [] and suppressed[0][1].reason == "migration window, SEC-12"


def test_valid_suppression_on_the_line_above():
    codes, suppressed = scan(f"# backdoor-lint: ignore[BDL101] vetted by security team\n{LINE}\n")
    assert codes == [] and len(suppressed) == 1


def test_suppression_two_lines_above_does_not_apply():
    codes, _ = scan(f"# backdoor-lint: ignore[BDL101] vetted by security team\n\n{LINE}\n")
    assert codes == ["BDL101"]


def test_blanket_suppression_is_bdl801_and_suppresses_nothing():
    codes, suppressed = scan(f"{LINE}  # backdoor-lint: ignore\n")
    assert sorted(codes) == ["BDL101", "BDL801"] and not suppressed


def test_suppression_without_reason():
    codes, _ = scan(f"{LINE}  # backdoor-lint: ignore[BDL101]\n")
    assert sorted(codes) == ["BDL101", "BDL801"]


def test_suppression_with_unknown_code():
    codes, _ = scan(f"{LINE}  # backdoor-lint: ignore[BDL101,BDL999] reason here\n")
    assert sorted(codes) == ["BDL101", "BDL801"]


def test_suppression_of_another_code_does_not_apply():
    codes, _ = scan(f"{LINE}  # backdoor-lint: ignore[BDL102] not this one\n")
    assert codes == ["BDL101"]


def test_bdl801_cannot_be_suppressed():
    codes, _ = scan("x = 1  # backdoor-lint: ignore[BDL801] hide it\n")
    assert codes == ["BDL801"]


def test_unknown_directive():
    codes, _ = scan("x = 1  # backdoor-lint: disable[BDL101] because\n")
    assert codes == ["BDL801"]


def test_js_comment_leader():
    source = "const a = 'x\u202e';  // backdoor-lint: ignore[BDL701] RTL test fixture for the renderer\n"
    result = scan_bytes("a.js", source.encode(), Config())
    assert not result.findings and len(result.suppressed) == 1


def test_marker_inside_a_python_string_is_not_a_suppression():
    codes, suppressed = scan(f'{LINE}; note = "# backdoor-lint: ignore[BDL101] looks like a comment"\n')
    assert codes == ["BDL101"] and not suppressed
    codes, _ = scan('EXAMPLE = "x = 1  # backdoor-lint: ignore"\n')
    assert codes == []  # documentation of a bad suppression is not a bad suppression


def test_a_prefix_of_codes_suppresses_like_select_and_ignore_accept_it():
    codes, suppressed = scan(f"{LINE}  # backdoor-lint: ignore[BDL1] migration window, SEC-12\n")
    assert codes == [] and [f.code for f, _ in suppressed] == ["BDL101"]
    codes, _ = scan(f"{LINE}  # backdoor-lint: ignore[bdl10] lower case, a two-digit prefix\n")
    assert codes == []


def test_a_prefix_of_other_codes_does_not_apply():
    codes, _ = scan(f"{LINE}  # backdoor-lint: ignore[BDL2] crypto, not JWT\n")
    assert codes == ["BDL101"]


def test_unknown_prefix_and_the_blanket_prefix_are_invalid():
    for written in ("BDL0", "BDL10X", "XYZ1", "BDL"):
        codes, suppressed = scan(f"{LINE}  # backdoor-lint: ignore[{written}] some reason here\n")
        assert sorted(codes) == ["BDL101", "BDL801"] and not suppressed, written


def test_a_prefix_never_reaches_an_unsuppressible_code():
    # BDL8 covers BDL801 and BDL803: the suppression is valid for the rest, those stay reported
    source = "x = 1  # backdoor-lint: ignore[BDL8] these guard rules are noisy here\n" \
             "y = 2  # backdoor-lint: ignore[BDL999]\n"
    codes, _ = scan(source)
    assert codes == ["BDL801"]  # the second comment's BDL801, on the line the first one covers
    from backdoor_lint.suppressions import parse_suppressions

    valid, invalid = parse_suppressions("# backdoor-lint: ignore[BDL80] reason given\n", "a.py")
    assert not invalid and valid[0].codes.isdisjoint({"BDL801", "BDL803"}) and "BDL802" in valid[0].codes
    valid, invalid = parse_suppressions("# backdoor-lint: ignore[BDL801] reason given\n", "a.py")
    assert not valid and "cannot be suppressed" in invalid[0].message
