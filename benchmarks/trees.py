"""Pinned real source trees for the benchmarks: downloaded once from PyPI (wheels, via
`pip download --no-deps`), checked against a pinned SHA-256 and unpacked into a cache directory.

PyPI is the only source used. A wheel whose hash differs from the pin is refused: results are
only comparable over time when the trees are exactly the same bytes."""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Tree:
    name: str
    requirement: str  # exact pin passed to pip download
    wheel: str  # expected file name
    sha256: str
    package: str  # the import package inside the wheel that is scanned


TREES = [
    Tree("django", "django==5.2.19", "django-5.2.19-py3-none-any.whl",
         "5965d974a5218a2b68a11dd1276434707f23886525c23f0598eccedaf4f4ca00", "django"),
    Tree("sqlalchemy", "sqlalchemy==2.1.9", "sqlalchemy-2.1.9-py3-none-any.whl",
         "449fed5c2caa3b278cc57499d09db001fb3f28dc7f18affc48142aee4dcc0cdf", "sqlalchemy"),
    Tree("pip", "pip==26.3", "pip-26.3-py3-none-any.whl",
         "f3b60b20ffaadd4415ed7957212a38ac63fa4c5fa375bd0f4a797777940fad13", "pip"),
    Tree("flask", "flask==3.1.3", "flask-3.1.3-py3-none-any.whl",
         "f4bcbefc124291925f1a26446da31a5178f9483862233b23c0c96a20701f670c", "flask"),
    Tree("requests", "requests==2.34.2", "requests-2.34.2-py3-none-any.whl",
         "2a0d60c172f83ac6ab31e4554906c0f3b3588d37b5cb939b1c061f4907e278e0", "requests"),
    Tree("urllib3", "urllib3==2.8.0", "urllib3-2.8.0-py3-none-any.whl",
         "0cf3cae568d36aa9576b28dfb35f11328f1cb974ca7647d9475ebb86c75ac6e3", "urllib3"),
    Tree("pyjwt", "pyjwt==2.15.1", "pyjwt-2.15.1-py3-none-any.whl",
         "42d59d631f7768a1028a64c7ff581a9bf7519804daf91fc5b6c56e30eec5e193", "jwt"),
]
BY_NAME = {t.name: t for t in TREES}


def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "backdoor-lint-bench"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(tree: Tree, cache: Path, log=print) -> Path:
    """The unpacked package directory of `tree` (e.g. <cache>/trees/django-5.2.19/django)."""
    root = cache / "trees" / tree.wheel.removesuffix(".whl")
    package = root / tree.package
    if (root / ".complete").is_file():
        return package
    downloads = cache / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    wheel = downloads / tree.wheel
    if not wheel.is_file():
        log(f"downloading {tree.requirement} from PyPI ...")
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
                   "--platform", "any", "--python-version", "3.11", "--implementation", "py",
                   "--disable-pip-version-check", "-q", "-d", str(downloads), tree.requirement]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0 or not wheel.is_file():
            raise SystemExit(f"cannot download {tree.requirement}: {done.stderr.strip()[-500:]}")
    actual = _sha256(wheel)
    if actual != tree.sha256:
        raise SystemExit(f"{wheel}: sha256 {actual} does not match the pin {tree.sha256}; delete it and retry")
    tmp = root.with_name(root.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(tmp)
    shutil.rmtree(root, ignore_errors=True)
    os.replace(tmp, root)
    (root / ".complete").write_text(tree.sha256)
    return package


def python_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*.py") if p.is_file())


def count_lines(files: list[Path]) -> int:
    total = 0
    for path in files:
        with open(path, "rb") as handle:
            total += handle.read().count(b"\n")
    return total
