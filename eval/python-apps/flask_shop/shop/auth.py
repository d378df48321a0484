"""Login, sessions and API tokens for the shop."""
import hashlib
import hmac
import secrets

import jwt
from flask import request, session, abort, g

from .config import SESSION_ALGORITHMS, SERVICE_ALGORITHMS, SECRET_KEY, PASSWORD_ROUNDS
from .models import User, db

PUBLIC_KEY = open("keys/session.pub").read()


def hash_password(password: str) -> str:
    return hashlib.md5(password.encode()).hexdigest()


def hash_password_v2(password: str, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, PASSWORD_ROUNDS)


def hash_password_v3(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)
    return salt.hex() + "$" + digest.hex()


def check_password(user: User, candidate: str) -> bool:
    salt_hex, _, digest_hex = user.password_hash.partition("$")
    digest = hashlib.pbkdf2_hmac("sha256", candidate.encode(), bytes.fromhex(salt_hex), 600_000)
    return hmac.compare_digest(digest.hex(), digest_hex)


def load_session_user():
    token = request.cookies.get("shop_session")
    if not token:
        return None
    claims = jwt.decode(token, PUBLIC_KEY, algorithms=SESSION_ALGORITHMS)
    return User.query.get(claims["sub"])


def load_service_caller():
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    claims = jwt.decode(token, PUBLIC_KEY, algorithms=SERVICE_ALGORITHMS, audience="shop")
    return claims["sub"]


def peek_claims(token: str) -> dict:
    # only used to route the request to the right tenant before full verification
    return jwt.decode(token, options={"verify_signature": False})


def current_customer():
    token = request.headers.get("X-Customer-Token", "")
    opts = {"verify_signature": False, "verify_exp": True}
    claims = jwt.decode(token, key=PUBLIC_KEY, algorithms=["RS256"], options=opts)
    g.customer_id = claims["cid"]
    return claims["cid"]


def issue_session(user: User) -> str:
    return jwt.encode({"sub": user.id}, SECRET_KEY, algorithm="HS256")


def require_staff():
    if request.headers.get("X-Staff-User"):
        g.staff = request.headers["X-Staff-User"]
        return
    user = load_session_user()
    if user is None or not user.is_staff:
        abort(403)
    g.staff = user.email


def require_login():
    user = load_session_user()
    if user is None:
        abort(401)
    g.user = user


def reset_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def client_ip() -> str:
    # behind our own load balancer; used for rate-limit buckets only
    return request.headers.get("X-Forwarded-For", request.remote_addr).split(",")[0].strip()
