"""What the site tests of the obfuscated-execution and deserialization rules read from a file's tree
(see checkers/triggers/sites.py): which calls may reach a qualified name of their tables."""
from __future__ import annotations

import ast
from collections import defaultdict

from backdoor_lint.checkers.pure_values import MAX_SIZE, PURE_FUNCTIONS, PURE_METHODS
from backdoor_lint.checkers.triggers import sites
from backdoor_lint.checkers.triggers.sites import arguments, bindings, nodes, tail, transitive, valued_names

# -- calls that may reach a table's qualified name (exec, deserialization) ----------------------------
# The rules match a call by its qualified names (ModuleContext.qualnames): the imports' dotted paths,
# unbound names as written (`builtins.` stripped), names followed through `=`/walrus/`with ... as`
# assignments, `self.x` bindings, `getattr(m, <value>)` (m's names + "." + value), `__import__(<value>)`
# and `importlib.import_module(<value>)` (the value), a call's callee (`c = Factory()`) and, for a
# parameter, the names of what the module's calls pass it. So a qualified name `a.b.f` can name a
# call only if the call may spell `f` (its callee's last name, or a name standing for it) and `a` is
# one of the file's roots (a name it spells, a part of an import path, a part of a literal module
# name imported at run time); a run-time import of a computed name or a `builtins.` root may give
# any root, and `getattr`/`__import__` of a computed name any last name.
ANY = "*"  # in a set of names: any name at all
_IMPORTERS = frozenset({"__import__", "import_module"})
_IMPORTER_NAMES = frozenset({"__import__", "importlib.import_module"})  # as ModuleContext.qualnames sees them


def text_constant(node: ast.expr | None) -> str | bytes | None:
    """The value of a string or bytes literal (implicitly concatenated pieces included) small
    enough for the rules' constant evaluator to know it (pure_values.MAX_SIZE), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)) and len(node.value) <= MAX_SIZE:
        return node.value
    return None


def _spelled(node: ast.expr) -> set[str]:
    """The names an expression's own qualified names may end with, before following assignments:
    a name, an attribute's last name, a call's callee's (a call names its result after its callee)."""
    while isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Name):
        return {node.id}
    if isinstance(node, ast.Attribute):
        return {node.attr}
    return set()


def _last_names(facts, node: ast.expr) -> set[str]:
    """The last dotted part of the name a getattr or run-time import gets (`getattr(m, "a.b")`,
    `__import__("os.path")`): a literal's, ANY if the constant evaluator may find another value,
    none if it finds none (the rules' qualified names then add nothing)."""
    value = text_constant(node)
    if isinstance(value, str):
        return {value.rpartition(".")[2]}
    return {ANY} if value is None and may_have_value(facts, node) else set()


def standing_for(facts) -> dict[str, set[str]]:
    """Name -> every name its qualified names may end with (ANY: any name), through what the rules'
    qualified names follow: `import a.b as x`, `from m import n as x`, `x = <value>` (plain,
    annotated, walrus) and `with <value> as x`, where a value stands for what it spells (`x = a.b`:
    b, `x = f(...)`: what f stands for) and, if its callee may be getattr or a run-time import, for
    the literal name it gets (ANY if that name is computed). `self.x = v`, `cls.x = v` and a class
    body's `x = v` bind `x` (a call `self.x(...)` is named after them). Names are not told apart by
    scope: one name stands for the union of all its bindings."""
    found = facts.memo.get("standing_for")
    if found is not None:
        return found
    direct: dict[str, set[str]] = defaultdict(set)
    named_by_call: list[tuple[str, ast.Call]] = []  # `x = getattr(m, "n")`: x -> n once f may be getattr
    for node in nodes(facts, ast.Import) + nodes(facts, ast.ImportFrom):
        for alias in node.names:
            if alias.asname:
                direct[alias.asname].add(tail(alias.name))
    for target, value in bindings(facts):
        if isinstance(target, ast.Name):
            name = target.id
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
                and target.value.id in ("self", "cls"):
            name = target.attr
        else:
            continue
        direct[name] |= _spelled(value) - {name}
        while isinstance(value, ast.Call):  # `getattr(m, "n")`, and `getattr(m, "n")(...)` named after it
            named_by_call.append((name, value))
            value = value.func
    found = transitive(direct)
    while True:  # `g = getattr` then `x = g(m, "n")`: what a callee may be decides what x stands for
        more = False
        for name, call in named_by_call:
            for extra in _named_by(facts, call, found):
                if extra not in direct[name]:
                    direct[name].add(extra)
                    more = True
        if not more:
            break
        found = transitive(direct)
    facts.memo["standing_for"] = found
    return found


def _named_by(facts, call: ast.Call, standing: dict[str, set[str]]) -> set[str]:
    """The last names a call's qualified names may have beyond its callee's: the name that getattr
    (second argument) or a run-time import (first) gets (`_last_names`)."""
    callee = set()
    for name in _spelled(call.func):
        callee |= {name} | standing.get(name, set())
    given = arguments(call)
    found = set()
    if (ANY in callee or "getattr" in callee) and len(given) >= 2:
        found |= _last_names(facts, given[1])
    if (ANY in callee or callee & _IMPORTERS) and given:
        found |= _last_names(facts, given[0])
    return found


def call_names(facts, call: ast.Call) -> set[str]:
    """Every name the call's qualified names may end with (ANY: any name)."""
    standing = standing_for(facts)
    func = call.func
    if isinstance(func, ast.Name):
        return {func.id} | standing.get(func.id, set())
    if isinstance(func, ast.Attribute):
        # `self.x(...)`: also what `self.x` was bound to (the rules follow self's attributes)
        if isinstance(func.value, ast.Name) and func.value.id in ("self", "cls"):
            return {func.attr} | standing.get(func.attr, set())
        return {func.attr}
    if isinstance(func, ast.Call):  # `getattr(m, "n")(...)`, `factory()(...)`, `getattr(m, "n")()(...)`
        names = set()
        for name in _spelled(func):
            names |= {name} | standing.get(name, set())
        while isinstance(func, ast.Call):
            names |= _named_by(facts, func, standing)
            func = func.func
        return names
    return set()


def roots(facts) -> set[str]:
    """The first parts a qualified name of the file may have: every name it spells, every part of
    an import path, every part of a literal module name imported at run time (ANY: a computed one).
    With `builtins` among them any name may be a first part (`builtins.pickle.loads` is stripped to
    `pickle.loads`)."""
    found = facts.memo.get("roots")
    if found is not None:
        return found
    found = {node.id for node in nodes(facts, ast.Name)}
    for node in nodes(facts, ast.Import):
        for alias in node.names:
            found.update(alias.name.split("."))
    for node in nodes(facts, ast.ImportFrom):
        found.update((node.module or "").split("."))
        found.update(alias.name for alias in node.names)
    # A run-time import names its result after the module it gets: the calls that may be one
    # (named `__import__` or `importlib.import_module`, whose roots are known only once the roots
    # they give are in: repeated until nothing changes; ANY takes in everything)
    importers = [call for call in nodes(facts, ast.Call) if ANY in call_names(facts, call)
                 or call_names(facts, call) & _IMPORTERS]
    facts.memo["roots"] = found
    while ANY not in found:
        if "builtins" in found:
            found.add(ANY)
            break
        more = set()
        for call in importers:
            if may_name(facts, call, _IMPORTER_NAMES):
                given = arguments(call)
                module = text_constant(given[0]) if given else None
                if isinstance(module, str):
                    more.update(module.split("."))
                elif given and may_have_value(facts, given[0]):
                    more.add(ANY)  # (a module name the evaluator finds no value for names nothing)
        if more <= found:
            break
        found |= more
    return found


def may_name(facts, call: ast.Call, qualified_names: frozenset[str]) -> bool:
    """Whether one of the call's qualified names may be in `qualified_names`."""
    names = call_names(facts, call)
    if not names:
        return False
    file_roots = roots(facts)
    any_root = ANY in file_roots
    for qualified in qualified_names:
        if (ANY in names or tail(qualified) in names) and (any_root or qualified.partition(".")[0] in file_roots):
            return True
    return False


def may_have_value(facts, node: ast.expr) -> bool:
    """sites.may_have_value, calls decided by what _eval_Call computes (`_may_compute`)."""
    return sites.may_have_value(facts, node, _may_compute)


def _may_compute(facts, call: ast.Call) -> bool:
    """Whether _eval_Call may compute the call at all: a PURE_METHODS method of a receiver with a
    value, a callee that may stand for a PURE_FUNCTIONS one or `map`, or a function of the
    module (by its name, or a method through self./cls.: _returned, _helper). Not a call of
    anything else."""
    func = call.func
    if sites.may_stand_for(facts, func, _COMPUTED_CALLS):
        return True
    if isinstance(func, ast.Name) and func.id in _function_names(facts) or isinstance(func, ast.Attribute) \
            and isinstance(func.value, ast.Name) and func.value.id in ("self", "cls") and func.attr in _function_names(facts):
        return True
    return isinstance(func, ast.Attribute) and func.attr in _PURE_METHOD_NAMES and may_have_value(facts, func.value)


_COMPUTED_CALLS = frozenset(PURE_FUNCTIONS) | {"map"}
_PURE_METHOD_NAMES = frozenset(name for names in PURE_METHODS.values() for name in names)


def _function_names(facts) -> set[str]:
    found = facts.memo.get("function_names")
    if found is None:
        found = facts.memo["function_names"] = {node.name for kind in (ast.FunctionDef, ast.AsyncFunctionDef)
                                                for node in nodes(facts, kind)}
    return found




def may_evaluate_to(facts, node: ast.expr, accept) -> bool:
    """Whether the constant evaluator may give `node` a value that `accept` (a test that takes
    nothing but str or bytes values) takes: a literal's own value; for a name, the values it is
    assigned with `=` (annotated, walrus) and its parameter defaults (consteval's _eval_Name),
    anything when it is imported with `from` (another module's) or also assigned augmented; for
    `x.attr` (x a name), the values assigned to any `attr` or `o.attr`, anything when x is imported
    or an instance `x = C()` (_eval_Attribute); for an operation, call, subscript or f-string,
    anything when may_have_value says it may have a value. Other expressions have none."""
    valued_by, augmented, from_imported = evaluated_bindings(facts)
    _, imported, _ = valued_names(facts)
    seen = set()
    todo = [node]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ast.Constant):
            if accept(node.value):
                return True
        elif isinstance(node, ast.Name):
            if node.id in from_imported or node.id in augmented and valued_by.get(node.id):
                return True
            todo += valued_by.get(node.id, ())
        elif isinstance(node, ast.Attribute):
            if isinstance(node.value, ast.Name):
                if node.value.id in imported:
                    return True
                todo += valued_by.get(node.attr, []) + valued_by.get("." + node.attr, [])
        elif isinstance(node, ast.BinOp):
            # a text value (what `accept` takes) needs a text operand: `"a" + x`, `"%s" % x`, `2 * s`
            if may_have_value(facts, node) and (may_evaluate_to(facts, node.left, _text)
                                                or may_evaluate_to(facts, node.right, _text)):
                return True
        elif isinstance(node, (ast.JoinedStr, ast.Subscript, ast.Call)):
            if may_have_value(facts, node):
                return True
    return False


def _text(value: object) -> bool:
    return isinstance(value, (str, bytes))


def may_hold_only(facts, node: ast.expr, accept) -> bool:
    """Whether the constant evaluator may give `node` a non-empty list, tuple, set or dict whose
    every element (key) `accept` may take (may_evaluate_to): a literal collection, followed
    through names and attributes as may_evaluate_to follows them; a name with a value that is
    mutated (consteval's _mutations: `.append(x)`, `name[k] = v`) may hold anything;
    a list comprehension, operation, call or subscript with a value may be any collection."""
    valued_by, augmented, from_imported = evaluated_bindings(facts)
    _, imported, _ = valued_names(facts)
    mutated = _mutated_names(facts)
    seen = set()
    todo = [node]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, (ast.List, ast.Tuple, ast.Set, ast.Dict)):
            elements = node.keys if isinstance(node, ast.Dict) else node.elts
            if any(element is None or isinstance(element, ast.Starred) for element in elements):
                return True  # `{**other}`, `[*other]`
            if elements and all(may_evaluate_to(facts, element, accept) for element in elements):
                return True
        elif isinstance(node, ast.Name):
            bound = valued_by.get(node.id, [])
            if node.id in from_imported or (node.id in augmented or node.id in mutated) and bound:
                return True
            todo += bound
        elif isinstance(node, ast.Attribute):
            if isinstance(node.value, ast.Name):
                if node.value.id in imported:
                    return True
                todo += valued_by.get(node.attr, []) + valued_by.get("." + node.attr, [])
        elif isinstance(node, (ast.ListComp, ast.BinOp, ast.Subscript, ast.Call)):
            if may_have_value(facts, node):
                return True
    return False


def _mutated_names(facts) -> set[str]:
    """Names whose container consteval's _mutations may grow: `name.append(...)` (extend, insert,
    add, update) or `name[key] = value` anywhere."""
    found = facts.memo.get("mutated_names")
    if found is None:
        found = {node.func.value.id for node in nodes(facts, ast.Call) if isinstance(node.func, ast.Attribute)
                 and node.func.attr in ("append", "extend", "insert", "add", "update")
                 and isinstance(node.func.value, ast.Name)}
        found |= {target.value.id for statement in nodes(facts, ast.Assign) for target in statement.targets
                  if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name)}
        facts.memo["mutated_names"] = found
    return found


def evaluated_bindings(facts) -> tuple[dict[str, list[ast.expr]], set[str], set[str]]:
    """(name -> the values consteval's _eval_Name reads for it: `=` to the name itself, annotated,
    walrus, a parameter's default; ".attr" -> values of `o.attr = v`; names also assigned
    augmented; names bound by `from ... import`)."""
    found = facts.memo.get("evaluated_bindings")
    if found is not None:
        return found
    values: dict[str, list[ast.expr]] = defaultdict(list)
    for target, value in bindings(facts):
        if isinstance(target, ast.Name):
            values[target.id].append(value)
        elif isinstance(target, ast.Attribute):
            values["." + target.attr].append(value)
    for node in nodes(facts, ast.arguments):
        positional = [*node.posonlyargs, *node.args]
        for argument, default in [*zip(positional[len(positional) - len(node.defaults):], node.defaults),
                                  *zip(node.kwonlyargs, node.kw_defaults)]:
            if default is not None:
                values[argument.arg].append(default)
    augmented = {node.target.id for node in nodes(facts, ast.AugAssign) if isinstance(node.target, ast.Name)}
    from_imported = {alias.asname or alias.name for node in nodes(facts, ast.ImportFrom) for alias in node.names}
    found = (values, augmented, from_imported)
    facts.memo["evaluated_bindings"] = found
    return found
