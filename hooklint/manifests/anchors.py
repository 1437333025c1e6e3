"""Anchored YAML nodes that aliases or merge keys use elsewhere. The composer hands back the anchored node itself
wherever an alias stands, so an edit inside its text would change every use at once: the fixer refuses it."""

from __future__ import annotations

import re
from dataclasses import replace

import yaml

from hooklint.manifests.yamlnodes import Loader
from hooklint.model import Edit
from hooklint.util.frozen import frozen

_MERGE = "tag:yaml.org,2002:merge"
# A node's properties at its start mark: an optional tag, then the anchor (libyaml's anchor characters).
_NAME = re.compile(r"(?:![^\s]*[ \t]+)?&([^\s,\[\]{}]+)")
# An anchor followed, on its own line, by the node's content: an edit starting at the anchor keeps it.
_ANCHOR_BEFORE_CONTENT = re.compile(r"&[^\s,\[\]{}]+[ \t]+(?=[^\s#])")


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


@frozen
class Shared:
    """The text of a node that more than one place reaches: [start, end) in the file, anchor included."""

    start: int
    end: int
    collection: bool
    name: str  # the anchor's name as written, "" when its text does not show it
    aliases: int
    merges: int

    def touched_by(self, edit: Edit) -> bool:
        """Whether the edit changes this node's text. An insertion at a block collection's end mark (the start
        of the line after it) would add to it, so it counts."""
        if edit.start == edit.end:
            return self.start <= edit.start < self.end or (self.collection and edit.start == self.end)
        return edit.start < self.end and self.start < edit.end

    @property
    def reason(self) -> str:
        anchor = f" (&{self.name})" if self.name else ""
        uses = []
        if self.aliases:
            uses.append(_plural(self.aliases, "alias", "aliases"))
        if self.merges:
            uses.append(_plural(self.merges, "merge key", "merge keys"))
        return f"the value is anchored{anchor} and used by {' and '.join(uses)}; edit it by hand"


def shared(text: str) -> tuple[Shared, ...]:
    """Every node of the text reached more than once, in document order. A text without an anchor or an alias
    has none, and is not composed at all."""
    if "&" not in text or "*" not in text:
        return ()
    try:
        documents = list(yaml.compose_all(text, Loader=Loader))
    except (yaml.YAMLError, RecursionError):
        return ()  # such a file is never edited (HL001)
    first: dict[int, yaml.Node] = {}
    aliases: dict[int, int] = {}
    merges: dict[int, int] = {}
    # Depth first, in document order, each node's children walked once: an anchor is always met before its
    # aliases, and a recursive alias cannot loop.
    stack: list[tuple[yaml.Node, bool]] = [(d, False) for d in reversed(documents) if d is not None]
    while stack:
        node, merged = stack.pop()
        key = id(node)
        if key in first:
            uses = merges if merged else aliases
            uses[key] = uses.get(key, 0) + 1
            continue
        first[key] = node
        if isinstance(node, yaml.MappingNode):
            for name, value in reversed(node.value):
                is_merge = isinstance(name, yaml.ScalarNode) and name.tag == _MERGE
                stack += [(value, is_merge), (name, False)]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, merged) for item in reversed(node.value)]
    found = []
    for key, node in first.items():
        if key in aliases or key in merges:
            start, end = node.start_mark.index, node.end_mark.index
            match = _NAME.match(text, start)
            found.append(
                Shared(
                    start,
                    end,
                    not isinstance(node, yaml.ScalarNode),
                    match.group(1) if match else "",
                    aliases.get(key, 0),
                    merges.get(key, 0),
                )
            )
    return tuple(found)


def keep_anchor(text: str, edit: Edit) -> Edit:
    """The edit, starting past an anchor it would replace along with the node's content (an anchor no alias
    uses), so the anchor stays as written."""
    match = _ANCHOR_BEFORE_CONTENT.match(text, edit.start)
    if match is None or match.end() >= edit.end:
        return edit
    return replace(edit, start=match.end())
