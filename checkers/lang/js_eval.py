"""The JavaScript/TypeScript constant evaluator (JsFile.value): literals, names, arrays and
objects (spreads, computed keys, later `o.k = v` and `Object.assign(o, ...)`), `+` and template
strings, member and index access, and the decoders an evader uses to hide a string (`atob`,
`Buffer.from(s, 'base64'|'hex')`, `String.fromCharCode`, `.split('').reverse().join('')`)."""
from __future__ import annotations

from backdoor_lint.checkers.lang import js_imports
from backdoor_lint.checkers.lang.js_syntax import FUNCTIONS, WRAPPERS, module_name, unescape
from backdoor_lint.checkers.lang.syntax import argument_nodes
from backdoor_lint.checkers.lang.values import (
    HOLE,
    MAX_SIZE,
    UNKNOWN,
    Ref,
    decode_base64,
    decode_hex,
    from_codes,
    known,
)

CONSTANTS = {"true": True, "false": False, "null": None, "undefined": None}


def evaluate(js, node, depth: int):
    kind = node.type
    src = js.source
    if kind == "string":
        return unescape(src.text(node)[1:-1])
    if kind == "template_string":
        return _template(js, node, depth)
    if kind == "number":
        return _number(src.text(node))
    if kind in CONSTANTS:
        return CONSTANTS[kind]
    if kind in WRAPPERS:
        inner = node.named_children[0] if kind == "as_expression" else (node.named_children or [None])[-1]
        return js.value(inner, depth + 1)
    if kind == "identifier":
        return _name(js, node, depth)
    if kind == "array":
        return _array(js, node, depth)
    if kind == "object":
        return _object(js, node, depth)
    if kind == "binary_expression":
        return _binary(js, node, depth)
    if kind == "unary_expression":
        operand = js.value(node.child_by_field_name("argument"), depth + 1)
        operator = src.text(node.child_by_field_name("operator"))
        if operator == "!" and known(operand):
            return not operand
        if operator == "-" and isinstance(operand, (int, float)) and not isinstance(operand, bool):
            return -operand
        return UNKNOWN
    if kind in ("member_expression", "subscript_expression"):
        return _member(js, node, depth)
    if kind == "call_expression":
        return _call(js, node, depth)
    if kind == "ternary_expression":
        test = js.value(node.child_by_field_name("condition"), depth + 1)
        if known(test):
            return js.value(node.child_by_field_name("consequence" if test else "alternative"), depth + 1)
    return UNKNOWN


def _number(text: str):
    try:
        return int(text.replace("_", ""), 0)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return UNKNOWN


def _template(js, node, depth: int):
    pieces = []
    raw = js.source.text(node)[1:-1]
    cursor = node.start_byte + 1
    for part in node.named_children:
        if part.type == "template_substitution":
            pieces.append(unescape(js.source.data[cursor:part.start_byte].decode("utf-8", "replace")))
            inner = js.value(part.named_children[0] if part.named_children else None, depth + 1)
            if not isinstance(inner, (str, int, float)) or isinstance(inner, bool):
                return UNKNOWN
            pieces.append(str(inner))
            cursor = part.end_byte
    pieces.append(unescape(js.source.data[cursor:node.end_byte - 1].decode("utf-8", "replace")))
    return "".join(pieces) if raw is not None else UNKNOWN


def _name(js, node, depth: int):
    binding = js.binding(node)
    if binding is None or binding.value is None:
        return UNKNOWN
    value = binding.value
    if isinstance(value, Ref):  # `import { ALGS } from './config'`: its value there, if known
        return js_imports.named(js, value, depth)
    if isinstance(value, tuple):  # destructured: `const {algorithms} = CONFIG`, `= require('./config')`
        container = js.value(value[1], depth + 1)
        if isinstance(container, Ref):
            return js_imports.member(js, container.name, value[2], depth)
        return container.get(value[2], UNKNOWN) if isinstance(container, dict) else UNKNOWN
    if value.type in FUNCTIONS:
        return UNKNOWN
    if value.type == "augmented_assignment_expression":
        return UNKNOWN
    result = js.value(value, depth + 1)
    if isinstance(result, dict):
        result = _with_members(js, node, result, depth)
    return result


def _with_members(js, node, result: dict, depth: int):
    """An object with what later code adds to it: `opts.algorithms = [...]`, `Object.assign(opts, x)`."""
    writes = js.members.get(js.source.text(node), ())
    if not writes:
        return result
    merged = dict(result)
    for _scope, key, value_node in writes:
        if key is None:
            extra = js.value(value_node, depth + 1)
            if isinstance(extra, dict):
                merged.update(extra)
            continue
        name = js.source.text(key) if key.type == "property_identifier" else js.value(key, depth + 1)
        if isinstance(name, str):
            merged[name] = js.value(value_node, depth + 1)
    return merged


def _array(js, node, depth: int):
    items = []
    for child in node.named_children:
        if child.type == "spread_element":
            inner = js.value(child.named_children[0] if child.named_children else None, depth + 1)
            if not isinstance(inner, tuple):
                return UNKNOWN
            items.extend(inner)
        elif child.type != "comment":
            items.append(js.value(child, depth + 1))
    return tuple(items)


def _object(js, node, depth: int):
    """Keys map to values (unknown values stay UNKNOWN); an unknown spread or key is skipped, so
    the keys that are known still count."""
    result = {}
    src = js.source
    for child in node.named_children:
        if child.type == "pair":
            key = child.child_by_field_name("key")
            if key.type == "computed_property_name":
                name = js.value(key.named_children[0] if key.named_children else None, depth + 1)
            elif key.type == "string":
                name = unescape(src.text(key)[1:-1])
            else:
                name = src.text(key)
            if isinstance(name, (str, int)):
                result[str(name)] = js.value(child.child_by_field_name("value"), depth + 1)
        elif child.type == "shorthand_property_identifier":
            result[src.text(child)] = _name(js, child, depth)
        elif child.type == "spread_element":
            inner = js.value(child.named_children[0] if child.named_children else None, depth + 1)
            if isinstance(inner, dict):
                result.update(inner)
    return result


def _binary(js, node, depth: int):
    operator = js.source.text(node.child_by_field_name("operator"))
    left = js.value(node.child_by_field_name("left"), depth + 1)
    if operator in ("||", "??") and known(left) and (left if operator == "||" else left is not None):
        return left
    if operator == "&&" and known(left) and not left:
        return left
    right = js.value(node.child_by_field_name("right"), depth + 1)
    if not (known(left) and known(right)):
        return UNKNOWN
    if operator == "+":
        if isinstance(left, str) or isinstance(right, str):
            text = _js_str(left) + _js_str(right)
            return text if len(text) <= MAX_SIZE else UNKNOWN
        if isinstance(left, (int, float)) and isinstance(right, (int, float)):
            return left + right
    if operator in ("===", "=="):
        return left == right
    if operator in ("!==", "!="):
        return left != right
    if operator in ("||", "??", "&&"):
        return right
    return UNKNOWN


def _js_str(value) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, tuple):
        return ",".join(_js_str(v) for v in value)
    return str(value)


def _member(js, node, depth: int):
    base = js.value(node.child_by_field_name("object"), depth + 1)
    if node.type == "member_expression":
        prop = node.child_by_field_name("property")
        key = js.source.text(prop) if prop is not None else UNKNOWN
    else:
        key = js.value(node.child_by_field_name("index"), depth + 1)
    if isinstance(base, dict) and isinstance(key, (str, int)):
        return base.get(str(key), UNKNOWN)
    if isinstance(base, Ref) and isinstance(key, str):  # `cfg.ALGS`, `require('./config').ALGS`
        return js_imports.member(js, base.name, key, depth)
    if isinstance(base, (tuple, str)) and isinstance(key, int) and not isinstance(key, bool) \
            and -len(base) <= key < len(base) and key >= 0:
        return base[key]
    if isinstance(base, (tuple, str)) and key == "length":
        return len(base)
    return UNKNOWN


def _call(js, node, depth: int):
    func = node.child_by_field_name("function")
    args = argument_nodes(node)
    if func is None:
        return UNKNOWN
    if func.type == "member_expression":
        method = js.source.text(func.child_by_field_name("property"))
        if method == "find":
            key = selected_key(js, node)
            if key is not None:
                return key
        receiver_node = func.child_by_field_name("object")
        special = _static_call(js, js.source.text(receiver_node) + "." + method, args, depth)
        if special is not UNKNOWN:
            return special
        return _method(js, js.value(receiver_node, depth + 1), method, args, depth)
    name = js.source.text(func) if func.type == "identifier" else None
    if name == "atob" and js.binding(func) is None and args:
        return decode_base64(js.value(args[0], depth + 1)) or UNKNOWN
    if name in ("decodeURIComponent", "unescape") and js.binding(func) is None and args:
        text = js.value(args[0], depth + 1)
        if isinstance(text, str):
            import urllib.parse
            return urllib.parse.unquote(text)
    if name == "String" and js.binding(func) is None and len(args) == 1:
        value = js.value(args[0], depth + 1)
        return _js_str(value) if known(value) else UNKNOWN
    if name == "require" and args:
        module = js.value(args[0], depth + 1)
        return Ref(module_name(module)) if isinstance(module, str) else UNKNOWN
    if name is not None:  # a local function (declared or a bound arrow): its return value, when every return agrees
        results = {repr(js.value(r, depth + 1)): js.value(r, depth + 1)
                   for f in local_functions(js, func)[:4] for r in js.returns(f)[:8]}
        if len(results) == 1:
            return next(iter(results.values()))
    elif func.type in ("arrow_function", "function_expression", "parenthesized_expression"):
        inner = func.named_children[0] if func.type == "parenthesized_expression" and func.named_children else func
        if inner.type in FUNCTIONS:  # an immediately invoked function
            results = {repr(js.value(r, depth + 1)): js.value(r, depth + 1) for r in js.returns(inner)[:8]}
            if len(results) == 1:
                return next(iter(results.values()))
    return UNKNOWN


def local_functions(js, name_node) -> list:
    """The functions a called name may be: its declarations, or the function bound to it
    (`const f = () => ...`, `const f = function () {...}`)."""
    binding = js.binding(name_node)
    value = binding.value if binding is not None else None
    if hasattr(value, "type") and value.type in FUNCTIONS:
        return [value]
    return list(js.functions.get(js.source.text(name_node), ()))


def selected_key(js, call) -> str | None:
    """The literal a `find`/`filter` callback compares its (first) parameter with:
    `keys.find(n => n === 'spawn')` can only return 'spawn'."""
    args = argument_nodes(call)
    if not args or args[0].type not in ("arrow_function", "function_expression"):
        return None
    body = args[0].child_by_field_name("body")
    if body is not None and body.type == "statement_block":
        returns = js.returns(args[0])
        body = returns[0] if len(returns) == 1 else None
    if body is None or body.type != "binary_expression" or \
            js.source.text(body.child_by_field_name("operator")) not in ("===", "=="):
        return None
    for side in ("left", "right"):
        value = js.value(body.child_by_field_name(side))
        if isinstance(value, str):
            return value
    return None


def _static_call(js, name: str, args: list, depth: int):
    values = [js.value(a, depth + 1) for a in args[:64]]
    if name == "String.fromCharCode":
        return from_codes(tuple(values)) or UNKNOWN
    if name == "Buffer.from" and values:
        data = values[0]
        encoding = values[1] if len(values) > 1 else "utf8"
        if isinstance(data, tuple):
            return _Bytes(from_codes(data) or "") if from_codes(data) is not None else UNKNOWN
        if isinstance(data, str):
            decoded = {"base64": decode_base64, "base64url": decode_base64, "hex": decode_hex}.get(
                encoding, lambda s: s)(data) if isinstance(encoding, str) else None
            return _Bytes(decoded) if decoded is not None else UNKNOWN
    if name == "Object.assign" and values:
        merged = {}
        for value in values:
            if isinstance(value, dict):
                merged.update(value)
        return merged
    if name in ("path.join", "path.resolve", "path.posix.join") and values and all(isinstance(v, str) for v in values):
        return "/".join(v.strip("/") if i else v.rstrip("/") for i, v in enumerate(values))
    if name == "JSON.stringify" and values and isinstance(values[0], (str, int)):
        return repr(values[0])
    return UNKNOWN


class _Bytes(str):
    """A Buffer's content: `.toString()` of it is the decoded text."""


def _method(js, receiver, method: str, args: list, depth: int):
    if not known(receiver):
        return UNKNOWN
    values = [js.value(a, depth + 1) for a in args[:8]]
    if isinstance(receiver, _Bytes) and method == "toString":
        encoding = values[0] if values else "utf8"
        return str(receiver) if encoding in ("utf8", "utf-8", "ascii", "latin1", "binary", None) else UNKNOWN
    if isinstance(receiver, tuple):
        if method == "join":
            separator = values[0] if values else ","
            if isinstance(separator, str) and all(known(v) for v in receiver):
                return separator.join(_js_str(v) for v in receiver)
        if method == "reverse" and not values:
            return tuple(reversed(receiver))
        if method == "concat" and all(known(v) for v in values):
            items = list(receiver)
            for value in values:
                items.extend(value if isinstance(value, tuple) else (value,))
            return tuple(items)
        if method in ("slice", "filter", "map"):
            return UNKNOWN
    if isinstance(receiver, str):
        return _string_method(receiver, method, values)
    return UNKNOWN


def _string_method(text: str, method: str, values: list):
    if method == "split" and values and isinstance(values[0], str):
        return tuple(text) if values[0] == "" else tuple(text.split(values[0]))
    if method in ("toLowerCase", "toUpperCase", "trim", "toString") and not values or method == "toString":
        return {"toLowerCase": text.lower, "toUpperCase": text.upper, "trim": text.strip}.get(method, lambda: text)()
    if method == "replace" and len(values) == 2 and all(isinstance(v, str) for v in values):
        return text.replace(values[0], values[1], 1)
    if method in ("replaceAll",) and len(values) == 2 and all(isinstance(v, str) for v in values):
        return text.replace(values[0], values[1])
    if method == "concat" and all(isinstance(v, str) for v in values):
        return text + "".join(values)
    if method in ("slice", "substring") and values and all(isinstance(v, int) for v in values):
        return text[values[0]:values[1]] if len(values) > 1 else text[values[0]:]
    if method == "charAt" and values and isinstance(values[0], int):
        return text[values[0]:values[0] + 1]
    return UNKNOWN


def render(js, node, depth: int = 0) -> str:
    """Known pieces of a string expression, HOLE for the rest; `os.homedir()` and `$HOME` as `~`."""
    if node is None or depth > 8:
        return HOLE
    value = js.value(node, depth)
    if isinstance(value, str):
        return value
    kind = node.type
    if kind == "binary_expression" and js.source.text(node.child_by_field_name("operator")) == "+":
        return render(js, node.child_by_field_name("left"), depth + 1) + \
            render(js, node.child_by_field_name("right"), depth + 1)
    if kind == "template_string":
        pieces, cursor = [], node.start_byte + 1
        for part in node.named_children:
            if part.type == "template_substitution":
                pieces.append(js.source.data[cursor:part.start_byte].decode("utf-8", "replace"))
                pieces.append(render(js, part.named_children[0] if part.named_children else None, depth + 1))
                cursor = part.end_byte
        pieces.append(js.source.data[cursor:node.end_byte - 1].decode("utf-8", "replace"))
        return "".join(pieces)
    if kind == "identifier":
        binding = js.binding(node)
        if binding is not None and binding.value is not None and not isinstance(binding.value, (Ref, tuple)) \
                and binding.value.type not in FUNCTIONS:
            return render(js, binding.value, depth + 1)
        return HOLE
    if kind in WRAPPERS and node.named_children:
        return render(js, node.named_children[0], depth + 1)
    name, _ = js.callee_name(node.child_by_field_name("function")) if kind == "call_expression" else (None, False)
    if name in ("os.homedir", "homedir"):
        return "~"
    if name in ("path.join", "path.resolve", "path.posix.join"):
        return "/".join(render(js, a, depth + 1) for a in argument_nodes(node))
    text = js.source.text(node)
    if text in ("process.env.HOME", "process.env.USERPROFILE", "process.env['HOME']"):
        return "~"
    return HOLE
