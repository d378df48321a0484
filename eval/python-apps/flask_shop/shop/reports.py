"""Sales reports (raw SQL for speed)."""
from flask import Blueprint, request, jsonify
from sqlalchemy import text

from .models import db

bp = Blueprint("reports", __name__, url_prefix="/reports")


def _where_for(region: str) -> str:
    return f"WHERE region = '{region}'"


@bp.get("/sales")
def sales():
    region = request.args.get("region", "eu")
    rows = db.session.execute(text("SELECT day, SUM(total) FROM orders " + _where_for(region) + " GROUP BY day"))
    return jsonify([list(r) for r in rows])


@bp.get("/sales/v2")
def sales_v2():
    region = request.args.get("region", "eu")
    rows = db.session.execute(text("SELECT day, SUM(total) FROM orders WHERE region = :r GROUP BY day"), {"r": region})
    return jsonify([list(r) for r in rows])


@bp.get("/customers")
def customers():
    q = request.args.get("q", "")
    cur = db.session.connection().connection.cursor()
    cur.execute("SELECT id, email FROM customers WHERE email LIKE '%%%s%%'" % q)
    return jsonify(cur.fetchall())


@bp.get("/customers/v2")
def customers_v2():
    q = request.args.get("q", "")
    cur = db.session.connection().connection.cursor()
    cur.execute("SELECT id, email FROM customers WHERE email LIKE %s", (f"%{q}%",))
    return jsonify(cur.fetchall())


ALLOWED_SORT = {"day": "day", "total": "total"}


@bp.get("/top")
def top():
    column = ALLOWED_SORT.get(request.args.get("sort"), "day")
    rows = db.session.execute(text(f"SELECT day, total FROM daily ORDER BY {column} DESC LIMIT 20"))
    return jsonify([list(r) for r in rows])
