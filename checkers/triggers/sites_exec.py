"""What the site tests of the obfuscated-execution and deserialization rules read from a file's tree
(see checkers/triggers/sites.py): which calls may reach a qualified name of their tables."""
from __future__ import annotations

import ast
from functools import lru_cache

from backdoor_lint.checkers.pure_values import MAX_SIZE
from backdoor_lint.checkers.triggers.sites_tree import arguments, nodes, tail
from backdoor_lint.checkers.triggers.sites_values import (
    IMPORTERS,
    direct_standing,
    fetched_names,
    grown,
    possible_values,
    spelled_names,
)

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
_IMPORTER_NAMES = frozenset({"__import__", "importlib.import_module"})  # as ModuleContext.qualnames sees them


def text_constant(node: ast.expr | None) -> str | bytes | None:
    """The value of a string or bytes literal (implicitly concatenated pieces included) small
    enough for the rules' constant evaluator to know it (pure_values.MAX_SIZE), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)) and len(node.value) <= MAX_SIZE:
        return node.value
    return None


def _last_names(facts, node: ast.expr) -> set[str]:
    """sites_values.fetched_names, ANY for any name."""
    names = fetched_names(facts, node)
    return {ANY} if names is None else names


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
    found = facts.memo["standing_for"] = grown(*direct_standing(facts),
                                               lambda call, standing: _named_by(facts, call, standing))
    return found


def _named_by(facts, call: ast.Call, standing: dict[str, set[str]]) -> set[str]:
    """The last names a call's qualified names may have beyond its callee's: the name that getattr
    (second argument) or a run-time import (first) gets (`_last_names`)."""
    callee = set()
    for name in spelled_names(facts, call.func):
        callee |= {name} | standing.get(name, set())
    given = arguments(call)
    found = set()
    if (ANY in callee or "getattr" in callee) and len(given) >= 2:
        found |= _last_names(facts, given[1])
    if (ANY in callee or callee & IMPORTERS) and given:
        found |= _last_names(facts, given[0])
    return found


def call_names(facts, call: ast.Call) -> frozenset[str]:
    """Every name the call's qualified names may end with (ANY: any name), memoised per call (the
    exec rule's site test asks it of every call for each of its tables)."""
    memo = facts.memo.setdefault("call_names", {})
    found = memo.get(id(call))
    if found is None:
        found = memo[id(call)] = frozenset(_call_names(facts, call))
    return found


def _call_names(facts, call: ast.Call) -> set[str]:
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
        for name in spelled_names(facts, func):
            names |= {name} | standing.get(name, set())
        while isinstance(func, ast.Call):
            names |= _named_by(facts, func, standing)
            func = func.func
        return names
    return set()


def roots(facts) -> set[str]:
    """The first parts a qualified name of the file may have: every name it spells, every part of
    an import path, every part of a literal module name imported at run time (ANY: a computed one).
    With `builtins` a first part (imported, or a name no function binds) any attribute name or name
    a getattr gets may be one too (`builtins.pickle.loads` is stripped to `pickle.loads`)."""
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
                 or call_names(facts, call) & IMPORTERS]
    facts.memo["roots"] = found
    builtins_first = _builtins_imported(facts) or _builtins_free(facts)
    followed = False  # what may follow `builtins.` is in
    while ANY not in found:
        if builtins_first and not followed:
            found |= _after_builtins(facts)
            followed = True
        more = set()
        for call in importers:
            if may_name(facts, call, _IMPORTER_NAMES):
                given = arguments(call)
                modules = possible_values(facts, given[0]) if given else frozenset()
                if modules is None:
                    more.add(ANY)
                else:  # (a module name the evaluator finds no value for names nothing)
                    for module in modules:
                        if isinstance(module, str):
                            more.update(module.split("."))
                            builtins_first = builtins_first or module.partition(".")[0] == "builtins"
        if more <= found and followed == builtins_first:
            break
        found |= more
    return found


def _builtins_imported(facts) -> bool:
    """`import builtins`, `import builtins.x as y`, `from builtins import x`: qualified names that
    begin with `builtins.`."""
    return any(alias.name.partition(".")[0] == "builtins" for node in nodes(facts, ast.Import) for alias in node.names) \
        or any(not node.level and (node.module or "").partition(".")[0] == "builtins"
               for node in nodes(facts, ast.ImportFrom))


def _after_builtins(facts) -> set[str]:
    """What may follow `builtins.` in a qualified name: an attribute name, the first part of a name
    getattr gets (ANY: a computed one)."""
    found = {node.attr for node in nodes(facts, ast.Attribute)}
    for call in nodes(facts, ast.Call):
        given = arguments(call)
        names = call_names(facts, call)
        if len(given) >= 2 and (ANY in names or "getattr" in names):
            values = possible_values(facts, given[1])
            if values is None:
                return {ANY}
            found |= {value.partition(".")[0] for value in values if isinstance(value, str)}
    return found


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.ListComp, ast.SetComp,
           ast.DictComp, ast.GeneratorExp)


def _builtins_free(facts) -> bool:
    """Whether a name `builtins` may be read where no function binds it (the rules then read it as
    the module `builtins`): not all its uses lie in the body of a function that has a parameter or
    assigns a local so called (`def __init__(self, builtins=None)`), nor is it declared global."""
    uses = [node for node in nodes(facts, ast.Name) if node.id == "builtins"]
    if not uses:
        return False
    if any("builtins" in node.names for node in nodes(facts, ast.Global) + nodes(facts, ast.Nonlocal)):
        return True
    spans = []
    for kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda):
        for function in nodes(facts, kind):
            if _binds_locally(function, "builtins"):
                body = function.body if isinstance(function.body, list) else [function.body]
                first = body[0]
                line = min([first.lineno] + [d.lineno for d in getattr(first, "decorator_list", ())])
                spans.append(((line, 0 if line < first.lineno else first.col_offset),
                              (function.end_lineno, function.end_col_offset)))
    return any(not any(start <= (use.lineno, use.col_offset) and (use.end_lineno, use.end_col_offset) <= end
                       for start, end in spans) for use in uses)


def _binds_locally(function, name: str) -> bool:
    """A parameter of the function, or a name it assigns in its own scope (not in a nested one)."""
    arguments_ = function.args
    parameters = [*arguments_.posonlyargs, *arguments_.args, *arguments_.kwonlyargs,
                  *(a for a in (arguments_.vararg, arguments_.kwarg) if a is not None)]
    if any(parameter.arg == name for parameter in parameters):
        return True
    todo = list(function.body) if isinstance(function.body, list) else [function.body]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
            return True
        if not isinstance(node, _SCOPES):
            todo.extend(ast.iter_child_nodes(node))
    return False


def may_name(facts, call: ast.Call, qualified_names: frozenset[str]) -> bool:
    """Whether one of the call's qualified names may be in `qualified_names`."""
    names = call_names(facts, call)
    if not names:
        return False
    file_roots = roots(facts)
    any_root = ANY in file_roots
    by_tail = _by_tail(qualified_names)
    for name in by_tail if ANY in names else names & by_tail.keys():
        if any_root or not by_tail[name].isdisjoint(file_roots):
            return True
    return False


@lru_cache(maxsize=64)
def _by_tail(qualified_names: frozenset[str]) -> dict[str, frozenset[str]]:
    """Last name -> the first parts of the qualified names of the table that end with it."""
    found: dict[str, set[str]] = {}
    for qualified in qualified_names:
        found.setdefault(tail(qualified), set()).add(qualified.partition(".")[0])
    return {name: frozenset(firsts) for name, firsts in found.items()}
