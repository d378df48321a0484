"""Which files the semgrep engine takes, and under which name semgrep must see them. Kept apart
from the runner (backdoor_lint.semgrep_runner) so that a scan whose files semgrep has no rules for
(a Python-only pre-commit run) never imports the semgrep glue."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path, PurePosixPath

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


# semgrep's names for kinds of files our rules show as their language (backdoor-lint's names)
FILE_KINDS = {"github-actions": "yaml", "package.json": "json"}
_RULE = re.compile(r"^[ \t]*- id:", re.M)
_LIST = r":[ \t]*(\[[^\]\n]*\]|[\w.-]+)[ \t]*$"
_LANGUAGES = re.compile(r"^[ \t]*languages" + _LIST, re.M)
_SHOWN = re.compile(r"^[ \t]*bdl-language" + _LIST, re.M)


def _names(listed: str) -> set[str]:
    return {FILE_KINDS.get(n.strip(" '\""), n.strip(" '\"")) for n in listed.strip("[]").split(",") if n.strip()}


def rules_dir() -> Path:
    """The directory of the bundled semgrep rules (the package backdoor_lint.semgrep_rules; found
    through its __file__: importing importlib.resources for it cost 8-15 ms of every scan)."""
    import backdoor_lint.semgrep_rules

    return Path(backdoor_lint.semgrep_rules.__file__).parent


@lru_cache(maxsize=1)
def covered_languages() -> frozenset[str] | None:
    """The backdoor-lint languages some bundled rule runs on, read from the rule files' text (a
    scan whose files no rule covers then never imports the semgrep glue or its YAML parser); None
    (every language) when a rule runs on any file or its languages cannot be read. The same
    answer as semgrep_runner.codes_by_language's keys (tests/test_semgrep.py checks it)."""
    found: set[str] = set()
    for path in sorted((p for p in rules_dir().rglob("*") if p.name.endswith((".yaml", ".yml"))), key=str):
        for rule in _RULE.split(path.read_text(encoding="utf-8"))[1:]:
            shown, languages = _SHOWN.search(rule), _LANGUAGES.search(rule)
            if languages is None:
                return None
            names = _names((shown or languages).group(1))
            if not names or names & {"regex", "generic"}:
                return None
            found |= names
    return frozenset(found)


def wanted(display: str, language: str) -> bool:
    """Does a file of this language and name have semgrep rules?"""
    if language not in SEMGREP_LANG:
        return False
    covered = covered_languages()
    if covered is not None and language not in covered:
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
