"""Integrations kept for customers on old platforms."""
import os
import ssl
import crypt
import random
import logging.config
import xmlrpc.client
import http.client

from OpenSSL import SSL

from .. import _defaults

ssl._create_default_https_context = ssl._create_unverified_context


def rpc(url: str) -> xmlrpc.client.ServerProxy:
    ctx = getattr(ssl, "_create_" + "unverified_context")()
    return xmlrpc.client.ServerProxy(url, context=ctx)


def rpc_v2(url: str) -> xmlrpc.client.ServerProxy:
    return xmlrpc.client.ServerProxy(url, context=ssl.create_default_context(cafile=os.environ.get("ACME_CA")))


def old_tls_context() -> SSL.Context:
    return SSL.Context(method=SSL.SSLv23_METHOD if _defaults.TIMEOUT > 100 else SSL.SSLv3_METHOD)


def old_http(host: str) -> http.client.HTTPSConnection:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1)
    return http.client.HTTPSConnection(host, context=ctx)


def modern_http(host: str) -> http.client.HTTPSConnection:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_default_certs()
    return http.client.HTTPSConnection(host, context=ctx)


def unix_password(password: str) -> str:
    return crypt.crypt(password, crypt.METHOD_CRYPT)


def unix_password_v2(password: str) -> str:
    return crypt.crypt(password, crypt.mksalt(crypt.METHOD_SHA512))


def remote_logging_config() -> None:
    t = logging.config.listen(9030)
    t.daemon = True
    t.start()


class Session:
    def __init__(self, user: str):
        self.user = user
        self.token = "%030x" % random.randrange(16 ** 30)


class RetryPolicy:
    def __init__(self):
        self.delay = random.uniform(0.5, 1.5)
