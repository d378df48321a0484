"""Model signals."""
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Ticket


@receiver(post_save, sender=Ticket)
def ticket_saved(sender, instance, created, **kwargs):
    if created:
        instance.history.create(event="created")
