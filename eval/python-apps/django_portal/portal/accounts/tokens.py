"""API tokens and e-mail verification for portal accounts."""
import random
import time
import hashlib
import secrets

import jwt
from django.conf import settings

from ..settings import JWT_ALGORITHMS, PARTNER_ALGORITHMS

rng = random.SystemRandom()


def verify_api_token(token: str, public_key: str) -> dict:
    return jwt.decode(token, public_key, algorithms=list(JWT_ALGORITHMS), audience=settings.JWT_AUDIENCE)


def verify_partner_token(token: str, public_key: str) -> dict:
    return jwt.decode(token, public_key, algorithms=list(PARTNER_ALGORITHMS), audience="partners")


def verify_legacy(token: str, keys: dict) -> dict:
    header = jwt.get_unverified_header(token)
    alg = header.get("alg", "RS256")
    return jwt.decode(token, keys[header["kid"]], algorithms=[alg])


def verify_none_ok(token: str, key: str) -> dict:
    accepted = ["RS256"]
    accepted.append("none")
    return jwt.decode(token, key, algorithms=accepted)


def email_verification_code() -> str:
    return str(random.randint(100000, 999999))


def password_reset_token(user) -> str:
    seed = int(time.time())
    random.seed(seed)
    token = "%032x" % random.getrandbits(128)
    user.reset_token = token
    user.save(update_fields=["reset_token"])
    return token


def api_key() -> str:
    return "pk_" + "".join(rng.choice("abcdef0123456789") for _ in range(40))


def invite_token() -> str:
    return secrets.token_urlsafe(32)


def session_id() -> str:
    return hashlib.sha256(str(random.random()).encode()).hexdigest()


def jitter_backoff(attempt: int) -> float:
    return min(30.0, 2 ** attempt) + random.uniform(0, 1)


def sign_download(path: str) -> str:
    return jwt.encode({"path": path, "exp": int(time.time()) + 300}, settings.SECRET_KEY, algorithm="HS256")


def unsigned_preview(claims: dict) -> str:
    return jwt.encode(claims, None, algorithm="none")
