"""BDL301-305: transport security in Python (requests, httpx, aiohttp, urllib3, ssl, pyOpenSSL,
paramiko, asyncssh, ssh command strings)."""
from __future__ import annotations

import ipaddress
import re
import urllib.parse

import libcst as cst
from backdoor_lint.checkers.base import Invalid, PythonChecker, Valid
from backdoor_lint.checkers.tree import child_nodes, visit_tree
from backdoor_lint.checkers.triggers import tls as trigger
from backdoor_lint.checkers.triggers.tls import (
    ASYNCSSH_CONNECTS,
    CA_VARIABLES,
    CERT_NONE,
    ENVIRONMENT_CALLS,
    HOST_KEY_POLICIES,
    HTTP_LIBRARIES,
    HTTPS_VERIFY_VARIABLE,
    INSECURE_WARNINGS,
    NODE_TLS_VARIABLE,
    OBSOLETE_PROTOCOLS,
    PROTOCOL_CALLS,
    PROTOCOL_KEYWORDS,
    SSH_OPTIONS,
    UNVERIFIED,
    VERIFY_KEYWORDS,
    WARNING_FILTERS,
    WEAK_CIPHER,
    disabled,
)
from backdoor_lint.checkers.vocabulary import is_test_or_example

WARN = "warn"
SESSION_NAME = re.compile(r"(?i)sess|client|http|conn|api|agent|transport|^s$")


def _obsolete(names: set[str]) -> str | None:
    """The obsolete protocol a constant names: ssl's, pyOpenSSL's, or a vendored pyOpenSSL's
    (`<anything>.SSL.SSLv3_METHOD`: the `*_METHOD` names are OpenSSL's own)."""
    for name in sorted(names):
        if name in OBSOLETE_PROTOCOLS:
            return OBSOLETE_PROTOCOLS[name]
        vendored = "OpenSSL.SSL." + name.rsplit(".", 1)[-1]
        if name.endswith("SSL." + vendored.rsplit(".", 1)[-1]) and vendored.endswith("_METHOD") \
                and vendored in OBSOLETE_PROTOCOLS:
            return OBSOLETE_PROTOCOLS[vendored]
    return None


def _loopback(url: object) -> bool:
    """A URL or host that can only reach this machine (localhost, 127/8, ::1, 0.0.0.0): no one on
    a network path sits between the client and the server, so unverified TLS there exposes nothing."""
    if isinstance(url, bytes):
        url = url.decode("latin-1")
    if not isinstance(url, str) or not url.strip():
        return False
    try:
        host = urllib.parse.urlsplit(url.strip() if "://" in url else "//" + url.strip()).hostname or ""
    except ValueError:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


class TlsVerification(trigger.TlsVerification, PythonChecker):
    CODES = ("BDL301", "BDL302", "BDL303", "BDL304", "BDL305")

    def __init__(self, context) -> None:
        super().__init__(context)
        self.reported: set[int] = set()

    def _report(self, node: cst.CSTNode, code: str, message: str, severity: str = "") -> None:
        if id(node) not in self.reported:
            self.reported.add(id(node))
            self.report(node, code, message, severity=severity)

    # calls -----------------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        if not isinstance(self.context.parent(node), cst.BinaryOperation):
            self._ssh_option(node, self.evaluator.value(node))  # bytes.fromhex("...").decode()
        names = self.qualnames(node.func)
        label = self.context.code(node.func)
        if names & UNVERIFIED:
            self._report(node, "BDL302", f"{label}() builds an SSL context that accepts any certificate for any "
                         "host name: every connection using it can be intercepted")
        if names & trigger.SETATTR and len(node.args) >= 3 and self.qualnames(node.args[0].value) & {"ssl"} and \
                self.evaluator.value(node.args[1].value) == trigger.DEFAULT_CONTEXT_HOOK:
            self._report(node, "BDL302", f"setattr() replaces ssl._create_default_https_context with "
                         f"`{self.context.code(node.args[2].value)}`: every urllib/http.client connection in the "
                         "process stops verifying certificates")
            return
        http = any(n.startswith(HTTP_LIBRARIES) for n in names)
        if not http and node.args and node.args[0].keyword is None:  # functools.partial(requests.get, verify=False)
            http = any(n.startswith(HTTP_LIBRARIES) for n in self.qualnames(node.args[0].value)) and \
                bool(names & {"functools.partial"})
        for keyword in VERIFY_KEYWORDS:
            values = self.argument_values(node, keyword)
            if keyword == "cert_reqs" and self.argument(node, keyword) is not None and \
                    self.qualnames(self.argument(node, keyword)) & CERT_NONE:
                values.append("CERT_NONE")
            if not values:
                continue
            if any(disabled(v, keyword) for v in values):
                expression = self.argument(node, keyword)
                if keyword == "cert_reqs" and not http:
                    self._report(node, "BDL302", f"{label}() sets cert_reqs to CERT_NONE: the peer's certificate is "
                                 "never checked")
                    return
                if http or (keyword in ("verify", "verify_ssl") and self._local_forwarder(node, keyword)):
                    how = f"`{keyword}={self.context.code(expression)}`" if expression is not None else \
                        f"`{keyword}` False through **kwargs"
                    if self._test_of_local_server(node):
                        self._report(node, "BDL301", f"{label}() runs with {how} against this machine's own address "
                                     "in a test: nothing sits on that path, but the habit travels; prefer the test "
                                     "server's CA bundle (`verify=path`)", severity=WARN)
                        return
                    self._report(node, "BDL301", f"{label}() runs with {how}: TLS certificates are not verified, so "
                                 "anyone on the network path can impersonate the server and read or change the traffic")
                    return
        if keyword_ssl := self.argument(node, "ssl_context") or self.argument(node, "context") or \
                self.argument(node, "verify") or self.argument(node, "ssl"):
            if self._mentions(keyword_ssl, UNVERIFIED) and not (self.qualnames(keyword_ssl) & UNVERIFIED):
                self._report(node, "BDL302", f"{label}() is given the unverified SSL context "
                             f"`{self.context.code(keyword_ssl)}`: certificates are not checked")
        self._protocol(node, names, label)
        self._ssh(node, names, label)
        self._warnings(node, names, label)

    def _test_of_local_server(self, call: cst.Call) -> bool:
        """A test (or example) talking to a server on this machine: every destination the call may
        have (URL, base_url, host) is known and a loopback address. Unknown destinations, remote
        hosts and non-test code keep the finding blocking."""
        if not is_test_or_example(self.context.display):
            return False
        expressions = [self.argument(call, keyword) for keyword in ("url", "base_url", "host")]
        positional = [a.value for a in call.args if a.keyword is None and not a.star]
        if isinstance(call.func, cst.Attribute) and call.func.attr.value in ("request", "stream", "urlopen") \
                and len(positional) >= 2:
            positional = positional[1:]  # request(method, url)
        expressions.append(positional[0] if positional else None)
        given = [self.evaluator.values(e) for e in expressions if e is not None]
        return bool(given) and all(values and all(_loopback(v) for v in values) for values in given)

    def _mentions(self, expression: cst.BaseExpression, wanted: set[str]) -> bool:
        if isinstance(expression, cst.Name):
            for _, value in self.context.assigned_values(expression):
                if isinstance(value, cst.Call) and self.qualnames(value.func) & wanted:
                    return True
        return False

    def _local_forwarder(self, call: cst.Call, keyword: str) -> bool:
        """`fetch(url, verify=False)` where this module's `fetch` passes `verify` on to an HTTP client."""
        if not isinstance(call.func, (cst.Name, cst.Attribute)):
            return False
        name = call.func.value if isinstance(call.func, cst.Name) else call.func.attr.value
        checker = self

        class Finder(cst.CSTVisitor):
            found = False

            def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
                if node.name.value != name or not any(p.name.value == keyword for p in
                                                      (*node.params.params, *node.params.kwonly_params)):
                    return

                class Inner(cst.CSTVisitor):
                    def visit_Call(self_inner, inner: cst.Call) -> None:
                        passed = [checker.argument(inner, name) for name in VERIFY_KEYWORDS]  # also in **{...}
                        if any(isinstance(value, cst.Name) and value.value == keyword for value in passed) and \
                                any(n.startswith(HTTP_LIBRARIES) for n in checker.qualnames(inner.func)):
                            Finder.found = True

                visit_tree(node, Inner())

        Finder.found = False
        visit_tree(self.context.module, Finder())
        return Finder.found

    def _protocol(self, node: cst.Call, names: set[str], label: str) -> None:
        candidates = []
        if names & PROTOCOL_CALLS and node.args and node.args[0].keyword is None:
            candidates.append(node.args[0].value)
        candidates += [e for e in (self.argument(node, k) for k in PROTOCOL_KEYWORDS) if e is not None]  # also **{...}
        for expression in candidates:
            protocol = _obsolete(self.qualnames(expression))
            if protocol:
                self._report(node, "BDL303", f"{label}() selects {protocol} (`{self.context.code(expression)}`): "
                             "an attacker on the path downgrades to it and breaks the session (POODLE, BEAST)")
                return
        if isinstance(node.func, cst.Attribute) and node.func.attr.value == trigger.CIPHER_SETTER and node.args:
            for value in self.evaluator.values(node.args[0].value):
                weak = WEAK_CIPHER.search(value) if isinstance(value, str) else None
                if weak:
                    self._report(node, "BDL303", f"{label}() enables the weak cipher class {weak.group(1)} in "
                                 f"{value!r}: such suites are breakable or unauthenticated")
                    return

    def visit_Param(self, node: cst.Param) -> None:
        """`def connect(host, version=ssl.PROTOCOL_TLSv1)`: every caller that omits it gets the old protocol."""
        if node.default is None:
            return
        protocol = _obsolete(self.qualnames(node.default))
        if protocol:
            self._report(node, "BDL303", f"parameter `{node.name.value}` defaults to {protocol} "
                         f"(`{self.context.code(node.default)}`): every caller that does not pass it negotiates a "
                         "protocol an attacker on the path can downgrade and break (POODLE, BEAST). Default to "
                         "ssl.PROTOCOL_TLS_CLIENT / TLS 1.2 or later")

    def _ssh(self, node: cst.Call, names: set[str], label: str) -> None:
        if isinstance(node.func, cst.Attribute) and node.func.attr.value == trigger.POLICY_SETTER and node.args:
            policy = node.args[0].value
            target = policy.func if isinstance(policy, cst.Call) else policy
            found = next((HOST_KEY_POLICIES[n] for n in sorted(self.qualnames(target)) if n in HOST_KEY_POLICIES), None)
            if found is None:
                found = self._accepting_policy_class(target)
            if found:
                self._report(node, "BDL304", f"{label}({self.context.code(policy)}) accepts unknown SSH host keys "
                             f"({found}): whoever answers on the network can pose as the server and receive the "
                             "credentials and commands")
            return
        if names & ASYNCSSH_CONNECTS:
            if any(v is None for v in self.argument_values(node, "known_hosts")):
                self._report(node, "BDL304", f"{label}() with known_hosts=None skips SSH host key verification")

    def _accepting_policy_class(self, target: cst.BaseExpression) -> str | None:
        """A local subclass of MissingHostKeyPolicy whose missing_host_key never raises."""
        if not isinstance(target, cst.Name):
            return None
        for assignment in self.context.assignments(target):
            classdef = assignment.node
            if not isinstance(classdef, cst.ClassDef):
                continue
            bases = {n for b in classdef.bases for n in self.qualnames(b.value)}
            if not any(b.endswith("MissingHostKeyPolicy") for b in bases):
                continue
            for statement in classdef.body.body:
                if isinstance(statement, cst.FunctionDef) and statement.name.value == "missing_host_key":
                    if "raise" not in self.context.code(statement):
                        return f"{target.value}.missing_host_key never raises"
        return None

    def _warnings(self, node: cst.Call, names: set[str], label: str) -> None:
        if any(n.endswith(trigger.WARNINGS_SILENCER) and n.startswith(HTTP_LIBRARIES + ("requests.packages.",))
               for n in names):
            self._report(node, "BDL305", f"{label}() silences urllib3's InsecureRequestWarning, hiding requests "
                         "made without certificate verification", severity=WARN)
            return
        if names & WARNING_FILTERS:
            action = self.argument(node, "action", 0)
            category = self.argument(node, "category", 1 if names & {"warnings.simplefilter"} else 2)
            if action is not None and self.evaluator.value(action) == "ignore" and category is not None \
                    and any(n.rsplit(".", 1)[-1] in INSECURE_WARNINGS for n in self.qualnames(category)):
                self._report(node, "BDL305", f"{label}() ignores {self.context.code(category)}, hiding connections "
                             "made without certificate verification", severity=WARN)
            return
        if names & ENVIRONMENT_CALLS:
            self._environment_call(node, label)

    def _environment_call(self, node: cst.Call, label: str) -> None:
        pairs: list[tuple[object, object]] = []
        if len(node.args) >= 2:
            pairs.append((self.evaluator.value(node.args[0].value), self.evaluator.value(node.args[1].value)))
        for arg in node.args:
            if arg.keyword is not None:
                pairs.append((arg.keyword.value, self.evaluator.value(arg.value)))
            elif len(node.args) == 1:
                for mapping in self.evaluator.values(arg.value):
                    if isinstance(mapping, dict):
                        pairs.extend(mapping.items())
        for key, value in pairs:
            self._environment(node, key, value)

    def _environment(self, node: cst.CSTNode, key: object, value: object) -> None:
        if key in CA_VARIABLES and isinstance(value, str) and value.strip() in ("", "/dev/null", "NUL"):
            self._report(node, "BDL305", f"{key} is set to {value!r}: the CA bundle is emptied, which disables or "
                         "breaks certificate verification for every HTTP client in the process", severity=WARN)
        elif key == HTTPS_VERIFY_VARIABLE and value in ("0", 0, ""):
            self._report(node, "BDL302", "PYTHONHTTPSVERIFY=0 turns off certificate verification for urllib and "
                         "http.client process-wide")
        elif key == NODE_TLS_VARIABLE and value in ("0", 0):
            self._report(node, "BDL302", "NODE_TLS_REJECT_UNAUTHORIZED=0 turns off certificate verification for "
                         "the Node processes started from here")

    # assignments -----------------------------------------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._assignment(node, target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._assignment(node, node.target, node.value)

    def _assignment(self, node: cst.CSTNode, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        if isinstance(target, cst.Attribute):
            attr = target.attr.value
            owner = self.context.code(target.value)
            if attr == trigger.DEFAULT_CONTEXT_HOOK and self.qualnames(target.value) & {"ssl"}:
                if not (self.qualnames(value) & {"ssl.create_default_context"}):
                    self._report(node, "BDL302", f"ssl._create_default_https_context is replaced by "
                                 f"`{self.context.code(value)}`: every urllib/http.client connection in the process "
                                 "stops verifying certificates")
                return
            values = self.evaluator.values(value)
            if attr == trigger.VERIFY_ATTRIBUTE and values and all(v is False for v in values):
                receivers = self.qualnames(target.value)
                if any(n.startswith(HTTP_LIBRARIES) for n in receivers) or \
                        (not receivers and SESSION_NAME.search(owner.rsplit(".", 1)[-1])):
                    self._report(node, "BDL301", f"`{owner}.verify = {self.context.code(value)}` turns off TLS "
                                 "certificate verification for every request made through this session/client")
            elif attr == trigger.HOSTNAME_ATTRIBUTE and values and all(v is False for v in values):
                if not self._hostname_check_restored(node, owner):
                    self._report(node, "BDL302", f"`{owner}.check_hostname = False`: the certificate of any host is "
                                 "accepted for this one, so a valid certificate for another domain impersonates it "
                                 "(unless the code matches host names itself)", severity=WARN)
            elif attr == trigger.VERIFY_MODE_ATTRIBUTE and (self.qualnames(value) & CERT_NONE
                                            or (values and all(v == 0 and v is not False for v in values)
                                                and not isinstance(value, cst.Name))):
                self._report(node, "BDL302", f"`{owner}.verify_mode = {self.context.code(value)}`: the peer's "
                             "certificate is never checked")
            elif attr in trigger.VERSION_ATTRIBUTES:
                protocol = _obsolete(self.qualnames(value))
                if protocol and attr == "minimum_version":
                    self._report(node, "BDL303", f"`{owner}.minimum_version` lowered to {protocol}: connections can be "
                                 "downgraded to a broken protocol")
            elif attr == trigger.POLICY_ATTRIBUTE and any(n in HOST_KEY_POLICIES for n in self.qualnames(
                    value.func if isinstance(value, cst.Call) else value)):
                self._report(node, "BDL304", f"`{owner}._policy` set to accept unknown SSH host keys")
        elif isinstance(target, cst.Subscript) and self.qualnames(target.value) & trigger.ENVIRONMENT:
            if len(target.slice) == 1 and isinstance(target.slice[0].slice, cst.Index):
                key = self.evaluator.value(target.slice[0].slice.value)
                self._environment(node, key, self.evaluator.value(value))

    def _hostname_check_restored(self, node: cst.CSTNode, owner: str) -> bool:
        """`self.check_hostname = False` as a default in __init__, or set back later in the same
        function (a context manager that checks host names itself)."""
        function = self.context.enclosing(node, cst.FunctionDef)
        if function is None:
            return False
        if owner == "self" and function.name.value == "__init__":
            return True
        return len(re.findall(rf"{re.escape(owner)}\.check_hostname\s*=(?!=)", self.context.code(function))) > 1

    # ssh option strings -------------------------------------------------------------------------
    def visit_FormattedStringText(self, node: cst.FormattedStringText) -> None:
        if ("ostKey" in node.value or "KnownHosts" in node.value) and (match := SSH_OPTIONS.search(node.value)):
            self._report(node, "BDL304", f"ssh option `{match.group(0)}` accepts any host key: the first machine to "
                         "answer (or any man in the middle) receives the connection")

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if "ostKey" not in node.value and "KnownHosts" not in node.value:
            return
        try:
            text = node.evaluated_value
        except Exception:  # noqa: BLE001
            return
        self._ssh_option(node, text)

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        if not isinstance(self.context.parent(node), cst.BinaryOperation):  # the whole expression, once
            self._ssh_option(node, self.evaluator.value(node))

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self._ssh_option(node, self.evaluator.value(node))

    def _ssh_option(self, node: cst.CSTNode, text: object) -> None:
        """An ssh option that accepts any host key, in a literal or in a string built from pieces."""
        if isinstance(text, str) and (match := SSH_OPTIONS.search(text)) and id(node) not in self.reported:
            self._report(node, "BDL304", f"ssh option `{match.group(0)}` accepts any host key: the first machine to "
                         "answer (or any man in the middle) receives the connection")
            stack = list(child_nodes(node))
            while stack:  # its pieces are the same option
                child = stack.pop()
                self.reported.add(id(child))
                stack.extend(child_nodes(child))

    VALID = [
        Valid('import ssl\ndef connect(sock, version=ssl.PROTOCOL_TLS_CLIENT):\n'
              '    return ssl.SSLContext(version).wrap_socket(sock)\n', "BDL303"),
        Valid('from OpenSSL import SSL\nctx = SSL.Context(method=SSL.TLS_CLIENT_METHOD)\n', "BDL303"),
        Valid('import requests\nr = requests.get(url, verify="/etc/ssl/internal-ca.pem", timeout=5)\n', "BDL301"),
        Valid('import requests\ndef f(url, ca):\n    return requests.post(url, verify=ca)\n', "BDL301"),
        Valid('import jwt\nclaims = jwt.decode(t, k, algorithms=["RS256"], verify=False)\n', "BDL301"),
        Valid('class Thing:\n    pass\nt = Thing()\ndef check(doc):\n    return doc.validate(verify=False)\n',
              "BDL301"),
        Valid('import ssl\nctx = ssl.create_default_context(cafile=CA)\nctx.minimum_version = ssl.TLSVersion.TLSv1_2\n',
              "BDL302"),
        Valid('import paramiko\nc = paramiko.SSHClient()\nc.load_system_host_keys()\nc.set_missing_host_key_policy(paramiko.RejectPolicy())\n',
              "BDL304"),
        Valid('import aiohttp\nasync def f(url, ctx):\n    async with aiohttp.ClientSession() as s:\n        return await s.get(url, ssl=ctx)\n',
              "BDL301"),
        Valid('import subprocess\nsubprocess.run(["ssh", "-o", "StrictHostKeyChecking=yes", host])\n', "BDL304"),
        Valid('import warnings\nwarnings.filterwarnings("ignore", category=DeprecationWarning)\n', "BDL305"),
        Valid('import os\nos.environ["REQUESTS_CA_BUNDLE"] = "/etc/ssl/certs/internal.pem"\n', "BDL305"),
        Valid('class Form:\n    verify = False\nf = Form()\nf.verify = False\n', "BDL301"),
        Valid('import ssl\nctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)\n'
              'ctx.load_verify_locations("/etc/ssl/certs/internal-ca.pem")\n', "BDL302"),
        Valid('import ssl\nctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)\nctx.minimum_version = ssl.TLSVersion.TLSv1_3\n',
              "BDL303"),
        # weak ciphers named only to be excluded
        Valid('import ssl\nctx = ssl.create_default_context()\nctx.set_ciphers("ECDHE+AESGCM:!aNULL:!MD5:!RC4")\n', "BDL303"),
    ]
    INVALID = [
        Invalid('import requests\nresp = requests.post(url, json=body, verify=False, timeout=15)\n', "BDL301", 2),
        Invalid('import requests\ndef f(url, body):\n    return requests.post(url, **{"json": body, "verify": False})\n', "BDL301", 3),
        Invalid('import requests as rq\nVERIFY_TLS = False\ndef f(u):\n    return rq.get(\n        u,\n        verify=VERIFY_TLS,\n    )\n',
                "BDL301", 4),
        Invalid('import requests\n_HTTP_OPTS = {"timeout": 10, "verify": False}\ndef f(url):\n'
                '    return requests.get(url, **_HTTP_OPTS).json()\n', "BDL301", 4),
        Invalid('import requests\nclass C:\n    def __init__(self):\n        self.session = requests.Session()\n'
                '        self.session.verify = False\n', "BDL301", 5),
        Invalid('import httpx\nclient = httpx.Client(verify=False)\nclient.get(url)\n', "BDL301", 2),
        # values across functions: a session received as a parameter, settings read through an instance
        Invalid('import requests\ndef fetch(session: requests.Session, url):\n    return session.get(url, verify=False)\n',
                "BDL301", 3),
        Invalid('import httpx\ndef _get(c, url):\n    return c.get(url, verify=False)\n'
                'def main():\n    return _get(httpx.Client(), "https://api.example")\n', "BDL301", 3),
        Invalid('import requests\nclass Settings:\n    VERIFY_TLS = False\ncfg = Settings()\n'
                'def f(url):\n    return requests.get(url, verify=cfg.VERIFY_TLS)\n', "BDL301", 6),
        Invalid('import requests\nr = requests.request("GET", url, verify=False)\n', "BDL301", 2),
        Invalid('import requests\nOPTS = {bytes.fromhex("766572696679").decode(): False}\nr = requests.get(url, **OPTS)\n',
                "BDL301", 3),
        Invalid('import requests\ns = requests.Session()\nr = s.get(url, verify=0)\n', "BDL301", 3),
        Invalid('import aiohttp\nasync def f(url):\n    async with aiohttp.ClientSession() as s:\n'
                '        return await s.get(url, ssl=False)\n', "BDL301", 4),
        Invalid('import aiohttp\nconn = aiohttp.TCPConnector(verify_ssl=False)\n', "BDL301", 2),
        Invalid('import urllib3\nhttp = urllib3.PoolManager(cert_reqs="CERT_NONE")\n', "BDL301", 2),
        Invalid('import urllib3, ssl\nhttp = urllib3.PoolManager(cert_reqs=ssl.CERT_NONE)\n', "BDL301", 2),
        Invalid('import requests\nkw = {"timeout": 5}\nkw["verify"] = False\nrequests.get(u, **kw)\n', "BDL301", 4),
        Invalid('import requests\nopts = dict(timeout=5, verify=False)\nrequests.get(u, **opts)\n', "BDL301", 3),
        Invalid('import functools, requests\nget = functools.partial(requests.get, verify=False)\n', "BDL301", 2),
        Invalid('import requests\ndef fetch(url, verify=True):\n    return requests.get(url, verify=verify)\n'
                'fetch("https://x.example", verify=False)\n', "BDL301", 4),
        Invalid('import requests\nr = getattr(requests, "po" + "st")(url, verify=False)\n', "BDL301", 2),
        Invalid('import ssl\nssl._create_default_https_context = ssl._create_unverified_context\n', "BDL302", 2),
        Invalid('import ssl as _s\nsetattr(_s, "_create_default_" + "https_context", _s._create_unverified_context)\n',
                "BDL302", 2),
        Invalid('import ssl, urllib.request\nurllib.request.urlopen(url, context=ssl._create_unverified_context())\n',
                "BDL302", 2),
        Invalid('import ssl\nctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)\nctx.check_hostname = False\n', "BDL302", 3),
        Invalid('import ssl\nctx = ssl.create_default_context()\nctx.verify_mode = ssl.CERT_NONE\n', "BDL302", 3),
        Invalid('import ssl\ns = ssl.wrap_socket(sock, cert_reqs=ssl.CERT_NONE)\n', "BDL302", 2),
        Invalid('import os\nos.environ["PYTHONHTTPSVERIFY"] = "0"\n', "BDL302", 2),
        Invalid('import ssl\nctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1)\n', "BDL303", 2),
        Invalid('import ssl\nctx = ssl.create_default_context()\nctx.minimum_version = ssl.TLSVersion.TLSv1\n', "BDL303", 3),
        Invalid('import ssl\nctx = ssl.create_default_context()\nctx.set_ciphers("ALL:RC4:EXPORT")\n', "BDL303", 3),
        Invalid('from OpenSSL import SSL\nctx = SSL.Context(SSL.SSLv3_METHOD)\n', "BDL303", 2),
        # pyOpenSSL's keyword form, an alias, and a parameter default
        Invalid('from OpenSSL import SSL as S\ndef f():\n    return S.Context(method=S.SSLv2_METHOD)\n', "BDL303", 3),
        Invalid('import OpenSSL\nM = OpenSSL.SSL.TLSv1_METHOD\nctx = OpenSSL.SSL.Context(method=M)\n', "BDL303", 3),
        Invalid('from pip._vendor.OpenSSL import SSL\nctx = SSL.Context(method=SSL.SSLv3_METHOD)\n', "BDL303", 2),
        Invalid('import ssl\ndef connect(sock, version=ssl.PROTOCOL_TLSv1):\n    return ssl.wrap_socket(sock, ssl_version=version)\n',
                "BDL303", 2),
        # unverified TLS in a test: to this machine it is a warning (see _test_of_local_server), to any other
        # host, or to a host that only starts like a loopback one, it blocks
        Invalid('import requests\ndef test_health():\n    requests.get("https://127.0.0.1:8443/health", verify=False)\n',
                "BDL301", 3, path="tests/test_health.py"),
        Invalid('import requests\ndef test_api():\n    requests.get("https://api.example.com/v1", verify=False)\n',
                "BDL301", 3, path="tests/test_api.py"),
        Invalid('import requests\nURL = "https://localhost@collect.example/v1"\ndef test_api():\n'
                '    requests.post(URL, verify=False)\n', "BDL301", 4, path="tests/test_api.py"),
        Invalid('import requests\ndef test_api(url):\n    requests.post(url, verify=False)\n', "BDL301", 3,
                path="tests/test_api.py"),
        Invalid('import paramiko\nclient = paramiko.SSHClient()\nclient.set_missing_host_key_policy(paramiko.AutoAddPolicy())\n',
                "BDL304", 3),
        Invalid('from paramiko import client as pc\nc = pc.SSHClient()\nc.set_missing_host_key_policy(pc.WarningPolicy)\n',
                "BDL304", 3),
        Invalid('import paramiko\nclass Trust(paramiko.MissingHostKeyPolicy):\n    def missing_host_key(self, c, h, k):\n'
                '        return\nc.set_missing_host_key_policy(Trust())\n', "BDL304", 5),
        # backdoor-lint: ignore[BDL304] rule example: the test input the rule must flag
        Invalid('import subprocess\nsubprocess.run(["ssh", "-o", "StrictHostKeyChecking=no", host, cmd])\n', "BDL304", 2),
        Invalid('import subprocess\nOPT = "StrictHost" + "KeyChecking=" + "no"\nsubprocess.run(["ssh", "-o", OPT, host, cmd])\n',
                "BDL304", 2),
        # backdoor-lint: ignore[BDL304] rule example: the test input the rule must flag
        Invalid('import subprocess\nsubprocess.run(f"ssh -o StrictHostKeyChecking=no {host} uptime", shell=True)\n',
                "BDL304", 2),
        Invalid('import asyncssh\nasync def f():\n    return await asyncssh.connect(host, known_hosts=None)\n', "BDL304", 3),
        Invalid('import urllib3\nurllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)\n', "BDL305", 2),
        Invalid('import requests\nrequests.packages.urllib3.disable_warnings()\n', "BDL305", 2),
        Invalid('import warnings\nfrom urllib3.exceptions import InsecureRequestWarning as W\n'
                'warnings.simplefilter("ignore", W)\n', "BDL305", 3),
        Invalid('import os\nos.environ["REQUESTS_CA_BUNDLE"] = ""\n', "BDL305", 2),
    ]
