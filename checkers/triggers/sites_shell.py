"""What the site tests of the shell, network, SQL and key-size rules read from a file's tree (see
checkers/triggers/sites.py): whether a call may be one of a qualified-name table's."""
from __future__ import annotations

import ast
from collections import defaultdict

from backdoor_lint.checkers.trigger_facts import subnodes
from backdoor_lint.checkers.triggers.sites import callee_name
from backdoor_lint.checkers.triggers.sites_tree import bindings, nodes, tail
from backdoor_lint.checkers.triggers.sites_values import fetched_names

# -- calls of a qualified-name table (shell, network) ----------------------------------------------
# What `ModuleContext.qualnames` (checkers/base.py) can make of a callee, kept as the last parts
# ("tails") of the names it finds: every qualified name it finds for an expression ends with a
# tail `_tails` gives that expression, or `_tails` gives UNKNOWN.
UNKNOWN = "?"  # not an identifier: a name the evaluator may find any value for (`getattr(m, pick(n))`)
_GETATTR = frozenset({"getattr", UNKNOWN})
_IMPORTER_TAILS = frozenset({"__import__", "import_module", UNKNOWN})


def _spelled_items(node: ast.expr) -> set:
    """What an expression spells before names are followed: `a.b` -> b, `n` -> n; a call stands
    for itself (`_reach` follows it to its callee); anything else names nothing to qualnames."""
    if isinstance(node, ast.Name):
        return {node.id}
    if isinstance(node, ast.Attribute):
        return {node.attr}
    return {node} if isinstance(node, ast.Call) else set()


def _reach(facts, items: set, computed: dict, cache: dict) -> set[str]:
    """The tails `items` stand for: names followed through `_name_sources`, a call to its callee
    (an instance is named after its class) and to the names `computed` gives it."""
    sources = _name_sources(facts)
    found: set[str] = set()
    for item in items:
        reached = cache.get(item)
        if reached is None:
            seen, todo = {item}, [item]
            while todo:
                current = todo.pop()
                following = sources.get(current, ()) if isinstance(current, str) else \
                    _spelled_items(current.func) | computed.get(current, set())
                for other in following:
                    if other not in seen:
                        seen.add(other)
                        todo.append(other)
            reached = cache[item] = {other for other in seen if isinstance(other, str)}
        found |= reached
    return found


def _evaluated_tails(facts, node: ast.expr) -> set[str]:
    """sites_values.fetched_names, UNKNOWN for any name."""
    names = fetched_names(facts, node)
    return {UNKNOWN} if names is None else names


def _computed_names(facts) -> tuple[dict, dict]:
    """(call -> the tails qualnames computes for it, item -> `_reach` of it): `getattr(m, "n")`
    -> n and `__import__("a.b")` / `import_module("a.b")` -> b, for every call whose callee may be
    one of those (the names of the texts the evaluator may find: `_evaluated_tails`).
    Found again until nothing changes, since a computed name may itself be a callee's."""
    known = facts.memo.get("computed_names")
    if known is not None:
        return known
    computed: dict[ast.Call, set[str]] = {}
    candidates = [call for call in nodes(facts, ast.Call) if call.args or call.keywords]
    changed = True
    while changed:
        changed, cache = False, {}
        for call in candidates:
            callee = _reach(facts, _spelled_items(call.func), computed, cache)
            names = set()
            if callee & _GETATTR and len(call.args) + len(call.keywords) >= 2:
                first_two = call.args[:2]
                positional = len(first_two) == 2 and not any(isinstance(a, ast.Starred) for a in first_two)
                names |= _evaluated_tails(facts, first_two[1]) if positional else {UNKNOWN}
            if callee & _IMPORTER_TAILS:
                positional = call.args and not isinstance(call.args[0], ast.Starred)
                names |= _evaluated_tails(facts, call.args[0]) if positional else {UNKNOWN}
            if not names <= computed.get(call, set()):
                computed.setdefault(call, set()).update(names)
                changed = True
    facts.memo["computed_names"] = known = (computed, cache)
    return known


def _name_sources(facts) -> dict[str, set]:
    """Name -> what it may be bound to (`_spelled_items`), the way qualnames follows bindings: import
    aliases; `=`/annotated/walrus/`with ... as` assignments to the name or to any attribute so
    named (`self.x = ...`, which qualnames reads back through `self.x`)."""
    found = facts.memo.get("name_sources")
    if found is not None:
        return found
    found = defaultdict(set)
    for node in nodes(facts, ast.Import) + nodes(facts, ast.ImportFrom):
        for alias in node.names:
            if alias.asname:
                found[alias.asname].add(tail(alias.name))
    for target, value in bindings(facts):
        name = target.id if isinstance(target, ast.Name) else target.attr if isinstance(target, ast.Attribute) else None
        if name is not None:
            found[name] |= _spelled_items(value)
    for name, sources in found.items():
        sources.discard(name)  # `self.name = name`
    facts.memo["name_sources"] = found
    return found


def _parameter_sources(facts) -> dict[str, set]:
    """Parameter name -> what qualnames takes it for where it is the object of an attribute
    (`session.get`): its annotation and the arguments of every call of its function, by any
    position or keyword (for a lambda's parameters: of every function around it)."""
    found = facts.memo.get("parameter_sources")
    if found is not None:
        return found
    found = defaultdict(set)
    calls_by_name: dict[str, list[ast.Call]] = defaultdict(list)
    for call in nodes(facts, ast.Call):
        name = callee_name(call)
        if name is not None:
            calls_by_name[name].append(call)
    for function in nodes(facts, ast.FunctionDef) + nodes(facts, ast.AsyncFunctionDef):
        passed: set = set()
        for call in calls_by_name.get(function.name, ()):
            values = [a for a in call.args if not isinstance(a, ast.Starred)]
            for keyword in call.keywords:
                unpacked = keyword.arg is None and isinstance(keyword.value, ast.Dict)
                values += keyword.value.values if unpacked else [keyword.value]
            for value in values:
                passed |= _spelled_items(value)
        lambdas = [node.args for node in subnodes(function) if isinstance(node, ast.Lambda)]
        for arguments in [function.args, *lambdas]:
            for parameter in arguments.posonlyargs + arguments.args + arguments.kwonlyargs:
                found[parameter.arg] |= passed
                if parameter.annotation is not None:
                    found[parameter.arg] |= _spelled_items(parameter.annotation)
    facts.memo["parameter_sources"] = found
    return found


def _tails_of(facts, items: set) -> set[str]:
    """Every tail of every qualified name qualnames may give what `items` spell, or UNKNOWN."""
    computed, cache = _computed_names(facts)
    return _reach(facts, items, computed, cache)


def _tails(facts, node: ast.expr) -> set[str]:
    """Every tail of every qualified name qualnames may give `node`, or UNKNOWN among them."""
    return _tails_of(facts, _spelled_items(node))


def _object_tails(facts, node: ast.expr) -> set[str]:
    """`_tails` of the object of an attribute (`x` in `x.get`), where qualnames also reads a
    parameter as what its function is given; for `self`, what the class assigns to the attribute
    is read separately (`calls_one_of`)."""
    found = _tails(facts, node)
    if isinstance(node, ast.Name) and node.id not in ("self", "cls"):
        found |= _tails_of(facts, _parameter_sources(facts).get(node.id, set()))
    return found


def _imported_as_written(facts) -> dict[str, set[str]]:
    """Name -> what an import binding it under its own name binds it to, as qualnames names it
    (`from os import system`: system -> os.system; relative imports keep their dots)."""
    found = facts.memo.get("imported_as_written")
    if found is None:
        found = defaultdict(set)
        for node in nodes(facts, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            for alias in node.names:
                if not alias.asname:
                    found[alias.name].add(f"{module}.{alias.name}" if module and not module.endswith(".")
                                          else module + alias.name)
        for node in nodes(facts, ast.Import):
            for alias in node.names:
                if not alias.asname:
                    found[alias.name.partition(".")[0]].add(alias.name.partition(".")[0])
        facts.memo["imported_as_written"] = found
    return found


def _ends_with_one_of(name: str, qualified_names: frozenset[str]) -> bool:
    return any(name == wanted or name.endswith("." + wanted) for wanted in qualified_names)


def calls_one_of(facts, qualified_names: frozenset[str], calls: list[ast.Call] | None = None) -> bool:
    """Whether a call of the file may be one qualnames resolves to a name of `qualified_names`:
    `x.f(...)` with f a tail of one and x standing for what precedes f there (`requests.get`: x
    stands for requests); `self.x(...)` where x is assigned something standing for a tail;
    `f(...)` with f imported as a tail or assigned something standing for one (`run = os.system`);
    a call of a call standing for a tail (`getattr(os, n)(...)`, n unknown: any). Names that end
    with one of `qualified_names` (`vendored.OpenSSL.crypto.PKey.generate_key`) pass too. `calls`:
    only these of the file's calls (a rule that skips some calls whatever their name)."""
    tails = {tail(name) for name in qualified_names} | {UNKNOWN}
    undotted = {name for name in qualified_names if "." not in name}
    before: dict[str, set[str]] = {}  # tail -> the tails of what precedes it
    for name in qualified_names - undotted:
        before.setdefault(tail(name), {UNKNOWN}).add(tail(name.rpartition(".")[0]))
    sources = _name_sources(facts)
    for call in nodes(facts, ast.Call) if calls is None else calls:
        func = call.func
        if isinstance(func, ast.Attribute):
            # qualnames: `<what x stands for>.f`, and for `self.f` what the class assigns to f
            if func.attr in before and _object_tails(facts, func.value) & before[func.attr]:
                return True
            if isinstance(func.value, ast.Name) and func.value.id == "self" \
                    and _tails_of(facts, sources.get(func.attr, set())) & tails:
                return True
        elif isinstance(func, ast.Name):
            # qualnames of a name: what its imports bind it to (under its own name: exactly
            # that, which may be a table name or end with one; under another, a source), what
            # is assigned to it; bound nowhere, the name alone (builtins too), which only an
            # undotted name of the table can be
            imported = _imported_as_written(facts).get(func.id, set())
            if func.id in undotted or any(_ends_with_one_of(name, qualified_names) for name in imported):
                return True
            if _tails_of(facts, sources.get(func.id, set())) & tails:
                return True
        elif _tails(facts, func) & tails:
            return True
    return False


def calls_with_tail(facts, wanted, calls: list[ast.Call] | None = None) -> bool:
    """Whether a call of the file (of `calls`) may be one qualnames gives a name whose tail
    `wanted(tail)` accepts (or a name computed at run time): its callee's own tail and everything
    it stands for."""
    return any(any(name == UNKNOWN or wanted(name) for name in _tails(facts, call.func))
               for call in (nodes(facts, ast.Call) if calls is None else calls))


def calls_attribute(facts, attributes: frozenset[str], calls: list[ast.Call] | None = None) -> bool:
    """Whether the file (`calls`) calls a method spelled with one of `attributes` (`x.execute(...)`)."""
    return any(isinstance(call.func, ast.Attribute) and call.func.attr in attributes
               for call in (nodes(facts, ast.Call) if calls is None else calls))
