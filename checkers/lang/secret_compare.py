"""BDL209 in JavaScript/TypeScript, Go and Java, by origin (the other languages' side of
checkers/py_randomness.py's TimingUnsafeComparison): an equality test that stops at the first
differing byte (`===`, `==`, `!=`, `equals`, `localeCompare`, `strings.Compare`, `bytes.Equal`,
`Arrays.equals`) between a MAC/digest or a configured secret and a value the client sends.

Where a side comes from is read from its own text and, through names, fields and local helper
functions, from the expressions that produced it (a few hops): `expected` bound to
`createHmac(...).digest('hex')`, a field assigned from an `@Value` parameter, a helper returning
`hex.EncodeToString(mac.Sum(nil))`. The constant-time comparisons (`crypto.timingSafeEqual`,
`hmac.Equal`, `subtle.ConstantTimeCompare`, `MessageDigest.isEqual`) are not comparisons here."""
from __future__ import annotations

import re

from backdoor_lint.checkers import vocabulary
from backdoor_lint.checkers.lang.report import Report, short
from backdoor_lint.checkers.lang.syntax import ancestors, argument_nodes
from backdoor_lint.checkers.lang.values import known

EQUALITY = {"==", "===", "!=", "!=="}
# A keyed MAC or a digest computed here (the value the server expects).
MAC = re.compile(r"createHmac|\bhmac\b|hmac\.New|\bdoFinal\b|Mac\.getInstance|HmacUtils|\.Sum\(|\.digest\(|"
                 r"Sum256\(|Sum512\(|\bsignature\.sign\(", re.IGNORECASE)
# A secret the service is configured with.
CONFIG = re.compile(r"process\.env|os\.Getenv|os\.LookupEnv|System\.getenv|@Value\b|getProperty\(|viper\.Get|"
                    r"\b(?:settings|config|cfg|Cfg|Config|conf|env|secrets)\b")
# What the client sends: Express/Koa/Next, net/http and gin/echo, servlets and Spring.
REQUEST = re.compile(r"\b(?:req|request|ctx|c|r)\.(?:headers|query|body|params|cookies|get\(|header\(|Header\b|"
                     r"FormValue|PostFormValue|URL\b|PostForm\b|GetHeader|Query\(|Param\(|Cookie\(|QueryParam|"
                     r"getHeader|getParameter|getCookies|getQueryString)|\bsearchParams\b|\bheaders\(\)|"
                     r"@(?:RequestHeader|RequestParam|PathVariable|RequestBody|CookieValue)\b|"
                     r"\bHttpServletRequest\b")
# Not secrets although hashed: cache validators and integrity checksums compare public data.
PUBLIC_DIGEST = re.compile(r"(?i)etag|if-none-match|checksum|content-md5|integrity|fingerprint")
EXTRA_WORDS = {"sig", "mac", "hmac", "digest", "signature"}
CONFIRM = {"confirm", "confirmation", "repeat", "retype"}
LITERALS = {"string", "template_string", "number", "true", "false", "null", "undefined", "nil", "iota",
            "interpreted_string_literal", "raw_string_literal", "int_literal", "float_literal", "string_literal",
            "decimal_integer_literal", "hex_integer_literal", "null_literal", "character_literal",
            "rune_literal", "composite_literal"}
NAMES = {"identifier", "property_identifier", "field_identifier", "shorthand_property_identifier"}
DECLARATIONS = {"formal_parameter", "field_declaration", "parameter_declaration", "required_parameter",
                "optional_parameter", "variable_declarator", "lexical_declaration", "var_spec", "const_spec"}
# Go: the standard comparisons that are not constant-time.
GO_COMPARE = {"bytes.Equal", "strings.Compare", "strings.EqualFold", "reflect.DeepEqual", "bytes.Compare"}
JAVA_EQUALS = {"equals", "equalsIgnoreCase", "contentEquals", "compareTo", "compareToIgnoreCase"}
JS_EQUALS = {"equals", "localeCompare", "compare"}
MAX_HOPS = 4
BUILT = {"binary_expression", "template_string", "call_expression", "parenthesized_expression", "identifier",
         "method_invocation"}
KEY_HOLDERS = {"subscript_expression", "arguments", "argument_list", "index_expression", "parenthesized_expression",
               "element_value_pair", "annotation_argument_list"}


def timing_reports(file, language: str) -> list[Report]:
    reports = []
    for node, left, right, operator in _comparisons(file, language):
        reason = _secret_pair(file, left, right)
        if reason is None:
            continue
        src = file.source
        reports.append(Report(src.line(node), "BDL209", f"`{short(src.text(left))}` {operator} "
                              f"`{short(src.text(right))}` compares {reason} with an ordinary equality test, which "
                              "stops at the first differing byte: the response time tells an attacker how much of a "
                              f"guess is right, so the secret can be found byte by byte. Use {_SAFE[language]}."))
    return reports


_SAFE = {"javascript": "crypto.timingSafeEqual on equal-length Buffers",
         "typescript": "crypto.timingSafeEqual on equal-length Buffers",
         "go": "hmac.Equal or subtle.ConstantTimeCompare",
         "java": "MessageDigest.isEqual on the bytes"}


def _comparisons(file, language: str):
    """(node, left, right, operator) for each equality test of two values."""
    src = file.source
    for node in src.of_type("binary_expression"):
        operator_node = node.child_by_field_name("operator")
        operator = src.text(operator_node) if operator_node is not None else ""
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if operator in EQUALITY and left is not None and right is not None:
            yield node, left, right, operator
    if language == "java":
        for call in src.of_type("method_invocation"):
            method = src.text(call.child_by_field_name("name"))
            receiver = call.child_by_field_name("object")
            args = argument_nodes(call)
            if method in JAVA_EQUALS and receiver is not None and len(args) == 1:
                yield call, receiver, args[0], f".{method}"
            elif method == "equals" and receiver is not None and src.text(receiver) in ("Arrays", "Objects") \
                    and len(args) == 2:
                yield call, args[0], args[1], f"{src.text(receiver)}.equals"
    elif language == "go":
        for call in src.of_type("call_expression"):
            name = file.qualname(call.child_by_field_name("function")) or ""
            args = argument_nodes(call)
            if name in GO_COMPARE and len(args) == 2:
                yield call, args[0], args[1], name
    else:
        for call in src.of_type("call_expression"):
            func = call.child_by_field_name("function")
            args = argument_nodes(call)
            if func is None or func.type != "member_expression" or not args:
                continue
            method = src.text(func.child_by_field_name("property"))
            receiver = func.child_by_field_name("object")
            if method in ("equals", "localeCompare") and len(args) == 1:
                yield call, receiver, args[0], f".{method}"
            elif method == "compare" and src.text(receiver) == "Buffer" and len(args) == 2:
                yield call, args[0], args[1], "Buffer.compare"


def _secret_pair(file, a, b) -> str | None:
    if _constant(file, a) or _constant(file, b):
        return None  # a known value: a magic credential (BDL601) or a presence test, not a timing leak
    facts_a, facts_b = _facts(file, a), _facts(file, b)
    if facts_a is None or facts_b is None:
        return None
    word_a, mac_a, config_a, request_a = facts_a
    word_b, mac_b, config_b, request_b = facts_b
    if (mac_a or mac_b) and (word_a or word_b or request_a or request_b):
        return f"a MAC/digest ({word_a or word_b or 'signature'})"
    for word, config, other_word, other_request in ((word_a, config_a, word_b, request_b),
                                                    (word_b, config_b, word_a, request_a)):
        if word and config and (other_request or other_word):
            return f"the configured {word} with {'request data' if other_request else 'a presented value'}"
        if word and other_word and other_request and not config and not (request_a and request_b):
            return f"a stored {word} with the {other_word} from the request"
    return None


def _constant(file, node) -> bool:
    if node.type in LITERALS:
        return True
    if node.type in ("parenthesized_expression",) and node.named_children:
        return _constant(file, node.named_children[0])
    text = file.source.text(node)
    if re.search(r"\.length\b|\blen\(|\.size\(\)|typeof\b|\.Len\(\)", text):
        return True
    return node.type in NAMES and known(file.value(node))


def _facts(file, node) -> tuple[str | None, bool, bool, bool] | None:
    """(secret word, a MAC/digest, a configured value, request data) of one side; None for a
    confirmation field (two inputs compared) or a public digest (an ETag, a checksum)."""
    texts, named = _evidence(file, node)
    side = file.source.text(node)
    if any(set(vocabulary.name_words(w.replace("-", "_"))) & CONFIRM for w in _identifiers(side)):
        return None
    evidence = "\n".join(texts)
    if PUBLIC_DIGEST.search(evidence):
        return None
    # the secret's name: the side's own words, else those of what it was directly bound to
    word = next((found for w in _identifiers("\n".join(texts[:named])) if (found := _word(w))), None)
    return word, bool(MAC.search(evidence)), bool(CONFIG.search(evidence)), bool(REQUEST.search(evidence))


def _identifiers(text: str) -> list[str]:
    return [w for w in re.findall(r"[A-Za-z_][A-Za-z0-9_-]*", text) if len(w) < 60]


def _word(name: str) -> str | None:
    parts = vocabulary.name_words(name.replace("-", "_"))
    if any(p in EXTRA_WORDS for p in parts) and not any(p in vocabulary.SECURITY_VETO for p in parts):
        return next(p for p in parts if p in EXTRA_WORDS)
    return vocabulary.secret_words(name.replace("-", "_"))


def evidence(file, node) -> str:
    """Where a value comes from, as text (see _evidence); shared with the deserialisation rule."""
    return "\n".join(_evidence(file, node)[0])


def evidence_texts(file, node) -> list[str]:
    """The texts of evidence() one by one (a rule can leave out those around the node itself)."""
    return _evidence(file, node)[0]


def _evidence(file, node) -> tuple[list[str], int]:
    """The side's text and the text of what its names were bound to, of the declarations of
    parameters and fields (their annotations) and of the returns of local helpers it calls;
    and how many of those texts are the side and its first hop."""
    src = file.source
    texts, seen, frontier = [src.text(node)] + _built_strings(file, node), set(), [node]
    named = 1
    for hop in range(MAX_HOPS):
        following = []
        for current in frontier:
            for name in _names(current):
                key = (name.start_byte, name.end_byte)
                if key in seen or len(seen) > 64:
                    continue
                seen.add(key)
                following += _origins(file, name, texts)
        frontier = following
        if hop == 0:
            named = len(texts)
        if not frontier:
            break
    return texts, named


def _built_strings(file, node) -> list[str]:
    """Keys and arguments built from pieces or decoded, by value: `process.env['ADMIN_' + 'TOKEN']`."""
    found, stack = [], [node]
    while stack and len(found) < 8:
        current = stack.pop()
        if current.type in BUILT and current.parent is not None and current.parent.type in KEY_HOLDERS:
            value = file.value(current)
            if isinstance(value, str) and len(value) < 200:
                found.append(repr(value))
            continue
        stack.extend(current.named_children)
    return found


def _names(node) -> list:
    found, stack = [], [node]
    while stack and len(found) < 32:
        current = stack.pop()
        if current.type in NAMES:
            found.append(current)
        stack.extend(current.named_children)
    return found


def _origins(file, name, texts: list) -> list:
    src = file.source
    text = src.text(name)
    origins = []
    binding = file.binding(name) if name.type in ("identifier", "shorthand_property_identifier") else None
    value = getattr(binding, "value", None)
    if hasattr(value, "type"):
        texts.append(src.text(value))
        if value.type in ("binary_expression", "template_string", "call_expression", "parenthesized_expression"):
            built = file.value(value)  # a name built from pieces: `'x-forwarded-' + 'for'`
            if isinstance(built, str) and len(built) < 200:
                texts.append(repr(built))
        texts += _built_strings(file, value)  # `ctx.get('x-' + 'user')`: the argument's value
        origins.append(value)
    elif binding is not None and value is None:  # a parameter or an uninitialised field: its declaration
        leaf = src.root.descendant_for_byte_range(binding.start, binding.start)
        around = [a for _, a in zip(range(6), ancestors(leaf)) if a.type in DECLARATIONS] if leaf else []
        declaration = around[-1] if around else None  # the outermost: a field's annotations too
        if declaration is not None and declaration.end_byte - declaration.start_byte < 400:
            texts.append(src.text(declaration))
            texts += _built_strings(file, declaration)  # `@RequestHeader(value = "X-" + "Role")`
            method = declaration.parent.parent if declaration.parent is not None else None
            modifiers = method.child_by_field_name("modifiers") if method is not None else None
            if modifiers is None and method is not None:  # Java: a method's annotations say it handles requests
                modifiers = next((c for c in method.named_children if c.type == "modifiers"), None)
            if modifiers is not None and modifiers.end_byte - modifiers.start_byte < 400:
                texts.append(src.text(modifiers))
    for function in _helpers(file).get(text, ())[:2]:  # a local helper called by this name
        if name.parent is not None and name.parent.type in ("call_expression", "method_invocation"):
            for returned in file.returns(function)[:4]:
                texts.append(src.text(returned))
                origins.append(returned)
    return origins


def _helpers(file) -> dict:
    return getattr(file, "functions", None) or getattr(file, "methods", None) or {}
