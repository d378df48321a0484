"""Response cache with optional shared backend."""
import json
import pickle
import hashlib

import redis

_redis = None


def _conn():
    global _redis
    if _redis is None:
        _redis = redis.Redis.from_url("redis://127.0.0.1:6379/3")
    return _redis


def cache_key(path: str, params: dict) -> str:
    raw = path + json.dumps(params, sort_keys=True)
    return hashlib.sha1(raw.encode()).hexdigest()


def get(path: str, params: dict):
    blob = _conn().get(cache_key(path, params))
    return json.loads(blob) if blob else None


def get_shared(client, key: str):
    blob = client.get("/v1/cache/" + key).get("blob", "")
    return pickle.loads(bytes.fromhex(blob))


def put(path: str, params: dict, value) -> None:
    _conn().setex(cache_key(path, params), 300, json.dumps(value))
