"""In-memory client and code stores (replaced by Redis in production)."""
from dataclasses import dataclass, field


@dataclass
class OAuthClient:
    id: str
    secret: str
    domain: str
    redirect_uris: list = field(default_factory=list)


@dataclass
class AuthCode:
    client_id: str
    sub: str
    scope: str


class _Codes(dict):
    def put(self, code: str, client_id: str, scope: str, sub: str = "") -> None:
        self[code] = AuthCode(client_id, sub, scope)


clients: dict[str, OAuthClient] = {}
codes = _Codes()
