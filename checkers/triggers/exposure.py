"""Triggers of the exposure rules (checkers/py_exposure.py), and the tables the rules and their site
tests share."""
from __future__ import annotations

import ast

from backdoor_lint.checkers.triggers import PythonTrigger, sites, sites_tree
from backdoor_lint.checkers.triggers.sites_values import may_evaluate_to, possible_values

# BDL604: the calls and settings the rule reads
FLASK_RUN = frozenset({"flask.Flask.run", "flask.app.Flask.run", "quart.Quart.run", "sanic.Sanic.run"})
FLASK_APPS = frozenset({"flask.Flask", "quart.Quart"})  # `app.debug = True` then `app.run(...)`
RUN_SIMPLE = frozenset({"werkzeug.serving.run_simple", "werkzeug.run_simple"})
DEBUGGED_APP = frozenset({"werkzeug.debug.DebuggedApplication", "werkzeug.DebuggedApplication"})
ENVIRON = "os.environ"
ENVIRON_SETTERS = frozenset({"os.environ.setdefault", "os.putenv"})  # WERKZEUG_DEBUG_PIN=off
DEBUG_PIN_VARIABLE = "WERKZEUG_DEBUG_PIN"
DJANGO_DEBUG = "DEBUG"
DJANGO_HOSTS = "ALLOWED_HOSTS"

# BDL605
FLASK_CORS = frozenset({"flask_cors.CORS", "flask_cors.cross_origin", "flask_cors.extension.CORS"})
CORS_CLASSES = frozenset({"starlette.middleware.cors.CORSMiddleware", "fastapi.middleware.cors.CORSMiddleware",
                          "starlette.middleware.cors"})
CSRF_EXEMPT = frozenset({"django.views.decorators.csrf.csrf_exempt", "flask_wtf.csrf.CSRFProtect.exempt",
                         "flask_wtf.CSRFProtect.exempt", "flask_wtf.csrf.CsrfProtect.exempt"})
ALLOW_ORIGIN = "access-control-allow-origin"
HEADER_SETTERS = ("add", "set", "setdefault", "add_header", "set_header", "__setitem__", "append")
CHMOD_CALLS = frozenset({"os.chmod", "os.fchmod", "os.lchmod"})
SHELL_CALLS = frozenset({"os.system", "subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.Popen",
                         "subprocess.check_output", "os.popen"})
CORS_ALL_SETTINGS = ("CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL")  # django-cors-headers
CORS_CREDENTIALS_SETTING = "CORS_ALLOW_CREDENTIALS"


class DebugExposed(PythonTrigger):
    TRIGGER_LITERALS = (b"debug", b"evalex")
    TRIGGER_LOWER = True

    @classmethod
    def has_site(cls, facts) -> bool:
        # visit_Call: a call the rule's qualnames may resolve to one of its tables (the `app.run`
        # of a module-level debug app is a FLASK_RUN call: qualnames(app) holds flask.Flask)
        if sites.has_call_of(facts, FLASK_RUN | RUN_SIMPLE | DEBUGGED_APP | ENVIRON_SETTERS):
            return True
        # visit_Assign: `os.environ[key] = value` (qualnames of the subscripted value hold
        # os.environ) where _pin may find the key DEBUG_PIN_VARIABLE and a value "off"
        for assign in sites_tree.nodes(facts, ast.Assign):
            if any(isinstance(t, ast.Subscript) and sites.may_stand_for(facts, t.value, {ENVIRON})
                   and may_evaluate_to(facts, t.slice, lambda key: key == DEBUG_PIN_VARIABLE)
                   and may_evaluate_to(facts, assign.value, lambda value: isinstance(value, str) and value.lower() == "off")
                   for t in assign.targets):
                return True
        # or DEBUG at the top level set to what the evaluator may find True, with ALLOWED_HOSTS there too
        if DJANGO_HOSTS not in sites.module_assigned(facts):
            return False
        for statement in facts.tree.body:
            if isinstance(statement, ast.Assign) and any(isinstance(t, ast.Name) and t.id == DJANGO_DEBUG
                                                         for t in statement.targets):
                values = possible_values(facts, statement.value)
                if values is None or True in values:  # (True == 1: a 1 the set kept stands for True too)
                    return True
        return False


class PermissiveAccess(PythonTrigger):
    TRIGGER_LITERALS = (b"cors", b"access-control", b"csrf", b"chmod")
    TRIGGER_LOWER = True

    @classmethod
    def has_site(cls, facts) -> bool:
        code = sites.lowered_code(facts)
        # The header name and a chmod command are strings the rule evaluates: the text stage
        # already relies on their literals (`access-control`, `chmod`) being in the code.
        header = b"access-control" in code
        chmod = b"chmod" in code
        calls = FLASK_CORS | CSRF_EXEMPT | (CHMOD_CALLS | SHELL_CALLS if chmod else frozenset())
        if sites.has_call_of(facts, calls):
            return True
        for call in sites_tree.nodes(facts, ast.Call):
            func = call.func
            # Starlette's middleware passed first (checked among all the arguments here)
            if any(sites.may_stand_for(facts, a.value if isinstance(a, ast.Starred) else a, CORS_CLASSES)
                   for a in call.args[:1]) \
                    or any(sites.may_stand_for(facts, k.value, CORS_CLASSES) for k in call.keywords):
                return True
            if isinstance(func, ast.Attribute) and (
                    header and func.attr in HEADER_SETTERS or chmod and func.attr in {sites_tree.tail(c) for c in CHMOD_CALLS}):
                return True
        # a decorated view
        for function in sites_tree.nodes(facts, ast.FunctionDef) + sites_tree.nodes(facts, ast.AsyncFunctionDef):
            for decorator in function.decorator_list:
                if sites.may_stand_for(facts, decorator.func if isinstance(decorator, ast.Call) else decorator,
                                       CSRF_EXEMPT):
                    return True
        # a header set through a dict or a subscript
        if header and (sites_tree.nodes(facts, ast.Dict) or any(
                isinstance(t, ast.Subscript) for a in sites_tree.nodes(facts, ast.Assign) for t in a.targets)):
            return True
        # django-cors-headers settings: both at the top level
        assigned = sites.module_assigned(facts)
        return CORS_CREDENTIALS_SETTING in assigned and any(name in assigned for name in CORS_ALL_SETTINGS)
