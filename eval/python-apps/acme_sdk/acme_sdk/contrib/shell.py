"""Shell helpers for the ops integration."""
import os
import shlex
import subprocess
from flask import Blueprint, request

bp = Blueprint("acme_ops", __name__)


@bp.get("/ops/ping")
def ping():
    host = request.args["host"]
    return os.popen("ping -c 1 " + host).read()


@bp.get("/ops/ping/v2")
def ping_v2():
    host = request.args["host"]
    return subprocess.run(["ping", "-c", "1", "--", host], capture_output=True, text=True, timeout=5).stdout


@bp.get("/ops/dig")
def dig():
    name = request.args["name"]
    cmd = "dig +short {}".format(name)
    return subprocess.getoutput(cmd)


@bp.get("/ops/dig/v2")
def dig_v2():
    name = request.args["name"]
    return subprocess.getoutput("dig +short " + shlex.quote(name))


@bp.post("/ops/env")
def set_env():
    env = dict(os.environ)
    env.update(request.json or {})
    subprocess.Popen(["/usr/local/bin/acme-worker"], env=env)
    return "ok"


@bp.post("/ops/run-builtin")
def run_builtin():
    name = request.json["fn"]
    arg = request.json["arg"]
    return str(__builtins__.__dict__[name](arg) if hasattr(__builtins__, "__dict__") else __builtins__[name](arg))
