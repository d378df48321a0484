"""The libcst rule framework: a per-module context with resolved metadata, qualified names that
see through aliases, instances and getattr, and the base class every Python checker extends."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import ClassVar

import libcst as cst
from backdoor_lint.checkers.consteval import MAX_DEPTH, Evaluator
from backdoor_lint.checkers.examples import Invalid, Valid
from backdoor_lint.checkers.tree import (
    Binding,
    ModuleTree,
    Scope,
    positions,
    statement_first_lines,
    statement_positions,
    visit_tree,
)

from backdoor_lint.findings import Finding


class ModuleContext:
    """One parsed Python module, shared by all checkers: parents, scopes and bindings from one
    walk over the tree (checkers/tree.py), positions from libcst only when a finding needs one."""

    config = None  # the scan's Config, set by the engine (None in unit tests that build a context)
    # Where the module is (absolute path) and the scan root, set by the engine: the data-origin
    # engine reads modules this one imports from the same tree (checkers/imported_modules.py).
    path: str | None = None
    root: str | None = None
    import_depth = 0  # 0: the scanned file; n: a module reached through n imports
    # The `ast` tree of the same source, set by the engine: positions are then computed one
    # top-level statement at a time (None: for the whole module at the first finding)
    syntax_tree = None

    def __init__(self, display: str, source: str, module: cst.Module) -> None:
        self.display = display
        self.filename = display.rsplit("/", 1)[-1]
        self.source = source
        self.lines = source.splitlines()
        self.module = module
        self.findings: list[Finding] = []
        self._tree: ModuleTree | None = None
        self._positions: dict = {}
        self._first_lines: dict[cst.CSTNode, int] | None = None
        self._class_index: dict[cst.ClassDef, dict[str, list[cst.BaseExpression]]] | None = None
        self._qualnames: dict[cst.CSTNode, frozenset[str]] = {}
        self._resolving: set[cst.CSTNode] = set()
        self._returns: dict[int, list[cst.BaseExpression]] = {}
        self._calls: dict[str, list[cst.Call]] | None = None
        self.evaluator = Evaluator(self)

    # running the checkers -------------------------------------------------------------------
    def run(self, checkers: list[PythonChecker]) -> None:
        """Call every checker's `visit_<Node>` methods on the module's nodes in source order
        (what libcst's batched visit does, on the walk that also builds the scopes)."""
        table: dict[type, list] = {}
        for checker in checkers:
            for node_type, method in _visit_methods(type(checker)):
                table.setdefault(node_type, []).append(getattr(checker, method))
        self._tree = ModuleTree(self.module, frozenset(table))
        for node in self._tree.nodes:
            for visit in table[type(node)]:
                visit(node)

    @property
    def tree(self) -> ModuleTree:
        if self._tree is None:
            self._tree = ModuleTree(self.module)
        return self._tree

    # structure ------------------------------------------------------------------------------
    def position(self, node: cst.CSTNode):
        found = self._positions.get(node)
        if found is None:
            self._positions.update(self._positions_around(node))
            found = self._positions[node]
        return found

    def _positions_around(self, node: cst.CSTNode) -> dict:
        """Positions of the nodes of the top-level statement holding `node` (of the whole module
        when there is no `ast` tree to place the statement, or `node` is in no statement)."""
        if self.syntax_tree is not None and self._first_lines is None:
            self._first_lines = statement_first_lines(self.module, self.syntax_tree) or {}
        statement, parents = node, self.tree.parents
        while parents.get(statement) not in (self.module, None):
            statement = parents[statement]
        first_line = (self._first_lines or {}).get(statement)
        if first_line is None:
            return positions(self.module)
        return statement_positions(self.module, statement, first_line)

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self.tree.parents.get(node)

    def ancestors(self, node: cst.CSTNode) -> Iterator[cst.CSTNode]:
        parents = self.tree.parents
        node = parents.get(node)
        while node is not None:
            yield node
            node = parents.get(node)

    def enclosing(self, node: cst.CSTNode, kind: type | tuple[type, ...]) -> cst.CSTNode | None:
        return next((a for a in self.ancestors(node) if isinstance(a, kind)), None)

    def scope(self, node: cst.Name) -> Scope | None:
        return self.tree.scope_of(node)

    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    # names ----------------------------------------------------------------------------------
    def assignments(self, name: cst.Name) -> list[Binding]:
        """Bindings of `name` visible where it is used (imports, defs and parameters included)."""
        scope = self.scope(name)
        return scope[name.value] if scope is not None else []

    def assigned_values(self, name: cst.Name) -> list[tuple[str, cst.BaseExpression]]:
        """(kind, value) for each assignment of `name` that has a value expression: kind is '='
        for plain and annotated assignments and walrus, or the operator for augmented ones
        ('+=' ...), and 'with' for `with ... as name`."""
        values = []
        for assignment in self.assignments(name):
            target = assignment.node
            parent = self.parent(target)
            if isinstance(parent, cst.AssignTarget):
                statement = self.parent(parent)
                if isinstance(statement, cst.Assign):
                    values.append(("=", statement.value))
            elif isinstance(parent, cst.AnnAssign) and parent.value is not None:
                values.append(("=", parent.value))
            elif isinstance(parent, cst.AugAssign):
                values.append((self.code(parent.operator).strip(), parent.value))
            elif isinstance(parent, cst.NamedExpr):
                values.append(("=", parent.value))
            elif isinstance(parent, cst.AsName):
                item = self.parent(parent)
                if isinstance(item, cst.WithItem):
                    values.append(("with", item.item))
        return values

    def qualnames(self, node: cst.CSTNode, depth: int = 0) -> set[str]:
        """Fully qualified names an expression may refer to, seeing through import aliases,
        instances (`PyJWT().decode`, `c = PyJWT(); c.decode`), `getattr(mod, "na"+"me")` and
        `__import__("mod")`. Names that resolve to nothing imported come back as written.

        Memoised per node: rules ask about the same names over and over, and without it the
        walk through assignments and `self.x` bindings repeats itself exponentially. A node met
        again while its own names are being computed (`x = x.y`) contributes nothing."""
        known = self._qualnames.get(node)
        if known is not None:
            return set(known)
        if depth > MAX_DEPTH or node in self._resolving:
            return set()
        self._resolving.add(node)
        try:
            names = self._qualnames_of(node, depth)
        finally:
            self._resolving.discard(node)
        self._qualnames[node] = frozenset(names)
        return names

    def _qualnames_of(self, node: cst.CSTNode, depth: int) -> set[str]:
        # Names bound in this module (LOCAL) are followed through their assigned values below,
        # so a local variable called `jwt` is not mistaken for the jwt package.
        names = self.tree.import_qualnames(node) if isinstance(node, cst.Name) else set()
        if isinstance(node, cst.Name) and not names and not self.assignments(node) and self.scope(node) is not None:
            # A name bound nowhere in the module (`from x import *`, a snippet without its imports)
            # is read as written: `base64.b64decode` is that module's function, never "unknown".
            names = {node.value}
        if isinstance(node, cst.Name):
            for kind, value in self.assigned_values(node):  # `c = PyJWT()`, `d = jwt.decode`
                if kind in ("=", "with"):
                    names |= self.qualnames(value, depth + 1)
            for binding in self.assignments(node):  # `def f(session: requests.Session)`, `f(requests.Session())`
                if isinstance(binding.node, cst.Param) and node.value not in ("self", "cls") \
                        and isinstance(self.parent(node), cst.Attribute):  # `session.get`: what is session?
                    names |= self._parameter_qualnames(binding.node, depth)
        elif isinstance(node, cst.Attribute):
            for base in self.qualnames(node.value, depth + 1):
                names.add(f"{base}.{node.attr.value}")
            if isinstance(node.value, cst.Name) and node.value.value == "self":
                # `self.session = requests.Session()` elsewhere in the class: `self.session.get`;
                # only a few simple bindings, so long reassignment chains cannot explode
                values = self.self_attribute_values(node)
                for value in values if len(values) <= 3 else ():
                    if isinstance(value, (cst.Call, cst.Name, cst.Attribute)):
                        names |= self.qualnames(value, depth + 1)
        elif isinstance(node, cst.Call):
            func_names = self.qualnames(node.func, depth + 1)
            if func_names & {"builtins.getattr", "getattr"} and len(node.args) >= 2:
                attr = self.evaluator.value(node.args[1].value)
                if isinstance(attr, str):
                    for base in self.qualnames(node.args[0].value, depth + 1):
                        names.add(f"{base}.{attr}")
            elif func_names & {"builtins.__import__", "__import__", "importlib.import_module"} and node.args:
                module = self.evaluator.value(node.args[0].value)
                if isinstance(module, str):
                    names.add(module)
            else:
                names |= func_names  # calling a class or factory: the instance is named after it
        return {_strip_builtins(n) for n in names}

    def _parameter_qualnames(self, param: cst.Param, depth: int) -> set[str]:
        """What a parameter may be: its annotation's class (`session: requests.Session`), or what
        the calls of its function in this module pass (`fetch(requests.Session(), url)`)."""
        names: set[str] = set()
        annotation = param.annotation.annotation if param.annotation is not None else None
        if isinstance(annotation, (cst.Name, cst.Attribute, cst.Call)):
            names |= {n for n in self.qualnames(annotation, depth + 1) if "." in n}
        function = self.enclosing(param, cst.FunctionDef)
        if function is None:
            return names
        ordered = [*function.params.posonly_params, *function.params.params]
        if ordered and ordered[0].name.value in ("self", "cls"):
            ordered = ordered[1:]
        index = next((i for i, p in enumerate(ordered) if p is param), None)
        for call in self.calls_of(function.name.value)[:8]:
            argument = call_argument(call, param.name.value, index)
            if argument is not None:
                names |= self.qualnames(argument, depth + 1)
        return names

    def calls_of(self, name: str) -> list[cst.Call]:
        """Calls in this module of a function or method called `name` (`f(...)`, `self.f(...)`)."""
        if self._calls is None:
            index: dict[str, list[cst.Call]] = {}
            for node in self.tree.parents:  # every node but the module, without a libcst visit
                if isinstance(node, cst.Call):
                    func = node.func
                    if isinstance(func, cst.Name):
                        index.setdefault(func.value, []).append(node)
                    elif isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) \
                            and func.value.value in ("self", "cls"):
                        index.setdefault(func.attr.value, []).append(node)
            self._calls = index
        return self._calls.get(name, [])

    def local_functions(self, call: cst.Call) -> list[cst.FunctionDef]:
        """Functions of this module a call may invoke (by name; methods through self./cls.)."""
        func = call.func
        if isinstance(func, cst.Name):
            return [a.node for a in self.assignments(func) if isinstance(a.node, cst.FunctionDef)]
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value in ("self", "cls"):
            classdef = self.enclosing(call, cst.ClassDef)
            if classdef is not None:
                return [s for s in classdef.body.body if isinstance(s, cst.FunctionDef) and s.name.value == func.attr.value]
        return []

    def returns(self, function: cst.FunctionDef) -> list[cst.BaseExpression]:
        """The expressions `function` returns (not those of functions or lambdas inside it)."""
        cached = self._returns.get(id(function))
        if cached is not None:
            return cached
        found: list[cst.BaseExpression] = []

        class Finder(cst.CSTVisitor):
            def visit_FunctionDef(self, node):
                return node is function

            def visit_Lambda(self, node):
                return False

            def visit_Return(self, node: cst.Return):
                if node.value is not None:
                    found.append(node.value)

        visit_tree(function, Finder())
        self._returns[id(function)] = found
        return found

    def self_attribute_values(self, node: cst.Attribute) -> list[cst.BaseExpression]:
        """Values assigned to `self.<attr>` (in any method) or to `<attr>` in the class body of the
        class enclosing `node` (an Attribute `self.<attr>`). Indexed once per class."""
        classdef = self.enclosing(node, cst.ClassDef)
        return self.class_attribute_values(classdef, node.attr.value) if classdef is not None else []

    def class_attribute_values(self, classdef: cst.ClassDef, attr: str) -> list[cst.BaseExpression]:
        """Values assigned to `attr` in the body of `classdef` or to `self.<attr>`/`cls.<attr>` in
        its methods (and functions nested in them; not in nested classes, which have their own
        self). Shared by qualified names, the constant evaluator and the dataflow."""
        if self._class_index is None:
            self._class_index = self._index_class_attributes()
        return self._class_index.get(classdef, {}).get(attr, [])

    def _index_class_attributes(self) -> dict[cst.ClassDef, dict[str, list[cst.BaseExpression]]]:
        index: dict[cst.ClassDef, dict[str, list[cst.BaseExpression]]] = {}
        for statement in self.tree.assign_statements:
            if statement.value is None:
                continue
            targets = [t.target for t in statement.targets] if isinstance(statement, cst.Assign) else [statement.target]
            classdef = self.enclosing(statement, cst.ClassDef)
            if classdef is None:
                continue
            line = self.parent(statement)
            in_body = line is not None and self.parent(self.parent(line)) is classdef
            for target in targets:
                if in_body and isinstance(target, cst.Name):
                    name = target.value
                elif isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) \
                        and target.value.value in ("self", "cls"):
                    name = target.attr.value
                else:
                    continue
                index.setdefault(classdef, {}).setdefault(name, []).append(statement.value)
        return index


def getattr_name(context: ModuleContext, node: cst.CSTNode) -> tuple[cst.BaseExpression, str] | None:
    """(object, attribute name) of `getattr(object, <name the evaluator knows>)`, else None."""
    if isinstance(node, cst.Call) and len(node.args) >= 2 and context.qualnames(node.func) & {"getattr"}:
        name = context.evaluator.value(node.args[1].value)
        if isinstance(name, str):
            return node.args[0].value, name
    return None


def call_argument(call: cst.Call, keyword: str | None, position: int | None = None,
                  evaluate: Callable[[cst.BaseExpression], object] | None = None) -> cst.BaseExpression | None:
    """The expression passed as `keyword=` or at `position`, if given explicitly; also as an entry
    of a dict literal unpacked into the call (`**{"verify": False}`; with `evaluate`, the
    evaluator's value function, also `**{"ver" + "ify": False}`)."""
    positional = 0
    for arg in call.args:
        if arg.keyword is not None:
            if keyword is not None and arg.keyword.value == keyword:
                return arg.value
        elif arg.star == "":
            if position is not None and positional == position:
                return arg.value
            positional += 1
        elif arg.star == "**" and keyword is not None and isinstance(arg.value, cst.Dict):
            for element in arg.value.elements:
                if not isinstance(element, cst.DictElement):
                    continue
                key = evaluate(element.key) if evaluate is not None else \
                    element.key.evaluated_value if isinstance(element.key, cst.SimpleString) else None
                if key == keyword:
                    return element.value
    return None


_VISIT_METHODS: dict[type, list[tuple[type, str]]] = {}


def _visit_methods(checker_class: type) -> list[tuple[type, str]]:
    """(node class, method name) for each `visit_<Node>` method of a checker class."""
    methods = _VISIT_METHODS.get(checker_class)
    if methods is None:
        methods = []
        for attribute in dir(checker_class):
            assert not attribute.startswith("leave_"), f"{checker_class.__name__}.{attribute}: leave_ hooks are not run"
            if attribute.startswith("visit_"):
                node_type = getattr(cst, attribute[len("visit_"):], None)
                assert isinstance(node_type, type) and issubclass(node_type, cst.CSTNode), \
                    f"{checker_class.__name__}.{attribute} names no libcst node (field hooks are not run)"
                methods.append((node_type, attribute))
        _VISIT_METHODS[checker_class] = methods
    return methods


def _strip_builtins(name: str) -> str:
    return name[len("builtins."):] if name.startswith("builtins.") else name


class PythonChecker:
    """Base class of libcst rules.

    A rule `py_<area>.<Rule>` extends its trigger, the libcst-free class `triggers.<area>.<Rule>`
    (checkers/triggers/: when the rule looks at a file), and this class. Subclasses set CODES (the
    catalogue codes they report) and VALID/INVALID examples, each naming the one code it belongs
    to: the rule's tests and what `explain CODE` shows for that code. They define
    `visit_<Node>` methods named after libcst node classes (ModuleContext.run calls them on every
    such node, in source order; there are no leave_ hooks) and call `self.report(...)`.
    """

    CODES: ClassVar[tuple[str, ...]] = ()
    VALID: ClassVar[list[Valid]] = []
    INVALID: ClassVar[list[Invalid]] = []

    def __init__(self, context: ModuleContext) -> None:
        self.context = context
        self.evaluator = context.evaluator

    def report(self, node: cst.CSTNode, code: str, message: str, confidence: str = "", severity: str = "") -> None:
        """Report a finding at `node`; `severity` ("block"/"warn") overrides the rule's default for
        this site (e.g. a risky pattern that is blocking only when untrusted data reaches it)."""
        assert code in self.CODES, f"{type(self).__name__} reports {code} not in CODES"
        position = self.context.position(node)
        start, end = position.start, position.end
        lines = self.context.lines[start.line - 1 : end.line]
        self.context.findings.append(
            Finding(
                path=self.context.display,
                line=start.line,
                column=start.column + 1,
                end_line=end.line,
                end_column=end.column + 1,
                code=code,
                message=message,
                confidence=confidence,
                severity=severity,
                engine="libcst",
                snippet="\n".join(lines),
            )
        )

    # helpers shared by checkers --------------------------------------------------------------
    def qualnames(self, node: cst.CSTNode) -> set[str]:
        return self.context.qualnames(node)

    def argument(self, call: cst.Call, keyword: str | None, position: int | None = None) -> cst.BaseExpression | None:
        return call_argument(call, keyword, position, self.evaluator.value)

    def argument_values(self, call: cst.Call, keyword: str, position: int | None = None) -> list[object]:
        """Every constant value the argument may take, including through `**kwargs` dicts whose
        content the evaluator can see. Empty if absent or unknown."""
        values: list[object] = []
        explicit = self.argument(call, keyword, position)
        if explicit is not None:
            values.extend(self.evaluator.values(explicit))
        for arg in call.args:
            if arg.star == "**" and not (explicit is not None and isinstance(arg.value, cst.Dict)):  # counted above
                for mapping in self.evaluator.values(arg.value):
                    if isinstance(mapping, dict) and keyword in mapping:
                        values.append(mapping[keyword])
        return values

    def argument_given(self, call: cst.Call, keyword: str, position: int | None = None) -> bool:
        """True if the argument is passed, or may be passed through `*args`/`**kwargs` we cannot see into."""
        if self.argument(call, keyword, position) is not None:
            return True
        for arg in call.args:
            if arg.star == "**":
                mappings = self.evaluator.values(arg.value)
                if not mappings or any(not isinstance(m, dict) or keyword in m for m in mappings):
                    return True
            elif arg.star == "*" and position is not None:
                return True
        return False
