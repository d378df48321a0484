"""Facts about one JavaScript/TypeScript file on tree-sitter: bindings (declarations, assignments,
imports, requires and destructuring), what a name or callee refers to (`qualname`), and a bounded
constant evaluator (`value`): strings built from pieces or decoded, arrays, objects with spreads
and `Object.assign`, member and computed access, returns of local functions."""
from __future__ import annotations

from dataclasses import dataclass

from backdoor_lint.checkers.lang import js_eval
from backdoor_lint.checkers.lang.js_syntax import FUNCTIONS, GLOBAL_OBJECTS, SCOPES, WRAPPERS, module_name, unescape
from backdoor_lint.checkers.lang.syntax import Bindings, Source, ancestors, argument_nodes
from backdoor_lint.checkers.lang.values import MAX_DEPTH, MemoisedValues, Ref


@dataclass(frozen=True)
class Binding:
    scope: object  # the function or program node whose scope holds the name
    start: int  # byte offset of the binding
    value: object  # the value node, or a Ref (imports), or None (parameters: unknown)


class JsFile(MemoisedValues):
    def __init__(self, source: Source, path: str | None = None, root: str | None = None) -> None:
        self.source = source
        self.path, self.root = path, root  # where the file is, for its relative imports (js_imports.py)
        self.bindings = Bindings(source)
        self.members: dict[str, list[tuple[object, object, object]]] = {}  # name -> (scope, key node, value node)
        self.functions: dict[str, list] = {}
        self._values: dict[tuple[int, int], object] = {}
        self._targets: dict[int, tuple[str | None, bool]] = {}  # call node id -> call_target
        self._active: set[int] = set()
        self._collect()

    # facts ------------------------------------------------------------------------------
    def _collect(self) -> None:
        src = self.source
        for node in src.of_type("import_statement"):
            self._import(node)
        for node in src.of_type("variable_declarator"):
            self._bind_pattern(node.child_by_field_name("name"), node.child_by_field_name("value"), node)
        for node in src.of_type("assignment_expression", "augmented_assignment_expression"):
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is None or right is None:
                continue
            if node.type == "augmented_assignment_expression":
                right = node  # `x += y`: evaluated as a whole
            if left.type in ("member_expression", "subscript_expression"):
                base = left.child_by_field_name("object")
                key = left.child_by_field_name("property") or left.child_by_field_name("index")
                if base is not None and base.type == "identifier" and key is not None:
                    self.members.setdefault(src.text(base), []).append((self._scope(node), key, right))
            elif left.type == "identifier" and self.binding(left) is not None:
                # `x = v` re-binds the declared x: same scope, so a flow into it reaches later reads
                declared = self.binding(left)
                self.bindings.add(src.text(left), Binding(declared.scope, node.start_byte, right))
            else:
                self._bind_pattern(left, right, node)
        for node in src.of_type("function_declaration", "generator_function_declaration"):
            name = node.child_by_field_name("name")
            if name is not None:
                self.functions.setdefault(src.text(name), []).append(node)
                self._bind(src.text(name), node, node.parent)
        for node in src.of_type("formal_parameters"):
            for param in node.named_children:
                target = param.child_by_field_name("pattern") or param.child_by_field_name("left") or param
                if target.type == "identifier":
                    self._bind(src.text(target), None, node)
        for node in src.of_type("arrow_function"):
            param = node.child_by_field_name("parameter")
            if param is not None:
                self._bind(src.text(param), None, param)
        for node in src.of_type("call_expression"):
            if self.callee_name(node, 0)[0] == "Object.assign":
                args = argument_nodes(node)
                if args and args[0].type == "identifier":
                    for extra in args[1:]:
                        self.members.setdefault(src.text(args[0]), []).append((self._scope(node), None, extra))

    def _import(self, node) -> None:
        src = self.source
        source = node.child_by_field_name("source")
        if source is None:
            return
        module = module_name(self._string(source))
        clause = next((c for c in node.named_children if c.type == "import_clause"), None)
        if clause is None:
            return
        for part in clause.named_children:
            if part.type == "identifier":  # default import
                self._bind(src.text(part), Ref(module), node)
            elif part.type == "namespace_import":
                name = next((c for c in part.named_children if c.type == "identifier"), None)
                if name is not None:
                    self._bind(src.text(name), Ref(module), node)
            elif part.type == "named_imports":
                for spec in part.named_children:
                    name, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
                    if name is not None:
                        self._bind(src.text(alias or name), Ref(f"{module}.{self._key_text(name)}"), node)

    def _bind_pattern(self, target, value, at) -> None:
        if target is None:
            return
        src = self.source
        if target.type == "identifier":
            self._bind(src.text(target), value, at)
        elif target.type == "object_pattern" and value is not None:
            for part in target.named_children:  # `const {exec: run, spawn} = require('child_process')`
                if part.type == "shorthand_property_identifier_pattern":
                    self._bind(src.text(part), ("member", value, src.text(part)), at)
                elif part.type == "pair_pattern":
                    key, inner = part.child_by_field_name("key"), part.child_by_field_name("value")
                    if key is not None and inner is not None and inner.type == "identifier":
                        self._bind(src.text(inner), ("member", value, self._key_text(key)), at)
                elif part.type == "object_assignment_pattern":
                    left = part.child_by_field_name("left")
                    if left is not None:
                        self._bind(src.text(left), ("member", value, src.text(left)), at)

    def _bind(self, name: str, value, at) -> None:
        self.bindings.add(name, Binding(self._scope(at), at.start_byte, value))

    def _scope(self, node):
        if node.type == "formal_parameters" or node.parent is not None and node.parent.type == "arrow_function" \
                and node.type == "identifier":
            return node.parent
        kind = None
        if node.type == "variable_declarator" and node.parent is not None:
            kind = node.parent.type
        for ancestor in ancestors(node):
            if ancestor.type in SCOPES or kind == "lexical_declaration" and ancestor.type == "statement_block":
                return ancestor
        return self.source.root

    def _key_text(self, key) -> str:
        return self._string(key) if key.type == "string" else self.source.text(key)

    def _string(self, node) -> str:
        raw = self.source.text(node)
        return unescape(raw[1:-1]) if len(raw) >= 2 and raw[0] in "'\"`" else raw

    def binding(self, name_node) -> Binding | None:
        return self.bindings.visible(self.source.text(name_node), name_node)

    # names -----------------------------------------------------------------------------
    def callee_name(self, node, depth: int = 0) -> tuple[str | None, bool]:
        """What an expression refers to, as a dotted name rooted at a module (`child_process.exec`)
        or a global (`eval`, `process.env`), and whether it was reached through a computed name
        (`cp['ex' + 'ec']`, `Reflect.get(cp, 'exec')`, `require('child_' + 'process')`)."""
        if node is None or depth > MAX_DEPTH:
            return None, False
        src = self.source
        kind = node.type
        if kind in WRAPPERS:
            inner = node.named_children[-1] if node.named_children else None
            if kind == "as_expression" and node.named_children:
                inner = node.named_children[0]
            return self.callee_name(inner, depth + 1)
        if kind == "identifier":
            binding = self.binding(node)
            name = src.text(node)
            if binding is None:
                return name, False
            if isinstance(binding.value, Ref):
                return binding.value.name, False
            if isinstance(binding.value, tuple):  # destructured member
                base, computed = self.callee_name(binding.value[1], depth + 1)
                return (f"{base}.{binding.value[2]}" if base else None), computed
            if binding.value is not None and binding.value.type not in FUNCTIONS | {"function_declaration"}:
                return self.callee_name(binding.value, depth + 1)
            return None, False
        if kind in ("member_expression", "subscript_expression"):
            base, computed = self.callee_name(node.child_by_field_name("object"), depth + 1)
            prop = None
            if kind == "member_expression":
                prop = node.child_by_field_name("property")
                key, plain = (src.text(prop) if prop is not None else None), True
            else:  # `cp['exec']`: even a literal key is a way of not writing `cp.exec`
                entry = self._entry(node.child_by_field_name("object"), depth)
                if entry is not None and self.source.text(node.child_by_field_name("index")) == "1":
                    return entry
                key = self.value(node.child_by_field_name("index"), depth + 1)
                key, plain = (key if isinstance(key, str) else None), False
            if prop is not None and key == "value" and plain:  # getOwnPropertyDescriptor(o, k).value
                described = node.child_by_field_name("object")
                if described.type == "call_expression" and computed and base is not None:
                    return base, True
            if base is None or key is None:
                return None, computed
            if base in GLOBAL_OBJECTS:
                return key, computed or not plain
            return f"{base}.{key}", computed or not plain
        if kind == "call_expression":
            return self._call_name(node, depth)
        if kind == "new_expression":
            return self.callee_name(node.child_by_field_name("constructor"), depth + 1)
        return None, False

    def _call_name(self, node, depth: int) -> tuple[str | None, bool]:
        func = node.child_by_field_name("function")
        args = argument_nodes(node)
        if func is not None and func.type == "import":  # import('child_process')
            func_name = "require"
        else:
            func_name, computed = self.callee_name(func, depth + 1)
        if func_name in ("require", "module.require", "process.mainModule.require") and args:
            module = self.value(args[0], depth + 1)
            return (module_name(module) if isinstance(module, str) else None), args[0].type != "string"
        if func_name in ("Reflect.get", "Object.getOwnPropertyDescriptor") and len(args) >= 2:
            base, _ = self.callee_name(args[0], depth + 1)
            key = self.value(args[1], depth + 1)
            if base is not None and isinstance(key, str):
                return (key if base in GLOBAL_OBJECTS else f"{base}.{key}"), True
            return None, True
        if func_name in ("util.promisify", "util/promisify") and args:  # promisify(exec) runs exec
            return self.callee_name(args[0], depth + 1)
        if func is not None and func.type == "member_expression":
            prop = func.child_by_field_name("property")
            if prop is not None and self.source.text(prop) == "bind":  # f.bind(x) is f
                return self.callee_name(func.child_by_field_name("object"), depth + 1)
        return None, False

    def _entry(self, node, depth: int) -> tuple[str | None, bool] | None:
        """`Object.entries(o).find(([k]) => k === 'spawn')` or `.filter(...)[0]`: the entry of o named
        by the literal the callback compares with (its [1] is the member)."""
        if node is not None and node.type == "subscript_expression" and \
                self.source.text(node.child_by_field_name("index")) == "0":
            node = node.child_by_field_name("object")
        if node is None or node.type != "call_expression":
            return None
        func = node.child_by_field_name("function")
        if func is None or func.type != "member_expression" or \
                self.source.text(func.child_by_field_name("property")) not in ("find", "filter"):
            return None
        inner = func.child_by_field_name("object")
        if inner.type != "call_expression" or self.callee_name(inner.child_by_field_name("function"),
                                                               depth + 1)[0] != "Object.entries":
            return None
        key = js_eval.selected_key(self, node)
        args = argument_nodes(inner)
        base = self.callee_name(args[0], depth + 1)[0] if args else None
        return (f"{base}.{key}", True) if base is not None and key is not None else None

    def call_target(self, call) -> tuple[str | None, bool]:
        """The function a call invokes, seeing through `.call`/`.apply` and descriptors' `.value`
        (asked of every call by the rules and again by the flows: computed once)."""
        if call.id not in self._targets:
            self._targets[call.id] = self._call_target(call)
        return self._targets[call.id]

    def _call_target(self, call) -> tuple[str | None, bool]:
        func = call.child_by_field_name("function") if call.type == "call_expression" else \
            call.child_by_field_name("constructor")
        if func is not None and func.type == "member_expression":
            prop = func.child_by_field_name("property")
            if prop is not None and self.source.text(prop) in ("call", "apply", "value"):
                name, computed = self.callee_name(func.child_by_field_name("object"))
                if name is not None and (self.source.text(prop) != "value" or computed):
                    return name, computed
        return self.callee_name(func)

    # values -----------------------------------------------------------------------------
    def _memo_key(self, node):
        return (node.start_byte, node.end_byte)  # the same expression reached through another node object

    def _value(self, node, depth: int):
        return js_eval.evaluate(self, node, depth)

    def render(self, node, depth: int = 0) -> str:
        """A string's known pieces with HOLE for unknown ones (`path.join(os.homedir(), '.aws')`
        renders as `~/.aws`), for rules that look for a credential path inside a built string."""
        return js_eval.render(self, node, depth)

    def returns(self, function) -> list:
        body = function.child_by_field_name("body")
        if body is None:
            return []
        if body.type != "statement_block":
            return [body]
        found, stack = [], [body]
        while stack:
            node = stack.pop()
            if node.type == "return_statement" and node.named_children:
                found.append(node.named_children[0])
            elif node.type not in FUNCTIONS:
                stack.extend(node.named_children)
        return found


__all__ = ["FUNCTIONS", "JsFile"]
