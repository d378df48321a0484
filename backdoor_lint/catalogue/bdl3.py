"""BDL3xx: transport security."""
from backdoor_lint.catalogue import BLOCK, WARN, Rule

_TLS_REFS = ("https://cwe.mitre.org/data/definitions/295.html",
             "https://requests.readthedocs.io/en/latest/user/advanced/#ssl-cert-verification")

RULES = [
    Rule(
        code="BDL301", name="tls-verification-disabled", category="tls-verification", severity=BLOCK,
        confidence="high", cwe=("CWE-295",),
        summary="TLS certificate verification disabled in an HTTP client",
        what=("Flags verify=False (requests, httpx), ssl=False (aiohttp), cert_reqs='CERT_NONE' (urllib3),\n"
              "including through constants, **kwargs dicts, session.verify = False and client objects.\n"
              "In a test or example file, a call whose every destination is this machine (localhost,\n"
              "*.localhost, 127.0.0.0/8, ::1, 0.0.0.0) is a warning: nothing sits on that path. A remote,\n"
              "unknown or look-alike destination (https://localhost@host.example) blocks in tests too."),
        why=("Without certificate verification any machine on the path (public Wi-Fi, a compromised\n"
             "router, a malicious proxy) can present its own certificate and read or rewrite the\n"
             "traffic: API keys, session tokens and downloaded code are all exposed."),
        example="requests.get(url, verify=False)",
        use_instead="Keep verification on; for a private CA pass verify='/path/to/ca.pem' (ssl_context with cafile in aiohttp).",
        fixes=(
            (("javascript",), 'remove rejectUnauthorized: false (and NODE_TLS_REJECT_UNAUTHORIZED=0); pass ca: for a private CA'),
            (("go",), 'remove InsecureSkipVerify: true; put a private CA into tls.Config.RootCAs'),
        ),
        fix="remove verify=False; pass verify='/path/to/ca-bundle.pem' for a private CA",
        references=_TLS_REFS,
    ),
    Rule(
        code="BDL302", name="unverified-ssl-context", category="tls-verification", severity=BLOCK,
        confidence="high", cwe=("CWE-295", "CWE-297"),
        summary="SSL context that does not verify certificates or host names",
        what=("Flags ssl._create_unverified_context, replacing ssl._create_default_https_context,\n"
              "verify_mode = CERT_NONE, check_hostname = False; rejectUnauthorized: false and\n"
              "NODE_TLS_REJECT_UNAUTHORIZED=0 (JS), InsecureSkipVerify (Go), trust-all TrustManagers and\n"
              "HostnameVerifiers that return true (Java)."),
        why=("An unverified context accepts any certificate for any host, so a man-in-the-middle can\n"
             "impersonate every server the process talks to. Replacing the default context does it\n"
             "process-wide, for every library, silently."),
        example="ssl._create_default_https_context = ssl._create_unverified_context",
        use_instead="ssl.create_default_context(cafile=...) and leave check_hostname/verify_mode at their defaults.",
        fixes=(
            (("javascript",), 'keep the default certificate and host-name checks (no checkServerIdentity that accepts everything); pass ca: for a private CA'),
            (("java",), 'keep the default TrustManager and HostnameVerifier; load a private CA into a TrustManagerFactory'),
        ),
        fix="use ssl.create_default_context() (with cafile= for a private CA)",
        known_problems=("check_hostname = False on its own is a warning (libraries that match host names themselves do\n"
                        "it, and set it back afterwards, which is not flagged); with CERT_NONE it blocks."),
        references=_TLS_REFS,
    ),
    Rule(
        code="BDL303", name="obsolete-tls-protocol", category="tls-verification", severity=BLOCK,
        confidence="high", cwe=("CWE-326", "CWE-327"),
        summary="Obsolete SSL/TLS protocol version or weak cipher string",
        what="Flags SSLv2/SSLv3/TLSv1/TLSv1.1 protocol constants (ssl's, pyOpenSSL's *_METHOD, positional, keyword such as method= or through **kwargs, and as parameter defaults), minimum_version lowered below TLS 1.2, and cipher strings enabling NULL/EXPORT/RC4/DES/MD5.",
        why="Old protocol versions and export/NULL ciphers are downgrade targets (POODLE, BEAST, FREAK, Logjam): an attacker on the path forces the weak option and decrypts the session.",
        example="ssl.SSLContext(ssl.PROTOCOL_TLSv1)",
        use_instead="ssl.create_default_context() (TLS 1.2+), or set minimum_version = ssl.TLSVersion.TLSv1_2.",
        fixes=(
            (("javascript",), "set minVersion: 'TLSv1.2' (or later) and keep the default ciphers"),
            (("go",), 'set MinVersion: tls.VersionTLS12 (or later) and keep the default cipher suites'),
            (("java",), 'use SSLContext.getInstance("TLSv1.3") (or "TLSv1.2") and the default cipher suites'),
        ),
        fix="use ssl.create_default_context() with TLS 1.2 or later",
        references=_TLS_REFS,
    ),
    Rule(
        code="BDL304", name="ssh-host-key-not-verified", category="tls-verification", severity=BLOCK,
        confidence="high", cwe=("CWE-295", "CWE-322"),
        # backdoor-lint: ignore[BDL304] catalogue text names the option the rule flags
        summary="SSH host key not verified (AutoAddPolicy, StrictHostKeyChecking=no)",
        # backdoor-lint: ignore[BDL304] catalogue text names the option the rule flags
        what="Flags paramiko AutoAddPolicy/WarningPolicy, and StrictHostKeyChecking=no or UserKnownHostsFile=/dev/null in ssh commands.",
        why="Accepting any host key lets whoever answers on the network pretend to be the server: they receive the password or forwarded agent and every command and file sent over the connection.",
        example="client.set_missing_host_key_policy(paramiko.AutoAddPolicy())",
        use_instead="client.load_system_host_keys() / load_host_keys(path) with RejectPolicy; pin the host key in known_hosts.",
        fix="load known host keys and use paramiko.RejectPolicy()",
    ),
    Rule(
        code="BDL305", name="tls-warnings-silenced", category="tls-verification", severity=WARN,
        confidence="medium", cwe=("CWE-295",),
        summary="TLS warnings silenced or CA bundle emptied",
        what="Flags urllib3.disable_warnings(InsecureRequestWarning), REQUESTS_CA_BUNDLE/SSL_CERT_FILE set to an empty value or /dev/null, and similar.",
        why="Silencing the warning hides disabled verification elsewhere from the people who would notice it; an empty CA bundle disables verification indirectly.",
        example="urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)",
        use_instead="Fix the verification problem the warning reports instead of muting it.",
        fix="remove the warning suppression and fix verification",
    ),
]
