"""Which language a file is in: by name first, then by content (shebang), never by extension alone
when the content says otherwise."""
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
# Extensions of binary formats. A file named like one whose content is text was renamed or crafted:
# its content decides (issue 9), so `payload.png` holding Python is checked as Python.
BINARY_EXTENSIONS = {
    ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".ico", ".webp", ".tif", ".tiff", ".pdf", ".zip", ".gz", ".bz2",
    ".xz", ".tar", ".tgz", ".7z", ".whl", ".egg", ".jar", ".class", ".so", ".pyd", ".dll", ".dylib", ".exe",
    ".bin", ".dat", ".pyc", ".pyo", ".o", ".a", ".woff", ".woff2", ".ttf", ".otf", ".mp3", ".mp4", ".wav",
    ".ogg", ".db", ".sqlite", ".pickle", ".pkl", ".npy", ".npz",
}
# Compiled code Python or a loader can run directly: never silently skipped as binary.
COMPILED_EXTENSIONS = {".pyc", ".pyo", ".so", ".pyd", ".dll", ".dylib", ".exe"}
# Statements only Python starts a line with; used for text files without a telling name.
_PYTHON_LIKE = re.compile(
    rb"^[ \t]*(?:from[ \t]+[\w.]+[ \t]+import[ \t]|import[ \t]+[A-Za-z_]|(?:async[ \t]+)?def[ \t]+\w+[ \t]*\("
    rb"|class[ \t]+\w+[ \t]*[(:])",
    re.M,
)


def language_for(relpath: str, head: bytes = b"") -> str:
    """The language of a file from its path and its first bytes: one of EXTENSIONS' values,
    'dockerfile', 'makefile', 'text' (any other text file) or 'binary'."""
    name = relpath.rsplit("/", 1)[-1]
    lower = name.lower()
    dot = lower.rfind(".")
    language = EXTENSIONS.get(lower[dot:]) if dot > 0 else None
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
    extension = lower[dot:] if dot > 0 else ""
    if language is None and (not extension or extension in BINARY_EXTENSIONS) and _PYTHON_LIKE.search(head):
        return "python"  # no extension, or a binary one on text content: sniffed as Python
    return language or "text"
