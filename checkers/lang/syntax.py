"""The tree-sitter layer of the language analyses: one parser per grammar, a parsed file with the
few structural questions the analyses ask (text, line, walk, enclosing function), and the regions
tree-sitter could not parse (reported as BDL901 by the checkers, the rest is still analysed).

Nodes are found by tree-sitter queries (the walk runs in C) and only for the types the concepts
ask about; what Python does is iterative and bounded, so a 1 MB minified bundle costs time in
proportion to its size and cannot exhaust the Python stack."""
from __future__ import annotations

import bisect
from collections.abc import Iterator
from functools import cache

# The grammar of each language name the engine gives (backdoor_lint.languages); TSX is chosen by
# file name because the TypeScript grammar rejects JSX and the TSX grammar rejects `<T>x` casts.
GRAMMARS = {"javascript": "javascript", "typescript": "typescript", "tsx": "tsx", "go": "go", "java": "java"}
MAX_NODES = 6_000_000  # beyond this many nodes (named or not) a file is not analysed (BDL901), never half-analysed
# Nodes that may hold bindings in some grammar (functions, blocks, class bodies, the file itself).
SCOPE_TYPES = frozenset({
    "program", "source_file", "statement_block", "function_declaration", "function_expression", "function",
    "arrow_function", "method_definition", "generator_function_declaration", "generator_function",
    "method_declaration", "func_literal", "constructor_declaration", "lambda_expression", "class_body",
})


@cache
def parser(grammar: str):
    import tree_sitter

    if grammar == "javascript":
        import tree_sitter_javascript as module
        language = module.language()
    elif grammar in ("typescript", "tsx"):
        import tree_sitter_typescript as module
        language = module.language_tsx() if grammar == "tsx" else module.language_typescript()
    elif grammar == "go":
        import tree_sitter_go as module
        language = module.language()
    else:
        import tree_sitter_java as module
        language = module.language()
    return tree_sitter.Parser(tree_sitter.Language(language))


_ASKED: dict[str, set[str]] = {}  # grammar -> the node types the analyses have asked for


@cache
def _query(grammar: str, kinds: tuple[str, ...]):
    """One query capturing every named node of these types (each under its own name); the types
    this grammar does not have are left out. None when none is left."""
    import tree_sitter

    language = parser(grammar).language
    patterns = [f"({kind}) @{kind}" for kind in kinds if language.id_for_node_kind(kind, True) is not None]
    return tree_sitter.Query(language, " ".join(patterns)) if patterns else None


def grammar_for(language: str, display: str) -> str:
    if language == "typescript" and display.lower().endswith(".tsx"):
        return "tsx"
    return GRAMMARS[language]


class Source:
    """One parsed file. Nodes are tree-sitter nodes; `text(node)` is their source text."""

    def __init__(self, text: str, grammar: str) -> None:
        self.data = text.encode("utf-8", "surrogatepass")
        self.grammar = grammar
        self.tree = parser(grammar).parse(self.data)
        self.root = self.tree.root_node
        self._by_type: dict[str, list] = {}
        self._chains: dict[tuple[int, int], tuple] = {}
        self._scope_index: tuple[list, list[int], list[int]] | None = None

    def text(self, node) -> str:
        return self.data[node.start_byte:node.end_byte].decode("utf-8", "replace")

    @staticmethod
    def line(node) -> int:
        return node.start_point[0] + 1

    def of_type(self, *types: str) -> list:
        """The named nodes of these types in document order, found by one tree-sitter query per
        file (the walk runs in C) so that Python touches only the nodes a concept asks about."""
        if any(kind not in self._by_type for kind in types):
            self._index(types)
        if len(types) == 1:
            return self._by_type[types[0]]
        return sorted((n for t in types for n in self._by_type[t]), key=lambda n: n.start_byte)

    def _index(self, types: tuple[str, ...]) -> None:
        """Capture, in one pass, these types and every type the analyses asked of this grammar
        before (learned as they ask, so no second list of node types is kept by hand)."""
        if self.root.descendant_count > MAX_NODES:
            raise TooLarge(len(self.data))
        wanted = _ASKED.setdefault(self.grammar, set())
        wanted.update(types)
        missing = tuple(sorted(kind for kind in wanted if kind not in self._by_type))
        query = _query(self.grammar, missing)
        found = {}
        if query is not None:
            import tree_sitter

            found = tree_sitter.QueryCursor(query).captures(self.root)
        for kind in missing:  # parents before their children
            self._by_type[kind] = sorted(found.get(kind, []), key=lambda n: (n.start_byte, -n.end_byte))

    def scope_chain(self, node) -> tuple:
        """The scope nodes enclosing `node`, innermost first, from the nested byte ranges of the
        file's scopes (a node with the same range as a scope is outside it, as the scope itself is)."""
        key = (node.start_byte, node.end_byte)
        chain = self._chains.get(key)
        if chain is None:
            scopes, starts, parents = self._scopes()
            index = bisect.bisect_right(starts, node.start_byte) - 1
            while index >= 0 and not (scopes[index].end_byte >= node.end_byte
                                      and (scopes[index].start_byte, scopes[index].end_byte) != key):
                index = parents[index]
            chain = self._chain_of(index)
            self._chains[key] = chain
        return chain

    def _scopes(self) -> tuple[list, list[int], list[int]]:
        """Every scope node in document order, their start bytes, and the index of each one's
        innermost enclosing scope (-1 for none): one sweep with a stack of open scopes."""
        if self._scope_index is None:
            scopes = self.of_type(*sorted(SCOPE_TYPES))
            scopes.sort(key=lambda n: (n.start_byte, -n.end_byte))
            parents, open_ = [], []
            for scope in scopes:
                while open_ and not (scopes[open_[-1]].end_byte >= scope.end_byte and
                                     (scopes[open_[-1]].start_byte, scopes[open_[-1]].end_byte) !=
                                     (scope.start_byte, scope.end_byte)):
                    open_.pop()
                parents.append(open_[-1] if open_ else -1)
                open_.append(len(parents) - 1)
            self._scope_index = (scopes, [n.start_byte for n in scopes], parents)
            self._scope_chains: dict[int, tuple] = {-1: ()}
        return self._scope_index

    def _chain_of(self, index: int) -> tuple:
        chains = self._scope_chains
        pending, current = [], index
        while current not in chains:
            pending.append(current)
            current = self._scope_index[2][current]
        for i in reversed(pending):
            chains[i] = (self._scope_index[0][i], *chains[self._scope_index[2][i]])
        return chains[index]

    def unparsed_lines(self) -> list[tuple[int, int]]:
        """(first, last) line of each region tree-sitter could not parse (ERROR or MISSING nodes)."""
        if not self.root.has_error:
            return []
        regions = []
        stack = [self.root]
        while stack:
            node = stack.pop()
            if node.is_error or node.is_missing:
                regions.append((node.start_point[0] + 1, node.end_point[0] + 1))
            elif node.has_error:
                stack.extend(node.children)
        return sorted(regions)


class TooLarge(Exception):
    def __init__(self, size: int) -> None:
        super().__init__(f"over {MAX_NODES} syntax nodes in {size} bytes")


def ancestors(node) -> Iterator:
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def enclosing(node, types: frozenset[str] | set[str]):
    return next((a for a in ancestors(node) if a.type in types), None)


def argument_nodes(call) -> list:
    """The argument expressions of a call (JavaScript `arguments`, Go `argument_list`, Java
    `argument_list`), comments left out."""
    args = call.child_by_field_name("arguments")
    if args is None:
        return []
    return [a for a in args.named_children if a.type != "comment"]


class Bindings(dict):
    """name -> every binding of it (objects with `.scope` and `.start`), with an index by scope so
    that finding the binding a use sees costs the depth of the use, not the number of bindings
    (a minified bundle binds `e` and `t` thousands of times)."""

    def __init__(self, source: Source) -> None:
        super().__init__()
        self.source = source
        self._by_scope: dict[tuple[str, int, int], list] = {}
        self._starts: dict[tuple[str, int, int], list[int]] = {}

    def add(self, name: str, binding) -> None:
        """Kept sorted by start as they come (insertion after equal starts, as a stable sort would)."""
        self.setdefault(name, []).append(binding)
        key = (name, binding.scope.start_byte, binding.scope.end_byte)
        starts = self._starts.setdefault(key, [])
        index = bisect.bisect_right(starts, binding.start)
        starts.insert(index, binding.start)
        self._by_scope.setdefault(key, []).insert(index, binding)

    def visible(self, name: str, use):
        """The binding a use of `name` sees: the innermost enclosing scope that binds it, there the
        last binding before the use (else the last one: a function's assignments before its call)."""
        if name not in self:
            return None
        for scope in self.source.scope_chain(use):
            key = (name, scope.start_byte, scope.end_byte)
            inner = self._by_scope.get(key)
            if inner:
                index = bisect.bisect_right(self._starts[key], use.start_byte)
                return inner[index - 1] if index else inner[-1]
        return None
