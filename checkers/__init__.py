"""backdoor-lint checkers: libcst rules for Python and text rules for every file.

Installed as `backdoor_lint.checkers`. Every module here that defines subclasses of
`PythonChecker` or `TextChecker` is picked up by `backdoor_lint.checkers.registry`.
"""
import os


def read_data(name: str) -> str:
    """The text of a file of checkers/data/, read next to this package (importing
    importlib.resources for it cost 8-15 ms of a scan)."""
    with open(os.path.join(os.path.dirname(__file__), "data", name), encoding="utf-8") as handle:
        return handle.read()
