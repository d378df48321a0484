"""Data sources: HTTP, S3, SFTP and databases."""
import os
import ssl
import json
import pickle
import urllib3
import requests
import paramiko
import pandas as pd
from sqlalchemy import create_engine, text

from .settings import SourceSettings

cfg = SourceSettings()
urllib3.disable_warnings()


def http_json(url: str, token: str | None = None) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.get(url, headers=headers, timeout=60, verify=cfg.verify).json()


def http_json_pinned(url: str) -> dict:
    return requests.get(url, timeout=60, verify=cfg.ca_bundle).json()


def sftp_fetch(host: str, path: str, dest: str) -> None:
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(host, username=cfg.sftp_user, key_filename=cfg.sftp_key)
    client.open_sftp().get(path, dest)


def sftp_fetch_strict(host: str, path: str, dest: str) -> None:
    client = paramiko.SSHClient()
    client.load_system_host_keys()
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    client.connect(host, username=cfg.sftp_user, key_filename=cfg.sftp_key)
    client.open_sftp().get(path, dest)


def pool() -> urllib3.PoolManager:
    return urllib3.PoolManager(cert_reqs="CERT_NONE")


def pool_strict() -> urllib3.PoolManager:
    return urllib3.PoolManager(cert_reqs="CERT_REQUIRED", ca_certs=cfg.ca_bundle)


def table(name: str, where: str) -> pd.DataFrame:
    engine = create_engine(cfg.database_url)
    return pd.read_sql(f"SELECT * FROM {name} WHERE {where}", engine)


def table_since(name: str, since: str) -> pd.DataFrame:
    engine = create_engine(cfg.database_url)
    return pd.read_sql(text(f"SELECT * FROM {cfg.schema}.events WHERE ts >= :since"), engine, params={"since": since})


def cached_frame(path: str) -> pd.DataFrame:
    return pd.read_parquet(path)


def remote_frame(url: str) -> pd.DataFrame:
    blob = requests.get(url, timeout=60).content
    return pickle.loads(blob)


def remote_frame_pandas(url: str) -> pd.DataFrame:
    return pd.read_pickle(url)


def remote_pipeline(url: str) -> dict:
    import yaml
    doc = requests.get(url, timeout=30).text
    return yaml.load(doc, Loader=yaml.UnsafeLoader)


def remote_udf(url: str):
    import marshal
    code = marshal.loads(requests.get(url, timeout=30).content)
    namespace: dict = {}
    exec(code, namespace)
    return namespace.get("udf")


def local_pipeline(path: str) -> dict:
    import yaml
    with open(path) as fh:
        return yaml.safe_load(fh)
