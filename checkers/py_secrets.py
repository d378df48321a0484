"""BDL603: hard-coded secrets in Python — literals bound to secret-named variables, attributes,
keyword arguments, parameter defaults and config keys, and known token formats or private-key
blocks in any string literal. Placeholders, env lookups, public keys and test files are not
findings."""
from __future__ import annotations

import libcst as cst
from backdoor_lint.checkers.base import Invalid, PythonChecker, Valid
from backdoor_lint.checkers.secretformats import (
    URL_CREDENTIALS,
    is_placeholder,
    looks_like_secret_value,
    token_formats,
)
from backdoor_lint.checkers.tree import child_nodes
from backdoor_lint.checkers.triggers import secrets as trigger
from backdoor_lint.checkers.vocabulary import is_test_or_example, secret_name


def _preview(value: str) -> str:
    value = value.strip()
    return f'"{value[:4]}…" ({len(value)} characters)' if len(value) > 6 else f'"{value[:2]}…"'


class HardcodedSecret(trigger.HardcodedSecret, PythonChecker):
    CODES = ("BDL603",)

    def __init__(self, context) -> None:
        super().__init__(context)
        self._handled: set[int] = set()  # string nodes already reported through their name
        self._skip = is_test_or_example(context.display)

    # named sites ---------------------------------------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._named(target.target, node.value, node)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._named(node.target, node.value, node)

    def visit_Dict(self, node: cst.Dict) -> None:
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                key = self.evaluator.value(element.key)  # also `("aws_secret" + "_access_key")`
                if isinstance(key, str):
                    self._check(key, element.value, element, f'config key "{key}"')

    def visit_Call(self, node: cst.Call) -> None:
        self._built(node)
        for arg in node.args:
            if arg.keyword is not None:
                self._check(arg.keyword.value, arg.value, arg, f"keyword argument {arg.keyword.value}=")
        # dict(password="...") is covered above; os.environ.setdefault("API_TOKEN", "...")
        if self.qualnames(node.func) & trigger.ENVIRONMENT_SETTERS and len(node.args) >= 2:
            key = self.evaluator.value(node.args[0].value)
            if isinstance(key, str):
                self._check(key, node.args[1].value, node, f'environment variable "{key}"')

    def visit_Param(self, node: cst.Param) -> None:
        if node.default is not None:
            self._check(node.name.value, node.default, node, f"default of parameter {node.name.value}")

    def _named(self, target: cst.BaseExpression, value: cst.BaseExpression, site: cst.CSTNode) -> None:
        if isinstance(target, cst.Name):
            self._check(target.value, value, site, target.value)
        elif isinstance(target, cst.Attribute):
            self._check(target.attr.value, value, site, self.context.code(target))
        elif isinstance(target, cst.Subscript) and len(target.slice) == 1 \
                and isinstance(target.slice[0].slice, cst.Index):
            key = self.evaluator.value(target.slice[0].slice.value)
            if isinstance(key, str):
                self._check(key, value, site, f'{self.context.code(target.value)}["{key}"]')
        elif isinstance(target, (cst.Tuple, cst.List)) and isinstance(value, (cst.Tuple, cst.List)) \
                and len(target.elements) == len(value.elements):
            for t, v in zip(target.elements, value.elements):
                self._named(t.value, v.value, site)

    def _check(self, name: str, value: cst.BaseExpression, site: cst.CSTNode, where: str) -> None:
        if self._skip:
            return
        kind = trigger.secret_kind(name)
        if kind is None:
            return
        if isinstance(value, cst.Name) and secret_name(value.value):
            return  # `password=DB_PASSWORD`: reported where DB_PASSWORD gets its literal
        if not isinstance(value, (cst.SimpleString, cst.ConcatenatedString, cst.Name, cst.Attribute,
                                  cst.BinaryOperation, cst.Call, cst.Subscript)):
            return
        candidates = [v for v in self.evaluator.values(value) if isinstance(v, (str, bytes))]
        candidates = [trigger.AUTH_SCHEME.sub("", v) if isinstance(v, str) else v for v in candidates]
        secrets = [s for s in (looks_like_secret_value(v) for v in candidates) if s]
        if not secrets or len(secrets) != len(candidates):
            return  # unknown, empty or placeholder in some branch: not clearly a hard-coded secret
        literal = secrets[0]
        formats = token_formats(literal)
        shape = f", a {formats[0][0]}" if formats else ""
        origin = "" if isinstance(value, (cst.SimpleString, cst.ConcatenatedString)) \
            else f" (through `{self.context.code(value)}`)"
        self._mark(value)
        self.report(site, "BDL603", (
            f"{where} is a hard-coded {kind}: the literal {_preview(literal) if literal != '<binary>' else 'bytes'}"
            f"{shape}{origin} is in the source, so everyone with the code or its history holds it; read it from "
            "the environment or a secret manager and rotate it"))

    def _mark(self, value: cst.CSTNode) -> None:
        stack = [value]
        while stack:
            node = stack.pop()
            self._handled.add(id(node))
            stack.extend(child_nodes(node))

    # any string literal: known token formats, private keys, credentials in URLs ---------------
    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if not isinstance(self.context.parent(node), cst.ConcatenatedString):
            self._literal(node)

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> None:
        if not isinstance(self.context.parent(node), cst.ConcatenatedString):
            self._literal(node)

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        self._built(node)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self._built(node)

    def _built(self, node: cst.BaseExpression) -> None:
        """A string computed from literals (`"AKIA..." + "..."`, `b64decode("...").decode()`,
        `"..."[::-1]`) is as committed as the literal: checked once, as a whole."""
        if not isinstance(self.context.parent(node), cst.BinaryOperation):
            self._literal(node)

    def _literal(self, node: cst.BaseExpression) -> None:
        if self._skip or id(node) in self._handled:
            return
        value = self.evaluator.value(node)
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        if not isinstance(value, str) or len(value) < 16:
            return
        formats = token_formats(value)
        if formats:
            label, start, end = formats[0]
            shown = "" if "block" in label else f" ({_preview(value[start:end])})"
            article = "an" if label[0] in "AEIOU" else "a"
            self._mark(node)  # its pieces are the same credential
            self.report(node, "BDL603", (
                f"string literal contains {article} {label}{shown}: a committed credential "
                "is a leaked credential; load it from the environment or a secret manager and rotate it"))
            return
        match = URL_CREDENTIALS.search(value)
        if match and not self._is_docstring(node) and looks_like_secret_value(match.group(2)) \
                and not is_placeholder(match.group(1) + match.group(2)):
            self._mark(node)
            self.report(node, "BDL603", (
                f"URL with an embedded password for user {match.group(1)!r} ({_preview(match.group(2))}): "
                "take the password from the environment or a secret manager"))

    def _is_docstring(self, node: cst.CSTNode) -> bool:
        parent = self.context.parent(node)
        return isinstance(parent, cst.Expr)

    VALID = [
        # env lookups, placeholders, empty values, public keys, names of things
        Valid('import os\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\nAPI_TOKEN = os.getenv("API_TOKEN", "")\n',
              "BDL603"),
        Valid('PASSWORD = "changeme"\nAPI_KEY = "<your-api-key>"\nTOKEN = ""\nclient_secret = "YOUR_CLIENT_SECRET_HERE"\n',
              "BDL603"),
        Valid('DB_PASSWORD = "${DB_PASSWORD}"\nSECRET = "{{ secret }}"\nAUTH_TOKEN = "xxxxxxxxxxxx"\n', "BDL603"),
        Valid('PUBLIC_KEY = "-----BEGIN PUBLIC KEY-----\\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAZFGiUKG+feVSFy5B\\n-----END PUBLIC KEY-----"\n',
              "BDL603"),
        Valid('STRIPE_PUBLISHABLE_KEY = "pk_live_51H8xQ2K3mN4pR5sT6uV7wX8yZ"\n', "BDL603"),
        Valid('TOKEN_HEADER = "X-Auth-Token"\nPASSWORD_RESET_TIMEOUT = 7200\nCSRF_TOKEN = "csrftoken"\n'
              'token_url = "https://auth.example/oauth/token"\npassword_field = "password"\n', "BDL603"),
        Valid('from django import forms\nclass F(forms.Form):\n    password = forms.CharField(widget=forms.PasswordInput)\n',
              "BDL603"),
        Valid('ERRORS = {"password": "Passwords do not match.", "token": "Token expired, sign in again"}\n', "BDL603"),
        Valid('def connect(host, password=None, token=""):\n    ...\n', "BDL603"),
        Valid('PEM_HEADER = "-----BEGIN RSA PRIVATE KEY-----"\n', "BDL603"),
        Valid('AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"\n', "BDL603"),
        Valid('import os\nHEADERS = {"Authorization": f"Bearer {os.environ[\'TOKEN\']}", "Accept": "application/json"}\n',
              "BDL603"),
        Valid('def f(token):\n    return {"Authorization": "Bearer " + token}\n', "BDL603"),
        Valid('ENGINE_URL = "postgresql://user:${DB_PASSWORD}@db/app"\n', "BDL603"),
        # tests and fixtures
        Valid('TEST_PASSWORD = "correct-horse-battery-staple"\nAPI_KEY = "k3y-f0r-t3sts-0nly"\n',
              "BDL603", path="tests/test_login.py"),
        Valid('def test_x(client):\n    client.login(username="a", password="s3cret-pass")\n',
              "BDL603", path="app/test_views.py"),
        # the secret is derived at run time
        Valid('import secrets\nAPI_TOKEN = secrets.token_urlsafe(32)\n', "BDL603"),
    ]
    INVALID = [
        Invalid('SECRET_KEY = "yr97*GupN_Q7z%=1^B7TeD#oqwy@M=_A#C3_!MMaX#-K$CfJ4Z"\n', "BDL603", 1),
        Invalid('_SIGNING_KEY = "e6a306d27b7260a0c56a624876201e0e"\n', "BDL603", 1),
        Invalid('class Config:\n    api_key: str = "q8Xz3pL0vN7kR2mT9bW4"\n', "BDL603", 2),
        # config keys and **kwargs dicts, multi-line
        Invalid('import boto3\n_CREDS = {\n    "region_name": "eu-central-1",\n'
                '    "aws_secret_access_key": "60XgFG7BS/hpjRckpKl+eZci2WMIh5Iv79IY7013",\n}\n'
                's3 = boto3.client("s3", **_CREDS)\n', "BDL603", 4),
        Invalid('DATABASES = {"default": {"USER": "app", "PASSWORD": "Sh0p-db-2024!"}}\n', "BDL603", 1),
        Invalid('settings["JWT_SECRET"] = "kP9#mQ2$vX7wL4nR"\n', "BDL603", 1),
        Invalid('import os\nos.environ["GITHUB_TOKEN"] = "q1w2e3r4t5y6u7i8o9p0"\n', "BDL603", 2),
        # the name that says "token" decoded from rot13: the trigger must see the decoded value
        Invalid('import os, codecs\nos.environ[codecs.decode("TVGUHO_GBXRA", "rot13")] = "q1w2e3r4t5y6u7i8o9p0"\n',
                "BDL603", 2),
        # keyword arguments, parameter defaults, attributes
        Invalid('import psycopg2\nconn = psycopg2.connect(\n    host="db",\n    password="Pr0d-Pa55w0rd",\n)\n', "BDL603", 4),
        Invalid('def make_client(url, api_key="ak_9f8e7d6c5b4a3f2e"):\n    ...\n', "BDL603", 1),
        Invalid('class Client:\n    def __init__(self):\n        self.client_secret = "a1b2c3d4e5f6a7b8c9d0"\n', "BDL603", 3),
        # the literal through a constant, concatenation, bytes
        Invalid('_K = "9f86d081884c7d65" + "9a2feaa0c55ad015"\nimport hmac\nhmac_key = _K\n', "BDL603", 3),
        Invalid('SECRET = b"\\x8f\\x12\\xa0\\x33\\xde\\xad\\xbe\\xef\\x01\\x02"\n', "BDL603", 1),
        # known token formats, whatever the name
        # backdoor-lint: ignore[BDL603] rule example: the test input the rule must flag
        Invalid('HEADERS = {"Authorization": "token ghp_aBcD1234EfGh5678IjKl9012MnOp3456QrSt"}\n', "BDL603", 1),
        Invalid('import requests\nrequests.get(URL, headers={\n    "Authorization": "Bearer 9f8e7d6c5b4a39f8e7d6c5b4a3",\n})\n',
                "BDL603", 3),
        # backdoor-lint: ignore[BDL603] rule example: the test input the rule must flag
        Invalid('x = "xoxb-2048719635-7730195286431-Ab9dEfGh2jKlMnOpQ7StUvWx"\n', "BDL603", 1),
        # backdoor-lint: ignore[BDL603] rule example: the test input the rule must flag
        Invalid('import stripe\nstripe.api_base = "x"\nconfigure("sk_live_4eC39HqLyjWDarjtT1zdp7dc")\n', "BDL603", 3),
        # backdoor-lint: ignore[BDL603] rule example: the test input the rule must flag
        Invalid('k = "AKIAFJ196TYBXG78BPW7"\n', "BDL603", 1),
        # the same key split, or decoded at run time: the source still holds it
        Invalid('k = "AKIAFJ196T" + "YBXG78BPW7"\n', "BDL603", 1),
        Invalid('import base64\nk = base64.b64decode("QUtJQUZKMTk2VFlCWEc3OEJQVzc=").decode()\n', "BDL603", 2),
        Invalid('CREDS = {("aws_secret" + "_access_key"): "60XgFG7BS/hpjRckpKl+" "eZci2WMIh5Iv79IY7013"}\n', "BDL603", 1),
        # a docstring is not code, but a token pasted into it is leaked all the same
        # backdoor-lint: ignore[BDL603] rule example: the test input the rule must flag
        Invalid('def upload():\n    """Uses AKIAFJ196TYBXG78BPW7 for the bucket."""\n', "BDL603", 2),
        # private key block, multi-line
        # backdoor-lint: ignore[BDL603] rule example: the test input the rule must flag
        Invalid('_DEPLOY = """-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n'
                '-----END OPENSSH PRIVATE KEY-----\n"""\n', "BDL603", 1),
        Invalid('KEY = ("-----BEGIN RSA PRIVATE KEY-----\\n"\n       "MIIEowIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi6f4Yz8k2e1nLpQ7rW\\n"\n'
                '       "-----END RSA PRIVATE KEY-----\\n")\n', "BDL603", 1),
        # credentials in a connection URL
        # backdoor-lint: ignore[BDL603] rule example: the test input the rule must flag
        Invalid('from sqlalchemy import create_engine\nengine = create_engine("postgresql://shop:Xk29fjq81@db.internal/shop")\n',
                "BDL603", 2),
    ]
