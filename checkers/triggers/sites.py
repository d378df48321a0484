"""What the rules' site tests (`PythonTrigger.has_site`) read from a file's `ast` tree, computed once
per file on first use and shared by every rule's test (kept in `PythonFacts.memo`).

A site test says whether the tree holds a node the rule's visitor could report on, from the same
tables the rule uses (never a second, hand-written copy of them). It must over-approximate: any
name the rule resolves through imports, assignments or getattr must be resolved here at least as
far, or the test must let the file through."""
from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Callable
from functools import lru_cache

from backdoor_lint.checkers.module_files import defines
from backdoor_lint.checkers.origin_tables import (
    FASTAPI_PARAMS,
    MUTATING_METHODS,
    NOT_REQUEST_VALUE,
    ORIGIN_TEXT,
    REQUEST_NAMES,
    REQUEST_PARTS,
    REQUEST_QUALNAMES,
    ROUTE_METHODS,
)
from backdoor_lint.checkers.sink_tables import FETCHING_CALLS
from backdoor_lint.checkers.trigger_facts import module_facts, subnodes
from backdoor_lint.checkers.triggers.sites_auth import returned_by
from backdoor_lint.checkers.triggers.sites_scopes import bind_target, local_scope, scope_flows
from backdoor_lint.checkers.triggers.sites_tree import arguments, bindings, bound_names, nodes, tail, transitive
from backdoor_lint.checkers.triggers.sites_values import from_modules_matching, may_be_computed, may_evaluate_to


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
    # a computed name; one the constant evaluator finds no value for: qualnames gives x nothing
    return UNKNOWN_NAME if may_be_computed(facts, fetched) else None


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


def _parameter_meanings(facts, name: str) -> set[str] | None:
    """The names base.ModuleContext._parameter_qualnames may give a parameter `name` (as an
    attribute's receiver): what its annotations stand for and what the module's calls of a
    function that has it pass in any position; None when unknown (a lambda's parameter, an
    argument that may stand for anything)."""
    memo = facts.memo.setdefault("parameter_meanings", {})
    if name in memo:
        return memo[name]
    found: set[str] | None = set()
    functions = set()
    for kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda):
        for function in nodes(facts, kind):
            arguments = function.args
            every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs,
                     *(a for a in (arguments.vararg, arguments.kwarg) if a is not None)]
            for argument in every:
                if argument.arg != name:
                    continue
                if kind is ast.Lambda:
                    memo[name] = None
                    return None
                functions.add(function.name)
                for part in ast.walk(argument.annotation) if argument.annotation is not None else ():
                    if isinstance(part, (ast.Name, ast.Attribute, ast.Call)):
                        meant = stands_for(facts, part)
                        if meant is None:
                            memo[name] = None
                            return None
                        found |= meant
    for call in nodes(facts, ast.Call):
        if callee_name(call) in functions:
            for given in [*call.args, *(keyword.value for keyword in call.keywords)]:
                meant = stands_for(facts, given.value if isinstance(given, ast.Starred) else given)
                if meant is None:
                    memo[name] = None
                    return None
                found |= meant
    memo[name] = found
    return found


def stands_for(facts, node: ast.expr, receiver: bool = False) -> set[str] | None:
    """The names (last parts of qualified names) a rule's qualnames may give `node`, None when it
    cannot tell: `getattr(m, <computed>)`, `__import__(<computed>)`; as the `receiver` of an
    attribute, a parameter also stands for what `_parameter_meanings` finds."""
    aliases = wider_names(facts)
    if isinstance(node, (ast.Name, ast.Attribute)):
        name = node.id if isinstance(node, ast.Name) else node.attr
        names = {name} | aliases.get(name, set())
        if UNKNOWN_NAME in names:
            return None
        if receiver and isinstance(node, ast.Name) and name in _parameters(facts):
            passed = _parameter_meanings(facts, name)
            if passed is None:
                return None
            names |= passed
        return names
    if isinstance(node, ast.Call):
        names = stands_for(facts, node.func)
        if names is None:
            return None
        for fetcher, position in _NAME_FETCHERS.items():
            if fetcher in names and len(node.args) > position:
                fetched = node.args[position]
                if isinstance(fetched, ast.Constant) and isinstance(fetched.value, str):
                    names = names | {fetched.value.rpartition(".")[2]}
                elif may_be_computed(facts, fetched):
                    return None  # (a name the evaluator finds no value for adds nothing)
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
    if isinstance(node, ast.Name) and node.id not in bound_names(facts):
        return node.id in qualified_names  # qualnames reads a name nothing binds as written
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


_REQUEST_HOLDERS = REQUEST_NAMES | {tail(n) for n in REQUEST_QUALNAMES}


def may_be_request(facts, holder: ast.expr) -> bool:
    """origins.is_request, over-approximated: `x.request`, a request name or qualified name, a
    parameter that may be one (`_request_parameters`)."""
    if isinstance(holder, ast.Attribute) and holder.attr == "request":
        return True
    if isinstance(holder, ast.Name) and holder.id in _request_parameters(facts):
        return True
    names = stands_for(facts, holder)
    return names is None or not names.isdisjoint(_REQUEST_HOLDERS)


def _request_parameters(facts) -> set[str]:
    """Parameters is_request may take for a request (by name, over every function that has one):
    annotated with a request class (`Request` in the annotation, or a name standing for one), or
    passed a request by a call of their function in the module (base.ModuleContext's
    `_parameter_qualnames`: `f(flask.request)`, `self.f(self.request)`)."""
    found = facts.memo.get("request_parameters")
    if found is not None:
        return found
    found = set()
    by_function: dict[str, list[tuple[int | None, ast.arg]]] = {}
    for function in nodes(facts, ast.FunctionDef) + nodes(facts, ast.AsyncFunctionDef):
        arguments = function.args
        positional = arguments.posonlyargs + arguments.args
        ordered = [(i, a) for i, a in enumerate(positional)]
        if positional and positional[0].arg in ("self", "cls"):
            ordered = [(i - 1, a) for i, a in ordered[1:]]
        ordered += [(None, a) for a in [*arguments.kwonlyargs, arguments.vararg, arguments.kwarg] if a is not None]
        by_function.setdefault(function.name, []).extend(ordered)
        for _, argument in ordered:
            annotation = argument.annotation
            if annotation is not None and ("Request" in ast.unparse(annotation) or any(
                    stands_for(facts, n) is None or not stands_for(facts, n).isdisjoint(_REQUEST_HOLDERS)
                    for n in ast.walk(annotation) if isinstance(n, (ast.Name, ast.Attribute, ast.Call)))):
                found.add(argument.arg)
    for call in nodes(facts, ast.Call):
        parameters = by_function.get(callee_name(call))
        if not parameters:
            continue
        # what base.call_argument may find: positional and keyword arguments, entries of a dict
        # written out after `**` (not `*args` or `**kwargs`, which it does not read)
        passed = [a for a in call.args if not isinstance(a, ast.Starred)]
        passed += [k.value for k in call.keywords if k.arg is not None]
        passed += [value for k in call.keywords if k.arg is None and isinstance(k.value, ast.Dict) for value in k.value.values]
        if any(_passes_request(facts, a) for a in passed):
            # which parameter receives it depends on positions and keywords: every one may
            found |= {a.arg for _, a in parameters}
    found -= {"self", "cls"}
    facts.memo["request_parameters"] = found
    return found


def _passes_request(facts, argument: ast.expr) -> bool:
    """May the qualnames of an argument hold a request's (`flask.request`, `self.request`)?"""
    if isinstance(argument, ast.Attribute) and argument.attr == "request":
        return True
    names = stands_for(facts, argument)
    return names is None or not names.isdisjoint(_REQUEST_HOLDERS)


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
    for node in nodes(facts, ast.Assign):
        for target in node.targets:
            bind_target(found, target, node.value)
    for kind in (ast.AugAssign, ast.AnnAssign, ast.NamedExpr):
        for node in nodes(facts, kind):
            if node.value is not None:
                bind_target(found, node.target, node.value)
    for kind in (ast.For, ast.AsyncFor, ast.comprehension):
        for node in nodes(facts, kind):
            bind_target(found, node.target, node.iter)
    for node in nodes(facts, ast.withitem):
        if node.optional_vars is not None:
            bind_target(found, node.optional_vars, node.context_expr)
    facts.memo["values_by_name"] = found
    return found


def flows_from(facts, key: str, mentions, seeds=frozenset(), more_values=None, methods: bool = False):
    """A test "may this expression carry what `mentions` spots": the expression holds a node for
    which `mentions(node)` is true, or a name bound (`values_by_name`, plus `more_values(name)`:
    more expressions, e.g. a function's returns) to such an expression, through any chain of
    names, or one of the names `seeds`; with `methods`, `self.x` and `cls.x` count as the name x (a
    call `self.x()` of a method whose returns `more_values` gives). Every sub-expression is entered:
    more than the rules' walks (origins.walk) follow. A name read in a function that binds it in
    its own scope is followed to that function's bindings only (sites_scopes.local_scope), as the
    rules' walks through `assignments` follow it; any other name to every binding of the file;
    `seeds` and `more_values` go by the name alone. Names are followed only as far as a question
    needs (names found clean are remembered). Memoised under `key`."""
    found = facts.memo.get(key)
    if found is not None:
        return found
    values = values_by_name(facts)
    direct_cache: dict[int, tuple[bool, set]] = {}
    clean: set = set()  # names, or (function, name) pairs, whose values reach nothing `mentions` spots
    clean_more: set[str] = set()  # names whose `more_values` reach nothing `mentions` spots

    def direct(expression: ast.AST) -> tuple[bool, set]:
        known = direct_cache.get(id(expression))
        if known is not None:
            return known
        hit, names = False, set()
        for node in subnodes(expression):
            if isinstance(node, ast.Name):
                scope = local_scope(facts, node)
                names.add(node.id if scope is None else (scope, node.id))
            elif methods and isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id in ("self", "cls"):
                names.add(node.attr)
            if mentions(node):
                hit = True
                break
        direct_cache[id(expression)] = hit, names
        return hit, names

    def carries(expression: ast.AST) -> bool:
        hit, names = direct(expression)
        if hit:
            return True
        todo = [name for name in names if name not in clean]
        seen = set(todo)
        extended = set()  # names whose `more_values` this question has followed
        while todo:
            entry = todo.pop()
            name = entry if isinstance(entry, str) else entry[1]
            if name in seeds:
                return True
            bound = values.get(name, []) if isinstance(entry, str) else scope_flows(facts, entry[0]).get(name, [])
            if more_values is not None and name not in extended and name not in clean_more:
                extended.add(name)  # (the same for every function's `name`: followed once)
                bound = bound + more_values(name)
            for value in bound:
                hit, inner = direct(value)
                if hit:
                    return True
                for other in inner:
                    if other not in seen and other not in clean:
                        seen.add(other)
                        todo.append(other)
        clean.update(seen)  # nothing reachable from them was spotted
        clean_more.update(extended)
        return False

    facts.memo[key] = carries
    return carries


def dataflow_carries(facts, key: str, mentions, seeds=frozenset()):
    """A test "may Dataflow.taints find in this expression a taint from an origin `mentions`
    spots" (flows_from, memoised under `key`), over what Dataflow.taints follows: assignments,
    returns of the module's functions, what the module's calls pass to a parameter (every call of
    a function of that name, any argument; every call for a lambda's), values of `self.x`, and
    mutations (`x.append(v)`, `x[k] = v`: Dataflow.mutations), or one of the names `seeds`. Every
    call is taken to pass its arguments on."""
    found = facts.memo.get(key)
    if found is not None:
        return found
    more: dict[str, list[ast.expr]] = defaultdict(list)  # mutations and attribute values
    every_argument = [given for call in nodes(facts, ast.Call) for given in arguments(call)]
    calls_by_name: dict[str, list[ast.expr]] = defaultdict(list)
    for call in nodes(facts, ast.Call):
        name = callee_name(call)
        if name is not None:
            calls_by_name[name] += arguments(call)
        if isinstance(call.func, ast.Attribute) and call.func.attr in MUTATING_METHODS \
                and isinstance(call.func.value, ast.Name):
            more[call.func.value.id] += arguments(call)
    for target, value in bindings(facts):
        if isinstance(target, ast.Attribute):
            more[target.attr].append(value)
        elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
            more[target.value.id].append(value)
    owners: dict[str, list[str | None]] = defaultdict(list)  # parameter -> its functions' names (None: a lambda)
    for kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda):
        for function in nodes(facts, kind):
            given = function.args
            for argument in [*given.posonlyargs, *given.args, *given.kwonlyargs,
                             *(a for a in (given.vararg, given.kwarg) if a is not None)]:
                owners[argument.arg].append(None if kind is ast.Lambda else function.name)

    def more_values(name: str) -> list[ast.expr]:
        found = more.get(name, []) + returned_by(facts, name)
        for owner in owners.get(name, ()):
            found += every_argument if owner is None else calls_by_name.get(owner, [])
        return found

    return flows_from(facts, key, mentions, seeds, more_values, methods=True)


def request_input(facts, key: str, skipped: Callable[[], set[int]]):
    """A test "this expression may be request input" as the dataflow (flow_sources.request_part,
    routed_parameter) and origins.request_source see it: it holds a request part or a routed
    parameter (`request_sources`), or a name bound anywhere to one (flows_from: every binding of
    that name, every sub-expression entered), not counting the request parts whose attribute nodes
    are in `skipped()` (ids; asked once, as the test is memoised under `key`)."""
    found = facts.memo.get(key)
    if found is not None:
        return found
    mentions, routed = request_sources(facts, skipped())
    return flows_from(facts, key, mentions, routed)


def request_sources(facts, skipped: set[int] = frozenset()):
    """(a test "this node is a request part", the parameters that are request input): a request
    part is `request.headers` (unless its attribute node is one of `skipped`, ids) or
    `getattr(request, "GET")`; a parameter, one of a routed function or one with a call as default
    (`Header(None)`)."""
    routed: set[str] = set()
    for function in nodes(facts, ast.FunctionDef) + nodes(facts, ast.AsyncFunctionDef):
        given = function.args
        positional = given.posonlyargs + given.args
        defaults = [None] * (len(positional) - len(given.defaults)) + list(given.defaults)
        pairs = list(zip(positional, defaults)) + list(zip(given.kwonlyargs, given.kw_defaults))
        routed |= {a.arg for a, default in pairs
                   if isinstance(default, ast.Call) and may_stand_for(facts, default.func, FASTAPI_PARAMS)}
        if any(isinstance(d, ast.Attribute) and d.attr in ROUTE_METHODS
               for d in (d.func if isinstance(d, ast.Call) else d for d in function.decorator_list)):
            every = [a for a, _ in pairs] + [a for a in (given.vararg, given.kwarg) if a is not None]
            routed |= {a.arg for a in every if not NOT_REQUEST_VALUE.match(a.arg)}

    def mentions(node: ast.AST) -> bool:
        if isinstance(node, ast.Attribute):
            return node.attr in REQUEST_PARTS and id(node) not in skipped and may_be_request(facts, node.value)
        if isinstance(node, ast.Call):  # getattr_name: `getattr(request, "GET")`, a name the evaluator finds
            given = arguments(node)
            if len(given) >= 2:
                callee = stands_for(facts, node.func)
                return (callee is None or "getattr" in callee) and may_be_request(facts, given[0]) \
                    and may_evaluate_to(facts, given[1], lambda part: part in REQUEST_PARTS)
        return False

    return mentions, routed


def attacker_sources(facts, in_module):
    """(a test "this node is where the dataflow finds request input or network data", the
    parameters that are request input): a request part (`request_sources`), a call of a sink that
    fetches (FETCHING_CALLS: Dataflow.sink_of), or a name imported from another module of the tree
    whose binding there may carry what the caller's test `in_module` finds (`imported_carrying`)."""
    is_request_part, routed = request_sources(facts)
    imported = imported_carrying(facts, in_module)

    def mentions(node: ast.AST) -> bool:
        if isinstance(node, ast.Name):
            return imported(node.id)
        if isinstance(node, ast.Call) and may_stand_for(facts, node.func, FETCHING_CALLS):
            return True
        return is_request_part(node)

    return mentions, routed


def imported_carrying(facts, in_module):
    """A test "is this name imported with `from` from a module of the tree that Dataflow._imported
    looks into (its text matches ORIGIN_TEXT), where the module's binding of it may carry what the
    caller's test finds": `in_module(facts)` is that test (a function of a file's facts, such as
    `attacker_data`), asked of the module's facts (trigger_facts.module_facts), as _imported asks
    the module's own dataflow about the name's values and what a function of that name returns.
    One test per file and caller's test, shared by all who ask."""
    memo = facts.memo.setdefault("imported_carrying", {})
    if in_module in memo:
        return memo[in_module]
    imported = from_modules_matching(facts, ORIGIN_TEXT)
    verdicts: dict[str, bool] = {}

    def carries(name: str) -> bool:
        if name not in imported:
            return False
        if name not in verdicts:
            verdicts[name] = imported[name] is None or any(
                _module_binding_carries(path, facts.root, there, in_module) for path, there in imported[name])
        return verdicts[name]

    memo[in_module] = carries
    return carries


def any_import_carrying(facts, in_module) -> bool:
    """Whether some name the file imports with `from` may carry what `in_module` finds in its
    module (`imported_carrying`)."""
    carries = imported_carrying(facts, in_module)
    return any(carries(name) for name in from_modules_matching(facts, ORIGIN_TEXT))


def _module_binding_carries(path: str, root: str | None, name: str, in_module) -> bool:
    """Whether the test `in_module(module facts)` holds for the name `name` of the module at
    `path`: for its values and what a function of that name returns (dataflow_carries). A module
    `ast` cannot parse may carry anything; one the rules cannot read carries nothing, nor a name
    its text defines neither as a top-level value nor as a function (imported_modules.resolve asks
    the same of the text before Dataflow._imported parses it: a class, a name it imports)."""
    if not (defines(path, name, "value") or defines(path, name, "function")):
        return False
    module = module_facts(path, root)
    if module is None:
        return False
    if module.tree is None:
        return True
    node = module.memo.setdefault("name_nodes", {}).setdefault(name, ast.Name(name))  # (kept: flows_from memoises by id)
    return in_module(module)(node)


def attacker_data(facts):
    """A test "may Dataflow.attacker_data find request input or network data in this expression":
    whether it may carry (dataflow_carries) what `attacker_sources` spots, here or, for a name
    imported from another module of the tree, there."""
    return facts.memo.get("attacker_data") or dataflow_carries(facts, "attacker_data", *attacker_sources(facts, attacker_data))
