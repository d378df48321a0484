"""BDL208 in JavaScript/TypeScript, Go and Java, by use (the other languages' side of
checkers/py_randomness.py's InsecureRandomness): a value of a predictable generator (`Math.random`,
`math/rand`, `java.util.Random`, `ThreadLocalRandom`) that becomes a credential: a token, session
id, reset or one-time code, API key, salt, nonce, invite or share link.

From the generator's call the value is followed up through the expressions that transform it
(`toString(36)`, `Math.floor`, `fmt.Sprintf`, `Long.toHexString`, `+`, callbacks of `map`) to where
it lands: a variable, field or object key (its name says what it is; a local is followed to its
uses, once or twice), a `return` (the function's name says), or a statement call that consumes it
(`res.cookie('sid', ...)`, `repo.saveResetCode(...)`, `fmt.Fprintf(w, ...)` in a `ShareLink`
handler). Jitter, shuffles, sampling and UI keys land on names that say so and are left alone;
`crypto.randomBytes`, `crypto/rand`, `SecureRandom` are not generators here."""
from __future__ import annotations

from backdoor_lint.checkers import vocabulary
from backdoor_lint.checkers.lang.report import Report, short
from backdoor_lint.checkers.lang.syntax import ancestors

GO_MEMBERS = {"Int", "Intn", "Int31", "Int31n", "Int63", "Int63n", "Uint32", "Uint64", "Float32", "Float64", "Read",
              "Perm", "IntN", "Int64", "Int64N", "Int32N", "Uint32N", "Uint64N", "N", "UintN", "Int32"}
JAVA_MEMBERS = {"nextInt", "nextLong", "nextBytes", "nextDouble", "nextFloat", "nextGaussian", "ints", "longs"}
JAVA_GENERATORS = ("Random", "ThreadLocalRandom.current", "RandomStringUtils", "RandomUtils", "Math")
# Bearer capabilities beyond the vocabulary's secrets: whoever holds the value gets something.
CAPABILITY = {"coupon", "voucher", "invite", "invitation", "share", "magic", "unsubscribe", "referral", "apikey"}
# Where the value is named: the declarations and assignments of the three grammars.
TARGETS = {"variable_declarator", "assignment_expression", "short_var_declaration", "assignment_statement",
           "var_spec", "const_spec"}
KEYED = {"pair", "keyed_element"}
FUNCTIONS = {"function_declaration", "method_declaration", "method_definition", "generator_function_declaration",
             "arrow_function", "function_expression", "func_literal", "lambda_expression", "constructor_declaration"}
STATEMENTS = {"expression_statement", "if_statement", "for_statement", "while_statement", "switch_statement",
              "statement_block", "block", "program", "source_file", "class_body", "for_clause",
              "go_statement", "defer_statement", "throw_statement"}
CALLS = {"call_expression", "method_invocation", "new_expression", "object_creation_expression"}
MAX_FOLLOW = 2


def randomness_reports(file, language: str) -> list[Report]:
    reports = []
    src = file.source
    for call in src.of_type("call_expression", "method_invocation"):
        generator = _generator(file, call, language)
        if generator is None:
            continue
        what = lands_on_secret(file, call, 0)
        if what:
            reports.append(Report(src.line(call), "BDL208", f"`{short(src.text(call))}` ({generator}) becomes {what}: "
                                  "this generator is predictable (its state can be recovered from a few outputs, "
                                  "or guessed from a time seed), so an attacker computes the next tokens or codes "
                                  f"and takes over accounts. Use {_SAFE[language]}."))
    return reports


_SAFE = {"javascript": "crypto.randomBytes / crypto.randomInt / crypto.randomUUID",
         "go": "crypto/rand (rand.Read, rand.Text) ", "java": "java.security.SecureRandom"}


def _generator(file, call, language: str) -> str | None:
    src = file.source
    if language == "javascript":
        name, _ = file.call_target(call)
        return "Math.random" if name == "Math.random" else None
    if language == "go":
        name = file.qualname(call.child_by_field_name("function")) or ""
        if name.startswith(("math/rand.", "math/rand/v2.")) and name.rsplit(".", 1)[-1] in GO_MEMBERS:
            return "math/rand"
        return None
    method = src.text(call.child_by_field_name("name"))
    receiver = call.child_by_field_name("object")
    if method == "random" and receiver is not None and src.text(receiver) == "Math":
        return "Math.random"
    if method not in JAVA_MEMBERS or receiver is None:
        return None
    kind = file.qualname(receiver) or ""
    if kind in ("Random", "java.util.Random") or kind.startswith("ThreadLocalRandom") or \
            (receiver.type == "identifier" and _declared_type(file, receiver) == "Random"):
        return "java.util.Random" if "ThreadLocal" not in kind else "ThreadLocalRandom"
    return None


def _declared_type(file, name) -> str | None:
    """`private static final Random RANDOM = ...`: the declared type of a Java name."""
    binding = file.binding(name)
    if binding is None:
        return None
    leaf = file.source.root.descendant_for_byte_range(binding.start, binding.start)
    for node in [leaf, *list(ancestors(leaf))[:4]] if leaf is not None else []:
        kind = node.child_by_field_name("type") if node.type in ("field_declaration", "local_variable_declaration",
                                                                  "formal_parameter") else None
        if kind is not None:
            return file.source.text(kind).rsplit(".", 1)[-1]
    return None


def lands_on_secret(file, node, depth: int) -> str | None:
    """Where the value of `node` goes, if that is a credential: a description, else None."""
    current = node
    for parent in ancestors(node):
        kind = parent.type
        if kind in KEYED:
            key = parent.named_children[0] if parent.named_children else None
            name = _name_text(file, key) if key is not None and key != current else None
            if name and is_security_name(name):
                return f"the `{name}` field"
        elif kind in TARGETS:
            return _target(file, parent, current, depth)
        elif kind == "return_statement":
            return _function_says(file, parent)
        elif kind in FUNCTIONS:
            if kind in ("arrow_function", "lambda_expression", "func_literal") and \
                    parent.child_by_field_name("body") == current:
                current = parent  # an expression-bodied callback: its value flows on
                continue
            return None
        elif kind in STATEMENTS:
            return _consumed(file, current, parent)
        current = parent
    return None


def _consumed(file, value, statement) -> str | None:
    """A call used as a statement consumes the value: its name and string arguments, else the
    function it is in (a `ShareLink` handler writing it to the response), say what it is."""
    if value.type not in CALLS:
        return None
    src = file.source
    func = value.child_by_field_name("function") or value.child_by_field_name("name")
    words = [src.text(func).rsplit(".", 1)[-1]] if func is not None else []
    args = value.child_by_field_name("arguments")
    words += [src.text(a).strip("'\"`") for a in (args.named_children if args is not None else [])
              if a.type in ("string", "interpreted_string_literal", "string_literal")]
    for word in words:
        if is_security_name(word):
            return f"a credential (`{short(src.text(func) if func is not None else word)}`)"
    return _function_says(file, statement)


def _target(file, holder, current, depth: int) -> str | None:
    left = holder.child_by_field_name("left") or holder.child_by_field_name("name")
    if left is None or left.start_byte <= current.start_byte < left.end_byte:
        return None  # the value is part of the target (an index), not what is stored
    name = _name_text(file, left)
    if not name:
        return None
    if is_security_name(name):
        return f"`{name}`"
    if depth >= MAX_FOLLOW or any(w in vocabulary.SECURITY_VETO for w in vocabulary.name_words(name)):
        return None
    root = left
    while root.type in ("index_expression", "subscript_expression", "array_access", "expression_list") \
            and root.named_children:
        root = root.named_children[0]
    if root.type != "identifier":
        return None
    return _follow(file, root, depth)


def _follow(file, name_node, depth: int) -> str | None:
    """The uses of a local that holds the value: where they go."""
    src = file.source
    text = src.text(name_node)
    scope = next((a for a in ancestors(name_node) if a.type in FUNCTIONS), None)
    if scope is None:
        return None
    for use in _identifiers(scope, text):
        if use.start_byte <= name_node.start_byte or _is_target(use):
            continue
        found = lands_on_secret(file, use, depth + 1)
        if found:
            return found
    return None


def _identifiers(scope, text: str) -> list:
    found, stack = [], [scope]
    while stack and len(found) < 64:
        current = stack.pop()
        if current.type == "identifier" and current.text.decode("utf-8", "replace") == text:
            found.append(current)
        stack.extend(reversed(current.named_children))
    return found


def _is_target(use) -> bool:
    parent = use.parent
    while parent is not None and parent.type in ("index_expression", "subscript_expression", "array_access",
                                                 "expression_list"):
        use, parent = parent, parent.parent
    return parent is not None and parent.type in TARGETS and \
        (parent.child_by_field_name("left") == use or parent.child_by_field_name("name") == use)


def _function_says(file, node) -> str | None:
    """The nearest named functions around `node` (a callback's, then its owner's)."""
    src = file.source
    for function in [a for a in ancestors(node) if a.type in FUNCTIONS][:3]:
        name = function.child_by_field_name("name")
        if name is None and function.parent is not None and function.parent.type == "variable_declarator":
            name = function.parent.child_by_field_name("name")
        if name is not None and is_security_name(src.text(name)):
            return f"the result of `{src.text(name)}`"
    return None


def _name_text(file, node) -> str | None:
    src = file.source
    if node.type in ("string", "interpreted_string_literal", "string_literal"):
        return src.text(node).strip("'\"`")
    for field in ("property", "field", "index", "name"):
        inner = node.child_by_field_name(field)
        if inner is not None and node.type not in ("index_expression", "subscript_expression", "array_access"):
            return src.text(inner).strip("'\"`")
    if node.type in ("expression_list",) and node.named_children:
        return _name_text(file, node.named_children[0])
    if node.type in ("index_expression", "subscript_expression", "array_access") and node.named_children:
        return _name_text(file, node.named_children[0])
    return src.text(node) if len(src.text(node)) < 80 else None


def is_security_name(name: str) -> bool:
    """A name that says its value is security material: a password, token, key, session id, invite..."""
    name = name.replace("-", "_")
    words = vocabulary.name_words(name)
    if any(w in vocabulary.SECURITY_VETO for w in words):
        return False
    return bool(vocabulary.secret_words(name)) or bool(set(words) & CAPABILITY) or \
        "".join(words) in ("apikey", "sessionid", "sid")
