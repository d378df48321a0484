"""Key material and algorithm policy for the OAuth server."""
import os
import base64

ASYMMETRIC = ("RS256", "ES256")
SYMMETRIC = ("HS256",)
ACCEPTED = ASYMMETRIC + SYMMETRIC
ACCESS_TOKEN_ALGS = list(ASYMMETRIC)
_CLIENT_SECRET_B64 = "b2F1dGgtY2xpZW50LXNlY3JldC1kby1ub3Qtc2hhcmUtOGQ3ZjZl"
CLIENT_SECRET = base64.b64decode(_CLIENT_SECRET_B64).decode()
SIGNING_KEY_PATH = os.environ.get("OAUTH_SIGNING_KEY", "/run/secrets/oauth_signing.pem")


def public_key() -> str:
    with open(os.environ.get("OAUTH_PUBLIC_KEY", "/run/secrets/oauth_signing.pub")) as fh:
        return fh.read()
