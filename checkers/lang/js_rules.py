"""The concepts of the JavaScript/TypeScript analysis, on the facts of javascript.py:
BDL101/102/103/104 JWT verification (jsonwebtoken, jose, express-jwt, koa-jwt, passport-jwt,
jwt-simple), BDL301/302/303 TLS verification switched off or old protocols through any value,
BDL203/204/205/210 ciphers, IVs and hard-coded keys (js_crypto.py), BDL402 secrets and
credential files reaching the network, BDL501 decoded code executed, BDL503 dangerous functions
reached through computed names, BDL505 request input in a shell command; BDL401/403/405 requests at
load time, hidden destinations and child-process command lines (js_network.py), BDL601/603
credentials compared with or set to literals (js_credentials.py); beside them dispatch.py (BDL502)
and fail_open.py (BDL606)."""
from __future__ import annotations

from backdoor_lint.checkers import vocabulary
from backdoor_lint.checkers.lang import js_imports
from backdoor_lint.checkers.lang.auth_bypass import auth_reports
from backdoor_lint.checkers.lang.deserialization import js_deserialization
from backdoor_lint.checkers.lang.dispatch import js_dispatch
from backdoor_lint.checkers.lang.fail_open import fail_open_reports
from backdoor_lint.checkers.lang.javascript import JsFile
from backdoor_lint.checkers.lang.js_credentials import credential_reports
from backdoor_lint.checkers.lang.js_crypto import analyse_crypto, curve_setting, option_settings
from backdoor_lint.checkers.lang.js_flow import Flow
from backdoor_lint.checkers.lang.js_network import LoadTime, network_reports
from backdoor_lint.checkers.lang.js_verification import (
    identity_check_report,
    method_identity_reports,
    unverified_decode,
)
from backdoor_lint.checkers.lang.randomness import randomness_reports
from backdoor_lint.checkers.lang.report import Report, one_per_line, short
from backdoor_lint.checkers.lang.secret_compare import timing_reports
from backdoor_lint.checkers.lang.syntax import argument_nodes
from backdoor_lint.checkers.lang.values import algorithm_problem, known

# Where each verifier takes its options: (argument index of the options object, label).
VERIFIERS = {
    "jsonwebtoken.verify": (2, "jsonwebtoken verify"),
    "jose.jwtVerify": (2, "jose jwtVerify"), "jose.compactVerify": (2, "jose compactVerify"),
    "jose.flattenedVerify": (2, "jose flattenedVerify"), "jose.generalVerify": (2, "jose generalVerify"),
    "express-jwt": (0, "express-jwt"), "express-jwt.expressjwt": (0, "express-jwt"),
    "express-jwt.expressJwt": (0, "express-jwt"), "koa-jwt": (0, "koa-jwt"),
    "passport-jwt.Strategy": (0, "passport-jwt Strategy"), "@fastify/jwt": (1, "@fastify/jwt"),
    "fastify-jwt": (1, "fastify-jwt"),
}
HEADER_READERS = {"jsonwebtoken.decode", "jose.decodeProtectedHeader", "jose.decodeJwt", "jwt-decode",
                  "jwt-decode.jwtDecode", "jwt-decode.default"}
# What a computed name must not hide (the JavaScript side of checkers/py_exec.py's dangerous
# modules): code execution, processes, files, the network and the host's identity.
DANGEROUS = {"eval", "Function", "require", "fetch", "child_process", "vm", "process.binding", "process.dlopen",
             "process.mainModule.require", "module.require"}
DANGEROUS_PREFIXES = tuple(f"{m}." for m in ("child_process", "vm", "os", "http", "https", "net", "dgram", "dns",
                                             "tls", "fs", "fs/promises", "module", "worker_threads"))
# Node's TLS socket rejects a bad certificate only when `rejectUnauthorized` is truthy, so any known
# falsy value (false, 0, '', null) switches verification off; request's strictSSL must be false.
TLS_OFF = {"rejectUnauthorized": (False, 0, "", None), "strictSSL": (False,)}
TLS_VERSION_KEYS = {"secureProtocol", "minVersion", "maxVersion"}
OPTIONS_EXPRESSIONS = frozenset({"object", "identifier", "member_expression", "subscript_expression"})
OLD_TLS = {"SSLv2_method", "SSLv3_method", "TLSv1_method", "TLSv1_1_method", "TLSv1", "TLSv1.1", "SSLv3"}


def analyse(js: JsFile, display: str = "") -> list[Report]:
    reports: list[Report] = []
    flow = Flow(js)
    loading = LoadTime(js)
    src = js.source
    for call in src.of_type("call_expression", "new_expression"):
        name, computed = js.call_target(call)
        if name is None:  # a method of something this file made (`req.write` on an http.request)
            reports += flow.check_call(call, "")
            continue
        reports += _jwt(js, call, name) + unverified_decode(js, call, name)
        reports += analyse_crypto(js, call, name, display)
        reports += js_deserialization(js, call, name)
        if computed and _dangerous(name):
            reports.append(Report(src.line(call), "BDL503", f"`{name}` is reached through a computed name "
                                  f"(`{short(src.text(call))}`): the name is hidden so that review and pattern "
                                  "checks miss a call that runs code. Call it by its plain name, or not at all."))
        reports += flow.check_call(call, name)
        reports += network_reports(js, flow, call, name, loading)
    reports += _tls(js) + method_identity_reports(js) + js_dispatch(js, flow)
    if not vocabulary.is_test_code(display):  # assertions in tests are not auth checks
        reports += timing_reports(js, "javascript") + randomness_reports(js, "javascript")
        reports += auth_reports(js) + credential_reports(js) + fail_open_reports(js, "javascript")
    return one_per_line(reports)


def _dangerous(name: str) -> bool:
    return name in DANGEROUS or name.startswith(DANGEROUS_PREFIXES)


def _jwt(js: JsFile, call, name: str) -> list[Report]:
    src = js.source
    args = argument_nodes(call)
    line = src.line(call)
    if name in VERIFIERS:
        index, label = VERIFIERS[name]
        options = js.value(args[index]) if len(args) > index else None
        if isinstance(options, dict):
            algorithms = options.get("algorithms")
            problem = algorithm_problem(algorithms)
            if problem:
                code, what = problem
                return [Report(line, code, _jwt_message(code, label, what))]
            if _from_header(js, args[index]):
                return [Report(line, "BDL104", f"{label} takes its algorithm list from the token's own unverified "
                               "header: the attacker picks HS256 and signs with the public key. Pin the "
                               "algorithm list to the one family the key belongs to.")]
    if name == "jsonwebtoken.sign" and len(args) > 2:
        options = js.value(args[2])
        if isinstance(options, dict) and str(options.get("algorithm", "")).lower() == "none":
            return [Report(line, "BDL102", "jsonwebtoken sign uses the 'none' algorithm: the token carries no "
                           "signature and any holder can forge it. Sign with RS256/ES256 or HS256 and a real key.")]
    if name == "jwt-simple.decode" and len(args) > 2:
        flag = js.value(args[2])
        if known(flag) and flag:
            return [Report(line, "BDL103", "jwt-simple decode is called with noVerify set: the signature is not "
                           "checked, so any forged token's claims are trusted. Drop the third argument.")]
    return []


def _jwt_message(code: str, label: str, what: str) -> str:
    if code == "BDL102":
        return (f"{label} {what}: a token with no signature passes verification, so anyone can forge one. "
                "Allow only the algorithm of your key.")
    return (f"{label} {what}: with one key configured for both families an attacker signs a token with HMAC "
            "using the public key (which is public) and it verifies. Allow only the family of your key, "
            "e.g. ['RS256'].")


def _from_header(js: JsFile, options_node) -> bool:
    """`algorithms: [decoded.header.alg]` where decoded came from an unverified decode."""
    text = js.source.text(options_node)
    if "alg" not in text:
        return False
    for node in js.source.of_type("member_expression", "subscript_expression"):
        if not (options_node.start_byte <= node.start_byte < options_node.end_byte):
            continue
        prop = node.child_by_field_name("property") or node.child_by_field_name("index")
        if prop is None or js.source.text(prop).strip("'\"") != "alg":
            continue
        root = node.child_by_field_name("object")
        while root is not None and root.type in ("member_expression", "subscript_expression"):
            root = root.child_by_field_name("object")
        if root is not None and root.type == "identifier":
            binding = js.binding(root)
            value = binding.value if binding is not None else None
            if value is not None and not isinstance(value, tuple) and hasattr(value, "type") \
                    and value.type == "call_expression" and js.call_target(value)[0] in HEADER_READERS:
                return True
    return False


def _tls(js: JsFile) -> list[Report]:
    """`rejectUnauthorized: false` however the false is spelled or the key is named, the
    process-wide NODE_TLS_REJECT_UNAUTHORIZED=0, a no-op checkServerIdentity, small curves."""
    reports = []
    for name, value_node, line in option_settings(js):
        reports += _tls_setting(js, name, value_node, line) + curve_setting(js, name, value_node, line)
    if not reports and js_imports.may_import_from_tree(js):  # settings from another file: report at the use
        src = js.source
        for arguments in src.of_type("arguments"):
            for expr in arguments.named_children[:8]:
                value = js.value(expr) if expr.type in OPTIONS_EXPRESSIONS else None
                for name, setting in value.items() if isinstance(value, dict) else ():
                    reports += _tls_value(js, name, setting, f"{short(src.text(expr))}.{name}", src.line(expr))
    return reports


def _tls_setting(js: JsFile, name, value_node, line: int) -> list[Report]:
    if not isinstance(name, str) or value_node is None:
        return []
    if name == "checkServerIdentity":
        return identity_check_report(js, value_node, line)
    if name not in TLS_OFF and name not in TLS_VERSION_KEYS and name != "NODE_TLS_REJECT_UNAUTHORIZED":
        return []
    return _tls_value(js, name, js.value(value_node), short(js.source.text(value_node)), line)


def _tls_value(js: JsFile, name, value, text: str, line: int) -> list[Report]:
    if name in TLS_OFF:
        if known(value) and any(value is off or value == off and type(value) is type(off) for off in TLS_OFF[name]):
            return [Report(line, "BDL301", f"`{name}` is set to false (`{text}`): the "
                           "client accepts any certificate, so anyone on the network path can read and change the "
                           "traffic. Keep verification on; pass a `ca` for a private CA.")]
    if name in TLS_VERSION_KEYS:
        if value in OLD_TLS:
            return [Report(line, "BDL303", f"`{name}` is '{value}': an obsolete protocol with known attacks is "
                           "allowed. Use minVersion 'TLSv1.2' or later.")]
    if name == "NODE_TLS_REJECT_UNAUTHORIZED":
        if value in ("0", 0, False):
            return [Report(line, "BDL302", "NODE_TLS_REJECT_UNAUTHORIZED is set to 0: every TLS connection of the "
                           "process accepts any certificate. Remove it; use NODE_EXTRA_CA_CERTS for a private CA.")]
    return []
