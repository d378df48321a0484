"""Trigger of the TLS verification rule (checkers/py_tls.py)."""
from __future__ import annotations

import re

from backdoor_lint.checkers.triggers import PythonTrigger


class TlsVerification(PythonTrigger):
    TRIGGER_SEES_DOCSTRINGS = True  # visit_SimpleString reports ssh options in any string
    # every branch of TRIGGER contains one of these: substring tests rule out most files 3x faster
    TRIGGER_LITERALS = (b"verify", b"ssl", b"SSL", b"_create_", b"CERT_NONE", b"check_hostname", b"HostKeyPolicy",
                        b"AutoAdd", b"WarningPolicy", b"known_hosts", b"StrictHostKeyChecking", b"UserKnownHostsFile",
                        b"disable_warnings", b"InsecureRequestWarning", b"CA_BUNDLE", b"PROTOCOL_", b"TLSv1",
                        b"set_ciphers", b"minimum_version", b"cert_reqs", b"HTTPSVERIFY", b"NODE_TLS", b"_METHOD")
    TRIGGER = re.compile(rb"verify(_ssl)?\s*=|\.verify\b|[\"']verify(_ssl)?[\"']|\bssl\s*=|[\"']ssl[\"']\s*:|_create_unverified|"
                         rb"_create_default_https|_create_stdlib_context|CERT_NONE|check_hostname|HostKeyPolicy|AutoAdd|"
                         rb"WarningPolicy|known_hosts|StrictHostKeyChecking|UserKnownHostsFile|disable_warnings|"
                         rb"InsecureRequestWarning|CA_BUNDLE|SSL_CERT|PROTOCOL_(SSL|TLSv1)|TLSv1\b|TLSv1_1|SSLv[23]|"
                         rb"set_ciphers|minimum_version|cert_reqs|HTTPSVERIFY|NODE_TLS|(SSLv[23]|TLSv1(_1)?)_METHOD")
