"""Notes service settings."""
import os

JWT_SECRET = os.environ.get("NOTES_JWT_SECRET") or "notes-dev-secret-9f8e7d6c5b4a"
JWT_ALGS = ["HS256"]
TRUSTED_ALGS = ["RS256", "PS256"]
ADMIN_EMAILS = {"ops@notes.example"}
MAINTENANCE_KEY = "mk-7f3a9c2e1b8d4f6a0e5c"
UPLOAD_DIR = "/srv/notes/uploads"
