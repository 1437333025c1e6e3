"""Edits to YAML mappings and documents: entries added, set and removed at the file's own indentation."""

from __future__ import annotations

from collections.abc import Sequence

import yaml

from hooklint.model import Edit, Path, Span, node_at
from hooklint.rules.edits import (
    is_alias,
    is_flow,
    line_end,
    line_start,
    newline,
    render,
    render_key,
    text_end,
)

_NULLS = ("", "~", "null", "Null", "NULL")


def _last_leaf(node: yaml.Node) -> yaml.Node:
    """The node whose end is where a block collection's text ends (a block collection's own end mark lies
    past the blank and comment lines that follow it)."""
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not is_flow(node) and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    return node


def entry_end(text: str, key: yaml.Node, value: yaml.Node) -> int | None:
    """Just past the last line of a block mapping entry (its trailing comment included); None when the value
    is an alias, whose marks point at the anchor elsewhere."""
    leaf = _last_leaf(value)
    if leaf.start_mark.index < key.end_mark.index:
        return None
    return line_end(text, max(text_end(text, leaf) - 1, key.end_mark.index))


def _own_line(text: str, key: yaml.Node) -> bool:
    """Whether nothing but indentation precedes the key on its line (not `- key:` or `{key:`)."""
    start = line_start(text, key.start_mark.index)
    return text[start : key.start_mark.index].strip(" ") == ""


Chain = Sequence[tuple[yaml.MappingNode, yaml.Node]]


def remove_entry(path: str, text: str, chain: Chain) -> tuple[Edit, ...] | None:
    """Remove the entry whose key is the last of `chain` [(mapping, key node), ...] from the root down. A block
    mapping left empty takes its own entry in the mapping above with it; the root's entries are never removed
    that way. A flow mapping left empty becomes {}."""
    mapping, key = chain[-1]
    entries = [(k, v) for k, v in mapping.value if k is not key]
    if len(entries) == len(mapping.value):
        return None
    value = next(v for k, v in mapping.value if k is key)
    if is_flow(mapping):
        return _remove_flow(path, mapping, key, value)
    if not entries and len(chain) > 1:
        return remove_entry(path, text, chain[:-1])
    if not _own_line(text, key):
        return None
    start, end = line_start(text, key.start_mark.index), entry_end(text, key, value)
    if end is None:
        return None
    if end == len(text) and not text.endswith("\n") and start > 0:
        start -= len(newline(text))  # keep the file without a final line break
    return (Edit(path, start, end, ""),)


def _remove_flow(
    path: str, mapping: yaml.MappingNode, key: yaml.Node, value: yaml.Node
) -> tuple[Edit, ...] | None:
    pairs = mapping.value
    position = next(i for i, (k, _) in enumerate(pairs) if k is key)
    if len(pairs) == 1:
        return (Edit(path, mapping.start_mark.index, mapping.end_mark.index, "{}"),)
    if position + 1 < len(pairs):
        return (Edit(path, key.start_mark.index, pairs[position + 1][0].start_mark.index, ""),)
    return (Edit(path, pairs[position - 1][1].end_mark.index, value.end_mark.index, ""),)


def indent_step(mapping: yaml.MappingNode, owner_key: yaml.Node | None) -> int:
    """How far the file indents a mapping under its key (2 when it cannot tell)."""
    if owner_key is None or is_flow(mapping) or not mapping.value:
        return 2
    step: int = mapping.value[0][0].start_mark.column - owner_key.start_mark.column
    return step if step > 0 else 2


def add_entry(
    path: str,
    text: str,
    mapping: yaml.Node,
    key: str,
    value: str,
    *,
    after: yaml.Node | None = None,
    first: bool = False,
) -> Edit | None:
    """Add `key: value` (value as YAML text) to a mapping: after the entry whose key is `after`, first, or last,
    at the mapping's indentation. A null value (`key:` with nothing) becomes a flow mapping."""
    entry = f"{render_key(key)}: {value}"
    if isinstance(mapping, yaml.ScalarNode) and mapping.tag.endswith(":null") and mapping.value in _NULLS:
        start = mapping.start_mark.index
        if mapping.value == "":
            return Edit(path, start, start, f" {{{entry}}}")
        return Edit(path, start, mapping.end_mark.index, f"{{{entry}}}")
    if not isinstance(mapping, yaml.MappingNode):
        return None
    if is_flow(mapping):
        if not mapping.value:
            return Edit(path, mapping.start_mark.index, mapping.end_mark.index, f"{{{entry}}}")
        last = next((v for k, v in mapping.value if k is after), mapping.value[-1][1])
        return Edit(path, last.end_mark.index, last.end_mark.index, f", {entry}")
    return _insert_lines(path, text, mapping, [entry], after=after, first=first)


def add_nested(
    path: str, text: str, mapping: yaml.Node, owner_key: yaml.Node | None, key: str, entries: Sequence[str]
) -> Edit | None:
    """Add `key:` holding a new mapping of `entries` (each `k: v` as YAML text) at the end of `mapping`."""
    if not isinstance(mapping, yaml.MappingNode) or is_flow(mapping) or not mapping.value:
        return add_entry(path, text, mapping, key, "{" + ", ".join(entries) + "}")
    step = " " * indent_step(mapping, owner_key)
    lines = [f"{render_key(key)}:", *(step + entry for entry in entries)]
    return _insert_lines(path, text, mapping, lines, after=None, first=False)


def _insert_lines(
    path: str,
    text: str,
    mapping: yaml.MappingNode,
    lines: Sequence[str],
    *,
    after: yaml.Node | None,
    first: bool,
) -> Edit | None:
    """New lines in a block mapping, each indented like the mapping's keys."""
    if not mapping.value:
        return None
    indent = " " * mapping.value[0][0].start_mark.column
    nl = newline(text)
    block = nl.join(indent + line for line in lines)
    if first and after is None:
        if not _own_line(text, mapping.value[0][0]):
            return None
        start = line_start(text, mapping.value[0][0].start_mark.index)
        return Edit(path, start, start, block + nl)
    pairs: list[tuple[yaml.Node, yaml.Node]] = mapping.value
    key_node, value_node = next(((k, v) for k, v in pairs if k is after), pairs[-1])
    end = entry_end(text, key_node, value_node)
    if end is None:
        return None
    if end == len(text) and not text.endswith("\n"):
        return Edit(path, end, end, nl + block)
    return Edit(path, end, end, block + nl)


def append_document(path: str, text: str, lines: Sequence[str]) -> Edit:
    """A new YAML document at the end of the file, after a `---`; a file without a final line break keeps
    none."""
    nl = newline(text)
    body = nl.join(["---", *lines])
    if not text:
        return Edit(path, 0, 0, body + nl)
    if text.endswith("\n"):
        return Edit(path, len(text), len(text), body + nl)
    return Edit(path, len(text), len(text), nl + body)


def add_annotation(
    path: str, text: str, root: yaml.Node, key: str, value: str | yaml.ScalarNode, *, after: str | None = None
) -> Edit | None:
    """Add the annotation `key` to an object's metadata.annotations, after the annotation `after` when given,
    creating metadata.annotations when it is missing. `value` is a string, or a scalar written elsewhere in
    the file, which keeps its quotes (see written_as)."""
    metadata = node_at(root, ("metadata",))
    annotations = node_at(root, ("metadata", "annotations"))
    if annotations is None:
        if not isinstance(metadata, yaml.MappingNode):
            return None
        entry = f"{render_key(key)}: {_value_text(text, value, is_flow(metadata))}"
        return add_nested(
            path, text, metadata, node_at(root, ("metadata",), key=True), "annotations", [entry]
        )
    anchor = node_at(root, ("metadata", "annotations", after), key=True) if after else None
    return add_entry(
        path, text, annotations, key, _value_text(text, value, is_flow(annotations)), after=anchor
    )


def _value_text(text: str, value: str | yaml.ScalarNode, flow: bool) -> str:
    return render(value, flow=flow) if isinstance(value, str) else written_as(text, value, flow=flow)


def written_as(text: str, node: yaml.ScalarNode, *, flow: bool) -> str:
    """A scalar's YAML text for another place in the file: a quoted one-line string as it was written, any other
    value as the string it reads as (quoted when it would read as a number, a boolean or null)."""
    source = text[node.start_mark.index : node.end_mark.index]
    if node.style in ("'", '"') and node.start_mark.line == node.end_mark.line:
        return source
    return render(node.value, flow=flow)


def set_field(
    path: str, text: str, root: yaml.Node, where: Path, key: str, value: str, *, after: str | None = None
) -> Edit | None:
    """Set `key` of the mapping at `where` to `value` (YAML text): replace a scalar that is there, else add the
    key after `after` when that is there, else first; a missing mapping at `where` is added to its parent."""
    mapping = node_at(root, where)
    current = node_at(root, (*where, key))
    key_node = node_at(root, (*where, key), key=True)
    if current is not None and key_node is not None:
        if not isinstance(current, yaml.ScalarNode) or is_alias(Span.of_node(path, key_node), current):
            return None
        start, end = current.start_mark.index, current.end_mark.index
        return Edit(path, start, end, value if current.value else f" {value}")
    anchor = node_at(root, (*where, after), key=True) if after else None
    if mapping is None:
        parent = node_at(root, where[:-1])
        if not where or not isinstance(where[-1], str) or not isinstance(parent, yaml.MappingNode):
            return None
        owner = node_at(root, where[:-1], key=True) if len(where) > 1 else None
        return add_nested(path, text, parent, owner, where[-1], [f"{render_key(key)}: {value}"])
    return add_entry(path, text, mapping, key, value, after=anchor, first=anchor is None)
