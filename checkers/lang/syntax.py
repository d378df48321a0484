"""The tree-sitter layer of the language analyses: one parser per grammar, a parsed file with the
few structural questions the analyses ask (text, line, walk, enclosing function), and the regions
tree-sitter could not parse (reported as BDL901 by the checkers, the rest is still analysed).

Every walk here is iterative and visits each node once, so a 1 MB minified bundle costs time in
proportion to its size and cannot exhaust the Python stack."""
from __future__ import annotations

import bisect
from collections.abc import Iterator
from functools import cache

# The grammar of each language name the engine gives (backdoor_lint.languages); TSX is chosen by
# file name because the TypeScript grammar rejects JSX and the TSX grammar rejects `<T>x` casts.
GRAMMARS = {"javascript": "javascript", "typescript": "typescript", "tsx": "tsx", "go": "go", "java": "java"}
MAX_NODES = 3_000_000  # beyond this many nodes a file is not analysed (BDL901), never half-analysed
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
        self._nodes: list | None = None
        self._by_type: dict[str, list] | None = None
        self._chains: dict[tuple[int, int], tuple] = {}

    def text(self, node) -> str:
        return self.data[node.start_byte:node.end_byte].decode("utf-8", "replace")

    @staticmethod
    def line(node) -> int:
        return node.start_point[0] + 1

    def nodes(self) -> list:
        """Every named node in document order (one iterative walk, cached), noting on the way the
        scopes around each node (innermost first) for `scope_chain`."""
        if self._nodes is None:
            found = []
            chains = self._chains
            stack = [(self.root, ())]
            while stack:
                node, chain = stack.pop()
                found.append(node)
                if len(found) > MAX_NODES:
                    raise TooLarge(len(self.data))
                chains.setdefault((node.start_byte, node.end_byte), chain)
                inner = (node, *chain) if node.type in SCOPE_TYPES else chain
                stack.extend((child, inner) for child in reversed(node.named_children))
            self._nodes = found
        return self._nodes

    def scope_chain(self, node) -> tuple:
        """The scope nodes enclosing `node`, innermost first (without walking its parents)."""
        chain = self._chains.get((node.start_byte, node.end_byte))
        if chain is None:
            return tuple(a for a in ancestors(node) if a.type in SCOPE_TYPES)
        return chain

    def of_type(self, *types: str) -> list:
        if self._by_type is None:
            index: dict[str, list] = {}
            for node in self.nodes():
                index.setdefault(node.type, []).append(node)
            self._by_type = index
        if len(types) == 1:
            return self._by_type.get(types[0], [])
        return sorted((n for t in types for n in self._by_type.get(t, [])), key=lambda n: n.start_byte)

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
        self._sorted = False

    def add(self, name: str, binding) -> None:
        self.setdefault(name, []).append(binding)
        self._by_scope.setdefault((name, binding.scope.start_byte, binding.scope.end_byte), []).append(binding)
        self._sorted = False

    def visible(self, name: str, use):
        """The binding a use of `name` sees: the innermost enclosing scope that binds it, there the
        last binding before the use (else the last one: a function's assignments before its call)."""
        if name not in self:
            return None
        if not self._sorted:
            for bindings in self._by_scope.values():
                bindings.sort(key=lambda b: b.start)
            self._starts = {key: [b.start for b in bindings] for key, bindings in self._by_scope.items()}
            self._sorted = True
        for scope in self.source.scope_chain(use):
            key = (name, scope.start_byte, scope.end_byte)
            inner = self._by_scope.get(key)
            if inner:
                index = bisect.bisect_right(self._starts[key], use.start_byte)
                return inner[index - 1] if index else inner[-1]
        return None
