"""Inline code screening: a quick, libcst-free look at programs run with python -c, node -e,
perl -e, ... for the whole environment or a credential file sent to the network, a socket wired
to a shell, and downloaded code evaluated. The full Python checkers run on python -c bodies too
(the caller passes ShellAnalysis.inline to the engine)."""
from __future__ import annotations

import re

from backdoor_lint.checkers.shell.wordlists import cred_path, is_secret_name

_INLINE_ENV = {
    "python": re.compile(r"os\.environ(?!\s*(\[|\.get\b|\.setdefault\b|\.pop\b))|os\.getenv\(\s*\)|"
                         r"os\.environ\.(copy|items|keys|values)\(|environ\b(?!\s*\[)"),
    "javascript": re.compile(r"process\.env(?!\s*(\.|\[))|Object\.(entries|keys|values)\(\s*process\.env|"
                             r"JSON\.stringify\(\s*process\.env"),
    "perl": re.compile(r"%ENV\b|\bkeys\s+%ENV"),
    "ruby": re.compile(r"\bENV\.(to_h|to_a|inspect|each|map|keys|values)|\bENV\b(?!\s*\[)"),
    "php": re.compile(r"getenv\(\s*\)|\$_ENV\b(?!\s*\[)|\$_SERVER\b(?!\s*\[)"),
    "lua": re.compile(r"os\.getenv\(\s*\)"),
}
_INLINE_NET = {
    "python": re.compile(r"\burllib\b|\brequests\b|\bhttp\.client\b|\bhttpx\b|\baiohttp\b|\bsocket\b|\bsmtplib\b|"
                         r"\bftplib\b|\burlopen\b|\bhttplib\b|\bpycurl\b|\bparamiko\b"),
    "javascript": re.compile(r"\bfetch\s*\(|\brequire\(\s*['\"](https?|net|dgram|tls|axios|node-fetch)['\"]\)|"
                             r"\b(https?|net|dgram|tls)\.(request|get|connect|createConnection)\b|XMLHttpRequest|"
                             r"\baxios\b|\bWebSocket\b"),
    "perl": re.compile(r"LWP|HTTP::|IO::Socket|\bsocket\s*\(|Net::"),
    "ruby": re.compile(r"Net::HTTP|open-uri|TCPSocket|Socket\.|URI\.open|HTTParty|Faraday"),
    "php": re.compile(r"curl_|file_get_contents\(\s*['\"]https?:|fsockopen|stream_socket_client|fopen\(\s*['\"]https?:"),
    "lua": re.compile(r"socket|http\.request"),
}
_INLINE_SHELL_SPAWN = {
    "python": re.compile(r"subprocess|os\.system|os\.popen|pty\.spawn|os\.exec|os\.dup2|/bin/(ba)?sh"),
    "javascript": re.compile(r"child_process|\bspawn\(|\bexec\(|/bin/(ba)?sh"),
    "perl": re.compile(r"\bexec\s*[({\"']|\bsystem\s*[(\"']|/bin/(ba)?sh|open\s*\(\s*STDIN"),
    "ruby": re.compile(r"\bexec\b|\bsystem\b|spawn|/bin/(ba)?sh|IO\.popen"),
    "php": re.compile(r"\bexec\(|shell_exec|system\(|passthru|proc_open|popen|/bin/(ba)?sh"),
    "lua": re.compile(r"os\.execute|io\.popen|/bin/(ba)?sh"),
}
_INLINE_SOCKET = {
    "python": re.compile(r"\bsocket\b"), "javascript": re.compile(r"\bnet\.(Socket|connect|createConnection)|"
                                                                  r"require\(\s*['\"]net['\"]\)"),
    "perl": re.compile(r"IO::Socket|\bsocket\s*\("), "ruby": re.compile(r"TCPSocket|Socket\."),
    "php": re.compile(r"fsockopen|stream_socket_client"), "lua": re.compile(r"socket"),
}
_INLINE_EXEC_DOWNLOAD = {
    "python": re.compile(r"\b(exec|eval)\s*\(.*(urlopen|requests\.get|urllib|httpx)", re.S),
    "javascript": re.compile(r"\b(eval|Function)\s*\(.*(fetch|https?\.get|axios)|(fetch|https?\.get).*\beval\s*\(",
                             re.S),
    "perl": re.compile(r"\beval\b.*(LWP|get\s*\()", re.S),
    "ruby": re.compile(r"\beval\b.*(Net::HTTP|URI\.open|open-uri)", re.S),
    "php": re.compile(r"\beval\s*\(.*(file_get_contents|curl_)", re.S),
    "lua": re.compile(r"loadstring.*http", re.S),
}


# one environment variable read by name: os.environ["X"], os.getenv("X"), process.env.X, ENV["X"], ...
_ENV_READ = {
    "python": re.compile(r"""(?:os\.)?(?:environ\s*\[|environ\.get\(|getenv\()\s*['"]([A-Za-z_]\w*)['"]"""),
    "javascript": re.compile(r"""process\.env(?:\.([A-Za-z_]\w*)|\[\s*['"]([A-Za-z_]\w*)['"]\s*\])"""),
    "ruby": re.compile(r"""ENV(?:\[|\.fetch\()\s*['"]([A-Za-z_]\w*)['"]"""),
    "perl": re.compile(r"""\$ENV\{\s*['"]?([A-Za-z_]\w*)['"]?\s*\}"""),
    "php": re.compile(r"""(?:getenv\(|\$_ENV\[|\$_SERVER\[)\s*['"]([A-Za-z_]\w*)['"]"""),
}
# a URL literal and what is pasted into it: 'https://x/?k=' + v, f"https://x/{v}", `https://x/${v}`,
# "https://x/?k=%s" % v, "https://x/{}".format(v)
_URL_PASTE = re.compile(r"""(?:\bf)?(['"`])[a-z][\w+.-]*://[^'"`]*?(?:\{([^}]*)\}[^'"`]*|\$\{([^}]*)\}[^`]*)?\1"""
                        r"""(?:\s*(?:\+|\.|%|\.format\()\s*([^;,)]+))?""")


def _secret_in_url(language: str, code: str) -> str | None:
    """The secret environment variable pasted into a URL literal (in the host or the query string,
    where every proxy, log and DNS server on the way sees it), or None."""
    reads = _ENV_READ.get(language)
    if reads is None:
        return None
    secrets = {next(g for g in m.groups() if g) for m in reads.finditer(code)}
    secrets = {name for name in secrets if is_secret_name(name)}
    if not secrets:
        return None
    # names bound to a secret read: k = os.environ["TOKEN"]; const k = process.env.TOKEN
    aliases = {m.group(1) for m in re.finditer(r"(?:\b(?:const|let|var|my)\s+\$?)?\$?(\w+)\s*=\s*([^;\n]+)", code)
               if any(name in m.group(2) for name in secrets) and reads.search(m.group(2))}
    for url in _URL_PASTE.finditer(code):
        pasted = " ".join(part for part in url.groups()[1:] if part)
        if reads.search(pasted) and any(name in pasted for name in secrets):
            return next(name for name in secrets if name in pasted)
        hit = next((a for a in aliases if re.search(rf"(?<![\w$]){re.escape(a)}(?!\w)", pasted)), None)
        if hit:
            return hit
    return None


def screen_inline(language: str, code: str, via: str) -> list[tuple[str, str, str]]:
    """Quick findings for an inline program (python -c ...): whole environment or credential files
    together with a network client (BDL402), a socket wired to a shell (BDL405), code downloaded and
    evaluated (BDL405)."""
    findings = []
    if language == "bash":
        return findings
    env_re, net_re = _INLINE_ENV.get(language), _INLINE_NET.get(language)
    if env_re is None or net_re is None:
        return findings
    net = net_re.search(code)
    creds = cred_path(code) or next((cred_path(s) for s in re.findall(r"['\"]([^'\"]+)['\"]", code) if cred_path(s)),
                                    None)
    env = env_re.search(code)
    short = code.strip().replace("\n", "; ")
    short = short if len(short) <= 160 else short[:157] + "..."
    if net and (env or creds):
        source = f"the whole environment (`{env.group(0)}`)" if env else f"the credential file `{creds}`"
        findings.append(("BDL402", f"`{via}` runs {language} code that reads {source} and uses a network client "
                         f"(`{net.group(0)}`): that is exfiltration of secrets", short))
    elif net:
        secret = _secret_in_url(language, code)
        if secret:
            findings.append(("BDL402", f"`{via}` runs {language} code that pastes the secret `{secret}` into a URL "
                             f"and opens it (`{net.group(0)}`): the URL, secret included, goes to that server and "
                             "every proxy and log on the way. Send a credential only in a header to its own "
                             "service", short))
    if _INLINE_SOCKET[language].search(code) and _INLINE_SHELL_SPAWN[language].search(code):
        findings.append(("BDL405", f"`{via}` runs {language} code that connects a socket and spawns a shell or "
                         "duplicates file descriptors: a reverse shell", short))
    if _INLINE_EXEC_DOWNLOAD[language].search(code):
        findings.append(("BDL405", f"`{via}` runs {language} code that downloads code and evaluates it: "
                         "download-and-execute runs whatever the server sends", short))
    return findings

