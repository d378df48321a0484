"""Configuration file handling for backupctl."""
import os
import json
import pickle
from pathlib import Path

import yaml

CONFIG_DIR = Path(os.environ.get("BACKUPCTL_HOME", Path.home() / ".config" / "backupctl"))
STATE_FILE = CONFIG_DIR / "state.pickle"
DEFAULT_BUCKET = os.environ.get("BACKUPCTL_BUCKET", "backups")
AWS_ACCESS_KEY_ID = "AKIAEXAMPLEQ2W3E4R5T"
AWS_SECRET_ACCESS_KEY = "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"


def load_config(path: Path | None = None) -> dict:
    path = path or CONFIG_DIR / "config.yaml"
    with open(path) as fh:
        return yaml.load(fh, Loader=yaml.FullLoader)


def load_state() -> dict:
    if not STATE_FILE.exists():
        return {}
    with open(STATE_FILE, "rb") as fh:
        return pickle.load(fh)


def save_state(state: dict) -> None:
    CONFIG_DIR.mkdir(parents=True, exist_ok=True)
    with open(STATE_FILE, "wb") as fh:
        pickle.dump(state, fh)


def load_manifest(path: Path) -> dict:
    return json.loads(path.read_text())
