"""What the hard-coded secret rule's site test reads from a file's tree (see checkers/triggers/sites.py):
whether the constant evaluator (checkers/consteval.py) may find a value for an expression.

A finer test than sites_exec.may_have_value, which takes every call and every assigned name for
a possible value: here a name has one only if some binding the evaluator reads gives it one, and a
call only if it is one of the three kinds the evaluator computes. Scopes are not told apart (a
name stands for all its bindings in the file), the evaluator's depth and candidate caps are
ignored: both only widen the answer."""
from __future__ import annotations

import ast

from backdoor_lint.checkers.pure_values import PURE_FUNCTIONS, PURE_METHODS
from backdoor_lint.checkers.triggers.sites import may_stand_for, nodes

# the calls the evaluator computes (consteval._eval_Call): a pure method of a constant receiver, a
# pure function (or `map` of one) of constant arguments, a function of this module (`_returned`,
# `_helper`: a name a `def` binds, or a method through self./cls.)
_PURE_METHOD_NAMES = frozenset().union(*PURE_METHODS.values())
_PURE_FUNCTION_NAMES = frozenset(PURE_FUNCTIONS)
_MAP = frozenset({"map"})


def may_be_computed(facts, node: ast.expr | None) -> bool:
    """Whether the evaluator may find a value for `node`: a literal; a name some binding of which
    may have one (`=`, annotated, walrus; a parameter's default; a `from` import, whose value is
    another module's); `self.x`/`cls.x`/`Class.x` of an attribute or class-body name with such a
    binding, `module.x` or `instance.x` of an imported or instantiated name; an operation, f-string
    (no format spec), subscript, container or comprehension of such parts; a call above."""
    if node is None:
        return True  # an omitted slice bound
    return _computable(facts, node, _valued(facts))


def _computable(facts, node: ast.expr, valued: set[tuple[str, str]]) -> bool:
    parts = _parts(facts, node, valued)
    return parts is not None and all(_computable(facts, part, valued) for part in parts)


def _parts(facts, node: ast.expr, valued: set[tuple[str, str]]) -> list[ast.expr] | None:
    """The parts of `node` that must all have values for it to have one; None: it has none."""
    if isinstance(node, ast.Constant):
        return None if node.value is Ellipsis else []
    if isinstance(node, ast.Name):
        return [] if ("name", node.id) in valued else None
    if isinstance(node, ast.Attribute):
        if not isinstance(node.value, ast.Name):
            return None  # `a.b.c`: the evaluator follows attributes of a name only
        if node.value.id in _instances(facts) or ("attribute", node.attr) in valued:
            return []
        return None
    if isinstance(node, ast.BinOp):
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp):
        return [node.operand]
    if isinstance(node, ast.JoinedStr):
        values = [part for part in node.values if isinstance(part, ast.FormattedValue)]
        return None if any(part.format_spec is not None for part in values) else [part.value for part in values]
    if isinstance(node, ast.Subscript):
        bounds = [node.slice.lower, node.slice.upper, node.slice.step] if isinstance(node.slice, ast.Slice) \
            else [node.slice]
        return [node.value] + [bound for bound in bounds if bound is not None]
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return [element.value if isinstance(element, ast.Starred) else element for element in node.elts]
    if isinstance(node, ast.Dict):
        return [part for part in (*node.keys, *node.values) if part is not None]
    if isinstance(node, (ast.ListComp, ast.GeneratorExp)):
        # one `for` over a known iterable, no `if`; its element is evaluated with the loop variable bound
        loop = node.generators
        if len(loop) != 1 or loop[0].ifs or not isinstance(loop[0].target, ast.Name):
            return None
        return [loop[0].iter]
    if isinstance(node, ast.Call):
        return _call_parts(facts, node, valued)
    return None  # conditional, boolean, comparison, lambda...: the evaluator has no value for them


def _call_parts(facts, call: ast.Call, valued: set[tuple[str, str]]) -> list[ast.expr] | None:
    func = call.func
    if any(isinstance(argument, ast.Starred) for argument in call.args):
        return None  # `f(*args)`: the evaluator gives up
    arguments = [*call.args, *(keyword.value for keyword in call.keywords)]
    if isinstance(func, ast.Attribute) and func.attr in _PURE_METHOD_NAMES \
            and all(_computable(facts, part, valued) for part in [func.value, *arguments]):
        return []  # a pure method of a constant receiver (else, below, maybe a function of that name)
    if len(call.args) == 2 and may_stand_for(facts, func, _MAP):
        return [call.args[1]]  # `map(<pure function>, <iterable>)`
    if may_stand_for(facts, func, _PURE_FUNCTION_NAMES):
        return arguments
    if isinstance(func, ast.Name):
        name = func.id
    elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in ("self", "cls"):
        name = func.attr
    else:
        return None
    functions = _defined_functions(facts).get(name, [])
    if call.args or call.keywords:
        # `_helper`: a one-statement function returning an expression of its parameters
        return [] if any(_returns(facts, function) and len(function.body) == 1 for function in functions) else None
    # `_returned`: every return of the function known (which of the functions so named the call
    # reaches depends on scopes: any one may be it)
    return [] if any(_returns(facts, function) and all(_computable(facts, value, valued) for value in _returns(facts, function))
                     for function in functions) else None


def _returns(facts, function) -> list[ast.expr]:
    """The expressions `function` returns, not those of functions or classes inside it."""
    cache = facts.memo.setdefault("returns", {})
    found = cache.get(id(function))
    if found is None:
        found, todo = [], list(function.body)
        while todo:
            node = todo.pop()
            if isinstance(node, ast.Return):
                if node.value is not None:
                    found.append(node.value)
            elif not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                # statements only: an expression holds no return
                todo.extend(child for child in ast.iter_child_nodes(node)
                            if isinstance(child, (ast.stmt, ast.excepthandler, ast.match_case)))
        cache[id(function)] = found
    return found


def _defined_functions(facts) -> dict[str, list]:
    """Name -> the functions a `def` of that name defines (methods included)."""
    found = facts.memo.get("defined_functions")
    if found is None:
        found = {}
        for node in nodes(facts, ast.FunctionDef) + nodes(facts, ast.AsyncFunctionDef):
            found.setdefault(node.name, []).append(node)
        facts.memo["defined_functions"] = found
    return found


def _instances(facts) -> set[str]:
    """Names whose attributes the evaluator reads in another module or class: bound by an import,
    or assigned a call of a name without arguments (`cfg = Settings()`)."""
    found = facts.memo.get("value_instances")
    if found is None:
        found = set()
        for node in nodes(facts, ast.Import) + nodes(facts, ast.ImportFrom):
            found.update(alias.asname or alias.name.partition(".")[0] for alias in node.names)
        for node in nodes(facts, ast.Assign):
            value = node.value
            if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and not value.args \
                    and not value.keywords:
                found.update(target.id for target in node.targets if isinstance(target, ast.Name))
        facts.memo["value_instances"] = found
    return found


def _valued(facts) -> set[tuple[str, str]]:
    """("name", n) for every name, ("attribute", a) for every attribute or class-body name, that a
    binding the evaluator reads may give a value: found again until nothing changes (a value
    the evaluator can derive is derived through finitely many bindings, none cyclic)."""
    found = facts.memo.get("valued")
    if found is not None:
        return found
    valued: set[tuple[str, str]] = set()
    bindings: list[tuple[tuple[str, str], ast.expr]] = []
    for node in nodes(facts, ast.Assign) + nodes(facts, ast.AnnAssign) + nodes(facts, ast.NamedExpr):
        if getattr(node, "value", None) is None:
            continue
        for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
            if isinstance(target, ast.Name):  # a class body's names are attributes of its class too
                bindings += [(("name", target.id), node.value), (("attribute", target.id), node.value)]
            elif isinstance(target, ast.Attribute):
                bindings.append((("attribute", target.attr), node.value))
    for node in nodes(facts, ast.arguments):
        positional = [*node.posonlyargs, *node.args]
        bindings += [(("name", a.arg), d) for a, d in zip(positional[len(positional) - len(node.defaults):],
                                                           node.defaults)]
        bindings += [(("name", a.arg), d) for a, d in zip(node.kwonlyargs, node.kw_defaults) if d is not None]
    for node in nodes(facts, ast.ImportFrom):
        valued.update(("name", alias.asname or alias.name) for alias in node.names)
    facts.memo["valued"] = valued  # filled in place: read while it grows
    changed = True
    while changed:
        changed = False
        for key, value in bindings:
            if key not in valued and _computable(facts, value, valued):
                valued.add(key)
                changed = True
    return valued


def may_be_text(facts, node: ast.expr) -> bool:
    """Whether the evaluator may find a str or bytes value for `node`: may_be_computed, and not of
    a kind whose values are never text (a number or container literal, a unary operation, a name
    all of whose bindings are such)."""
    return may_be_computed(facts, node) and _text(node, _text_names(facts))


def _text(node: ast.expr, texts: set[str]) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, (str, bytes))
    if isinstance(node, ast.Name):
        return node.id in texts
    if isinstance(node, ast.BinOp):
        return _text(node.left, texts) or _text(node.right, texts)  # `"a" + x`, `"%s" % x`, `3 * "ab"`
    if isinstance(node, (ast.UnaryOp, ast.List, ast.Tuple, ast.Set, ast.Dict, ast.ListComp, ast.GeneratorExp)):
        return False
    return True  # f-strings; attributes, subscripts and calls, whose values are not typed here


def _text_names(facts) -> set[str]:
    """Names some binding of which (plain, annotated, walrus, augmented, a parameter's default, a
    `from` import) may give them text, found again until nothing changes."""
    found = facts.memo.get("text_names")
    if found is not None:
        return found
    texts: set[str] = set()
    bindings: list[tuple[str, ast.expr]] = []
    for kind in (ast.Assign, ast.AnnAssign, ast.NamedExpr, ast.AugAssign):
        for node in nodes(facts, kind):
            if getattr(node, "value", None) is None:
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            bindings += [(target.id, node.value) for target in targets if isinstance(target, ast.Name)]
    for node in nodes(facts, ast.arguments):
        positional = [*node.posonlyargs, *node.args]
        bindings += list(zip((a.arg for a in positional[len(positional) - len(node.defaults):]), node.defaults))
        bindings += [(a.arg, d) for a, d in zip(node.kwonlyargs, node.kw_defaults) if d is not None]
    for node in nodes(facts, ast.ImportFrom):
        texts.update(alias.asname or alias.name for alias in node.names)
    changed = True
    while changed:
        changed = False
        for name, value in bindings:
            if name not in texts and _text(value, texts):
                texts.add(name)
                changed = True
    facts.memo["text_names"] = texts
    return texts
