"""Shell inside other files: the shell text of Dockerfile RUN instructions, GitHub workflow `run:`
steps, Makefile recipes and package.json scripts, each with the file line it starts on, so the
shell analysis can screen it like a script. Pure functions of the file's text."""
from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass


@dataclass(frozen=True)
class ShellText:
    text: str
    line: int  # 1-based file line of the text's first line
    where: str  # shown before the analysis' message, e.g. "RUN step"


# -- Dockerfile -------------------------------------------------------------------------------
_INSTRUCTION = re.compile(r"^[ \t]*([A-Za-z]+)(?:[ \t]+|$)")
_RUN_FLAG = re.compile(r"^--[\w-]+(?:=\S*)?[ \t]+")
_HEREDOC = re.compile(r"^<<-?[ \t]*[\"']?(\w+)[\"']?[ \t]*$")


def _logical_lines(lines: list[str]):
    """(first line index, joined text) of each instruction; `\\` at the end of a line continues it
    (newlines are kept so line numbers inside stay right); comment lines inside are dropped."""
    i = 0
    while i < len(lines):
        start, parts = i, [lines[i]]
        while parts[-1].rstrip().endswith("\\") and i + 1 < len(lines):
            i += 1
            parts.append("" if lines[i].lstrip().startswith("#") else lines[i])
        yield start, "\n".join(parts)
        i += 1


def dockerfile_shell(text: str) -> list[ShellText]:
    lines = text.split("\n")
    found = []
    skip_until = -1
    for start, logical in _logical_lines(lines):
        if start <= skip_until:
            continue
        match = _INSTRUCTION.match(logical)
        if not match or match.group(1).upper() != "RUN":
            continue
        body = logical[match.end():]
        while _RUN_FLAG.match(body):
            body = body[_RUN_FLAG.match(body).end():]
        heredoc = _HEREDOC.match(body.strip())
        if heredoc:  # RUN <<EOF ... EOF: the lines up to the terminator are the script
            end = next((j for j in range(start + 1, len(lines)) if lines[j].strip() == heredoc.group(1)), len(lines))
            found.append(ShellText("\n".join(lines[start + 1:end]), start + 2, "RUN step"))
            skip_until = end
            continue
        if body.lstrip().startswith("["):  # exec form: ["sh", "-c", "..."]
            try:
                argv = json.loads(body.replace("\\\n", ""))
            except ValueError:
                argv = None
            if isinstance(argv, list) and all(isinstance(a, str) for a in argv):
                found.append(ShellText(shlex.join(argv), start + 1, "RUN step"))
                continue
        found.append(ShellText(" " * (len(logical) - len(body)) + body, start + 1, "RUN step"))
    return found


# -- GitHub workflows -------------------------------------------------------------------------
_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
_NOT_POSIX_SHELLS = re.compile(r"^\s*(pwsh|powershell|cmd|python)\b")


def _expression(match: re.Match) -> str:
    """`${{ secrets.NAME }}` is substituted before the shell runs: the shell sees a value it cannot
    know; a secret keeps its name so the analysis knows it is one."""
    secret = re.fullmatch(r"secrets\.(\w+)", match.group(1))
    return "${" + (secret.group(1) if secret else "GITHUB_EXPRESSION") + "}"


def is_workflow(display: str) -> bool:
    parts = display.replace("\\", "/").split("/")
    return any(parts[i] == ".github" and parts[i + 1] == "workflows" for i in range(len(parts) - 2))


def workflow_shell(text: str) -> list[ShellText]:
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return _workflow_runs_by_indentation(text)
    found = []
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            keys = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
            run, shell = keys.get("run"), keys.get("shell")
            posix = not (isinstance(shell, yaml.ScalarNode) and _NOT_POSIX_SHELLS.match(str(shell.value)))
            if isinstance(run, yaml.ScalarNode) and isinstance(run.value, str) and posix:
                block = run.style in ("|", ">")
                name = keys.get("name")
                where = f"workflow step `{name.value}`" if isinstance(name, yaml.ScalarNode) else "workflow step"
                found.append(ShellText(_EXPRESSION.sub(_expression, run.value),
                                       run.start_mark.line + (2 if block else 1), where))
            stack.extend(v for _, v in node.value)
    return sorted(found, key=lambda s: s.line)


_RUN_KEY = re.compile(r"^([ \t]*)(?:-[ \t]+)?run[ \t]*:[ \t]*(.*)$")


def _workflow_runs_by_indentation(text: str) -> list[ShellText]:
    """`run:` values of a workflow that is not valid YAML (GitHub rejects it, but it is still
    screened): an inline value, or the more indented lines of a `|`/`>` block."""
    lines = text.split("\n")
    found = []
    for index, line in enumerate(lines):
        match = _RUN_KEY.match(line)
        if not match:
            continue
        value = match.group(2).strip()
        if value[:1] not in ("|", ">"):
            if len(value) >= 2 and value[0] in "'\"" and value.endswith(value[0]):
                value = value[1:-1]
            found.append(ShellText(_EXPRESSION.sub(_expression, value), index + 1, "workflow step"))
            continue
        indent = len(match.group(1))
        block = []
        for following in lines[index + 1:]:
            if following.strip() and len(following) - len(following.lstrip()) <= indent:
                break
            block.append(following.strip() and following)
        found.append(ShellText(_EXPRESSION.sub(_expression, "\n".join(block)), index + 2, "workflow step"))
    return found


# -- Makefiles --------------------------------------------------------------------------------
_RULE = re.compile(r"^[^\t#=:][^=]*?::?(?!=)")


def _make_to_shell(text: str) -> str:
    """Make's expansions in a recipe line: `$$` is the shell's `$`, `$(shell cmd)` runs cmd, other
    variables and functions are values the analysis cannot know."""
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c != "$" or i + 1 >= len(text):
            out.append(c)
            i += 1
            continue
        n = text[i + 1]
        if n == "$":
            out.append("$")
            i += 2
        elif n in "({":
            close = {"(": ")", "{": "}"}[n]
            depth, j = 1, i + 2
            while j < len(text) and depth:
                depth += {n: 1, close: -1}.get(text[j], 0)
                j += 1
            inner = text[i + 2:j - 1]
            if inner.startswith("shell "):
                out.append("$(" + _make_to_shell(inner[6:]) + ")")
            else:
                name = re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", inner)
                out.append("${" + (inner if name else "MAKE_EXPRESSION") + "}")
            i = j
        else:  # $@, $<, $^, $X: automatic and one-letter variables
            out.append("${MAKE_EXPRESSION}")
            i += 2
    return "".join(out)


def makefile_shell(text: str) -> list[ShellText]:
    lines = text.split("\n")
    found = []
    in_rule = False
    for start, logical in _logical_lines(lines):
        first = lines[start]
        if first.startswith("\t") and in_rule:
            recipe = "\n".join(part[1:] if part.startswith("\t") else part for part in logical.split("\n"))
            body = recipe.lstrip("@-+ \t")
            found.append(ShellText(_make_to_shell(body), start + 1, "make recipe"))
            continue
        if not first.strip() or first.lstrip().startswith("#"):
            continue
        in_rule = bool(_RULE.match(first))
        if "$(shell " in logical:  # X := $(shell cmd) runs cmd when make reads the file
            for command in re.findall(r"\$\(shell ([^()]*(?:\([^()]*\)[^()]*)*)\)", logical):
                found.append(ShellText(_make_to_shell(command), start + 1, "make $(shell)"))
    return found


# -- package.json -----------------------------------------------------------------------------
def package_json_shell(text: str) -> list[ShellText]:
    try:
        scripts = json.loads(text).get("scripts", {})
    except (ValueError, AttributeError):
        return []
    if not isinstance(scripts, dict):
        return []
    section = max(text.find('"scripts"'), 0)
    found = []
    for name, command in scripts.items():
        if isinstance(command, str):
            at = text.find(json.dumps(name), section)
            line = text.count("\n", 0, at) + 1 if at >= 0 else 1
            found.append(ShellText(command, line, f"npm script `{name}`"))
    return found
