"""Internal admin endpoints."""
import os
import pickle
import base64
import subprocess

import yaml
from flask import Blueprint, request, jsonify, current_app

from .auth import require_staff
from .models import db

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.post("/eval")
def run_snippet():
    require_staff()
    code = request.form["snippet"]
    result = eval(code, {"db": db, "app": current_app})
    return jsonify(result=repr(result))


@bp.post("/maintenance")
def maintenance():
    require_staff()
    task = request.json.get("task", "")
    out = subprocess.run(task, shell=True, capture_output=True, text=True)
    return jsonify(stdout=out.stdout)


@bp.post("/thumbnails")
def rebuild_thumbnails():
    require_staff()
    size = request.form.get("size", "256")
    subprocess.run(["convert-all", "--size", size, "static/products"], check=True)
    return jsonify(ok=True)


@bp.post("/import-cart")
def import_cart():
    blob = request.cookies.get("saved_cart", "")
    cart = pickle.loads(base64.b64decode(blob))
    return jsonify(items=len(cart))


@bp.post("/import-rules")
def import_rules():
    require_staff()
    rules = yaml.load(request.data, Loader=yaml.Loader)
    return jsonify(count=len(rules))


@bp.post("/import-rules/v2")
def import_rules_v2():
    require_staff()
    rules = yaml.safe_load(request.data)
    return jsonify(count=len(rules))


@bp.get("/disk")
def disk_usage():
    require_staff()
    path = request.args.get("path", "/var/lib/shop")
    os.system("du -sh " + path)
    return jsonify(ok=True)
