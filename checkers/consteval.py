"""The shared constant-evaluation helper (DESIGN §5).

`Evaluator.values(expr)` returns every constant value an expression may have within its module:
literals, module and function constants (all assignments, `+=`, `.append`/`.extend`/`.update`,
parameter defaults), class and `self` attributes of one class, containers, dict lookups,
concatenation, `%`/`.format`/f-strings, `"".join`, `chr`, reversal, `bytes.fromhex`, base64/
base32/hex/rot13 and zlib-family decoding of literals. Unknown parts make the whole value
unknown (an empty list), so a rule never acts on a guess. Work is bounded: depth, candidate
count and result size are capped, so hostile input cannot make evaluation explode.
"""
from __future__ import annotations

import ast
import itertools
from collections.abc import Callable

import libcst as cst
from backdoor_lint.checkers.imported_modules import literal_values, resolve, top_level_values
from backdoor_lint.checkers.pure_values import (
    BINARY_OPERATIONS,
    MAX_SIZE,
    PURE_FUNCTIONS,
    PURE_METHODS,
    predicted_size,
    size_ok,
)

MAX_DEPTH = 12  # bound on recursion through names, attributes and calls (every value follower)
UNKNOWN = type("Unknown", (), {"__repr__": lambda self: "UNKNOWN", "__bool__": lambda self: False})()
MAX_CANDIDATES = 16
_IN_PROGRESS = object()
_FUNCTION = "\0function"  # in a frame of parameter bindings: the function they belong to


class Evaluator:
    """The constant values of one module's expressions. `context` is the module's
    checkers.base.ModuleContext (not imported here: the context builds its evaluator)."""

    def __init__(self, context) -> None:
        self.context = context
        self._cache: dict[int, object] = {}
        self._bindings: list[dict[str, object]] = []  # comprehension variables being evaluated

    def values(self, node: cst.CSTNode) -> list[object]:
        """All constant values `node` may have (deduplicated, at most MAX_CANDIDATES); [] if unknown."""
        return self._values(node, 0)

    def value(self, node: cst.CSTNode) -> object:
        """The single constant value of `node`, or UNKNOWN if it is unknown or ambiguous."""
        values = self._values(node, 0)
        return values[0] if len(values) == 1 else UNKNOWN

    # -------------------------------------------------------------------------------------
    def _values(self, node: cst.CSTNode, depth: int) -> list[object]:
        if depth > MAX_DEPTH:
            return []
        key = id(node)
        cacheable = not self._bindings
        if cacheable:
            cached = self._cache.get(key)
            if cached is _IN_PROGRESS:
                return []  # a cycle such as `x = x + "a"` evaluated from x itself
            if cached is not None:
                return cached  # type: ignore[return-value]
            self._cache[key] = _IN_PROGRESS
        handler = getattr(self, f"_eval_{type(node).__name__}", None)
        try:
            result = handler(node, depth) if handler else []
        except RecursionError:
            raise
        except Exception:  # noqa: BLE001 - evaluating hostile constants may fail in many ways: unknown
            result = []
        result = _dedupe(v for v in result if v is not UNKNOWN and size_ok(v))
        if cacheable:
            self._cache[key] = result
        return result

    def _sub(self, node: cst.CSTNode | None, depth: int) -> list[object]:
        return [] if node is None else self._values(node, depth + 1)

    # literals ------------------------------------------------------------------------------
    def _eval_SimpleString(self, node: cst.SimpleString, depth: int):
        return [node.evaluated_value]

    def _eval_Integer(self, node, depth):
        return [node.evaluated_value]

    _eval_Float = _eval_Integer
    _eval_Imaginary = _eval_Integer

    def _eval_ConcatenatedString(self, node: cst.ConcatenatedString, depth: int):
        return _combine(self._sub(node.left, depth), self._sub(node.right, depth), lambda a, b: a + b)

    def _eval_FormattedString(self, node: cst.FormattedString, depth: int):
        prefix = node.prefix.lower().replace("f", "")
        parts: list[list[object]] = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                parts.append([ast.literal_eval(f'{prefix}"""{part.value}"""') if "\\" in part.value else part.value])
            else:
                values = self._sub(part.expression, depth)
                if not values or part.format_spec:
                    return []
                conv = {"r": repr, "a": ascii}.get(part.conversion or "", str)
                parts.append([conv(v) for v in values])
        combos = itertools.islice(itertools.product(*parts), MAX_CANDIDATES)
        return ["".join(combo) for combo in combos if sum(map(len, combo)) <= MAX_SIZE]

    def _eval_Name(self, node: cst.Name, depth: int):
        for frame in reversed(self._bindings):
            function = frame.get(_FUNCTION)
            if node.value in frame and (function is None or self.context.enclosing(node, cst.FunctionDef) is function):
                return [frame[node.value]]
        if node.value in ("True", "False", "None"):
            return [{"True": True, "False": False, "None": None}[node.value]]
        plain: list[object] = []
        augmented: list[tuple[str, list[object]]] = []
        for assignment in self.context.assignments(node):
            target = assignment.node
            if isinstance(target, cst.Param) and target.default is not None:
                plain.extend(self._sub(target.default, depth))
            elif isinstance(target, cst.ImportFrom) and assignment.qualname:  # `from .settings import X`
                plain.extend(self._imported(assignment.qualname, None, depth))
        for kind, value in self.context.assigned_values(node):
            if kind == "=":
                plain.extend(self._sub(value, depth))
            elif kind != "with":
                augmented.append((kind, self._sub(value, depth)))
        if not plain:
            return []
        candidates = list(plain)
        for operator, values in augmented:
            op = BINARY_OPERATIONS.get(operator.rstrip("="))
            if op is None:
                continue
            candidates += _combine(candidates, values, op)
        candidates += self._mutations(node, candidates, depth)
        return candidates

    def _mutations(self, node: cst.Name, bases: list[object], depth: int) -> list[object]:
        """Apply `name.append(x)`, `.extend(x)`, `.add(x)`, `.update(x)`, `.insert(i, x)` anywhere in
        the name's scope to its container values (a later mutation that adds "HS256" counts)."""
        if not any(isinstance(b, (list, set, dict)) for b in bases):
            return []
        results = []
        accesses = [access for assignment in self.context.assignments(node) for access in assignment.references]
        for access in accesses:
            attribute = self.context.parent(access.node)
            if isinstance(attribute, cst.Subscript) and attribute.value is access.node:
                results += self._item_assignment(attribute, bases, depth)  # `opts["verify"] = False`
                continue
            call = self.context.parent(attribute) if isinstance(attribute, cst.Attribute) else None
            if not isinstance(call, cst.Call) or call.func is not attribute or not call.args:
                continue
            method = attribute.attr.value
            args = [self._sub(a.value, depth) for a in call.args]
            for base in bases:
                for combo in itertools.islice(itertools.product(*args), MAX_CANDIDATES):
                    updated = _mutate(base, method, combo)
                    if updated is not None:
                        results.append(updated)
        return results

    def _item_assignment(self, subscript: cst.Subscript, bases: list[object], depth: int) -> list[object]:
        target = self.context.parent(subscript)
        statement = self.context.parent(target) if isinstance(target, cst.AssignTarget) else None
        if not isinstance(statement, cst.Assign) or len(subscript.slice) != 1 or \
                not isinstance(subscript.slice[0].slice, cst.Index):
            return []
        keys = self._sub(subscript.slice[0].slice.value, depth)
        values = self._sub(statement.value, depth)
        return [{**base, key: value} for base in bases if isinstance(base, dict)
                for key in keys for value in values][:MAX_CANDIDATES]

    # containers ----------------------------------------------------------------------------
    def _sequence(self, elements, depth: int) -> list[list[object]]:
        options: list[list[list[object]]] = []
        for element in elements:
            values = self._sub(element.value, depth)
            if not values:
                return []
            if isinstance(element, cst.StarredElement):
                options.append([list(v) for v in values if isinstance(v, (list, tuple, set, frozenset, str, bytes))])
            else:
                options.append([[v] for v in values])
        return [sum(combo, []) for combo in itertools.islice(itertools.product(*options), MAX_CANDIDATES)]

    def _eval_List(self, node: cst.List, depth: int):
        return self._sequence(node.elements, depth)

    def _eval_Tuple(self, node: cst.Tuple, depth: int):
        return [tuple(v) for v in self._sequence(node.elements, depth)]

    def _eval_Set(self, node: cst.Set, depth: int):
        return [set(v) for v in self._sequence(node.elements, depth)]

    def _eval_Dict(self, node: cst.Dict, depth: int):
        results: list[dict] = [{}]
        for element in node.elements:
            if isinstance(element, cst.StarredDictElement):
                merges = [v for v in self._sub(element.value, depth) if isinstance(v, dict)]
                if not merges:
                    return []
                results = [{**r, **m} for r in results for m in merges][:MAX_CANDIDATES]
                continue
            keys = self._sub(element.key, depth)
            values = self._sub(element.value, depth)
            if not keys or not values:
                return []
            results = [{**r, k: v} for r in results for k in keys for v in values][:MAX_CANDIDATES]
        return results

    def _eval_Subscript(self, node: cst.Subscript, depth: int):
        containers = self._sub(node.value, depth)
        if not containers or len(node.slice) != 1:
            return []
        index = node.slice[0].slice
        if isinstance(index, cst.Index):
            keys = self._sub(index.value, depth)
            return [c[k] for c in containers for k in keys if _indexable(c, k)]
        bounds = []
        for part in (index.lower, index.upper, index.step):
            values = [None] if part is None else self._sub(part, depth)
            if len(values) != 1:
                return []
            bounds.append(values[0])
        return [c[slice(*bounds)] for c in containers if isinstance(c, (str, bytes, list, tuple))]

    def _eval_Attribute(self, node: cst.Attribute, depth: int):
        """`self.X` and `Class.X` within this module's classes."""
        attr = node.attr.value
        if isinstance(node.value, cst.Name) and node.value.value == "self":
            classdef = self.context.enclosing(node, cst.ClassDef)
            return self._class_attribute(classdef, attr, depth) if classdef else []
        if isinstance(node.value, cst.Name):
            for assignment in self.context.assignments(node.value):
                if isinstance(assignment.node, cst.ClassDef):
                    return self._class_attribute(assignment.node, attr, depth)
                if isinstance(assignment.node, (cst.Import, cst.ImportFrom)) and assignment.qualname:
                    return self._imported(assignment.qualname, attr, depth)  # `from app import config`
            for kind, value in self.context.assigned_values(node.value):  # `cfg = Settings()`: cfg.X
                if kind == "=" and isinstance(value, cst.Call) and not value.args:
                    classes = self._classes(value.func)
                    if classes:
                        return [v for ctx, c in classes for v in ctx.evaluator._class_attribute(c, attr, depth + 1)]
        return []

    def _imported(self, qualname: str, attr: str | None, depth: int) -> list[object]:
        """Values of a name imported from another module of the scanned tree, of `attr` of an
        imported module, or of a class attribute of an imported class; [] when unknown."""
        literal = literal_values(self.context, qualname, attr)  # most settings: no need to parse that module
        if literal is not None:
            return literal
        found = resolve(self.context, qualname, attr, "value")
        if found is not None:
            module, name = found
            if attr is not None and name != attr:
                return []  # `from m import obj` then `obj.attr`: not a module constant
            return [v for value in top_level_values(module, name) if not isinstance(value, (cst.FunctionDef,
                                                                                             cst.ClassDef))
                    for v in module.evaluator._values(value, depth + 1)]
        found = resolve(self.context, qualname, None, "class") if attr else None
        if found is None:
            return []
        module, name = found
        return [v for value in top_level_values(module, name) if isinstance(value, cst.ClassDef)
                for v in module.evaluator._class_attribute(value, attr, depth + 1)]

    def _classes(self, func: cst.BaseExpression) -> list[tuple[object, cst.ClassDef]]:
        """(context, class) a constructor call `Settings()` builds: a class of this module or one
        imported from the scanned tree."""
        if not isinstance(func, cst.Name):
            return []
        classes = []
        for assignment in self.context.assignments(func):
            if isinstance(assignment.node, cst.ClassDef):
                classes.append((self.context, assignment.node))
            elif isinstance(assignment.node, cst.ImportFrom) and assignment.qualname:
                found = resolve(self.context, assignment.qualname, None, "class")
                if found is not None:
                    classes += [(found[0], v) for v in top_level_values(found[0], found[1])
                                if isinstance(v, cst.ClassDef)]
        return classes

    def _class_attribute(self, classdef: cst.ClassDef, attr: str, depth: int) -> list[object]:
        values: list[object] = []
        for value in self.context.class_attribute_values(classdef, attr):
            values += self._sub(value, depth)
        return values

    # operators -----------------------------------------------------------------------------
    def _eval_BinaryOperation(self, node: cst.BinaryOperation, depth: int):
        op = BINARY_OPERATIONS.get(type(node.operator).__name__)
        if op is None:
            return []
        return _combine(self._sub(node.left, depth), self._sub(node.right, depth), op)

    def _eval_UnaryOperation(self, node: cst.UnaryOperation, depth: int):
        ops = {"Minus": lambda v: -v, "Plus": lambda v: +v, "Not": lambda v: not v, "BitInvert": lambda v: ~v}
        op = ops.get(type(node.operator).__name__)
        return [op(v) for v in self._sub(node.expression, depth)] if op else []

    # calls ---------------------------------------------------------------------------------
    def _eval_Call(self, node: cst.Call, depth: int):
        if any(arg.star == "*" for arg in node.args):
            return []
        if isinstance(node.func, cst.Attribute):
            method = node.func.attr.value
            receivers = self._sub(node.func.value, depth)
            allowed = [r for r in receivers if method in PURE_METHODS.get(type(r), ())]
            if allowed:
                return self._apply(method, lambda r, *a, **k: getattr(r, method)(*a, **k), node, depth, allowed)
        names = self.context.qualnames(node.func)
        name = _pure_function_name(names)
        if name is None and names & {"map"} and len(node.args) == 2:
            return self._map(node, depth)
        if name is None and not node.args:
            return self._returned(node, depth)
        if name is None:
            return self._helper(node, depth)
        if name is None:
            return []
        return self._apply(name, PURE_FUNCTIONS[name], node, depth)

    def _returned(self, node: cst.Call, depth: int) -> list[object]:
        """`_alg()` calling a function of this module that returns constants: what it returns
        (every return must be known; called without arguments, so parameter defaults hold)."""
        results: list[object] = []
        for function in self.context.local_functions(node):
            returned = self.context.returns(function)
            for expression in returned:
                values = self._sub(expression, depth)
                if not values:
                    return []
                results += values
            if not returned:
                return []
        return results

    def _helper(self, node: cst.Call, depth: int) -> list[object]:
        """`_alg("HS256")` calling a one-statement function of this module (`def _alg(name): return
        name.upper()`): its return expression with the parameters bound to the argument values."""
        functions = self.context.local_functions(node)
        if len(functions) != 1 or len(node.args) > 4 or any(a.star or a.keyword for a in node.args):
            return []
        function = functions[0]
        params = [p for p in (*function.params.posonly_params, *function.params.params)
                  if p.name.value not in ("self", "cls")]
        returned = self.context.returns(function)
        body = function.body.body if isinstance(function.body, cst.IndentedBlock) else ()
        if len(returned) != 1 or len(body) != 1 or len(params) < len(node.args):
            return []
        arguments = [self._sub(a.value, depth) for a in node.args]
        if any(len(values) != 1 for values in arguments):
            return []
        frame: dict[str, object] = {p.name.value: values[0] for p, values in zip(params, arguments)}
        for param in params[len(node.args):]:
            defaults = self._sub(param.default, depth) if param.default is not None else []
            if len(defaults) != 1:
                return []
            frame[param.name.value] = defaults[0]
        frame[_FUNCTION] = function
        self._bindings.append(frame)
        try:
            return self._values(returned[0], depth + 1)
        finally:
            self._bindings.pop()

    def _apply(self, operation: str, function: Callable, node: cst.Call, depth: int, receivers: list | None = None):
        """`function` (the pure function or method named `operation`) on every combination of the
        argument values, each refused if its result would be too large to compute."""
        positional: list[list[object]] = [receivers] if receivers is not None else []
        keywords: dict[str, list[object]] = {}
        for arg in node.args:
            values = self._argument_values(arg.value, depth)
            if not values:
                return []
            if arg.star == "**":  # `dict(**{"verify": False})`: one known mapping, its entries are keywords
                if len(values) != 1 or not isinstance(values[0], dict) or not all(isinstance(k, str) for k in values[0]):
                    return []
                keywords.update((key, [value]) for key, value in values[0].items())
            elif arg.keyword is not None:
                keywords[arg.keyword.value] = values
            else:
                positional.append(values)
        results = []
        keyword_names = list(keywords)
        for combo in itertools.islice(itertools.product(*positional, *keywords.values()), MAX_CANDIDATES):
            args = combo[: len(positional)]
            kwargs = dict(zip(keyword_names, combo[len(positional):]))
            receiver, call_args = (args[0], args[1:]) if receivers is not None else (None, args)
            if predicted_size(operation, receiver, call_args, kwargs) > MAX_SIZE:
                continue
            results.append(function(*args, **kwargs))
        return results

    def _argument_values(self, node: cst.BaseExpression, depth: int) -> list[object]:
        if isinstance(node, (cst.GeneratorExp, cst.ListComp)):
            return self._comprehension(node, depth)
        return self._sub(node, depth)

    def _comprehension(self, node, depth: int) -> list[object]:
        """`[chr(c) for c in [104, 116]]`, `(x[::-1] for x in PARTS)`: one `for`, no `if`."""
        loop = node.for_in
        if loop.inner_for_in is not None or loop.ifs or not isinstance(loop.target, cst.Name):
            return []
        iterables = self._sub(loop.iter, depth)
        if len(iterables) != 1 or not isinstance(iterables[0], (list, tuple, str, bytes, set)):
            return []
        items = []
        for item in iterables[0]:
            self._bindings.append({loop.target.value: item})
            try:
                values = self._values(node.elt, depth + 1)
            finally:
                self._bindings.pop()
            if len(values) != 1:
                return []
            items.append(values[0])
        return [items]

    _eval_ListComp = _comprehension

    def _map(self, node: cst.Call, depth: int) -> list[object]:
        name = _pure_function_name(self.context.qualnames(node.args[0].value))
        iterables = self._sub(node.args[1].value, depth)
        if name is None or len(iterables) != 1:
            return []
        if any(predicted_size(name, None, (item,), {}) > MAX_SIZE for item in iterables[0]):
            return []
        return [[PURE_FUNCTIONS[name](item) for item in iterables[0]]]


def _pure_function_name(names: set[str]) -> str | None:
    return next((n for n in sorted(names, key=len, reverse=True) if n in PURE_FUNCTIONS), None)


def _indexable(container: object, key: object) -> bool:
    try:
        container[key]  # type: ignore[index]
        return True
    except Exception:  # noqa: BLE001
        return False


def _mutate(base: object, method: str, args: tuple) -> object | None:
    if isinstance(base, list) and method in ("append", "extend", "insert"):
        copy = list(base)
        if method == "append" and len(args) == 1:
            copy.append(args[0])
        elif method == "extend" and len(args) == 1 and isinstance(args[0], (list, tuple, set)):
            copy.extend(args[0])
        elif method == "insert" and len(args) == 2 and isinstance(args[0], int):
            copy.insert(args[0], args[1])
        else:
            return None
        return copy
    if isinstance(base, set) and method in ("add", "update") and len(args) == 1:
        copy = set(base)
        try:
            copy.add(args[0]) if method == "add" else copy.update(args[0])
        except TypeError:
            return None
        return copy
    if isinstance(base, dict) and method == "update" and len(args) == 1 and isinstance(args[0], dict):
        return {**base, **args[0]}
    return None


def _combine(left: list, right: list, op: Callable) -> list:
    results = []
    for a, b in itertools.islice(itertools.product(left, right), MAX_CANDIDATES):
        try:
            value = op(a, b)
        except Exception:  # noqa: BLE001 - type errors etc. mean "not this combination"
            continue
        if size_ok(value):
            results.append(value)
    return results


def _dedupe(values) -> list[object]:
    seen = set()
    result = []
    for value in values:
        try:
            key = (type(value), repr(value) if not isinstance(value, (set, frozenset)) else repr(sorted(map(repr, value))))
        except Exception:  # noqa: BLE001
            continue
        if key not in seen:
            seen.add(key)
            result.append(value)
        if len(result) >= MAX_CANDIDATES:
            break
    return result
