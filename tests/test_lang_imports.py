"""Go and Java constants used from other files of the scanned tree (issue 16): a Go package's other
files and the module's other packages, a Java class's `final` constants (same package, imported,
statically imported); read-only, inside the scan root, size-capped, one level deep; what cannot be
read stays unknown, never clean."""
import os
from pathlib import Path

import pytest
from backdoor_lint.checkers.lang import js_imports

from backdoor_lint.config import Config
from backdoor_lint.engine import scan

GO_JWT = 'package auth\n\nimport jwt "github.com/golang-jwt/jwt/v5"\n\n'
GO_PARSE = GO_JWT + 'func Parse(s string, kf jwt.Keyfunc) (*jwt.Token, error) {\n' \
    '\treturn jwt.Parse(s, kf, jwt.WithValidMethods(methods))\n}\n'  # BDL101 at line 6
GO_TLS = 'package client\n\nimport (\n\t"crypto/tls"\n\t"net/http"\n)\n\n' \
    'var c = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: skip}}}\n'
JAVA_TOKENS = ("package com.x.auth;\n\nimport com.auth0.jwt.algorithms.Algorithm;\n{imports}\n"
               "class Tokens {{\n    Algorithm a() {{ return Algorithm.HMAC256({key}); }}\n}}\n")  # line 6
JAVA_KEYS = ("package com.x.config;\n\npublic final class Keys {{\n"
             "    public static {final} String SIGNING = \"kX9f2-prod-signing-key-2024\";\n"
             "    public static final String VERIFIER = \"-----BEGIN PUBLIC KEY-----\\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A"
             "MIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo\\n-----END PUBLIC KEY-----\";\n"
             "    public static final boolean TRUST_ALL = true;\n}}\n")
JAVA = "src/main/java/com/x/"


def _tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _found(root: Path, *paths: str) -> set[tuple[str, str, int]]:
    result = scan([str(root / p) for p in paths], Config(root=root), jobs=1)
    return {(Path(f.path).name, f.code, f.line) for f in result.findings if f.engine == "text"}


# Go ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("config", [
    'package auth\n\nvar methods = []string{"RS256", "HS256"}\n',
    'package auth\n\nconst hs = "HS" + "512"\n\nvar methods = []string{"ES256", hs}\n',
    'package auth\n\nvar (\n\tmethods = []string{"PS256", "HS256"}\n)\n',
])
def test_go_an_allow_list_from_another_file_of_the_package_is_bdl101(tmp_path, config):
    _tree(tmp_path, {"auth/config.go": config, "auth/auth.go": GO_PARSE})
    assert ("auth.go", "BDL101", 6) in _found(tmp_path, "auth/auth.go")  # only the user scanned (pre-commit)


@pytest.mark.parametrize("config", [
    'package auth\n\nvar methods = []string{"RS256"}\n',  # one family: valid
    'package auth\n\nvar methods = []string{"RS256", "HS256"}\n\nfunc init() { methods = []string{"RS256"} }\n',
    'package auth_test\n\nvar methods = []string{"RS256", "HS256"}\n',  # another package in the same directory
])
def test_go_look_alikes_and_reassigned_vars_are_quiet(tmp_path, config):
    _tree(tmp_path, {"auth/config.go": config, "auth/auth.go": GO_PARSE})
    assert not {f for f in _found(tmp_path, "auth/auth.go") if f[1] == "BDL101"}


def test_go_a_package_var_the_user_reassigns_is_unknown(tmp_path):
    mixed = 'package auth\n\nvar methods = []string{"RS256", "HS256"}\n'
    _tree(tmp_path, {"auth/config.go": mixed,
                     "auth/auth.go": GO_PARSE + '\nfunc init() { methods = []string{"RS256"} }\n'})
    assert not {f for f in _found(tmp_path, "auth/auth.go") if f[1] == "BDL101"}  # not one value: unknown
    user = ('package auth\n\nimport (\n\t"example.com/app/config"\n\tjwt "github.com/golang-jwt/jwt/v5"\n)\n\n'
            'var p = jwt.NewParser(jwt.WithValidMethods(config.Methods))\n\n'
            'func init() { config.Methods = []string{"RS256"} }\n')
    _tree(tmp_path, {"app/go.mod": "module example.com/app\n", "app/config/config.go": mixed.replace(
        "package auth", "package config").replace("methods", "Methods"), "app/auth/auth.go": user})
    assert not {f for f in _found(tmp_path, "app/auth/auth.go") if f[1] == "BDL101"}


def test_go_a_name_declared_in_two_files_or_a_test_file_is_unknown(tmp_path):
    _tree(tmp_path, {"auth/a.go": 'package auth\n\nvar methods = []string{"RS256", "HS256"}\n',
                     "auth/b.go": 'package auth\n\nvar methods = []string{"RS256"}\n',
                     "auth/auth.go": GO_PARSE})
    assert not {f for f in _found(tmp_path, "auth/auth.go") if f[1] == "BDL101"}
    _tree(tmp_path, {"other/x_test.go": 'package auth\n\nvar methods = []string{"RS256", "HS256"}\n',
                     "other/auth.go": GO_PARSE})  # test files are not part of the package the code is built in
    assert not {f for f in _found(tmp_path, "other/auth.go") if f[1] == "BDL101"}


def test_go_a_tls_off_switch_from_another_file_is_bdl301(tmp_path):
    _tree(tmp_path, {"client/flags.go": "package client\n\nconst skip = !false\n", "client/client.go": GO_TLS})
    assert ("client.go", "BDL301", 8) in _found(tmp_path, "client/client.go")
    _tree(tmp_path, {"other/flags.go": "package client\n\nconst skip = false\n", "other/client.go": GO_TLS})
    assert not {f for f in _found(tmp_path, "other/client.go") if f[1] == "BDL301"}


def test_go_another_package_of_the_module_by_import_path(tmp_path):
    user = ('package auth\n\nimport (\n\t"example.com/app/internal/config"\n\tjwt "github.com/golang-jwt/jwt/v5"\n)\n\n'
            'var p = jwt.NewParser(jwt.WithValidMethods(config.Methods))\n')
    _tree(tmp_path, {"app/go.mod": "module example.com/app\n\ngo 1.21\n",
                     "app/internal/config/config.go": 'package config\n\nvar Methods = []string{"RS256", "HS384"}\n',
                     "app/auth/auth.go": user})
    assert ("auth.go", "BDL101", 8) in _found(tmp_path, "app/auth/auth.go")
    # another module's package (not under this go.mod's module path) is not looked for
    _tree(tmp_path, {"b/go.mod": "module example.com/other\n", "b/auth/auth.go": user,
                     "b/internal/config/config.go": 'package config\n\nvar Methods = []string{"RS256", "HS384"}\n'})
    assert not {f for f in _found(tmp_path, "b/auth/auth.go") if f[1] == "BDL101"}


def test_go_nothing_outside_the_root_or_too_large_is_read(tmp_path):
    _tree(tmp_path, {"outside/config.go": 'package auth\n\nvar methods = []string{"RS256", "HS256"}\n',
                     "repo/auth/auth.go": GO_PARSE})
    os.symlink(tmp_path / "outside" / "config.go", tmp_path / "repo" / "auth" / "config.go")
    assert not {f for f in _found(tmp_path / "repo", "auth/auth.go") if f[1] == "BDL101"}
    big = 'package auth\n\nvar methods = []string{"RS256", "HS256"}\n// ' + "x" * js_imports.MAX_MODULE_BYTES + "\n"
    _tree(tmp_path, {"big/config.go": big, "big/auth.go": GO_PARSE})
    assert not {f for f in _found(tmp_path, "big/auth.go") if f[1] == "BDL101"}


# Java -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("imports, key, code", [
    ("import com.x.config.Keys;", "Keys.SIGNING", "BDL210"),
    ("import static com.x.config.Keys.SIGNING;", "SIGNING", "BDL210"),
    ("import com.x.config.Keys;", "Keys.VERIFIER", "BDL101"),  # HMAC keyed with a public key
])
def test_java_an_imported_classes_constant_is_followed(tmp_path, imports, key, code):
    _tree(tmp_path, {JAVA + "config/Keys.java": JAVA_KEYS.format(final="final"),
                     JAVA + "auth/Tokens.java": JAVA_TOKENS.format(imports=imports, key=key)})
    assert ("Tokens.java", code, 6) in _found(tmp_path, JAVA + "auth/Tokens.java")


def test_java_a_class_of_the_same_package_and_an_interface_constant(tmp_path):
    _tree(tmp_path, {JAVA + "auth/Local.java": 'package com.x.auth;\n\ninterface Local {\n'
                                               '    String SECRET = "s3cr3t-local-signing-k3y";\n}\n',
                     JAVA + "auth/Tokens.java": JAVA_TOKENS.format(imports="", key="Local.SECRET")})
    assert ("Tokens.java", "BDL210", 6) in _found(tmp_path, JAVA + "auth/Tokens.java")


@pytest.mark.parametrize("files, key", [
    ({JAVA + "config/Keys.java": JAVA_KEYS.format(final="")}, "Keys.SIGNING"),  # not final: anyone may set it
    ({}, "Keys.SIGNING"),  # no such file in the tree: a library's class
    ({"elsewhere/com/x/config/Keys.java": JAVA_KEYS.format(final="final")}, "Keys.SIGNING"),  # another source root
])
def test_java_what_cannot_be_resolved_is_quiet(tmp_path, files, key):
    _tree(tmp_path, {**files, JAVA + "auth/Tokens.java": JAVA_TOKENS.format(imports="import com.x.config.Keys;",
                                                                           key=key)})
    assert not {f for f in _found(tmp_path, JAVA + "auth/Tokens.java") if f[1] in ("BDL210", "BDL101")}


def test_java_a_trust_all_flag_constant_from_another_class_is_bdl302(tmp_path):
    user = ("package com.x.auth;\n\nimport javax.net.ssl.HttpsURLConnection;\nimport com.x.config.Keys;\n\n"
            "class Client {\n    void setup() {\n"
            "        HttpsURLConnection.setDefaultHostnameVerifier((host, session) -> Keys.TRUST_ALL);\n    }\n}\n")
    _tree(tmp_path, {JAVA + "config/Keys.java": JAVA_KEYS.format(final="final"), JAVA + "auth/Client.java": user})
    assert ("Client.java", "BDL302", 8) in _found(tmp_path, JAVA + "auth/Client.java")


def test_java_nothing_outside_the_root_or_too_large_is_read(tmp_path):
    _tree(tmp_path, {"outside/Keys.java": JAVA_KEYS.format(final="final"),
                     "repo/" + JAVA + "auth/Tokens.java": JAVA_TOKENS.format(imports="import com.x.config.Keys;",
                                                                             key="Keys.SIGNING")})
    (tmp_path / "repo" / JAVA / "config").mkdir()
    os.symlink(tmp_path / "outside" / "Keys.java", tmp_path / "repo" / JAVA / "config" / "Keys.java")
    assert not {f for f in _found(tmp_path / "repo", JAVA + "auth/Tokens.java") if f[1] == "BDL210"}
    big = JAVA_KEYS.format(final="final") + "// " + "x" * js_imports.MAX_MODULE_BYTES + "\n"
    _tree(tmp_path, {"big/" + JAVA + "config/Keys.java": big,
                     "big/" + JAVA + "auth/Tokens.java": JAVA_TOKENS.format(imports="import com.x.config.Keys;",
                                                                            key="Keys.SIGNING")})
    assert not {f for f in _found(tmp_path / "big", JAVA + "auth/Tokens.java") if f[1] == "BDL210"}


def test_go_a_package_of_more_files_than_are_looked_at_is_unknown(tmp_path):
    from backdoor_lint.checkers.lang import go_imports

    files = {f"auth/f{i}.go": "package auth\n" for i in range(go_imports.MAX_FILES)}
    _tree(tmp_path, {**files, "auth/config.go": 'package auth\n\nvar methods = []string{"RS256", "HS256"}\n',
                     "auth/auth.go": GO_PARSE})
    assert not {f for f in _found(tmp_path, "auth/auth.go") if f[1] == "BDL101"}


def test_java_a_nested_class_of_the_file_shadows_the_packages_class(tmp_path):
    user = ("package com.x.auth;\n\nimport com.auth0.jwt.algorithms.Algorithm;\n\nclass Tokens {\n"
            "    static class Local { static String SECRET; }\n"
            "    Algorithm a() { return Algorithm.HMAC256(Local.SECRET); }\n}\n")
    _tree(tmp_path, {JAVA + "auth/Local.java": 'package com.x.auth;\n\ninterface Local {\n'
                                               '    String SECRET = "s3cr3t-local-signing-k3y";\n}\n',
                     JAVA + "auth/Tokens.java": user})
    assert not {f for f in _found(tmp_path, JAVA + "auth/Tokens.java") if f[1] == "BDL210"}
