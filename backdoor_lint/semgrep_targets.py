"""Which files the semgrep engine takes, and under which name semgrep must see them. Kept apart
from the runner (backdoor_lint.semgrep_runner) so that a scan whose files semgrep has no rules for
(a Python-only pre-commit run) never imports the semgrep glue."""
from __future__ import annotations

from pathlib import PurePosixPath

# backdoor-lint language -> (semgrep language, file name semgrep recognises it by)
SEMGREP_LANG = {
    "javascript": ("javascript", (".js", ".mjs", ".cjs", ".jsx")),
    "typescript": ("typescript", (".ts", ".tsx")),
    "go": ("go", (".go",)),
    "java": ("java", (".java",)),
    "bash": ("bash", (".sh", ".bash")),
    "yaml": ("yaml", (".yml", ".yaml")),
    "json": ("json", (".json",)),
    "dockerfile": ("dockerfile", ()),
}
# Names semgrep's language detection leaves out (`excluded_exts` in its lang.json): its fast path
# (`--experimental`) then skips the file silently, and rescanning it with the plain CLI costs a
# second semgrep start-up (about 4 CPU seconds) per scan. Such files are staged under another name.
EXCLUDED_SUFFIXES = {"javascript": (".min.js",), "typescript": (".d.ts",)}


def wanted(display: str, language: str) -> bool:
    """Does a file of this language and name have semgrep rules?"""
    if language not in SEMGREP_LANG:
        return False
    if language == "yaml":
        return is_workflow(display)
    if language == "json":
        return PurePosixPath(display).name == "package.json"
    return True


def is_workflow(display: str) -> bool:
    parts = PurePosixPath(display).parts
    return any(parts[i] == ".github" and parts[i + 1] == "workflows" for i in range(len(parts) - 2))


def recognised(display: str, language: str) -> bool:
    """Would semgrep pick the right parser for this file by its name alone (and scan it)?"""
    name = PurePosixPath(display).name
    if language == "dockerfile":
        return name in ("Dockerfile", "dockerfile") or name.endswith(".dockerfile")
    if language == "yaml":
        return False  # workflows are always staged under the name the workflow rules include
    if name.endswith(EXCLUDED_SUFFIXES.get(language, ())):
        return False
    return name.endswith(SEMGREP_LANG[language][1])
