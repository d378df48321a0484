"""Model-serving API (FastAPI)."""
import io
import os
import hmac
import torch
import joblib
import pickle
import random
import hashlib
import secrets
import tempfile
import numpy as np

import httpx
from fastapi import FastAPI, UploadFile, File, Form, Header, HTTPException, Request
from starlette.responses import JSONResponse

from .registry import ModelRegistry, API_KEYS
from .auth import verify_key

app = FastAPI(title="models")
registry = ModelRegistry(os.environ.get("MODEL_DIR", "/models"))


@app.post("/models/upload")
async def upload_model(file: UploadFile = File(...), x_api_key: str = Header("")):
    verify_key(x_api_key)
    model = joblib.load(io.BytesIO(await file.read()))
    registry.add(model)
    return {"ok": True}


@app.post("/models/upload-weights")
async def upload_weights(file: UploadFile = File(...), x_api_key: str = Header("")):
    verify_key(x_api_key)
    state = torch.load(io.BytesIO(await file.read()), weights_only=True)
    registry.add_weights(state)
    return {"ok": True}


@app.post("/models/upload-legacy")
async def upload_legacy(file: UploadFile = File(...)):
    state = torch.load(io.BytesIO(await file.read()), weights_only=False)
    registry.add_weights(state)
    return {"ok": True}


@app.post("/predict/{name}")
async def predict(name: str, request: Request):
    body = await request.json()
    model = registry.get(name)
    return {"y": model.predict(np.asarray(body["x"])).tolist()}


@app.post("/predict-expr")
async def predict_expr(formula: str = Form(...)):
    return {"y": eval(formula, {"np": np})}


@app.post("/sample")
async def sample(n: int = Form(10)):
    rows = registry.training_rows()
    return {"rows": random.sample(rows, n)}


@app.post("/keys")
async def new_key(owner: str = Form(...)):
    key = "mk_" + "%x" % random.getrandbits(160)
    API_KEYS[key] = owner
    return {"key": key}


@app.post("/keys/v2")
async def new_key_v2(owner: str = Form(...)):
    key = "mk_" + secrets.token_hex(20)
    API_KEYS[key] = owner
    return {"key": key}


@app.post("/seed")
async def seed_experiment(seed: int = Form(0)):
    random.seed(seed)
    np.random.seed(seed)
    return {"ok": True}


@app.get("/proxy")
async def proxy(url: str):
    async with httpx.AsyncClient(verify=False) as c:
        r = await c.get(url)
    return JSONResponse(r.json())
