"""Relay configuration."""
import os
import json

INTERNAL_URL = os.environ.get("RELAY_INTERNAL_URL", "http://events.internal:8080")
PARTNERS = json.loads(os.environ.get("RELAY_PARTNERS", "{}"))


class RelayConf:
    def __init__(self):
        self.internal_ca = os.environ.get("RELAY_INTERNAL_CA", "/etc/relay/ca.pem")
        self.debug = False
