"""Parsing and words: the tree-sitter-bash parser, and how a word of the tree becomes text with
taint tags (quoted fragments joined, $'...' decoded, variables substituted, $(...) evaluated)."""
from __future__ import annotations

import re
from functools import lru_cache

from backdoor_lint.checkers.shell.decoding import decode_escapes, text_of, unescape
from backdoor_lint.checkers.shell.values import EMPTY, Word
from backdoor_lint.checkers.shell.wordlists import is_secret_name

# nodes that are plain text once their escapes are removed
_PLAIN = ("word", "number", "variable_name", "special_variable_name", "extglob_pattern", "regex", "heredoc_start")


@lru_cache(maxsize=1)
def _parser():
    import tree_sitter
    import tree_sitter_bash

    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_bash.language()))


def parse(command: str):
    return _parser().parse(command.encode("utf-8", "surrogatepass"))


class WordResolver:
    """Mixin of the analyser: resolves words with its variables; `$(...)` runs in a child analyser."""

    vars: dict[str, Word]
    source: bytes

    def resolve(self, node) -> Word:
        if node is None:
            return Word("")
        kind = node.type
        raw = node.text.decode("utf-8", "replace")
        if kind in _PLAIN:
            if kind == "word" and raw.startswith("~"):
                return Word("~" + unescape(raw[1:]))
            return Word(unescape(raw) if kind == "word" else raw)
        if kind == "raw_string":
            return Word(raw[1:-1] if raw.startswith("'") and raw.endswith("'") else raw)
        if kind == "ansi_c_string":
            body = raw[2:-1] if raw.startswith("$'") and raw.endswith("'") else raw
            decoded = decode_escapes(body)
            return Word(decoded, frozenset({"decoded"}) if decoded != body else frozenset(), True,
                        "$'...' escapes" if decoded != body else "")
        if kind in ("translated_string", "command_name"):
            return self.resolve(node.named_children[0]) if node.named_children else Word(
                "" if kind == "translated_string" else raw)
        if kind in ("string", "concatenation"):
            return self._join(node.named_children)
        if kind == "string_content":
            return Word(re.sub(r'\\([$`"\\\n])', r"\1", raw))
        if kind in ("simple_expansion", "expansion"):
            return self._expand(node, raw)
        if kind in ("command_substitution", "process_substitution"):
            return self._substitute(node, raw)
        if kind == "arithmetic_expansion":
            return Word(raw, frozenset(), False)
        if node.named_children:  # anything else made of parts
            return self._join(node.named_children)
        return Word(unescape(raw))

    def resolve_args(self, node) -> list[Word]:
        word = self.resolve(node)
        if not word.exact or node.type not in ("simple_expansion", "expansion"):
            return [word]
        # an unquoted expansion of a known value is split into words
        parts = word.text.split()
        return [Word(p, word.tags, True, word.what) for p in parts] or []

    def _substitute(self, node, raw: str) -> Word:
        """`$(cmd)` is the output of cmd; `<(cmd)` a file descriptor carrying its taint."""
        sub = self.child()
        if node.type == "process_substitution":
            out = sub.exec_block(node, EMPTY)
            return Word("/dev/fd/63", out.tags, False, out.what or f"`{raw[:80]}`")
        sub.source = self.source
        out = sub.exec_block(node, EMPTY)
        text = text_of(out.data)
        what = out.what or f"`{raw[:80]}`"
        if "env" in out.tags:
            what = f"`{raw[:80]}`"
        if text is None:
            return Word(raw, out.tags, False, what)
        return Word(text.rstrip("\n"), out.tags, True, what)

    def _join(self, parts) -> Word:
        texts, tags, exact, what = [], frozenset(), True, ""
        for part in parts:
            w = self.resolve(part)
            texts.append(w.text)
            tags |= w.tags
            exact = exact and w.exact
            what = what or w.what
        return Word("".join(texts), tags, exact, what)

    def _expand(self, node, raw: str) -> Word:
        name_node = next((c for c in node.named_children if c.type in ("variable_name", "special_variable_name")),
                         None)
        name = name_node.text.decode("utf-8", "replace") if name_node is not None else raw.strip("${}")
        for c in node.named_children:  # ${X:-$(cmd)} and friends: analyse the nested substitution
            if c.type in ("command_substitution", "process_substitution"):
                self.resolve(c)
        if name in self.vars and raw in (f"${name}", f"${{{name}}}"):
            return self.vars[name]
        if name in ("HOME",):
            return Word("~", frozenset(), True)
        tags = frozenset({"secret"}) if is_secret_name(name) else frozenset()
        if name in self.vars:
            value = self.vars[name]
            return Word(raw, value.tags | tags, False, value.what or raw)
        return Word(raw, tags, False, raw if tags else "")

