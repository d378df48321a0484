"""BDL602 in JavaScript/TypeScript, Go and Java: access decided by what the client writes.

- a header the client sets (`X-Forwarded-For`, `X-Real-IP`, `X-User`, `X-Role`, `X-Admin-...`) or
  the peer address compared with a privileged literal or tested for a prefix (`=== '127.0.0.1'`,
  `startsWith('10.')`, `"admin".equalsIgnoreCase(role)`): anyone writes the header, and the peer
  address is a proxy's or a neighbour's (the other languages' side of checkers/client_address.py);
- an identity taken from such a header or from a request parameter (`ctx.state.user = {id: user}`
  with `user` the `X-Forwarded-User` header, `authenticate(user, ...)`, `uid = req.getParameter("uid")`
  under an address test, a `...User(r)` helper returning the header);
- a debug or bypass flag that lets a request in, also read through a name or a helper
  (`if (process.env.DEBUG) return next()`, `const f = req.headers['x-' + 'debug']; if (f) ...`,
  `if cfg.DebugBypass && c.Query("debug") == "1" { c.Set("user", ...) }`).

Where the value comes from is read through names and helpers (secret_compare.evidence). The
finding sits on the condition and spans to the statement of the branch that grants access."""
from __future__ import annotations

import re

from backdoor_lint.checkers.lang.report import Report, short
from backdoor_lint.checkers.lang.secret_compare import evidence, evidence_texts

# Headers that name who or where the client is (credentials such as Authorization or X-Api-Key
# are BDL209/BDL601's, compared with a stored secret).
IDENTITY_HEADER = re.compile(r"""(?i)['"`](?:x-forwarded-for|x-real-ip|x-client-ip|true-client-ip|cf-connecting-ip|"""
                             r"""forwarded|x-originating-ip|x-remote-(?:addr|ip|user)|x-(?:[\w-]*-)?"""
                             r"""(?:user|username|user-id|userid|role|roles|admin|internal|override|bypass|"""
                             r"""impersonate|groups|principal)(?:-[\w-]+)?)['"`]""")
PEER_ADDRESS = re.compile(r"\breq\.ip\b|\brequest\.ip\b|remoteAddress\b|getRemoteAddr\(\)|\.RemoteAddr\b|"
                          r"ClientIP\(\)|RealIP\(\)|getRemoteHost\(\)")
# `\w*bypass\w*` and `debug\w*\b` as written once were quadratic on long identifiers; for a search
# they are the same as the bare words (a word always has a boundary before and after it)
DEBUG_FLAG = re.compile(r"(?i)(?:\b|_)(?:debug|skip_?auth|disable_?auth)|bypass|(?:\b|_)(?:auth_?disabled|no_?auth)\b")
# Where a flag can come from that the client or the deployment sets (a flag read through a name or
# a helper counts when its origin is one of these and names debug/bypass)
REQUEST_OR_ENVIRONMENT = re.compile(r"\b(?:req|request|ctx|c|r)\.(?:query|headers|get|header|cookies|signedCookies|"
                                    r"Query|Header|GetHeader|FormValue|URL)\b|process\.env|getenv|Getenv|"
                                    r"getParameter\(|getHeader\(")
# ... read with the flag's name right after it (`req.headers['x-' + 'debug']`, `process.env.AUTH_DISABLED`)
# or as a key built at run time (evidence() adds its value as a line of its own),
# not an option of some call that also reads the request (`verify(req.headers.authorization, {debug: false})`)
FLAG_READ = re.compile(rf"(?:{REQUEST_OR_ENVIRONMENT.pattern})[\w\s.\[\]('\"`+-]{{0,40}}?(?i:{DEBUG_FLAG.pattern[4:]})")
PRIVILEGED_TEST = re.compile(r"""(?i)(?:===?|!==?|equals(?:IgnoreCase)?\(|startsWith\(|HasPrefix\(|"""
                             r"""includes\(|endsWith\(|HasSuffix\()""")
GRANT_IDENTITY = re.compile(r"""(?:\b(?:req|request|ctx\.state|ctx|session|c|r)\.(?:user|trusted|admin|isAdmin|role|"""
                            r"""principal|uid|authenticated)\s*=(?!=)|\bc\.Set\(\s*"(?:user|role|admin|uid|auth\w*)"|"""
                            r"""\bauthenticate\(|setAuthentication\(|\buid\s*=(?!=)|\bis_?[Aa]dmin\s*=\s*true|"""
                            r"""setAttribute\(\s*"(?:uid|user|role)")""")
GRANT_PASS = re.compile(r"\breturn\s+next\(\)|\bawait\s+next\(\)|^[ \t]*next\(\)|\bc\.Next\(\)|\breturn\s+true\b|"
                        r"chain\.doFilter\(|filterChain\.doFilter\(", re.MULTILINE)
REQUEST_PARAM = re.compile(r"""(?:getParameter|FormValue|Query|query|params|body|Param)\W{1,3}(?:uid|user\w*|"""
                           r"""account\w*|role)\b""")
IDENTITY_FUNCTION = re.compile(r"(?i)(user|identity|principal|caller|whoami|subject)")


def auth_reports(file) -> list[Report]:
    src = file.source
    reports = []
    for node in src.of_type("if_statement"):
        condition = node.child_by_field_name("condition")
        body = node.child_by_field_name("consequence")
        if condition is None or body is None:
            continue
        grant = _grant(body)
        decision = PRIVILEGED_TEST.search(src.text(condition)) and _literal_side(file, condition)
        if grant is None and not decision:
            continue  # neither grants nor compares with a literal: no need to trace the condition
        initializer = node.child_by_field_name("initializer")
        cond_text = (evidence(file, initializer) + "\n" if initializer is not None else "") + evidence(file, condition)
        client = IDENTITY_HEADER.search(cond_text) or PEER_ADDRESS.search(cond_text)
        if client and grant is not None and REQUEST_PARAM.search(src.text(grant)):
            reports.append(Report(src.line(node), "BDL602", f"the client names its own identity "
                                  f"(`{short(src.text(grant))}` under `{short(src.text(condition))}`): whoever "
                                  "passes the address or header test becomes any user. Take the identity from a "
                                  "verified session or token.", end_line=src.line(grant)))
            continue
        if client and _loopback_peer(client.group(0), src.text(condition)):
            client = None  # the socket's own loopback peer: only local processes
        if client and decision:
            reports.append(Report(src.line(node), "BDL602", f"access decided by `{short(src.text(condition))}`: "
                                  f"{_what(client.group(0))} is whatever the client (or a neighbour behind the "
                                  "same proxy) sends, so anyone passes this check by setting it. Authenticate the "
                                  "caller (session, signed token, mTLS) and use the address only for logging.",
                                  end_line=src.line(grant) if grant is not None else 0))
            continue
        if grant is None:
            continue
        flag = DEBUG_FLAG.search(src.text(condition)) or _flag_read(file, node, condition)
        if flag and not src.text(condition).lstrip("(").startswith("!"):
            reports.append(Report(src.line(node), "BDL602", f"a debug or bypass flag (`{short(src.text(condition))}`) "
                                  "lets the request in without authentication: a forgotten setting or a query "
                                  "parameter is all an attacker needs. Remove the bypass; use test credentials "
                                  "in tests.", end_line=src.line(grant)))
        elif client and GRANT_IDENTITY.search(src.text(grant)):
            reports.append(Report(src.line(node), "BDL602", f"an identity is granted from client-written data "
                                  f"(`{short(src.text(grant))}` under `{short(src.text(condition))}`): anyone "
                                  "sets that header or parameter and becomes that user. Take the identity from a "
                                  "verified session or token.", end_line=src.line(grant)))
        elif client and IDENTITY_HEADER.search(cond_text) and re.search(r"\breturn\s+\w+\s*$", src.text(grant)) \
                and _function_named_identity(file, node):
            reports.append(Report(src.line(node), "BDL602", "the caller's identity is returned from a header the "
                                  f"client writes (`{short(src.text(condition))}`): anyone sends it and is that "
                                  "user. Take the identity from a verified session or token.", end_line=src.line(grant)))
    return reports


def _flag_read(file, statement, condition) -> bool:
    """The condition's origins (not the declarations around the `if` itself, which hold every other
    branch of the function) read a debug or bypass flag from the request or the environment."""
    inside = file.source.text(statement)
    cond_text = "\n".join(t for t in evidence_texts(file, condition) if inside not in t)
    if FLAG_READ.search(cond_text):
        return True
    return bool(REQUEST_OR_ENVIRONMENT.search(cond_text)) and any(
        line[:1] in "'\"" and DEBUG_FLAG.search(line) for line in cond_text.splitlines())


def _loopback_peer(match: str, condition: str) -> bool:
    return match[:1] not in "'\"`" and not re.search(r"startsWith|HasPrefix|includes|endsWith", condition) and \
        bool(re.search(r"127\.0\.0\.1|::1|localhost", condition))


def _literal_side(file, condition) -> bool:
    """A literal on one side, also built from pieces or decoded (`String.fromCharCode(...)`)."""
    if re.search(r"""['"`][^'"`]{1,40}['"`]""", file.source.text(condition)):
        return True
    stack, seen = [condition], 0
    while stack and seen < 64:
        node = stack.pop()
        seen += 1
        if node.type in ("call_expression", "method_invocation", "binary_expression") and node is not condition \
                and isinstance(file.value(node), str):
            return True
        stack.extend(node.named_children)
    return False


def _what(match: str) -> str:
    return f"the header {match}" if match[:1] in "'\"`" else f"the peer address `{match}`"


def _grant(body):
    """The first statement of a branch that grants access or an identity."""
    statements = [body] if body.type not in ("statement_block", "block") else body.named_children
    for statement in statements[:6]:
        text = statement.text.decode("utf-8", "replace") if statement.text else ""
        if GRANT_IDENTITY.search(text) or GRANT_PASS.search(text) or re.search(r"\breturn\s+\w+\s*$", text) or \
                REQUEST_PARAM.search(text):
            return statement
    return None


def _function_named_identity(file, node) -> bool:
    for parent in _ancestors(node):
        name = parent.child_by_field_name("name") if parent.type in (
            "function_declaration", "method_declaration") else None
        if name is not None:
            return bool(IDENTITY_FUNCTION.search(file.source.text(name)))
    return False


def _ancestors(node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent
