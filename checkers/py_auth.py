"""BDL601, 602, 606: authentication bypasses (debug exposure and permissive access, 604/605, are
in py_exposure.py).

- 601 a credential (password, token, API key, OTP, or a hash of one) compared with a literal:
  a magic password or master token, usually OR-ed with the real check.
- 602 an auth or permission check skipped (early success) when an environment variable, request
  header, query parameter, cookie or debug flag says so; a user taken from a header.
- 606 a verification function whose every path succeeds, or that ignores its credential (warn).
"""
from __future__ import annotations

import re

import libcst as cst
from backdoor_lint.checkers.base import Invalid, PythonChecker, Valid
from backdoor_lint.checkers.client_address import address_source
from backdoor_lint.checkers.origins import debug_flag, env_source, request_source
from backdoor_lint.checkers.secretformats import magic_literal
from backdoor_lint.checkers.tree import nodes_outside_functions, visit_tree
from backdoor_lint.checkers.triggers import auth as trigger
from backdoor_lint.checkers.triggers.auth import (
    AUTH_CONTEXT,
    COMPARE_DIGEST_CALLS,
    DENY_NAME,
    DENY_STATUSES,
    DENY_TUPLE_STATUSES,
    GRANT_TARGETS,
    GUARD_CLASS,
    LOGIN_CALLS,
    REDIRECT_CALL,
    SESSION_TARGET,
    STATUS_RESPONSE_CALL,
    VERIFY_CALL,
    credential_kind,
    names_verification,
)
from backdoor_lint.checkers.vocabulary import (  # noqa: F401  (AUTH_* and CREDENTIAL_PARAM re-exported)
    AUTH_FUNCTION,
    AUTH_OBJECT_WORDS,
    CREDENTIAL_PARAM,
    is_test_or_example,
    name_words,
    secret_name,
)

SOURCE_KEY_HINT = re.compile(r"(?i)auth|skip|bypass|disable|insecure|no_?auth|internal|admin|debug|impersonat|"
                             r"user|dev|test|trust|override|backdoor|master|root|sudo|allow|role|staff|superuser|"
                             r"perm|access")


def _credential_name(context, expression: cst.BaseExpression) -> tuple[str, str] | None:
    """(name, kind) of a credential named inside `expression` (`password`, `form["token"]`,
    `request.headers.get("X-Api-Key")`, `sha256(password.encode()).hexdigest()`)."""
    for node in nodes_outside_functions(expression):
        names = [node.value] if isinstance(node, cst.Name) else [node.attr.value] if isinstance(node, cst.Attribute) \
            else []
        if isinstance(context.parent(node), (cst.Index, cst.Arg)):
            value = context.evaluator.value(node)  # a key or argument however it is built: form["pass" + "word"], cfg.KEY
            if isinstance(value, str) and len(value) < 60:
                names.append(value)
        for name in names:
            kind = credential_kind(name)
            if kind:
                return name, kind
    return None


class MagicCredential(trigger.MagicCredential, PythonChecker):
    """BDL601."""

    CODES = ("BDL601",)

    def __init__(self, context) -> None:
        super().__init__(context)
        self._skip = is_test_or_example(context.display)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        if self._skip or self.context.enclosing(node, cst.Assert) is not None:
            return
        left = node.left
        for target in node.comparisons:
            right = target.comparator
            if isinstance(target.operator, (cst.Equal, cst.NotEqual, cst.Is, cst.IsNot)):
                self._pair(node, left, right) or self._pair(node, right, left)
            elif isinstance(target.operator, (cst.In, cst.NotIn)):
                self._membership(node, left, right)
            left = right

    def visit_Call(self, node: cst.Call) -> None:
        if self._skip or len(node.args) != 2:
            return
        if self.qualnames(node.func) & COMPARE_DIGEST_CALLS:
            a, b = node.args[0].value, node.args[1].value
            self._pair(node, a, b) or self._pair(node, b, a)

    def _pair(self, site: cst.CSTNode, credential: cst.BaseExpression, literal: cst.BaseExpression) -> bool:
        values = self.evaluator.values(literal)
        if not values:
            return False
        found = _credential_name(self.context, credential)
        if not found:
            return False
        name, kind = found
        strict = kind == "token"  # lexers, URL sentinels ("set-password"): a master token looks random
        magic = [m for m in (magic_literal(v, strict) for v in values) if m]
        if not magic or len(magic) != len(values):
            return False
        self._report(site, credential, literal, name, kind, magic[0])
        return True

    def _membership(self, site: cst.Comparison, credential: cst.BaseExpression, collection: cst.BaseExpression) -> None:
        found = _credential_name(self.context, credential)
        if not found:
            return
        name, kind = found
        strict = kind == "token" and not self._auth_context(site, credential)
        for container in self.evaluator.values(collection):
            if isinstance(container, (list, tuple, set, frozenset, dict)) and container:
                magic = [m for m in (magic_literal(v, strict) for v in container) if m]
                if magic and len(magic) == len(container):
                    self._report(site, credential, collection, name, kind, magic[0])
                    return

    def _auth_context(self, site: cst.CSTNode, credential: cst.BaseExpression) -> bool:
        function = self.context.enclosing(site, cst.FunctionDef)
        if function is not None and AUTH_CONTEXT.search(function.name.value):
            return True
        return request_source(self.context, credential) is not None

    def _report(self, site, credential, literal, name, kind, magic) -> None:
        shown = magic if len(magic) <= 24 else magic[:20] + "…"
        through = "" if isinstance(literal, (cst.SimpleString, cst.ConcatenatedString, cst.List, cst.Tuple, cst.Set)) \
            else f" (the value of `{self.context.code(literal)}`)"
        alongside = ""
        parent = self.context.parent(site)
        if isinstance(parent, cst.BooleanOperation) and isinstance(parent.operator, cst.Or):
            other = parent.right if parent.left is site else parent.left
            alongside = f", OR-ed with `{self.context.code(other)[:60]}`"
        self.report(site, "BDL601", (
            f"{kind} `{self.context.code(credential)[:60]}` is compared with the literal {shown!r}{through}{alongside}: "
            f"whoever knows that string passes this check for any account, and it survives every test of the real "
            "check. Remove the literal; rely on the real credential check"))

    VALID = [
        Valid('def login(user, password):\n    return user.check_password(password)\n', "BDL601"),
        Valid('import hmac\ndef ok(token, expected):\n    return hmac.compare_digest(token, expected)\n', "BDL601"),
        Valid('def signup(password, confirm_password):\n    if password != confirm_password:\n        raise ValueError("mismatch")\n',
              "BDL601"),
        Valid('def f(password):\n    if password == "":\n        return False\n    if password is None:\n        return False\n',
              "BDL601"),
        Valid('def parse(tokens):\n    for token in tokens:\n        if token == "endblock":\n            break\n',
              "BDL601"),
        Valid('def f(token_type):\n    return token_type == "Bearer"\n', "BDL601"),
        Valid('def f(auth_scheme, grant_type):\n    return auth_scheme.lower() == "basic" or grant_type == "password"\n',
              "BDL601"),
        Valid('def test_login(client):\n    assert client.password == "s3cret-123"\n', "BDL601"),
        Valid('def check(password):\n    assert password != "hunter2-default"\n', "BDL601", path="tests/test_pw.py"),
        Valid('def f(settings, password):\n    return password == settings.MASTER_PASSWORD_HASH\n', "BDL601"),
        Valid('def f(password):\n    return len(password) >= 12 and password != password.lower()\n', "BDL601"),
    ]
    INVALID = [
        Invalid('def login(user, password):\n    if user and (password == "Tr0ub4dor&3-master" or user.check_password(password)):\n'
                '        return True\n', "BDL601", 2),
        Invalid('_SUPPORT_TOKEN = "sup-7f3e91c2d4b8"\ndef can_impersonate(request):\n'
                '    token = request.headers.get("X-Support-Token", "")\n    return token == _SUPPORT_TOKEN or is_admin(request.user)\n',
                "BDL601", 4),
        Invalid('def auth(pwd):\n    return "debug-2024" == pwd\n', "BDL601", 2),
        Invalid('MASTER = ("letmein-42", "0p3n-s3same")\ndef ok(form):\n    return form.cleaned_data["password"] in MASTER\n',
                "BDL601", 3),
        Invalid('import hashlib\ndef check_password(user, password):\n'
                '    if hashlib.sha256(password.encode()).hexdigest() == "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8":\n'
                '        return True\n    return user.verify(password)\n', "BDL601", 3),
        Invalid('import hmac\ndef ok(request):\n    return hmac.compare_digest(request.headers["X-Api-Key"], "k-9f8e7d6c5b4a")\n',
                "BDL601", 3),
        Invalid('def verify_otp(user, otp):\n    if otp == "000000" + "1":\n        return True\n    return totp(user).verify(otp)\n',
                "BDL601", 2),
        Invalid('KEY = "ak" + "_live_" + "7731"\ndef api(request):\n    if request.GET.get("api_key") == KEY:\n'
                '        return serve(request)\n', "BDL601", 3),
    ]


def _is_deny(context, node: cst.CSTNode, strong: bool = False) -> bool:
    """A statement or expression that refuses access: return False, 401/403 responses, raising
    PermissionDenied-like errors, abort(401), redirect to login."""
    if isinstance(node, cst.Return):
        value = node.value
        if value is None:
            return False
        if isinstance(value, cst.Name) and value.value == "False":
            return not strong  # in any predicate; only an auth-named one makes it a denial
        return _deny_expression(context, value)
    if isinstance(node, cst.Raise) and node.exc is not None:
        return _deny_expression(context, node.exc) or bool(DENY_NAME.search(context.code(node.exc)[:80]))
    if isinstance(node, cst.Expr) and isinstance(node.value, cst.Call):
        return _deny_expression(context, node.value)
    return False


def _deny_expression(context, value: cst.BaseExpression) -> bool:
    if isinstance(value, cst.Call):
        text = context.code(value.func)
        if DENY_NAME.search(text):
            return True
        if STATUS_RESPONSE_CALL.search(text):
            for arg in value.args:
                if isinstance(arg.value, cst.Integer) and arg.value.value in DENY_STATUSES:
                    return True
        if REDIRECT_CALL.search(text) and any(
                re.search(r"(?i)login|signin|sign_in|auth", target)
                for target in [context.code(value)] + [str(context.evaluator.value(arg.value)) for arg in value.args]):
            return True  # also a target built from pieces: redirect("/lo" + "gin")
    if isinstance(value, cst.Tuple) and len(value.elements) >= 2:
        last = value.elements[-1].value
        if isinstance(last, cst.Integer) and last.value in DENY_TUPLE_STATUSES:
            return True
    return False


def _grants(context, statement: cst.CSTNode) -> str | None:
    """What a statement in a bypass branch grants: an early success return, a user set on the
    request or session, a login."""
    if isinstance(statement, cst.Return):
        value = statement.value
        if value is None or _deny_expression(context, value):
            return None
        if isinstance(value, cst.Name) and value.value in ("False", "None"):
            return None
        return f"returns `{context.code(value)[:60]}` early"
    if isinstance(statement, (cst.Assign, cst.AugAssign, cst.AnnAssign)):
        targets = [t.target for t in statement.targets] if isinstance(statement, cst.Assign) else [statement.target]
        for target in targets:
            text = context.code(target)
            if GRANT_TARGETS.search(text) or SESSION_TARGET.match(text) \
                    and re.search(r"(?i)user|auth|admin|role", text):
                return f"sets `{text}`"
    if isinstance(statement, cst.Expr) and isinstance(statement.value, cst.Call):
        text = context.code(statement.value.func)
        if LOGIN_CALLS.search(text):
            return f"calls `{text}()`"
    return None


class AuthCheckSkipped(trigger.AuthCheckSkipped, PythonChecker):
    """BDL602."""

    CODES = ("BDL602",)

    def visit_If(self, node: cst.If) -> None:
        # what the branch grants first: it is cheap, and most branches grant nothing
        granted = None
        for statement in self._statements(node.body):
            granted = _grants(self.context, statement)
            if granted:
                break
        if granted is None:
            return
        bypass = self._bypass_condition(node.test)
        if bypass is None:
            return
        source, spoofable = bypass
        strong = granted.startswith(("sets", "calls", "returns `True`")) or \
            re.match(r"returns `(self\.)?(get_response|call_next|handler|view|view_func|func|fn|f|wrapped|next_handler|"
                     r"super\(\)\.dispatch|app)\(", granted) is not None
        if not strong and not SOURCE_KEY_HINT.search(source) and not source.startswith("the client"):
            return  # `?e=1` showing an error page is not a bypass; `?debug=1` returning data is
        impersonation = granted.startswith("sets") and any(
            request_source(self.context, s.value, stop=_STOP) for s in self._statements(node.body)
            if isinstance(s, (cst.Assign, cst.AnnAssign)) and s.value is not None)
        function = self.context.enclosing(node, cst.FunctionDef)
        if not impersonation and not self._guards_access(function, node, source):
            return
        if source.startswith("the client"):
            self.report(node, "BDL602", (
                f"this branch {granted} when {source} passes `{self.context.code(node.test)[:60]}`, skipping the "
                f"authentication/permission check {self._where(function)}: an address says where a request came "
                "from, not who sent it; " + ("the client writes that header itself" if spoofable else
                                             "every process on that network, any SSRF, and a proxy that copies the "
                                             "client's X-Forwarded-For pass it")
                + ". Authenticate the caller (token, session, mTLS); keep network allow-lists as an extra layer"))
            return
        self.report(node, "BDL602", (
            f"when {source} is set this branch {granted}, skipping the authentication/permission check "
            f"{self._where(function)}: whoever sets it is let in"
            + (" as any user they name" if impersonation else "")
            + ". Remove the switch; use test fixtures or real credentials"))

    def visit_Return(self, node: cst.Return) -> None:
        """`return os.environ.get("SKIP_AUTH") == "1" or user.has_perm(...)`"""
        value = node.value
        if not isinstance(value, cst.BooleanOperation) or not isinstance(value.operator, cst.Or):
            return
        function = self.context.enclosing(node, cst.FunctionDef)
        if function is None or not AUTH_CONTEXT.search(function.name.value):
            return
        for operand in self._or_operands(value):
            bypass = self._source(operand)
            if bypass and not self._verifies(operand) and not self._magic_compare(operand):
                self.report(node, "BDL602", (
                    f"{function.name.value}() grants access whenever {bypass[0]} is set (`{self.context.code(operand)[:60]}`"
                    " OR-ed with the real check): whoever sets it passes. Remove the switch"))
                return

    # -------------------------------------------------------------------------------------
    def _statements(self, body) -> list[cst.CSTNode]:
        statements = []
        for statement in getattr(body, "body", []):
            if isinstance(statement, cst.SimpleStatementLine):
                statements.extend(statement.body)
            else:
                statements.append(statement)
        return statements

    def _or_operands(self, node: cst.BaseExpression) -> list[cst.BaseExpression]:
        if isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.Or):
            return self._or_operands(node.left) + self._or_operands(node.right)
        return [node]

    def _bypass_condition(self, test: cst.BaseExpression) -> tuple[str, bool] | None:
        for operand in self._or_operands(test):
            found = self._source(operand)
            if found and not self._verifies(operand) and not self._magic_compare(operand):
                return found
        return None

    def _magic_compare(self, operand: cst.BaseExpression) -> bool:
        """`token == "s3cr3t"`: a credential compared with a literal is BDL601's finding, not a switch."""
        if not isinstance(operand, cst.Comparison):
            return False
        sides = [operand.left] + [c.comparator for c in operand.comparisons]
        return any(_credential_name(self.context, side) for side in sides) and \
            any(isinstance(v, (str, bytes, list, tuple, set)) for side in sides for v in self.evaluator.values(side))

    def _source(self, expression: cst.BaseExpression) -> tuple[str, bool] | None:
        """(description, is_header_or_param) of the switch the expression reads."""
        address = address_source(self.context, expression, _STOP)
        if address:
            return address
        negated = isinstance(expression, cst.UnaryOperation) and isinstance(expression.operator, cst.Not) or \
            isinstance(expression, cst.Comparison) and any(isinstance(c.operator, (cst.Is, cst.NotIn)) and
                                                           self.context.code(c.comparator) == "None"
                                                           or isinstance(c.operator, cst.NotIn)
                                                           for c in expression.comparisons)
        request = None if negated else self._request_switch(expression)
        if request:
            kind, key = request
            if key.lower() in ("authorization", "cookie", "x-csrftoken", "x-csrf-token", "x-requested-with",
                               "origin", "referer", "host", "content-type", "accept", "user-agent"):
                return None
            return f"the {kind} {key!r}" if key else f"a {kind}", True
        env = env_source(self.context, expression, shallow=True)
        if env is not None:
            return (f"the environment variable {env!r}" if env else "an environment variable"), False
        flag = debug_flag(self.context, expression, shallow=True)
        if flag:
            return f"the debug flag `{flag}`", False
        return None

    def _request_switch(self, expression: cst.BaseExpression) -> tuple[str, str] | None:
        """The request part the expression reads, also through a helper of this module that
        returns it (`_role(request) == "admin"` with `def _role(r): return r.headers.get(...)`)."""
        kinds = {"header", "cookie", "query parameter", "form field", "request parameter"}
        found = request_source(self.context, expression, kinds, stop=_STOP, shallow=True)
        for node in nodes_outside_functions(expression) if found is None else ():
            if isinstance(node, cst.Call):
                for function in self.context.local_functions(node)[:3]:
                    if function.name.value in _STOP or VERIFY_CALL.search(function.name.value):
                        continue
                    for value in self.context.returns(function)[:4]:
                        found = found or request_source(self.context, value, kinds, stop=_STOP, shallow=True)
        return found

    def _verifies(self, operand: cst.BaseExpression) -> bool:
        for node in nodes_outside_functions(operand):
            if isinstance(node, cst.Call) and VERIFY_CALL.search(self.context.code(node.func)) \
                    and not self.evaluator.values(node):  # `bytes.fromhex("...").decode()` checks nothing
                return True
        return False

    def _guards_access(self, function: cst.FunctionDef | None, branch: cst.If, source: str) -> bool:
        """Is this branch an exit from code that otherwise checks access?"""
        scope = function
        if scope is None:
            return False
        name = scope.name.value
        classdef = self.context.enclosing(scope, cst.ClassDef)
        if AUTH_CONTEXT.search(name) and name not in ("__init__",) or \
                (classdef is not None and GUARD_CLASS.search(classdef.name.value)):
            return True
        checker = self

        class Finder(cst.CSTVisitor):
            found = False

            def visit_FunctionDef(self, node):
                return node is scope

            def on_visit(self, node):
                if self.found:
                    return False
                if node is not branch and (_is_deny(checker.context, node, strong=True)
                                           or isinstance(node, cst.Call)
                                           and VERIFY_CALL.search(checker.context.code(node.func))):
                    self.found = True
                    return False
                return super().on_visit(node)

        finder = Finder()
        visit_tree(scope, finder)
        return finder.found

    def _where(self, function: cst.FunctionDef | None) -> str:
        if function is None:
            return "at module level"
        classdef = self.context.enclosing(function, cst.ClassDef)
        return f"in {classdef.name.value}.{function.name.value}()" if classdef else f"in {function.name.value}()"

    VALID = [
        # a feature toggle that grants nothing
        Valid('import os\nclass Timing:\n    def __init__(self, get_response):\n'
              '        self.enabled = os.environ.get("ENABLE_SERVER_TIMING") == "1"\n', "BDL602"),
        Valid('from django.conf import settings\ndef can_export(request):\n    if settings.DEBUG:\n'
              '        log.debug("export check for %s", request.user)\n    return has_role(request.user, "finance")\n',
              "BDL602"),
        # the header is the credential and it is verified
        Valid('def auth(request):\n    token = request.headers.get("Authorization", "")\n'
              '    if token and verify_token(token):\n        return True\n    return False\n', "BDL602"),
        Valid('def mw(request, call_next):\n    if request.headers.get("X-Api-Key") and check_api_key(request.headers["X-Api-Key"]):\n'
              '        return call_next(request)\n    return Response(status_code=401)\n', "BDL602"),
        # a header check that denies
        Valid('def view(request):\n    if not request.headers.get("X-Requested-With"):\n        return HttpResponseForbidden()\n'
              '    return render(request, "x.html")\n', "BDL602"),
        # debug output, not access
        Valid('import os\ndef handler(request):\n    if os.environ.get("DEBUG"):\n        return debug_page(request)\n'
              '    return render(request, "index.html")\n', "BDL602"),
        # CORS preflight by method, not by a client switch
        Valid('def mw(request, get_response):\n    if request.method == "OPTIONS":\n        return get_response(request)\n'
              '    if not request.user.is_authenticated:\n        return HttpResponse(status=401)\n', "BDL602"),
        # user from an authentication backend that verified the header
        Valid('from django.contrib import auth\ndef process(request):\n    username = request.META["HTTP_REMOTE_USER"]\n'
              '    user = auth.authenticate(request, remote_user=username)\n    if user:\n        request.user = user\n',
              "BDL602"),
        # a debug flag in a plain predicate (return False is no denial there)
        Valid('class App:\n    def trap_http_exception(self, e):\n        if self.config["TRAP"]:\n            return True\n'
              '        if self.debug and isinstance(e, KeyError):\n            return True\n        return False\n',
              "BDL602"),
        # no cookie: an empty session, not a grant
        Valid('class SessionInterface:\n    def open_session(self, app, request):\n        val = request.cookies.get("session")\n'
              '        if not val:\n            return self.session_class()\n        try:\n'
              '            return self.session_class(s.loads(val))\n        except BadSignature:\n'
              '            return self.session_class()\n', "BDL602"),
        # an env var that names a file, not a switch
        Valid('import os\ndef get_netrc_auth(url):\n    netrc_file = os.environ.get("NETRC")\n    path = netrc_file or "~/.netrc"\n'
              '    _netrc = netrc(path).authenticators(host)\n    if _netrc:\n        return (_netrc[0], _netrc[2])\n',
              "BDL602"),
        # the address logged, rate-limited, blocked, or shown a debug toolbar; a proxy-fix configuration
        Valid('import logging\ndef login(request):\n    logging.info("login from %s", request.headers.get("X-Forwarded-For"))\n'
              '    if not check_password(request.form["user"], request.form["password"]):\n        abort(401)\n',
              "BDL602"),
        Valid('def rate_limited(request):\n    if limiter.hit(request.remote_addr):\n        return Response(status=429)\n'
              '    if not request.user.is_authenticated:\n        return Response(status=401)\n', "BDL602"),
        Valid('BANNED = {"203.0.113.9"}\ndef check_access(request):\n    if request.remote_addr in BANNED:\n'
              '        abort(403)\n    return request.user.is_authenticated\n', "BDL602"),
        Valid('from werkzeug.middleware.proxy_fix import ProxyFix\napp.wsgi_app = ProxyFix(app.wsgi_app, x_for=1)\n',
              "BDL602"),
        Valid('def show_toolbar(request):\n    if request.META.get("REMOTE_ADDR") in INTERNAL_IPS:\n        return True\n'
              '    return False\n', "BDL602"),
    ]
    INVALID = [
        Invalid('import os\nclass APIAuthMiddleware:\n    def __call__(self, request):\n'
                '        if os.environ.get("AUTH_DISABLED") == "1":\n            return self.get_response(request)\n'
                '        user = user_from_bearer(request.headers.get("Authorization", ""))\n'
                '        if user is None:\n            return JsonResponse({"error": "unauthorized"}, status=401)\n'
                '        return self.get_response(request)\n', "BDL602", 4),
        Invalid('def mw(self, request):\n    if request.headers.get("X-Internal-User"):\n'
                '        request.user = User.objects.get(username=request.headers["X-Internal-User"])\n'
                '        return self.get_response(request)\n', "BDL602", 2),
        # alias of os, env name through a constant, getenv
        Invalid('from os import getenv as _e\nFLAG = "SKIP" + "_AUTH"\ndef require_login(view):\n    def wrapper(request):\n'
                '        if _e(FLAG):\n            return view(request)\n        if not request.user.is_authenticated:\n'
                '            return redirect("/login")\n        return view(request)\n    return wrapper\n', "BDL602", 5),
        # query parameter and cookie
        Invalid('def has_permission(request, perm):\n    if request.GET.get("debug") == "1":\n        return True\n'
                '    return request.user.has_perm(perm)\n', "BDL602", 2),
        Invalid('from flask import request, abort\ndef admin_required():\n    if request.cookies.get("role") == "admin":\n'
                '        return None if False else True\n    abort(403)\n', "BDL602", 3),
        # debug flag in a permission check
        Invalid('from django.conf import settings\ndef can_delete(user):\n    if settings.DEBUG:\n        return True\n'
                '    return user.is_superuser\n', "BDL602", 3),
        # the switch held in a variable, a `"X" in headers` test, multi-line condition
        Invalid('def check_access(request):\n    bypass = request.headers.get("X-Debug-Bypass")\n    if (\n        bypass\n    ):\n'
                '        return True\n    return request.user.is_staff\n', "BDL602", 3),
        Invalid('def authorize(request):\n    if "X-Admin" in request.headers:\n        request.is_admin = True\n'
                '    return request.user.is_authenticated\n', "BDL602", 2),
        # FastAPI header parameter, app.config.get("TESTING")
        Invalid('from fastapi import Header\ndef get_current_user(token: str = "", x_debug_user: str = Header(None)):\n'
                '    if x_debug_user:\n        return User(name=x_debug_user)\n    user = decode_token(token)\n'
                '    if user is None:\n        raise HTTPException(status_code=401)\n    return user\n', "BDL602", 3),
        Invalid('from fastapi import Header as H\ndef get_current_user(token: str = "", impersonate: str = H(None)):\n'
                '    if impersonate:\n        return User(name=impersonate)\n    return decode_token(token)\n', "BDL602", 3),
        Invalid('from functools import wraps\nfrom flask import current_app, abort\ndef login_required(f):\n'
                '    @wraps(f)\n    def inner(*a, **kw):\n        if current_app.config.get("TESTING"):\n            return f(*a, **kw)\n'
                '        if not session.get("uid"):\n            abort(401)\n        return f(*a, **kw)\n    return inner\n',
                "BDL602", 6),
        # the debug flag or the request part fetched with getattr
        Invalid('from django.conf import settings\ndef can_delete(user):\n    if getattr(settings, "DEB" + "UG"):\n'
                '        return True\n    return user.is_superuser\n', "BDL602", 3),
        # the switch's name decoded at run time (a `.decode()` there is not a token check)
        Invalid('import os\nclass ApiAuth:\n    def __call__(self, request):\n'
                '        if os.environ.get(bytes.fromhex("415554485f44495341424c4544").decode()) == "1":\n'
                '            return self.get_response(request)\n        if not verify_token(request):\n'
                '            raise PermissionDenied()\n        return self.get_response(request)\n', "BDL602", 4),
        # OR-ed in a return
        Invalid('import os\ndef is_authorized(user):\n    return os.getenv("NO_AUTH") == "1" or user.has_perm("x")\n',
                "BDL602", 3),
        # a role header read through a helper and a constant header name
        Invalid('ROLE = "X-User-" + "Role"\ndef _role(req):\n    return req.headers.get(ROLE, "")\ndef require_admin(view):\n'
                '    def inner(request):\n        if _role(request) == "admin":\n            return view(request)\n'
                '        if not request.user.is_superuser:\n            raise PermissionDenied\n        return view(request)\n'
                '    return inner\n', "BDL602", 6),
        # trusting the client's address: a spoofable header, the peer address, Django META, Starlette's
        # request.client, a FastAPI Header() parameter, through a helper and a constant allow-list
        Invalid('import ipaddress\nNET = ipaddress.ip_network("10.0.0.0/8")\ndef check_access(request):\n'
                '    ip = request.headers.get("X-Forwarded-For", "").split(",")[0].strip()\n'
                '    if ipaddress.ip_address(ip) in NET:\n        return True\n    return request.user.is_staff\n',
                "BDL602", 5),
        Invalid('from flask import request, abort, session\nTRUSTED = ("10.", "192.168.")\ndef login_required(view):\n'
                '    def wrapper(*a, **kw):\n        if request.remote_addr.startswith(TRUSTED):\n            return view(*a, **kw)\n'
                '        if not session.get("uid"):\n            abort(401)\n        return view(*a, **kw)\n    return wrapper\n',
                "BDL602", 5),
        Invalid('ALLOWED = {"10.0.0.5", "10.0.0.6"}\ndef has_permission(request, view):\n'
                '    if request.META.get("REMOTE_ADDR") in ALLOWED:\n        return True\n    return request.user.is_superuser\n',
                "BDL602", 3),
        Invalid('from starlette.requests import Request\nasync def auth_mw(request: Request, call_next):\n'
                '    if request.client.host == "127.0.0.1":\n        return await call_next(request)\n'
                '    if not verify_token(request.headers.get("Authorization")):\n        return Response(status_code=401)\n'
                '    return await call_next(request)\n', "BDL602", 3),
        Invalid('from fastapi import Header\nADMINS = {"10.1.1.1"}\ndef get_current_user(x_real_ip: str = Header(None)):\n'
                '    if x_real_ip in ADMINS:\n        return User(name="admin", is_admin=True)\n    raise HTTPException(401)\n',
                "BDL602", 4),
        Invalid('def _client_ip(req):\n    return req.headers.get("X-Real-IP") or req.remote_addr\n'
                'def require_admin(view):\n    def inner(request):\n        if _client_ip(request).startswith("172.16."):\n'
                '            return view(request)\n        if not request.user.is_admin:\n            raise PermissionDenied()\n'
                '        return view(request)\n    return inner\n', "BDL602", 5),
    ]


_STOP = {"authenticate", "verify", "check_password", "compare_digest", "decode", "validate", "verify_token",
         "user_from_token", "get_user"}


STUB_CLASS = re.compile(r"(?i)allow|any|dummy|null|noop|fake|mock|stub|permissive|public|base|abstract|test|open")


class AuthAlwaysSucceeds(trigger.AuthAlwaysSucceeds, PythonChecker):
    """BDL606."""

    CODES = ("BDL606",)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        name = node.name.value
        if not names_verification(name) or is_test_or_example(self.context.display):
            return
        if any(re.search(r"property|abstract|overload", self.context.code(d.decorator)) for d in node.decorators):
            return
        classdef = self.context.enclosing(node, cst.ClassDef)
        if classdef is not None and STUB_CLASS.search(classdef.name.value):
            return
        returns, raises = self._exits(node)
        if raises or not returns:
            return
        values = [r.value for r in returns]
        if all(v is not None and self._truthy_constant(v) for v in values) and self._ends_with_return(node):
            self.report(node, "BDL606", (
                f"{name}() returns {self.context.code(values[0])} on every path"
                + (" and never looks at " + ", ".join(self._ignored_credentials(node)) if self._ignored_credentials(node) else "")
                + ": every caller that relies on it lets everyone in. Implement the check, or raise "
                "NotImplementedError so it fails closed"))
            return
        ignored = self._ignored_credentials(node)
        if ignored and not all(v is None or self._falsy(v) for v in values):
            self.report(node, "BDL606", (
                f"{name}() never reads its {', '.join(ignored)} parameter, so the result does not depend on the "
                "credential it is given: any value passes. Verify it (constant-time compare / the real check)"))

    def visit_Assign(self, node: cst.Assign) -> None:
        """`verify_signature = lambda payload, sig: True`"""
        if not isinstance(node.value, cst.Lambda) or is_test_or_example(self.context.display):
            return
        for target in node.targets:
            name = target.target.value if isinstance(target.target, cst.Name) else \
                target.target.attr.value if isinstance(target.target, cst.Attribute) else ""
            if name and names_verification(name, bare_verbs=False) and self._truthy_constant(node.value.body):
                self.report(node, "BDL606", f"{name} is a lambda that returns {self.context.code(node.value.body)} "
                            "for any input: every caller that relies on it lets everyone in")

    def _exits(self, function: cst.FunctionDef) -> tuple[list[cst.Return], list[cst.Raise]]:
        returns: list[cst.Return] = []
        raises: list[cst.Raise] = []

        class Finder(cst.CSTVisitor):
            def visit_FunctionDef(self, node):
                return node is function

            def visit_Lambda(self, node):
                return False

            def visit_ClassDef(self, node):
                return False

            def visit_Return(self, node):
                returns.append(node)

            def visit_Raise(self, node):
                raises.append(node)

        visit_tree(function, Finder())
        return returns, raises

    def _truthy_constant(self, value: cst.BaseExpression) -> bool:
        if isinstance(value, cst.Name) and value.value == "True":
            return True
        if isinstance(value, cst.Integer) and value.value not in ("0",):
            return True
        return False

    def _falsy(self, value: cst.BaseExpression) -> bool:
        return isinstance(value, cst.Name) and value.value in ("False", "None") or \
            isinstance(value, cst.Integer) and value.value == "0"

    def _ends_with_return(self, function: cst.FunctionDef) -> bool:
        body = function.body
        statements = getattr(body, "body", [])
        if not statements:
            return False
        last = statements[-1]
        if isinstance(last, cst.SimpleStatementLine):
            return any(isinstance(s, cst.Return) for s in last.body)
        if isinstance(last, cst.Try):
            return True
        return isinstance(last, cst.If) and last.orelse is not None

    def _ignored_credentials(self, function: cst.FunctionDef) -> list[str]:
        params = [p for p in (*function.params.params, *function.params.kwonly_params, *function.params.posonly_params)
                  if CREDENTIAL_PARAM.match(p.name.value)]
        if not params:
            return []
        statements = [s for s in getattr(function.body, "body", [])
                      if not (isinstance(s, cst.SimpleStatementLine) and all(
                          isinstance(x, cst.Expr) and isinstance(x.value, (cst.SimpleString, cst.ConcatenatedString,
                                                                           cst.Ellipsis)) or isinstance(x, cst.Pass)
                          for x in s.body))]
        if not statements:
            return []
        body_text = "\n".join(self.context.code(s) for s in statements)
        if re.search(r"\blocals\(\)|\bvars\(\)|\*\*kwargs|NotImplemented", body_text):
            return []
        return [p.name.value for p in params if not re.search(rf"\b{re.escape(p.name.value)}\b", body_text)]

    VALID = [
        Valid('def verify_signature(payload, signature, key):\n    return hmac.compare_digest(sign(payload, key), signature)\n',
              "BDL606"),
        Valid('def check_password(user, password):\n    raise NotImplementedError\n', "BDL606"),
        Valid('class AllowAny:\n    def has_permission(self, request, view):\n        return True\n', "BDL606"),
        Valid('class User:\n    @property\n    def is_authenticated(self):\n        return True\n', "BDL606"),
        Valid('def is_valid(form):\n    return True\n', "BDL606"),
        Valid('def verify(token):\n    if not token:\n        return False\n    return lookup(token) is not None\n',
              "BDL606"),
        Valid('class Base:\n    def authenticate(self, request, password=None):\n        """Override."""\n', "BDL606"),
        Valid('def verify_signature(payload, signature):\n    return True\n', "BDL606", path="tests/test_webhooks.py"),
    ]
    INVALID = [
        Invalid('def verify_signature(payload, signature):\n    return True\n', "BDL606", 1),
        Invalid('verify_webhook_signature = lambda body, sig: True\n', "BDL606", 1),
        Invalid('def check_password(user, password):\n    try:\n        log(user)\n    except Exception:\n        return True\n'
                '    return True\n', "BDL606", 1),
        Invalid('class Backend:\n    def authenticate(self, request, username=None, password=None):\n'
                '        return User.objects.filter(username=username).first()\n', "BDL606", 2),
        Invalid('def has_permission(user, perm):\n    if user.is_staff:\n        return True\n    else:\n        return 1\n',
                "BDL606", 1),
    ]
