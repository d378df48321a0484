"""The one vocabulary of backdoor-lint: what a secret name is, which files hold credentials, which
paths are tests, which calls read the environment or decode data, which programs talk to the
network and which hosts are exfiltration services.

Used by the Python rules, the shell analysis and (through tools/sync_semgrep_vocabulary.py) the
semgrep rules' regexes; tests/test_vocabulary*.py check that every copy agrees with it. Plain
data and small pure functions only: no libcst, no imports from the rest of the package.
"""
from __future__ import annotations

import ipaddress
import re
from functools import lru_cache

# -- names of secrets ---------------------------------------------------------------------------
# A name is split into words: `AWS_SECRET_ACCESS_KEY` -> aws, secret, access, key; `apiKey` -> api, key.
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


def name_words(name: str) -> list[str]:
    """`AWS_SECRET_ACCESS_KEY` -> [aws, secret, access, key]; `apiKey` -> [api, key]."""
    return [w.lower() for w in _WORDS.findall(name)]


# (1) A credential by its name (hard-coded secrets, magic credentials): decided by the last words.
PASSWORD_WORDS = ("password", "passwd", "pwd", "passphrase", "passcode")
SECRET_KEY_QUALIFIERS = {"api", "secret", "private", "access", "signing", "sign", "encryption", "encrypt",
                         "crypt", "master", "hmac", "jwt", "auth", "client", "app", "webhook", "license",
                         "account", "service", "session", "cipher", "aes", "root", "admin", "shared"}
# `<word> token` that is not a credential (pagination, CSRF form tokens, ...)
NOT_SECRET_TOKEN_QUALIFIERS = ("csrf", "xsrf", "next", "page", "continuation", "cancel", "cancellation", "sync",
                               "resume")
NOT_SECRET_WORDS = {"public", "pub", "publishable", "name", "names", "url", "uri", "urls", "path", "file",
                    "field", "fields", "type", "types", "header", "param", "prefix", "suffix", "id", "ids",
                    "length", "len", "size", "timeout", "ttl", "age", "expiry", "expires", "expiration",
                    "regex", "pattern", "hash", "hashed", "hasher", "salt", "hint", "label", "format",
                    "template", "cls", "class", "class_", "env", "var", "setting", "settings", "policy",
                    "validators", "validator", "min", "max", "endpoint", "cookie", "dir", "mode", "kind",
                    "count", "required", "enabled", "key_name", "reset", "storage", "backend", "backends",
                    "generator", "algorithm", "alg", "algorithms", "char", "chars", "placeholder",
                    "widget", "input", "form", "error", "errors", "message", "msg", "text", "help",
                    "title", "description", "location", "scope", "scopes", "fallbacks"}


def secret_name(name: str) -> str | None:
    """The kind of secret a variable, keyword or config key name denotes ('password', 'API key',
    ...) or None. Decided by the name's last words: `DB_PASSWORD`, `stripe_api_key`,
    `client_secret`, `AUTH_TOKEN`; not `password_reset_timeout`, `token_url`, `public_key`."""
    words = name_words(name.replace("-", "_"))
    if not words:
        return None
    if any(w in NOT_SECRET_WORDS for w in words[-1:]) or "public" in words or "publishable" in words:
        return None
    last = words[-1]
    if last in PASSWORD_WORDS:
        return "password"
    if last in ("secret", "secretkey", "privatekey", "accesskey", "apikey", "credential", "credentials"):
        return {"secret": "secret"}.get(last, "credential" if last.startswith("credential") else "key")
    if last == "token" and not (len(words) >= 2 and words[-2] in NOT_SECRET_TOKEN_QUALIFIERS):
        return "token"
    if last == "key" and len(words) >= 2 and words[-2] in SECRET_KEY_QUALIFIERS:
        return f"{words[-2]} key"
    if last in ("pass", "pw") and len(words) >= 2:
        return "password"
    return None


# (2) Environment and shell variables whose value is a secret (what exfiltration rules follow).
SECRET_VARIABLE = re.compile(
    r"(?i)(secret|token|passw|\bpwd\b|pwd$|api_?key|access_?key|private_?key|credential|auth_?key|session_?key|"
    r"signing_?key|_pat\b|cookie)")
# look-alikes: named like a secret, holding none
NOT_SECRET_VARIABLE = re.compile(r"(?i)^(TOKENIZERS_PARALLELISM|.*_TOKEN_(URL|ENDPOINT|FILE_PATH)|OLDPWD|PWD)$")


def is_secret_variable(name: str) -> bool:
    """`DB_PASSWORD`, `GITHUB_TOKEN`, `AWS_SECRET_ACCESS_KEY`; not `PWD` or `TOKENIZERS_PARALLELISM`."""
    return bool(SECRET_VARIABLE.search(name)) and not NOT_SECRET_VARIABLE.match(name)


# (3) Security material (crypto and randomness rules): a value that is a password, token, key,
# salt, nonce, OTP, session id or signature, by one word or two consecutive words of its name.
# Getters whose first argument names what they fetch (`d.get("api_key")` reads as api_key: secflow.terminal_name)
NAMED_BY_KEY_GETTERS = ("get", "pop", "getlist")
SECURITY_WORDS = frozenset({
    "password", "passwd", "pwd", "pw", "passphrase", "passcode", "secret", "secrets", "token", "tokens", "nonce", "salt",
    "otp", "totp", "hotp", "csrf", "xsrf", "signature", "hmac", "credential", "credentials", "apikey",
    "sessionid", "sessid", "sid", "iv", "pin", "mfa",
})
SECURITY_PASSWORD_WORDS = frozenset({"password", "passwd", "pwd", "pw", "passphrase", "passcode", "pin"})
SECURITY_PAIRS = frozenset({
    ("api", "key"), ("secret", "key"), ("signing", "key"), ("private", "key"), ("encryption", "key"),
    ("enc", "key"), ("hmac", "key"), ("master", "key"), ("session", "key"), ("session", "id"),
    ("auth", "code"), ("auth", "key"), ("access", "key"), ("access", "code"), ("reset", "code"),
    ("reset", "key"), ("reset", "link"), ("login", "code"), ("verification", "code"), ("verify", "code"),
    ("confirm", "code"), ("confirmation", "code"), ("invite", "code"), ("recovery", "code"),
    ("backup", "code"), ("activation", "code"), ("activation", "key"), ("one", "time"), ("magic", "link"),
    ("two", "factor"), ("cipher", "key"), ("crypto", "key"), ("aes", "key"), ("key", "material"),
    ("secure", "random"),
})
# Words that say the value is not secret even when a security word is present.
SECURITY_VETO = frozenset({
    "cache", "etag", "checksum", "fingerprint", "content", "file", "filename", "path", "url", "uri", "shard",
    "partition", "bucket", "color", "colour", "avatar", "gravatar", "trace", "correlation", "jitter", "delay",
    "sample", "length", "len", "size", "count", "type", "endpoint", "expiry", "expires", "expiration", "ttl",
    "timeout", "field", "name", "label", "prefix", "format", "regex", "pattern", "policy", "min", "max",
    "validator", "hint", "placeholder", "lexer", "tokenizer", "tokenize", "kind", "index", "position", "pos",
    "line", "column", "memory", "dedupe", "dedup", "version", "header", "display", "is", "has", "strategy",
})
_TOKEN_QUALIFIERS = frozenset({
    "reset", "api", "access", "auth", "refresh", "bearer", "invite", "invitation", "verification", "verify",
    "confirm", "confirmation", "magic", "login", "secret", "session", "csrf", "xsrf", "webhook", "internal", "admin",
    "service", "stored", "expected", "signup", "activation", "unsubscribe", "share", "download", "oauth", "jwt",
    "remember", "master", "support", "provided", "given", "client", "app", "user", "personal",
})
_UNAMBIGUOUS = frozenset({"password", "passwd", "pwd", "passphrase", "secret", "csrf", "xsrf", "otp", "totp", "hotp",
                          "hmac", "signature", "apikey", "credential", "credentials"})
# with a password word these name something else: a reset token, a salt, a link
_NOT_A_PASSWORD = frozenset({"token", "reset", "link", "url", "key", "code", "otp", "nonce", "salt", "email", "mail"})


def secret_words(name: str, password_only: bool = False) -> str | None:
    """The word(s) that make `name` security material, or None."""
    ws = name_words(name)
    if not ws or any(w in SECURITY_VETO for w in ws):
        return None
    if password_only and any(w in _NOT_A_PASSWORD for w in ws):
        return None
    strong = SECURITY_PASSWORD_WORDS if password_only else SECURITY_WORDS
    for w in ws:
        if w in strong:
            return w
    if not password_only:
        for a, b in zip(ws, ws[1:]):
            if (a, b) in SECURITY_PAIRS:
                return f"{a}_{b}"
        joined = "".join(ws)
        for word in ("apikey", "secretkey", "sessionid", "authtoken", "accesstoken"):
            if word in joined:
                return word
    return None


def unambiguous_secret(name: str) -> bool:
    """A name that is a credential whatever the code around it (`reset_token`, `api_key`, `password`),
    as opposed to `token` alone, which is as often a lexer or identity token."""
    ws = name_words(name)
    if not ws or any(w in SECURITY_VETO for w in ws):
        return False
    if any(w in _UNAMBIGUOUS for w in ws) or any(p in SECURITY_PAIRS for p in zip(ws, ws[1:])):
        return True
    return any(w in ("token", "tokens", "key") for w in ws) and any(w in _TOKEN_QUALIFIERS for w in ws)


# -- credential files ---------------------------------------------------------------------------
_SEP = r"[/\\]"
_PART = r"[^\s\"'`;|&),]"  # a character of a path word
_UNDER = rf"(?:{_SEP}{_PART}*)?"  # anything under a directory
_ENVIRON = r"(?:self|\d+|\$\$|\*)"
# Files and directories whose content is a credential, as regex pieces of a path; a directory's
# piece ends with _UNDER (the whole directory, or any file in it).
CREDENTIAL_FILES: tuple[str, ...] = (
    rf"\.ssh{_UNDER}",
    rf"\.aws{_UNDER}",
    r"[._]netrc",
    r"\.git-credentials",
    rf"\.docker(?:{_SEP}config\.json)?",  # not a project's .docker/Dockerfile
    rf"\.kube{_UNDER}",
    r"\.npmrc",
    r"\.pypirc",
    rf"\.gnupg{_UNDER}",
    rf"\.config{_SEP}gcloud{_UNDER}",
    rf"gcloud{_SEP}(?:application_default_|legacy_)?credentials[\w.]*{_UNDER}",
    rf"\.config{_SEP}gh{_SEP}hosts(?:\.ya?ml)?",
    rf"\.azure{_UNDER}",
    r"\.vault-token",
    rf"\.password-store{_UNDER}",
    r"credentials\.json",  # not a bare `credentials`: REST URLs end with it
    r"id_(?:rsa|dsa|ecdsa|ed25519)(?:\.[\w.-]+)?",
    rf"{_SEP}?etc{_SEP}(?:passwd|shadow|gshadow|sudoers)",
    r"\.env(?:\.(?!example|sample|template|dist)[\w.-]+)?",
    r"\.bash_history",
    r"\.zsh_history",
    r"Login Data|Cookies|key[34]\.db|logins\.json",
    rf"(?:Chrome|Chromium|Brave|Edge|Firefox|Mozilla)[^\"'`\n]{{0,200}}?{_SEP}Local State",
    rf"\.mozilla{_SEP}firefox{_UNDER}",
    rf"Library{_SEP}Keychains{_UNDER}",
    rf"{_SEP}?proc{_SEP}{_ENVIRON}{_SEP}environ",
)
# One regex for all of them: a piece starts a path component (at the start, or after a separator,
# `~`, a quote, `@`, `=`, `:` or `<`) and ends the path word; public keys (`*.pub`) are not
# credentials. Every repetition stops at the end of a word: linear on any input.
CREDENTIAL_FILE = re.compile(
    r"(?<![^\s/\\=@:\"'<~`])"
    rf"(?:{'|'.join(CREDENTIAL_FILES)})"
    rf"(?!{_PART})(?<!\.pub)"
)
ENVIRON_FILE = re.compile(rf"/proc/{_ENVIRON}/environ")


def credential_file(text: str) -> str | None:
    """The credential file or directory a path or shell word names (`~/.ssh/id_rsa` -> `.ssh/id_rsa`,
    `/proc/self/environ`), or None."""
    if not text:
        return None
    match = ENVIRON_FILE.search(text) or CREDENTIAL_FILE.search(text)
    return match.group(0) if match else None


# -- test paths ---------------------------------------------------------------------------------
# Code that only runs under a test runner.
TEST_CODE_PATH = re.compile(
    r"(^|/)(tests?|testing|fixtures?|__tests__|spec|specs)(/|$)"
    r"|(^|/)(test_[^/]*|[^/]*_tests?\.py|conftest\.py|[^/]*\.test\.[a-z]+|[^/]*\.spec\.[a-z]+)$")
# Documentation and examples: sample credentials are expected there.
EXAMPLE_PATH = re.compile(r"(^|/)(examples?|docs?)(/|$)")


def is_test_code(display: str) -> bool:
    return TEST_CODE_PATH.search(display.replace("\\", "/")) is not None


def is_test_or_example(display: str) -> bool:
    path = display.replace("\\", "/")
    return TEST_CODE_PATH.search(path) is not None or EXAMPLE_PATH.search(path) is not None


# -- environment --------------------------------------------------------------------------------
ENV_OBJECTS = frozenset({"os.environ", "os.environb", "posix.environ"})
# calls that read one variable (its name is their first argument)
ENV_GETTERS = frozenset({"os.getenv", "os.getenvb", "os.environ.get", "os.environ.pop", "os.environ.setdefault",
                         "os.environ.__getitem__", "os.environb.get"})

# -- decoders and encoders ----------------------------------------------------------------------
DECODERS = frozenset({
    "base64.b64decode", "base64.standard_b64decode", "base64.urlsafe_b64decode", "base64.b32decode",
    "base64.b16decode", "base64.a85decode", "base64.b85decode", "base64.decodebytes", "base64.decodestring",
    "binascii.unhexlify", "binascii.a2b_hex", "binascii.a2b_base64", "bytes.fromhex", "bytearray.fromhex",
    "codecs.decode", "zlib.decompress", "gzip.decompress", "bz2.decompress", "lzma.decompress",
    "marshal.loads", "pickle.loads", "codecs.getdecoder",
})
ENCODERS = frozenset({
    "base64.b64encode", "base64.standard_b64encode", "base64.urlsafe_b64encode", "base64.b32encode",
    "base64.b16encode", "base64.b85encode", "base64.a85encode", "base64.encodebytes", "binascii.hexlify",
    "binascii.b2a_hex", "binascii.b2a_base64", "codecs.encode", "zlib.compress", "gzip.compress",
    "bz2.compress", "lzma.compress",
})

# -- network programs ---------------------------------------------------------------------------
# programs that fetch (or send with options) a URL
DOWNLOADERS = frozenset({"curl", "wget", "fetch", "aria2c", "http", "https", "xh", "httpie", "lwp-request", "GET",
                         "POST"})
# programs that send what they read on stdin
STDIN_SENDERS = frozenset({"nc", "ncat", "netcat", "nc.traditional", "nc.openbsd", "socat", "telnet", "ssh", "mail",
                           "mailx", "sendmail", "mutt", "openssl"})
# programs that copy files to another host
UPLOADERS = frozenset({"scp", "rsync", "sftp", "rclone", "aws", "gsutil", "az", "azcopy", "s3cmd", "smbclient", "ftp",
                       "lftp", "tftp"})
NETWORK_PROGRAMS = DOWNLOADERS | STDIN_SENDERS | UPLOADERS
# programs that publish files to a code-hosting service (gists, snippets, release assets, issue bodies)
PUBLISHERS = frozenset({"gh", "glab", "hub", "tea"})
# programs that run a command in a container (`docker run -v ~/.aws:/root/.aws img sh -c ...`)
CONTAINER_RUNNERS = frozenset({"docker", "podman", "nerdctl"})
# Windows programs the semgrep rules also name (the shell analysis reads POSIX shells only)
WINDOWS_NETWORK_PROGRAMS = frozenset({"Invoke-WebRequest", "iwr", "Invoke-RestMethod", "irm", "bitsadmin",
                                      "certutil"})
# programs that resolve a name (DNS exfiltration)
DNS_TOOLS = frozenset({"dig", "nslookup", "host", "drill", "ping", "ping6", "getent", "resolvectl"})
# programs that print the whole environment
ENV_DUMPERS = frozenset({"env", "printenv", "set", "export", "declare", "typeset", "compgen"})

# -- hosts --------------------------------------------------------------------------------------
PRIVATE_NETWORKS = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7")


@lru_cache(maxsize=1)
def exfil_hosts() -> tuple[tuple[str, str], ...]:
    """(host suffix or host/path prefix, category) from data/exfil_hosts.txt."""
    from backdoor_lint.checkers import read_data  # (only here: most runs never read the host list)

    text = read_data("exfil_hosts.txt")
    entries = []
    category = "known exfiltration service"
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("# category:"):
            category = line.split(":", 1)[1].strip()
        elif line and not line.startswith("#"):
            entries.append((line.lower(), category))
    return tuple(entries)


def exfil_service(host: str, path: str = "") -> str | None:
    """'<category> (<entry>)' when `host` (and `path`) is a known exfiltration service."""
    host = host.lower().rstrip(".")
    target = f"{host}{path}"
    for entry, category in exfil_hosts():
        if "/" in entry:
            if target.startswith(entry):
                return f"{category} ({entry})"
        elif host == entry or host.endswith("." + entry):
            return f"{category} ({entry})"
    return None


def raw_ip(host: str) -> str | None:
    """A public (or documentation) IP literal used as a host; private/loopback ranges are fine."""
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None
    if address.is_loopback or address.is_unspecified or address.is_link_local or address.is_multicast:
        return None
    if any(address in ipaddress.ip_network(n) for n in PRIVATE_NETWORKS
           if ipaddress.ip_network(n).version == address.version):
        return None
    return str(address)


# -- hard-coded keys (BDL210, Python and the language analyses) --------------------------------
# Values that are placeholders, not keys, and text that is public key material.
PLACEHOLDER_SECRET = re.compile(
    r"(?i)^(|x+|\*+|\.+|changeme|change[-_ ]?me.*|secret|password|key|test.*|dummy.*|example.*|"
    r"fake.*|placeholder.*|your[-_ ].*|<.*>|\$\{.*\}|\{\{.*\}\}|%\(.*\)s|todo.*|none|null)$")
PUBLIC_KEY_TEXT = re.compile(r"BEGIN (RSA )?PUBLIC KEY|BEGIN CERTIFICATE|ssh-(rsa|ed25519) ")


def hardcoded_key(value) -> bool:
    """A constant that is a real key or secret: six characters or more, not a placeholder, not public."""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return isinstance(value, str) and len(value.strip()) >= 6 and not PLACEHOLDER_SECRET.match(value.strip()) \
        and not PUBLIC_KEY_TEXT.search(value)


# -- verification functions (BDL606 in every language; BDL605/606 checks in py_auth) ---------------
# A function named as an authentication or verification check (on its snake_case words).
AUTH_VERBS = ("verify", "authenticate", "authorize", "authorise", "check", "validate", "is", "has", "can", "require",
              "allow")  # the first word of the name
AUTH_PREFIXES = ("auth", "login")  # or how it starts, whatever follows
AUTH_FUNCTION = re.compile(rf"(?i)^_*({'|'.join(AUTH_VERBS)})(_|$)|^_*({'|'.join(AUTH_PREFIXES)})")
AUTH_OBJECT_WORDS = {"verify", "authenticate", "authenticated", "authorize", "authorized", "authorise", "auth",
                     "password", "passwd", "signature", "sig", "token", "credential", "credentials", "otp", "totp",
                     "permission", "permissions", "perm", "perms", "login", "access", "hmac", "mac", "apikey",
                     "key", "secret", "session", "admin", "role", "webhook", "mfa", "twofactor", "pin"}
CREDENTIAL_PARAM = re.compile(r"(?i)^(password|passwd|pwd|passphrase|token|access_token|api_key|apikey|signature|sig|"
                              r"otp|totp|code|mfa_code|hmac|mac|digest|credentials?|secret|pin)$")
CREDENTIAL_WORDS = re.compile(r"(?i)sig|signature|token|hmac|mac|digest|password|passwd|otp|api_?key|secret|"
                              r"credential|auth")
# A call that checks a credential (not any `check_*`: `check_requires_python` verifies nothing).
SECURITY_CALL = re.compile(r"(?i)compare_digest|constant_time|hmac|(^|\.)verify\w*$|verify_(signature|token|password|hmac)|"
                           r"check_(password|token|signature|hmac|api_key)|authenticat|jwt\.|decode_token|"
                           r"validate_(token|signature)")
