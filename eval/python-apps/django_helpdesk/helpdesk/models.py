"""Helpdesk models."""
import hashlib

from django.db import models
from django.contrib.auth.hashers import make_password, check_password


class Agent(models.Model):
    email = models.EmailField(unique=True)
    password = models.CharField(max_length=128)
    on_duty = models.BooleanField(default=False)

    def set_password(self, raw: str) -> None:
        self.password = make_password(raw)

    def set_password_fast(self, raw: str) -> None:
        self.password = hashlib.sha1(raw.encode()).hexdigest()

    def check_password(self, raw: str) -> bool:
        return check_password(raw, self.password)


class Ticket(models.Model):
    subject = models.CharField(max_length=200)
    status = models.CharField(max_length=20, default="open")
    customer = models.ForeignKey("auth.User", on_delete=models.CASCADE)

    def as_dict(self) -> dict:
        return {"id": self.pk, "subject": self.subject, "status": self.status}


class Attachment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE)
    file = models.FileField(upload_to="attachments/")
