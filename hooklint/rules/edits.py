"""Text splices for fixes: scalars and CSV values rewritten at their node offsets, every other character kept."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import yaml

from hooklint.manifests.yamlnodes import Loader
from hooklint.model import Edit, Span

if TYPE_CHECKING:
    from hooklint.rules.context import Context

# What a Kubernetes object's keys look like without quotes; anything else is written quoted.
_PLAIN_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")
_BLOCK_STYLES = ("|", ">")
_STR = "tag:yaml.org,2002:str"


def newline(text: str) -> str:
    """The file's line ending, taken from its first line (\\n when it has a single line)."""
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def line_end(text: str, index: int) -> int:
    """Just past the line break of the line holding `index` (the end of the text on the last line)."""
    found = text.find("\n", index)
    return len(text) if found < 0 else found + 1


def quoted(value: str) -> str:
    """A double-quoted YAML scalar (JSON's escapes are YAML's)."""
    return json.dumps(value, ensure_ascii=False)


def _reads_as(text: str) -> yaml.Node | None:
    try:
        node: yaml.Node | None = yaml.compose(text, Loader=Loader)
    except yaml.YAMLError:
        return None
    return node


@functools.lru_cache(maxsize=4096)  # fixes write the same few values (policy names) over and over
def render(value: str, *, flow: bool = False) -> str:
    """YAML text that reads back as the string `value`: plain when it can be, double-quoted otherwise."""
    if value and "\n" not in value and value == value.strip():
        node = _reads_as(f"[{value}]" if flow else f"k: {value}")
        inner = None
        if flow and isinstance(node, yaml.SequenceNode) and len(node.value) == 1:
            inner = node.value[0]
        elif isinstance(node, yaml.MappingNode) and len(node.value) == 1:
            inner = node.value[0][1]
        if (
            isinstance(inner, yaml.ScalarNode)
            and inner.tag == _STR
            and inner.value == value
            and not inner.style
        ):
            return value
    return quoted(value)


def render_key(key: str) -> str:
    return key if _PLAIN_KEY.fullmatch(key) else quoted(key)


def is_flow(node: yaml.Node | None) -> bool:
    return bool(getattr(node, "flow_style", False))


def scalar(path: str, node: yaml.Node, value: str, *, flow: bool, text: str = "") -> Edit | None:
    """Replace a scalar with the string `value`, in the scalar's own quoting style where that can hold it. A
    block scalar (`|`, `>`) becomes a double-quoted one, which needs the file's `text` to find its end."""
    if not isinstance(node, yaml.ScalarNode):
        return None
    start, end = node.start_mark.index, node.end_mark.index
    if node.style in _BLOCK_STYLES:
        if not text:
            return None
        return Edit(path, start, text_end(text, node), quoted(value))
    if node.style == "'" and "\n" not in value:
        rendered = "'" + value.replace("'", "''") + "'"
    elif node.style in ("'", '"'):
        rendered = quoted(value)
    else:
        rendered = render(value, flow=flow)
    return Edit(path, start, end, rendered)


def is_alias(key: Span, value: yaml.Node) -> bool:
    """Whether `value`, written after the key at `key`, is an alias: the composer hands back the anchored
    node, whose marks lie before the key, and editing it would edit the anchor and every other alias of it."""
    return (value.start_mark.line + 1, value.start_mark.column + 1) < (key.end_line, key.end_column)


def quote(path: str, node: yaml.Node) -> Edit | None:
    """Quote a one-line plain scalar as written (`2` becomes "2"); an empty value becomes ""."""
    if not isinstance(node, yaml.ScalarNode) or node.style or node.start_mark.line != node.end_mark.line:
        return None
    if node.value == "":
        # libyaml places an empty value right after the key's colon: insert there, after one space.
        return Edit(path, node.start_mark.index, node.start_mark.index, ' ""')
    return Edit(path, node.start_mark.index, node.end_mark.index, quoted(node.value))


def text_end(text: str, node: yaml.Node) -> int:
    """Where a node's text ends: a block scalar's trailing line breaks that are no content are left out."""
    end: int = node.end_mark.index
    if isinstance(node, yaml.ScalarNode) and node.style in _BLOCK_STYLES:
        header = text[node.start_mark.index : line_end(text, node.start_mark.index)]
        if "+" not in header:  # kept trailing line breaks are content; clipped and stripped ones are not
            while end > node.start_mark.index and text[end - 1] in " \t\r\n":
                end -= 1
    return end


# CSV values (docs/argocd.md#csv-values): items split on commas and trimmed.


def _items(value: str) -> list[tuple[int, int, str]]:
    """(start, end, item) of every non-empty item, with offsets into `value`."""
    found, position = [], 0
    for raw in value.split(","):
        stripped = raw.strip()
        if stripped:
            start = position + len(raw) - len(raw.lstrip())
            found.append((start, start + len(stripped), stripped))
        position += len(raw) + 1
    return found


def _csv(
    path: str, node: yaml.Node, change: Callable[[str], str | None], *, flow: bool, text: str
) -> Edit | None:
    if not isinstance(node, yaml.ScalarNode):
        return None
    # A block scalar's line breaks are no part of its items (docs/argocd.md#csv-values trims them), so they are not carried over.
    original = node.value.strip() if node.style in _BLOCK_STYLES else node.value
    value = change(original)
    if value is None or value == original:
        return None
    return scalar(path, node, value, flow=flow, text=text)


def csv_replace(path: str, node: yaml.Node, old: str, new: str, *, flow: bool, text: str = "") -> Edit | None:
    """Every `old` item of a CSV scalar becomes `new`; spacing and the other items stay as written."""

    def change(value: str) -> str | None:
        for start, end, item in reversed(_items(value)):
            if item == old:
                value = value[:start] + new + value[end:]
        return value

    return _csv(path, node, change, flow=flow, text=text)


def csv_prepend(path: str, node: yaml.Node, item: str, *, flow: bool, text: str = "") -> Edit | None:
    """`item` first in a CSV scalar, separated the way the value already separates its items."""

    def change(value: str) -> str | None:
        items = _items(value)
        if not items:
            return item
        separator = ", " if ", " in value else ","
        start = items[0][0]
        return value[:start] + item + separator + value[start:]

    return _csv(path, node, change, flow=flow, text=text)


def csv_remove(path: str, node: yaml.Node, item: str, *, flow: bool, text: str = "") -> Edit | None:
    """Drop every `item` from a CSV scalar with its separator; None when nothing else would be left."""

    def change(value: str) -> str | None:
        items = _items(value)
        if all(found == item for _, _, found in items):
            return None
        for index in range(len(items) - 1, -1, -1):
            start, end, found = items[index]
            if found != item:
                continue
            if index + 1 < len(items):  # up to the next item
                value = value[:start] + value[items[index + 1][0] :]
            else:  # from the end of the previous one
                value = value[: items[index - 1][1]] + value[end:]
            del items[index]
        return value

    return _csv(path, node, change, flow=flow, text=text)


def source(ctx: Context, path: str) -> str:
    """The text of `path` as loaded, which fixes splice into."""
    return ctx.texts.get(path, "")
