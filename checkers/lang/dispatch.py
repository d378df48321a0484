"""BDL502 in Go, Java and JavaScript/TypeScript: the code that runs is chosen by the request through
reflection — a web shell that needs no eval. The client names any method of the object (or any
class on the class path) and the server calls it, past the routes and their middleware:
- Go: `reflect.ValueOf(h).MethodByName(c.Param("action")).Call(...)`;
- Java: `Class.forName(request.getParameter("cls"))`, `getMethod(name)` / `getDeclaredMethod`
  with a name from the request, then `invoke`;
- JavaScript: `handlers[req.query.action](req, res)`, `this[req.params.op]()`.
Where the name comes from is each language's request-input flow (go_rules.GoFlow,
java_rules.JavaFlow, js_flow.Flow), so names bound to request input a few hops earlier count.
A name checked first against a constant allow-list (`switch action`, `allowed[action]`,
`ALLOWED.has(action)`, `Set.of(...).contains(name)`, `hasOwnProperty`) is a dispatch table, not
a shell, and is left alone."""
from __future__ import annotations

import re

from backdoor_lint.checkers.lang.report import Report, short
from backdoor_lint.checkers.lang.syntax import argument_nodes

REQUEST = "request"
REQUEST_HANDLER = re.compile(rb"\b(?:req|request|ctx)\.(?:query|body|params|headers|cookies)\b")
GO_REFLECTORS = {"MethodByName"}
JAVA_REFLECTORS = {"forName", "getMethod", "getDeclaredMethod", "loadClass"}
FUNCTIONS = ("function_declaration", "method_declaration", "func_literal", "function_expression", "arrow_function",
             "method_definition", "function", "lambda_expression", "constructor_declaration")


def go_dispatch(go, flow) -> list[Report]:
    src = go.source
    reports = []
    for call in src.of_type("call_expression"):
        func = call.child_by_field_name("function")
        if func is None or func.type != "selector_expression" or \
                src.text(func.child_by_field_name("field")) not in GO_REFLECTORS:
            continue
        args = argument_nodes(call)
        if args and _from_request(flow.taints(args[0])) and not _allow_listed(src, call, args[0]):
            reports.append(_report(src, call, args[0], "reflect MethodByName", _invoked(go, call, "Call")))
    return reports


def java_dispatch(java, flow) -> list[Report]:
    src = java.source
    reports = []
    for call in src.of_type("method_invocation"):
        if src.text(call.child_by_field_name("name")) not in JAVA_REFLECTORS:
            continue
        args = argument_nodes(call)
        if args and _from_request(flow.taints(args[0])) and not _allow_listed(src, call, args[0]):
            reports.append(_report(src, call, args[0], src.text(call.child_by_field_name("name")),
                                   _invoked(java, call, "invoke")))
    return reports


def js_dispatch(js, flow) -> list[Report]:
    """A call of `obj[name]` with the name from the request."""
    src = js.source
    reports = []
    if not REQUEST_HANDLER.search(src.data):
        return []  # no request read in this file: the flow (costly on a bundle) is not asked
    for call in src.of_type("call_expression"):
        func = call.child_by_field_name("function")
        if func is None or func.type != "subscript_expression":
            continue
        index = func.child_by_field_name("index")
        if index is None or index.type in ("number", "string"):
            continue
        if _from_request(flow.taints(index)) and not _allow_listed(src, call, index):
            reports.append(_report(src, call, index, "a computed method call"))
    return reports


def _from_request(taints) -> bool:
    return any((getattr(t, "kind", None) or t[0]) == REQUEST for t in taints)


def _allow_listed(src, call, name_node) -> bool:
    """The enclosing function tests the name against a fixed set before (or around) the call."""
    function = call.parent
    while function is not None and function.type not in FUNCTIONS:
        function = function.parent
    if function is None:
        return False
    before = src.data[function.start_byte:call.start_byte].decode("utf-8", "replace")
    name = re.escape(src.text(name_node) if len(src.text(name_node)) < 80 else "\0")
    return bool(re.search(rf"switch\s*\(?\s*{name}\b|\[\s*{name}\s*\]\s*(?:;|\)|\{{|$|!|=)|"
                          rf"(?:has|contains|Contains|includes|hasOwnProperty|hasOwn|containsKey)\(\s*(?:\w+,\s*)?"
                          rf"{name}\s*\)|{name}\s+in\s+\w", before, re.MULTILINE))


def _invoked(file, reflected, method: str) -> int:
    """The line of `m.Call(...)` / `m.invoke(...)` on a variable bound to the reflected method
    (the site spans from the lookup to the call), else 0."""
    src = file.source
    kinds = ("call_expression", "method_invocation")
    for call in src.of_type(*kinds):
        if call.start_byte <= reflected.end_byte or call.start_byte - reflected.end_byte > 2000:
            continue
        func = call.child_by_field_name("function")
        receiver = func.child_by_field_name("operand") if func is not None and func.type == "selector_expression" \
            else call.child_by_field_name("object")
        name = func.child_by_field_name("field") if func is not None and func.type == "selector_expression" \
            else call.child_by_field_name("name")
        if receiver is None or name is None or receiver.type != "identifier" or src.text(name) != method:
            continue
        if getattr(file.binding(receiver), "value", None) == reflected:
            return src.line(call)
    return 0


def _report(src, call, name_node, what: str, end_line: int = 0) -> Report:
    return Report(src.line(call), "BDL502", end_line=end_line, message=(
        f"{what} picks the code to run from request input (`{short(src.text(name_node))}` in "
        f"`{short(src.text(call))}`): the client names any method (or class) and the server calls it, past the "
        "routes and their authentication: a web shell without eval. Dispatch through an explicit map of the "
        "allowed actions to their handlers."))
