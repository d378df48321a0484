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


def language_for(relpath: str, head: bytes = b"") -> str:
    """The language of a file from its path and its first bytes: one of EXTENSIONS' values,
    'dockerfile', 'text' (any other text file) or 'binary'."""
    name = relpath.rsplit("/", 1)[-1]
    lower = name.lower()
    dot = lower.rfind(".")
    language = EXTENSIONS.get(lower[dot:]) if dot > 0 else None
    if language is None and (lower == "dockerfile" or lower.startswith("dockerfile.") or lower.endswith(".dockerfile")):
        language = "dockerfile"
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
