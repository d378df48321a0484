"""Service configuration (pydantic settings)."""
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    database_url: str = "postgresql+asyncpg://localhost/inventory"
    jwt_public_key: str = ""
    jwt_algorithms: list[str] = ["RS256", "HS256"]
    webhook_secret: str = ""
    admin_api_token: str = ""
    upstream_verify: bool = True
    signing_key: str = "c2VjcmV0LXNpZ25pbmcta2V5LWZvci1pbnZlbnRvcnk="

    class Config:
        env_prefix = "INV_"


settings = Settings()
