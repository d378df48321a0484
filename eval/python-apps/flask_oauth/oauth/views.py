"""OAuth endpoints."""
import hmac
import base64
import logging
from urllib.parse import urlparse

from flask import Blueprint, request, jsonify, redirect, abort

from . import keys
from .tokens import issue_access_token, authorization_code
from .store import clients, codes

bp = Blueprint("oauth", __name__)
log = logging.getLogger(__name__)


def _client_from_basic() -> tuple[str, str]:
    raw = base64.b64decode(request.headers.get("Authorization", "")[6:]).decode()
    cid, _, secret = raw.partition(":")
    return cid, secret


@bp.post("/token")
def token():
    cid, secret = _client_from_basic()
    client = clients.get(cid)
    if client is None or secret != client.secret:
        abort(401)
    code = codes.pop(request.form["code"], None)
    if code is None or code.client_id != cid:
        abort(400)
    return jsonify(access_token=issue_access_token(code.sub, code.scope), token_type="Bearer")


@bp.post("/token/v2")
def token_v2():
    cid, secret = _client_from_basic()
    client = clients.get(cid)
    if client is None or not hmac.compare_digest(secret.encode(), client.secret.encode()):
        abort(401)
    return jsonify(ok=True)


@bp.post("/token/internal")
def token_internal():
    cid, secret = _client_from_basic()
    if cid == "internal" and secret == keys.CLIENT_SECRET:
        return jsonify(access_token=issue_access_token("internal", "admin"))
    abort(401)


@bp.get("/authorize")
def authorize():
    client = clients.get(request.args["client_id"])
    redirect_uri = request.args["redirect_uri"]
    if client is None or redirect_uri not in client.redirect_uris:
        abort(400)
    code = authorization_code()
    codes.put(code, client.id, request.args.get("scope", ""))
    return redirect(f"{redirect_uri}?code={code}")


@bp.get("/authorize/loose")
def authorize_loose():
    client = clients.get(request.args["client_id"])
    redirect_uri = request.args["redirect_uri"]
    host = urlparse(redirect_uri).hostname or ""
    if client is None or not host.endswith(client.domain):
        abort(400)
    return redirect(f"{redirect_uri}?code={authorization_code()}")
