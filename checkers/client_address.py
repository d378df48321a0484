"""The client's network address as an authentication decision (for BDL602).

An address says where a request came from, not who sent it: a header naming it (`X-Forwarded-For`,
`X-Real-IP`, ...) is whatever the client writes, and the socket's own peer address
(`request.remote_addr`, `REMOTE_ADDR`, Starlette's `request.client.host`) is a proxy's, a
neighbour container's, or whatever a proxy-fix middleware copied from those headers. Code that lets
a request in because its address starts with "10." or is in an allow-list lets in every process on
that network, every SSRF, and anyone who can set the header."""
from __future__ import annotations

import libcst as cst
from backdoor_lint.checkers.base import ModuleContext, getattr_name
from backdoor_lint.checkers.origin_tables import ADDRESS_ATTRIBUTES
from backdoor_lint.checkers.origins import is_request, request_source, walk

# headers that carry a client address (lower case)
ADDRESS_HEADERS = {"x-forwarded-for", "x-real-ip", "x-client-ip", "x-originating-ip", "x-remote-addr",
                   "x-remote-ip", "true-client-ip", "cf-connecting-ip", "forwarded", "x-cluster-client-ip",
                   "fastly-client-ip", "x-forwarded", "forwarded-for"}
ADDRESS_KEYS = {"REMOTE_ADDR", "HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_CLIENT_IP"}
# what turns an address into a decision: prefix tests, network membership, address classes
ADDRESS_TESTS = {"startswith", "endswith", "is_private", "is_loopback", "is_global", "is_link_local",
                 "subnet_of", "overlaps"}


def address_source(context: ModuleContext, expression: cst.BaseExpression, stop: set[str]) -> tuple[str, bool] | None:
    """(description, spoofable) when `expression` decides on the client's address: compares it,
    tests its prefix or its network. `spoofable`: the address is read from a header the client
    writes. None otherwise (a bare truthiness test of an address decides nothing)."""
    if not _decides(context, expression):
        return None
    return _address(context, expression, stop, 0)


def _address(context: ModuleContext, expression: cst.BaseExpression, stop: set[str], depth: int) -> tuple[str, bool] | None:
    """The address `expression` reads, also through what this module's helpers return
    (`client_ip(request)`), two calls deep."""
    found = request_source(context, expression, {"header"}, stop=stop)
    if found and found[1].lower() in ADDRESS_HEADERS:
        return f"the client-written header {found[1]!r}", True
    for node in walk(context, expression, stop):
        fetched = getattr_name(context, node)  # getattr(request, "remote_addr")
        attribute, holder = (node.attr.value, node.value) if isinstance(node, cst.Attribute) else \
            fetched[::-1] if fetched else (None, None)
        if attribute in ADDRESS_ATTRIBUTES and is_request(context, holder):
            return f"the client address `{context.code(node)}`", False
        if isinstance(node, cst.Attribute) and node.attr.value == "host" and isinstance(node.value, cst.Attribute) \
                and node.value.attr.value == "client" and is_request(context, node.value.value):
            return f"the client address `{context.code(node)}`", False
        key = _environ_key(context, node)
        if key in ADDRESS_KEYS:
            return f"the client address `{context.code(node)}`", key != "REMOTE_ADDR"
        if isinstance(node, cst.Call) and depth < 2:
            for function in context.local_functions(node)[:3]:
                for value in context.returns(function)[:4]:
                    found = _address(context, value, stop, depth + 1)
                    if found:
                        return found
    return None


def _decides(context: ModuleContext, expression: cst.BaseExpression) -> bool:
    for node in walk(context, expression, budget=300):
        if isinstance(node, cst.Comparison):
            return True
        if isinstance(node, cst.Attribute) and node.attr.value in ADDRESS_TESTS:
            return True
    return False


def _environ_key(context: ModuleContext, node: cst.CSTNode) -> str | None:
    """The key of `request.META["KEY"]`, `request.META.get("KEY")`, `request.environ[...]`."""
    holder, key = None, None
    if isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        holder, key = node.value, node.slice[0].slice.value
    elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "get" \
            and node.args:
        holder, key = node.func.value, node.args[0].value
    if isinstance(holder, cst.Attribute) and holder.attr.value in ("META", "environ") and is_request(context, holder.value):
        value = context.evaluator.value(key)
        return value if isinstance(value, str) else None
    return None
