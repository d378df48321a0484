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
    arrays: dict[str, list[Word]]
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
        """The words a command-line argument becomes: `"${cmd[@]}"` is every element of the array,
        an unquoted expansion of a known value is split at the characters of IFS."""
        inner = node.named_children[0] if node.type == "string" and len(node.named_children) == 1 else node
        if inner.type == "expansion":
            elements = self._array_elements(inner)
            if elements is not None:
                return elements
        word = self.resolve(node)
        if not word.exact or node.type not in ("simple_expansion", "expansion"):
            return [word]
        ifs = self.vars.get("IFS")
        if ifs is not None and ifs.exact:
            if not ifs.text:
                return [word]
            parts = [p for p in re.split("[" + re.escape(ifs.text) + "]+", word.text) if p]
        else:
            parts = word.text.split()
        return [Word(p, word.tags, True, word.what) for p in parts] or []

    def _array_elements(self, node) -> list[Word] | None:
        """`${cmd[@]}` / `${cmd[*]}` of an array assigned in this command: its elements."""
        subscript = next((c for c in node.named_children if c.type == "subscript"), None)
        if subscript is None or len(node.named_children) != 1:
            return None
        name = subscript.child_by_field_name("name") or subscript.named_children[0]
        index = subscript.child_by_field_name("index") or subscript.named_children[-1]
        elements = self.arrays.get(name.text.decode("utf-8", "replace"))
        if elements is None:
            return None
        key = index.text.decode("utf-8", "replace")
        if key in ("@", "*"):
            return list(elements)
        return [elements[int(key)]] if key.isdigit() and int(key) < len(elements) else []

    def _substitute(self, node, raw: str) -> Word:
        """`$(cmd)` is the output of cmd; `<(cmd)` a file descriptor carrying its taint."""
        sub = self.child()
        if raw.startswith(">("):  # runs on what is written to it: analysed when the write is known
            placeholder = f">({len(self.shared.pending)}:{raw[:40]})"
            self.shared.pending[placeholder] = node
            return Word(placeholder, frozenset(), True, "")
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
        defaulted = self._default(node, name)
        if defaulted is not None:
            return defaulted
        elements = self._array_elements(node)
        if elements is not None:
            return Word(" ".join(e.text for e in elements), frozenset().union(*[e.tags for e in elements]) if
                        elements else frozenset(), all(e.exact for e in elements), next((e.what for e in elements
                                                                                          if e.what), ""))
        if name in ("HOME",):
            return Word("~", frozenset(), True)
        tags = frozenset({"secret"}) if is_secret_name(name) else frozenset()
        if name in self.vars:
            value = self.vars[name]
            return Word(raw, value.tags | tags, False, value.what or raw)
        return Word(raw, tags, False, raw if tags else "")


    def _default(self, node, name: str) -> Word | None:
        """`${X:-curl}`, `${X-curl}`, `${X:=curl}`: the default when X is unset (as far as this command
        knows; an unknown variable takes the default, which is what the writer of the line expects)."""
        operator = next((c.type for c in node.children if not c.is_named and c.type not in ("${", "}", "$")), "")
        if operator not in (":-", "-", ":=", "="):
            return None
        value_nodes = [c for c in node.named_children if c.type not in ("variable_name", "special_variable_name")]
        known = self.vars.get(name)
        if known is not None and (known.text or operator in ("-", "=")):
            return known
        value = self._join(value_nodes) if value_nodes else Word("")
        if known is None and is_secret_name(name):  # the variable may well be set: its value is a secret
            value = Word(value.text, value.tags | {"secret"}, value.exact, value.what or f"${name}")
        if operator in (":=", "="):
            self.vars[name] = value
        return value
