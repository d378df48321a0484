"""What the Python rules' triggers look at, from the `ast` tree every Python file gets anyway
(robust.parse_python): the code without its comment lines and docstrings, and the modules it
imports.

The triggers decide which files libcst parses (most of a scan's time). On raw bytes they also fire
on words in comments and docstrings ("token", "auth", "http" in prose), and a line-anchored import
pattern misses `try: import requests`. Statement spans from the tree fix both: a line no statement
covers holds only comments or blanks, and imports are read from Import nodes wherever they are.
What an evader rewrites without changing the behaviour is undone in extra lines the triggers see
too: strings built from literal pieces or decoded from them (the constant evaluator's pure
functions, names assigned once, module functions' return values), `getattr(mod, "name")`, and
other names for imported names (`import ... as`, `H = hashes`). tests/test_trigger_evasions.py
checks that no rewrite of tests/evasion_rewrites.py hides a finding from a rule's trigger.
"""
from __future__ import annotations

import ast
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field

from backdoor_lint.checkers.module_files import MAX_IMPORT_DEPTH, from_tree_file, imported_constants
from backdoor_lint.checkers.pure_values import (
    BINARY_OPERATIONS,
    MAX_SIZE,
    PURE_FUNCTIONS,
    PURE_METHODS,
    predicted_size,
    size_ok,
)

_COMPOUND_BLOCKS = ("body", "orelse", "finalbody")


@dataclass(frozen=True)
class PythonFacts:
    code: bytes  # the source with comment-only lines and docstrings emptied (line count unchanged), then `extra`
    # Extra lines: each line with a constant string expression (or a constant's name used as a key or
    # argument), with its value in place; each line using another name for an imported name, with
    # what it stands for in its place.
    extra: bytes
    # What the file's absolute imports bind, wherever they are: `import a.b` binds "a", `import a.b
    # as x` "a.b", `from a import b` "a.b", `from a import *` "a.*".
    imports: frozenset[str]
    # the file's tree, for the rules' site tests (triggers/sites.py), which keep what they derive
    # from it in `memo` so that several rules' tests share one walk
    tree: ast.Module | None = field(default=None, compare=False, repr=False)
    memo: dict = field(default_factory=dict, compare=False, repr=False)
    # where the file is and the scan root (None when unknown), for the modules of the tree it imports
    path: str | None = field(default=None, compare=False, repr=False)
    root: str | None = field(default=None, compare=False, repr=False)
    # 0: the scanned file; 1: a module of the tree it imports from (module_facts), whose own
    # imports are not followed, as the rules' contexts count (ModuleContext.import_depth)
    import_depth: int = field(default=0, compare=False, repr=False)


def python_facts(data: bytes, tree: ast.Module, path: str | None = None, root: str | None = None) -> PythonFacts:
    """`data` must be the UTF-8 text `tree` was parsed from (ast columns are UTF-8 byte offsets).
    With the file's `path` and the scan `root`, constants it imports from other files of the tree
    are added as extra lines (the rules follow them there, so the triggers must see them)."""
    # A lone CR ends a line for Python but not here: then line numbers differ and only the imports
    # are read.
    lines = data.split(b"\n") if data.count(b"\r") == data.count(b"\r\n") else []
    keep = bytearray(len(lines) + 2)  # keep[n] == 1: line n (1-based) holds code
    imports: set[str] = set()
    aliases: dict[bytes, bytes] = {}  # `import a.b as x`: x -> a.b; `from m import n as x`: x -> n
    bound: set[str] = set()  # the names imports bind
    rebound: dict[str, str] = {}  # `x = a.b`: x -> a.b (an alias if `a` is an import's)
    imported: dict[str, str] = {}  # `import a as x`: x -> a; `from m import n`: n -> m.n
    assigned: dict[str, ast.expr | None] = {}  # `x = <expr>`: x -> expr (None: assigned more than once)
    functions: dict[str, ast.AST | None] = {}  # `def f`: f -> its definition (None: defined more than once)
    stack: list[tuple[list[ast.stmt], bool]] = [(tree.body, True)]
    while stack:
        statements, may_have_docstring = stack.pop()
        for index, statement in enumerate(statements):
            if index == 0 and may_have_docstring and lines and _is_docstring(statement, lines):
                continue
            if isinstance(statement, ast.Import):
                imports.update(alias.name if alias.asname else alias.name.split(".")[0] for alias in statement.names)
            elif isinstance(statement, ast.ImportFrom) and not statement.level and statement.module:
                imports.update(f"{statement.module}.{alias.name}" for alias in statement.names)
            if isinstance(statement, (ast.Import, ast.ImportFrom)):
                aliases.update((alias.asname.encode(), alias.name.encode()) for alias in statement.names
                               if alias.asname and alias.asname != alias.name.rpartition(".")[2])
                bound.update(alias.asname or alias.name.split(".")[0] for alias in statement.names)
                module = f"{statement.module}." if isinstance(statement, ast.ImportFrom) else ""
                if not getattr(statement, "level", 0):
                    imported.update((alias.asname or alias.name, module + alias.name) for alias in statement.names
                                    if alias.asname or module)
            elif isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
                targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                if len(targets) == 1 and isinstance(targets[0], ast.Name):
                    name = targets[0].id
                    assigned[name] = None if name in assigned else statement.value
                    dotted = _dotted(statement.value)
                    if dotted and name != dotted:
                        rebound[name] = dotted
            elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                functions[statement.name] = None if statement.name in functions else statement
            start = min([statement.lineno] + [d.lineno for d in getattr(statement, "decorator_list", ())])
            end = statement.end_lineno or statement.lineno
            blocks = _blocks(statement)
            if not lines:
                stack.extend((block, False) for block in blocks)
                continue
            keep[start:end + 1] = b"\1" * (end + 1 - start)
            # A compound statement's own text (header, `else:`, `except E:`, `case p:` lines) is
            # everything outside its blocks' statements, which are visited like any statement list.
            defines = isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            for block in blocks:
                first = min([block[0].lineno] + [d.lineno for d in getattr(block[0], "decorator_list", ())])
                last = block[-1].end_lineno or block[-1].lineno
                if first > start:  # a body on the header's own line keeps that line
                    keep[first:last + 1] = bytes(last + 1 - first)
                stack.append((block, defines and block is statement.body))
    constants = imported_constants(tree, path, root)
    for name, text in constants.items():  # `from .settings import A, B` then `A + B`: fold them too
        if name not in assigned:
            try:
                assigned[name] = ast.parse(text, mode="eval").body
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                pass
    folder = _Folder(imported, assigned, functions)
    memo = {"nodes": node_index(tree)}
    folded = _folded_lines(memo["nodes"], lines, folder)
    code = b"\n".join(line if keep[number] else b"" for number, line in enumerate(lines, 1)) if lines else data
    while True:  # `H = hashes_` after `hashes_ = hashes`: a chain of assignments
        more = {name for name, dotted in rebound.items() if name not in bound and dotted.split(".")[0] in bound}
        if not more:
            break
        bound |= more
        aliases.update((name.encode(), rebound[name].encode()) for name in more)
    extra = folded + _unaliased_lines(code + folded, aliases) \
        + b"".join(b"\n" + name.encode() + b" = " + text for name, text in constants.items())
    return PythonFacts(code + extra, extra, frozenset(imports), tree, memo, path, root)


_module_facts: dict = {}  # path -> ((mtime_ns, size), PythonFacts | None), see module_files.from_tree_file


def module_facts(path: str, root: str | None) -> PythonFacts | None:
    """The site tests' facts of a module of the tree that a scanned file imports from (the one
    the rules' dataflow reads through imported_modules): its tree, the text as written (no folded
    lines: no trigger reads them) and a memo shared by every file that imports it, built once per
    process while the file is unchanged. None where the rules read nothing either (too large,
    unreadable); a tree of None where `ast` cannot parse it (a test must then assume anything)."""
    def build(data: bytes) -> PythonFacts:
        try:
            tree = ast.parse(data)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return PythonFacts(data, b"", frozenset(), None, {}, path, root, MAX_IMPORT_DEPTH)
        return PythonFacts(data, b"", frozenset(), tree, {"nodes": node_index(tree)}, path, root, MAX_IMPORT_DEPTH)

    return from_tree_file(_module_facts, path, build)


def _unaliased_lines(code: bytes, aliases: dict[bytes, bytes]) -> bytes:
    """Each line of `code` that uses an alias, with what it stands for in its place: the triggers
    match `hashes.SHA1(` and `Header(`, the evader writes `h.SHA1(` and `Hdr(`."""
    if not aliases:
        return b""
    pattern = re.compile(rb"(?<![\w.])(" + b"|".join(re.escape(alias) for alias in aliases) + rb")\b")
    out: list[bytes] = []
    end = 0
    for found in pattern.finditer(code):
        if found.start() < end:
            continue  # its line is already out
        start = code.rfind(b"\n", 0, found.start()) + 1
        end = code.find(b"\n", found.end())
        end = len(code) if end < 0 else end
        out.append(pattern.sub(lambda use: _resolved(use.group(1), aliases), code[start:end]))
    return b"".join(b"\n" + line for line in out)


def _resolved(name: bytes, aliases: dict[bytes, bytes]) -> bytes:
    """What `name` stands for through a chain of aliases (`import hashes as h; h2 = h.SHA1`)."""
    for _ in range(10):  # a cycle (`a = b.c; b = a.d`) stops here
        if name.partition(b".")[0] not in aliases:
            return name
        head, dot, rest = name.partition(b".")
        name = aliases[head] + dot + rest
    return name


def _dotted(node: ast.expr) -> str | None:
    """`a.b.c` for a name or an attribute chain on a name, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return ".".join([node.id] + parts[::-1]) if isinstance(node, ast.Name) else None


# A string built from literal pieces (`"ver" + "ify"`, `"".join(["sys", "tem"])`, `"lave"[::-1]`) or
# decoded from a literal (`bytes.fromhex("...")`, base64, rot13, `chr` codes) is a constant the rules
# evaluate; the triggers must see it too.
_MAX_FOLD_DEPTH = 50
_MAX_FOLD_STEPS = 2_000  # nodes visited to fold one expression
_UNKNOWN = object()
_CONSTANT_TYPES = (str, bytes, int)


def node_index(tree: ast.AST) -> dict[type, list[ast.AST]]:
    """Every node of the tree by its exact type (expression contexts and operators left out): the
    one full walk of a file's tree that the folding below and the rules' site tests
    (triggers/sites.py) share."""
    by_type: dict[type, list[ast.AST]] = defaultdict(list)
    for node in subnodes(tree):
        by_type[type(node)].append(node)
    return by_type


def subnodes(node: ast.AST):
    """`node` and every node under it, as `ast.walk` yields them (in another order, expression
    contexts and operators left out). Reads the fields directly (`ast.walk` costs about three times
    as much), only those that can hold nodes, and pushes a list field's items without testing them."""
    stack: list = [node]
    layouts, node_type = _LAYOUTS, ast.AST
    pop, push, extend = stack.pop, stack.append, stack.extend
    while stack:
        node = pop()
        if node is None:  # (a list field may hold None: `{**d}` keys, keyword-only defaults)
            continue
        yield node
        kind = type(node)
        layout = layouts.get(kind)
        if layout is None:
            layout = layouts[kind] = _layout(node)
        for name, is_list in layout:
            child = getattr(node, name, None)
            if is_list:
                extend(child)
            elif child is not None and isinstance(child, node_type):
                push(child)


def _layout(node: ast.AST) -> tuple[tuple[str, bool], ...]:
    """(field, whether it holds a list) for each field of the node's type that may hold nodes,
    learned from its first node (a list field is a list in every node, never None)."""
    kind = type(node)
    if kind is ast.Constant:
        return ()
    return tuple((name, type(getattr(node, name, None)) is list) for name in kind._fields
                 if name not in _NOT_WALKED and (kind, name) not in _NAME_LISTS)


# contexts (Load, Store) and operators (Add, Eq...): one shared instance each, never a site; and
# fields that only ever hold identifiers or numbers
_NOT_WALKED = frozenset({"ctx", "op", "ops", "id", "attr", "arg", "level", "conversion", "lineno"})
_NAME_LISTS = frozenset({(ast.Global, "names"), (ast.Nonlocal, "names"), (ast.MatchClass, "kwd_attrs")})  # of str
_LAYOUTS: dict[type, tuple[tuple[str, bool], ...]] = {}


def _position(node: ast.AST) -> tuple[int, int]:
    return node.lineno, node.col_offset


def _folded_lines(index: dict[type, list[ast.AST]], lines: list[bytes], folder: _Folder) -> bytes:
    """Extra lines for the triggers: each line that holds such a string, rewritten with the
    string's value as one literal, or a `getattr(mod, "name")`, rewritten as `mod.name` (the
    original lines stay as they are)."""
    found: list[tuple[ast.expr, bytes]] = []
    candidates = index.get(ast.BinOp, []) + index.get(ast.Call, []) + index.get(ast.Subscript, []) + \
        [node for node in index.get(ast.Attribute, []) if isinstance(node.value, ast.Name)  # type: ignore[attr-defined]
         and isinstance(folder.assigned.get(node.value.id), ast.Call)]  # type: ignore[attr-defined]
    # outermost first: a node inside one that folds is part of its replacement, not folded again
    candidates.sort(key=lambda node: (node.lineno, node.col_offset, -(node.end_lineno or 0), -(node.end_col_offset or 0)))
    folded_until = (0, 0)  # where the last folded node ends: nodes starting before are inside it
    for node in candidates:
        if _position(node) < folded_until:
            continue
        replacement = folder.replacement(node)  # (`cfg.KEY` after `cfg = Settings()`: the class attribute)
        if replacement is not None:
            found.append((node, replacement))
            folded_until = (node.end_lineno or node.lineno, node.end_col_offset or 0)
            continue
        # a constant's name used as a key or an argument: `form[FIELD]`, `get(FIELD)` with FIELD = "password"
        keys = [node.slice] if isinstance(node, ast.Subscript) else \
            [*node.args, *(keyword.value for keyword in node.keywords)] if isinstance(node, ast.Call) else ()
        for key in keys:
            if isinstance(key, ast.Name):
                replacement = folder.replacement(key)
                if replacement is not None:
                    found.append((key, replacement))
    out: list[bytes] = []
    by_line: dict[int, list[tuple[ast.expr, bytes]]] = {}
    for node, replacement in found:
        if not lines or node.end_lineno != node.lineno:
            end = lines[node.end_lineno - 1][node.end_col_offset:] if lines else b""
            start = lines[node.lineno - 1][:node.col_offset] if lines else b""
            out.append(start + replacement + end)
        else:
            by_line.setdefault(node.lineno, []).append((node, replacement))
    for number, replacements in by_line.items():
        line = lines[number - 1]
        for node, replacement in sorted(replacements, key=lambda item: -item[0].col_offset):
            start, end = _unparenthesized(line, node.col_offset, node.end_col_offset)
            line = line[:start] + replacement + line[end:]
        out.append(line)
    return b"".join(b"\n" + line for line in out)


def _unparenthesized(line: bytes, start: int, end: int) -> tuple[int, int]:
    """The span widened over grouping parentheses (`("ver" + "ify")`), not a call's."""
    while True:
        before = line[:start].rstrip()
        after = line[end:].lstrip()
        if not (before.endswith(b"(") and after.startswith(b")")):
            return start, end
        opener = before[:-1].rstrip()[-1:]
        if opener and (opener.isalnum() or opener in b"_)]\"'"):
            return start, end  # f(...), x[0](...): a call
        start = len(before) - 1
        end = len(line) - len(after) + 1


class _Folder:
    """Values of constant expressions the way the rules' evaluator (checkers/consteval.py) computes
    them, with its pure functions and methods and its size limits: literals, names assigned once,
    `+`, `*`, `%`, lists and tuples, `[::-1]`, f-strings without placeholders, `chr`, `map`, one-`for`
    comprehensions, and decoding (`bytes.fromhex`, base64, binascii, codecs rot13/hex, zlib...)."""

    def __init__(self, imported: dict[str, str], assigned: dict[str, ast.expr | None],
                 functions: dict[str, ast.AST | None]) -> None:
        self.imported = imported
        self.assigned = assigned
        self.functions = functions
        self.returned: dict[str, list[ast.expr]] = {}  # each function's return values, found once
        self.named: dict[str, object] = {}  # the value of each name assigned once, computed once
        self.truncated = False  # a depth or work limit cut the current evaluation short
        self.bindings: dict[str, object] = {}  # a comprehension's loop variable
        self.steps = 0  # work left for the current replacement: names may refer to each other in loops

    def replacement(self, node: ast.expr) -> bytes | None:
        """What the triggers see in place of `node`: a string's value as one literal, or
        `getattr(mod, "name")` as `mod.name`; None to leave `node` as it is."""
        self.steps = _MAX_FOLD_STEPS
        value = self.value(node, 0)
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        if isinstance(value, str):
            return json.dumps(value).encode("utf-8", "surrogatepass")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr" \
                and len(node.args) in (2, 3) and not node.keywords:
            owner, name = _dotted(node.args[0]), self.value(node.args[1], 0)
            if owner and isinstance(name, str) and name.isidentifier():
                return f"{owner}.{name}".encode()
        return None

    def value(self, node: ast.AST, depth: int) -> object:
        """The value of `node`, or _UNKNOWN."""
        self.steps -= 1
        if depth > _MAX_FOLD_DEPTH or self.steps < 0:
            self.truncated = True
            return _UNKNOWN
        if isinstance(node, ast.Constant):
            constant = node.value
            return constant if isinstance(constant, _CONSTANT_TYPES) and not isinstance(constant, bool) else _UNKNOWN
        if isinstance(node, ast.Name):
            if node.id in self.bindings:
                return self.bindings[node.id]
            if node.id in self.named:
                return self.named[node.id]
            expression = self.assigned.get(node.id)
            truncated, self.truncated = self.truncated, False
            value = _UNKNOWN if expression is None else self.value(expression, depth + 1)
            if not self.truncated and not self.bindings:  # complete, and not a comprehension's: the name's value
                self.named[node.id] = value
            self.truncated |= truncated
            return value
        if isinstance(node, ast.JoinedStr):  # an f-string without placeholders
            return self._sum([self.value(part, depth + 1) for part in node.values], str)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            pieces: list[ast.AST] = []
            while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):  # a long chain without recursion
                pieces.append(node.right)
                node = node.left
            pieces.append(node)
            values = [self.value(piece, depth + 1) for piece in reversed(pieces)]
            return self._sum(values, type(values[0]))
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Mod)):  # "ab" * 3, "%s%s" % (a, b)
            left, right = self.value(node.left, depth + 1), self.value(node.right, depth + 1)
            if left is _UNKNOWN or right is _UNKNOWN:
                return _UNKNOWN
            if isinstance(node.op, ast.Mod) and isinstance(right, list):
                right = tuple(right)  # the folder makes tuples lists; `%` needs the tuple
            symbol = "*" if isinstance(node.op, ast.Mult) else "%"
            return self._apply(symbol, BINARY_OPERATIONS[symbol], (left, right), {})
        if isinstance(node, (ast.List, ast.Tuple)):
            elements = [self.value(element, depth + 1) for element in node.elts]
            return _UNKNOWN if _UNKNOWN in elements else elements
        if isinstance(node, ast.Subscript) and _is_reversal(node.slice):
            value = self.value(node.value, depth + 1)
            return value[::-1] if isinstance(value, (str, bytes, list)) else _UNKNOWN
        if isinstance(node, ast.Call):
            return self._call(node, depth)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            # `cfg.S0` after `cfg = Settings()`: the class attribute (class bodies' assignments are
            # in `assigned` by their bare name, like every other assignment)
            instance = self.assigned.get(node.value.id)
            if isinstance(instance, ast.Call) and isinstance(instance.func, ast.Name) and not instance.args \
                    and instance.func.id not in self.imported and node.attr in self.assigned:
                return self.value(ast.Name(node.attr), depth + 1)
        return _UNKNOWN

    @staticmethod
    def _sum(values: list[object], kind: type) -> object:
        if kind not in (str, bytes, list) or any(type(value) is not kind for value in values):
            return _UNKNOWN
        if sum(len(value) for value in values) > MAX_SIZE:  # type: ignore[arg-type]
            return _UNKNOWN
        return sum(values, []) if kind is list else kind().join(values)  # type: ignore[call-overload]

    def _call(self, node: ast.Call, depth: int) -> object:
        if any(isinstance(arg, ast.Starred) for arg in node.args) or any(k.arg is None for k in node.keywords):
            return _UNKNOWN
        function = self._function_name(node.func, depth + 1)
        if function == "map" and len(node.args) == 2 and not node.keywords:
            mapped = self._function_name(node.args[0], depth + 1)
            items = self.value(node.args[1], depth + 1)
            if mapped not in PURE_FUNCTIONS or not isinstance(items, (list, str, bytes)):
                return _UNKNOWN
            values = [self._apply(mapped, PURE_FUNCTIONS[mapped], (item,), {}) for item in items]
            return _UNKNOWN if _UNKNOWN in values else values
        receiver: object = None
        if function not in PURE_FUNCTIONS:
            if isinstance(node.func, ast.Name) and not node.args and not node.keywords:
                return self._returned(node.func.id, depth)
            if isinstance(node.func, ast.Name) and not node.keywords:
                return self._helper(node, depth)
            if not isinstance(node.func, ast.Attribute):
                return _UNKNOWN
            receiver = self.value(node.func.value, depth + 1)  # a method of a constant: "ab".upper()
            if node.func.attr not in PURE_METHODS.get(type(receiver), ()):
                return _UNKNOWN
        args = tuple(self._argument(arg, depth + 1) for arg in node.args)
        kwargs = {keyword.arg: self.value(keyword.value, depth + 1) for keyword in node.keywords}
        if _UNKNOWN in args or _UNKNOWN in kwargs.values():
            return _UNKNOWN
        if function in PURE_FUNCTIONS:
            return self._apply(function, PURE_FUNCTIONS[function], args, kwargs)  # type: ignore[index]
        method = node.func.attr  # type: ignore[union-attr]
        return self._apply(method, getattr(receiver, method), args, kwargs, receiver)

    def _helper(self, node: ast.Call, depth: int) -> object:
        """`_h("DEB")` calling a one-statement function of this module (`def _h(v): return v`):
        its return expression with the parameters bound to the argument values (as consteval)."""
        function = self.functions.get(node.func.id)  # type: ignore[union-attr]
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) or len(function.body) != 1 \
                or not isinstance(function.body[0], ast.Return) or function.body[0].value is None:
            return _UNKNOWN
        params = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
        if len(node.args) > len(params):
            return _UNKNOWN
        args = [self._argument(arg, depth + 1) for arg in node.args]
        if _UNKNOWN in args:
            return _UNKNOWN
        defaults = function.args.defaults
        frame = dict(zip(params, args))
        for name, default in zip(params[len(params) - len(defaults):], defaults):
            if name not in frame:
                frame[name] = self.value(default, depth + 1)
        if len(frame) != len(params) or _UNKNOWN in frame.values():
            return _UNKNOWN
        outer, self.bindings = self.bindings, frame
        try:
            return self.value(function.body[0].value, depth + 1)
        finally:
            self.bindings = outer

    def _returned(self, name: str, depth: int) -> object:
        """What `name()` returns, for a function of this module whose returns are all the same
        constant."""
        function = self.functions.get(name)
        if function is None:
            return _UNKNOWN
        if name not in self.returned:
            self.returned[name] = _returns(function)
        values = [self.value(expression, depth + 1) for expression in self.returned[name]]
        return values[0] if values and all(value == values[0] for value in values) else _UNKNOWN

    def _function_name(self, func: ast.expr, depth: int) -> str | None:
        """The qualified name of a function: `b64decode` after `from base64 import b64decode`,
        `b.b64decode` after `import base64 as b` or `b = base64`, `__import__("base64").b64decode`,
        `getattr(codecs, "decode")`; builtins by name."""
        self.steps -= 1
        if depth > _MAX_FOLD_DEPTH or self.steps < 0:
            self.truncated = True
            return None
        if isinstance(func, ast.Attribute):
            owner = self._function_name(func.value, depth + 1)
            return f"{owner}.{func.attr}" if owner else None
        if isinstance(func, ast.Name):
            if func.id in self.imported:
                return self.imported[func.id]
            expression = self.assigned.get(func.id)
            if isinstance(expression, (ast.Name, ast.Attribute, ast.Call)):
                return self._function_name(expression, depth + 1)
            return func.id
        if isinstance(func, ast.Call) and isinstance(func.func, ast.Name) and 1 <= len(func.args) <= 3:
            if func.func.id == "__import__":
                module = self.value(func.args[0], depth + 1)
                return module if isinstance(module, str) else None
            if func.func.id == "getattr" and len(func.args) >= 2:
                owner, name = self._function_name(func.args[0], depth + 1), self.value(func.args[1], depth + 1)
                return f"{owner}.{name}" if owner and isinstance(name, str) else None
        return None

    def _argument(self, node: ast.expr, depth: int) -> object:
        if not isinstance(node, (ast.GeneratorExp, ast.ListComp)):
            return self.value(node, depth)
        # `chr(c) for c in [104, 116]`: one `for`, no `if`
        if len(node.generators) != 1 or node.generators[0].ifs or not isinstance(node.generators[0].target, ast.Name):
            return _UNKNOWN
        loop = node.generators[0]
        items = self.value(loop.iter, depth + 1)
        if not isinstance(items, (list, str, bytes)):
            return _UNKNOWN
        name, saved = loop.target.id, self.bindings.copy()  # type: ignore[union-attr]
        values = []
        try:
            for item in items:
                self.bindings[name] = item
                values.append(self.value(node.elt, depth + 1))
        finally:
            self.bindings = saved
        return _UNKNOWN if _UNKNOWN in values else values

    @staticmethod
    def _apply(operation: str, function, args: tuple, kwargs: dict, receiver: object = None) -> object:
        if _UNKNOWN in args or predicted_size(operation, receiver, args, kwargs) > MAX_SIZE:
            return _UNKNOWN
        try:
            result = function(*args, **kwargs)
        except Exception:  # noqa: BLE001 - a constant that does not decode is simply not folded
            return _UNKNOWN
        return result if size_ok(result) else _UNKNOWN


def _returns(function: ast.AST) -> list[ast.expr]:
    """The values `function`'s own return statements give (not those of functions inside it)."""
    found, stack = [], list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Return) and node.value is not None:
            found.append(node.value)
        elif not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))
    return found


def _is_reversal(node: ast.expr) -> bool:
    """`[::-1]`"""
    return isinstance(node, ast.Slice) and node.lower is None and node.upper is None \
        and isinstance(node.step, ast.UnaryOp) and isinstance(node.step.op, ast.USub) \
        and isinstance(node.step.operand, ast.Constant) and node.step.operand.value == 1


def _blocks(statement: ast.stmt) -> list[list[ast.stmt]]:
    blocks = [block for block in (getattr(statement, name, None) for name in _COMPOUND_BLOCKS) if block]
    blocks += [handler.body for handler in getattr(statement, "handlers", ()) if handler.body]
    blocks += [case.body for case in getattr(statement, "cases", ()) if case.body]
    return blocks


def _is_docstring(statement: ast.stmt, lines: list[bytes]) -> bool:
    """A string statement that opens a module, class or function body and starts its line (text
    before it, such as `def f(): "doc"`, keeps the line)."""
    if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
            and isinstance(statement.value.value, str)):
        return False
    return not lines[statement.lineno - 1][:statement.col_offset].strip()
