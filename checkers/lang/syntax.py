"""The tree-sitter layer of the language analyses: one parser per grammar, a parsed file with the
few structural questions the analyses ask (text, line, walk, enclosing function), and the regions
tree-sitter could not parse (reported as BDL901 by the checkers, the rest is still analysed).

Every walk here is iterative and visits each node once, so a 1 MB minified bundle costs time in
proportion to its size and cannot exhaust the Python stack."""
from __future__ import annotations

from collections.abc import Iterator
from functools import cache

# The grammar of each language name the engine gives (backdoor_lint.languages); TSX is chosen by
# file name because the TypeScript grammar rejects JSX and the TSX grammar rejects `<T>x` casts.
GRAMMARS = {"javascript": "javascript", "typescript": "typescript", "tsx": "tsx", "go": "go", "java": "java"}
MAX_NODES = 3_000_000  # beyond this many nodes a file is not analysed (BDL901), never half-analysed


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

    def text(self, node) -> str:
        return self.data[node.start_byte:node.end_byte].decode("utf-8", "replace")

    @staticmethod
    def line(node) -> int:
        return node.start_point[0] + 1

    def nodes(self) -> list:
        """Every named node in document order (one iterative walk, cached)."""
        if self._nodes is None:
            found = []
            stack = [self.root]
            while stack:
                node = stack.pop()
                found.append(node)
                if len(found) > MAX_NODES:
                    raise TooLarge(len(self.data))
                stack.extend(reversed(node.named_children))
            self._nodes = found
        return self._nodes

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
