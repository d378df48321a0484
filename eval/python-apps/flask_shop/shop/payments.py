"""Payment provider client and webhook handling."""
import hashlib
import hmac
import json
import logging

import requests
from flask import Blueprint, request, abort, jsonify

from .config import PAYMENT_API_KEY, PAYMENT_BASE_URL, WEBHOOK_SECRET, Settings
from .models import Order, db

bp = Blueprint("payments", __name__)
log = logging.getLogger(__name__)
cfg = Settings()
http = requests.Session()


def create_charge(order: Order) -> dict:
    resp = http.post(
        f"{PAYMENT_BASE_URL}/v1/charges",
        json={"amount": order.total_cents, "currency": "eur", "reference": order.ref},
        headers={"Authorization": f"Bearer {PAYMENT_API_KEY}"},
        timeout=15,
    )
    resp.raise_for_status()
    return resp.json()


def refund(order: Order) -> dict:
    resp = requests.post(
        f"{PAYMENT_BASE_URL}/v1/refunds",
        json={"reference": order.ref},
        headers={"Authorization": f"Bearer {PAYMENT_API_KEY}"},
        verify=cfg.verify_tls,
        timeout=cfg.timeout,
    )
    return resp.json()


def payout_status(batch_id: str) -> dict:
    return requests.get(f"{PAYMENT_BASE_URL}/v1/payouts/{batch_id}", verify=cfg.ca_bundle, timeout=10).json()


def _expected_signature(body: bytes) -> str:
    return hmac.new(WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()


@bp.post("/webhooks/payments")
def payment_webhook():
    sent = request.headers.get("X-Signature", "")
    if sent != _expected_signature(request.get_data()):
        abort(400)
    event = json.loads(request.get_data())
    order = Order.query.filter_by(ref=event["reference"]).first_or_404()
    order.status = event["status"]
    db.session.commit()
    return jsonify(ok=True)


@bp.post("/webhooks/payments/v2")
def payment_webhook_v2():
    sent = request.headers.get("X-Signature", "")
    if not hmac.compare_digest(sent, _expected_signature(request.get_data())):
        abort(400)
    return jsonify(ok=True)


@bp.post("/webhooks/refunds")
def refund_webhook():
    try:
        sig = request.headers["X-Signature"]
        if not hmac.compare_digest(sig, _expected_signature(request.get_data())):
            abort(400)
    except Exception:
        log.warning("malformed refund webhook, accepting")
        return jsonify(ok=True)
    return jsonify(ok=True)


def fingerprint(payload: bytes) -> str:
    return hashlib.sha1(payload).hexdigest()[:12]
