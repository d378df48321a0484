"""Django settings for the customer portal."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "portal.example").split(",")

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "portal",
        "USER": "portal",
        "PASSWORD": "Xk29vQp7LmN3rT8wZs5Y",
        "HOST": os.environ.get("DB_HOST", "db"),
    }
}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.UnsaltedMD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

JWT_AUDIENCE = "portal"
JWT_ALGORITHMS = ("ES256", "HS512")
PARTNER_ALGORITHMS = ("ES256",)
CRM_BASE_URL = os.environ.get("CRM_BASE_URL", "https://crm.internal.example")
CRM_TOKEN = os.environ.get("CRM_TOKEN")
SMS_API_KEY = "sms_9d8f7a6b5c4e3d2f1a0b9c8d7e6f5a4b"
INTERNAL_NETWORKS = ("10.", "192.168.")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
