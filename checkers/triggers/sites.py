"""What the rules' site tests (`PythonTrigger.has_site`) read from a file's `ast` tree, computed once
per file on first use and shared by every rule's test (kept in `PythonFacts.memo`).

A site test says whether the tree holds a node the rule's visitor could report on, from the same
tables the rule uses (never a second, hand-written copy of them). It must over-approximate: any
name the rule resolves through imports, assignments or getattr must be resolved here at least as
far, or the test must let the file through."""
from __future__ import annotations

import ast
from bisect import bisect_left, bisect_right
from collections import defaultdict
from functools import lru_cache

from backdoor_lint.checkers.pure_values import MAX_SIZE
from backdoor_lint.checkers.trigger_facts import node_index


def nodes(facts, kind: type) -> list:
    """Every node of the type `kind` (exactly that type) in the file, in no particular order (from
    the one walk trigger_facts.node_index makes of each file)."""
    by_type = facts.memo.get("nodes")
    if by_type is None:
        by_type = facts.memo["nodes"] = node_index(facts.tree)
    return by_type.get(kind, [])


def tail(qualified_name: str) -> str:
    """The last part of a qualified name (`os.path.join` -> `join`): what a call site spells."""
    return qualified_name.rpartition(".")[2]


def callee_name(call: ast.Call) -> str | None:
    """The name a call spells (`f(...)` -> f, `a.b.f(...)` -> f); None when the callee is computed
    (`getattr(m, n)(...)`, `table[k](...)`, `(lambda: 0)()`)."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def other_names(facts) -> dict[str, set[str]]:
    """Name -> the names it may stand for: `import a.b as x` (x -> b), `from m import n as x`
    (x -> n), `x = a.b` or `x = n` anywhere (x -> b, n), `x = getattr(m, "n")` (x -> n); chains are
    followed. A name assigned from anything else stands for nothing known."""
    found = facts.memo.get("other_names")
    if found is not None:
        return found
    direct: dict[str, set[str]] = defaultdict(set)
    for node in nodes(facts, ast.Import) + nodes(facts, ast.ImportFrom):
        for alias in node.names:
            if alias.asname:
                direct[alias.asname].add(tail(alias.name))
    for node in nodes(facts, ast.Assign) + nodes(facts, ast.AnnAssign) + nodes(facts, ast.NamedExpr):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        value = node.value
        spelled = None
        if isinstance(value, ast.Name):
            spelled = value.id
        elif isinstance(value, ast.Attribute):
            spelled = value.attr
        elif isinstance(value, ast.Call) and callee_name(value) == "getattr" and len(value.args) >= 2 \
                and isinstance(value.args[1], ast.Constant) and isinstance(value.args[1].value, str):
            spelled = value.args[1].value
        if spelled is None:
            continue
        for target in targets:
            if isinstance(target, ast.Name) and target.id != spelled:
                direct[target.id].add(spelled)
    found = {}
    for name in direct:  # the closure: `a = os.system; b = a` -> b stands for system too
        seen, todo = set(), [name]
        while todo:
            for other in direct.get(todo.pop(), ()):
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        found[name] = seen
    facts.memo["other_names"] = found
    return found


def called_names(facts) -> set[str]:
    """Every name a call of the file spells, with every name it may stand for (`other_names`)."""
    found = facts.memo.get("called_names")
    if found is None:
        aliases = other_names(facts)
        found = set()
        for call in nodes(facts, ast.Call):
            name = callee_name(call)
            if name is not None:
                found.add(name)
                found |= aliases.get(name, set())
        facts.memo["called_names"] = found
    return found


def has_computed_call(facts) -> bool:
    """A call whose callee is neither a name nor an attribute (`getattr(m, n)(...)`, `t[k](...)`):
    it may call anything."""
    return any(callee_name(call) is None for call in nodes(facts, ast.Call))


# --- randomness and exposure (py_randomness.py, py_exposure.py) ------------------------------------
# A rule's `qualnames` follows more than `other_names`: `x = f(...)` names x after f (an instance is
# named after its class), `with f(...) as x` likewise, `self.x = a.b` makes `self.x` stand for a.b,
# `getattr(m, n)` and `__import__(n)` evaluate n, and a parameter's attributes take the names of its
# annotation or of what the module's calls pass for it. The helpers below follow all of these, as
# names (the last part of a qualified name), or answer "unknown" (None).

UNKNOWN_NAME = "?"  # in wider_names: a name whose value the rule may compute (`getattr(m, "a" + "b")`)
_NAME_FETCHERS = {"getattr": 1, "__import__": 0, "import_module": 0}  # where the fetched name is


def _call_value_name(facts, call: ast.Call) -> str | None:
    """The name `x = <call>` gives x in a rule's qualnames: the callee's (`Flask(...)` -> Flask);
    for `getattr(m, "n")`, `__import__("a.n")` n, or UNKNOWN_NAME when that name is computed."""
    if isinstance(call.func, ast.Call):  # `getattr(random, "Random")(seed)`: named after the inner call
        return _call_value_name(facts, call.func)
    name = callee_name(call)
    fetchers = [p for f, p in _NAME_FETCHERS.items() if f == name or f in other_names(facts).get(name, ())]
    if not fetchers:
        return name
    position = fetchers[0]
    if len(call.args) <= position:
        return name
    fetched = call.args[position]
    if isinstance(fetched, ast.Constant) and isinstance(fetched.value, str):
        return fetched.value.rpartition(".")[2]
    return UNKNOWN_NAME


def wider_names(facts) -> dict[str, set[str]]:
    """`other_names` plus what qualnames also follows: `x = f(...)` (x -> f), `with f(...) as x` /
    `with a.b as x` (x -> f, b), `obj.x = a.b` / `obj.x = f(...)` (x -> b, f). Keyed by name, so an
    attribute and a variable of the same name share their meanings (an over-approximation)."""
    found = facts.memo.get("wider_names")
    if found is not None:
        return found
    direct: dict[str, set[str]] = defaultdict(set)
    for name, meanings in other_names(facts).items():
        direct[name] |= meanings

    def spelled(value: ast.expr) -> str | None:
        if isinstance(value, ast.Name):
            return value.id
        if isinstance(value, ast.Attribute):
            return value.attr
        if isinstance(value, ast.Call):
            return _call_value_name(facts, value)
        return None

    for node in nodes(facts, ast.Assign) + nodes(facts, ast.AnnAssign) + nodes(facts, ast.NamedExpr):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        meaning = spelled(node.value) if node.value is not None else None
        if meaning is None:
            continue
        for target in targets:
            key = target.id if isinstance(target, ast.Name) else target.attr if isinstance(target, ast.Attribute) else None
            if key is not None and key != meaning:
                direct[key].add(meaning)
    for node in nodes(facts, ast.withitem):
        meaning = spelled(node.context_expr)
        if meaning is not None and isinstance(node.optional_vars, ast.Name) and node.optional_vars.id != meaning:
            direct[node.optional_vars.id].add(meaning)
    found = {}
    for name in direct:
        seen, todo = set(), [name]
        while todo:
            for other in direct.get(todo.pop(), ()):
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        found[name] = seen
    facts.memo["wider_names"] = found
    return found


def _parameters(facts) -> set[str]:
    """Every parameter name of the file but self/cls (whose attributes qualnames reads elsewhere)."""
    found = facts.memo.get("parameters")
    if found is None:
        found = {a.arg for a in nodes(facts, ast.arg)} - {"self", "cls"}
        facts.memo["parameters"] = found
    return found


def stands_for(facts, node: ast.expr, receiver: bool = False) -> set[str] | None:
    """The names (last parts of qualified names) a rule's qualnames may give `node`, None when it
    cannot tell: `getattr(m, <computed>)`, `__import__(<computed>)`, or as the `receiver` of an
    attribute a parameter (whose names come from its annotation or from the calls of its function)."""
    aliases = wider_names(facts)
    if isinstance(node, (ast.Name, ast.Attribute)):
        name = node.id if isinstance(node, ast.Name) else node.attr
        names = {name} | aliases.get(name, set())
        if UNKNOWN_NAME in names or receiver and isinstance(node, ast.Name) and name in _parameters(facts):
            return None
        return names
    if isinstance(node, ast.Call):
        names = stands_for(facts, node.func)
        if names is None:
            return None
        for fetcher, position in _NAME_FETCHERS.items():
            if fetcher in names and len(node.args) > position:
                fetched = node.args[position]
                if not (isinstance(fetched, ast.Constant) and isinstance(fetched.value, str)):
                    return None
                names = names | {fetched.value.rpartition(".")[2]}
        return names
    return set()  # a subscript, lambda, literal...: qualnames gives nothing


@lru_cache(maxsize=64)
def _heads_by_last(qualified_names: frozenset[str]) -> dict[str, set[str]]:
    """`{"os.environ.setdefault", "os.putenv"}` -> {setdefault: {os.environ}, putenv: {os}}."""
    found: dict[str, set[str]] = defaultdict(set)
    for qualified in qualified_names:
        head, _, last = qualified.rpartition(".")
        found[last].add(head)
    return dict(found)


def may_stand_for(facts, node: ast.expr, qualified_names: frozenset[str]) -> bool:
    """Whether `node` may stand for one of `qualified_names` in a rule's qualnames: one of their last
    parts, and when `node` spells that part as an attribute (`x.run`), a receiver that may stand
    for the part before it (`Flask`); unknown counts as yes."""
    names = stands_for(facts, node)
    if names is None:
        return True
    table = _heads_by_last(qualified_names if isinstance(qualified_names, frozenset) else frozenset(qualified_names))
    for last in names & table.keys():
        heads = table[last]
        if not (isinstance(node, ast.Attribute) and node.attr == last and all(heads)) \
                or isinstance(node.value, ast.Name) and node.value.id == "self":
            # reached through an alias, or `self.x`, which qualnames also reads as the values
            # assigned to self.x: the receiver is not the one spelled here
            return True
        receiver = stands_for(facts, node.value, receiver=True)
        if receiver is None or not receiver.isdisjoint(tail(head) for head in heads):
            return True
    return False


def has_call_of(facts, qualified_names: frozenset[str]) -> bool:
    """Whether a call of the file has a callee that may stand for one of `qualified_names`
    (may_stand_for)."""
    return any(may_stand_for(facts, call.func, qualified_names) for call in nodes(facts, ast.Call))


def module_assigned(facts) -> set[str]:
    """The names a plain `=` at the module's top level assigns (`DEBUG = True`)."""
    found = facts.memo.get("module_assigned")
    if found is None:
        found = {t.id for s in facts.tree.body if isinstance(s, ast.Assign) for t in s.targets if isinstance(t, ast.Name)}
        facts.memo["module_assigned"] = found
    return found


def lowered_code(facts) -> bytes:
    """The code the text stage of a TRIGGER_LOWER trigger reads, lower-cased."""
    found = facts.memo.get("lowered_code")
    if found is None:
        found = facts.memo["lowered_code"] = facts.code.lower()
    return found


def values_by_name(facts) -> dict[str, list[ast.expr]]:
    """Name -> every expression the file binds a name spelled so to, wherever (what a rule's walk
    through `assignments` may reach, scopes ignored): `=`, `:=`, augmented and annotated
    assignments (each name of a tuple target gets the whole value), `for` and comprehension
    targets (their iterable), `with ... as` (its context expression)."""
    found = facts.memo.get("values_by_name")
    if found is not None:
        return found
    found = defaultdict(list)

    def bind(target: ast.expr, value: ast.expr) -> None:
        if isinstance(target, ast.Name):
            found[target.id].append(value)
        elif isinstance(target, ast.Starred):
            bind(target.value, value)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                bind(element, value)

    for node in nodes(facts, ast.Assign):
        for target in node.targets:
            bind(target, node.value)
    for kind in (ast.AugAssign, ast.AnnAssign, ast.NamedExpr):
        for node in nodes(facts, kind):
            if node.value is not None:
                bind(node.target, node.value)
    for kind in (ast.For, ast.AsyncFor, ast.comprehension):
        for node in nodes(facts, kind):
            bind(node.target, node.iter)
    for node in nodes(facts, ast.withitem):
        if node.optional_vars is not None:
            bind(node.optional_vars, node.context_expr)
    facts.memo["values_by_name"] = found
    return found


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


def arguments(call: ast.Call) -> list[ast.expr]:
    """The call's argument expressions in source order, as libcst's `Call.args` lists them
    (keywords and starred arguments included, each by its value)."""
    found = [*call.args, *call.keywords]
    if call.keywords and call.args:
        found.sort(key=lambda node: (node.lineno, node.col_offset))
    return [node.value if isinstance(node, (ast.Starred, ast.keyword)) else node for node in found]


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


def _closure(direct: dict[str, set[str]]) -> dict[str, set[str]]:
    found = {}
    for name in direct:
        seen, todo = set(), [name]
        while todo:
            for other in direct.get(todo.pop(), ()):
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        found[name] = seen
    return found


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
    bindings: list[tuple[ast.expr, ast.expr]] = []
    for node in nodes(facts, ast.Assign):
        bindings += [(target, node.value) for target in node.targets]
    for node in nodes(facts, ast.AnnAssign) + nodes(facts, ast.NamedExpr):
        if node.value is not None:
            bindings.append((node.target, node.value))
    for node in nodes(facts, ast.withitem):
        if node.optional_vars is not None:
            bindings.append((node.optional_vars, node.context_expr))
    for target, value in bindings:
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
    found = _closure(direct)
    while True:  # `g = getattr` then `x = g(m, "n")`: what a callee may be decides what x stands for
        more = False
        for name, call in named_by_call:
            for extra in _named_by(facts, call, found):
                if extra not in direct[name]:
                    direct[name].add(extra)
                    more = True
        if not more:
            break
        found = _closure(direct)
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


def _valued_names(facts) -> tuple[set[str], set[str], set[str]]:
    """(names the constant evaluator may find a value for: assigned with `=`/annotation/walrus,
    imported with `from`, parameters with a default; names whose attributes it may know: bound by
    an import, or assigned an instance `Name()`; attribute names assigned anywhere: `x.a = v`, or a
    name `a = v` of a class body)."""
    found = facts.memo.get("valued_names")
    if found is not None:
        return found
    valued, imported, attributes = set(), set(), set()
    for node in nodes(facts, ast.Assign) + nodes(facts, ast.AnnAssign) + nodes(facts, ast.NamedExpr):
        value = node.value
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and not value.args and not value.keywords:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            imported.update(target.id for target in targets if isinstance(target, ast.Name))
    targets = [target for node in nodes(facts, ast.Assign) for target in node.targets]
    targets += [node.target for node in nodes(facts, ast.AnnAssign) + nodes(facts, ast.AugAssign)]
    targets += [node.target for node in nodes(facts, ast.NamedExpr)]
    for target in targets:
        if isinstance(target, ast.Name):
            valued.add(target.id)
            attributes.add(target.id)
        elif isinstance(target, ast.Attribute):
            attributes.add(target.attr)
    for node in nodes(facts, ast.ImportFrom) + nodes(facts, ast.Import):
        for alias in node.names:
            bound = alias.asname or (alias.name if isinstance(node, ast.ImportFrom) else alias.name.split(".")[0])
            imported.add(bound)
            if isinstance(node, ast.ImportFrom):
                valued.add(bound)
    for node in nodes(facts, ast.arguments):
        positional = [*node.posonlyargs, *node.args]
        valued.update(arg.arg for arg in positional[len(positional) - len(node.defaults):])
        valued.update(arg.arg for arg, default in zip(node.kwonlyargs, node.kw_defaults) if default is not None)
    found = (valued, imported, attributes)
    facts.memo["valued_names"] = found
    return found


def may_have_value(facts, node: ast.expr) -> bool:
    """Whether the rules' constant evaluator (checkers/consteval.py) may find a value for `node`;
    False only where it finds none: a name that is only a loop, `with`, `except` or unpacking
    target, or a parameter without a default (the evaluator reads `=` assignments, `from`
    imports and defaults); an attribute other than `self.x`/`Class.x`/`module.x`/`instance.x` of
    an attribute assigned somewhere, of a name neither imported nor assigned an instance (`cfg =
    Settings()`: a class attribute, maybe of another module's class); an operation or f-string
    with such a part. Anything else may."""
    valued, imported, attributes = _valued_names(facts)
    todo = [node]  # every part must have a value (iterative: `a + b + ...` may be deeply nested)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Name):
            if node.id not in valued:
                return False
        elif isinstance(node, ast.Attribute):
            # the evaluator follows attributes of a name only (`a.b.c`: none)
            if not (isinstance(node.value, ast.Name) and (node.attr in attributes or node.value.id in imported)):
                return False
        elif isinstance(node, ast.BinOp):
            todo += [node.left, node.right]
        elif isinstance(node, ast.JoinedStr):
            todo += [part.value for part in node.values if isinstance(part, ast.FormattedValue)]
        elif isinstance(node, ast.UnaryOp):
            todo.append(node.operand)
        elif isinstance(node, ast.Subscript):
            todo.append(node.value)
    return True


# -- calls of a qualified-name table (shell, network) ----------------------------------------------
# What `ModuleContext.qualnames` (checkers/base.py) can make of a callee, kept as the last parts
# ("tails") of the names it finds: every qualified name it finds for an expression ends with a
# tail `_tails` gives that expression, or `_tails` gives UNKNOWN.
UNKNOWN = "?"  # not an identifier: a name computed at run time (`getattr(m, "sys" + "tem")`)
_GETATTR = frozenset({"getattr", UNKNOWN})
_IMPORTER_TAILS = frozenset({"__import__", "import_module", UNKNOWN})


def _constant_string(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


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


def _computed_names(facts) -> tuple[dict, dict]:
    """(call -> the tails qualnames computes for it, item -> `_reach` of it): `getattr(m, "n")`
    -> n and `__import__("a.b")` / `import_module("a.b")` -> b, for every call whose callee may be
    one of those (the evaluator may compute the string: anything but a literal gives UNKNOWN).
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
                literal = len(first_two) == 2 and not any(isinstance(a, ast.Starred) for a in first_two)
                name = _constant_string(first_two[1]) if literal else None
                names.add(name if name is not None else UNKNOWN)
            if callee & _IMPORTER_TAILS:
                literal = call.args and not isinstance(call.args[0], ast.Starred)
                module = _constant_string(call.args[0]) if literal else None
                names.add(tail(module) if module is not None else UNKNOWN)
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
    bound: list[tuple[ast.expr, ast.expr]] = []
    for node in nodes(facts, ast.Assign):
        bound += [(target, node.value) for target in node.targets]
    for node in nodes(facts, ast.AnnAssign) + nodes(facts, ast.NamedExpr):
        if node.value is not None:
            bound.append((node.target, node.value))
    for node in nodes(facts, ast.withitem):
        if node.optional_vars is not None:
            bound.append((node.optional_vars, node.context_expr))
    for target, value in bound:
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
        lambdas = [node.args for node in ast.walk(function) if isinstance(node, ast.Lambda)]
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


def calls_one_of(facts, qualified_names: frozenset[str]) -> bool:
    """Whether a call of the file may be one qualnames resolves to a name of `qualified_names`:
    `x.f(...)` with f a tail of one and x standing for what precedes f there (`requests.get`: x
    stands for requests); `self.x(...)` where x is assigned something standing for a tail;
    `f(...)` with f imported as a tail or assigned something standing for one (`run = os.system`);
    a call of a call standing for a tail (`getattr(os, n)(...)`, n unknown: any). Names that end
    with one of `qualified_names` (`vendored.OpenSSL.crypto.PKey.generate_key`) pass too."""
    tails = {tail(name) for name in qualified_names} | {UNKNOWN}
    undotted = {name for name in qualified_names if "." not in name}
    before: dict[str, set[str]] = {}  # tail -> the tails of what precedes it
    for name in qualified_names - undotted:
        before.setdefault(tail(name), {UNKNOWN}).add(tail(name.rpartition(".")[0]))
    sources = _name_sources(facts)
    for call in nodes(facts, ast.Call):
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


def calls_with_tail(facts, wanted) -> bool:
    """Whether a call of the file may be one qualnames gives a name whose tail `wanted(tail)`
    accepts (or a name computed at run time): its callee's own tail and everything it stands for."""
    return any(any(name == UNKNOWN or wanted(name) for name in _tails(facts, call.func))
               for call in nodes(facts, ast.Call))


def calls_attribute(facts, attributes: frozenset[str]) -> bool:
    """Whether the file calls a method spelled with one of `attributes` (`x.execute(...)`)."""
    return any(isinstance(call.func, ast.Attribute) and call.func.attr in attributes for call in nodes(facts, ast.Call))


# -- auth (py_auth.py, py_fail_open.py) -------------------------------------------------------------
FUNCTION_TYPES = (ast.FunctionDef, ast.AsyncFunctionDef)


def functions(facts) -> list:
    """Every `def` and `async def` of the file."""
    return nodes(facts, ast.FunctionDef) + nodes(facts, ast.AsyncFunctionDef)


def first_line(node: ast.AST) -> int:
    """The first line of a node, its decorators' included (libcst's FunctionDef holds them)."""
    return min([node.lineno] + [decorator.lineno for decorator in getattr(node, "decorator_list", ())])


class Lines:
    """Line numbers, to ask whether any lies within a node's lines."""

    def __init__(self, lines) -> None:
        self.lines = sorted(lines)

    def any_within(self, node: ast.AST) -> bool:
        index = bisect_left(self.lines, first_line(node))
        return index < len(self.lines) and self.lines[index] <= node.end_lineno


class Spans:
    """The lines of some nodes (merged), to ask whether a line lies within one of them."""

    def __init__(self, spanning) -> None:
        merged: list[list[int]] = []
        for start, end in sorted((first_line(node), node.end_lineno) for node in spanning):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self.starts = [start for start, _ in merged]
        self.ends = [end for _, end in merged]

    def contains(self, line: int) -> bool:
        index = bisect_right(self.starts, line) - 1
        return index >= 0 and line <= self.ends[index]


def spelled(facts, node: ast.AST) -> str | None:
    """The code of an expression as `ast.unparse` writes it, for a rule's regex over libcst's code
    of the same node. None when it spans lines holding a `#`: there libcst's code holds comments
    the regex would read (facts.code keeps every line inside a statement, comment lines too)."""
    if isinstance(node, ast.Name):
        return node.id
    if node.end_lineno != node.lineno and _may_hold_comment(facts, node):
        return None
    try:
        if isinstance(node, ast.Attribute):
            base = spelled(facts, node.value)
            return None if base is None else f"{base}.{node.attr}"
        return ast.unparse(node)
    except RecursionError:  # deeply nested: unknown, so it may match
        return None


def _may_hold_comment(facts, node: ast.AST) -> bool:
    lines = facts.memo.get("code_lines")
    if lines is None:
        code = facts.code
        # a lone CR ends a line for Python, not for split(): then line numbers differ, all lines may
        lines = facts.memo["code_lines"] = code.split(b"\n") if code.count(b"\r") == code.count(b"\r\n") else []
    if not lines or node.end_lineno > len(lines):
        return True
    return any(b"#" in lines[number - 1] for number in range(node.lineno, node.end_lineno + 1))


def bound_names(facts) -> set[str]:
    """Every name the file binds: assigned, imported, defined, or a parameter."""
    found = facts.memo.get("bound_names")
    if found is None:
        found = {node.id for node in nodes(facts, ast.Name) if not isinstance(node.ctx, ast.Load)}
        found |= {node.arg for node in nodes(facts, ast.arg)}
        found |= {node.name for kind in (*FUNCTION_TYPES, ast.ClassDef) for node in nodes(facts, kind)}
        for node in nodes(facts, ast.Import) + nodes(facts, ast.ImportFrom):
            found |= {alias.asname or alias.name.partition(".")[0] for alias in node.names}
        facts.memo["bound_names"] = found
    return found


def names_bound_to_calls(facts) -> set[str]:
    """Names assigned (also by unpacking or `:=`) from a call, or bound by `with ... as`: what the
    rules' qualnames may resolve to the called function's names, or to a `getattr` computed name."""
    found = facts.memo.get("names_bound_to_calls")
    if found is None:
        found = set()
        for node in nodes(facts, ast.Assign) + nodes(facts, ast.AnnAssign) + nodes(facts, ast.NamedExpr):
            if isinstance(node.value, ast.Call):
                for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    found |= {name.id for name in ast.walk(target) if isinstance(name, ast.Name)}
        for item in nodes(facts, ast.withitem):
            if item.optional_vars is not None:
                found |= {name.id for name in ast.walk(item.optional_vars) if isinstance(name, ast.Name)}
        facts.memo["names_bound_to_calls"] = found
    return found
