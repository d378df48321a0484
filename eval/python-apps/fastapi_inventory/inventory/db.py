"""Tiny async database helper."""
from databases import Database

from .config import settings

database = Database(settings.database_url)


async def fetch_all(sql: str, values: dict | None = None):
    return await database.fetch_all(sql, values or {})
