"""BDL604, 605: what an application exposes beyond its authentication (the bypasses of the
authentication itself, 601/602/606, are in py_auth.py).

- 604 debugger exposed: Flask/Werkzeug debug on a public interface, PIN off, Django DEBUG with
  ALLOWED_HOSTS '*'.
- 605 permissive access: CORS any-origin with credentials, csrf_exempt on a view that uses the
  session, world-writable chmod.
"""
from __future__ import annotations

import re
import stat

import libcst as cst
from backdoor_lint.checkers.base import Invalid, PythonChecker, Valid
from backdoor_lint.checkers.origins import request_source
from backdoor_lint.checkers.tree import nodes_outside_functions, visit_tree
from backdoor_lint.checkers.triggers import exposure as trigger
from backdoor_lint.checkers.triggers.exposure import (
    ALLOW_ORIGIN,
    CHMOD_CALLS,
    CORS_ALL_SETTINGS,
    CORS_CLASSES,
    CORS_CREDENTIALS_SETTING,
    CSRF_EXEMPT,
    DEBUG_PIN_VARIABLE,
    DEBUGGED_APP,
    DJANGO_DEBUG,
    DJANGO_HOSTS,
    ENVIRON,
    ENVIRON_SETTERS,
    FLASK_APPS,
    FLASK_CORS,
    FLASK_RUN,
    HEADER_SETTERS,
    RUN_SIMPLE,
    SHELL_CALLS,
)

WILDCARD_HOSTS = {"0.0.0.0", "::", "", "0", "*", "[::]"}


class DebugExposed(trigger.DebugExposed, PythonChecker):
    """BDL604."""

    CODES = ("BDL604",)

    def visit_Call(self, node: cst.Call) -> None:
        names = self.qualnames(node.func)
        if names & FLASK_RUN or (isinstance(node.func, cst.Attribute) and node.func.attr.value == "run"
                                      and self._module_debug_app(node.func.value)):
            debug = self.argument_values(node, "debug", 2)
            module_debug = self._module_debug_app(node.func.value) if isinstance(node.func, cst.Attribute) else None
            if any(v is True or v == 1 for v in debug) or (not debug and module_debug and
                                                           not self.argument_given(node, "debug", 2)):
                self._host(node, self.argument_values(node, "host", 0), "the Flask debugger (debug=True)"
                           if debug else f"the Flask debugger ({module_debug})")
        elif names & RUN_SIMPLE:
            if any(v is True for v in self.argument_values(node, "use_debugger", 5)):
                self._host(node, self.argument_values(node, "hostname", 0), "the Werkzeug debugger (use_debugger=True)")
        elif names & DEBUGGED_APP:
            if any(v is True for v in self.argument_values(node, "evalex", 1)):
                self.report(node, "BDL604", "DebuggedApplication(evalex=True) serves an interactive Python console "
                            "to whoever can reach this app: remote code execution. Never wrap a deployed app in it")
        elif names & ENVIRON_SETTERS and len(node.args) >= 2:
            self._pin(node, self.evaluator.value(node.args[0].value), self.evaluator.value(node.args[1].value))

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            t = target.target
            if isinstance(t, cst.Subscript) and ENVIRON in self.qualnames(t.value) and len(t.slice) == 1 \
                    and isinstance(t.slice[0].slice, cst.Index):
                self._pin(node, self.evaluator.value(t.slice[0].slice.value), self.evaluator.value(node.value))
            if isinstance(t, cst.Name) and t.value == DJANGO_DEBUG and self.context.parent(self.context.parent(node)) \
                    is self.context.module and self.evaluator.value(node.value) is True:
                hosts = self._module_constant(DJANGO_HOSTS)
                if any(isinstance(h, (list, tuple, set)) and "*" in h for h in hosts):
                    self.report(node, "BDL604", (
                        "Django settings turn DEBUG on with ALLOWED_HOSTS containing '*': every host name reaches "
                        "the debug pages, which show settings, environment and source of any error to the "
                        "visitor. Take DEBUG from the environment, off by default, and list the hosts"))

    def _pin(self, node, key, value) -> None:
        if key == DEBUG_PIN_VARIABLE and isinstance(value, str) and value.lower() == "off":
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
        if not (self.qualnames(app) & FLASK_APPS):
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
SESSION_USE = re.compile(r"request\.user|request\.session|current_user|login_required|permission_required|"
                         r"session\[|flask\.session|\bsession\.get|user_passes_test|staff_member_required|"
                         r"request\.auth|g\.user")


class PermissiveAccess(trigger.PermissiveAccess, PythonChecker):
    """BDL605."""

    CODES = ("BDL605",)

    def visit_Call(self, node: cst.Call) -> None:
        names = self.qualnames(node.func)
        if names & FLASK_CORS:
            self._flask_cors(node, sorted(names)[0].rsplit(".", 1)[-1])
        elif node.args and self.qualnames(node.args[0].value) & CORS_CLASSES:
            self._starlette_cors(node)
        elif names & CSRF_EXEMPT and node.args and not isinstance(self.context.parent(node), cst.Decorator):
            view = node.args[0].value
            target = self._local_function(view)
            if target is not None and self._uses_session(target):
                self._csrf(node, target.name.value)
        elif isinstance(node.func, cst.Attribute) and node.func.attr.value in HEADER_SETTERS and len(node.args) >= 2 \
                and str(self.evaluator.value(node.args[0].value)).lower() == ALLOW_ORIGIN:
            self._manual_cors(node, node.args[1].value)
        elif isinstance(node.func, cst.Attribute) and node.func.attr.value in {c.rpartition(".")[2] for c in CHMOD_CALLS} \
                or names & CHMOD_CALLS:
            self._chmod(node)
        elif names & SHELL_CALLS and node.args:
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
                if isinstance(key, str) and key.lower() == ALLOW_ORIGIN:
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
            if isinstance(t, cst.Name) and t.value in CORS_ALL_SETTINGS \
                    and self.evaluator.value(node.value) is True and self.context.parent(self.context.parent(node)) \
                    is self.context.module:
                if any(v is True for v in self._module_values(CORS_CREDENTIALS_SETTING)):
                    self.report(node, "BDL605", (
                        f"{t.value} = True with CORS_ALLOW_CREDENTIALS = True: every web site a logged-in user visits "
                        "can call this API with the user's cookies and read the answers. List trusted origins in "
                        "CORS_ALLOWED_ORIGINS"))
            # response["Access-Control-Allow-Origin"] = ...
            if isinstance(t, cst.Subscript) and len(t.slice) == 1 and isinstance(t.slice[0].slice, cst.Index):
                key = self.evaluator.value(t.slice[0].slice.value)
                if isinstance(key, str) and key.lower() == ALLOW_ORIGIN:
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

        for node in nodes_outside_functions(scope.body if isinstance(scope, cst.FunctionDef) else scope):
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
        if mode_expr is None and isinstance(node.func, cst.Attribute) and not (self.qualnames(node.func) & CHMOD_CALLS):
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
