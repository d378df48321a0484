"""Recognisers the dataflow engine (checkers/py_dataflow.py) uses for the data-origin tables
(checkers/origin_tables.py): request input (request objects' parts, parameters of routed
functions), files the same module writes, and guards that make a value safe at a sink (an
allow-list membership test, a verified MAC)."""
from __future__ import annotations

import libcst as cst
from backdoor_lint.checkers.base import ModuleContext, getattr_name
from backdoor_lint.checkers.origin_tables import (
    FASTAPI_PARAMS,
    NOT_REQUEST_VALUE,
    REQUEST_PARTS,
    ROUTE_METHODS,
    ROUTER_CLASSES,
    ROUTER_RECEIVER,
)
from backdoor_lint.checkers.origins import is_request
from backdoor_lint.checkers.tree import visit_tree

NUMERIC_ANNOTATIONS = {"int", "float", "bool", "UUID", "uuid.UUID", "datetime", "date", "Decimal"}


def request_part(context: ModuleContext, node: cst.CSTNode) -> str | None:
    """The kind of client data `node` reads from a request object: `request.form` (attribute),
    `request.get_json()` / `await request.body()` (call), else None."""
    if isinstance(node, cst.Call) and isinstance(node.func, (cst.Attribute, cst.Call)) \
            and getattr_name(context, node) is None:
        node = node.func  # `request.get_json()`, `getattr(request, "get_json")()`
    fetched = getattr_name(context, node)  # getattr(request, "form")
    if fetched is not None:
        return REQUEST_PARTS.get(fetched[1]) if _request_object(context, fetched[0]) else None
    if isinstance(node, cst.Attribute) and node.attr.value in REQUEST_PARTS and _request_object(context, node.value):
        if node.attr.value in ("META", "environ") and _remote_meta(context, node):
            return None
        return REQUEST_PARTS[node.attr.value]
    return None


def _request_object(context: ModuleContext, node: cst.BaseExpression) -> bool:
    """`is_request`, except that a local name assigned something else is not the request because
    of its name (`req = requests.get(url)` is a response)."""
    if isinstance(node, cst.Name):
        values = [v for kind, v in context.assigned_values(node) if kind in ("=", "with")]
        if values and not any(is_request(context, v) for v in values):
            return False
    return is_request(context, node)


def _remote_meta(context: ModuleContext, node: cst.Attribute) -> bool:
    """`request.META["REMOTE_ADDR"]`, `environ["SERVER_NAME"]`: set by the server, not the client."""
    parent = context.parent(node)
    key = None
    if isinstance(parent, cst.Subscript) and len(parent.slice) == 1 and isinstance(parent.slice[0].slice, cst.Index):
        key = context.evaluator.value(parent.slice[0].slice.value)
    elif isinstance(parent, cst.Attribute) and parent.attr.value == "get":
        call = context.parent(parent)
        if isinstance(call, cst.Call) and call.args:
            key = context.evaluator.value(call.args[0].value)
    return isinstance(key, str) and not key.startswith("HTTP_") and key not in ("QUERY_STRING", "PATH_INFO",
                                                                                 "wsgi.input", "REQUEST_URI")


def routed_parameter(context: ModuleContext, param: cst.Param) -> str | None:
    """The kind of request input a parameter is: any value parameter of a routed function
    (`@app.get(...)`, `@router.post(...)`, `@bp.route(...)`), or one declared with `Query()`,
    `Header()`, ...; None for framework objects (`Depends(...)`, `Request`, a DB session) and
    parameters typed as numbers (the framework converts them)."""
    if isinstance(param.default, cst.Call):
        kind = next((FASTAPI_PARAMS[n] for n in context.qualnames(param.default.func) if n in FASTAPI_PARAMS), None)
        if kind:
            return kind
        if "Depends" in context.code(param.default.func):
            return None
    function = context.enclosing(param, cst.FunctionDef)
    if function is None or not _is_routed(context, function) or NOT_REQUEST_VALUE.match(param.name.value):
        return None
    if param.annotation is not None:
        annotation = context.code(param.annotation.annotation)
        if annotation in NUMERIC_ANNOTATIONS or "Request" in annotation or "Session" in annotation \
                or "WebSocket" in annotation or "BackgroundTasks" in annotation:
            return None
    return "path or query parameter"


def _is_routed(context: ModuleContext, function: cst.FunctionDef) -> bool:
    for decorator in function.decorators:
        call = decorator.decorator
        func = call.func if isinstance(call, cst.Call) else call
        if not isinstance(func, cst.Attribute) or func.attr.value not in ROUTE_METHODS:
            continue
        receiver = func.value
        if any(n in ROUTER_CLASSES or n.rsplit(".", 1)[-1] in ("FastAPI", "APIRouter", "Flask", "Blueprint")
               for n in context.qualnames(receiver)):
            return True
        if isinstance(receiver, cst.Name) and ROUTER_RECEIVER.match(receiver.value):
            return True
    return False


def guarded(context: ModuleContext, site: cst.CSTNode, argument: cst.CSTNode) -> str | None:
    """How the data reaching `site` was made safe before it: the site sits in the true branch of
    `if x in ALLOWED` / `if hmac.compare_digest(...)`, or after `if x not in ALLOWED: return`
    (`raise`, `abort()`) in the same function, where x is a name used in `argument`. None if not."""
    names = {n.value for n in _names(argument)}
    child = site
    for ancestor in context.ancestors(site):
        if isinstance(ancestor, cst.If) and child is ancestor.body \
                and _safe_test(context, ancestor.test, names, negated=False):
            return context.code(ancestor.test)
        if isinstance(ancestor, (cst.FunctionDef, cst.Module)):
            break
        child = ancestor
    function = context.enclosing(site, cst.FunctionDef)
    if function is None:
        return None
    site_line = context.position(site).start.line
    found: list[str] = []

    class Guards(cst.CSTVisitor):
        def visit_FunctionDef(self, node):
            return node is function

        def visit_If(self, node: cst.If) -> None:
            if context.position(node).start.line < site_line and _exits(node.body) \
                    and _safe_test(context, node.test, names, negated=True):
                found.append(context.code(node.test))

    visit_tree(function, Guards())
    return found[0] if found else None


def _names(node: cst.CSTNode) -> list[cst.Name]:
    found: list[cst.Name] = []

    class Names(cst.CSTVisitor):
        def visit_Name(self, name: cst.Name) -> None:
            found.append(name)

    node.visit(Names())
    return found


def _safe_test(context: ModuleContext, test: cst.BaseExpression, names: set[str], negated: bool) -> bool:
    """`x in ALLOWED` (constant collection) or `compare_digest(...)`; with `negated`, the test that
    rejects: `x not in ALLOWED`, `not compare_digest(...)`."""
    if isinstance(test, cst.BooleanOperation):
        return _safe_test(context, test.left, names, negated) or _safe_test(context, test.right, names, negated)
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return _safe_test(context, test.expression, names, not negated)
    if isinstance(test, cst.Call):
        return not negated and bool(context.qualnames(test.func) & {"hmac.compare_digest", "secrets.compare_digest"})
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        operator = test.comparisons[0].operator
        wanted = cst.NotIn if negated else cst.In
        if isinstance(operator, wanted) and {n.value for n in _names(test.left)} & names:
            return bool(context.evaluator.values(test.comparisons[0].comparator))
    return False


def _exits(body: cst.BaseSuite) -> bool:
    statements = body.body if isinstance(body, cst.IndentedBlock) else [body]
    last = statements[-1] if statements else None
    small = last.body[-1] if isinstance(last, cst.SimpleStatementLine) and last.body else last
    if isinstance(small, (cst.Return, cst.Raise, cst.Continue, cst.Break)):
        return True
    return isinstance(small, cst.Expr) and isinstance(small.value, cst.Call) \
        and isinstance(small.value.func, (cst.Name, cst.Attribute)) \
        and (small.value.func.value if isinstance(small.value.func, cst.Name) else small.value.func.attr.value) \
        in ("abort", "exit", "fail", "deny", "forbidden")
