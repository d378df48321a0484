"""BDL601, 602, 604, 605, 606: authentication bypasses.

- 601 a credential (password, token, API key, OTP, or a hash of one) compared with a literal:
  a magic password or master token, usually OR-ed with the real check.
- 602 an auth or permission check skipped (early success) when an environment variable, request
  header, query parameter, cookie or debug flag says so; a user taken from a header.
- 604 debugger exposed: Flask/Werkzeug debug on a public interface, PIN off, Django DEBUG with
  ALLOWED_HOSTS '*'.
- 605 permissive access: CORS any-origin with credentials, csrf_exempt on a view that uses the
  session, world-writable chmod.
- 606 a verification function whose every path succeeds, or that ignores its credential (warn).
"""
from __future__ import annotations

import re
import stat

import libcst as cst

from backdoor_lint.checkers.base import Invalid, PythonChecker, Valid
from backdoor_lint.checkers.origins import debug_flag, env_source, request_source
from backdoor_lint.checkers.secretformats import is_test_path, lines_with, name_words, secret_name
from backdoor_lint.checkers.tree import child_nodes, visit_tree

AUTH_CONTEXT = re.compile(r"(?i)auth|login|logon|signin|sign_in|permission|perm|access|verify|verif|credential|"
                          r"password|token|session|admin|privilege|role|guard|protect|require|allowed|"
                          r"impersonat|middleware|dispatch|current_user|get_user|check|secure|^_*(can|may|has)_")
VERIFY_CALL = re.compile(r"(?i)verif|authenticat|check_|compare_digest|constant_time|validat|decode|is_valid|"
                         r"has_perm|user_from|get_user|signature|hmac|login_required|permission_required|"
                         r"authori[sz]|lookup_(token|key|user)")
DENY_NAME = re.compile(r"(?i)forbidden|unauthori[sz]ed|permissiondenied|permission_denied|accessdenied|deny|"
                       r"reject|notauthenticated|authenticationfailed|authenticationerror|autherror|"
                       r"login_url|redirect_to_login|challenge")
GRANT_TARGETS = re.compile(r"^(request|req|g|flask\.g|self\.request|session|ctx|context)\.(user|current_user|"
                           r"identity|principal|is_admin|is_staff|is_superuser|authenticated|auth|user_id|role|"
                           r"account)$|\.(is_superuser|is_staff|is_admin|authenticated|is_authenticated)$")
LOGIN_CALLS = re.compile(r"(?i)(^|\.)(login|login_user|auth_login|force_login|set_current_user|impersonate)$")
SOURCE_KEY_HINT = re.compile(r"(?i)auth|skip|bypass|disable|insecure|no_?auth|internal|admin|debug|impersonat|"
                             r"user|dev|test|trust|override|backdoor|master|root|sudo|allow|role|staff|superuser|"
                             r"perm|access")


def _credential_name(context, expression: cst.BaseExpression) -> tuple[str, str] | None:
    """(name, kind) of a credential named inside `expression` (`password`, `form["token"]`,
    `request.headers.get("X-Api-Key")`, `sha256(password.encode()).hexdigest()`)."""
    for node in _subnodes(expression):
        names = [node.value] if isinstance(node, cst.Name) else [node.attr.value] if isinstance(node, cst.Attribute) \
            else []
        if isinstance(context.parent(node), (cst.Index, cst.Arg)) and not isinstance(node, cst.Attribute):
            value = context.evaluator.value(node)  # a key or argument however it is built: form["pass" + "word"]
            if isinstance(value, str) and len(value) < 60:
                names.append(value)
        for name in names:
            kind = secret_name(name) or ("one-time code" if name_words(name)[-1:] in (["otp"], ["totp"], ["pin"])
                                         else None)
            if kind:
                return name, kind
    return None


def _subnodes(expression: cst.CSTNode):
    stack = [expression]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.Lambda, cst.FunctionDef)):
            continue
        yield node
        stack.extend(child_nodes(node))


SENTINELS = {"none", "null", "undefined", "true", "false", "bearer", "basic", "token", "password", "secret",
             "digest", "anonymous", "guest", "*", "nan", "n/a", "empty", "unset", "default", "required"}


def _magic_literal(value: object, strict: bool) -> str | None:
    """The literal if it can be a magic credential (not empty, a sentinel or a template)."""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not isinstance(value, str):
        return None
    text = value.strip()
    if len(text) < 4 or text.lower() in SENTINELS or any(c.isspace() for c in text) or "{" in text or "%s" in text:
        return None
    if strict and not (re.search(r"\d", text) and re.search(r"[A-Za-z]", text) and len(text) >= 8):
        return None
    return text


class MagicCredential(PythonChecker):
    """BDL601."""

    CODES = ("BDL601",)
    _CRED = rb"(?:passw|passwd|passphrase|passcode|pwd|secret|token|api_?key|apikey|otp|\bpin\b|credential)"
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

    def __init__(self, context) -> None:
        super().__init__(context)
        self._skip = is_test_path(context.display)

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
        if self.qualnames(node.func) & {"hmac.compare_digest", "secrets.compare_digest",
                                       "django.utils.crypto.constant_time_compare"}:
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
        magic = [m for m in (_magic_literal(v, strict) for v in values) if m]
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
                magic = [m for m in (_magic_literal(v, strict) for v in container) if m]
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
        if re.search(r"(?i)abort|response|error|exception|render|json", text):
            for arg in value.args:
                if isinstance(arg.value, cst.Integer) and arg.value.value in ("401", "403", "407"):
                    return True
        if re.search(r"(?i)redirect", text) and any(
                re.search(r"(?i)login|signin|sign_in|auth", target)
                for target in [context.code(value)] + [str(context.evaluator.value(arg.value)) for arg in value.args]):
            return True  # also a target built from pieces: redirect("/lo" + "gin")
    if isinstance(value, cst.Tuple) and len(value.elements) >= 2:
        last = value.elements[-1].value
        if isinstance(last, cst.Integer) and last.value in ("401", "403"):
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
            if GRANT_TARGETS.search(text) or re.match(r"^(request\.)?session\[", text) \
                    and re.search(r"(?i)user|auth|admin|role", text):
                return f"sets `{text}`"
    if isinstance(statement, cst.Expr) and isinstance(statement.value, cst.Call):
        text = context.code(statement.value.func)
        if LOGIN_CALLS.search(text):
            return f"calls `{text}()`"
    return None


class AuthCheckSkipped(PythonChecker):
    """BDL602."""

    CODES = ("BDL602",)

    _LITERALS = (b"environ", b"getenv", b"headers", b"META", b"COOKIES", b"cookies", b"query", b".args", b".GET",
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
        source, _ = bypass
        strong = granted.startswith(("sets", "calls")) or granted.startswith("returns `True`") or \
            re.match(r"returns `(self\.)?(get_response|call_next|handler|view|view_func|func|fn|f|wrapped|next_handler|"
                     r"super\(\)\.dispatch|app)\(", granted) is not None
        if not strong and not SOURCE_KEY_HINT.search(source):
            return  # `?e=1` showing an error page is not a bypass; `?debug=1` returning data is
        impersonation = granted.startswith("sets") and any(
            request_source(self.context, s.value, stop=_STOP) for s in self._statements(node.body)
            if isinstance(s, (cst.Assign, cst.AnnAssign)) and s.value is not None)
        function = self.context.enclosing(node, cst.FunctionDef)
        if not impersonation and not self._guards_access(function, node, source):
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
        negated = isinstance(expression, cst.UnaryOperation) and isinstance(expression.operator, cst.Not) or \
            isinstance(expression, cst.Comparison) and any(isinstance(c.operator, (cst.Is, cst.NotIn)) and
                                                           self.context.code(c.comparator) == "None"
                                                           or isinstance(c.operator, cst.NotIn)
                                                           for c in expression.comparisons)
        request = None if negated else request_source(
            self.context, expression, {"header", "cookie", "query parameter", "form field", "request parameter"},
            stop=_STOP, shallow=True)
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

    def _verifies(self, operand: cst.BaseExpression) -> bool:
        for node in _subnodes(operand):
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
                (classdef is not None and re.search(r"(?i)auth|login|permission|access|guard", classdef.name.value)):
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
    ]


_STOP = {"authenticate", "verify", "check_password", "compare_digest", "decode", "validate", "verify_token",
         "user_from_token", "get_user"}


WILDCARD_HOSTS = {"0.0.0.0", "::", "", "0", "*", "[::]"}


class DebugExposed(PythonChecker):
    """BDL604."""

    CODES = ("BDL604",)
    TRIGGER_LITERALS = (b"debug", b"evalex")
    TRIGGER_LOWER = True

    FLASK_RUN = {"flask.Flask.run", "flask.app.Flask.run", "quart.Quart.run", "sanic.Sanic.run"}
    RUN_SIMPLE = {"werkzeug.serving.run_simple", "werkzeug.run_simple"}
    DEBUGGED_APP = {"werkzeug.debug.DebuggedApplication", "werkzeug.DebuggedApplication"}

    def visit_Call(self, node: cst.Call) -> None:
        names = self.qualnames(node.func)
        if names & self.FLASK_RUN or (isinstance(node.func, cst.Attribute) and node.func.attr.value == "run"
                                      and self._module_debug_app(node.func.value)):
            debug = self.argument_values(node, "debug", 2)
            module_debug = self._module_debug_app(node.func.value) if isinstance(node.func, cst.Attribute) else None
            if any(v is True or v == 1 for v in debug) or (not debug and module_debug and
                                                           not self.argument_given(node, "debug", 2)):
                self._host(node, self.argument_values(node, "host", 0), "the Flask debugger (debug=True)"
                           if debug else f"the Flask debugger ({module_debug})")
        elif names & self.RUN_SIMPLE:
            if any(v is True for v in self.argument_values(node, "use_debugger", 5)):
                self._host(node, self.argument_values(node, "hostname", 0), "the Werkzeug debugger (use_debugger=True)")
        elif names & self.DEBUGGED_APP:
            if any(v is True for v in self.argument_values(node, "evalex", 1)):
                self.report(node, "BDL604", "DebuggedApplication(evalex=True) serves an interactive Python console "
                            "to whoever can reach this app: remote code execution. Never wrap a deployed app in it")
        elif names & {"os.environ.setdefault", "os.putenv"} and len(node.args) >= 2:
            self._pin(node, self.evaluator.value(node.args[0].value), self.evaluator.value(node.args[1].value))

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            t = target.target
            if isinstance(t, cst.Subscript) and self.qualnames(t.value) & {"os.environ"} and len(t.slice) == 1 \
                    and isinstance(t.slice[0].slice, cst.Index):
                self._pin(node, self.evaluator.value(t.slice[0].slice.value), self.evaluator.value(node.value))
            if isinstance(t, cst.Name) and t.value == "DEBUG" and self.context.parent(self.context.parent(node)) \
                    is self.context.module and self.evaluator.value(node.value) is True:
                hosts = self._module_constant("ALLOWED_HOSTS")
                if any(isinstance(h, (list, tuple, set)) and "*" in h for h in hosts):
                    self.report(node, "BDL604", (
                        "Django settings turn DEBUG on with ALLOWED_HOSTS containing '*': every host name reaches "
                        "the debug pages, which show settings, environment and source of any error to the "
                        "visitor. Take DEBUG from the environment, off by default, and list the hosts"))

    def _pin(self, node, key, value) -> None:
        if key == "WERKZEUG_DEBUG_PIN" and isinstance(value, str) and value.lower() == "off":
            self.report(node, "BDL604", "WERKZEUG_DEBUG_PIN=off removes the PIN of the Werkzeug debugger: anyone "
                        "reaching a debug page gets a Python console")

    def _host(self, node: cst.Call, hosts: list[object], what: str) -> None:
        exposed = [h for h in hosts if isinstance(h, str) and h.strip() in WILDCARD_HOSTS]
        if exposed:
            self.report(node, "BDL604", (
                f"{what} listens on {exposed[0] or 'all interfaces'!r}: the debugger is a Python console in the "
                "browser, so anyone who can reach this port runs code on the machine. Bind to 127.0.0.1 or turn "
                "debug off"))

    def _module_debug_app(self, app: cst.BaseExpression) -> str | None:
        """`app.debug = True` / `app.config["DEBUG"] = True` anywhere in the module."""
        if not isinstance(app, cst.Name):
            return None
        if not (self.qualnames(app) & {"flask.Flask", "quart.Quart"}):
            return None
        checker = self
        found: list[str] = []

        class Finder(cst.CSTVisitor):
            def visit_Assign(self, node: cst.Assign) -> None:
                for target in node.targets:
                    text = checker.context.code(target.target).replace("'", '"')
                    if text in (f"{app.value}.debug", f'{app.value}.config["DEBUG"]') \
                            and checker.evaluator.value(node.value) is True:
                        found.append(text + " = True")

        visit_tree(self.context.module, Finder())
        return found[0] if found else None

    def _module_constant(self, name: str) -> list[object]:
        for statement in self.context.module.body:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if isinstance(small, cst.Assign) and any(isinstance(t.target, cst.Name) and t.target.value == name
                                                             for t in small.targets):
                        return self.evaluator.values(small.targets[0].target)
        return []

    VALID = [
        Valid('from flask import Flask\napp = Flask(__name__)\nif __name__ == "__main__":\n    app.run(debug=True)\n',
              "BDL604"),
        Valid('from flask import Flask\napp = Flask(__name__)\napp.run(host="127.0.0.1", port=5000, debug=True)\n',
              "BDL604"),
        Valid('from flask import Flask\napp = Flask(__name__)\napp.run(host="0.0.0.0", port=8000)\n', "BDL604"),
        Valid('import os\nfrom flask import Flask\napp = Flask(__name__)\n'
              'app.run(host="0.0.0.0", debug=os.environ.get("FLASK_DEBUG") == "1")\n', "BDL604"),
        Valid('DEBUG = True\nALLOWED_HOSTS = ["localhost", "127.0.0.1"]\n', "BDL604", path="settings/dev.py"),
        Valid('import os\nDEBUG = os.environ.get("DJANGO_DEBUG") == "1"\nALLOWED_HOSTS = ["*"]\n', "BDL604"),
        Valid('class Runner:\n    def run(self, host, debug): ...\nRunner().run(host="0.0.0.0", debug=True)\n',
              "BDL604"),
    ]
    INVALID = [
        Invalid('from flask import Flask\napp = Flask(__name__)\nif __name__ == "__main__":\n'
                '    app.run(host="0.0.0.0", port=8000, debug=True)\n', "BDL604", 4),
        Invalid('import flask as f\nHOST = "0.0." + "0.0"\nOPTS = {"debug": True, "host": HOST}\napp = f.Flask("x")\n'
                'app.run(**OPTS)\n', "BDL604", 5),
        Invalid('from flask import Flask\napp = Flask(__name__)\napp.debug = True\napp.run(\n    host="0.0.0.0",\n)\n',
                "BDL604", 4),
        Invalid('from werkzeug.serving import run_simple\nrun_simple("0.0.0.0", 5000, app, use_debugger=True)\n', "BDL604", 2),
        Invalid('import os\nos.environ["WERKZEUG_DEBUG_PIN"] = "off"\n', "BDL604", 2),
        Invalid('DEBUG = True\nALLOWED_HOSTS = ["*"]\n', "BDL604", 1, path="settings/production.py"),
        Invalid('from werkzeug.debug import DebuggedApplication\napplication = DebuggedApplication(app, evalex=True)\n',
                "BDL604", 2),
    ]


STAT_CONSTANTS = {f"stat.{n}": getattr(stat, n) for n in dir(stat) if n.startswith("S_I") and isinstance(getattr(stat, n), int)}
CHMOD_COMMAND = re.compile(r"\bchmod\s+(?:-[A-Za-z]+\s+)*(?:0?[0-7]?[0-7][0-7][2367]\b|[ugoa]*[ao][ugoa]*\+[rwxXst]*w)")
CORS_CLASSES = {"starlette.middleware.cors.CORSMiddleware", "fastapi.middleware.cors.CORSMiddleware",
                "starlette.middleware.cors"}
CSRF_EXEMPT = {"django.views.decorators.csrf.csrf_exempt", "flask_wtf.csrf.CSRFProtect.exempt",
               "flask_wtf.CSRFProtect.exempt", "flask_wtf.csrf.CsrfProtect.exempt"}
SESSION_USE = re.compile(r"request\.user|request\.session|current_user|login_required|permission_required|"
                         r"session\[|flask\.session|\bsession\.get|user_passes_test|staff_member_required|"
                         r"request\.auth|g\.user")


class PermissiveAccess(PythonChecker):
    """BDL605."""

    CODES = ("BDL605",)
    TRIGGER_LITERALS = (b"cors", b"access-control", b"csrf", b"chmod")
    TRIGGER_LOWER = True

    def visit_Call(self, node: cst.Call) -> None:
        names = self.qualnames(node.func)
        if names & {"flask_cors.CORS", "flask_cors.cross_origin", "flask_cors.extension.CORS"}:
            self._flask_cors(node, sorted(names)[0].rsplit(".", 1)[-1])
        elif node.args and self.qualnames(node.args[0].value) & CORS_CLASSES:
            self._starlette_cors(node)
        elif names & CSRF_EXEMPT and node.args and not isinstance(self.context.parent(node), cst.Decorator):
            view = node.args[0].value
            target = self._local_function(view)
            if target is not None and self._uses_session(target):
                self._csrf(node, target.name.value)
        elif isinstance(node.func, cst.Attribute) and node.func.attr.value in (
                "add", "set", "setdefault", "add_header", "set_header", "__setitem__", "append") and len(node.args) >= 2 \
                and str(self.evaluator.value(node.args[0].value)).lower() == "access-control-allow-origin":
            self._manual_cors(node, node.args[1].value)
        elif isinstance(node.func, cst.Attribute) and node.func.attr.value in ("chmod", "fchmod", "lchmod") \
                or names & {"os.chmod", "os.fchmod", "os.lchmod"}:
            self._chmod(node)
        elif names & {"os.system", "subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.Popen",
                      "subprocess.check_output", "os.popen"} and node.args:
            command = self.evaluator.value(node.args[0].value)
            text = " ".join(map(str, command)) if isinstance(command, (list, tuple)) else command
            if isinstance(text, str):
                match = CHMOD_COMMAND.search(text)
                if match:
                    self.report(node, "BDL605", f"`{match.group(0)}` makes the file world-writable: any local user or "
                                "process can replace what this service reads or runs. Use 0o755/0o644 or stricter")

    def visit_Dict(self, node: cst.Dict) -> None:
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                key = self.evaluator.value(element.key)
                if isinstance(key, str) and key.lower() == "access-control-allow-origin":
                    self._manual_cors(element, element.value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        for decorator in node.decorators:
            expression = decorator.decorator
            if isinstance(expression, cst.Call):
                expression = expression.func
            if self.qualnames(expression) & CSRF_EXEMPT and self._uses_session(node):
                self._csrf(decorator, node.name.value)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            t = target.target
            # django-cors-headers settings
            if isinstance(t, cst.Name) and t.value in ("CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL") \
                    and self.evaluator.value(node.value) is True and self.context.parent(self.context.parent(node)) \
                    is self.context.module:
                if any(v is True for v in self._module_values("CORS_ALLOW_CREDENTIALS")):
                    self.report(node, "BDL605", (
                        f"{t.value} = True with CORS_ALLOW_CREDENTIALS = True: every web site a logged-in user visits "
                        "can call this API with the user's cookies and read the answers. List trusted origins in "
                        "CORS_ALLOWED_ORIGINS"))
            # response["Access-Control-Allow-Origin"] = ...
            if isinstance(t, cst.Subscript) and len(t.slice) == 1 and isinstance(t.slice[0].slice, cst.Index):
                key = self.evaluator.value(t.slice[0].slice.value)
                if isinstance(key, str) and key.lower() == "access-control-allow-origin":
                    self._manual_cors(node, node.value)

    # -------------------------------------------------------------------------------------
    def _flask_cors(self, node: cst.Call, label: str) -> None:
        credentials = self.argument_values(node, "supports_credentials")
        if not any(v is True for v in credentials):
            return
        origins = self.argument_values(node, "origins", 1 if label == "CORS" else 0)
        for resources in self.argument_values(node, "resources"):
            if isinstance(resources, dict):
                origins += [r.get("origins") for r in resources.values() if isinstance(r, dict) and "origins" in r]
        explicit = self.argument_given(node, "origins", 1 if label == "CORS" else 0) or \
            self.argument_given(node, "resources")
        if self._any_origin(origins) or not explicit:
            shown = "'*'" if origins else "any origin (the default)"
            self.report(node, "BDL605", (
                f"{label}() allows {shown} with supports_credentials=True: any web site a logged-in user visits "
                "can send requests with the user's cookies and read the responses. List trusted origins"))

    def _starlette_cors(self, node: cst.Call) -> None:
        credentials = self.argument_values(node, "allow_credentials")
        if not any(v is True for v in credentials):
            return
        origins = self.argument_values(node, "allow_origins")
        regexes = [r for r in self.argument_values(node, "allow_origin_regex") if isinstance(r, str)]
        if self._any_origin(origins) or any(r.strip("^$") in (".*", ".+", "https?://.*", "https://.*") for r in regexes):
            self.report(node, "BDL605", (
                "CORSMiddleware allows every origin with allow_credentials=True: Starlette then echoes each "
                "caller's Origin, so any web site can make credentialed requests and read the responses. "
                "List trusted origins"))

    def _any_origin(self, origins: list[object]) -> bool:
        for value in origins:
            items = value if isinstance(value, (list, tuple, set)) else [value]
            if any(isinstance(i, str) and i.strip() in ("*", ".*", r"^.*$", "^.*", ".*$") for i in items):
                return True
        return False

    def _manual_cors(self, site: cst.CSTNode, value: cst.BaseExpression) -> None:
        scope = self.context.enclosing(site, cst.FunctionDef) or self.context.module
        values = self.evaluator.values(value)
        reflected = request_source(self.context, value, {"header"})
        wildcard = "*" in values
        if not (reflected or wildcard):
            return
        if not self._allows_credentials(scope):
            return
        what = "echoes the request's Origin header" if reflected else "is '*'"
        self.report(site, "BDL605", (
            f"Access-Control-Allow-Origin {what} while Access-Control-Allow-Credentials is true: any web site "
            "can make requests with the user's cookies and read the responses. Compare the origin with an "
            "allow-list first"))

    def _allows_credentials(self, scope: cst.CSTNode) -> bool:
        """Does `scope` set Access-Control-Allow-Credentials to true (`h["..."] = "true"`, a dict
        entry, `.add("...", "true")`), however the name and value are built?"""
        def header(key: cst.BaseExpression, value: cst.BaseExpression) -> bool:
            name = self.evaluator.value(key)
            return isinstance(name, str) and name.lower() == "access-control-allow-credentials" \
                and str(self.evaluator.value(value)).lower() == "true"

        for node in _subnodes(scope.body if isinstance(scope, cst.FunctionDef) else scope):
            if isinstance(node, cst.Assign) and any(
                    isinstance(t.target, cst.Subscript) and len(t.target.slice) == 1
                    and isinstance(t.target.slice[0].slice, cst.Index) and header(t.target.slice[0].slice.value, node.value)
                    for t in node.targets):
                return True
            if isinstance(node, cst.DictElement) and header(node.key, node.value):
                return True
            if isinstance(node, cst.Call) and len(node.args) >= 2 and isinstance(node.func, cst.Attribute) \
                    and header(node.args[0].value, node.args[1].value):
                return True
        return False

    def _csrf(self, site: cst.CSTNode, view: str) -> None:
        self.report(site, "BDL605", (
            f"csrf_exempt on {view}(), which acts for the logged-in user (session/request.user): any web site the "
            "user visits can submit this request with the user's cookies. Keep CSRF protection; exempt only "
            "endpoints authenticated by a signature or token, not by cookies"))

    def _uses_session(self, function: cst.FunctionDef) -> bool:
        return bool(SESSION_USE.search(self.context.code(function)))

    def _local_function(self, node: cst.BaseExpression) -> cst.FunctionDef | None:
        if isinstance(node, cst.Name):
            for assignment in self.context.assignments(node):
                if isinstance(assignment.node, cst.FunctionDef):
                    return assignment.node
        return None

    def _chmod(self, node: cst.Call) -> None:
        mode_expr = self.argument(node, "mode", 1)
        if mode_expr is None and isinstance(node.func, cst.Attribute) and not (self.qualnames(node.func) & {
                "os.chmod", "os.fchmod", "os.lchmod"}):
            mode_expr = self.argument(node, "mode", 0)  # Path(p).chmod(mode)
            if len([a for a in node.args if not a.keyword]) == 2:
                mode_expr = node.args[1].value  # sftp.chmod(path, mode)
        if mode_expr is None:
            return
        if isinstance(mode_expr, cst.Name) and any(isinstance(a.node, cst.Param)
                                                    for a in self.context.assignments(mode_expr)):
            return  # a caller's mode (makedirs-style `mode=0o777` default), not a choice made here
        modes = self._modes(mode_expr)
        if modes and all(isinstance(m, int) and m & 0o002 for m in modes):
            mode = modes[0]
            self.report(node, "BDL605", (
                f"{self.context.code(node.func)}() sets mode {oct(mode)}, which is world-writable: any local user or "
                "process can replace this file or what the service loads from it. Use 0o755/0o644 or stricter"))

    def _modes(self, expression: cst.BaseExpression, depth: int = 0) -> list[int]:
        values = [v for v in self.evaluator.values(expression) if isinstance(v, int)]
        if values or depth > 6:
            return values
        names = self.qualnames(expression) if isinstance(expression, (cst.Name, cst.Attribute)) else set()
        known = [STAT_CONSTANTS[n] for n in names if n in STAT_CONSTANTS]
        if known:
            return known[:1]
        if isinstance(expression, cst.BinaryOperation) and isinstance(expression.operator, (cst.BitOr, cst.Add)):
            left, right = self._modes(expression.left, depth + 1), self._modes(expression.right, depth + 1)
            if len(left) == 1 and len(right) == 1:
                return [left[0] | right[0]]
        if isinstance(expression, cst.Name):
            for kind, value in self.context.assigned_values(expression):
                if kind == "=":
                    return self._modes(value, depth + 1)
        return []

    def _module_values(self, name: str) -> list[object]:
        for statement in self.context.module.body:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if isinstance(small, cst.Assign) and any(isinstance(t.target, cst.Name) and t.target.value == name
                                                             for t in small.targets):
                        return self.evaluator.values(small.value)
        return []

    VALID = [
        Valid('from flask_cors import CORS\nCORS(app, origins=["https://app.example"], supports_credentials=True)\n',
              "BDL605"),
        Valid('from flask_cors import CORS\nCORS(app, origins="*")\n', "BDL605"),
        Valid('from fastapi.middleware.cors import CORSMiddleware\n'
              'app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=False)\n', "BDL605"),
        Valid('CORS_ALLOW_ALL_ORIGINS = True\nCORS_ALLOW_CREDENTIALS = False\n', "BDL605"),
        Valid('from django.views.decorators.csrf import csrf_exempt\n@csrf_exempt\ndef stripe_webhook(request):\n'
              '    verify_signature(request.body, request.headers["Stripe-Signature"])\n    return HttpResponse()\n',
              "BDL605"),
        Valid('import os\nos.chmod("/srv/app/key.pem", 0o600)\nos.chmod("run.sh", 0o755)\n', "BDL605"),
        Valid('import os, stat\nos.chmod(p, stat.S_IRUSR | stat.S_IWUSR)\n', "BDL605"),
        Valid('import os\nos.makedirs("/tmp/x", mode=0o777, exist_ok=True)\n', "BDL605"),
        Valid('def view(request):\n    response = HttpResponse()\n    response["Access-Control-Allow-Origin"] = "*"\n    return response\n',
              "BDL605"),
    ]
    INVALID = [
        Invalid('from flask_cors import CORS\nCORS(app, origins="*", supports_credentials=True)\n', "BDL605", 2),
        Invalid('import flask_cors\nOPTS = {"supports_credentials": True}\nflask_cors.CORS(app, **OPTS)\n', "BDL605", 3),
        Invalid('from flask_cors import cross_origin\n@cross_origin(origins=["*"], supports_credentials=True)\ndef v(): ...\n',
                "BDL605", 2),
        Invalid('from fastapi.middleware.cors import CORSMiddleware as C\nORIGINS = ["*"]\napp.add_middleware(\n    C,\n'
                '    allow_origins=ORIGINS,\n    allow_credentials=True,\n)\n', "BDL605", 3),
        Invalid('CORS_ORIGIN_ALLOW_ALL = True\nCORS_ALLOW_CREDENTIALS = True\n', "BDL605", 1),
        Invalid('def after(request, response):\n    response.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin")\n'
                '    response.headers["Access-Control-Allow-Credentials"] = "true"\n    return response\n', "BDL605", 2),
        Invalid('from django.views.decorators.csrf import csrf_exempt\n@csrf_exempt\ndef change_email(request):\n'
                '    request.user.email = request.POST["email"]\n    request.user.save()\n', "BDL605", 2),
        Invalid('from django.views.decorators import csrf as c\ndef transfer(request):\n    request.user.pay(request.POST["to"])\n'
                'urlpatterns = [path("t/", c.csrf_exempt(transfer))]\n', "BDL605", 4),
        Invalid('def add_cors(resp, request):\n    resp.headers.add("Access-Control-Allow-Origin", request.headers["Origin"])\n'
                '    resp.headers.add("Access-Control-Allow-Credentials", "true")\n', "BDL605", 2),
        Invalid('def cors_headers(request):\n    return {\n        "Access-Control-Allow-Origin": request.META.get("HTTP_ORIGIN"),\n'
                '        "Access-Control-Allow-Credentials": "true",\n    }\n', "BDL605", 3),
        Invalid('import os\nos.chmod("/etc/acme/hooks.sh", 0o777)\n', "BDL605", 2),
        Invalid('import os, stat\nMODE = stat.S_IRWXU | stat.S_IRWXG | stat.S_IRWXO\nos.chmod(path, MODE)\n', "BDL605", 3),
        Invalid('from pathlib import Path\nPath("/srv/app/config.yaml").chmod(0o666)\n', "BDL605", 2),
        Invalid('import subprocess\nsubprocess.run(["chmod", "-R", "777", "/var/www"])\n', "BDL605", 2),
    ]


AUTH_FUNCTION = re.compile(r"(?i)^_*(verify|authenticate|authorize|authorise|check|validate|is|has|can|require|allow)"
                           r"(_|$)|^_*(auth|login)")
AUTH_OBJECT_WORDS = {"verify", "authenticate", "authenticated", "authorize", "authorized", "authorise", "auth",
                     "password", "passwd", "signature", "sig", "token", "credential", "credentials", "otp", "totp",
                     "permission", "permissions", "perm", "perms", "login", "access", "hmac", "mac", "apikey",
                     "key", "secret", "session", "admin", "role", "webhook", "mfa", "twofactor", "pin"}
CREDENTIAL_PARAM = re.compile(r"(?i)^(password|passwd|pwd|passphrase|token|access_token|api_key|apikey|signature|sig|"
                              r"otp|totp|code|mfa_code|hmac|mac|digest|credentials?|secret|pin)$")
STUB_CLASS = re.compile(r"(?i)allow|any|dummy|null|noop|fake|mock|stub|permissive|public|base|abstract|test|open")


class AuthAlwaysSucceeds(PythonChecker):
    """BDL606."""

    CODES = ("BDL606",)
    TRIGGER_LITERALS = (b"verif", b"auth", b"login", b"passw", b"perm", b"token", b"signature", b"secret", b"otp",
                        b"access", b"admin", b"role", b"session", b"hmac", b"credential", b"mfa", b"sig")
    TRIGGER_LOWER = True
    TRIGGER = re.compile(rb"(?i)def\s+_*(?:(?:verify|authenticate|authori[sz]e)\s*\(|(?:verify|authenticat|authori[sz]|"
                         rb"check|validate|is|has|can|require|allow|auth|login)\w*?(?:auth|login|passw|pwd|signature|"
                         rb"sig\b|token|credential|otp|perm|access|hmac|secret|session|admin|role|mfa|verify))"
                         rb"|lambda[^:\n]*:\s*(?:True|1)\b")

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        name = node.name.value
        if not AUTH_FUNCTION.search(name) or is_test_path(self.context.display):
            return
        words = name_words(name)
        if not (set(words) & AUTH_OBJECT_WORDS) and words not in (["verify"], ["authenticate"], ["authorize"]):
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
        if not isinstance(node.value, cst.Lambda) or is_test_path(self.context.display):
            return
        for target in node.targets:
            name = target.target.value if isinstance(target.target, cst.Name) else \
                target.target.attr.value if isinstance(target.target, cst.Attribute) else ""
            if name and AUTH_FUNCTION.search(name) and set(name_words(name)) & AUTH_OBJECT_WORDS \
                    and self._truthy_constant(node.value.body):
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
