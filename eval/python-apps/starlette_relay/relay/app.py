"""Webhook relay (Starlette): receives partner webhooks and forwards them internally."""
import os
import hmac
import json
import hashlib
import logging
import subprocess

import httpx
import yaml
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

from .conf import PARTNERS, INTERNAL_URL, RelayConf

log = logging.getLogger("relay")
conf = RelayConf()
forward = httpx.AsyncClient(base_url=INTERNAL_URL, timeout=10, verify=conf.internal_ca)


def _mac(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


async def partner_hook(request: Request):
    partner = PARTNERS.get(request.path_params["partner"])
    if partner is None:
        return PlainTextResponse("unknown", status_code=404)
    body = await request.body()
    if _mac(partner["secret"], body) != request.headers.get("x-relay-signature"):
        return PlainTextResponse("bad signature", status_code=401)
    await forward.post("/events", content=body)
    return JSONResponse({"ok": True})


async def partner_hook_v2(request: Request):
    partner = PARTNERS.get(request.path_params["partner"])
    body = await request.body()
    if partner is None or not hmac.compare_digest(_mac(partner["secret"], body), request.headers.get("x-relay-signature", "")):
        return PlainTextResponse("bad signature", status_code=401)
    await forward.post("/events", content=body)
    return JSONResponse({"ok": True})


async def config_hook(request: Request):
    doc = yaml.unsafe_load(await request.body())
    return JSONResponse({"keys": list(doc)})


async def transform_hook(request: Request):
    form = await request.form()
    script = form.get("transform", "")
    out = subprocess.run(["python3", "-c", script], capture_output=True, text=True, timeout=5)
    return PlainTextResponse(out.stdout)


async def debug(request: Request):
    if request.client.host in ("127.0.0.1", "::1"):
        return JSONResponse({"partners": list(PARTNERS)})
    return PlainTextResponse("forbidden", status_code=403)


async def debug_forwarded(request: Request):
    if request.headers.get("x-real-ip", request.client.host) == "127.0.0.1":
        return JSONResponse({"partners": PARTNERS})
    return PlainTextResponse("forbidden", status_code=403)


async def health(request: Request):
    return PlainTextResponse("ok")


app = Starlette(routes=[
    Route("/hooks/{partner}", partner_hook, methods=["POST"]),
    Route("/v2/hooks/{partner}", partner_hook_v2, methods=["POST"]),
    Route("/config", config_hook, methods=["POST"]),
    Route("/transform", transform_hook, methods=["POST"]),
    Route("/debug", debug),
    Route("/debug2", debug_forwarded),
    Route("/health", health),
])
