"""BDL606, blocking, in JavaScript/TypeScript, Go and Java (the other languages' side of
checkers/py_fail_open.py, with its vocabulary): a verification that fails open — it lets the caller
in exactly when it could not verify.

A verification is a function named as one (`verifySignature`, `checkToken`, `isAuthenticated`,
`AuthMiddleware`, on the snake_case words of its name) or one that calls a verification primitive
(`jwt.verify`, `jwtVerify`, `token.Verify`, `jwt.Parse`, `hmac.Equal`, `timingSafeEqual`,
`JWT.require(...).build().verify`, `parseClaimsJws`, `MessageDigest.isEqual`, `BCrypt.checkpw`).
Its fail-open exits:
- the error path returns success: a `catch` (JS, Java) or `if err != nil` (Go, the error of a
  verification call) that returns true (a constant however spelled), a Go `nil` error (with the
  claims or alone), or passes the request on (`next()`, `next.ServeHTTP`, `c.Next()`); a jsonwebtoken
  callback `(err, decoded) => { if (err) return next() }`; a promise's `.catch(() => next())`; a
  handler that swallows the error and falls through to success;
- an early success guarded only by the absence or the shape of the credential (`if sig == "" {
  return true }`, `if (!token) return next()`, `if (sig.length !== 64) return true`).
The attacker's move is the same in every case: send nothing, or send garbage, and be let in.

Passing the request on is success only in a middleware that denies somewhere else (401/403): one
that never denies attaches an identity when it can (optional authentication), and a Java filter's
`chain.doFilter` leaves the decision to Spring Security's authorisation rules."""
from __future__ import annotations

import re

from backdoor_lint.checkers.lang.report import Report, short
from backdoor_lint.checkers.lang.syntax import ancestors
from backdoor_lint.checkers.lang.values import known
from backdoor_lint.checkers.vocabulary import (
    AUTH_FUNCTION,
    AUTH_OBJECT_WORDS,
    CREDENTIAL_PARAM,
    CREDENTIAL_WORDS,
    SECURITY_CALL,
    name_words,
)

FUNCTIONS = frozenset({"function_declaration", "function_expression", "function", "arrow_function",
                       "method_definition", "generator_function_declaration", "method_declaration", "func_literal",
                       "constructor_declaration", "lambda_expression"})
CALLS = ("call_expression", "method_invocation")
# Verification primitives of these languages the Python vocabulary does not name.
LANGUAGE_VERIFY = re.compile(r"timingSafeEqual|jwtVerify|compactVerify|parseClaimsJws|parseSignedClaims|"
                             r"parseClaims|checkpw|CompareHashAndPassword|bcrypt\.compare|MessageDigest\.isEqual|"
                             r"ConstantTimeCompare|\.Verify\w*$|ParseWithClaims")
# A word every SECURITY_CALL and LANGUAGE_VERIFY match contains (also in camelCase): a cheap first test.
VERIFY_HINT = re.compile(r"(?i)verif|hmac|digest|constant_?time|jwt|authenticat|check_?(?:password|token|signature|"
                         r"hmac|api_?key)|decode_?token|validate_?(?:token|signature)|timingsafe|parse(?:claims|signed|"
                         r"withclaims)|checkpw|comparehash|bcrypt")
# A file where a call may verify contains one of these (lower-cased): the words of VERIFY_HINT and
# the libraries that verify (reached under another name). Elsewhere (a bundle) only functions named
# as verifications are looked at. Substring tests: a case-insensitive regex costs ~100 ns a byte.
MAY_VERIFY = (b"verif", b"hmac", b"digest", b"constanttime", b"constant_time", b"jwt", b"authenticat", b"checkpassword",
              b"check_password", b"checksignature", b"check_signature", b"checktoken", b"check_token", b"apikey", b"api_key", b"decodetoken", b"decode_token",
              b"validatetoken", b"validate_token", b"timingsafe", b"parseclaims", b"parsesigned", b"parsewithclaims",
              b"checkpw", b"comparehash", b"bcrypt", b"jsonwebtoken", b"jose", b"passport", b"oidc", b"auth0", b"jjwt",
              b"nimbus", b"crypto")
# Where a request carries a credential (a variable read from there is one).
REQUEST_CREDENTIAL = re.compile(r"(?i)\bheaders?\b|getHeader|Header\.Get|GetHeader|\bcookies?\b|getCookie|Cookie\(|"
                                r"\.query\b|FormValue|getParameter|authorization|\breq\.get\b|\bc\.Query\b")
HEADER_READ = re.compile(r"(?i)\bheaders?\b|\bcookies?\b|authorization")  # a query field must be named as a credential
# Calls and names a test of presence or shape uses.
SHAPE_CALLS = {"len", "length", "startsWith", "endsWith", "HasPrefix", "HasSuffix", "isEmpty", "isBlank", "trim",
               "TrimSpace", "TrimPrefix", "strip", "test", "match", "isNullOrEmpty", "isNull", "hasText",
               "hasLength", "includes", "contains", "Contains", "Count", "split", "Split", "String"}
NEUTRAL_NAMES = {"undefined", "null", "nil", "len", "strings", "StringUtils", "Strings", "Objects", "String",
                 "Number", "Array", "true", "false"}
DENY = re.compile(r"\b40[13]\b|StatusUnauthorized|StatusForbidden|Unauthori[sz]ed|Forbidden|AbortWithStatus|"
                  r"sendStatus\(|SC_UNAUTHORIZED|SC_FORBIDDEN|HttpStatus\.(?:UNAUTHORIZED|FORBIDDEN)")
ANONYMOUS = re.compile(r"(?i)anonymous|\bguest|\bunauthenticated|\bnobody")
OPTIONAL = re.compile(r"(?i)optional|maybe|soft|anonymous|attach|populate|load_?user|try_?auth|identify")
PASS = re.compile(r"^(?:return\s+|await\s+)?(?:next\(\s*\)|next\.ServeHTTP\(|c\.Next\(\)|ctx\.Next\(\)|"
                  r"h\.ServeHTTP\(|handler\.ServeHTTP\()")
# A handler's success answer (2xx), in a handler that answers 401/403 elsewhere.
OK_RESPONSE = re.compile(r"ResponseEntity\.(?:ok|noContent|accepted)\(|HttpStatus\.(?:OK|NO_CONTENT|ACCEPTED)\b|"
                         r"(?:sendStatus|status)\(20[0-4]\)|WriteHeader\(http\.Status(?:OK|NoContent|Accepted)\)|"
                         r"WriteHeader\(20[0-4]\)|\.(?:JSON|Status|String)\(http\.Status(?:OK|NoContent|Accepted)\b")
ERROR_TEST = re.compile(r"^\(?\s*(?:!\s*)?(\w+)(?:\s*!==?\s*(?:null|nil|undefined))?\s*\)?$")
EXITS = ("return_statement", "throw_statement")


def fail_open_reports(file, language: str) -> list[Report]:
    """`file` is a JsFile, GoFile or JavaFile; `language` 'javascript', 'go' or 'java'."""
    src = file.source
    reports: list[Report] = []
    own = _Own(src)
    lowered = src.data.lower()
    calls_may_verify = any(word in lowered for word in MAY_VERIFY)
    functions = [f for f in src.of_type(*sorted(FUNCTIONS))
                 if _named_verification(_owner_name(src, f)) or calls_may_verify and _verification(file, own, f)]
    for function in functions:
        credentials = _credentials(file, own, function)
        for node in own(function, ("if_statement", "try_statement", "try_with_resources_statement")):
            if node.type != "if_statement":
                reports += _try(file, own, language, function, node)
            elif language == "go" and _go_error_test(file, own, function, node):
                reports += _branch(file, language, function, node, "the verification's error is not nil")
            elif _only_shape(file, node.child_by_field_name("condition"), credentials):
                reports += _branch(file, language, function, node, "the credential is missing or malformed")
        if language != "go":
            reports += _callbacks(file, own, language, function)
    return reports


class _Own:
    """Nodes of some types by the innermost function they are in, indexed once per file (a
    minified bundle has thousands of functions: asking each for its nodes must stay linear)."""

    def __init__(self, src) -> None:
        self.src = src
        self._index: dict[tuple, dict[tuple[int, int], list]] = {}

    def __call__(self, function, types: tuple[str, ...]) -> list:
        index = self._index.get(types)
        if index is None:
            index = self._index[types] = {}
            for node in self.src.of_type(*types):
                owner = next((s for s in self.src.scope_chain(node) if s.type in FUNCTIONS), None)
                if owner is not None:
                    index.setdefault((owner.start_byte, owner.end_byte), []).append(node)
        return index.get((function.start_byte, function.end_byte), [])


# -- what a verification is -----------------------------------------------------------------
def _name(src, function) -> str:
    name = function.child_by_field_name("name")
    if name is None and function.parent is not None:
        name = function.parent.child_by_field_name("name") or function.parent.child_by_field_name("key") \
            or function.parent.child_by_field_name("left")
    return src.text(name).rsplit(".", 1)[-1] if name is not None else ""


def _owner_name(src, function) -> str:
    """The function's name; for an anonymous one (a middleware's handler closure), the name of the
    nearest named function around it."""
    name, levels = _name(src, function), 0
    for parent in ancestors(function) if not name else ():
        if parent.type in FUNCTIONS:
            name, levels = _name(src, parent), levels + 1
            if name or levels >= 4:  # bounded: a bundle nests anonymous functions deeply
                break
    return name


def _named_verification(name: str) -> bool:
    words = name_words(name)
    return bool(AUTH_FUNCTION.search("_".join(words)) and set(words) & AUTH_OBJECT_WORDS)


def _security_call(callee: str) -> bool:
    if not VERIFY_HINT.search(callee):  # what every pattern below needs: most calls stop here
        return False
    return bool(SECURITY_CALL.search(callee) or LANGUAGE_VERIFY.search(callee)
                or SECURITY_CALL.search("_".join(name_words(callee))))


def _callee(src, call) -> str:
    """The callee's text, its end only: an immediately invoked function's callee is its whole body."""
    func = call.child_by_field_name("function")
    if func is not None:
        return src.data[max(func.start_byte, func.end_byte - 160):func.end_byte].decode("utf-8", "replace")
    name = call.child_by_field_name("name")  # Java method_invocation
    receiver = call.child_by_field_name("object")
    return (src.text(receiver) + "." if receiver is not None else "") + (src.text(name) if name is not None else "")


def _verification(file, own, function) -> bool:
    if _named_verification(_name(file.source, function)):
        return True
    return any(_verifies(file, own, call) for call in own(function, CALLS))


def _verifies(file, own, call, depth: int = 0) -> bool:
    """A call of a verification primitive, by its text or by what it resolves to (an aliased
    import, a computed member), or of a local helper function that calls one."""
    src = file.source
    callee = _callee(src, call)
    if _security_call(callee):
        return True
    resolved = file.call_target(call)[0] if hasattr(file, "call_target") else \
        file.qualname(call.child_by_field_name("function") if call.type == "call_expression" else call)
    if resolved and _security_call(resolved.replace("/", ".")):
        return True
    helpers = getattr(file, "functions", None) or getattr(file, "methods", {})
    if depth == 0:
        for helper in helpers.get(callee.rsplit(".", 1)[-1], ())[:4]:
            if any(_verifies(file, own, inner, 1) for inner in own(helper, CALLS)):
                return True
    return False


def _credentials(file, own, function) -> set[str]:
    """Credential-named parameters, and variables named so or read from a request header, cookie
    or parameter."""
    src = file.source
    names = set()
    parameters = function.child_by_field_name("parameters") or function.child_by_field_name("parameter")
    if parameters is not None:
        for node in _descendants(parameters, 64):
            if node.type in ("identifier", "shorthand_property_identifier_pattern") and _credential_name(src.text(node)):
                names.add(src.text(node))
    for node in own(function, ("variable_declarator", "short_var_declaration", "local_variable_declaration")):
        targets = [node.child_by_field_name("name") or node.child_by_field_name("left")]
        if node.type == "local_variable_declaration":
            targets = [d.child_by_field_name("name") for d in node.children_by_field_name("declarator")]
        value = node.child_by_field_name("value") or node.child_by_field_name("right") or node
        # `ok = verifyToken(req.headers.authorization)` holds the verdict, not the credential
        verdict = value.type in CALLS and (_security_call(_callee(src, value)) or _verifies(file, own, value))
        from_request = not verdict and REQUEST_CREDENTIAL.search(src.text(value)[:300]) is not None
        for target in targets:
            for name in _descendants(target, 16) if target is not None else []:
                if name.type == "identifier" and (from_request or _credential_name(src.text(name))):
                    names.add(src.text(name))
    return names


def _credential_name(name: str) -> bool:
    return bool(CREDENTIAL_PARAM.match(name) or CREDENTIAL_WORDS.search(name)) and name.lower() not in (
        "authorizer", "authservice", "auth_service")


def _descendants(node, budget: int) -> list:
    found, stack = [], [node]
    while stack and len(found) < budget:
        current = stack.pop()
        found.append(current)
        stack.extend(reversed(current.named_children))
    return found


# -- the exits --------------------------------------------------------------------------------
def _try(file, own, language: str, function, statement) -> list[Report]:
    src = file.source
    body = statement.child_by_field_name("body")
    if body is None or not any(_verifies(file, own, c) for c in _nodes_in(src, body, CALLS)) \
            and not _named_verification(_name(src, function)):
        return []
    for handler in statement.named_children:
        if handler.type != "catch_clause":
            continue
        block = handler.child_by_field_name("body")
        success = _success(file, language, function, block) if block is not None else None
        if success is None and block is not None and not _nodes_in(src, block, EXITS):
            success = _success_after(file, language, function, statement)  # error swallowed, then success
        if success is not None:
            node, what = success
            return [Report(src.line(handler), "BDL606", (
                f"{_label(src, function)} {what} when verifying throws (`{short(src.text(handler).split('{')[0])}`): "
                "a malformed or forged signature or token, one that makes the parser or the key lookup fail, is "
                "accepted. Deny on every error path (return false / 401, or rethrow)."), severity="block",
                end_line=src.line(node))]
    return []


def _go_error_test(file, own, function, statement) -> bool:
    """`if err != nil` where err is the error of a verification call (any call in a function named
    as a verification)."""
    src = file.source
    condition = statement.child_by_field_name("condition")
    match = re.fullmatch(r"(\w+)\s*!=\s*nil", src.text(condition)) if condition is not None else None
    if match is None:
        return False
    name_node = next((n for n in _descendants(condition, 8) if n.type == "identifier"), None)
    binding = file.binding(name_node) if name_node is not None else None
    value = getattr(binding, "value", None)
    if value is not None and value.type == "call_expression" and _verifies(file, own, value):
        return True
    return _named_verification(_name(src, function))


def _branch(file, language: str, function, statement, why: str) -> list[Report]:
    src = file.source
    body = statement.child_by_field_name("consequence")
    success = _success(file, language, function, body) if body is not None else None
    if success is None and why.startswith("the verification") and body is not None and \
            not _nodes_in(src, body, EXITS) and "panic(" not in src.text(body) and "Abort" not in src.text(body):
        success = _success_after(file, language, function, statement)  # the error logged, then success
    if success is None:
        return []
    node, what = success
    condition = statement.child_by_field_name("condition")
    return [Report(src.line(statement), "BDL606", (
        f"{_label(src, function)} {what} when `{short(src.text(condition))}`: {why}, so the check succeeds "
        "exactly when it could not verify and an attacker simply sends nothing or garbage. Deny (return false, an "
        "error, 401) on that path."), severity="block", end_line=src.line(node))]


def _callbacks(file, own, language: str, function) -> list[Report]:
    """`jwt.verify(token, key, (err, decoded) => { if (err) return next(); ... })`."""
    src = file.source
    reports = []
    for call in own(function, CALLS):
        if language != "java" and _callee(src, call).endswith(".catch"):
            reports += _promise_catch(file, own, language, function, call)
        if not _verifies(file, own, call):
            continue
        arguments = call.child_by_field_name("arguments")
        for callback in (arguments.named_children if arguments is not None else []):
            parameters = callback.child_by_field_name("parameters") if callback.type in FUNCTIONS else None
            first = next((p for p in _descendants(parameters, 4) if p.type == "identifier"), None) \
                if parameters is not None else None
            if first is None:
                continue
            for statement in own(callback, ("if_statement",)):
                condition = statement.child_by_field_name("condition")
                test = ERROR_TEST.match(src.text(condition)) if condition is not None else None
                if test is not None and test.group(1) == src.text(first) and "!" not in src.text(condition)[:3]:
                    reports += _branch(file, language, callback, statement, f"`{src.text(first)}` says the token "
                                       "did not verify")
    return reports


def _promise_catch(file, own, language: str, function, call) -> list[Report]:
    """`jwtVerify(t, key).then(...).catch(() => next())`: the rejection of a verification passes."""
    src = file.source
    func = call.child_by_field_name("function")
    chain = func.child_by_field_name("object") if func is not None else None
    handler = next((a for a in (call.child_by_field_name("arguments").named_children
                                if call.child_by_field_name("arguments") is not None else []) if a.type in FUNCTIONS),
                   None)
    if chain is None or handler is None or not any(_verifies(file, own, c) for c in _nodes_in(src, chain, CALLS)):
        return []
    body = handler.child_by_field_name("body")
    found = _success(file, language, handler, body) if body is not None else None
    if found is None and body is not None and body.type not in ("statement_block",) and file.value(body) is True:
        found = (body, f"resolves to `{short(src.text(body))}`")
    if found is None:
        return []
    node, what = found
    return [Report(src.line(call.child_by_field_name("arguments")), "BDL606", (
        f"{_label(src, function)} {what} when the verification rejects (`.catch(...)`): a forged or malformed "
        "token is accepted like a valid one. Deny in the rejection handler (401, or rethrow)."), severity="block",
        end_line=src.line(node))]


def _nodes_in(src, block, types) -> list:
    """Nodes of these types in a block, outside functions nested in it (a bounded walk)."""
    found, stack, budget = [], [block], 4000
    while stack and budget:
        budget -= 1
        node = stack.pop()
        if node.type in types:
            found.append(node)
        if node.type not in FUNCTIONS or node == block:
            stack.extend(node.named_children)
    return found


def _statements(block) -> list:
    if block.type in ("statement_block", "block", "else_clause", "statement_list"):
        statements = [s for s in block.named_children if s.type != "comment"]
        if len(statements) == 1 and statements[0].type == "statement_list":  # Go's block
            return _statements(statements[0])
        return statements
    return [block]


def _success(file, language: str, function, block):
    """(statement, what it does) when the block lets the caller in before any denial."""
    for statement in _statements(block)[:6]:
        found = _success_statement(file, language, function, statement)
        if found is not None and found.startswith("passes") and ANONYMOUS.search(file.source.text(block)):
            return None  # the request goes on as an explicit anonymous user: later checks see no identity
        if found is not None:
            return statement, found
        if statement.type in EXITS or re.search(r"\bpanic\(|\bAbort", file.source.text(statement)):
            return None
    return None


def _success_after(file, language: str, function, statement):
    parent = statement.parent
    siblings = _statements(parent) if parent is not None else []
    index = next((i for i, s in enumerate(siblings) if s == statement), None)
    if index is None or index + 1 >= len(siblings):
        return None
    following = siblings[index + 1]
    found = _success_statement(file, language, function, following)
    return (following, found) if found is not None else None


def _success_statement(file, language: str, function, statement) -> str | None:
    src = file.source
    text = src.text(statement).strip().rstrip(";")
    passes = PASS.match(text) and language != "java"
    if passes or OK_RESPONSE.search(text[:200]):
        outer = _outermost(function)
        if DENY.search(src.text(outer)) and not OPTIONAL.search(_name(src, outer) + " " + _name(src, function)):
            return f"passes the request on (`{short(text)}`)" if passes else f"answers success (`{short(text)}`)"
        return None
    if statement.type != "return_statement":
        return None
    values = [n for n in statement.named_children if n.type != "comment"]
    if language == "go" and values and values[0].type == "expression_list":
        values = values[0].named_children
    if not values:
        return None
    if len(values) == 1 and (file.value(values[0]) is True or src.text(values[0]) == "Boolean.TRUE"):
        return f"returns `{short(src.text(values[0]))}`"
    if language == "go" and src.text(values[-1]) == "nil" and _returns_error(src, function):
        first = values[0]
        if len(values) == 1 or src.text(first) not in ("nil", "false", '""', "0") and file.value(first) is not False:
            return f"returns `{short(text.removeprefix('return').strip())}` (no error)"
    if language == "go" and len(values) == 2 and file.value(values[0]) is True:
        return f"returns `{short(text.removeprefix('return').strip())}`"
    return None


def _returns_error(src, function) -> bool:
    result = function.child_by_field_name("result")
    return result is not None and src.text(result).strip("()").replace(" ", "").split(",")[-1] == "error"


def _outermost(function):
    """The middleware a callback or handler closure belongs to: the outermost function around it."""
    outer = function
    for parent in ancestors(function):
        if parent.type in FUNCTIONS:
            outer = parent
    return outer


def _label(src, function) -> str:
    name = _name(src, function)
    return f"{name}()" if name else "this verification"


def _only_shape(file, condition, credentials: set[str]) -> bool:
    """The test looks at presence or shape of a credential only: no other variable, no verifying call."""
    if condition is None:
        return False
    src = file.source
    mentioned, stack, budget = False, [condition], 200
    while stack and budget:
        budget -= 1
        node = stack.pop()
        text = src.text(node)
        holder = node.child_by_field_name("object") or node.child_by_field_name("operand") \
            if node.type in ("subscript_expression", "index_expression") else node
        head = src.text(holder) if holder is not None else text
        if node.type in ("identifier", "member_expression", "selector_expression", "field_access",
                         "subscript_expression", "index_expression") and \
                (text in credentials or node.type != "identifier" and REQUEST_CREDENTIAL.search(head)
                 and "(" not in head and (HEADER_READ.search(head) or _credential_name(text.rsplit(".", 1)[-1]))):
            mentioned = True
            continue
        if node.type in CALLS and _known(file, node):
            continue  # a constant, however built (`strings.Join(...)`, `atob(...)`)
        if node.type in CALLS and REQUEST_CREDENTIAL.search(_callee(src, node)) and _credential_name(
                " ".join(src.text(a) for a in node.named_children if a.type in ("arguments", "argument_list"))):
            mentioned = True  # `r.Header.Get("Authorization")`, `req.get('x-signature')`: the credential read
            continue
        if node.type in CALLS:
            callee = _callee(src, node)
            if callee.rsplit(".", 1)[-1] not in SHAPE_CALLS or _security_call(callee):
                return False
            stack.extend(n for n in node.named_children if n.type in ("arguments", "argument_list"))
            receiver = node.child_by_field_name("object") or node.child_by_field_name("function")
            if receiver is not None and receiver.type in ("member_expression", "selector_expression", "field_access"):
                stack.append(receiver.child_by_field_name("object") or receiver.child_by_field_name("operand"))
            continue
        if node.type == "identifier" and text not in NEUTRAL_NAMES and not _known(file, node):
            return False
        stack.extend(node.named_children)
    return mentioned and not budget == 0


def _known(file, node) -> bool:
    value = file.value(node)
    return known(value) and not hasattr(value, "type")
