"""BDL803 for the places that run the guard: `.pre-commit-config.yaml` (a backdoor-lint hook deleted,
its stages emptied or moved off the commit stage, `exclude`/`files`/`types` changed, pointed at another
repository, args that switch checks off, `ci: skip`, a global `exclude`/`files`, the file made
unreadable) and CI files (a step or job that runs backdoor-lint deleted, skipped with `if:`/`when:`/
`rules:`, made non-failing with `continue-on-error`/`allow_failure`/`|| true`/`--exit-zero`, or given
the override variable)."""
from __future__ import annotations

import re

from backdoor_lint.guard_documents import GUARD, MAX_NODES, get_in, line_of, parse_yaml, strings
from backdoor_lint.guard_override import OVERRIDE_VARIABLE

CI_FILES = re.compile(r"^(?:\.github/workflows/[^/]+\.ya?ml|(?:.*/)?\.gitlab-ci\.ya?ml|\.gitlab/ci/.+\.ya?ml|"
                      r"\.circleci/config\.ya?ml|azure-pipelines\.ya?ml|bitbucket-pipelines\.ya?ml|"
                      r"\.buildkite/pipeline\.ya?ml|\.woodpecker\.ya?ml|\.drone\.ya?ml)$")


# --- .pre-commit-config.yaml -------------------------------------------------------------------

_COMMIT_STAGES = {"pre-commit", "commit"}
_SAFE_ARGS = re.compile(r"^(--format(=.*)?|text|json|sarif|github|gitlab|--jobs(=\d+)?|-j\d*|\d+|--no-cache|"
                        r"--staged|--diff(=.*)?)$")


def _guard_hooks(doc) -> dict[str, dict]:
    hooks: dict[str, dict] = {}
    for repo in get_in(doc, "repos", default=[]) or []:
        if not isinstance(repo, dict):
            continue
        for hook in repo.get("hooks") or []:
            if not isinstance(hook, dict):
                continue
            ident = str(hook.get("id", ""))
            if GUARD.search(ident) or GUARD.search(str(hook.get("entry", ""))):
                key = ident
                while key in hooks:
                    key += "'"
                hooks[key] = {"repo": str(repo.get("repo", "")), "hook": hook}
    return hooks


def _norm_repo(url: str) -> str:
    return re.sub(r"(\.git)?/*$", "", url.strip().lower())


def _stages(hook: dict, doc: dict) -> set[str] | None:
    stages = hook.get("stages", get_in(doc, "default_stages"))
    return None if stages is None else set(strings(stages))


def _matches_everything(pattern) -> bool:
    if not isinstance(pattern, str) or not pattern:
        return False
    try:
        rx = re.compile(pattern)
    except re.error:
        return False
    return all(rx.search(p) for p in ("a.py", "src/pkg/x.py", "app.js", "Dockerfile", "x/y/z.go"))


def precommit_problems(old_text: str | None, new_text: str | None) -> list[tuple[int, str]]:
    old = parse_yaml(old_text)
    old_hooks = _guard_hooks(old) if isinstance(old, dict) else {}
    if not old_hooks:
        return []
    new = parse_yaml(new_text)
    if new_text is None:
        return [(1, ".pre-commit-config.yaml deleted, removing the backdoor-lint hook")]
    if not isinstance(new, dict):
        return [(1, ".pre-commit-config.yaml can no longer be parsed, which disables the backdoor-lint hook")]
    new_hooks = _guard_hooks(new)
    out: list[tuple[int, str]] = []

    def flag(message: str, *needles: str) -> None:
        out.append((line_of(new_text, *needles), message))

    for key, before in old_hooks.items():
        ident = key.rstrip("'")
        after = new_hooks.get(key)
        if after is None:
            flag(f"pre-commit hook `{ident}` removed from .pre-commit-config.yaml")
            continue
        oh, nh = before["hook"], after["hook"]
        if _norm_repo(before["repo"]) != _norm_repo(after["repo"]):
            flag(f"pre-commit hook `{ident}` now comes from {after['repo']!r} instead of {before['repo']!r} "
                 "(a fork or another repository runs instead of backdoor-lint)", after["repo"])
        old_stages, new_stages = _stages(oh, old), _stages(nh, new)
        if new_stages is not None and not new_stages:
            flag(f"pre-commit hook `{ident}`: `stages` emptied, so it never runs", "stages")
        elif new_stages is not None and not (new_stages & _COMMIT_STAGES) and \
                (old_stages is None or old_stages & _COMMIT_STAGES):
            flag(f"pre-commit hook `{ident}` no longer runs at commit (stages: {sorted(new_stages)})", "stages")
        for field_name in ("exclude", "files", "types", "types_or", "exclude_types"):
            if nh.get(field_name) != oh.get(field_name) and nh.get(field_name) not in (None, "", []):
                everything = " (matches every file)" if field_name == "exclude" and \
                    _matches_everything(nh.get(field_name)) else ""
                flag(f"pre-commit hook `{ident}`: `{field_name}` changed to {nh.get(field_name)!r}{everything}",
                     f"{field_name}:")
        if nh.get("entry") != oh.get("entry") and "entry" in nh:
            flag(f"pre-commit hook `{ident}`: `entry` changed to {nh.get('entry')!r}", "entry:")
        if nh.get("language") == "fail" and oh.get("language") != "fail":
            flag(f"pre-commit hook `{ident}`: language set to `fail`", "language:")
        old_args = [str(a) for a in oh.get("args") or []]
        new_args = [str(a) for a in nh.get("args") or []]
        added = [a for a in new_args if a not in old_args and not _SAFE_ARGS.match(a)]
        if added:
            flag(f"pre-commit hook `{ident}`: args gain {' '.join(added)}", added[0])
    skip_old = set(strings(get_in(old, "ci", "skip", default=[])))
    for ident in strings(get_in(new, "ci", "skip", default=[])):
        if ident not in skip_old and any(ident == k.rstrip("'") for k in old_hooks):
            flag(f"pre-commit.ci told to skip `{ident}`", "skip")
    for field_name in ("exclude", "files"):
        if new.get(field_name) != old.get(field_name) and new.get(field_name) not in (None, ""):
            flag(f"global `{field_name}` of .pre-commit-config.yaml changed to {new.get(field_name)!r}",
                 f"{field_name}:")
    return out


# --- CI ----------------------------------------------------------------------------------------

_WEAKEN_KEYS = ("if", "continue-on-error", "allow_failure", "when", "rules", "only", "except", "needs", "on")
_WEAKEN_FLAGS = re.compile(r"(--exit-zero|--ignore\b|--select\b|--no-baseline|--baseline\b|--config\b|"
                           r"\|\|\s*(true|exit 0|:)\b|;\s*(true|exit 0)\s*$|" + OVERRIDE_VARIABLE + ")")


def _guard_units(doc) -> dict[str, tuple[dict, list[dict]]]:
    """Mappings (steps/jobs) whose own string values run backdoor-lint, keyed by a stable path,
    with their ancestor mappings (job, workflow)."""
    units: dict[str, tuple[dict, list[dict]]] = {}
    budget = [MAX_NODES]
    seen: set[int] = set()

    def label(item, index) -> str:
        if isinstance(item, dict):
            for key in ("id", "name"):
                if isinstance(item.get(key), str):
                    return item[key]
        return str(index)

    def walk(node, path: str, ancestors: list[dict]) -> None:
        budget[0] -= 1
        if budget[0] < 0 or id(node) in seen:
            return
        if isinstance(node, (dict, list)):
            seen.add(id(node))
        if isinstance(node, dict):
            own = " ".join(s for v in node.values() for s in strings(v))
            if GUARD.search(own):
                units[path] = (node, list(ancestors))
            for key, value in node.items():
                if isinstance(value, (dict, list)):
                    walk(value, f"{path}/{key}", [*ancestors, node])
        elif isinstance(node, list):
            for index, item in enumerate(node):
                walk(item, f"{path}[{label(item, index)}]", ancestors)

    walk(doc, "", [])
    return units


def _command_text(node: dict) -> str:
    """What the unit runs, without its display name or id (renaming a step does not remove it)."""
    return " ".join(s for k, v in node.items() if k not in ("name", "id") for s in strings(v))


def ci_problems(old_text: str | None, new_text: str | None) -> list[tuple[int, str]]:
    old = parse_yaml(old_text)
    old_units = _guard_units(old) if isinstance(old, (dict, list)) else {}
    out: list[tuple[int, str]] = []
    # A new CI file cannot switch off the existing ones, so only an existing file gaining it counts.
    if old_text is not None and new_text is not None and OVERRIDE_VARIABLE in new_text \
            and OVERRIDE_VARIABLE not in old_text:
        out.append((line_of(new_text, OVERRIDE_VARIABLE), f"CI configuration starts setting {OVERRIDE_VARIABLE}"))
    if not old_units:
        return out
    if new_text is None:
        return out + [(1, "CI configuration that runs backdoor-lint deleted")]
    new = parse_yaml(new_text)
    if not isinstance(new, (dict, list)):
        return out + [(1, "CI configuration that runs backdoor-lint can no longer be parsed")]
    new_units = _guard_units(new)
    unmatched_new = {k: v for k, v in new_units.items() if k not in old_units}
    for key, (node, ancestors) in old_units.items():
        match = new_units.get(key)
        if match is None:  # renamed or moved: the same command elsewhere
            text = _command_text(node)
            other = next((k for k, (n, _) in unmatched_new.items() if _command_text(n) == text), None)
            if other is None:
                out.append((1, f"CI step running backdoor-lint removed ({key.strip('/') or 'top level'})"))
                continue
            match = unmatched_new.pop(other)
        new_node, new_ancestors = match
        for where, (before, after) in enumerate(zip([node, *reversed(ancestors)], [new_node, *reversed(new_ancestors)])):
            for field_name in _WEAKEN_KEYS:
                if field_name == "on" and where == 0 or field_name == "needs":
                    continue
                if _field(after, field_name) != _field(before, field_name) and _has(after, field_name):
                    value = _field(after, field_name)
                    if field_name in ("continue-on-error", "allow_failure") and value in (False, "false"):
                        continue
                    if field_name == "on" and _triggers(value) >= _triggers(_field(before, field_name)):
                        continue
                    scope = "step/job running backdoor-lint" if where == 0 else "enclosing job/workflow"
                    out.append((line_of(new_text, f"{field_name}:"), f"CI {scope}: `{field_name}` changed to "
                                                                       f"{str(value)[:80]!r}"))
        old_cmd, new_cmd = _command_text(node), _command_text(new_node)
        weakened = {m.group(0) for m in _WEAKEN_FLAGS.finditer(new_cmd)} - \
            {m.group(0) for m in _WEAKEN_FLAGS.finditer(old_cmd)}
        if weakened:
            out.append((line_of(new_text, *sorted(weakened)), f"CI backdoor-lint command gains "
                                                               f"{', '.join(sorted(weakened))}"))
    return out


def _has(node: dict, name: str) -> bool:
    return name in node or (name == "on" and True in node)  # YAML 1.1 reads a bare `on:` key as True


def _field(node: dict, name: str):
    if name == "on" and "on" not in node:
        return node.get(True)
    return node.get(name)


def _triggers(value) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, list):
        return set(strings(value))
    if isinstance(value, dict):
        return {str(k) for k in value}
    return set()
