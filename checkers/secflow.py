"""Security context for values: is a hash, random number or comparison about secret material?

Shared by the crypto, randomness and timing checkers (BDL201, 202, 208, 209). Names are split
into words (vocabulary.secret_words) (`make_reset_token` -> make, reset, token); a value is security material when its
own name, the data it is computed from, or the place it flows to (assignment target, keyword,
dict key, return from a named function, callers of that function, a cookie, an HMAC/cipher
key, a comparison with request data) is named like a password, token, key, salt, nonce, OTP,
session id or signature. Flow is followed within the module, with small bounds, and cached.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst
from backdoor_lint.checkers.base import ModuleContext, getattr_name
from backdoor_lint.checkers.origin_tables import REQUEST_CODE
from backdoor_lint.checkers.tree import child_nodes, visit_tree
from backdoor_lint.checkers.triggers import crypto as crypto_trigger
from backdoor_lint.checkers.vocabulary import NAMED_BY_KEY_GETTERS, secret_words

SLOW_HASHES = re.compile(r"bcrypt|scrypt|argon2|pbkdf2|PBKDF2|passlib|make_password|hashpw|PasswordHasher|HKDF|hkdf")

KEY_SINKS = crypto_trigger.KEY_SINKS  # calls whose arguments are keys (argument position, keyword)


def terminal_name(ctx: ModuleContext, node: cst.CSTNode) -> str | None:
    """The name a reviewer reads for an expression: `x`, `obj.attr` -> attr, `d["key"]` -> key,
    `getattr(obj, "attr")` -> attr, `x.hexdigest()` -> x, `x[4:]` -> x (keys and attribute names
    as the evaluator computes them: `d["api_" + "key"]` -> api_key)."""
    for _ in range(8):
        if isinstance(node, cst.Name):
            return node.value
        if isinstance(node, cst.Attribute):
            return node.attr.value
        if isinstance(node, cst.Subscript):
            if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
                key = ctx.evaluator.value(node.slice[0].slice.value)
                return key if isinstance(key, str) else None
            node = node.value
            continue
        if isinstance(node, cst.Call):
            func = node.func
            fetched = getattr_name(ctx, node)
            if fetched:
                return fetched[1]
            if isinstance(func, cst.Attribute) and func.attr.value in NAMED_BY_KEY_GETTERS:
                key = ctx.evaluator.value(node.args[0].value) if node.args else None
                return key if isinstance(key, str) else None
            if isinstance(func, cst.Attribute) and func.attr.value in (
                    "hexdigest", "digest", "encode", "decode", "strip", "lower", "upper", "hex"):
                node = func.value
                continue
            return None
        return None
    return None


@dataclass(frozen=True)
class Sink:
    description: str  # e.g. "assigned to `token` (line 12)"
    word: str  # the security word that decided it
    password: bool = False  # the destination is a password / password hash
    callee: str = ""  # for a key argument: the qualified name of the call that takes the key


_PASS_THROUGH = (
    cst.BinaryOperation, cst.UnaryOperation, cst.FormattedStringExpression, cst.FormattedString,
    cst.ConcatenatedString, cst.GeneratorExp, cst.ListComp, cst.SetComp, cst.List, cst.Tuple, cst.Set,
    cst.Element, cst.StarredElement, cst.Subscript, cst.SubscriptElement, cst.Index, cst.Slice, cst.IfExp,
    cst.Await, cst.CompFor, cst.BooleanOperation,
)
_STOP_CALLS = frozenset({"time.sleep", "asyncio.sleep", "random.seed", "len", "range", "print", "isinstance"})


class SecurityFlow:
    """Per-module cache of flow facts. Get it with `SecurityFlow.of(context)`."""

    MAX_HOPS = 3

    def __init__(self, ctx: ModuleContext) -> None:
        self.ctx = ctx
        self._callers: dict[str, list[cst.Call]] | None = None
        self._sinks: dict[int, Sink | None] = {}
        self._slow: dict[int, bool] = {}

    @classmethod
    def of(cls, ctx: ModuleContext) -> SecurityFlow:
        flow = getattr(ctx, "_security_flow", None)
        if flow is None:
            flow = cls(ctx)
            ctx._security_flow = flow  # type: ignore[attr-defined]
        return flow

    # ----------------------------------------------------------------------------------------
    def line(self, node: cst.CSTNode) -> int:
        return self.ctx.position(node).start.line

    def callers(self, name: str) -> list[cst.Call]:
        """Calls in this module of a function or method called `name` (`f(...)`, `self.f(...)`)."""
        if self._callers is None:
            index: dict[str, list[cst.Call]] = {}

            class Finder(cst.CSTVisitor):
                def visit_Call(self, node: cst.Call) -> None:
                    func = node.func
                    if isinstance(func, cst.Name):
                        index.setdefault(func.value, []).append(node)
                    elif isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and \
                            func.value.value in ("self", "cls"):
                        index.setdefault(func.attr.value, []).append(node)

            visit_tree(self.ctx.module, Finder())
            self._callers = index
        return self._callers.get(name, [])

    def sink(self, node: cst.CSTNode, hops: int = 0) -> Sink | None:
        """Where the value of `node` ends up, if that place is security material."""
        key = id(node)
        if key in self._sinks:
            return self._sinks[key]
        self._sinks[key] = None  # cycles
        result = self._sink(node, hops)
        self._sinks[key] = result
        return result

    def _sink(self, node: cst.CSTNode, hops: int) -> Sink | None:
        ctx = self.ctx
        current = node
        for _ in range(40):
            parent = ctx.parent(current)
            if parent is None:
                return None
            if isinstance(parent, cst.Attribute):
                if parent.value is not current:
                    return None
                grand = ctx.parent(parent)
                current = grand if isinstance(grand, cst.Call) and grand.func is parent else parent
                continue
            if isinstance(parent, cst.Arg):
                call = ctx.parent(parent)
                if not isinstance(call, cst.Call):
                    return None
                if parent.keyword is not None:
                    return self._keyword_sink(parent.keyword.value, call, parent)
                names = ctx.qualnames(call.func)
                if names & _STOP_CALLS:
                    return None
                key_sink = self._key_sink(call, parent, names)
                if key_sink:
                    return key_sink
                current = call
                continue
            if isinstance(parent, cst.DictElement) and parent.value is current:
                # `create(**{"key": value})`: a keyword argument all the same
                arg = ctx.parent(ctx.parent(parent))
                call = ctx.parent(arg) if isinstance(arg, cst.Arg) and arg.star == "**" else None
                key = ctx.evaluator.value(parent.key) if isinstance(call, cst.Call) else None
                if isinstance(key, str):
                    return self._keyword_sink(key, call, parent)
            if isinstance(parent, cst.Call):
                return None  # the node is the function being called
            if isinstance(parent, _PASS_THROUGH):
                current = parent
                continue
            if isinstance(parent, cst.DictElement):
                if parent.value is not current:
                    return None
                key = ctx.evaluator.value(parent.key)  # {"reset_code": v}, {"reset" + "_code": v}, {KEY: v}
                name = key if isinstance(key, str) else terminal_name(ctx, parent.key)
                word = secret_words(name) if name else None
                if word:
                    return Sink(f"stored under the key '{name}' (line {self.line(parent)})", word,
                                bool(secret_words(name, True)))
                current = ctx.parent(parent) or parent
                continue
            if isinstance(parent, cst.Dict):
                current = parent
                continue
            if isinstance(parent, (cst.Assign, cst.AugAssign, cst.AnnAssign)):
                if getattr(parent, "value", None) is not current:
                    return None
                targets = [t.target for t in parent.targets] if isinstance(parent, cst.Assign) else [parent.target]
                return self._target_sink(targets, hops)
            if isinstance(parent, cst.NamedExpr):
                return self._target_sink([parent.target], hops)
            if isinstance(parent, (cst.Return, cst.Yield)):
                return self._return_sink(parent, hops)
            if isinstance(parent, cst.ComparisonTarget):
                comparison = ctx.parent(parent)
                if isinstance(comparison, cst.Comparison):
                    return self._comparison_sink(comparison, current)
                return None
            if isinstance(parent, cst.Comparison):
                return self._comparison_sink(parent, current)
            return None
        return None

    def _keyword_sink(self, keyword: str, call: cst.Call, site: cst.CSTNode) -> Sink | None:
        word = secret_words(keyword)
        if word:
            return Sink(f"passed as `{keyword}=` (line {self.line(site)})", word, bool(secret_words(keyword, True)))
        if keyword in ("key", "value", "code", "hash", "digest"):
            # `ApiKey.objects.create(key=...)`, `LoginCode(code=...)`: the callee names the secret
            callee = re.sub(r"\W+", "_", self.ctx.code(call.func))
            word = secret_words(callee)
            if word:
                return Sink(f"passed as `{keyword}=` to {self.ctx.code(call.func)}() (line {self.line(site)})",
                            word, bool(secret_words(callee, True)))
        return None

    def _key_sink(self, call: cst.Call, arg: cst.Arg, names: set[str]) -> Sink | None:
        func_text = self.ctx.code(call.func)
        if isinstance(call.func, cst.Attribute) and call.func.attr.value == "set_cookie":
            return Sink(f"set as a cookie by {func_text}() (line {self.line(call)})", "cookie")
        for name in names:
            spec = KEY_SINKS.get(name)
            if spec is None:
                continue
            positional = [a for a in call.args if a.keyword is None and not a.star]
            if spec[0] < len(positional) and positional[spec[0]] is arg:
                return Sink(f"used as the key of {func_text}() (line {self.line(call)})", "key", callee=name)
        return None

    def _target_sink(self, targets: list[cst.BaseExpression], hops: int) -> Sink | None:
        followed: list[cst.Name] = []
        for target in targets:
            elements = [e.value for e in target.elements] if isinstance(target, (cst.Tuple, cst.List)) else [target]
            for element in elements:
                name = terminal_name(self.ctx, element)
                word = secret_words(name) if name else None
                if word:
                    return Sink(f"assigned to `{self.ctx.code(element)}` (line {self.line(element)})", word,
                                bool(secret_words(name, True)))
                if isinstance(element, cst.Name):
                    followed.append(element)
        if hops >= self.MAX_HOPS:
            return None
        for name in followed:
            for assignment in self.ctx.assignments(name):
                if assignment.node is not name:
                    continue
                for access in list(assignment.references)[:20]:
                    sink = self.sink(access.node, hops + 1)
                    if sink:
                        return sink
        return None

    def _return_sink(self, statement: cst.CSTNode, hops: int) -> Sink | None:
        function = self.ctx.enclosing(statement, (cst.FunctionDef, cst.Lambda))
        if not isinstance(function, cst.FunctionDef):
            return None
        name = function.name.value
        word = secret_words(name)
        if word:
            return Sink(f"returned from `{name}()` (line {self.line(statement)})", word,
                        bool(secret_words(name, True)))
        if hops >= self.MAX_HOPS:
            return None
        for call in self.callers(name)[:20]:
            sink = self.sink(call, hops + 1)
            if sink:
                return Sink(f"{sink.description}, via `{name}()`", sink.word, sink.password, sink.callee)
        return None

    def _comparison_sink(self, comparison: cst.Comparison, side: cst.CSTNode) -> Sink | None:
        sides = [comparison.left] + [t.comparator for t in comparison.comparisons]
        for other in sides:
            if other is side:
                continue
            code = self.ctx.code(other)
            name = terminal_name(self.ctx, other)
            word = secret_words(name) if name else None
            if word or (REQUEST_CODE.search(code) and isinstance(other, (cst.Subscript, cst.Call, cst.Attribute))):
                return Sink(f"compared with `{code}` (line {self.line(comparison)})", word or "request")
        return None

    # ----------------------------------------------------------------------------------------
    def mentions(self, expression: cst.CSTNode, password_only: bool = False, follow: bool = True) -> str | None:
        """A security-named identifier or string key inside `expression` (the data a hash or
        cipher is applied to), following local names one step to their assigned values."""
        stack: list[tuple[cst.CSTNode, int]] = [(expression, 0)]
        seen = 0
        while stack and seen < 200:
            node, depth = stack.pop()
            seen += 1
            if isinstance(node, (cst.Name, cst.Attribute)) or (isinstance(node, cst.Subscript)):
                name = terminal_name(self.ctx, node)
                if name:
                    word = secret_words(name, password_only)
                    if word:
                        return name
                if isinstance(node, cst.Name) and follow and depth < 2:
                    for kind, value in self.ctx.assigned_values(node):
                        if kind in ("=", "+="):
                            stack.append((value, depth + 1))
            if isinstance(node, cst.Call):
                # the callee's name is not data (`hashlib.sha256(...)`), only its arguments are
                stack.extend((a.value, depth) for a in node.args)
                if isinstance(node.func, cst.Attribute):
                    stack.append((node.func.value, depth))
                continue
            if isinstance(node, cst.Attribute):
                continue
            stack.extend((child, depth) for child in child_nodes(node))
        return None

    def function_uses_slow_hash(self, node: cst.CSTNode) -> bool:
        """Does the function around `node` also use a password KDF (pre-hash then bcrypt)?"""
        function = self.ctx.enclosing(node, cst.FunctionDef)
        scope = function or self.ctx.module
        key = id(scope)
        if key not in self._slow:
            self._slow[key] = bool(SLOW_HASHES.search(self.ctx.code(scope) if function else ""))
        return self._slow[key]
