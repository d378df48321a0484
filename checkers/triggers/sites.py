"""What the rules' site tests (`PythonTrigger.has_site`) read from a file's `ast` tree, computed once
per file on first use and shared by every rule's test (kept in `PythonFacts.memo`).

A site test says whether the tree holds a node the rule's visitor could report on, from the same
tables the rule uses (never a second, hand-written copy of them). It must over-approximate: any
name the rule resolves through imports, assignments or getattr must be resolved here at least as
far, or the test must let the file through."""
from __future__ import annotations

import ast
from collections import defaultdict
from functools import lru_cache

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
    found = transitive(direct)  # `a = os.system; b = a` -> b stands for system too
    facts.memo["other_names"] = found
    return found


def transitive(direct: dict[str, set[str]]) -> dict[str, set[str]]:
    """Name -> every name reachable from it through `direct` (name -> the names it stands for
    directly), itself left out unless a cycle leads back to it."""
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


def bindings(facts) -> list[tuple[ast.expr, ast.expr]]:
    """(target, value) of every binding with a value that qualnames follows: `=` (each target),
    annotated and walrus assignments, `with <value> as <target>`."""
    found = facts.memo.get("bindings")
    if found is None:
        found = []
        for node in nodes(facts, ast.Assign):
            found += [(target, node.value) for target in node.targets]
        for node in nodes(facts, ast.AnnAssign) + nodes(facts, ast.NamedExpr):
            if node.value is not None:
                found.append((node.target, node.value))
        for node in nodes(facts, ast.withitem):
            if node.optional_vars is not None:
                found.append((node.optional_vars, node.context_expr))
        facts.memo["bindings"] = found
    return found


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
    found = transitive(direct)
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
