"""The data-origin tables (DESIGN §10 "Data origin"): where attacker-controlled data enters a
Python program (sources), what makes it harmless for one kind of sink (sanitisers), and where it
does harm (sinks). One place, read by the dataflow engine (checkers/py_dataflow.py), the origin
walkers (checkers/origins.py) and the rules; qualified names as `ModuleContext.qualnames` spells
them."""
from __future__ import annotations

import re

from backdoor_lint.checkers import fast_search

# -- sources: the web request ------------------------------------------------------------------
REQUEST_NAMES = {"request", "req", "http_request", "flask_request", "incoming", "environ"}
REQUEST_QUALNAMES = {"flask.request", "quart.request", "bottle.request", "werkzeug.local.request",
                     "starlette.requests.Request", "fastapi.Request", "django.http.HttpRequest",
                     "aiohttp.web.Request", "tornado.web.RequestHandler.request"}
# attribute of a request -> kind of client-controlled data (Flask, Django, Starlette/FastAPI,
# aiohttp, Tornado, Bottle)
REQUEST_PARTS = {
    "headers": "header", "META": "header", "environ": "header", "get_header": "header",
    "cookies": "cookie", "COOKIES": "cookie", "get_cookie": "cookie", "get_secure_cookie": "cookie",
    "args": "query parameter", "GET": "query parameter", "query_params": "query parameter",
    "query": "query parameter", "params": "query parameter", "query_string": "query parameter",
    "get_argument": "query parameter", "get_query_argument": "query parameter", "rel_url": "query parameter",
    "values": "request parameter", "POST": "form field", "form": "form field", "data": "request body",
    "body": "request body", "json": "request body", "get_json": "request body", "get_data": "request body",
    "files": "uploaded file", "FILES": "uploaded file", "stream": "request body", "content": "request body",
    "read": "request body", "text": "request body", "post": "form field",
}
# code that reads the request, by its text (secflow, BDL209's `_facts`)
REQUEST_CODE = re.compile(r"\brequest\b|\breq\b|headers|cookies|\bMETA\b|\bGET\b|\bPOST\b|\.args\b|\.form\b|"
                          r"query_params|\bparams\b|HTTP_|\benviron\b|get_json|\.json\b|\bbody\b")
# FastAPI parameter markers -> kind
FASTAPI_PARAMS = {"fastapi.Header": "header", "fastapi.params.Header": "header", "fastapi.Cookie": "cookie",
                  "fastapi.params.Cookie": "cookie", "fastapi.Query": "query parameter",
                  "fastapi.params.Query": "query parameter", "fastapi.Form": "form field",
                  "fastapi.Body": "request body", "fastapi.File": "uploaded file", "fastapi.Path": "path parameter"}
# Decorators that make a function a request handler whose parameters are request input:
# `@app.get("/x")`, `@router.post(...)`, `@bp.route(...)`, `@app.websocket(...)`.
ROUTE_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "route", "api_route",
                           "websocket", "view", "add_api_route"})
# Receivers whose route decorators those are (an app, router or blueprint object; by name where
# the object is built elsewhere) and the classes that build them.
ROUTER_RECEIVER = re.compile(r"(?i)^(app|api|application|router|\w*_router|router_\w*|bp|blueprint|\w*_bp|"
                             r"\w*_blueprint|\w*_app|app_\w*|routes|server)$")
ROUTER_CLASSES = frozenset({"fastapi.FastAPI", "fastapi.APIRouter", "fastapi.routing.APIRouter", "flask.Flask",
                            "flask.Blueprint", "quart.Quart", "quart.Blueprint", "starlette.applications.Starlette",
                            "sanic.Sanic", "sanic.Blueprint", "bottle.Bottle", "litestar.Litestar"})
# request attributes that hold the peer address: Flask/Werkzeug, aiohttp, Tornado, Starlette's client
# (client_address.py, BDL602)
ADDRESS_ATTRIBUTES = frozenset({"remote_addr", "access_route", "remote", "remote_ip", "client_addr", "peer",
                                "peername"})
# names, attributes and keys of a debug or test-mode flag (origins.debug_flag, BDL602)
DEBUG_ATTRS = re.compile(r"^(debug|DEBUG|debug_mode|DEBUG_MODE|dev_mode|DEV_MODE|testing|TESTING|test_mode|"
                         r"TEST_MODE|is_debug|IS_DEBUG|developer_mode)$")
# Parameters of a routed function that are framework objects, not request values.
NOT_REQUEST_VALUE = re.compile(r"(?i)^(self|cls|db|session|background_tasks|response|settings|current_user|user|"
                               r"\w*_service|\w*_repo(sitory)?|deps?|config)$")

# -- sources: the network and other processes ----------------------------------------------------
NETWORK_CALLS = {
    "requests.get", "requests.post", "requests.request", "requests.Session.get", "requests.Session.post",
    "requests.Session.request", "httpx.get", "httpx.post", "httpx.Client.get", "httpx.AsyncClient.get",
    "urllib.request.urlopen", "urllib.urlopen", "urllib2.urlopen", "http.client.HTTPConnection.getresponse",
    "http.client.HTTPSConnection.getresponse", "aiohttp.ClientSession.get", "socket.socket.recv",
    "socket.socket.recvfrom", "socket.create_connection.recv", "sys.stdin.read", "sys.stdin.buffer.read",
    "input", "sys.stdin.readline",
}
SOCKET_METHODS = {"recv", "recvfrom", "recv_into", "recvmsg", "read_bytes", "readexactly"}

# -- sources: decoders and decryptors (the result is bytes nobody reviewed) ---------------------
# Added to vocabulary.DECODERS for the engine: decryption hides a payload as well as base64 does.
DECRYPTORS = frozenset({
    "cryptography.fernet.Fernet.decrypt", "cryptography.fernet.MultiFernet.decrypt",
    "cryptography.hazmat.primitives.ciphers.aead.AESGCM.decrypt",
    "cryptography.hazmat.primitives.ciphers.aead.ChaCha20Poly1305.decrypt",
    "Crypto.Cipher.AES.new.decrypt", "Cryptodome.Cipher.AES.new.decrypt", "Crypto.Cipher.ARC4.new.decrypt",
    "zlib.decompressobj.decompress", "lzma.LZMADecompressor.decompress",
})

# -- sources: MACs, digests and signatures (for timing-unsafe comparisons) -----------------------
MAC_CALLS = frozenset({"hmac.new", "hmac.HMAC", "hmac.digest"})
HASH_MODULE = "hashlib."
DIGEST_METHODS = frozenset({"hexdigest", "digest"})

# -- sources: non-cryptographic random numbers --------------------------------------------------
RANDOM_MODULES = ("random.", "numpy.random.")
RANDOM_VALUE_FUNCTIONS = frozenset({"random", "randint", "randrange", "choice", "choices", "sample", "getrandbits",
                                    "uniform", "randbytes", "rand", "bytes", "integers"})

# -- sanitisers ---------------------------------------------------------------------------------
# Calls whose result can no longer carry an injection for any sink: numbers, booleans, lengths,
# hashes. (Unknown calls stop the dataflow anyway; these are listed for the propagating ones.)
NEUTRALISERS = frozenset({"int", "float", "bool", "len", "abs", "round", "uuid.UUID", "ipaddress.ip_address",
                          "hmac.compare_digest", "secrets.compare_digest", "os.path.basename"})
# Calls that make data safe inside a shell command line (but not in code or SQL).
SHELL_QUOTERS = frozenset({"shlex.quote", "pipes.quote", "shlex.join", "mslex.quote"})

# -- sinks --------------------------------------------------------------------------------------
# Code: the first argument is executed.
CODE_SINKS = frozenset({"exec", "eval", "compile", "execfile", "builtins.exec", "builtins.eval",
                        "builtins.compile", "code.InteractiveInterpreter.runsource", "code.InteractiveConsole.push",
                        "runpy.run_path", "importlib.import_module", "__import__"})
# SQL: the first argument is a statement (positional 0, or `sql=`/`statement=`/`query=`).
SQL_EXECUTE_METHODS = frozenset({"execute", "executemany", "executescript", "exec_driver_sql", "raw", "mogrify"})
SQL_TEXT = frozenset({"sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text"})
SQL_KEYWORDS = re.compile(r"(?is)^\s*(\(\s*)?(select|insert|update|delete|replace|merge|with|create|drop|alter|"
                          r"truncate|grant|exec|call|pragma)\b")
# Deserialisers whose first argument is the data (the deserialisation rule holds the full list).
DESERIALISERS = frozenset({
    "pickle.loads", "pickle.load", "_pickle.loads", "cPickle.loads", "cPickle.load", "dill.loads", "dill.load",
    "cloudpickle.loads", "marshal.loads", "marshal.load", "jsonpickle.decode", "jsonpickle.unpickler.Unpickler.restore",
    "yaml.unsafe_load", "yaml.load", "shelve.open", "pandas.read_pickle", "torch.load", "joblib.load",
    "pickle.Unpickler", "numpy.load",
})

# Secrets held outside the environment: the keyring and the browsers' cookie stores.
KEYRING = {"keyring.get_password", "keyring.get_credential", "keyring.core.get_password",
           "browser_cookie3.load", "browser_cookie3.chrome", "browser_cookie3.firefox"}
# Who and where the code runs: no secret, but what a DNS beacon reports about its victim (BDL404).
IDENTITY_CALLS = {"getpass.getuser": "user name", "os.getlogin": "user name", "pwd.getpwuid": "user account",
                  "socket.gethostname": "host name", "socket.getfqdn": "host name", "platform.node": "host name",
                  "platform.uname": "host name", "os.uname": "host name", "os.getcwd": "working directory",
                  "pathlib.Path.cwd": "working directory", "pathlib.Path.home": "home directory"}

ATTACKER_INPUT_TEXT = fast_search.compile(r"\brequest\b|\breq\b|environ|Request\b|@\w+\.(?:get|post|put|patch|delete|route|"
                                          r"api_route|websocket)\(|fastapi|starlette|urlopen|\brequests\b|httpx|aiohttp|"
                                          r"urllib|niquests|open_connection|socket|recv|stdin|\binput\(")

ATTACKER_INPUT_BYTES = fast_search.compile(ATTACKER_INPUT_TEXT.pattern.encode())  # (the triggers' text stage)

# Text a module must hold for its values to carry an origin the dataflow tracks (checked before a
# module imported from the tree is parsed): the attacker input above, the environment, secrets,
# credential files, decoders, MACs.
ORIGIN_TEXT = fast_search.compile(ATTACKER_INPUT_TEXT.pattern + r"|environ|getenv|keyring|b64decode|b32decode|decompress|"
                                  r"fromhex|unhexlify|decrypt|marshal|hmac|hashlib|\.ssh|\.aws|secret|token|passw")

# Methods that put their arguments into the container they are called on (`seen.append(token)`): the
# dataflow follows them into the container's name (Dataflow.mutations), and so do the site tests.
MUTATING_METHODS = frozenset({"update", "append", "extend", "add", "insert", "setdefault", "write", "writelines"})
