"""Facts about one Java file on tree-sitter: imports, bindings (fields, `static final` constants,
fields assigned in constructors, locals, parameters), what a call refers to (`qualname`: the
receiver chain with the first name resolved through the imports) and a bounded constant
evaluator: string literals and `+`, constants of any class in the file (`Config.ALG`), array
initialisers, `new String(...)`, `String.join`/`format`-free concatenation, `getBytes()`,
`Base64.getDecoder().decode(...)` and returns of the file's own methods."""
from __future__ import annotations

import re
from dataclasses import dataclass

from backdoor_lint.checkers.lang import java_imports
from backdoor_lint.checkers.lang.syntax import Bindings, Source, ancestors, argument_nodes
from backdoor_lint.checkers.lang.values import MAX_DEPTH, UNKNOWN, MemoisedValues, decode_base64, known

SCOPES = frozenset({"method_declaration", "constructor_declaration", "lambda_expression", "class_body",
                    "program"})
_ESCAPE = re.compile(r"\\(u+[0-9a-fA-F]{4}|[0-7]{1,3}|.)")
_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "s": " "}


def _unescape(raw: str) -> str:
    def one(match: re.Match) -> str:
        body = match.group(1)
        if body[0] == "u":
            return chr(int(body.lstrip("u"), 16))
        if body[0] in "01234567":
            return chr(int(body, 8))
        return _SIMPLE.get(body, body)
    return _ESCAPE.sub(one, raw) if "\\" in raw else raw


@dataclass(frozen=True)
class Binding:
    scope: object
    start: int
    value: object  # value node or None


class JavaFile(MemoisedValues):
    def __init__(self, source: Source, is_test: bool = False, path: str | None = None,
                 root: str | None = None) -> None:
        self.source = source
        self.is_test = is_test  # test code: sample keys are expected there
        self.path, self.root = path, root  # where the file is, for the classes it uses (java_imports.py)
        self.imports: dict[str, str] = {}
        self.static_imports: dict[str, str] = {}  # `import static a.B.C;`: C -> a.B
        self.bindings = Bindings(source)
        self.methods: dict[str, list] = {}
        self.constants: dict[str, object] = {}  # `Class.NAME` -> value node (any class of the file)
        self._values: dict[int, object] = {}
        self._active: set[int] = set()
        self._collect()

    def _collect(self) -> None:
        src = self.source
        for node in src.of_type("import_declaration"):
            name = next((c for c in node.named_children if c.type in ("scoped_identifier", "identifier")), None)
            if name is not None:
                full = src.text(name)
                self.imports[full.rsplit(".", 1)[-1]] = full
                if any(c.type == "static" for c in node.children) and "." in full:
                    self.static_imports[full.rsplit(".", 1)[-1]] = full.rsplit(".", 1)[0]
        for node in src.of_type("variable_declarator"):
            name, value = node.child_by_field_name("name"), node.child_by_field_name("value")
            if name is None:
                continue
            self._bind(src.text(name), value, node)
            holder = node.parent
            if holder is not None and holder.type in ("field_declaration", "constant_declaration"):
                owner = next((a for a in ancestors(holder) if a.type in ("class_declaration", "interface_declaration",
                                                                        "enum_declaration")), None)
                owner_name = owner.child_by_field_name("name") if owner is not None else None
                if owner_name is not None and value is not None:
                    self.constants[f"{src.text(owner_name)}.{src.text(name)}"] = value
        for node in src.of_type("resource"):  # try (InputStream in = ...): a local like any other
            name, value = node.child_by_field_name("name"), node.child_by_field_name("value")
            if name is not None:
                self._bind(src.text(name), value, node)
        for node in src.of_type("assignment_expression"):
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is None or right is None:
                continue
            if left.type == "field_access" and src.text(left.child_by_field_name("object")) == "this":
                self._bind(src.text(left.child_by_field_name("field")), right, node, field=True)
            elif left.type == "identifier":
                self._bind(src.text(left), right, node)
        for node in src.of_type("formal_parameter", "spread_parameter"):
            name = node.child_by_field_name("name")
            if name is not None:
                self._bind(src.text(name), None, node)
        for node in src.of_type("inferred_parameters"):
            for name in node.named_children:
                self._bind(src.text(name), None, node)
        for node in src.of_type("method_declaration"):
            name = node.child_by_field_name("name")
            if name is not None:
                self.methods.setdefault(src.text(name), []).append(node)

    def _bind(self, name: str, value, at, field: bool = False) -> None:
        if field:  # `this.x = v` in a constructor: a binding of the class' field
            scope = next((a for a in ancestors(at) if a.type == "class_body"), self.source.root)
        else:
            scope = next((a for a in ancestors(at) if a.type in SCOPES), self.source.root)
        self.bindings.add(name, Binding(scope, at.start_byte, value))

    def binding(self, name_node) -> Binding | None:
        return self.bindings.visible(self.source.text(name_node), name_node)

    # names ------------------------------------------------------------------------------
    def qualname(self, node, depth: int = 0) -> str | None:
        """`Runtime.getRuntime().exec` -> `Runtime.getRuntime.exec`; `r.exec` with r bound to
        `Runtime.getRuntime()` the same; `new ProcessBuilder` -> `ProcessBuilder`."""
        if node is None or depth > MAX_DEPTH:
            return None
        src = self.source
        kind = node.type
        if kind in ("identifier", "type_identifier"):
            binding = self.binding(node) if kind == "identifier" else None
            if binding is not None:
                return self.qualname(binding.value, depth + 1) if binding.value is not None else None
            return src.text(node)
        if kind in ("scoped_identifier", "scoped_type_identifier"):
            return src.text(node).rsplit(".", 1)[-1] if "." in src.text(node) else src.text(node)
        if kind == "field_access":
            base = self.qualname(node.child_by_field_name("object"), depth + 1)
            return f"{base}.{src.text(node.child_by_field_name('field'))}" if base else None
        if kind == "method_invocation":
            receiver = node.child_by_field_name("object")
            name = src.text(node.child_by_field_name("name"))
            if receiver is None:
                return name
            base = self.qualname(receiver, depth + 1)
            return f"{base}.{name}" if base else None
        if kind == "object_creation_expression":
            return self.qualname(node.child_by_field_name("type"), depth + 1)
        if kind == "parenthesized_expression" and node.named_children:
            return self.qualname(node.named_children[0], depth + 1)
        if kind == "cast_expression":
            return self.qualname(node.child_by_field_name("value"), depth + 1)
        return None

    # values -----------------------------------------------------------------------------
    def _value(self, node, depth: int):
        src = self.source
        kind = node.type
        if kind == "string_literal":
            text = src.text(node)
            return _unescape(text[3:-3] if text.startswith('"""') else text[1:-1])
        if kind == "character_literal":
            return _unescape(src.text(node)[1:-1])
        if kind in ("decimal_integer_literal", "hex_integer_literal"):
            try:
                return int(src.text(node).rstrip("lL").replace("_", ""), 0)
            except ValueError:
                return UNKNOWN
        if kind in ("true", "false"):
            return kind == "true"
        if kind in ("parenthesized_expression",) and node.named_children:
            return self.value(node.named_children[0], depth + 1)
        if kind == "cast_expression":
            return self.value(node.child_by_field_name("value"), depth + 1)
        if kind == "identifier":
            binding = self.binding(node)
            if binding is None and src.text(node) in self.static_imports and self.path is not None:
                return java_imports.constant(self, self.static_imports[src.text(node)], src.text(node), depth)
            return self.value(binding.value, depth + 1) if binding is not None else UNKNOWN
        if kind == "field_access":
            target = self.constants.get(src.text(node).removeprefix("this."))
            if src.text(node).startswith("this."):
                field = node.child_by_field_name("field")
                binding = self.binding(field)
                return self.value(binding.value, depth + 1) if binding is not None else UNKNOWN
            if target is None and self.path is not None:
                return self._other_class(node, depth)
            return self.value(target, depth + 1) if target is not None else UNKNOWN
        if kind == "binary_expression":
            left = self.value(node.child_by_field_name("left"), depth + 1)
            right = self.value(node.child_by_field_name("right"), depth + 1)
            operator = src.text(node.child_by_field_name("operator"))
            if operator == "+" and (isinstance(left, str) or isinstance(right, str)) and known(left) and known(right):
                return str(left) + str(right)
            return UNKNOWN
        if kind in ("array_initializer", "array_creation_expression"):
            init = node if kind == "array_initializer" else node.child_by_field_name("value")
            if init is None:
                return UNKNOWN
            return tuple(self.value(c, depth + 1) for c in init.named_children)
        if kind == "object_creation_expression":
            if self.qualname(node) == "String":
                args = argument_nodes(node)
                return self.value(args[0], depth + 1) if args else ""
            return UNKNOWN
        if kind == "method_invocation":
            return self._call(node, depth)
        if kind == "array_access":
            array = self.value(node.child_by_field_name("array"), depth + 1)
            index = self.value(node.child_by_field_name("index"), depth + 1)
            if isinstance(array, tuple) and isinstance(index, int) and 0 <= index < len(array):
                return array[index]
        return UNKNOWN

    def _other_class(self, node, depth: int):
        """`Policy.ALGS` with Policy a class of another file of the tree (java_imports.py)."""
        owner, field = node.child_by_field_name("object"), node.child_by_field_name("field")
        if owner is None or field is None or owner.type != "identifier" or self.binding(owner) is not None:
            return UNKNOWN
        return java_imports.constant(self, self.source.text(owner), self.source.text(field), depth)

    def _call(self, node, depth: int):
        src = self.source
        name = src.text(node.child_by_field_name("name"))
        receiver = node.child_by_field_name("object")
        args = argument_nodes(node)
        if name == "decode" and receiver is not None and "Decoder" in src.text(receiver) and args:
            return decode_base64(self.value(args[0], depth + 1)) or UNKNOWN
        if name in ("getBytes", "toString", "trim", "intern") and receiver is not None:
            value = self.value(receiver, depth + 1)
            return value.strip() if name == "trim" and isinstance(value, str) else value
        if name in ("toUpperCase", "toLowerCase") and receiver is not None:
            value = self.value(receiver, depth + 1)
            return (value.upper() if name == "toUpperCase" else value.lower()) if isinstance(value, str) else UNKNOWN
        if name in ("valueOf", "copyValueOf") and receiver is not None and src.text(receiver) == "String" and args:
            return self.value(args[0], depth + 1)
        if name == "join" and receiver is not None and src.text(receiver) == "String" and args:
            values = [self.value(a, depth + 1) for a in args]
            parts = values[1] if len(values) == 2 and isinstance(values[1], tuple) else tuple(values[1:])
            if isinstance(values[0], str) and all(isinstance(p, str) for p in parts):
                return values[0].join(parts)
        if name == "concat" and receiver is not None and args:
            left, right = self.value(receiver, depth + 1), self.value(args[0], depth + 1)
            return left + right if isinstance(left, str) and isinstance(right, str) else UNKNOWN
        if receiver is None or src.text(receiver) == "this":
            results = {}
            for method in self.methods.get(name, ())[:4]:
                for ret in self.returns(method)[:8]:
                    result = self.value(ret, depth + 1)
                    results[repr(result)] = result
            if len(results) == 1:
                return next(iter(results.values()))
        return UNKNOWN

    def returns(self, method) -> list:
        found, stack = [], [method.child_by_field_name("body")]
        while stack:
            node = stack.pop()
            if node is None:
                continue
            if node.type == "return_statement" and node.named_children:
                found.append(node.named_children[0])
            elif node.type not in ("lambda_expression", "class_body"):
                stack.extend(node.named_children)
        return found
