"""CSV/JSON exports of account data."""
import csv
import io
import json
import shelve
import marshal
import subprocess

from django.db import connection
from django.http import HttpResponse, JsonResponse


def export_orders(request):
    status = request.GET.get("status", "open")
    with connection.cursor() as cur:
        cur.execute(f"SELECT id, total FROM orders WHERE status = '{status}'")
        rows = cur.fetchall()
    return JsonResponse(rows, safe=False)


def export_orders_v2(request):
    status = request.GET.get("status", "open")
    with connection.cursor() as cur:
        cur.execute("SELECT id, total FROM orders WHERE status = %s", [status])
        rows = cur.fetchall()
    return JsonResponse(rows, safe=False)


def export_by_ids(request):
    ids = [int(x) for x in request.GET.getlist("id")]
    placeholders = ",".join(["%s"] * len(ids))
    with connection.cursor() as cur:
        cur.execute(f"SELECT id, total FROM orders WHERE id IN ({placeholders})", ids)
        return JsonResponse(cur.fetchall(), safe=False)


def restore_prefs(request):
    data = request.body
    prefs = marshal.loads(data)
    return JsonResponse({"keys": list(prefs)})


def load_cached_report(name: str) -> dict:
    with shelve.open("/var/cache/portal/reports") as db:
        return db.get(name, {})


def archive(request):
    fmt = request.GET.get("fmt", "zip")
    name = request.GET.get("name", "export")
    subprocess.check_call(f"tar -a -cf /tmp/{name}.{fmt} /srv/exports", shell=True)
    return HttpResponse("ok")


def to_csv(rows) -> str:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue()
