"""JavaScript/TypeScript constants imported from other files of the scanned tree (issue 16): ES
imports, requires (destructured, member, namespace), `module.exports`/`exports.X`, followed one level
deep, read-only, inside the scan root and size-capped; what cannot be read stays unknown."""
import os
from pathlib import Path

import pytest
from backdoor_lint.checkers import module_files
from backdoor_lint.checkers.lang import js_imports
from backdoor_lint.checkers.lang.javascript import JsFile
from backdoor_lint.checkers.lang.syntax import Source
from backdoor_lint.checkers.lang.values import known

from backdoor_lint.config import Config
from backdoor_lint.engine import scan

JWT = "const jwt = require('jsonwebtoken');\n"
MIXED_ESM = "export const ALGS = ['RS256', 'HS256'];\nexport const SAFE = ['RS256', 'RS512'];\n"
MIXED_CJS = "const ALGS = ['PS256', 'HS512'];\nmodule.exports = { ALGS };\nexports.OTHER = ['ES256', 'HS256'];\n"


def _tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _found(root: Path, *paths: str) -> set[tuple[str, str, int]]:
    result = scan([str(root / p) for p in paths], Config(root=root), jobs=1)
    return {(Path(f.path).name, f.code, f.line) for f in result.findings}


@pytest.mark.parametrize("importer", [
    "import { ALGS } from './config';\n" + JWT + "jwt.verify(t, k, { algorithms: ALGS });\n",
    "import * as cfg from './config.js';\n" + JWT + "jwt.verify(t, k, { algorithms: cfg.ALGS });\n",
    "const { ALGS: allowed } = require('./config');\n" + JWT + "jwt.verify(t, k, { algorithms: allowed });\n",
    "const cfg = require('./config');\n" + JWT + "jwt.verify(t, k, { algorithms: [...cfg.ALGS] });\n",
    "const x = 1;\n" + JWT + "jwt.verify(t, k, { algorithms: require('./config').ALGS });\n",
])
def test_an_imported_mixed_allow_list_is_bdl101(tmp_path, importer):
    _tree(tmp_path, {"src/config.js": MIXED_ESM, "src/auth.js": importer})
    assert ("auth.js", "BDL101", 3) in _found(tmp_path, "src/auth.js")  # only the importer scanned (pre-commit)


@pytest.mark.parametrize("importer", [
    "const { ALGS } = require('../lib/settings');\n" + JWT + "jwt.verify(t, k, { algorithms: ALGS });\n",
    "import settings from '../lib/settings';\n" + JWT + "jwt.verify(t, k, { algorithms: settings.OTHER });\n",
])
def test_commonjs_exports_are_read(tmp_path, importer):
    _tree(tmp_path, {"lib/settings.cjs": MIXED_CJS, "app/auth.mjs": importer})
    assert ("auth.mjs", "BDL101", 3) in _found(tmp_path, "app/auth.mjs")


def test_typescript_imports_by_their_js_name_and_index_files(tmp_path):
    _tree(tmp_path, {
        "lib/jwt.ts": "export const JWT_ALGORITHMS = ['ES256', 'HS384'] as const;\n",
        "lib/tls/index.ts": "const AGENT = { rejectUnauthorized: false };\nexport default { AGENT };\n",
        "app/auth.ts": "import { jwtVerify } from 'jose';\nimport { JWT_ALGORITHMS } from '../lib/jwt.js';\n"
                       "export const check = (t: string, k: KeyLike) =>\n"
                       "  jwtVerify(t, k, { algorithms: [...JWT_ALGORITHMS] });\n",
        "app/client.ts": "import https from 'https';\nimport tls from '../lib/tls';\n"
                         "export const agent = new https.Agent(tls.AGENT);\n",
    })
    found = _found(tmp_path, "app/auth.ts", "app/client.ts")
    assert {("auth.ts", "BDL101", 4), ("client.ts", "BDL301", 3)} <= found


def test_imported_tls_options_and_signing_secret(tmp_path):
    _tree(tmp_path, {
        "config.js": "const TLS = { rejectUnauthorized: false };\nexport { TLS as upstreamTls };\n"
                     "export const SIGNING_KEY = 'kX9f2-prod-' + 'signing-key';\n",
        "client.js": "import { upstreamTls, SIGNING_KEY } from './config';\nconst https = require('https');\n"
                     + JWT + "const agent = new https.Agent({ ...upstreamTls, keepAlive: true });\n"
                     "module.exports = (u) => jwt.sign({ sub: u.id }, SIGNING_KEY);\n",
    })
    found = _found(tmp_path, "client.js")
    assert {("client.js", "BDL301", 4), ("client.js", "BDL210", 5)} <= found


def test_imported_tls_options_are_reported_where_they_are_used(tmp_path):
    _tree(tmp_path, {
        "lib/settings.ts": "export const settings = {\n  apiBase: 'https://api.example',\n"
                           "  tls: { rejectUnauthorized: false },\n};\n",
        "api/hooks.ts": "import https from 'https';\nimport { settings } from '../lib/settings';\n"
                        "const tls = { ...settings.tls };\nconst strict = { rejectUnauthorized: true };\n"
                        "export function send(body: string) {\n"
                        "  https.request(`${settings.apiBase}/hooks`, { method: 'POST', ...tls }).end(body);\n"
                        "  https.request(`${settings.apiBase}/v2`, { method: 'POST', ...strict }).end(body);\n}\n",
    })
    found = {(code, line) for name, code, line in _found(tmp_path, "api/hooks.ts") if code == "BDL301"}
    assert found == {("BDL301", 6)}


def test_look_alikes_stay_quiet(tmp_path):
    _tree(tmp_path, {
        "config.js": MIXED_ESM + "export const TLS = { rejectUnauthorized: true, ca: CA };\n"
                     "export const SIGNING_KEY = process.env.JWT_SECRET;\n",
        "auth.js": "import { SAFE, TLS, SIGNING_KEY } from './config';\nimport { ALGS } from './missing';\n"
                   "import * as ext from 'some-package';\nconst https = require('https');\n" + JWT
                   + "jwt.verify(t, k, { algorithms: SAFE });\njwt.verify(t, k, { algorithms: ALGS });\n"
                   "jwt.verify(t, k, { algorithms: ext.ALGS });\nnew https.Agent(TLS);\n"
                   "const token = jwt.sign({ sub: 1 }, SIGNING_KEY);\n",
    })
    found = {(code, line) for _, code, line in _found(tmp_path, "auth.js")}
    assert not found & {("BDL101", 6), ("BDL101", 7), ("BDL101", 8), ("BDL301", 9), ("BDL210", 10)}


def _facts(tmp_path: Path, importer: str, root: Path | None = None) -> tuple[JsFile, object]:
    path = tmp_path / "repo" / "app.js"
    path.parent.mkdir(parents=True, exist_ok=True)
    js = JsFile(Source(importer, "javascript"), str(path), str(root or tmp_path / "repo"))
    declarator = js.source.of_type("variable_declarator")[-1]
    return js, declarator.child_by_field_name("value")


def test_unresolvable_imports_are_unknown_never_clean(tmp_path):
    js, value = _facts(tmp_path, "import { ALGS } from './missing';\nconst x = ALGS;\n")
    assert not known(js.value(value))
    js, value = _facts(tmp_path, "const cfg = require('./missing');\nconst x = cfg.ALGS;\n")
    assert not known(js.value(value))


def test_nothing_outside_the_root_is_read(tmp_path):
    _tree(tmp_path, {"outside/config.js": MIXED_ESM, "outside/linked.js": MIXED_ESM})
    (tmp_path / "repo").mkdir()
    os.symlink(tmp_path / "outside" / "linked.js", tmp_path / "repo" / "config.js")  # a link out of the tree
    for importer in ("import { ALGS } from './config';\nconst x = ALGS;\n",
                     "import { ALGS } from '../outside/config';\nconst x = ALGS;\n"):
        js, value = _facts(tmp_path, importer)
        assert not known(js.value(value)), importer
    # the same link target inside the root is read (the check is on the real path, not on links as such)
    js, value = _facts(tmp_path, "import { ALGS } from './config';\nconst x = ALGS;\n", root=tmp_path)
    assert js.value(value) == ("RS256", "HS256")


def test_a_huge_imported_file_is_not_read(tmp_path):
    big = MIXED_ESM + "// " + "x" * js_imports.MAX_MODULE_BYTES + "\n"
    _tree(tmp_path, {"repo/config.js": big})
    js, value = _facts(tmp_path, "import { ALGS } from './config';\nconst x = ALGS;\n")
    assert not known(js.value(value))
    assert js_imports.MAX_MODULE_BYTES == module_files.MAX_MODULE_BYTES  # one bound for both languages (Python: text_matches, from_tree_file)


def test_one_level_deep_and_parsed_once(tmp_path, monkeypatch):
    _tree(tmp_path, {"repo/a.js": "export { ALGS } from './b';\nimport { ALGS as X } from './b';\nexport const Y = X;\n",
                     "repo/b.js": MIXED_ESM, "repo/c.js": MIXED_ESM})
    js, value = _facts(tmp_path, "import { ALGS, Y } from './a';\nconst x = [ALGS, Y];\n")
    assert not known(js.value(value)[0]) and not known(js.value(value)[1])  # a.js's own imports: not followed
    parses = []
    real_source = js_imports.Source
    monkeypatch.setattr(js_imports, "Source", lambda *a: parses.append(a) or real_source(*a))
    for _ in range(3):
        js, value = _facts(tmp_path, "import { SAFE } from './c';\nconst x = SAFE;\n")
        assert js.value(value) == ("RS256", "RS512")
    assert len(parses) == 1
