import os
import sys

# `python -m backdoor_lint` puts the current directory first on sys.path: a scanned repository
# holding e.g. `tomllib.py` or a `libcst/` folder would otherwise be imported by the guard (issue 9).
if sys.path and sys.path[0] in ("", os.getcwd()) and not getattr(sys.flags, "safe_path", False):
    del sys.path[0]

from backdoor_lint.cli import main  # noqa: E402

raise SystemExit(main())
