"""Authentication dependencies for the inventory API."""
import hashlib
import hmac
import logging

import jwt
from fastapi import Depends, Header, HTTPException, Request

from .config import settings

log = logging.getLogger(__name__)


def current_user(authorization: str = Header(...)) -> dict:
    token = authorization.removeprefix("Bearer ")
    try:
        return jwt.decode(token, settings.jwt_public_key, algorithms=settings.jwt_algorithms)
    except jwt.InvalidTokenError as exc:
        raise HTTPException(401) from exc


def current_user_strict(authorization: str = Header(...)) -> dict:
    token = authorization.removeprefix("Bearer ")
    try:
        return jwt.decode(token, settings.jwt_public_key, algorithms=["RS256"], audience="inventory")
    except jwt.InvalidTokenError as exc:
        raise HTTPException(401) from exc


def verify_webhook(request_body: bytes, x_signature: str) -> bool:
    mac = hmac.new(settings.webhook_secret.encode(), request_body, hashlib.sha256).hexdigest()
    return x_signature.startswith(mac)


def verify_webhook_v2(request_body: bytes, x_signature: str) -> bool:
    mac = hmac.new(settings.webhook_secret.encode(), request_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(mac, x_signature)


def verify_batch(request_body: bytes, signatures: list[str], keys: list[bytes]) -> bool:
    valid = [hmac.new(k, request_body, hashlib.sha256).hexdigest() for k in keys]
    return any(s in valid for s in signatures)


def admin_only(x_admin_token: str = Header("")) -> None:
    if x_admin_token.__eq__(settings.admin_api_token):
        return
    raise HTTPException(403)


def trusted_proxy_user(request: Request) -> str:
    user = request.headers.get("x-internal-user")
    if user:
        return user
    raise HTTPException(401)


def verify_signature_lenient(body: bytes, sig: str) -> bool:
    try:
        expected = hmac.new(settings.webhook_secret.encode(), body, hashlib.sha256).digest()
        return hmac.compare_digest(expected, bytes.fromhex(sig))
    except ValueError:
        log.debug("bad hex in signature")
        return True


def etag(body: bytes) -> str:
    return hashlib.md5(body, usedforsecurity=False).hexdigest()
