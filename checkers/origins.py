"""Where a value comes from, for the deserialization and auth rules (BDL504, BDL601, BDL602):
request headers, cookies, query parameters and bodies, environment variables, debug flags, and
other data an attacker can write (network responses, sockets, queues, caches, stdin).

Each function walks an expression and the values assigned to the local names it uses (bounded
depth, one module), and returns a short description of the first origin found, or None."""
from __future__ import annotations

import re
from collections.abc import Iterator

import libcst as cst
from backdoor_lint.checkers.base import MAX_DEPTH, ModuleContext, getattr_name
from backdoor_lint.checkers.origin_tables import (
    DEBUG_ATTRS,
    FASTAPI_PARAMS,
    NETWORK_CALLS,
    REQUEST_NAMES,
    REQUEST_PARTS,
    REQUEST_QUALNAMES,
    SOCKET_METHODS,
)
from backdoor_lint.checkers.tree import child_nodes
from backdoor_lint.checkers.vocabulary import ENV_GETTERS, ENV_OBJECTS

QUEUE_METHODS = {"blpop", "brpop", "lpop", "rpop", "brpoplpush", "rpoplpush", "lrange", "lindex", "hget",
                 "hgetall", "xread", "xreadgroup", "receive_messages", "poll", "consume", "basic_get", "pop"}
STORE_RECEIVER = re.compile(r"redis|queue|\bq\b|_q\b|cache|memcache|kafka|consumer|sqs|pubsub|broker|channel|"
                            r"sock|conn|client", re.IGNORECASE)
UNTRUSTED_PARAMS = re.compile(r"(?i)^(raw_)?(upload(ed)?(_\w+)?|user_(input|data|supplied\w*)|untrusted\w*|"
                              r"payload|cookie(_value)?|body|message|msg|packet|incoming\w*|remote\w*|external\w*|"
                              r"customer_\w+|submitted\w*|client_data)$")


CONVERTERS = re.compile(r"(?i)^(bool|int|str|float|len|any|all|strtobool|is_true|to_bool|asbool|as_bool|\w*_bool|"
                        r"bool_\w*|truthy|is_truthy|\w*flag\w*|env\w*|lower|upper|strip|casefold|get|getlist|"
                        r"getenv|get_header|get_cookie|get_argument|get_query_argument)$")


def walk(context: ModuleContext, expression: cst.CSTNode, stop: set[str] | None = None,
         budget: int = 2000, shallow: bool = False) -> Iterator[cst.CSTNode]:
    """Sub-expressions of `expression`, following local names to the values assigned to them
    (not into nested functions or lambdas). Calls whose function name is in `stop` are not
    entered (a value that went through `authenticate(...)` is not the raw header). `shallow`
    does not enter the arguments of calls other than getters and converters (`bool(...)`,
    `.get(...)`, `strtobool(...)`): a value computed from a source is not the source. Each node is
    visited once and at most `budget` nodes in all, so chains of reassignments stay linear."""
    visited: set[int] = set()
    stack: list[tuple[cst.CSTNode, int]] = [(expression, 0)]
    while stack and len(visited) < budget:
        node, depth = stack.pop()
        if id(node) in visited:
            continue
        visited.add(id(node))
        if isinstance(node, (cst.Lambda, cst.FunctionDef, cst.ClassDef)):
            continue
        if stop and isinstance(node, cst.Call) and _called_name(node) in stop:
            continue
        yield node
        if isinstance(node, cst.Name) and depth < MAX_DEPTH:
            for kind, value in context.assigned_values(node):
                if kind in ("=", "with") or kind.endswith("="):
                    stack.append((value, depth + 1))
            for assignment in context.assignments(node):  # `for x in request.GET.values()`, `_, raw = item`
                target = assignment.node
                parent = context.parent(target)
                holder = parent
                while isinstance(parent, cst.Element) and isinstance(holder, (cst.Element, cst.Tuple, cst.List,
                                                                             cst.AssignTarget)):
                    holder = context.parent(holder)
                    if isinstance(holder, cst.Assign):
                        stack.append((holder.value, depth + 1))
                        break
                if isinstance(parent, (cst.For, cst.CompFor)) and parent.target is target:
                    stack.append((parent.iter, depth + 1))
        if shallow and isinstance(node, cst.Call) and not CONVERTERS.match(_called_name(node)):
            stack.append((node.func, depth))
            continue
        stack.extend((child, depth) for child in reversed(child_nodes(node)))


def _called_name(call: cst.Call) -> str:
    func = call.func
    if isinstance(func, cst.Attribute):
        return func.attr.value
    if isinstance(func, cst.Name):
        return func.value
    return ""


def is_request(context: ModuleContext, node: cst.BaseExpression) -> bool:
    """Is `node` the web request object (`request`, `self.request`, `flask.request`, a parameter
    annotated as a request)?"""
    if isinstance(node, cst.Attribute) and node.attr.value == "request":
        return True
    if context.qualnames(node) & REQUEST_QUALNAMES:
        return True
    if isinstance(node, cst.Name):
        if node.value in REQUEST_NAMES:
            return True
        for assignment in context.assignments(node):
            target = assignment.node
            if isinstance(target, cst.Param) and target.annotation is not None \
                    and re.search(r"Request\b", context.code(target.annotation.annotation)):
                return True
    return False


def _key(context: ModuleContext, node: cst.CSTNode) -> str:
    """The header/cookie/parameter name read by a `.get("X")`, `["X"]` or `.get_header("X")`."""
    parent = context.parent(node)
    if isinstance(parent, cst.Attribute) and parent.value is node:
        call = context.parent(parent)
        if isinstance(call, cst.Call) and call.func is parent and call.args \
                and parent.attr.value in ("get", "getlist", "get_all", "pop", "__getitem__", "getone"):
            value = context.evaluator.value(call.args[0].value)
            return value if isinstance(value, str) else ""
    if isinstance(parent, cst.Subscript) and parent.value is node and len(parent.slice) == 1 \
            and isinstance(parent.slice[0].slice, cst.Index):
        value = context.evaluator.value(parent.slice[0].slice.value)
        return value if isinstance(value, str) else ""
    if isinstance(parent, cst.Call) and parent.func is node and parent.args:
        value = context.evaluator.value(parent.args[0].value)
        return value if isinstance(value, str) else ""
    if isinstance(parent, cst.Comparison):  # "X-Debug" in request.headers
        for target in parent.comparisons:
            if target.comparator is node and isinstance(target.operator, (cst.In, cst.NotIn)):
                value = context.evaluator.value(parent.left)
                return value if isinstance(value, str) else ""
    return ""


def request_source(context: ModuleContext, expression: cst.CSTNode, kinds: set[str] | None = None,
                   stop: set[str] | None = None, shallow: bool = False) -> tuple[str, str] | None:
    """(kind, key) of client-controlled request data in `expression`: ('header', 'X-Internal-User'),
    ('cookie', 'session'), ('query parameter', 'debug'), ..."""
    for node in walk(context, expression, stop, shallow=shallow):
        if isinstance(node, cst.Name):  # FastAPI: `x_debug_user: str = Header(None)`
            for assignment in context.assignments(node):
                param = assignment.node
                if isinstance(param, cst.Param) and isinstance(param.default, cst.Call):
                    kind = next((FASTAPI_PARAMS[n] for n in context.qualnames(param.default.func)
                                 if n in FASTAPI_PARAMS), None)
                    if kind and (kinds is None or kind in kinds):
                        alias = next((context.evaluator.value(a.value) for a in param.default.args
                                      if a.keyword is not None and a.keyword.value == "alias"), None)
                        return kind, alias if isinstance(alias, str) else node.value.replace("_", "-").title()
        fetched = getattr_name(context, node)  # getattr(request, "cookies")
        part = node.attr.value if isinstance(node, cst.Attribute) else fetched[1] if fetched else None
        holder = node.value if isinstance(node, cst.Attribute) else fetched[0] if fetched else None
        if part in REQUEST_PARTS and is_request(context, holder):
            kind = REQUEST_PARTS[part]
            if kinds is None or kind in kinds:
                key = _key(context, node)
                if part in ("META", "environ") and key and not key.startswith("HTTP_"):
                    continue  # REMOTE_ADDR, SERVER_NAME: not sent as a header
                if key.startswith("HTTP_"):
                    key = key[5:].replace("_", "-").title()
                return kind, key
    return None


def env_source(context: ModuleContext, expression: cst.CSTNode, shallow: bool = False) -> str | None:
    """The environment variable `expression` reads (`os.environ.get("SKIP_AUTH")`, `os.getenv(...)`,
    `os.environ["X"]`, `"X" in os.environ`), or '' if it reads one whose name is unknown."""
    for node in walk(context, expression, shallow=shallow):
        if isinstance(node, cst.Call) and context.qualnames(node.func) & ENV_GETTERS:
            value = context.evaluator.value(node.args[0].value) if node.args else None
            return value if isinstance(value, str) else ""
        if isinstance(node, (cst.Subscript, cst.Comparison)):
            base = node.value if isinstance(node, cst.Subscript) else (
                node.comparisons[0].comparator if isinstance(node.comparisons[0].operator, (cst.In, cst.NotIn))
                else None)
            if base is not None and context.qualnames(base) & ENV_OBJECTS:
                key_node = node.slice[0].slice.value if isinstance(node, cst.Subscript) \
                    and isinstance(node.slice[0].slice, cst.Index) else getattr(node, "left", None)
                value = context.evaluator.value(key_node) if key_node is not None else None
                return value if isinstance(value, str) else ""
    return None


def debug_flag(context: ModuleContext, expression: cst.CSTNode, shallow: bool = False) -> str | None:
    """A debug/test-mode flag read by `expression`: `settings.DEBUG`, `app.debug`, `DEBUG`,
    `app.config["DEBUG"]`."""
    for node in walk(context, expression, shallow=shallow):
        if isinstance(node, cst.Attribute) and DEBUG_ATTRS.match(node.attr.value):
            return context.code(node)
        fetched = getattr_name(context, node)  # getattr(settings, "DEBUG")
        if fetched and DEBUG_ATTRS.match(fetched[1]):
            return context.code(node)
        if isinstance(node, cst.Name) and DEBUG_ATTRS.match(node.value):
            return node.value
        if isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
            key = context.evaluator.value(node.slice[0].slice.value)
            if isinstance(key, str) and DEBUG_ATTRS.match(key):
                return context.code(node)
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "get" \
                and node.args and not context.qualnames(node.func) & ENV_GETTERS:  # app.config.get("DEBUG")
            key = context.evaluator.value(node.args[0].value)
            if isinstance(key, str) and DEBUG_ATTRS.match(key):
                return context.code(node)
    return None


def untrusted_data(context: ModuleContext, expression: cst.CSTNode, stop: set[str] | None = None) -> str | None:
    """A description of attacker-writable data reaching `expression`, or None: request parts,
    network responses, sockets, message queues and caches, stdin, upload-named parameters. Calls
    named in `stop` (sanitisers such as `quote`) are not entered."""
    found = request_source(context, expression, stop=stop)
    if found:
        kind, key = found
        return f"the request's {kind}" + (f" {key!r}" if key else "")
    for node in walk(context, expression, stop):
        if isinstance(node, cst.Call):
            names = context.qualnames(node.func)
            network = names & NETWORK_CALLS
            if network:
                return f"data from {sorted(network)[0]}()"
            if isinstance(node.func, cst.Attribute):
                method = node.func.attr.value
                receiver = context.code(node.func.value)
                if method in SOCKET_METHODS:
                    return f"data received from `{receiver}.{method}()`"
                if method in QUEUE_METHODS | {"get", "mget", "getdel", "get_message", "read"} \
                        and STORE_RECEIVER.search(receiver):
                    return f"data read from `{receiver}.{method}()` (a shared store other processes write)"
        elif isinstance(node, cst.Name):
            for assignment in context.assignments(node):
                if isinstance(assignment.node, cst.Param) and UNTRUSTED_PARAMS.match(node.value):
                    return f"parameter `{node.value}`"
    return None
