"""Which language a file is in: by its extension or a known file name, then by a shebang. Content is
read for nothing else: a file with no telling name and no shebang is text (issue 18: a wheel's
METADATA with a code sample is not Python), whose text rules still run."""
from __future__ import annotations

import re

EXTENSIONS = {
    ".py": "python", ".pyi": "python", ".pyw": "python",
    ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".jsx": "javascript",
    ".ts": "typescript", ".tsx": "typescript", ".mts": "typescript", ".cts": "typescript",
    ".go": "go",
    ".java": "java",
    ".sh": "bash", ".bash": "bash", ".zsh": "bash", ".ksh": "bash",
    ".yml": "yaml", ".yaml": "yaml",
    ".json": "json",
    ".pth": "pth",
    # translation catalogues: right-to-left text and its marks belong here
    ".po": "translation", ".pot": "translation", ".xlf": "translation", ".xliff": "translation",
}
SOURCE_LANGUAGES = {"python", "javascript", "typescript", "go", "java", "bash", "pth"}

_SHEBANG = re.compile(rb"^#![^\n]*?\b(python[0-9.]*|node|bash|sh|zsh|ksh|dash)\b")
_SHEBANG_LANG = {b"node": "javascript"}
# Compiled code Python or a loader can run directly: never silently skipped as binary.
COMPILED_EXTENSIONS = {".pyc", ".pyo", ".so", ".pyd", ".dll", ".dylib", ".exe"}
# File names without a telling extension that name a language's build or config script.
FILE_NAMES = {"sconstruct": "python", "sconscript": "python", "wscript": "python"}


def language_for(relpath: str, head: bytes = b"") -> str:
    """The language of a file from its path and its first bytes: one of EXTENSIONS' values,
    'dockerfile', 'makefile', 'text' (any other text file) or 'binary'."""
    name = relpath.rsplit("/", 1)[-1]
    lower = name.lower()
    dot = lower.rfind(".")
    language = EXTENSIONS.get(lower[dot:]) if dot > 0 else FILE_NAMES.get(lower)
    if language is None and (lower == "dockerfile" or lower.startswith("dockerfile.") or lower.endswith(".dockerfile")):
        language = "dockerfile"
    if language is None and (lower in ("makefile", "gnumakefile") or lower.endswith(".mk")):
        language = "makefile"  # recipes are shell (checkers/text_embedded_shell.py)
    if language is None:
        match = _SHEBANG.match(head)
        if match:
            interpreter = match.group(1)
            language = "python" if interpreter.startswith(b"python") else _SHEBANG_LANG.get(interpreter, "bash")
    if language in SOURCE_LANGUAGES:
        return language  # a NUL byte in a .py file is a parse failure to report, not a reason to skip
    if b"\0" in head[:8192]:
        return "binary"
    return language or "text"
