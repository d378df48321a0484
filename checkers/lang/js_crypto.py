"""Keys, ciphers, hashes and protocols in JavaScript/TypeScript, by value: BDL210 a hard-coded JWT,
HMAC, cipher or session secret (however the constant reaches the call: constants, options objects,
`JWK.asKey(...)`, `Buffer.from(...)`), BDL203/204 broken ciphers and ECB in `createCipheriv`,
BDL205 constant IVs and the IV-less `createCipher`, BDL201 MD5/SHA-1 over a password, token or
secret or making one (by use: what is hashed and where the digest lands), and signatures over them,
BDL207 RSA/DSA/DH keys under 2048 bits and small elliptic curves (obsolete TLS versions in options
are js_rules' BDL303)."""
from __future__ import annotations

import re

from backdoor_lint.checkers import vocabulary
from backdoor_lint.checkers.lang.javascript import JsFile
from backdoor_lint.checkers.lang.js_eval import local_functions
from backdoor_lint.checkers.lang.randomness import is_security_name, lands_on_secret
from backdoor_lint.checkers.lang.report import Report, short
from backdoor_lint.checkers.lang.syntax import ancestors, argument_nodes
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
# OpenSSL digest names node:crypto accepts for the collidable hashes
WEAK_HASH = re.compile(r"(?i)^(rsa-)?(md[245]|sha-?1|ripemd(-?160)?|rmd-?160)$|^(md5|sha1)withrsaencryption$")
HASHERS = {"crypto.createHash": None, "crypto.hash": 1}  # the one-shot crypto.hash(alg, data) takes its data
SIGNERS = {"crypto.createSign", "crypto.createVerify", "crypto.sign", "crypto.verify"}
# Factoring, discrete logarithms: below 2048 bits RSA/DSA/DH are within reach (NIST SP 800-131A).
MIN_BITS = 2048
WEAK_CURVE = re.compile(r"(?i)^(secp112r[12]|secp128r[12]|secp160[kr][12]?|sect1\d\d.*|prime192v[123]|"
                        r"secp192[kr]1|p-?192|secp224[kr]1|p-?224|wap-.*|c2pnb.*|c2tnb.*|brainpoolp1[6-9]\dr1)$")
CURVE_KEYS = ("namedCurve", "ecdhCurve")


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
    if name in ("crypto.createCipher", "crypto.createDecipher"):
        reports.append(Report(line, "BDL205", f"`{name}` derives key and IV from the password with one unsalted "
                              "MD5 round: every message under that password has the same IV (CBC leaks equal "
                              "prefixes, CTR/GCM reuse their keystream) and the key is cracked as fast as an "
                              "MD5 hash. Derive a key with crypto.scryptSync(password, salt, 32) and use "
                              "createCipheriv('aes-256-gcm', key, crypto.randomBytes(12))."))
    return reports + _weak_hash(js, call, name, args) + _small_key(js, name, args, line)


def _weak_hash(js: JsFile, call, name: str, args: list) -> list[Report]:
    """MD5/SHA-1 whose input is a password, token or secret or whose digest becomes one, an HMAC
    over MD5 and a signature over MD5/SHA-1 (HMAC-SHA-1 stays: its security does not rest on
    collision resistance)."""
    algorithm = js.value(args[0]) if args else None
    if not (isinstance(algorithm, str) and WEAK_HASH.match(algorithm)):
        return []
    line = js.source.line(call)
    if name in HASHERS:
        inputs = [args[HASHERS[name]]] if HASHERS[name] and len(args) > HASHERS[name] else _updates(js, call)
        hashed = next(filter(None, (_secret_in(js, node) for node in inputs)), None)
        becomes = lands_on_secret(js, call, 0)
        if hashed or becomes:
            what = f"hashes `{hashed}`" if hashed else f"makes {becomes}"
            return [Report(line, "BDL201", f"{algorithm} {what}: {algorithm} is fast and collidable, so a leaked "
                           "password hash is cracked at billions of guesses a second on a GPU, and a digest used "
                           "as a signature or token can be forged (secret-suffix length extension, chosen-prefix "
                           "collisions). Use scrypt/argon2/bcrypt for passwords, HMAC-SHA-256 (createHmac) to "
                           "authenticate, SHA-256 or better otherwise.")]
    elif name == "crypto.createHmac" and re.search(r"(?i)md[245]", algorithm):
        return [Report(line, "BDL201", f"createHmac authenticates with HMAC-{algorithm.upper()}: the hash under "
                       "it is broken, so the MAC keeps no safety margin (a weakness found in its compression "
                       "function becomes a forgery) and it is kept only for legacy protocols. Use "
                       "createHmac('sha256', key).",
                       severity="warn")]
    elif name in SIGNERS:
        return [Report(line, "BDL201", f"`{name}` signs or verifies over {algorithm}: with a collision an "
                       "attacker gets a harmless document signed and presents a different one with the same "
                       "signature. Sign over SHA-256 or better (or Ed25519).")]
    return []


def _updates(js: JsFile, call) -> list:
    """What is fed into a hash object: `.update(x)` chained on it or called on the name holding it."""
    found, current = [], call
    while current.parent is not None and current.parent.type == "member_expression" and \
            js.source.text(current.parent.child_by_field_name("property")) == "update" and \
            current.parent.parent is not None and current.parent.parent.type == "call_expression":
        current = current.parent.parent
        found += argument_nodes(current)[:1]
    holder = call.parent
    if holder is not None and holder.type == "variable_declarator" and \
            holder.child_by_field_name("name").type == "identifier":
        name = js.source.text(holder.child_by_field_name("name"))
        scope = next((a for a in ancestors(holder) if a.type in ("statement_block", "program")), None)
        for other in js.source.of_type("call_expression"):
            func = other.child_by_field_name("function")
            if scope is not None and scope.start_byte <= other.start_byte < scope.end_byte and \
                    func.type == "member_expression" and js.source.text(func) == f"{name}.update":
                found += argument_nodes(other)[:1]
    return found


def _secret_in(js: JsFile, node, depth: int = 0) -> str | None:
    """The first name in an expression that says it is a password, token or secret (a local is
    followed to its value once or twice; `process.env.X` counts by the variable's name)."""
    stack = [node]
    while stack:
        current = stack.pop()
        kind = current.type
        if kind in ("identifier", "property_identifier", "shorthand_property_identifier"):
            text = js.source.text(current)
            if is_security_name(text) or (kind == "property_identifier" and vocabulary.is_secret_variable(text)
                                           and text.isupper()):
                return text
            binding = js.binding(current) if kind == "identifier" and depth < 2 else None
            if binding is not None and hasattr(binding.value, "type"):
                found = _secret_in(js, binding.value, depth + 1)
                if found:
                    return found
        elif kind in ("string", "template_string") and current.parent is not None and \
                current.parent.type == "subscript_expression":  # process.env['DB_PASSWORD'], user['token']
            text = js.source.text(current).strip("'\"`")
            if is_security_name(text) or vocabulary.is_secret_variable(text):
                return text
        elif kind not in ("arrow_function", "function_expression"):
            stack.extend(current.named_children)
    return None


def _small_key(js: JsFile, name: str, args: list, line: int) -> list[Report]:
    """RSA/DSA/DH under 2048 bits in node:crypto and WebCrypto key generation, small curves of
    createECDH (curves named in options are curve_reports')."""
    sizes, curves = [], []
    if name in ("crypto.generateKeyPair", "crypto.generateKeyPairSync") and len(args) > 1:
        options = js.value(args[1])
        if isinstance(options, dict):
            sizes += [(options.get(k), k) for k in ("modulusLength", "primeLength") if k in options]
    elif name.endswith("subtle.generateKey") and args:
        options = js.value(args[0])
        if isinstance(options, dict):
            sizes.append((options.get("modulusLength"), "modulusLength"))
    elif name == "crypto.createDiffieHellman" and args:
        sizes.append((js.value(args[0]), "prime length"))
    elif name in ("crypto.createECDH", "crypto.getCurve") and args:
        curves.append(js.value(args[0]))
    for bits, what in sizes:
        if isinstance(bits, int) and not isinstance(bits, bool) and 0 < bits < MIN_BITS:
            return [Report(line, "BDL207", f"`{name}` makes a {bits}-bit key ({what}): RSA, DSA and Diffie-Hellman "
                           "below 2048 bits can be factored or their discrete logarithm solved with public "
                           "tooling, so the private key is recovered and signatures forged or traffic decrypted. "
                           "Use RSA 3072 (at least 2048), or Ed25519 / P-256.")]
    return [_curve_report(line, curve) for curve in curves if weak_curve(curve)][:1]


def weak_curve(value) -> bool:
    return isinstance(value, str) and bool(WEAK_CURVE.match(value))


def _curve_report(line: int, curve: str) -> Report:
    return Report(line, "BDL207", f"the elliptic curve '{curve}' is too small or deprecated (under 224 bits): its "
                  "discrete logarithm is within reach of well-funded attackers, so keys are recovered and "
                  "signatures forged. Use P-256 (prime256v1), P-384 or Ed25519.")


def curve_setting(js: JsFile, name, value_node, line: int) -> list[Report]:
    """`namedCurve` / `ecdhCurve` set to a weak curve in any options object (key generation,
    import, TLS) or assigned to one, however the value is spelled."""
    value = js.value(value_node) if name in CURVE_KEYS and value_node is not None else None
    curve = next((c for c in value.split(":") if weak_curve(c)), None) if isinstance(value, str) else None
    return [_curve_report(line, curve)] if curve else []


def option_settings(js: JsFile):
    """(option name, value node, line) of every object pair (`{ k: v }`, `{ ['k' + 'ey']: v }`) and
    member assignment (`o.k = v`, `o['k'] = v`), the key evaluated."""
    src = js.source
    for pair in src.of_type("pair"):
        key = pair.child_by_field_name("key")
        name = js.value(key.named_children[0]) if key.type == "computed_property_name" and key.named_children \
            else (js.value(key) if key.type == "string" else src.text(key))
        yield name, pair.child_by_field_name("value"), src.line(pair)
    for node in src.of_type("assignment_expression"):
        left = node.child_by_field_name("left")
        if left is None or left.type not in ("member_expression", "subscript_expression"):
            continue
        name = src.text(left.child_by_field_name("property")) if left.type == "member_expression" \
            else js.value(left.child_by_field_name("index"))
        yield name, node.child_by_field_name("right"), src.line(node)


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
        return binding is not None and hasattr(binding.value, "type") and \
            _constant_iv(js, binding.value, depth + 1) and not _handed_on(js, node, binding)
    return _constant_bytes(js, node, depth)


def _handed_on(js: JsFile, name, binding) -> bool:
    """Whether a buffer held by `name` is given to another call or has a method called on it
    (`crypto.randomFillSync(iv)`, `crypto.getRandomValues(iv)`, `iv.set(...)`): it may be filled
    with random bytes after it was made, so it is not known to be constant."""
    src = js.source
    text = src.text(name)
    for call in src.of_type("call_expression"):
        if js.call_target(call)[0] in ("crypto.createCipheriv", "crypto.createDecipheriv"):
            continue
        func = call.child_by_field_name("function")
        used = [a for a in argument_nodes(call) if a.type == "identifier" and src.text(a) == text]
        if func is not None and func.type == "member_expression":
            receiver = func.child_by_field_name("object")
            used += [receiver] if receiver.type == "identifier" and src.text(receiver) == text else []
        if any(js.binding(use) == binding for use in used):
            return True
    return False


BYTE_MAKERS = ("Buffer.alloc", "Buffer.from", "Buffer.concat", "Uint8Array", "Uint8Array.from", "Uint8Array.of")


def _constant_bytes(js: JsFile, node, depth: int = 0) -> bool:
    """Bytes made only from constants: `Buffer.alloc(16)` (zeros), `Buffer.alloc(16, 7)`,
    `Buffer.from([1, 2, ...])`, `new Uint8Array(12)`, `Buffer.alloc(16).fill(0)`, or a local
    helper function that returns such bytes on every path."""
    if node is None or node.type not in ("call_expression", "new_expression") or depth > 4:
        return False
    name, _ = js.call_target(node)
    args = argument_nodes(node)
    func = node.child_by_field_name("function")
    if name in BYTE_MAKERS:
        return bool(args) and all(known(js.value(a)) for a in args)
    if func is not None and func.type == "member_expression" and \
            js.source.text(func.child_by_field_name("property")) == "fill":  # Buffer.alloc(16).fill(0)
        return _constant_bytes(js, func.child_by_field_name("object"), depth + 1) and \
            all(known(js.value(a)) for a in args)
    if func is not None and func.type == "identifier":  # makeIv()
        returns = [r for f in local_functions(js, func)[:4] for r in js.returns(f)[:8]]
        return bool(returns) and all(_constant_iv(js, r, depth + 1) for r in returns)
    return False
