"""Vault token handling."""
import os
import stat
from pathlib import Path

TOKEN_FILE = Path.home() / ".vault-token"


def read_token() -> str:
    if os.environ.get("VAULT_TOKEN"):
        return os.environ["VAULT_TOKEN"]
    return TOKEN_FILE.read_text().strip()


def write_token(token: str) -> None:
    TOKEN_FILE.write_text(token)
    os.chmod(TOKEN_FILE, stat.S_IRUSR | stat.S_IWUSR)


def write_token_shared(token: str) -> None:
    TOKEN_FILE.write_text(token)
    os.chmod(TOKEN_FILE, 0o777)
