"""The concepts of the Java analysis, on the facts of java.py: BDL203/204/303 cipher and protocol
names however they are built (constants of any class, concatenation, helpers), NullCipher,
BDL205 constant IVs, BDL302 host-name verifiers and trust managers that accept everything
(lambdas, anonymous and named classes, through variables), BDL402/404 secrets and credential
files to the network, BDL501 decoded commands, BDL505 request input or built strings in a shell;
beside them dispatch.py (BDL502), spring_security.py (BDL602) and fail_open.py (BDL606)."""
from __future__ import annotations

import re

from backdoor_lint.checkers import vocabulary
from backdoor_lint.checkers.lang.auth_bypass import auth_reports
from backdoor_lint.checkers.lang.deserialization import java_deserialization
from backdoor_lint.checkers.lang.dispatch import java_dispatch
from backdoor_lint.checkers.lang.fail_open import fail_open_reports
from backdoor_lint.checkers.lang.java import JavaFile
from backdoor_lint.checkers.lang.public_hmac import java_public_hmac
from backdoor_lint.checkers.lang.randomness import randomness_reports
from backdoor_lint.checkers.lang.report import Report, one_per_line, short
from backdoor_lint.checkers.lang.secret_compare import timing_reports
from backdoor_lint.checkers.lang.spring_security import spring_reports
from backdoor_lint.checkers.lang.syntax import argument_nodes
from backdoor_lint.checkers.lang.values import known

BROKEN = re.compile(r"(?i)^(des|desede|tripledes|3des|rc2|rc4|arcfour|blowfish)(/|$)")
ECB = re.compile(r"(?i)^(?!rsa/)[\w-]+/ECB/|^(aes|des|desede|blowfish|rc2)$")  # RSA/ECB/... is one block
RSA_RAW = re.compile(r"(?i)^rsa/[^/]+/nopadding$")
OLD_TLS = {"SSL", "SSLv2", "SSLv3", "TLSv1", "TLSv1.1"}
VERIFIER_SETTERS = {"setHostnameVerifier", "setDefaultHostnameVerifier", "hostnameVerifier"}
ACCEPT_ALL = re.compile(r"NoopHostnameVerifier|ALLOW_ALL_HOSTNAME_VERIFIER|AllowAllHostnameVerifier")
DECODED, REQUEST, ENV, SECRET, CREDENTIAL = "decoded", "request", "environment", "secret", "credential"
REQUEST_METHODS = {"getParameter", "getParameterValues", "getHeader", "getQueryString", "getInputStream",
                   "getReader", "getCookies", "getRequestURI", "getPathInfo"}
REQUEST_ANNOTATIONS = {"RequestParam", "RequestBody", "PathVariable", "RequestHeader", "QueryParam", "PathParam",
                       "FormParam", "HeaderParam"}
FILE_READERS = {"readAllBytes", "readString", "readAllLines", "newInputStream", "newBufferedReader", "lines"}
HMAC_FACTORIES = {"HMAC256", "HMAC384", "HMAC512"}  # auth0 java-jwt
SIGNING_KEY_SETTERS = {"setSigningKey", "signWith", "hmacShaKeyFor"}  # jjwt
SHELLS = {"sh", "bash", "/bin/sh", "/bin/bash", "zsh", "cmd", "cmd.exe", "powershell", "pwsh"}


class JavaFlow:
    def __init__(self, java: JavaFile) -> None:
        self.java = java
        self.variables: dict[tuple, frozenset] = {}
        pairs = [((b.scope.start_byte, name), b.value) for name, bindings in java.bindings.items()
                 for b in bindings if b.value is not None]
        for _round in range(4):
            changed = False
            for key, value in pairs:
                found = self.taints(value) | self.variables.get(key, frozenset())
                if found != self.variables.get(key, frozenset()):
                    self.variables[key] = found
                    changed = True
            if not changed:
                break

    def taints(self, node) -> frozenset:
        found: set = set()
        stack, budget = [node], 5000
        while stack and budget:
            budget -= 1
            current = stack.pop()
            own = self._source(current)
            if own is not None:
                found |= own
                continue
            if current.type in ("lambda_expression", "class_body"):
                continue
            if current.type == "identifier":
                found |= self._variable(current)
                continue
            stack.extend(current.named_children)
        return frozenset(found)

    def _variable(self, name_node) -> frozenset:
        java = self.java
        binding = java.binding(name_node)
        if binding is None:
            return frozenset()
        if binding.value is None:  # a parameter: request input when annotated so
            declaration = next((b for b in java.bindings.get(java.source.text(name_node), ())
                                if b.scope == binding.scope and b.value is None), None)
            return self._parameter(name_node) if declaration is not None else frozenset()
        return self.variables.get((binding.scope.start_byte, java.source.text(name_node)), frozenset())

    def _parameter(self, name_node) -> frozenset:
        scope = self.java.binding(name_node).scope
        for parameter in self.java.source.of_type("formal_parameter"):
            if not (scope.start_byte <= parameter.start_byte < scope.end_byte):
                continue
            name = parameter.child_by_field_name("name")
            if name is None or self.java.source.text(name) != self.java.source.text(name_node):
                continue
            text = self.java.source.text(parameter)
            if any(f"@{a}" in text for a in REQUEST_ANNOTATIONS):
                return frozenset({(REQUEST, f"@{text.split('(')[0].lstrip('@')} parameter")})
        return frozenset()

    def _source(self, node):
        java = self.java
        src = java.source
        if node.type == "method_invocation":
            name = src.text(node.child_by_field_name("name"))
            receiver = node.child_by_field_name("object")
            args = argument_nodes(node)
            receiver_text = src.text(receiver) if receiver is not None else ""
            # Base64/hex decoders hide a payload; URLDecoder only reads a form field
            if name in ("decode", "decodeHex", "decodeBase64") and "URLDecoder" not in receiver_text and \
                    re.search(r"Decoder\(\)|Hex|Base64", receiver_text):
                return frozenset({(DECODED, f"{receiver_text}.{name}")})
            if name in REQUEST_METHODS and receiver is not None and receiver.type == "identifier" and \
                    re.search(r"(?i)req|request", receiver_text):
                return frozenset({(REQUEST, src.text(node))})
            if name == "getenv" and receiver_text == "System":
                if not args:
                    return frozenset({(ENV, "System.getenv()")})
                variable = java.value(args[0])
                if isinstance(variable, str):
                    return frozenset({(SECRET, variable)}) if vocabulary.is_secret_variable(variable) else frozenset()
            if name in FILE_READERS and receiver_text == "Files" and args:
                path = vocabulary.credential_file(self.render(args[0]))
                if path:
                    return frozenset({(CREDENTIAL, path)})
        if node.type == "object_creation_expression" and java.qualname(node) in ("FileInputStream", "FileReader",
                                                                                  "File"):
            args = argument_nodes(node)
            path = vocabulary.credential_file(self.render(args[-1])) if args else None
            if path:
                return frozenset({(CREDENTIAL, path)})
        return None

    def render(self, node, depth: int = 0) -> str:
        value = self.java.value(node)
        if isinstance(value, str):
            return value
        if depth > 6 or node is None:
            return "\ufffc"
        text = self.java.source.text(node).replace(" ", "")
        if text in ('System.getProperty("user.home")', 'System.getenv("HOME")'):
            return "~"
        if node.type == "binary_expression":
            return self.render(node.child_by_field_name("left"), depth + 1) + \
                self.render(node.child_by_field_name("right"), depth + 1)
        if node.type == "method_invocation" and self.java.source.text(node.child_by_field_name("name")) in (
                "get", "of", "resolve", "toFile", "toPath"):
            parts = [self.render(node.child_by_field_name("object"), depth + 1)] if \
                self.java.source.text(node.child_by_field_name("name")) == "resolve" else []
            return "/".join(parts + [self.render(a, depth + 1) for a in argument_nodes(node)])
        if node.type == "identifier":
            binding = self.java.binding(node)
            if binding is not None and binding.value is not None:
                return self.render(binding.value, depth + 1)
        return "\ufffc"


def analyse(java: JavaFile) -> list[Report]:
    flow = JavaFlow(java)
    src = java.source
    reports: list[Report] = []
    for call in src.of_type("method_invocation", "object_creation_expression"):
        name = java.qualname(call) or ""
        args = argument_nodes(call)
        line = src.line(call)
        last = name.rsplit(".", 1)[-1]
        if call.type == "method_invocation":
            receiver = call.child_by_field_name("object")
            receiver_text = src.text(receiver) if receiver is not None else ""
            method = src.text(call.child_by_field_name("name"))
            if method == "getInstance" and args:
                reports += _algorithm(java, receiver_text, java.value(args[0]), line)
            if method in VERIFIER_SETTERS and args and _accepts_all(java, args[0]):
                reports.append(Report(line, "BDL302", f"`{method}` installs a verifier that accepts every host name "
                                      f"(`{short(src.text(args[0]))}`): any certificate for any site passes. Keep "
                                      "the default verifier."))
            if method == "exec" and ("getRuntime" in name or "Runtime" in receiver_text):
                reports += _command(java, flow, args, line, "Runtime.exec")
            if method == "command" and "ProcessBuilder" in (java.qualname(receiver) or ""):
                reports += _command(java, flow, args, line, "ProcessBuilder.command")
            reports += _send(flow, call, method, receiver_text, args, line)
            if (method in HMAC_FACTORIES and receiver_text.endswith("Algorithm") or method in SIGNING_KEY_SETTERS) \
                    and args:
                # jjwt's signWith takes (algorithm, key) in old versions and (key, algorithm) in new ones
                key = next((a for a in args if not re.search(r"SignatureAlgorithm|Jwts\.SIG", src.text(a))), args[0])
                reports += _key(java, key, f"{receiver_text}.{method}" if receiver_text else method, line,
                                hmac=method in HMAC_FACTORIES)
        else:
            if last == "NullCipher":
                reports.append(Report(line, "BDL203", "NullCipher does not encrypt: the 'ciphertext' is the plaintext. "
                                      "Use AES/GCM/NoPadding."))
            if last in ("IvParameterSpec", "GCMParameterSpec") and args:
                iv = java.value(args[-1] if last == "GCMParameterSpec" else args[0])
                if known(iv) and isinstance(iv, (str, tuple)) and all(known(b) for b in iv):
                    reports.append(Report(line, "BDL205", f"{last} gets a constant IV/nonce: with one key, a repeated "
                                          "IV leaks plaintext (CBC prefixes, GCM keystream and authentication key). "
                                          "Generate it with SecureRandom for every message and send it along."))
            if last == "SecretKeySpec" and args:
                reports += _key(java, args[0], "SecretKeySpec", line)
            if last == "ProcessBuilder":
                reports += _command(java, flow, args, line, "ProcessBuilder")
    reports += _verifier_classes(java)
    if not java.is_test:
        reports += timing_reports(java, "java") + randomness_reports(java, "java") + java_deserialization(java)
        reports += auth_reports(java) + java_public_hmac(java) + fail_open_reports(java, "java")
        reports += java_dispatch(java, flow) + spring_reports(java)
    return one_per_line(reports)


def _algorithm(java: JavaFile, receiver: str, value, line: int) -> list[Report]:
    if not isinstance(value, str):
        return []
    if receiver.endswith("Cipher"):
        if BROKEN.match(value):
            return [Report(line, "BDL203", f"Cipher \"{value}\" is broken (small block or key, known attacks): "
                           "use AES/GCM/NoPadding.")]
        if RSA_RAW.match(value):
            return [Report(line, "BDL203", f"Cipher \"{value}\" is textbook RSA without padding: deterministic and "
                           "malleable. Use RSA/ECB/OAEPWithSHA-256AndMGF1Padding.")]
        if ECB.search(value):
            return [Report(line, "BDL204", f"Cipher \"{value}\" uses ECB (the default mode when none is named): equal "
                           "plaintext blocks give equal ciphertext blocks. Use AES/GCM/NoPadding.")]
    if receiver.endswith("SSLContext") and value in OLD_TLS:
        return [Report(line, "BDL303", f"SSLContext \"{value}\" allows an obsolete protocol with known attacks: use "
                       "\"TLSv1.3\" or \"TLSv1.2\".")]
    return []


def _accepts_all(java: JavaFile, node, depth: int = 0) -> bool:
    """A verifier that returns true whatever it is given: a lambda, an anonymous or named class
    of this file, a library's allow-all verifier, through variables."""
    if node is None or depth > 6:
        return False
    src = java.source
    if ACCEPT_ALL.search(src.text(node)) and node.type in ("field_access", "identifier", "object_creation_expression",
                                                            "scoped_identifier"):
        return True
    if node.type == "lambda_expression":
        body = node.child_by_field_name("body")
        if body is not None and body.type == "block":
            returns = java.returns(node)
            return bool(returns) and all(java.value(r) is True for r in returns)
        return body is not None and java.value(body) is True
    if node.type == "identifier":
        binding = java.binding(node)
        return binding is not None and _accepts_all(java, binding.value, depth + 1)
    if node.type == "object_creation_expression":
        body = next((c for c in node.named_children if c.type == "class_body"), None)
        if body is not None:
            return _verify_always_true(java, body)
        name = java.qualname(node)
        for declaration in src.of_type("class_declaration"):
            if src.text(declaration.child_by_field_name("name")) == name:
                body = declaration.child_by_field_name("body")
                return body is not None and _verify_always_true(java, body)
    return False


def _verify_always_true(java: JavaFile, body) -> bool:
    for method in body.named_children:
        if method.type == "method_declaration" and java.source.text(method.child_by_field_name("name")) == "verify":
            returns = java.returns(method)
            return bool(returns) and all(java.value(r) is True for r in returns)
    return False


def _verifier_classes(java: JavaFile) -> list[Report]:
    """Named classes that implement HostnameVerifier and accept all, or trust managers whose
    checkServerTrusted neither throws nor delegates."""
    src = java.source
    reports = []
    for declaration in src.of_type("class_declaration", "object_creation_expression"):
        header = src.text(declaration)[:400]
        body = declaration.child_by_field_name("body") if declaration.type == "class_declaration" else \
            next((c for c in declaration.named_children if c.type == "class_body"), None)
        if body is None:
            continue
        if declaration.type == "class_declaration" and "HostnameVerifier" in header.split("{")[0] and \
                _verify_always_true(java, body):
            reports.append(Report(src.line(declaration.child_by_field_name("name")), "BDL302", "this HostnameVerifier accepts every host name: a "
                                  "certificate for any site passes. Keep the default verifier."))
        if "TrustManager" in header.split("{")[0] or declaration.type == "object_creation_expression" and \
                "TrustManager" in src.text(declaration.child_by_field_name("type") or declaration):
            for method in body.named_children:
                if method.type == "method_declaration" and \
                        src.text(method.child_by_field_name("name")) == "checkServerTrusted" and _trusts_all(src, method):
                    reports.append(Report(src.line(method.child_by_field_name("name")), "BDL302",
                                          "checkServerTrusted neither throws nor "
                                          "delegates: every certificate chain is trusted, so anyone on the path can "
                                          "impersonate the server. Use the default TrustManager with a KeyStore."))
    return reports


def _trusts_all(src, method) -> bool:
    body = method.child_by_field_name("body")
    if body is None:
        return False
    text = src.text(body)
    return "throw" not in text and "checkServerTrusted" not in text and "check" not in text.lower().replace(
        "checkservertrusted", "")


def _key(java: JavaFile, node, label: str, line: int, hmac: bool = False) -> list[Report]:
    """BDL210 a constant key; BDL101 an HMAC keyed with public key material (anyone can sign)."""
    if java.is_test:
        return []
    value = java.value(node)
    text = java.source.text(node)
    if hmac and (isinstance(value, str) and vocabulary.PUBLIC_KEY_TEXT.search(value) or
                 re.search(r"(?i)pub(lic)?[_-]?key|\.getPublic\(\)", text)):
        return [Report(line, "BDL101", f"`{label}` is keyed with public key material (`{short(text)}`): HMAC "
                       "verification with a public key lets anyone who has it sign tokens. Verify RS/ES tokens "
                       "with Algorithm.RSA256/ECDSA256 and the public key object.")]
    if vocabulary.hardcoded_key(value):
        return [Report(line, "BDL210", f"hard-coded key `{short(text)}` passed to `{label}`: everyone with the source "
                       "can mint valid tokens or decrypt the data. Read it from the environment or a secret manager.")]
    return []


def _command(java: JavaFile, flow: JavaFlow, args: list, line: int, label: str) -> list[Report]:
    if label == "Runtime.exec":
        args = args[:1]  # the command; the environment and directory arguments do not choose what runs
    kinds = {kind for arg in args for kind, _ in flow.taints(arg)}
    if DECODED in kinds:
        return [Report(line, "BDL501", f"`{label}` runs a command decoded at run time: encoding hides the command "
                       "from review and from every pattern check. Write the command in plain source.")]
    values = [java.value(a) for a in args]
    flat = values[0] if len(values) == 1 and isinstance(values[0], tuple) else tuple(values)
    shell = len(flat) >= 3 and str(flat[0]).rsplit("/", 1)[-1] in SHELLS and flat[1] in ("-c", "/c")
    # Runtime.exec(String) splits the string on spaces: pieces can add arguments and options
    string_command = label == "Runtime.exec" and len(args) == 1 and not isinstance(values[0], tuple) and \
        args[0].type not in ("array_creation_expression", "array_initializer")
    if not (shell or string_command):
        return []
    if REQUEST in kinds:
        return [Report(line, "BDL505", f"request input reaches the command `{label}` runs: the client chooses what "
                       "runs. Run a fixed program with an argument array and validated arguments, never a shell.")]
    command = flat[2] if shell else values[0]
    if not known(command) and (shell or args[0].type == "binary_expression"):
        what = f"`{flat[0]} {flat[1]}` with a command" if shell else "a command string"
        return [Report(line, "BDL505", f"`{label}` runs {what} built at run time from variable data: whoever "
                       "controls the pieces adds commands, arguments or options. Run the program directly with an "
                       "argument array.")]
    return []


def _send(flow: JavaFlow, call, method: str, receiver_text: str, args: list, line: int) -> list[Report]:
    sending = (method in ("ofString", "ofByteArray") and "BodyPublishers" in receiver_text) or \
        (method == "create" and "RequestBody" in receiver_text) or \
        (method in ("write", "print", "println", "writeBytes") and "getOutputStream" in receiver_text)
    resolving = method in ("getByName", "getAllByName") and "InetAddress" in receiver_text
    if not (sending or resolving):
        return []
    taints = {t for arg in args for t in flow.taints(arg) if t[0] in (ENV, SECRET, CREDENTIAL)}
    if not taints:
        return []
    what = ", ".join(sorted(f"{k} {w}" if k != ENV else w for k, w in taints)[:3])
    if resolving:
        return [Report(line, "BDL404", f"{what} is put into a host name that is resolved: the attacker's name "
                       "server receives it in the DNS query.")]
    return [Report(line, "BDL402", f"{what} is sent over the network ({method}): whoever runs the endpoint "
                   "receives it. Send only what the service needs.")]
