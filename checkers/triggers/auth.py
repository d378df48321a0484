"""Triggers of the authentication rules (checkers/py_auth.py), with the rules' name and call tables
(libcst-free, so that the site tests read the same data as the visitors)."""
from __future__ import annotations

import ast
import re

from backdoor_lint.checkers.origin_tables import ADDRESS_ATTRIBUTES, DEBUG_ATTRS, FASTAPI_PARAMS, REQUEST_PARTS
from backdoor_lint.checkers.secretformats import lines_with, magic_literal
from backdoor_lint.checkers.triggers import PythonTrigger, sites, sites_auth, sites_tree, sites_values
from backdoor_lint.checkers.vocabulary import (
    AUTH_FUNCTION,
    AUTH_OBJECT_WORDS,
    AUTH_PREFIXES,
    AUTH_VERBS,
    CREDENTIAL_PARAM,
    ENV_GETTERS,
    ENV_OBJECTS,
    name_words,
    secret_name,
)

# -- the rules' tables (py_auth.py imports them from here) ------------------------------------------
# A function named like code that checks access (BDL601's strict tokens, BDL602's OR-ed returns)
AUTH_CONTEXT = re.compile(r"(?i)auth|login|logon|signin|sign_in|permission|perm|access|verify|verif|credential|"
                          r"password|token|session|admin|privilege|role|guard|protect|require|allowed|"
                          r"impersonat|middleware|dispatch|current_user|get_user|check|secure|^_*(can|may|has)_")
# a class whose methods guard access (BDL602)
GUARD_CLASS = re.compile(r"(?i)auth|login|permission|access|guard")
VERIFY_CALL = re.compile(r"(?i)verif|authenticat|check_|compare_digest|constant_time|validat|decode|is_valid|"
                         r"has_perm|user_from|get_user|signature|hmac|login_required|permission_required|"
                         r"authori[sz]|lookup_(token|key|user)")
DENY_NAME = re.compile(r"(?i)forbidden|unauthori[sz]ed|permissiondenied|permission_denied|accessdenied|deny|"
                       r"reject|notauthenticated|authenticationfailed|authenticationerror|autherror|"
                       r"login_url|redirect_to_login|challenge")
# a call that refuses when given one of DENY_STATUSES (`abort(403)`, `JsonResponse(..., status=401)`)
STATUS_RESPONSE_CALL = re.compile(r"(?i)abort|response|error|exception|render|json")
DENY_STATUSES = ("401", "403", "407")
DENY_TUPLE_STATUSES = ("401", "403")  # `return {"error": ...}, 403`
REDIRECT_CALL = re.compile(r"(?i)redirect")
GRANT_TARGETS = re.compile(r"^(request|req|g|flask\.g|self\.request|session|ctx|context)\.(user|current_user|"
                           r"identity|principal|is_admin|is_staff|is_superuser|authenticated|auth|user_id|role|"
                           r"account)$|\.(is_superuser|is_staff|is_admin|authenticated|is_authenticated)$")
SESSION_TARGET = re.compile(r"^(request\.)?session\[")
LOGIN_CALLS = re.compile(r"(?i)(^|\.)(login|login_user|auth_login|force_login|set_current_user|impersonate)$")
# what BDL601 reads as a constant-time comparison of two credentials
COMPARE_DIGEST_CALLS = frozenset({"hmac.compare_digest", "secrets.compare_digest",
                                  "django.utils.crypto.constant_time_compare"})
ONE_TIME_CODE_WORDS = (["otp"], ["totp"], ["pin"])  # the last word of a one-time code's name
# BDL606: a verification named by its verb alone
BARE_VERIFICATIONS = (["verify"], ["authenticate"], ["authorize"])


def credential_kind(name: str) -> str | None:
    """The kind of credential a name denotes (`password`, `api_key`, `otp`), or None."""
    return secret_name(name) or ("one-time code" if name_words(name)[-1:] in ONE_TIME_CODE_WORDS else None)


def names_verification(name: str, bare_verbs: bool = True) -> bool:
    """A function named as an authentication check (BDL606): `verify_signature`, `has_permission`,
    `authenticate` (with `bare_verbs`)."""
    if not AUTH_FUNCTION.search(name):
        return False
    words = name_words(name)
    return bool(set(words) & AUTH_OBJECT_WORDS) or bare_verbs and words in BARE_VERIFICATIONS


class MagicCredential(PythonTrigger):
    _WORDS = (b"passw", b"passphrase", b"passcode", b"pwd", b"secret", b"token", b"api_key", b"apikey", b"otp",
              b"pin", b"credential")

    @classmethod
    def wants(cls, raw: bytes, display: str) -> bool:
        """A line that names a credential and compares (==, !=, in), or compare_digest."""
        if b"compare_digest" in raw or b"constant_time_compare" in raw:
            return True

        def compares(data: bytes, start: int, _end: int) -> bool:
            stop = data.find(b"\n", start)
            line = data[start:stop if stop != -1 else len(data)]
            return b"==" in line or b"!=" in line or b" in " in line

        return lines_with(raw, raw.lower(), cls._WORDS, compares)

    @classmethod
    def has_site(cls, facts) -> bool:
        """A comparison (==, !=, is, is not; not in an `assert`, which visit_Comparison skips) of an
        operand that may name a credential (`_credential_kinds`) with one the evaluator may find a
        magic literal for (strict when every credential it may name is a token, as `_pair` checks
        a token), a membership test of such an operand in what may be a collection of magic
        literals only, or a two-argument call that may be a COMPARE_DIGEST_CALLS one with such a
        pair."""
        asserted = _asserted_comparisons(facts)
        for compare in sites_tree.nodes(facts, ast.Compare):
            if id(compare) in asserted:
                continue
            left = compare.left
            for operator, right in zip(compare.ops, compare.comparators):
                if isinstance(operator, (ast.Eq, ast.NotEq, ast.Is, ast.IsNot)):
                    if _may_pair(facts, left, right) or _may_pair(facts, right, left):
                        return True
                elif isinstance(operator, (ast.In, ast.NotIn)):
                    if _credential_kinds(facts, left) and sites_values.may_hold_only(facts, right, _loose_magic):
                        return True
                left = right
        for call in sites_tree.nodes(facts, ast.Call):
            if len(call.args) + len(call.keywords) != 2 or not sites.may_stand_for(facts, call.func, COMPARE_DIGEST_CALLS):
                continue
            a, b = sites_tree.arguments(call)
            # an argument is itself evaluated (its parent is a libcst Arg): `x` may hold "password"
            if _may_pair(facts, a, b, argument=True) or _may_pair(facts, b, a, argument=True):
                return True
        return False


def _asserted_comparisons(facts) -> set[int]:
    """The comparisons inside an `assert` statement (ids)."""
    return {id(node) for statement in sites_tree.nodes(facts, ast.Assert) for node in ast.walk(statement)
            if isinstance(node, ast.Compare)}


UNKNOWN_KIND = "?"  # in _credential_kinds: a credential named by a value the evaluator computes


def _may_pair(facts, credential: ast.AST, literal: ast.AST, argument: bool = False) -> bool:
    """Could MagicCredential._pair report: `credential` names a credential and every value the
    evaluator finds for `literal` is a magic literal (strict for a token)."""
    kinds = _credential_kinds(facts, credential, argument)
    if not kinds:
        return False
    strict = kinds == {"token"}
    return sites_values.may_evaluate_to(facts, literal, _strict_magic if strict else _loose_magic)


def _strict_magic(value: object) -> bool:
    return magic_literal(value, True) is not None


def _loose_magic(value: object) -> bool:
    return magic_literal(value, False) is not None


def _credential_kinds(facts, expression: ast.AST, argument: bool = False) -> set[str]:
    """The kinds of credential py_auth._credential_name may find in `expression` (UNKNOWN_KIND: a
    key or argument value the evaluator computes): the names and attribute names in it, and the
    values of the subscript keys and call arguments in it (with `argument`, of the expression
    itself, a call's argument). A keyword's name is evaluated as a name too (libcst's keyword is a
    Name whose parent is the Arg)."""
    kinds = set()
    evaluated = [expression] if argument else []
    for node in ast.walk(expression):
        if isinstance(node, ast.Name):
            kinds.add(credential_kind(node.id))
        elif isinstance(node, ast.Attribute):
            kinds.add(credential_kind(node.attr))
        elif isinstance(node, ast.Subscript):
            evaluated += node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        elif isinstance(node, ast.Call):
            evaluated += sites_tree.arguments(node)
            for keyword in node.keywords:
                if keyword.arg is not None:
                    kinds.add(credential_kind(keyword.arg))
                    evaluated.append(ast.Name(id=keyword.arg, ctx=ast.Load()))
    for key in evaluated:
        if isinstance(key, ast.Slice):
            continue  # libcst: a Slice, not an Index, so never evaluated
        if isinstance(key, ast.Constant):
            if isinstance(key.value, str) and len(key.value) < 60:
                kinds.add(credential_kind(key.value))
        elif sites_values.may_evaluate_to(facts, key, _names_credential):
            kinds.add(UNKNOWN_KIND)
    kinds.discard(None)
    return kinds


def _names_credential(value: object) -> bool:
    return isinstance(value, str) and len(value) < 60 and credential_kind(value) is not None


class AuthCheckSkipped(PythonTrigger):
    _LITERALS = (b"environ", b"getenv", b"headers", b"META", b"COOKIES", b"cookies", b"query", b".args", b".GET",
                 b"remote_addr", b"access_route", b"client.host", b"remote_ip", b"Header(",
                 b".params", b"DEBUG", b"TESTING", b".debug ", b".debug:", b".debug)", b".testing", b"debug_mode",
                 b"dev_mode", b"test_mode", b"get_header", b"get_cookie", b"get_argument", b"Header(", b"Cookie(",
                 b"Query(")
    _AUTH_LITERALS = (b"auth", b"login", b"perm", b"user", b"token", b"admin", b"verif", b"access", b"session",
                      b"forbidden", b"401", b"403")

    @classmethod
    def wants(cls, raw: bytes, display: str) -> bool:
        if not any(literal in raw for literal in cls._LITERALS):
            return False
        lower = raw.lower()
        return any(literal in lower for literal in cls._AUTH_LITERALS)

    @classmethod
    def has_site(cls, facts) -> bool:
        """An `if` whose body grants (returns other than False/None, sets a GRANT_TARGETS or
        SESSION_TARGET target, calls a LOGIN_CALLS function) and whose test may read a switch
        (`_reads_switch`: the rule's _bypass_condition needs one); one that sets may be an
        impersonation, reported anywhere; otherwise its function must look like an access check
        (_guards_access: named by AUTH_CONTEXT, in a GUARD_CLASS class, or holding a denial or a
        VERIFY_CALL call). Or a `return ... or ...` that may read a switch in a function named by
        AUTH_CONTEXT (visit_Return)."""
        granting = []  # lines of the branches that return or call
        reads_switch = None
        for branch in sites_tree.nodes(facts, ast.If):
            kinds = {_grant(facts, statement) for statement in branch.body} - {None}
            if not kinds:
                continue
            reads_switch = reads_switch or _reads_switch(facts)
            if not reads_switch(branch.test):
                continue
            if "sets" in kinds:
                return True
            granting.append(branch.lineno)
        or_returns = []
        for node in sites_tree.nodes(facts, ast.Return):
            if isinstance(node.value, ast.BoolOp) and isinstance(node.value.op, ast.Or):
                reads_switch = reads_switch or _reads_switch(facts)
                if reads_switch(node.value):
                    or_returns.append(node.lineno)
        if not granting and not or_returns:
            return False
        # By lines: a function "holds" what lies within its lines, nested functions included, and
        # any function around a node may be the one the rule asks about: both only let more through.
        granting, or_returns = sites_auth.Lines(granting), sites_auth.Lines(or_returns)
        guard_classes = sites_auth.Spans(node for node in sites_tree.nodes(facts, ast.ClassDef) if GUARD_CLASS.search(node.name))
        unsure = []
        for function in sites_auth.functions(facts):
            name = function.name
            if AUTH_CONTEXT.search(name) and or_returns.any_within(function):
                return True
            if not granting.any_within(function):
                continue  # a branch outside functions guards nothing (`_guards_access`)
            if AUTH_CONTEXT.search(name) and name != "__init__" or guard_classes.contains(function.lineno):
                return True
            unsure.append(function)
        if not unsure:
            return False
        unsure = sites_auth.Spans(unsure)
        return any(unsure.contains(node.lineno) and _may_deny_or_verify(facts, node)
                   for kind in (ast.Call, ast.Return, ast.Raise) for node in sites_tree.nodes(facts, kind))


def _reads_switch(facts):
    """A test "may this expression read a switch" for what _bypass_condition and visit_Return ask
    of an `if` test or an OR-ed return (py_auth's `_source`: address_source, request_source of a
    header, cookie or parameter, env_source, debug_flag): it holds, or a name bound to, or a call of
    a function of the module returning (`_request_switch`, client_address._address follow them)
    something `_switch_part` spots, or a parameter with a FastAPI marker default."""
    found = facts.memo.get("auth_switch")
    if found is not None:
        return found
    markers = set()  # `x_user: str = Header(None)` (request_source reads the parameter's default)
    for arguments in sites_tree.nodes(facts, ast.arguments):
        positional = arguments.posonlyargs + arguments.args
        pairs = list(zip(positional[len(positional) - len(arguments.defaults):], arguments.defaults))
        pairs += [(a, d) for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults) if d is not None]
        markers |= {a.arg for a, default in pairs
                    if isinstance(default, ast.Call) and sites.may_stand_for(facts, default.func, FASTAPI_PARAMS)}
    return sites.flows_from(facts, "auth_switch", lambda node: _switch_part(facts, node), markers,
                            lambda name: sites_auth.returned_by(facts, name), methods=True)


def _switch_part(facts, node: ast.AST) -> bool:
    """Where the origin walkers may find a switch, spelled by the same tables: an attribute in
    REQUEST_PARTS or ADDRESS_ATTRIBUTES (`request.headers`, `request.remote_addr`) or `.client.host`
    of what may be the request, or named by DEBUG_ATTRS (`settings.DEBUG`, `app.testing`); a name
    named by DEBUG_ATTRS; a call that may be an ENV_GETTERS one; a subscript or `in` of what may be
    ENV_OBJECTS; a key of a subscript or of `.get()`, or getattr's name, that may be a DEBUG_ATTRS
    one (or a request part of the request). A key or name the evaluator may compute counts."""
    if isinstance(node, ast.Attribute):
        if DEBUG_ATTRS.match(node.attr):
            return True
        if node.attr in REQUEST_PARTS or node.attr in ADDRESS_ATTRIBUTES:
            return sites.may_be_request(facts, node.value)
        return node.attr == "host" and isinstance(node.value, ast.Attribute) and node.value.attr == "client" \
            and sites.may_be_request(facts, node.value.value)
    if isinstance(node, ast.Name):
        return DEBUG_ATTRS.match(node.id) is not None
    if isinstance(node, ast.Subscript):
        return sites.may_stand_for(facts, node.value, ENV_OBJECTS) or _may_be_debug_key(facts, node.slice)
    if isinstance(node, ast.Compare):
        return any(isinstance(op, (ast.In, ast.NotIn)) and sites.may_stand_for(facts, right, ENV_OBJECTS)
                   for op, right in zip(node.ops, node.comparators))
    if isinstance(node, ast.Call):
        if sites.may_stand_for(facts, node.func, ENV_GETTERS):
            return True
        given = sites_tree.arguments(node)
        if isinstance(node.func, ast.Attribute) and node.func.attr == "get" and given \
                and _may_be_debug_key(facts, given[0]):
            return True  # app.config.get("DEBUG")
        callee = sites.stands_for(facts, node.func)
        if len(given) >= 2 and (callee is None or "getattr" in callee):  # getattr(settings, "DEBUG")
            return _may_be_debug_key(facts, given[1]) or sites.may_be_request(facts, given[0]) and \
                sites_values.may_evaluate_to(facts, given[1], _request_part_name)
    return False


def _may_be_debug_key(facts, key: ast.AST) -> bool:
    if isinstance(key, (ast.Slice, ast.Tuple)):
        return False  # libcst: a slice, or several subscript elements: never evaluated as a key
    return sites_values.may_evaluate_to(facts, key, _debug_name)


def _debug_name(value: object) -> bool:
    return isinstance(value, str) and DEBUG_ATTRS.match(value) is not None


def _request_part_name(value: object) -> bool:
    return value in REQUEST_PARTS or value in ADDRESS_ATTRIBUTES


def _grant(facts, statement: ast.stmt) -> str | None:
    """What py_auth._grants may find the statement grants ("returns", "sets", "calls") or None."""
    if isinstance(statement, ast.Return):
        value = statement.value
        if value is None or isinstance(value, ast.Constant) and (value.value is False or value.value is None):
            return None
        return "returns"
    if isinstance(statement, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        for target in targets:
            # libcst's code of a tuple target `a, request.is_admin` starts as its first element's and
            # ends as its last one's: what SESSION_TARGET (anchored at the start) and GRANT_TARGETS
            # (a name alone has no dot; at the end, or the whole code) may match
            first = last = target
            while isinstance(first, (ast.Tuple, ast.List, ast.Starred)) and getattr(first, "elts", True):
                first = first.value if isinstance(first, ast.Starred) else first.elts[0]
            while isinstance(last, (ast.Tuple, ast.List, ast.Starred)) and getattr(last, "elts", True):
                last = last.value if isinstance(last, ast.Starred) else last.elts[-1]
            first_text, last_text = sites_auth.spelled(facts, first), sites_auth.spelled(facts, last)
            if first_text is None or last_text is None or SESSION_TARGET.match(first_text) \
                    or GRANT_TARGETS.search(last_text):
                return "sets"
        return None
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        text = sites_auth.spelled(facts, statement.value.func)
        if text is None or LOGIN_CALLS.search(text):
            return "calls"
    return None


def _may_deny_or_verify(facts, node: ast.AST) -> bool:
    """What _guards_access looks for in a function: a call named by VERIFY_CALL, or a denial
    (`_is_deny(..., strong=True)`): a return or an expression of a denying call or tuple, a raise."""
    if isinstance(node, ast.Call):
        text = sites_auth.spelled(facts, node.func)
        return text is None or VERIFY_CALL.search(text) is not None or _may_deny(facts, node)
    if isinstance(node, ast.Return) and node.value is not None:
        return _may_deny(facts, node.value)
    if isinstance(node, ast.Raise) and node.exc is not None:
        text = sites_auth.spelled(facts, node.exc)
        return text is None or DENY_NAME.search(text) is not None or _may_deny(facts, node.exc)
    return False


def _may_deny(facts, value: ast.AST) -> bool:
    """Over py_auth._deny_expression: a call named by DENY_NAME or REDIRECT_CALL, or named by
    STATUS_RESPONSE_CALL with a DENY_STATUSES argument; a tuple ending with a DENY_TUPLE_STATUSES."""
    if isinstance(value, ast.Call):
        text = sites_auth.spelled(facts, value.func)
        if text is None or DENY_NAME.search(text) or REDIRECT_CALL.search(text):
            return True
        arguments = [arg.value if isinstance(arg, ast.Starred) else arg for arg in value.args] + \
            [keyword.value for keyword in value.keywords]
        return STATUS_RESPONSE_CALL.search(text) is not None and any(_status(arg, DENY_STATUSES) for arg in arguments)
    if isinstance(value, ast.Tuple) and len(value.elts) >= 2:
        return _status(value.elts[-1], DENY_TUPLE_STATUSES)
    return False


def _status(node: ast.AST, statuses: tuple[str, ...]) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) is int and str(node.value) in statuses


class AuthAlwaysSucceeds(PythonTrigger):
    # The rule reports only a function, or a lambda assigned to a name, that names_verification
    # accepts: a name starting with one of AUTH_VERBS or AUTH_PREFIXES (AUTH_FUNCTION) that holds a
    # word of AUTH_OBJECT_WORDS. Both stages are built from those tables, not copied from them.
    TRIGGER = re.compile(rb"(?i)\bdef(?:\s|\\)+_*(?:" + "|".join(AUTH_VERBS).encode() + rb")(?:_|(?!\w))"
                         rb"|\bdef(?:\s|\\)+_*(?:" + "|".join(AUTH_PREFIXES).encode() + rb")|\blambda\b")
    _OBJECT_WORDS = tuple(sorted(word.encode() for word in AUTH_OBJECT_WORDS))

    @classmethod
    def wants(cls, raw: bytes, display: str) -> bool:
        # the name's object word is somewhere in the file (in any case), and a def or lambda that
        # may carry such a name
        lowered = raw.lower()
        return any(word in lowered for word in cls._OBJECT_WORDS) and cls.TRIGGER.search(raw) is not None

    @classmethod
    def has_site(cls, facts) -> bool:
        """A function named as a verification that returns and never raises (`sites_auth.exits`, its own
        statements) and either returns only truthy constants, or has a CREDENTIAL_PARAM parameter
        and may return something else than False/None (visit_FunctionDef); or
        `name = lambda ...: <True or an integer>` with such a name (visit_Assign)."""
        for kind in sites_auth.FUNCTION_TYPES:
            for function in sites_tree.nodes(facts, kind):
                if not names_verification(function.name):
                    continue
                returns, raises = sites_auth.exits(function)
                if raises or not returns:
                    continue
                values = [node.value for node in returns]
                if all(may_be_truthy_constant(value) for value in values):
                    return True
                parameters = (*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs)
                if any(CREDENTIAL_PARAM.match(parameter.arg) for parameter in parameters) \
                        and not all(_surely_falsy(value) for value in values):
                    return True
        for assign in sites_tree.nodes(facts, ast.Assign):
            if isinstance(assign.value, ast.Lambda) and may_be_truthy_constant(assign.value.body):
                for target in assign.targets:
                    name = target.id if isinstance(target, ast.Name) else target.attr if isinstance(target, ast.Attribute) \
                        else ""
                    if name and names_verification(name, bare_verbs=False):
                        return True
        return False


def may_be_truthy_constant(node: ast.AST) -> bool:
    """`True` or an integer (libcst's `_truthy_constant` reads `0x0` as truthy: every integer counts)."""
    return isinstance(node, ast.Constant) and (node.value is True or type(node.value) is int)


def _surely_falsy(node: ast.AST | None) -> bool:
    """A bare return, False or None (not 0: libcst's `_falsy` reads `0x0` as truthy)."""
    return node is None or isinstance(node, ast.Constant) and (node.value is False or node.value is None)
