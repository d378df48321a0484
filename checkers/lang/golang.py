"""Facts about one Go file on tree-sitter: imports and their aliases, bindings (package and local
const/var, `:=`, assignments, multi-value right-hand sides), what a callee refers to (`qualname`:
`os/exec.Command`, `encoding/base64.StdEncoding.DecodeString`) and a bounded constant evaluator:
string literals and `+`, consts, slice and struct composite literals, `string(...)`/`[]byte(...)`,
`strings.Join`, base64/hex decoding of constants, returns of local functions."""
from __future__ import annotations

import re
from dataclasses import dataclass

from backdoor_lint.checkers.lang import go_imports
from backdoor_lint.checkers.lang.syntax import Bindings, Source, ancestors, argument_nodes
from backdoor_lint.checkers.lang.values import (
    MAX_DEPTH,
    UNKNOWN,
    MemoisedValues,
    decode_base64,
    decode_hex,
    known,
)

FUNCTIONS = frozenset({"function_declaration", "method_declaration", "func_literal"})
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)")
_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def _unescape(raw: str) -> str:
    def one(match: re.Match) -> str:
        body = match.group(1)
        if body[0] in "xuU" and len(body) > 1:
            return chr(min(int(body[1:], 16), 0x10FFFF))
        if body[0] in "01234567" and len(body) == 3:
            return chr(int(body, 8))
        return _SIMPLE.get(body, body)
    return _ESCAPE.sub(one, raw) if "\\" in raw else raw


@dataclass(frozen=True)
class Binding:
    scope: object
    start: int
    value: object  # a node, or None (parameters, unknown)
    index: int = 0  # position in a multi-value right-hand side (`d, err := f()`)
    multi: bool = False


class GoFile(MemoisedValues):
    def __init__(self, source: Source, is_test: bool = False, path: str | None = None,
                 root: str | None = None) -> None:
        self.source = source
        self.is_test = is_test  # test code: sample keys are expected there
        self.path, self.root = path, root  # where the file is, for its package's other files (go_imports.py)
        self.imports: dict[str, str] = {}  # local name -> import path
        self.bindings = Bindings(source)
        self.functions: dict[str, list] = {}
        self.fields: dict[str, list] = {}  # `x.Field = v`: field name -> value nodes
        self._values: dict[int, object] = {}
        self._active: set[int] = set()
        self._collect()

    def _collect(self) -> None:
        src = self.source
        for spec in src.of_type("import_spec"):
            path_node, name = spec.child_by_field_name("path"), spec.child_by_field_name("name")
            if path_node is None:
                continue
            path = src.text(path_node).strip('"`')
            local = src.text(name) if name is not None else self._package_name(path)
            self.imports[local] = path
        for spec in src.of_type("const_spec", "var_spec"):
            names = list(spec.children_by_field_name("name"))
            value = spec.child_by_field_name("value")
            values = value.named_children if value is not None else []
            self._bind_all(names, values, spec)
        for node in src.of_type("short_var_declaration", "assignment_statement"):
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is None or right is None:
                continue
            targets, values = left.named_children, right.named_children
            for target, value in zip(targets, values):
                if target.type == "selector_expression":
                    field = target.child_by_field_name("field")
                    self.fields.setdefault(src.text(field), []).append(value)
            self._bind_all(list(targets), values, node)
        for node in src.of_type("range_clause"):
            left = node.child_by_field_name("left")
            for target in (left.named_children if left is not None else []):
                if target.type == "identifier":
                    self._bind(src.text(target), None, node)
        for node in src.of_type("function_declaration", "method_declaration"):
            name = node.child_by_field_name("name")
            if name is not None:
                self.functions.setdefault(src.text(name), []).append(node)
        for node in src.of_type("parameter_declaration", "variadic_parameter_declaration"):
            for name in node.children_by_field_name("name"):
                self._bind(src.text(name), None, node)

    @staticmethod
    def _package_name(path: str) -> str:
        last = path.rstrip("/").rsplit("/", 1)[-1]
        if re.fullmatch(r"v\d+", last) and "/" in path:
            last = path.rstrip("/").rsplit("/", 2)[-2]
        return last.replace("-", "_").split(".")[0].removeprefix("go_").removeprefix("go-")

    def _bind_all(self, names: list, values: list, at) -> None:
        src = self.source
        multi = len(values) == 1 and len(names) > 1
        for index, name in enumerate(names):
            if name.type != "identifier" or src.text(name) == "_":
                continue
            if multi:
                self._bind(src.text(name), values[0], at, index, True)
            else:
                self._bind(src.text(name), values[index] if index < len(values) else None, at)

    def _bind(self, name: str, value, at, index: int = 0, multi: bool = False) -> None:
        scope = next((a for a in ancestors(at) if a.type in FUNCTIONS), self.source.root)
        self.bindings.add(name, Binding(scope, at.start_byte, value, index, multi))

    def binding(self, name_node) -> Binding | None:
        return self.bindings.visible(self.source.text(name_node), name_node)

    # names ------------------------------------------------------------------------------
    def qualname(self, node, depth: int = 0) -> str | None:
        """`exec.Command` -> `os/exec.Command`; a name bound to such an expression resolves to it."""
        if node is None or depth > MAX_DEPTH:
            return None
        src = self.source
        if node.type == "parenthesized_expression" and node.named_children:
            return self.qualname(node.named_children[0], depth + 1)
        if node.type in ("identifier", "package_identifier"):
            name = src.text(node)
            binding = self.binding(node)
            if binding is not None:
                if binding.value is not None and not binding.multi:
                    return self.qualname(binding.value, depth + 1)
                return None
            return self.imports.get(name, name)
        if node.type == "selector_expression":
            base = self.qualname(node.child_by_field_name("operand"), depth + 1)
            field = node.child_by_field_name("field")
            return f"{base}.{src.text(field)}" if base is not None and field is not None else None
        if node.type == "call_expression":  # `base64.NewDecoder(...)`: an instance named after its maker
            return self.qualname(node.child_by_field_name("function"), depth + 1)
        if node.type == "unary_expression" and node.named_children:
            return self.qualname(node.named_children[-1], depth + 1)
        if node.type == "composite_literal":
            return self.qualname(node.child_by_field_name("type"), depth + 1)
        if node.type == "qualified_type":
            package, name = node.child_by_field_name("package"), node.child_by_field_name("name")
            if package is not None and name is not None:
                return f"{self.imports.get(src.text(package), src.text(package))}.{src.text(name)}"
        return None

    # values -----------------------------------------------------------------------------
    def _value(self, node, depth: int):
        src = self.source
        kind = node.type
        if kind == "interpreted_string_literal":
            return _unescape(src.text(node)[1:-1])
        if kind == "raw_string_literal":
            return src.text(node)[1:-1]
        if kind == "int_literal":
            try:
                return int(src.text(node).replace("_", ""), 0)
            except ValueError:
                return UNKNOWN
        if kind in ("true", "false"):
            return kind == "true"
        if kind == "parenthesized_expression" and node.named_children:
            return self.value(node.named_children[0], depth + 1)
        if kind == "identifier":
            binding = self.binding(node)
            if binding is None and self.path is not None:
                return go_imports.same_package(self, src.text(node), depth)
            if binding is None or binding.value is None or binding.multi and binding.index:
                return UNKNOWN
            result = self.value(binding.value, depth + 1)
            return result[0] if binding.multi and isinstance(result, tuple) and result else \
                (UNKNOWN if binding.multi else result)
        if kind == "binary_expression":
            left = self.value(node.child_by_field_name("left"), depth + 1)
            right = self.value(node.child_by_field_name("right"), depth + 1)
            operator = src.text(node.child_by_field_name("operator"))
            if operator == "+" and isinstance(left, str) and isinstance(right, str):
                return left + right
            if operator in ("==", "!=") and known(left) and known(right):
                return (left == right) == (operator == "==")
            return UNKNOWN
        if kind == "unary_expression":
            operand = self.value(node.child_by_field_name("operand"), depth + 1)
            operator = src.text(node.child_by_field_name("operator"))
            if operator == "!" and isinstance(operand, bool):
                return not operand
            return operand if operator == "&" else UNKNOWN
        if kind == "selector_expression" and self.path is not None:
            return self._imported(node, depth)
        if kind == "composite_literal":
            return self._composite(node, depth)
        if kind == "type_conversion_expression":
            return self.value(node.child_by_field_name("operand"), depth + 1)
        if kind == "call_expression":
            return self._call(node, depth)
        if kind == "index_expression":
            base = self.value(node.child_by_field_name("operand"), depth + 1)
            index = self.value(node.child_by_field_name("index"), depth + 1)
            if isinstance(base, tuple) and isinstance(index, int) and 0 <= index < len(base):
                return base[index]
        return UNKNOWN

    def _imported(self, node, depth: int):
        """`config.Algs`: an exported name of another package of the module (go_imports.py)."""
        operand, field = node.child_by_field_name("operand"), node.child_by_field_name("field")
        if operand is None or field is None or operand.type != "identifier" or self.binding(operand) is not None:
            return UNKNOWN
        package = self.imports.get(self.source.text(operand))
        return go_imports.imported(self, package, self.source.text(field), depth) if package else UNKNOWN

    def _composite(self, node, depth: int):
        body = node.child_by_field_name("body")
        if body is None:
            return UNKNOWN
        items, fields = [], {}
        for element in body.named_children:
            if element.type == "keyed_element":
                parts = element.named_children
                if len(parts) == 2:
                    key = self.source.text(parts[0])
                    fields[key] = self.value(parts[1].named_children[0] if parts[1].named_children else parts[1],
                                             depth + 1)
            elif element.type == "literal_element":
                items.append(self.value(element.named_children[0] if element.named_children else None, depth + 1))
        return fields if fields else tuple(items)

    def _call(self, node, depth: int):
        func = node.child_by_field_name("function")
        args = argument_nodes(node)
        name = self.qualname(func, depth + 1)
        if func is not None and func.type == "identifier" and self.source.text(func) == "string" and args:
            return self.value(args[0], depth + 1)
        values = [self.value(a, depth + 1) for a in args[:16]]
        if name in ("strings.Join",) and len(values) == 2 and isinstance(values[0], tuple) \
                and isinstance(values[1], str) and all(isinstance(v, str) for v in values[0]):
            return values[1].join(values[0])
        if name and name.startswith("encoding/base64.") and name.endswith(".DecodeString") and values:
            decoded = decode_base64(values[0])
            return (decoded, None) if decoded is not None else UNKNOWN
        if name == "encoding/hex.DecodeString" and values:
            decoded = decode_hex(values[0])
            return (decoded, None) if decoded is not None else UNKNOWN
        if name in ("strings.ToLower", "strings.ToUpper", "strings.TrimSpace") and values and isinstance(values[0], str):
            return {"strings.ToLower": str.lower, "strings.ToUpper": str.upper, "strings.TrimSpace": str.strip}[name](
                values[0])
        if func is not None and func.type == "identifier" and self.source.text(func) in self.functions:
            results = {}
            for function in self.functions[self.source.text(func)][:4]:
                for ret in self.returns(function)[:8]:
                    result = self.value(ret, depth + 1)
                    results[repr(result)] = result
            if len(results) == 1:
                return next(iter(results.values()))
        return UNKNOWN

    def returns(self, function) -> list:
        found, stack = [], [function.child_by_field_name("body")]
        while stack:
            node = stack.pop()
            if node is None:
                continue
            if node.type == "return_statement" and node.named_children:
                values = node.named_children[0]
                found.append(values.named_children[0] if values.type == "expression_list" and values.named_children
                             else values)
            elif node.type != "func_literal":
                stack.extend(node.named_children)
        return found
