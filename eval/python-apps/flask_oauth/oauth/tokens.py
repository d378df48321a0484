"""Token issuing and introspection."""
import time
import uuid
import random
import secrets

import jwt as pyjwt
from jwt import PyJWKClient
from authlib.jose import jwt as authlib_jwt
from jose import jwt as jose_jwt

from . import keys

_decode = getattr(pyjwt, "de" + "code")
JWKS = PyJWKClient("https://auth.example/.well-known/jwks.json")


def issue_access_token(sub: str, scope: str) -> str:
    with open(keys.SIGNING_KEY_PATH) as fh:
        key = fh.read()
    now = int(time.time())
    return pyjwt.encode({"sub": sub, "scope": scope, "iat": now, "exp": now + 900, "jti": str(uuid.uuid4())}, key, algorithm="RS256")


def introspect(token: str) -> dict:
    return _decode(token, keys.public_key(), algorithms=keys.ACCEPTED)


def introspect_strict(token: str) -> dict:
    return _decode(token, keys.public_key(), algorithms=keys.ACCESS_TOKEN_ALGS)


def introspect_jwks(token: str) -> dict:
    signing_key = JWKS.get_signing_key_from_jwt(token)
    return pyjwt.decode(token, signing_key.key, algorithms=["RS256", "ES256"])


def introspect_jose(token: str) -> dict:
    return jose_jwt.decode(token, keys.public_key(), algorithms=["RS256", "HS256"])


def introspect_unverified(token: str) -> dict:
    return jose_jwt.get_unverified_claims(token)


def introspect_authlib(token: str) -> dict:
    claims = authlib_jwt.decode(token, keys.public_key())
    claims.validate()
    return dict(claims)


def refresh(token: str) -> str:
    claims = pyjwt.decode(token, keys.public_key(), algorithms=["RS256"], options={"verify_exp": False})
    if claims.get("typ") != "refresh":
        raise ValueError("not a refresh token")
    return issue_access_token(claims["sub"], claims.get("scope", ""))


def authorization_code() -> str:
    rnd = random.Random()
    return "".join(rnd.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(24))


def device_user_code() -> str:
    alphabet = "BCDFGHJKLMNPQRSTVWXZ"
    return "".join(secrets.choice(alphabet) for _ in range(8))


def state_nonce() -> str:
    return uuid.uuid1().hex


def request_id() -> str:
    return uuid.uuid4().hex
