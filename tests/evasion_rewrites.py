"""Rewrites an evader applies to Python source without changing what it does, shared by the
evasion tests (tests/test_trigger_evasions.py, tests/test_eval_corpus.py):
  concat, join, reverse  each string literal rebuilt from pieces ("ver" + "ify", "".join([...]), [::-1])
  chr, hex, b64, rot13   each string literal decoded at run time (map(chr, [...]), bytes.fromhex(...),
                         __import__('base64').b64decode(...), codecs rot13)
  alias                  each import bound under another name (`import hashlib as hashlib_`)
  rebind                 each imported name assigned to another name and used through it
  getattr                `mod.name` -> `getattr(mod, "name")`
  from                   `mod.name` -> `from mod import name` and `name`
  try                    each import line moved into a try block
  kwargs                 keyword arguments passed as `**{"name": value}`
  hoist                  each string literal in a function moved to a module constant
  function               each string literal in a function returned by a module function instead
  helper                 each string literal in a function passed through a module helper (`_h("none")`
                         with `def _h(value): return value`)
  instance               each string literal in a function read from an instance of a settings class
                         (`cfg = _Settings(); cfg.S0`)
and, across files, `sibling_module(source)`: the literals moved to a `settings.py` beside the file
and imported from it (`from .settings import _S0`).
"""
import base64
import codecs

import libcst as cst
from backdoor_lint.checkers.tree import parse_module


class Pieces(cst.CSTTransformer):
    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind

    def leave_SimpleString(self, original, updated):
        if any(c in updated.prefix.lower() for c in "bf"):
            return updated
        return self.rebuilt(updated.evaluated_value, updated)

    def visit_ConcatenatedString(self, node):
        return False  # `"a" "b"`: rebuilt as a whole (a part cannot become a parenthesized expression)

    def leave_ConcatenatedString(self, original, updated):
        return self.rebuilt(updated.evaluated_value, updated)

    def rebuilt(self, value, node):
        if not isinstance(value, str) or len(value) < 4:
            return node
        half = len(value) // 2
        encoded = value.encode("utf-8", "surrogatepass")
        built = {"concat": f"({value[:half]!r} + {value[half:]!r})",
                 "join": f"''.join([{value[:half]!r}, {value[half:]!r}])",
                 "reverse": f"{value[::-1]!r}[::-1]",
                 "chr": f"''.join(map(chr, {[ord(c) for c in value]!r}))",
                 "hex": f"bytes.fromhex({encoded.hex()!r}).decode()",
                 "b64": f"__import__('base64').b64decode({base64.b64encode(encoded).decode()!r}).decode()",
                 "rot13": f"__import__('codecs').decode({codecs.encode(value, 'rot13')!r}, 'rot13')"}[self.kind]
        return cst.parse_expression(built)


class Aliases(cst.CSTTransformer):
    """`import os` -> `import os as os_`, `from m import n` -> `from m import n as n_`, and every use
    of the bound name renamed with it."""

    def __init__(self) -> None:
        super().__init__()
        self.renamed: dict[str, str] = {}

    def visit_Module(self, node):
        for alias in _plain_import_aliases(node):
            self.renamed[alias.name.value] = alias.name.value + "_"

    def leave_ImportAlias(self, original, updated):
        if isinstance(original.name, cst.Name) and original.asname is None and original.name.value in self.renamed:
            return original.with_changes(asname=cst.AsName(name=cst.Name(self.renamed[original.name.value])))
        return original

    def leave_Name(self, original, updated):
        return updated.with_changes(value=self.renamed.get(updated.value, updated.value))

    def leave_ImportFrom(self, original, updated):
        return updated.with_changes(module=original.module)  # `from jwt import decode` keeps its module

    def leave_Attribute(self, original, updated):
        return updated.with_changes(attr=original.attr)  # `x.os` is not the name os

    def leave_Arg(self, original, updated):
        return updated.with_changes(keyword=original.keyword)  # `f(verify=False)` neither


def _plain_import_aliases(module: cst.Module) -> list[cst.ImportAlias]:
    aliases = []
    for statement in module.body:
        for small in getattr(statement, "body", ()) if isinstance(statement, cst.SimpleStatementLine) else ():
            if isinstance(small, cst.ImportFrom) and isinstance(small.module, cst.Name) \
                    and small.module.value == "__future__":
                continue
            if isinstance(small, (cst.Import, cst.ImportFrom)) and not isinstance(small.names, cst.ImportStar):
                aliases += [a for a in small.names if isinstance(a.name, cst.Name) and a.asname is None]
    return aliases


class Rebound(Aliases):
    """`import os` kept, `os_ = os` added after it, and every other use of os renamed to os_."""

    def leave_ImportAlias(self, original, updated):
        return original

    def leave_SimpleStatementLine(self, original, updated):
        bound = [a.name.value for small in original.body if isinstance(small, (cst.Import, cst.ImportFrom))
                 and not isinstance(small.names, cst.ImportStar) for a in small.names
                 if isinstance(a.name, cst.Name) and a.name.value in self.renamed]
        if not bound:
            return updated
        return cst.FlattenSentinel([original] + [cst.parse_statement(f"{self.renamed[name]} = {name}\n")
                                                 for name in bound])


class Getattr(cst.CSTTransformer):
    """`mod.name` -> `getattr(mod, "name")` for every imported module or name `mod` (read, not assigned)."""

    def __init__(self) -> None:
        super().__init__()
        self.imported: set[str] = set()
        self.targets: set[cst.CSTNode] = set()

    def visit_Module(self, node):
        self.imported = {a.name.value for a in _plain_import_aliases(node)}

    def visit_AssignTarget(self, node):
        self.targets.add(node.target)

    def visit_Import(self, node):
        return False

    def visit_ImportFrom(self, node):
        return False

    def visit_AugAssign(self, node):
        self.targets.add(node.target)

    def leave_Attribute(self, original, updated):
        if original in self.targets or not (isinstance(updated.value, cst.Name) and updated.value.value in self.imported):
            return updated
        return cst.parse_expression(f"getattr({updated.value.value}, {updated.attr.value!r})")


class FromImports(Getattr):
    """`import mod; mod.name(...)` -> `import mod; from mod import name; name(...)` (and
    `from pkg import mod` likewise with `from pkg.mod import name`)."""

    def __init__(self) -> None:
        super().__init__()
        self.used: dict[str, set[str]] = {}
        self.full: dict[str, str] = {}

    def visit_Module(self, node):
        super().visit_Module(node)
        for statement in node.body:
            for small in getattr(statement, "body", ()) if isinstance(statement, cst.SimpleStatementLine) else ():
                if isinstance(small, cst.Import):
                    self.full.update((a.name.value, a.name.value) for a in small.names if isinstance(a.name, cst.Name))
                elif isinstance(small, cst.ImportFrom) and small.module is not None and not small.relative \
                        and not isinstance(small.names, cst.ImportStar):
                    module = cst.Module([]).code_for_node(small.module)
                    self.full.update((a.name.value, f"{module}.{a.name.value}") for a in small.names
                                     if isinstance(a.name, cst.Name))

    def leave_Attribute(self, original, updated):
        if original in self.targets or not (isinstance(updated.value, cst.Name) and updated.value.value in self.full):
            return updated
        self.used.setdefault(updated.value.value, set()).add(updated.attr.value)
        return cst.Name(updated.attr.value)

    def leave_Module(self, original, updated):
        lines = [f"from {self.full[name]} import {attr}\n" for name, attrs in self.used.items() for attr in sorted(attrs)]
        body = list(updated.body)
        at = max((i + 1 for i, s in enumerate(body) if isinstance(s, cst.SimpleStatementLine)
                  and any(isinstance(small, (cst.Import, cst.ImportFrom)) for small in s.body)), default=0)
        return updated.with_changes(body=body[:at] + [cst.parse_statement(line) for line in lines] + body[at:])


class ImportsInTry(cst.CSTTransformer):
    """Each top-level import line moved into `try: ... except ImportError: raise`."""

    def leave_SimpleStatementLine(self, original, updated):
        if not any(isinstance(small, (cst.Import, cst.ImportFrom)) for small in updated.body):
            return updated
        if any(isinstance(small, cst.ImportFrom) and isinstance(small.module, cst.Name)
               and small.module.value == "__future__" for small in updated.body):
            return updated
        return cst.parse_statement("try:\n    pass\nexcept ImportError:\n    raise\n").with_changes(
            body=cst.IndentedBlock(body=[updated.with_changes(leading_lines=())]), leading_lines=updated.leading_lines)

    def visit_FunctionDef(self, node):
        return False  # only module-level lines

    def visit_ClassDef(self, node):
        return False


class KeywordsAsDict(cst.CSTTransformer):
    """`f(a, verify=False)` -> `f(a, **{"verify": False})`."""

    def leave_Call(self, original, updated):
        keywords = [arg for arg in updated.args if arg.keyword is not None]
        if not keywords:
            return updated
        code = cst.Module([]).code_for_node
        entries = ", ".join(f"{arg.keyword.value!r}: ({code(arg.value)})" for arg in keywords)
        packed = cst.Arg(value=cst.parse_expression("{" + entries + "}"), star="**")
        return updated.with_changes(args=[*(arg for arg in updated.args if arg.keyword is None), packed])


class Hoisted(cst.CSTTransformer):
    """Each string literal inside a function moved to a module constant defined after the imports
    (`verify="none"` -> `_S0 = "none"` ... `verify=_S0`); docstrings stay."""

    def __init__(self) -> None:
        super().__init__()
        self.constants: list[str] = []
        self.functions = 0
        self.docstrings: set[int] = set()

    def visit_FunctionDef(self, node):
        self.functions += 1
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
        if body and isinstance(body[0], cst.SimpleStatementLine) and isinstance(body[0].body[0], cst.Expr):
            self.docstrings.add(id(body[0].body[0].value))

    def leave_FunctionDef(self, original, updated):
        self.functions -= 1
        return updated

    def visit_ConcatenatedString(self, node):
        return False  # hoisted as a whole

    def leave_SimpleString(self, original, updated):
        return self._hoist(original, updated)

    def leave_ConcatenatedString(self, original, updated):
        return self._hoist(original, updated)

    def _hoist(self, original, updated):
        if not self.functions or id(original) in self.docstrings:
            return updated
        if isinstance(original, cst.ConcatenatedString) and any(
                isinstance(part, cst.FormattedString) for part in (original.left, original.right)):
            return updated  # its placeholders name locals
        self.constants.append(f"_S{len(self.constants)} = ({cst.Module([]).code_for_node(updated)})\n")
        return cst.Name(f"_S{len(self.constants) - 1}")

    def leave_Module(self, original, updated):
        body = list(updated.body)
        at = max((i + 1 for i, statement in enumerate(body) if isinstance(statement, cst.SimpleStatementLine)
                  and any(isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body)), default=0)
        return updated.with_changes(body=body[:at] + [cst.parse_statement(c) for c in self.constants] + body[at:])


class Returned(Hoisted):
    """Each string literal in a function returned by a module function instead
    (`verify="none"` -> `def _s0(): return "none"` ... `verify=_s0()`)."""

    def _hoist(self, original, updated):
        name = super()._hoist(original, updated)
        if not isinstance(name, cst.Name):
            return name
        value = self.constants[-1].split(" = ", 1)[1].strip()
        self.constants[-1] = f"def _s{len(self.constants) - 1}():\n    return {value}\n"
        return cst.parse_expression(f"_s{len(self.constants) - 1}()")


class Helper(Hoisted):
    """Each string literal in a function passed through a module helper that returns its argument
    (`verify="none"` -> `def _h(value): return value` ... `verify=_h("none")`)."""

    def _hoist(self, original, updated):
        name = super()._hoist(original, updated)
        if not isinstance(name, cst.Name):
            return name
        value = self.constants.pop().split(" = ", 1)[1].strip()
        if not self.constants:
            self.constants.append("def _h(value):\n    return value\n")
        return cst.parse_expression(f"_h({value})")


class Instance(Hoisted):
    """Each string literal in a function read from an instance of a module settings class
    (`verify="none"` -> `class _Settings: S0 = "none"`, `cfg = _Settings()` ... `verify=cfg.S0`)."""

    def _hoist(self, original, updated):
        name = super()._hoist(original, updated)
        return cst.parse_expression(f"cfg.{name.value[1:]}") if isinstance(name, cst.Name) else name

    def leave_Module(self, original, updated):
        if self.constants:
            self.constants = ["class _Settings:\n" + "".join(f"    {c[1:]}" for c in self.constants),
                              "cfg = _Settings()\n"]
        return super().leave_Module(original, updated)


def sibling_module(source: str) -> tuple[str, str] | None:
    """The 'hoist' rewrite split over two files of one package: (the file, importing its
    constants with `from .settings import ...`, and settings.py defining them); None when the
    source has no literal inside a function."""
    hoisted = Hoisted()
    module = parse_module(source).visit(hoisted)
    if not hoisted.constants:
        return None
    names = [c.split(" = ", 1)[0] for c in hoisted.constants]
    body = list(module.body)
    first = [statement for statement in body if not (isinstance(statement, cst.SimpleStatementLine) and any(
        isinstance(small, cst.Assign) and isinstance(small.targets[0].target, cst.Name)
        and small.targets[0].target.value in names for small in statement.body))]
    imports = cst.parse_statement(f"from .settings import {', '.join(names)}\n")
    at = next((i for i, s in enumerate(first) if not (isinstance(s, cst.SimpleStatementLine) and any(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in s.body))), len(first))
    code = module.with_changes(body=first[:at] + [imports] + first[at:]).code
    return code, "".join(hoisted.constants)


def rewritten(source: str, kind: str) -> str:
    module = parse_module(source)
    if kind in STRING_KINDS:
        return module.visit(Pieces(kind)).code
    return module.visit({"alias": Aliases, "rebind": Rebound, "getattr": Getattr, "from": FromImports,
                         "try": ImportsInTry, "kwargs": KeywordsAsDict, "hoist": Hoisted, "function": Returned,
                         "helper": Helper, "instance": Instance}[kind]()).code


STRING_KINDS = ("concat", "join", "reverse", "chr", "hex", "b64", "rot13")
KINDS = (*STRING_KINDS, "alias", "rebind", "getattr", "from", "try", "kwargs", "hoist", "function", "helper",
         "instance")
