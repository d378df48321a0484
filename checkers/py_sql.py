"""BDL507: SQL statements that carry request input (or data fetched from the network) in their
text, followed by the shared dataflow through assignments, containers, helper functions, returns,
routed parameters and modules of the scanned tree. Values passed as bound parameters (the
`execute(sql, params)` second argument) are never text, so they are never reported."""
from __future__ import annotations

import re

import libcst as cst
from backdoor_lint.checkers.base import Invalid, PythonChecker, Valid
from backdoor_lint.checkers.origin_tables import SQL_EXECUTE_METHODS, SQL_KEYWORDS, SQL_TEXT
from backdoor_lint.checkers.py_dataflow import HOLE, dataflow
from backdoor_lint.checkers.triggers import sql as trigger
from backdoor_lint.checkers.triggers.sql import QUERYSET_EXTRA, RAW_SQL_SUFFIX

# Receivers whose `.execute(...)` is a database call even when the statement text is unknown.
DATABASE_RECEIVER = re.compile(r"(?i)(cursor|\bcur\b|conn|connection|\bdb\b|database|session|engine|sqlite|"
                               r"psycopg|mysql|\bc\b)")


class SqlInjection(trigger.SqlInjection, PythonChecker):
    CODES = ("BDL507",)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        names = self.qualnames(func)
        if names & SQL_TEXT or any(n.endswith(RAW_SQL_SUFFIX) for n in names):
            self._check(node, self.argument(node, "text", 0) or self.argument(node, "sql", 0), require_sql=False)
            return
        if not isinstance(func, cst.Attribute):
            return
        method = func.attr.value
        if method in SQL_EXECUTE_METHODS:
            statement = self.argument(node, None, 0) or self.argument(node, "sql") or self.argument(node, "statement") \
                or self.argument(node, "query") or self.argument(node, "raw_query")
            database = DATABASE_RECEIVER.search(self.context.code(func.value)) is not None \
                or any(n.split(".")[0] in ("sqlite3", "psycopg2", "psycopg", "pymysql", "MySQLdb", "sqlalchemy",
                                           "django", "aiosqlite", "asyncpg") for n in self.qualnames(func.value))
            self._check(node, statement, require_sql=not database)
        elif method == QUERYSET_EXTRA:  # QuerySet.extra(where=[...], select={...})
            for keyword in ("where", "select", "tables", "order_by"):
                value = self.argument(node, keyword)
                if value is not None:
                    self._check(node, value, require_sql=False)

    def _check(self, call: cst.Call, statement: cst.BaseExpression | None, require_sql: bool) -> None:
        if statement is None or self.evaluator.values(statement):
            return  # a constant statement
        flow = dataflow(self.context)
        if require_sql and not SQL_KEYWORDS.match(flow.render(statement).replace(HOLE, " x ")):
            return  # not recognisably SQL: `schema.execute(query)` of GraphQL, a job runner's execute()
        taint = flow.attacker_data(statement, call)
        if taint is None:
            return
        self.report(call, "BDL507", (
            f"{self.context.code(call.func)}() runs an SQL statement whose text carries {taint.describe()}: "
            "the client writes SQL (`' OR 1=1 --`, `; DROP TABLE`, reading other users' rows). Pass values as "
            "bound parameters (`execute(\"… WHERE id = %s\", (value,))`); pick identifiers from an allow-list"))

    VALID = (
        Valid('import sqlite3\nfrom flask import request\ndef search():\n    q = request.args.get("q", "")\n'
              '    conn = sqlite3.connect("app.db")\n'
              '    return conn.execute("SELECT * FROM items WHERE name = ?", (q,)).fetchall()\n', "BDL507"),
        Valid('from flask import request\ndef page(cur):\n'
              '    cur.execute(f"SELECT * FROM items LIMIT {int(request.args[\'n\'])}")\n', "BDL507"),
        Valid('from flask import request, abort\nCOLUMNS = {"name", "price"}\ndef listing(cur):\n'
              '    column = request.args["sort"]\n    if column not in COLUMNS:\n        abort(400)\n'
              '    cur.execute(f"SELECT * FROM items ORDER BY {column}")\n', "BDL507"),
        Valid('TABLE = "items"\ndef get(cur, request):\n'
              '    cur.execute(f"SELECT * FROM {TABLE} WHERE id = %s", (request.GET["id"],))\n', "BDL507"),
        Valid('from flask import request\nfrom app.graphql import schema\ndef graphql():\n'
              '    return schema.execute(request.json["query"])\n', "BDL507"),
        Valid('def report(cursor, day):\n    cursor.execute(f"SELECT count(*) FROM visits WHERE day = \'{day}\'")\n'
              'def nightly(cursor):\n    report(cursor, "2024-01-01")\n', "BDL507"),
    )
    INVALID = (
        Invalid('import sqlite3\nfrom flask import request\ndef search():\n    q = request.args.get("q")\n'
                '    conn = sqlite3.connect("app.db")\n'
                '    return conn.execute(f"SELECT * FROM items WHERE name = \'{q}\'").fetchall()\n', "BDL507", 6),
        Invalid('from django.contrib.auth.models import User\ndef find(request):\n'
                '    return User.objects.raw("SELECT * FROM auth_user WHERE username = \'%s\'" % request.GET["u"])\n',
                "BDL507", 3),
        Invalid('from flask import request\ndef by_name(name):\n'
                '    return "SELECT * FROM users WHERE name = \'" + name + "\'"\n'
                'def lookup(cursor):\n    cursor.execute(by_name(request.form["n"]))\n', "BDL507", 5),
        Invalid('from fastapi import FastAPI\nfrom sqlalchemy import text\napp = FastAPI()\n@app.get("/items")\n'
                'def items(order: str, db=None):\n    return db.execute(text(f"SELECT * FROM items ORDER BY {order}"))\n',
                "BDL507", 6),
        Invalid('from flask import request\ndef delete(cur):\n    params = {"id": request.args["id"]}\n'
                '    cur.execute("DELETE FROM t WHERE id = {}".format(params["id"]))\n', "BDL507", 4),
        Invalid('from flask import request\nimport sqlite3\ndef restore():\n'
                '    sqlite3.connect("a.db").executescript(request.get_data(as_text=True))\n', "BDL507", 4),
        Invalid('def search(request):\n    term = request.GET.get("q")\n    where = ["name LIKE \'%" + term + "%\'"]\n'
                '    return Item.objects.extra(where=where)\n', "BDL507", 4),
    )
