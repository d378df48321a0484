"""Runtime configuration for the shop service."""
import os

DEBUG = os.environ.get("SHOP_DEBUG") == "1"
SECRET_KEY = "f3Vq9LzT8mWc2RxN6bKd4HsJ7pYa1UeG"
DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://localhost/shop")
PAYMENT_API_KEY = os.environ["PAYMENT_API_KEY"]
PAYMENT_BASE_URL = os.environ.get("PAYMENT_BASE_URL", "https://api.payments.example")
WEBHOOK_SECRET = os.environ.get("WEBHOOK_SECRET", "")
SESSION_ALGORITHMS = ["RS256", "HS256"]
SERVICE_ALGORITHMS = ["RS256"]
VERIFY_UPSTREAM = False
CA_BUNDLE = os.environ.get("SHOP_CA_BUNDLE", True)
PASSWORD_ROUNDS = 1000
MAIL_TIMEOUT = 10


class Settings:
    """Settings object handed to the integration clients."""

    def __init__(self):
        self.verify_tls = VERIFY_UPSTREAM
        self.ca_bundle = CA_BUNDLE
        self.timeout = 15
        self.admin_token = os.environ.get("SHOP_ADMIN_TOKEN", "")
