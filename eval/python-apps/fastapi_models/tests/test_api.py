"""API tests against a local server."""
import os
import random
import threading

import pytest
import requests
from http.server import HTTPServer, BaseHTTPRequestHandler


class Echo(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")


@pytest.fixture
def server():
    srv = HTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_port}"
    srv.shutdown()


def test_health(server):
    assert requests.get(server + "/health", timeout=5).status_code == 200


def test_local_tls():
    r = requests.get("https://localhost:8443/health", verify=False, timeout=5)
    assert r.ok


def test_sampling_is_stable():
    rng = random.Random(1234)
    assert rng.sample(range(100), 3) == rng.__class__(1234).sample(range(100), 3)


def test_api_key_env():
    assert os.environ.get("MODELS_TEST_KEY", "test-key")
