"""BDL606, blocking: a verification that fails open — it returns success exactly when it could not
verify: the signature or token is missing or malformed, or checking it raised.

A verification is a function named as one (`verify_signature`, `check_token`, `is_authenticated`,
...) or one that calls a verification primitive (`hmac.compare_digest`, `.verify(...)`,
`jwt.decode`, `check_password`). Its fail-open exits are an `except` handler that returns a
truthy constant (or swallows the error and falls through to `return True`), and an early truthy
return guarded only by the absence or the shape of the credential (`if not signature`,
`if sig is None`, `if len(sig) != 64`, `if not sig.startswith("sha256=")`). The attacker's move is
the same in every case: send nothing, or send garbage, and be let in."""
from __future__ import annotations

import libcst as cst
from backdoor_lint.checkers.base import Invalid, PythonChecker, Valid
from backdoor_lint.checkers.origins import request_source
from backdoor_lint.checkers.tree import child_nodes, visit_tree
from backdoor_lint.checkers.triggers import fail_open as trigger
from backdoor_lint.checkers.triggers.auth import VERIFY_CALL, names_verification
from backdoor_lint.checkers.vocabulary import (
    CREDENTIAL_PARAM,
    CREDENTIAL_WORDS,
    SECURITY_CALL,
    is_test_or_example,
)

SHAPE_METHODS = {"startswith", "endswith", "isalnum", "isdigit", "isascii", "count", "find"}


class FailOpenVerification(trigger.FailOpenVerification, PythonChecker):
    CODES = ("BDL606",)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if is_test_or_example(self.context.display) or not self._verification(node):
            return
        body = _own_nodes(node)
        credentials = self._credentials(node, body)
        for child in body:
            if isinstance(child, cst.Try):
                self._try(node, child)
            elif isinstance(child, cst.If) and credentials:
                self._shape_branch(node, child, credentials)

    # -- what a verification is -------------------------------------------------------------
    def _verification(self, function: cst.FunctionDef) -> bool:
        if names_verification(function.name.value, bare_verbs=False):
            return True
        return any(isinstance(n, cst.Call) and SECURITY_CALL.search(self.context.code(n.func)) for n in _own_nodes(function))

    def _credentials(self, function: cst.FunctionDef, body: list[cst.CSTNode]) -> set[str]:
        """Names that hold the credential: credential-named parameters, and variables read from a
        request header or named like a signature/token."""
        params = function.params
        names = {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)
                 if CREDENTIAL_PARAM.match(p.name.value) or CREDENTIAL_WORDS.search(p.name.value)}
        for child in body:
            if isinstance(child, cst.Assign) and len(child.targets) == 1 and isinstance(child.targets[0].target, cst.Name):
                target = child.targets[0].target.value
                found = request_source(self.context, child.value, {"header", "cookie", "query parameter"})
                if found or CREDENTIAL_WORDS.search(target):
                    names.add(target)
        return names

    # -- the two exits ------------------------------------------------------------------------
    def _try(self, function: cst.FunctionDef, statement: cst.Try) -> None:
        for handler in statement.handlers:
            handler_body = _statements(handler.body)
            success = next((s for s in handler_body if isinstance(s, cst.Return) and _truthy(s.value)), None)
            if success is None and not any(isinstance(s, (cst.Return, cst.Raise)) for s in _nodes(handler)):
                success = self._falls_to_success(function, statement)
            if success is not None:
                caught = self.context.code(handler.type) if handler.type is not None else "any exception"
                self.report(success, "BDL606", (
                    f"{function.name.value}() returns {self.context.code(success.value)} when checking raises "
                    f"({caught}): a malformed signature or token, one that makes the parser or the key lookup fail, "
                    "is accepted. Return False (or re-raise) on every error path"), severity="block")
                return

    def _falls_to_success(self, function: cst.FunctionDef, statement: cst.Try) -> cst.Return | None:
        """The `return True` right after a try whose handler swallowed the error."""
        body = getattr(function.body, "body", [])
        if statement not in body:
            return None
        following = body[body.index(statement) + 1:]
        first = following[0] if following else None
        if isinstance(first, cst.SimpleStatementLine) and isinstance(first.body[0], cst.Return) \
                and _truthy(first.body[0].value):
            return first.body[0]
        return None

    def _shape_branch(self, function: cst.FunctionDef, branch: cst.If, credentials: set[str]) -> None:
        success = next((s for s in _statements(branch.body) if isinstance(s, cst.Return) and _truthy(s.value)), None)
        if success is None:
            return
        test = branch.test
        mentioned = {n.value for n in _nodes(test) if isinstance(n, cst.Name)} & credentials
        if not mentioned or not self._only_shape(test):
            return
        self.report(branch, "BDL606", (
            f"{function.name.value}() returns {self.context.code(success.value)} when "
            f"`{self.context.code(test)[:60]}`: the check succeeds exactly when the credential "
            f"({', '.join(sorted(mentioned))}) is missing or malformed, so an attacker simply leaves it out. "
            "Reject (return False / 401) when it is missing"), severity="block")

    def _only_shape(self, test: cst.CSTNode) -> bool:
        """The test looks at presence or shape only: no verification call, and comparisons only with
        constants or lengths. A sub-expression the evaluator computes is a constant, however built."""
        if isinstance(test, cst.Call):
            if self.evaluator.values(test):
                return True
            method = test.func.attr.value if isinstance(test.func, cst.Attribute) else self.context.code(test.func)
            if VERIFY_CALL.search(method) or method not in SHAPE_METHODS | {"len", "bool", "strip", "get", "lower"}:
                return False
        if isinstance(test, cst.Comparison):
            left = test.left
            for target in test.comparisons:
                if not (self._constant(left) or self._constant(target.comparator)):
                    return False
                left = target.comparator
        return all(self._only_shape(child) for child in child_nodes(test)
                   if not isinstance(child, (cst.Lambda, cst.FunctionDef)))

    def _constant(self, expression: cst.BaseExpression) -> bool:
        if isinstance(expression, cst.Name) and expression.value in ("None", "True", "False"):
            return True
        if isinstance(expression, cst.Call) and self.context.code(expression.func) == "len":
            return False
        return bool(self.evaluator.values(expression))

    VALID = [
        # fails closed on errors and on a missing signature
        Valid('import hmac\ndef verify_signature(body, signature, key):\n    if not signature:\n        return False\n'
              '    try:\n        return hmac.compare_digest(sign(body, key), signature)\n    except ValueError:\n'
              '        return False\n', "BDL606"),
        # success is the comparison itself; a parser that treats a missing optional field as fine
        Valid('import hmac\ndef check_token(token, expected):\n    if hmac.compare_digest(token, expected):\n'
              '        return True\n    return False\n', "BDL606"),
        Valid('import json\ndef parse_options(text):\n    if not text:\n        return {}\n    try:\n'
              '        return json.loads(text)\n    except ValueError:\n        return {"raw": True}\n', "BDL606"),
        # a compatibility check that ignores unparsable metadata: nothing about credentials
        Valid('import logging\ndef _check_link_requires_python(link, version_info):\n    try:\n'
              '        ok = check_requires_python(link.requires_python, version_info)\n    except InvalidSpecifier:\n'
              '        logging.debug("ignoring invalid Requires-Python")\n    else:\n        if not ok:\n'
              '            return False\n    return True\n', "BDL606"),
        # not a verification: a cache probe that treats errors as a miss worth retrying
        Valid('def should_retry(resp):\n    try:\n        return resp.status >= 500\n    except AttributeError:\n'
              '        return True\n', "BDL606"),
        Valid('def verify_signature(payload, signature):\n    try:\n        return check(payload, signature)\n'
              '    except Exception:\n        return True\n', "BDL606", path="tests/test_sig.py"),
    ]
    INVALID = [
        Invalid('import hmac\ndef verify_signature(body, sig, key):\n    try:\n'
                '        return hmac.compare_digest(sign(body, key), sig)\n    except Exception:\n        return True\n',
                "BDL606", 6),
        # the error swallowed, then success
        Invalid('import hmac, logging\ndef verify_webhook(body, header, key):\n    try:\n'
                '        if not hmac.compare_digest(sign(body, key), header.split("=")[1]):\n            return False\n'
                '    except (IndexError, ValueError):\n        logging.warning("bad signature header")\n    return True\n',
                "BDL606", 8),
        # missing or malformed credential accepted; the header read into a variable
        Invalid('import hmac\ndef check_signature(request, key):\n    sig = request.headers.get("X-Hub-Signature-256")\n'
                '    if sig is None:\n        return True\n    return hmac.compare_digest(sig, sign(request.body, key))\n',
                "BDL606", 4),
        Invalid('import hmac\ndef is_valid(payload, signature):\n    if len(signature) != 71 or not signature.startswith("sha256="):\n'
                '        return True\n    return hmac.compare_digest(signature[7:], digest(payload))\n', "BDL606", 3),
        # a method of a class, jwt decode in the try
        Invalid('import jwt\nclass Auth:\n    def authenticate(self, token):\n        try:\n'
                '            jwt.decode(token, self.key, algorithms=["RS256"])\n            return True\n'
                '        except jwt.InvalidTokenError:\n            return 1\n', "BDL606", 8),
    ]


def _statements(body) -> list[cst.CSTNode]:
    found = []
    for statement in getattr(body, "body", []):
        found.extend(statement.body if isinstance(statement, cst.SimpleStatementLine) else [statement])
    return found


def _nodes(root: cst.CSTNode) -> list[cst.CSTNode]:
    found: list[cst.CSTNode] = []

    class Collector(cst.CSTVisitor):
        def on_visit(self, node):
            if node is not root and isinstance(node, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
                return False
            found.append(node)
            return True

    visit_tree(root, Collector())
    return found


def _own_nodes(function: cst.FunctionDef) -> list[cst.CSTNode]:
    """The function's statements and expressions, not those of functions or classes inside it."""
    return _nodes(function)


def _truthy(value: cst.BaseExpression | None) -> bool:
    if isinstance(value, cst.Name):
        return value.value == "True"
    if isinstance(value, cst.Integer):
        return value.value != "0"
    return False
