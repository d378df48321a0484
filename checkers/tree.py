"""One pass over a parsed module that gives the rules everything they ask libcst's metadata for:
parents, name bindings per scope (what ScopeProvider records), the qualified names imports give
(what QualifiedNameProvider adds), and the nodes each rule's `visit_*` methods want.

Why not libcst's providers: each of them is a libcst visit, and a libcst visit re-creates every
node it passes; ScopeProvider also needs ExpressionContextProvider, another full visit. Together
they cost several times the parse (DESIGN.md §7). This module reads the nodes' fields instead and
skips whitespace and punctuation, which is most of a libcst tree. tests/test_tree.py checks the
results against libcst's own providers.

Semantics follow ScopeProvider: bindings are flow-insensitive (every assignment of a name in a
scope), function and comprehension scopes skip enclosing class bodies, `global`/`nonlocal` move
bindings, decorators/defaults/annotations/bases belong to the enclosing scope, and a
comprehension's first iterable is evaluated outside it.
"""
from __future__ import annotations

import ast
import builtins
import dataclasses

import libcst as cst

BUILTIN_NAMES = frozenset(dir(builtins))

# Fields that only hold layout (whitespace, parentheses, commas, colons ...): never walked.
_LAYOUT_FIELDS = frozenset({
    "lpar", "rpar", "leading_lines", "lines_after_decorators", "header", "footer", "empty_lines",
    "trailing_whitespace", "comma", "semicolon", "colon", "first_colon", "second_colon", "dot",
    "lbrace", "rbrace", "lbracket", "rbracket", "newline", "equal", "relative", "posonly_ind",
    "trailing_comma", "comment", "leading_whitespace", "whitespace", "asynchronous", "separator",
})
_FIELDS: dict[type, tuple[str, ...]] = {}

# Where the source order differs from the dataclass field order, in the nodes rules care about.
_ORDER = {
    cst.FunctionDef: ("decorators", "name", "type_parameters", "params", "returns", "body"),
    cst.ClassDef: ("decorators", "name", "type_parameters", "bases", "keywords", "body"),
    cst.IfExp: ("body", "test", "orelse"),
}


def node_fields(node_type: type) -> tuple[str, ...]:
    """The fields of a node class that can hold child nodes, layout left out, in source order."""
    names = _FIELDS.get(node_type)
    if names is None:
        names = tuple(f.name for f in dataclasses.fields(node_type)
                      if f.name not in _LAYOUT_FIELDS and not f.name.startswith("whitespace"))
        preferred = _ORDER.get(node_type)
        if preferred:
            names = tuple(n for n in preferred if n in names) + tuple(n for n in names if n not in preferred)
        names = _FIELDS[node_type] = names
    return names


class Binding:
    """One binding of a name, shaped like libcst's `Assignment`: `node` is the Name assigned to,
    or the Param, FunctionDef, ClassDef, Import or ImportFrom that binds it; `references` are the
    uses of the name that may see this binding (objects with a `.node`, the Name used)."""

    __slots__ = ("name", "node", "scope", "qualname", "_references")

    def __init__(self, name: str, node: cst.CSTNode, scope: Scope, qualname: str | None = None) -> None:
        self.name = name
        self.node = node
        self.scope = scope
        self.qualname = qualname  # for imports: the dotted name the binding refers to
        self._references: list[Access] | None = None

    @property
    def references(self) -> list[Access]:
        if self._references is None:
            self.scope.tree.link_references()
        return self._references or []


class Access:
    __slots__ = ("node", "scope")

    def __init__(self, node: cst.Name, scope: Scope) -> None:
        self.node = node
        self.scope = scope


class Scope:
    """A module, class, function/lambda or comprehension scope. `scope[name]` lists the bindings
    a use of `name` in this scope may see (as libcst's Scope does)."""

    def __init__(self, tree: ModuleTree, kind: str, node: cst.CSTNode, parent: Scope | None) -> None:
        self.tree = tree
        self.kind = kind  # "module", "class", "function" or "comprehension"
        self.node = node
        self.parent = parent
        self.bindings: dict[str, list[Binding]] = {}
        self.global_names: set[str] = set()
        self.nonlocal_names: set[str] = set()
        tree.scopes.append(self)

    def bind(self, name: str, node: cst.CSTNode, qualname: str | None = None) -> None:
        scope = self
        if name in self.global_names:
            scope = self.tree.module_scope
        elif name in self.nonlocal_names and self.parent is not None:
            scope = self.parent._function_owner(name)
        scope.bindings.setdefault(name, []).append(Binding(name, node, scope, qualname))

    def _function_owner(self, name: str) -> Scope:
        scope: Scope | None = self
        while scope is not None:
            if scope.kind != "class" and name in scope.bindings:
                return scope
            scope = scope.parent
        return self

    def __getitem__(self, name: str) -> list[Binding]:
        if name in self.global_names:
            return self.tree.module_scope.bindings.get(name, [])
        if name in self.bindings and name not in self.nonlocal_names:
            return self.bindings[name]
        scope = self.parent
        while scope is not None:
            if scope.kind == "class":  # class bodies are not visible from nested scopes
                scope = scope.parent
                continue
            if name in scope.bindings:
                return scope.bindings[name]
            scope = scope.parent
        return []

    def __contains__(self, name: str) -> bool:
        return bool(self[name])


LOAD, STORE, NOT_A_REFERENCE = 0, 1, 2
_TARGET_CONTAINERS = (cst.Tuple, cst.List, cst.Element, cst.StarredElement)


class ModuleTree:
    """Parents, scopes and bindings of one module, from one walk over its fields. `wanted` is the
    set of node classes whose instances are collected, in source order, into `nodes`."""

    def __init__(self, module: cst.Module, wanted: frozenset[type] = frozenset()) -> None:
        self.module = module
        self.parents: dict[cst.CSTNode, cst.CSTNode] = {}
        self.name_scopes: dict[cst.Name, Scope] = {}
        self.accesses: list[Access] = []
        self.nodes: list[cst.CSTNode] = []
        self.assign_statements: list[cst.Assign | cst.AnnAssign] = []  # every `=` statement, in source order
        self.scopes: list[Scope] = []
        self.module_scope = Scope(self, "module", module, None)
        self._linked = False
        self._comprehension_outer: dict[cst.CompFor, Scope] = {}
        self._walk(module, wanted)

    # queries ----------------------------------------------------------------------------------
    def scope_of(self, name: cst.Name) -> Scope | None:
        return self.name_scopes.get(name)

    def import_qualnames(self, name: cst.Name) -> set[str]:
        """What the name may refer to through imports (`jwt`, `jwt.decode` for `from jwt import
        decode`), or `builtins.<name>` for an unbound builtin; locally assigned names give nothing."""
        scope = self.name_scopes.get(name)
        if scope is None:
            return set()
        bindings = scope[name.value]
        if not bindings:
            return {"builtins." + name.value} if name.value in BUILTIN_NAMES else set()
        return {b.qualname for b in bindings if b.qualname is not None}

    def link_references(self) -> None:
        """Fill every binding's `references` (done once, when a rule first asks)."""
        if self._linked:
            return
        self._linked = True
        for scope in self.scopes:
            for bindings in scope.bindings.values():
                for binding in bindings:
                    binding._references = []
        for access in self.accesses:
            for binding in access.scope[access.node.value]:
                binding._references.append(access)  # type: ignore[union-attr]

    # the walk ---------------------------------------------------------------------------------
    def _walk(self, module: cst.Module, wanted: frozenset[type]) -> None:
        parents = self.parents
        name_scopes = self.name_scopes
        accesses = self.accesses
        nodes = self.nodes
        # (node, parent, scope, mode); children are pushed in reverse so they pop in source order
        stack: list[tuple[cst.CSTNode, cst.CSTNode | None, Scope, int]] = [(module, None, self.module_scope, LOAD)]
        push = stack.append
        while stack:
            node, parent, scope, mode = stack.pop()
            if parent is not None:
                parents[node] = parent
            kind = type(node)
            if kind in wanted:
                nodes.append(node)
            if kind is cst.Name:
                name_scopes[node] = scope
                if mode == STORE:
                    scope.bind(node.value, node)
                elif mode == LOAD:
                    accesses.append(Access(node, scope))
                continue
            special = _SPECIAL.get(kind)
            if special is not None:
                children = special(self, node, scope, mode)
            else:
                child_mode = mode if (mode == STORE and isinstance(node, _TARGET_CONTAINERS)) else LOAD
                children = [(child, scope, child_mode) for child in child_nodes(node)]
            for child, child_scope, child_mode in reversed(children):
                push((child, node, child_scope, child_mode))


def _field_nodes(node: cst.CSTNode, field_names) -> list[cst.CSTNode]:
    """The nodes held in the given fields of `node` (single nodes and sequences), in that order."""
    out = []
    for field_name in field_names:
        value = getattr(node, field_name, None)
        kind = type(value)
        if kind in _SEQUENCES:
            out.extend(item for item in value if _is_node(type(item)))
        elif _is_node(kind):
            out.append(value)
    return out


_SEQUENCES = frozenset({tuple, list})
_NODE_KINDS: dict[type, bool] = {}


def _is_node(kind: type) -> bool:
    """issubclass(kind, cst.CSTNode), memoised: CSTNode is an ABC, and an isinstance check against
    it costs several times a dict lookup on a walk that asks it for every field of every node."""
    known = _NODE_KINDS.get(kind)
    if known is None:
        known = _NODE_KINDS[kind] = issubclass(kind, cst.CSTNode)
    return known


def child_nodes(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The node's children in source order, layout (whitespace, punctuation) left out."""
    return _field_nodes(node, node_fields(type(node)))


def nodes_outside_functions(node: cst.CSTNode):
    """The node and its descendants, without entering lambdas or function definitions (whose
    code does not run where they are written)."""
    stack = [node]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.Lambda, cst.FunctionDef)):
            continue
        yield node
        stack.extend(child_nodes(node))


def _children(node: cst.CSTNode, scope: Scope, mode: int, *field_names: str) -> list:
    return [(child, scope, mode) for child in _field_nodes(node, field_names)]


def _attribute(tree, node: cst.Attribute, scope, mode):
    return [(node.value, scope, LOAD), (node.attr, scope, NOT_A_REFERENCE)]


def _assign(tree, node: cst.Assign | cst.AnnAssign, scope, mode):
    tree.assign_statements.append(node)
    if isinstance(node, cst.AnnAssign):
        return [(node.target, scope, STORE)] + _children(node, scope, LOAD, "annotation", "value")
    return [(t, scope, STORE) for t in node.targets] + [(node.value, scope, LOAD)]


def _assign_target(tree, node: cst.AssignTarget, scope, mode):
    return [(node.target, scope, STORE)]


def _target_then_rest(*rest: str):
    def handler(tree, node, scope, mode):
        return [(node.target, scope, STORE)] + _children(node, scope, LOAD, *rest)
    return handler


def _with_item(tree, node: cst.WithItem, scope, mode):
    out = [(node.item, scope, LOAD)]
    if node.asname is not None:
        out.append((node.asname, scope, STORE))
    return out


def _as_name(tree, node: cst.AsName, scope, mode):
    return [(node.name, scope, mode)]


def _except(tree, node, scope, mode):
    out = _children(node, scope, LOAD, "type")
    if node.name is not None:
        out.append((node.name, scope, STORE))
    return out + _children(node, scope, LOAD, "body")


def _import(tree, node, scope, mode):
    if isinstance(node.names, cst.ImportStar):
        return []
    module = ""
    if isinstance(node, cst.ImportFrom):
        module = "." * len(node.relative) + (_dotted(node.module) if node.module is not None else "")
    for alias in node.names:
        full = _dotted(alias.name)
        if isinstance(node, cst.ImportFrom):
            full = f"{module}.{full}" if module and not module.endswith(".") else module + full
        if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
            scope.bind(alias.asname.name.value, node, full)
        elif isinstance(node, cst.ImportFrom):
            scope.bind(full.rsplit(".", 1)[-1], node, full)
        else:
            scope.bind(full.split(".", 1)[0], node, full.split(".", 1)[0])
    return [(alias, scope, NOT_A_REFERENCE) for alias in node.names]


def _no_references(tree, node, scope, mode):
    return _children(node, scope, NOT_A_REFERENCE, *node_fields(type(node)))


def _function(tree, node: cst.FunctionDef, scope, mode):
    scope.bind(node.name.value, node)
    inner = Scope(tree, "function", node, scope)
    return (_children(node, scope, LOAD, "decorators") + [(node.name, scope, NOT_A_REFERENCE)]
            + _children(node, scope, LOAD, "type_parameters") + [(node.params, inner, LOAD)]
            + _children(node, scope, LOAD, "returns") + [(node.body, inner, LOAD)])


def _lambda(tree, node: cst.Lambda, scope, mode):
    inner = Scope(tree, "function", node, scope)
    return [(node.params, inner, LOAD), (node.body, inner, LOAD)]


def _param(tree, node: cst.Param, scope, mode):
    scope.bind(node.name.value, node)
    outer = scope.parent or scope  # walked in the function's scope; defaults/annotations belong outside
    return [(node.name, scope, NOT_A_REFERENCE)] + _children(node, outer, LOAD, "annotation", "default")


def _class(tree, node: cst.ClassDef, scope, mode):
    scope.bind(node.name.value, node)
    inner = Scope(tree, "class", node, scope)
    return (_children(node, scope, LOAD, "decorators") + [(node.name, scope, NOT_A_REFERENCE)]
            + _children(node, scope, LOAD, "type_parameters", "bases", "keywords") + [(node.body, inner, LOAD)])


def _arg(tree, node: cst.Arg, scope, mode):
    out = [(node.value, scope, LOAD)]
    if node.keyword is not None:
        out.append((node.keyword, scope, NOT_A_REFERENCE))
    return out


def _global(tree, node, scope, mode):
    names = scope.global_names if isinstance(node, cst.Global) else scope.nonlocal_names
    names.update(item.name.value for item in node.names)
    return [(item, scope, NOT_A_REFERENCE) for item in node.names]


def _comprehension(tree, node, scope, mode):
    inner = Scope(tree, "comprehension", node, scope)
    for_in = node.for_in
    out = [(for_in, inner, LOAD)]  # CompFor below: its first iter goes to the outer scope
    tree._comprehension_outer[for_in] = scope
    if isinstance(node, cst.DictComp):
        out = [(node.key, inner, LOAD), (node.value, inner, LOAD)] + out
    else:
        out = [(node.elt, inner, LOAD)] + out
    return out


def _comp_for(tree, node: cst.CompFor, scope, mode):
    outer = tree._comprehension_outer.pop(node, scope)
    return ([(node.target, scope, STORE), (node.iter, outer, LOAD)] + _children(node, scope, LOAD, "ifs")
            + _children(node, scope, LOAD, "inner_for_in"))


def _match_capture(tree, node, scope, mode):
    out = []
    for field_name in node_fields(type(node)):
        value = getattr(node, field_name)
        if field_name in ("name", "rest") and isinstance(value, cst.Name):
            out.append((value, scope, STORE))  # `case [x, *rest]`, `case {**rest}`, `as name`
        elif field_name == "key" and isinstance(value, cst.Name):
            out.append((value, scope, NOT_A_REFERENCE))  # keyword of a class pattern
        else:
            out += _children(node, scope, LOAD, field_name)
    return out


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


_SPECIAL = {
    cst.Attribute: _attribute,
    cst.Assign: _assign,
    cst.AssignTarget: _assign_target,
    cst.AnnAssign: _assign,
    cst.AugAssign: _target_then_rest("operator", "value"),
    cst.NamedExpr: _target_then_rest("value"),
    cst.For: _target_then_rest("iter", "body", "orelse"),
    cst.WithItem: _with_item,
    cst.AsName: _as_name,
    cst.ExceptHandler: _except,
    cst.ExceptStarHandler: _except,
    cst.Import: _import,
    cst.ImportFrom: _import,
    cst.ImportAlias: _no_references,
    cst.FunctionDef: _function,
    cst.Lambda: _lambda,
    cst.Param: _param,
    cst.ClassDef: _class,
    cst.Arg: _arg,
    cst.Global: _global,
    cst.Nonlocal: _global,
    cst.NameItem: _no_references,
    cst.ListComp: _comprehension,
    cst.SetComp: _comprehension,
    cst.GeneratorExp: _comprehension,
    cst.DictComp: _comprehension,
    cst.CompFor: _comp_for,
    cst.MatchAs: _match_capture,
    cst.MatchStar: _match_capture,
    cst.MatchMapping: _match_capture,
    cst.MatchKeywordElement: _match_capture,
}


def visit_tree(root: cst.CSTNode, visitor: cst.CSTVisitor) -> None:
    """`root.visit(visitor)` for read-only visitors, without re-creating every node (libcst's visit
    does) and without layout nodes: `visit_X` returning False skips the children, `leave_X` runs
    after them. Iterative, so deep trees cannot exhaust the recursion limit."""
    stack: list[tuple[cst.CSTNode, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            visitor.on_leave(node)
        elif visitor.on_visit(node):
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(child_nodes(node)))
        else:
            visitor.on_leave(node)


def _skip_validation(self) -> None:
    pass


def parse_module(source: str) -> cst.Module:
    """`libcst.parse_module` without re-validating each node the parser builds (a quarter of the
    parse time; the parser only builds valid nodes). Syntax errors still raise ParserSyntaxError."""
    original = cst.CSTNode.__post_init__
    cst.CSTNode.__post_init__ = _skip_validation  # type: ignore[method-assign]
    try:
        return cst.parse_module(source)
    finally:
        cst.CSTNode.__post_init__ = original  # type: ignore[method-assign]


def positions(module: cst.Module) -> dict:
    """Node -> CodeRange, as `MetadataWrapper(module).resolve(PositionProvider)` gives, from the
    provider's codegen pass alone: resolving through the wrapper first runs a full libcst visit of
    the module that this provider does not use (it doubles the cost). Only files with findings or
    line numbers in messages pay for this."""
    from libcst.metadata import PositionProvider

    provider = PositionProvider()
    provider._gen_impl(module)
    return provider._computed


def statement_positions(module: cst.Module, statement: cst.CSTNode, first_line: int) -> dict:
    """`positions(module)` of the nodes of one top-level statement of `module`, whose code (its
    leading blank and comment lines included) starts on `first_line`: the codegen of that
    statement alone, where a file's first finding would otherwise pay for the whole module's."""
    from libcst.metadata import PositionProvider
    from libcst.metadata.position_provider import PositionProvidingCodegenState

    provider = PositionProvider()
    state = PositionProvidingCodegenState(default_indent=module.default_indent,
                                          default_newline=module.default_newline, provider=provider)
    state.line = first_line
    statement._codegen(state)
    return provider._computed


def statement_first_lines(module: cst.Module, syntax_tree: ast.Module) -> dict[cst.CSTNode, int] | None:
    """Top-level statement of `module` -> the line its code starts on (leading lines included),
    from the `ast` tree of the same text: the libcst statements in order match the ast
    statements in order (a line of `a; b` holds two), and an ast statement starts on its own or
    its first decorator's line. None if they do not match up."""
    found: dict[cst.CSTNode, int] = {}
    body = syntax_tree.body
    index = 0
    for statement in module.body:
        if index >= len(body):
            return None
        first = body[index]
        line = min([first.lineno] + [decorator.lineno for decorator in getattr(first, "decorator_list", ())])
        above = len(statement.leading_lines)
        decorators = getattr(statement, "decorators", ())
        if decorators:
            above += len(decorators[0].leading_lines)  # (comment lines between `def`'s own and the first `@`)
        found[statement] = line - above
        index += len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1
    return found if index == len(body) else None
