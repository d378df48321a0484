"""Keys, ciphers and protocols in JavaScript/TypeScript, by value: BDL210 a hard-coded JWT, HMAC,
cipher or session secret (however the constant reaches the call: constants, options objects,
`JWK.asKey(...)`, `Buffer.from(...)`), BDL203/204 broken ciphers and ECB in `createCipheriv`,
BDL205 constant IVs (obsolete TLS versions in options are js_rules' BDL303)."""
from __future__ import annotations

import re

from backdoor_lint.checkers import vocabulary
from backdoor_lint.checkers.lang.javascript import JsFile
from backdoor_lint.checkers.lang.report import Report, short
from backdoor_lint.checkers.lang.syntax import argument_nodes
from backdoor_lint.checkers.lang.values import known

# Where each API takes its key: argument index, or the option names of its options object.
KEY_ARGUMENTS = {
    "jsonwebtoken.sign": 1, "jsonwebtoken.verify": 1, "jose.JWT.sign": 1, "jose.JWT.verify": 1,
    "jose.JWS.sign": 1, "jose.JWS.verify": 1, "jwt-simple.encode": 1, "jwt-simple.decode": 1,
    "crypto.createHmac": 1, "crypto.createCipheriv": 1, "crypto.createDecipheriv": 1,
    "crypto.createSecretKey": 0,
}
KEY_OPTIONS = {
    "express-jwt": ("secret",), "express-jwt.expressjwt": ("secret",), "express-jwt.expressJwt": ("secret",),
    "koa-jwt": ("secret",), "passport-jwt.Strategy": ("secretOrKey",), "express-session": ("secret",),
    "cookie-session": ("secret", "keys"), "@fastify/jwt": ("secret",), "@fastify/session": ("secret",),
}
KEY_WRAPPERS = ("asKey", "createSecretKey", "from", "encode")  # JWK.asKey(k), Buffer.from(k), encoder.encode(k)
BROKEN = re.compile(r"(?i)^(des|des-.*|des3|des-ede.*|rc2.*|rc4.*|bf|bf-.*|blowfish.*|cast.*)$")
ECB = re.compile(r"(?i)-ecb$")


def analyse_crypto(js: JsFile, call, name: str, display: str) -> list[Report]:
    reports = []
    args = argument_nodes(call)
    line = js.source.line(call)
    if not vocabulary.is_test_code(display):
        keys = []
        if name in KEY_ARGUMENTS and len(args) > KEY_ARGUMENTS[name]:
            keys.append(args[KEY_ARGUMENTS[name]])
        for option in KEY_OPTIONS.get(name, ()):
            options = _options_node(js, args[1] if name == "@fastify/jwt" and len(args) > 1 else
                                    (args[0] if args else None))
            keys += [v for k, v in options if k == option]
        for key in keys:
            value = _key_value(js, key)
            values = value if isinstance(value, tuple) else (value,)
            if values and all(vocabulary.hardcoded_key(v) for v in values):
                reports.append(Report(line, "BDL210", f"hard-coded key `{short(js.source.text(key))}` passed to "
                                      f"`{name}`: everyone with the source can mint valid tokens or decrypt the data. "
                                      "Read it from the environment or a secret manager."))
    if name in ("crypto.createCipheriv", "crypto.createDecipheriv", "crypto.createCipher") and args:
        algorithm = js.value(args[0])
        if isinstance(algorithm, str) and BROKEN.match(algorithm):
            reports.append(Report(line, "BDL203", f"cipher '{algorithm}' is broken (small block or key, known "
                                  "attacks): use aes-256-gcm."))
        elif isinstance(algorithm, str) and ECB.search(algorithm):
            reports.append(Report(line, "BDL204", f"cipher '{algorithm}' uses ECB: equal plaintext blocks give equal "
                                  "ciphertext blocks. Use aes-256-gcm with a random IV."))
        if name != "crypto.createCipher" and len(args) > 2 and _constant_iv(js, args[2]):
            reports.append(Report(line, "BDL205", f"the IV `{short(js.source.text(args[2]))}` is a constant: with one "
                                  "key a repeated IV leaks plaintext (GCM: the authentication key). Use "
                                  "crypto.randomBytes(12) per message and send it along."))
    return reports


def _options_node(js: JsFile, node) -> list[tuple[str, object]]:
    """(key, value node) of an options object literal, following a name to its object literal."""
    for _ in range(4):
        if node is None:
            return []
        if node.type == "identifier":
            binding = js.binding(node)
            node = binding.value if binding is not None and hasattr(binding.value, "type") else None
            continue
        break
    if node is None or node.type != "object":
        return []
    pairs = []
    for pair in node.named_children:
        if pair.type == "pair":
            key = pair.child_by_field_name("key")
            pairs.append((js.source.text(key).strip("'\""), pair.child_by_field_name("value")))
        elif pair.type == "shorthand_property_identifier":
            pairs.append((js.source.text(pair), pair))
    return pairs


def _key_value(js: JsFile, node, depth: int = 0):
    value = js.value(node)
    if known(value) or node is None or depth > 4:
        return value
    if node.type == "identifier":  # `const key = JWK.asKey('...')`
        binding = js.binding(node)
        if binding is not None and hasattr(binding.value, "type"):
            return _key_value(js, binding.value, depth + 1)
    if node is not None and node.type in ("call_expression", "new_expression"):
        func = node.child_by_field_name("function")
        args = argument_nodes(node)
        if func is not None and func.type == "member_expression" and args and \
                js.source.text(func.child_by_field_name("property")) in KEY_WRAPPERS:
            return _key_value(js, args[0], depth + 1)
    return value


def _constant_iv(js: JsFile, node, depth: int = 0) -> bool:
    value = _key_value(js, node)
    if isinstance(value, str) and value:
        return True
    if node is not None and node.type == "identifier" and depth < 4:
        binding = js.binding(node)
        return binding is not None and hasattr(binding.value, "type") and _constant_iv(js, binding.value, depth + 1)
    text = js.source.text(node) if node is not None else ""
    return bool(re.fullmatch(r"Buffer\.alloc\(\s*\d+\s*\)", text))  # all zeros
