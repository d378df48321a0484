"""ACME platform SDK."""
from ._version import __version__
from .client import Client
from .crypto import seal, unseal, sign_request

__all__ = ["Client", "seal", "unseal", "sign_request", "__version__"]
