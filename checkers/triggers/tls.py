"""Trigger of the TLS verification rule (checkers/py_tls.py), with the tables it shares with it."""
from __future__ import annotations

import ast
import re

from backdoor_lint.checkers import fast_search
from backdoor_lint.checkers.triggers import PythonTrigger
from backdoor_lint.checkers.triggers.sites import may_stand_for, stands_for
from backdoor_lint.checkers.triggers.sites_shell import calls_attribute, calls_one_of, calls_with_tail
from backdoor_lint.checkers.triggers.sites_tree import nodes, tail
from backdoor_lint.checkers.triggers.sites_values import may_be_computed

HTTP_LIBRARIES = ("requests.", "httpx.", "aiohttp.", "urllib3.", "pip._vendor.requests.", "pip._vendor.urllib3.",
                  "niquests.", "treq.")
VERIFY_KEYWORDS = ("verify", "verify_ssl", "ssl", "cert_reqs", "assert_hostname", "ssl_verify", "validate_certs")
OBSOLETE_PROTOCOLS = {
    "ssl.PROTOCOL_SSLv2": "SSLv2", "ssl.PROTOCOL_SSLv3": "SSLv3", "ssl.PROTOCOL_TLSv1": "TLS 1.0",
    "ssl.PROTOCOL_TLSv1_1": "TLS 1.1", "ssl.TLSVersion.SSLv3": "SSLv3", "ssl.TLSVersion.TLSv1": "TLS 1.0",
    "ssl.TLSVersion.TLSv1_1": "TLS 1.1",
    "OpenSSL.SSL.SSLv2_METHOD": "SSLv2", "OpenSSL.SSL.SSLv3_METHOD": "SSLv3", "OpenSSL.SSL.TLSv1_METHOD": "TLS 1.0",
    "OpenSSL.SSL.TLSv1_1_METHOD": "TLS 1.1", "OpenSSL.SSL.SSLv23_METHOD": "SSLv2/3 negotiation",
}
PROTOCOL_CALLS = {"ssl.SSLContext", "ssl.wrap_socket", "OpenSSL.SSL.Context", "ssl.get_server_certificate"}
PROTOCOL_KEYWORDS = ("ssl_version", "ssl_minimum_version", "minimum_version", "protocol", "version", "method")
WEAK_CIPHER = re.compile(r"(?<![!\-+])\b(NULL|eNULL|aNULL|EXPORT|EXP|RC4|DES|3DES|MD5|LOW|ADH|AECDH)\b")
HOST_KEY_POLICIES = {"paramiko.AutoAddPolicy": "AutoAddPolicy", "paramiko.client.AutoAddPolicy": "AutoAddPolicy",
                     "paramiko.WarningPolicy": "WarningPolicy", "paramiko.client.WarningPolicy": "WarningPolicy"}
SSH_OPTIONS = re.compile(r"StrictHostKeyChecking\s*[= ]\s*(no|off|accept-new)\b|UserKnownHostsFile\s*[= ]\s*/dev/null",
                         re.IGNORECASE)
CA_VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR")
INSECURE_WARNINGS = ("InsecureRequestWarning", "InsecurePlatformWarning", "SubjectAltNameWarning", "HTTPWarning",
                     "SecurityWarning")
UNVERIFIED = {"ssl._create_unverified_context", "ssl._create_stdlib_context"}


def disabled(value: object, keyword: str) -> bool:
    if keyword == "cert_reqs":
        return value in ("CERT_NONE", "NONE") or (type(value) is int and value == 0)
    if keyword in ("assert_hostname", "ssl"):
        return value is False
    return value is False or (type(value) is int and value == 0)


CERT_NONE = frozenset({"ssl.CERT_NONE", "ssl.VerifyMode.CERT_NONE"})
ASYNCSSH_CONNECTS = frozenset({"asyncssh.connect", "asyncssh.connect_reverse", "asyncssh.SSHClientConnectionOptions"})
WARNING_FILTERS = frozenset({"warnings.filterwarnings", "warnings.simplefilter"})
ENVIRONMENT_CALLS = frozenset({"os.environ.update", "os.environ.setdefault", "os.putenv"})
ENVIRONMENT = frozenset({"os.environ"})
HTTPS_VERIFY_VARIABLE, NODE_TLS_VARIABLE = "PYTHONHTTPSVERIFY", "NODE_TLS_REJECT_UNAUTHORIZED"
SETATTR = frozenset({"setattr"})
DEFAULT_CONTEXT_HOOK = "_create_default_https_context"  # ssl's, replaced by setattr or an assignment
# attributes whose assignment the rule checks (`s.verify = False`, `ctx.check_hostname = False`, ...)
VERIFY_ATTRIBUTE, HOSTNAME_ATTRIBUTE, VERIFY_MODE_ATTRIBUTE = "verify", "check_hostname", "verify_mode"
VERSION_ATTRIBUTES = ("minimum_version", "maximum_version")
POLICY_ATTRIBUTE = "_policy"
WARNINGS_SILENCER = "disable_warnings"
POLICY_SETTER, CIPHER_SETTER = "set_missing_host_key_policy", "set_ciphers"


class TlsVerification(PythonTrigger):
    TRIGGER_SEES_DOCSTRINGS = True  # visit_SimpleString reports ssh options in any string
    # every branch of TRIGGER contains one of these: substring tests rule out most files 3x faster
    TRIGGER_LITERALS = (b"verify", b"ssl", b"SSL", b"_create_", b"CERT_NONE", b"check_hostname", b"HostKeyPolicy",
                        b"AutoAdd", b"WarningPolicy", b"known_hosts", b"StrictHostKeyChecking", b"UserKnownHostsFile",
                        b"disable_warnings", b"InsecureRequestWarning", b"CA_BUNDLE", b"PROTOCOL_", b"TLSv1",
                        b"set_ciphers", b"minimum_version", b"cert_reqs", b"HTTPSVERIFY", b"NODE_TLS", b"_METHOD")
    TRIGGER = fast_search.compile(rb"verify(_ssl)?\s*=|\.verify\b|[\"']verify(_ssl)?[\"']|\bssl\s*=|[\"']ssl[\"']\s*:|_create_unverified|"
                                  rb"_create_default_https|_create_stdlib_context|CERT_NONE|check_hostname|HostKeyPolicy|AutoAdd|"
                                  rb"WarningPolicy|known_hosts|StrictHostKeyChecking|UserKnownHostsFile|disable_warnings|"
                                  rb"InsecureRequestWarning|CA_BUNDLE|SSL_CERT|PROTOCOL_(SSL|TLSv1)|TLSv1\b|TLSv1_1|SSLv[23]|"
                                  rb"set_ciphers|minimum_version|cert_reqs|HTTPSVERIFY|NODE_TLS|(SSLv[23]|TLSv1(_1)?)_METHOD")

    @classmethod
    def has_site(cls, facts) -> bool:
        # Every kind of report of the rule, each over-approximated:
        # - an ssh option in a string (_ssh_option): its words in a literal or a folded value;
        # - visit_Call: an unverified-context or asyncssh call, set_ciphers/set_missing_host_key_policy,
        #   disable_warnings, setattr with 3 arguments, a verify keyword (or **mapping) that may be
        #   off, a warnings filter where an insecure-warning class is named, an environment setter;
        # - an obsolete protocol named anywhere (protocol arguments, parameter defaults, minimum_version);
        # - visit_Assign/AnnAssign: an attribute the rule checks, os.environ[...] = ...
        return _may_hold_ssh_option(facts) \
            or calls_one_of(facts, frozenset(UNVERIFIED) | ASYNCSSH_CONNECTS) \
            or calls_attribute(facts, frozenset({CIPHER_SETTER, POLICY_SETTER})) \
            or calls_with_tail(facts, lambda name: name.endswith(WARNINGS_SILENCER)) \
            or any(len(call.args) + len(call.keywords) >= 3 and may_stand_for(facts, call.func, SETATTR)
                   for call in nodes(facts, ast.Call)) \
            or _names_one_of(facts, {tail(name) for name in OBSOLETE_PROTOCOLS}) \
            or _verify_may_be_off(facts) \
            or _assigns_checked_attribute(facts) \
            or calls_one_of(facts, WARNING_FILTERS) and _names_one_of(facts, set(INSECURE_WARNINGS)) \
            or _sets_tls_variable(facts)


def _strings(facts) -> list[str]:
    """The file's string literals and the values folded into facts.extra (the strings the
    evaluator builds at run time, on which the text stage relies)."""
    found = facts.memo.get("tls_strings")
    if found is None:
        found = [node.value if isinstance(node.value, str) else node.value.decode("latin-1")
                 for node in nodes(facts, ast.Constant) if isinstance(node.value, (str, bytes))]
        found.append(facts.extra.decode("utf-8", "replace"))
        facts.memo["tls_strings"] = found
    return found


def _may_hold_ssh_option(facts) -> bool:
    return any("hostkeychecking" in text.lower() or "knownhostsfile" in text.lower() for text in _strings(facts))


def _names_one_of(facts, tails: set[str]) -> bool:
    """Whether a name, attribute or call of the file may stand for one of `tails` (the last parts
    the rule matches its qualnames on)."""
    for kind in (ast.Name, ast.Attribute, ast.Call):
        for node in nodes(facts, kind):
            names = stands_for(facts, node)
            if names is None or not names.isdisjoint(tails):
                return True
    return False


def _may_be_off(facts, keyword: str, value: ast.expr) -> bool:
    """Whether the rule may find `keyword=value` disabled (`disabled`; for cert_reqs also a name
    standing for CERT_NONE)."""
    if isinstance(value, ast.Constant):
        return disabled(value.value, keyword)
    if keyword == "cert_reqs" and may_stand_for(facts, value, CERT_NONE):
        return True
    return may_be_computed(facts, value)


def _verify_may_be_off(facts) -> bool:
    for call in nodes(facts, ast.Call):
        for argument in call.keywords:
            if argument.arg in VERIFY_KEYWORDS:
                if _may_be_off(facts, argument.arg, argument.value):
                    return True
            elif argument.arg is None:
                mapping = argument.value
                if not isinstance(mapping, ast.Dict):
                    # a mapping the evaluator may know, with a verify key among the strings it builds from
                    if may_be_computed(facts, mapping) and any(keyword in text for text in _strings(facts)
                                                               for keyword in VERIFY_KEYWORDS):
                        return True
                    continue
                for key, value in zip(mapping.keys, mapping.values):
                    if key is None:
                        if may_be_computed(facts, value):
                            return True
                    elif isinstance(key, ast.Constant):
                        if key.value in VERIFY_KEYWORDS and _may_be_off(facts, key.value, value):
                            return True
                    elif may_be_computed(facts, key) and any(_may_be_off(facts, k, value) for k in VERIFY_KEYWORDS):
                        return True
    return False


def _assigns_checked_attribute(facts) -> bool:
    pairs = [(target, node.value) for node in nodes(facts, ast.Assign) for target in node.targets]
    pairs += [(node.target, node.value) for node in nodes(facts, ast.AnnAssign) if node.value is not None]
    for target, value in pairs:
        if isinstance(target, ast.Subscript) and may_stand_for(facts, target.value, ENVIRONMENT):
            if _names_a_tls_variable(facts):
                return True
        if not isinstance(target, ast.Attribute):
            continue
        attribute = target.attr
        if attribute == DEFAULT_CONTEXT_HOOK:
            return True
        if attribute in (VERIFY_ATTRIBUTE, HOSTNAME_ATTRIBUTE):
            if value.value is False if isinstance(value, ast.Constant) else may_be_computed(facts, value):
                return True
        elif attribute == VERIFY_MODE_ATTRIBUTE:
            if isinstance(value, ast.Constant):
                if value.value == 0 and value.value is not False:
                    return True
            elif isinstance(value, (ast.Name, ast.Attribute, ast.Call)) or may_be_computed(facts, value):
                return True
        elif attribute in VERSION_ATTRIBUTES:
            names = stands_for(facts, value)
            if names is None or not names.isdisjoint(tail(name) for name in OBSOLETE_PROTOCOLS):
                return True
        elif attribute == POLICY_ATTRIBUTE:
            if may_stand_for(facts, value.func if isinstance(value, ast.Call) else value, frozenset(HOST_KEY_POLICIES)):
                return True
    return False


def _names_a_tls_variable(facts) -> bool:
    """Whether an environment variable the rule checks may be named: a literal or folded value
    holding its name, or a keyword so named (`os.environ.update(SSL_CERT_FILE="")`)."""
    variables = (*CA_VARIABLES, HTTPS_VERIFY_VARIABLE, NODE_TLS_VARIABLE)
    return any(variable in text for text in _strings(facts) for variable in variables) \
        or any(keyword.arg in variables for keyword in nodes(facts, ast.keyword))


def _sets_tls_variable(facts) -> bool:
    return calls_one_of(facts, ENVIRONMENT_CALLS) and _names_a_tls_variable(facts)
