"""The catalogue of network sinks and process functions (what the dataflow calls a sink of data
leaving the machine, or a command run): tables without libcst, read by the dataflow
(checkers/py_dataflow.py), the rules and their triggers (checkers/triggers/), which decide from
them whether a file is parsed at all."""
from __future__ import annotations

import re
from dataclasses import dataclass

# -- sinks -------------------------------------------------------------------------------------
HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request", "stream", "send")


@dataclass(frozen=True)
class SinkKind:
    label: str
    kind: str  # http | socket | dns | smtp | ftp | ws | rpc | fetch
    url: tuple[str | None, int | None] = ("url", 0)  # where the destination is passed
    fetches: bool = False  # the result is data read from the network
    connects: bool = True  # False: a constructor that only describes a connection (opened on first use)


def _sinks() -> dict[str, SinkKind]:
    table: dict[str, SinkKind] = {}
    for lib in ("requests", "requests.api", "httpx", "requests.sessions.Session", "requests.Session",
                "httpx.Client", "httpx.AsyncClient", "aiohttp.ClientSession", "niquests", "niquests.Session"):
        for verb in HTTP_VERBS:
            position = 1 if verb == "request" else 0
            kind = SinkKind(f"{lib}.{verb}", "http", ("url", position), fetches=verb not in ("send",))
            table[f"{lib}.{verb}"] = kind
    for name in ("aiohttp.request",):
        table[name] = SinkKind(name, "http", ("url", 1), True)
    for name in ("aiohttp.ClientSession.ws_connect", "websockets.connect", "websockets.client.connect",
                 "websockets.sync.client.connect", "websocket.create_connection", "websocket.WebSocketApp"):
        table[name] = SinkKind(name, "ws", ("uri", 0), True)
    for name in ("urllib.request.urlopen", "urllib.request.urlretrieve", "urllib.request.Request",
                 "urllib.urlopen", "urllib2.urlopen", "urllib.request.OpenerDirector.open",
                 "six.moves.urllib.request.urlopen"):
        table[name] = SinkKind(name, "http", ("url", 0), True)
    for name in ("urllib3.request", "urllib3.PoolManager.request", "urllib3.PoolManager.urlopen",
                 "urllib3.poolmanager.PoolManager.request", "urllib3.HTTPConnectionPool.request",
                 "urllib3.HTTPSConnectionPool.request"):
        table[name] = SinkKind(name, "http", ("url", 1), True)
    for name in ("http.client.HTTPConnection", "http.client.HTTPSConnection", "httplib.HTTPConnection",
                 "httplib.HTTPSConnection"):
        table[name] = SinkKind(name, "http", ("host", 0))
    for name in ("http.client.HTTPConnection.request", "http.client.HTTPSConnection.request"):
        table[name] = SinkKind(name, "http", (None, None))
    for name in ("socket.create_connection", "asyncio.open_connection", "socket.socket.connect",
                 "socket.socket.connect_ex", "socket.socket.sendto"):
        table[name] = SinkKind(name, "socket", ("address", 0 if "sendto" not in name else 1), True)
    for name in ("socket.socket.send", "socket.socket.sendall"):
        table[name] = SinkKind(name, "socket", (None, None))
    for name in ("socket.gethostbyname", "socket.gethostbyname_ex", "socket.getaddrinfo", "socket.gethostbyaddr",
                 "dns.resolver.resolve", "dns.resolver.query", "dns.resolver.Resolver.resolve",
                 "dns.resolver.Resolver.query", "asyncio.get_event_loop.getaddrinfo", "dns.asyncresolver.resolve",
                 "dns.asyncresolver.Resolver.resolve", "aiodns.DNSResolver.query", "aiodns.DNSResolver.gethostbyname"):
        table[name] = SinkKind(name, "dns", ("host", 0))
    for name in ("smtplib.SMTP", "smtplib.SMTP_SSL", "smtplib.LMTP", "ftplib.FTP", "ftplib.FTP_TLS",
                 "telnetlib.Telnet", "poplib.POP3", "imaplib.IMAP4", "imaplib.IMAP4_SSL"):
        table[name] = SinkKind(name, "smtp" if "smtp" in name else "ftp", ("host", 0))
    for name in ("smtplib.SMTP.sendmail", "smtplib.SMTP.send_message", "smtplib.SMTP_SSL.sendmail",
                 "smtplib.SMTP_SSL.send_message", "ftplib.FTP.storbinary", "ftplib.FTP.storlines",
                 "ftplib.FTP_TLS.storbinary", "telnetlib.Telnet.write"):
        table[name] = SinkKind(name, "smtp" if "smtp" in name else "ftp", (None, None))
    for name in ("xmlrpc.client.ServerProxy", "paramiko.SSHClient.connect", "paramiko.Transport",
                 "pycurl.Curl.perform", "ftplib.FTP.connect"):
        table[name] = SinkKind(name, "rpc", ("host", 0))
    for name in LAZY_CONSTRUCTORS:  # they name a destination (BDL402/403 look at it) but send nothing yet
        spec = table[name]
        table[name] = SinkKind(spec.label, spec.kind, spec.url, spec.fetches, connects=False)
    return table


# Objects that open their connection on the first request, not when built (BDL401 is about sending).
LAZY_CONSTRUCTORS = ("http.client.HTTPConnection", "http.client.HTTPSConnection", "httplib.HTTPConnection",
                     "httplib.HTTPSConnection", "xmlrpc.client.ServerProxy", "urllib.request.Request",
                     "websocket.WebSocketApp")
SINKS = _sinks()
# the calls whose result is data read from the network (what the dataflow makes NETWORK data)
FETCHING_CALLS = frozenset(name for name, sink in SINKS.items() if sink.fetches)
# A process function named in code, for the rules' prefilters: called, reached as an attribute
# (`run = os.system`) or quoted for getattr (`getattr(os, "system")`).
_PROCESS_NAMES = rb"(?:system|popen[234]?|spawn[lv]p?e?|posix_spawn|execv?p?e?|execl)"
PROCESS_FUNCTION_NAMED = re.compile(rb"\." + _PROCESS_NAMES + rb"\b|\b" + _PROCESS_NAMES + rb"\s*\(|[\"']"
                                    + _PROCESS_NAMES + rb"[\"']")
SHELL_FUNCTIONS = {
    "subprocess.run": ("args", 0), "subprocess.call": ("args", 0), "subprocess.check_call": ("args", 0),
    "subprocess.check_output": ("args", 0), "subprocess.Popen": ("args", 0), "subprocess.getoutput": ("cmd", 0),
    "subprocess.getstatusoutput": ("cmd", 0), "os.system": ("command", 0), "os.popen": ("cmd", 0),
    "pty.spawn": ("argv", 0), "os.execl": (None, 1), "os.execlp": (None, 1), "os.execv": (None, 1),
    "os.execvp": (None, 1), "os.spawnl": (None, 2), "os.spawnlp": (None, 2), "os.posix_spawn": (None, 1),
    "asyncio.create_subprocess_shell": ("cmd", 0), "asyncio.create_subprocess_exec": (None, 0),
    "commands.getoutput": ("cmd", 0), "commands.getstatusoutput": ("cmd", 0), "os.popen2": ("cmd", 0),
    "os.popen3": ("cmd", 0), "os.popen4": ("cmd", 0), "popen2.popen2": ("cmd", 0), "popen2.popen3": ("cmd", 0),
    "popen2.popen4": ("cmd", 0), "popen2.Popen3": ("cmd", 0), "popen2.Popen4": ("cmd", 0), "sh.Command": (None, 0), "invoke.run": ("command", 0),
    "fabric.Connection.run": ("command", 0), "fabric.Connection.local": ("command", 0),
}
