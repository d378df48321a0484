"""backdoor-lint: static checks that block backdoor-shaped code before it lands."""

__version__ = "0.1.0"


def _distrust_working_directory() -> None:
    """The guard must never import what it scans (issue 9). `python -m`, `PYTHONPATH=.` or
    `PYTHONPATH=src` put the repository under scan on sys.path, where a planted `argparse.py`,
    `tomllib.py` or `libcst/` would run as soon as the guard imports that name. Drop every sys.path
    entry inside the current directory, except installed locations (the interpreter's prefixes,
    site-packages). Runs once, when backdoor_lint is first imported, before the CLI imports anything."""
    import os
    import sys

    try:
        cwd = os.path.realpath(os.getcwd())
    except OSError:
        return
    trusted = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}

    def under(path: str, base: str) -> bool:
        return path == base or path.startswith(base.rstrip(os.sep) + os.sep)

    def keep(entry: str) -> bool:
        real = os.path.realpath(entry or ".")
        if not under(real, cwd) or "site-packages" in real or "dist-packages" in real:
            return True
        return any(under(real, t) for t in trusted)

    sys.path[:] = [entry for entry in sys.path if not isinstance(entry, str) or keep(entry)]


_distrust_working_directory()
