"""Composed YAML nodes to plain data, as Kubernetes' YAML 1.1 decoder reads them, within safe bounds."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import yaml

from hooklint.util.frozen import frozen

MAX_DEPTH = 200
# Aliases let a few lines expand into billions of nodes; Kubernetes' decoder refuses such documents too.
MAX_EXPANDED_NODES = 2_000_000
# Every node is held with its position while the file is linted, about 340 bytes each (its marks above all):
# a file is read only up to this many, so memory stays under about 300 MB whatever it holds. Argo CD's own
# install.yaml, among the largest manifests there are, holds 65,000.
MAX_FILE_NODES = 500_000

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_SEQUENCE = "tag:yaml.org,2002:seq"
_MAPPING = "tag:yaml.org,2002:map"
_Scalar = yaml.ScalarNode
_Sequence = yaml.SequenceNode
_MERGE = "tag:yaml.org,2002:merge"
_SCALARS = {
    "tag:yaml.org,2002:int": yaml.SafeLoader.construct_yaml_int,
    "tag:yaml.org,2002:float": yaml.SafeLoader.construct_yaml_float,
    "tag:yaml.org,2002:bool": yaml.SafeLoader.construct_yaml_bool,
    "tag:yaml.org,2002:null": yaml.SafeLoader.construct_yaml_null,
}
_constructor = yaml.SafeLoader("")

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # PyYAML without libyaml: same nodes, slower
_base_resolve = _BaseLoader.resolve
# Plain scalars recur (keys above all), and each one's tag depends on its text alone: it is looked up once.
_tags: dict[str, str] = {}
_TAGS_KEPT = 1 << 16
_TAG_TEXT_KEPT = 64


class Loader(_BaseLoader):  # type: ignore[misc]
    """The safe composer, with the resolver's work per node cut to what manifests need. libyaml calls back
    into Python three times for every node (descend, resolve, ascend): the path resolvers behind descend and
    ascend are never registered, and a plain scalar's implicit tag is remembered by its text. A quarter of
    the composer's time."""

    if _BaseLoader is not yaml.SafeLoader:
        # Only the parser: nothing is constructed (build() makes the data) and the resolver keeps no state
        # without path resolvers. The safe loader's own start-up was a tenth of a small file's; the parser's
        # own initialiser, named here, is called without a Python frame.
        __init__ = yaml._yaml.CParser.__init__

    # Without path resolvers, descending and ascending do nothing. A type is no descriptor, so the composer
    # calls these as they are, in C, without the Python frame a no-op method costs per node (twice).
    descend_resolver = slice  # descend_resolver(parent, index): a slice, dropped
    ascend_resolver = tuple  # ascend_resolver(): the empty tuple, dropped

    def resolve(self, kind: Any, value: Any, implicit: tuple[bool, bool]) -> Any:
        # Without path resolvers, only a plain scalar's tag depends on its text; quoted scalars are strings.
        if kind is _Scalar:
            if not implicit[0]:
                return _STR
            try:
                # A subscript costs less than a call of get(); a miss (a text met first, or too long to
                # keep) pays the resolver's regular expressions, next to which the exception is little.
                return _tags[value]
            except KeyError:
                tag = _base_resolve(self, kind, value, implicit)
                tag = _STR if tag == _STR else tag  # this very object: _tree tells strings by identity
                if len(_tags) < _TAGS_KEPT and len(value) <= _TAG_TEXT_KEPT:
                    _tags[value] = tag
                return tag
        return _SEQUENCE if kind is _Sequence else _MAPPING


# The most of a broken document the pure-Python parser reads to find deep nesting (about half a second).
_PURE_WINDOW = 1 << 18

# Inputs this large get a streamed node count before they are composed (which holds every node at once).
LARGE_INPUT = 1 << 20
# Composers without a nesting limit of their own recurse in C once per level and overflow the stack between
# 20,000 and 40,000 levels (PyYAML before 6.0.4, or built against an older libyaml). Every level takes a
# `[`, `{`, `-`, `:` or `?` of its own, so a text with fewer of those than this is safe to compose.
SAFE_NESTING = 10_000


@frozen
class Refusal:
    """Why a text is not composed, and where (1-based)."""

    message: str
    line: int = 1
    column: int = 1


def refusal(text: str, loader: Any) -> Refusal | None:
    """Why `text` must not be composed, or None. Cheap bounds first (every node needs a line, a comma, a
    colon or a dash of its own, nearly; every level of nesting one of five characters); only inputs over
    one pay for a streamed parse that stops at the first limit, so memory stays flat whatever the input."""
    many = len(text) >= LARGE_INPUT and (
        text.count("\n") + text.count(",") + text.count(":") + text.count("-") + text.count("[") + 2
        > MAX_FILE_NODES
    )
    deep = len(text) > SAFE_NESTING and (
        text.count("[") + text.count("{") + text.count("-") + text.count(":") + text.count("?") > SAFE_NESTING
    )
    if not (many or deep):
        return None
    return _scan(yaml.parse(text, Loader=loader))


def refusal_after_failure(text: str, loader: Any, stop: yaml.Mark | None = None) -> Refusal | None:
    """Why a text the composer gave up on at `stop` is refused in hooklint's words, or None for its own
    error. A composer that gives up first (some libyaml releases have a nesting limit of their own, worded
    their own way; Python has its recursion limit) must not decide what the finding says."""
    found = _scan(yaml.parse(text, Loader=loader))
    if found is not None or stop is None:
        return found
    # libyaml reads a flow collection's brackets ahead of its events, so its limit can strike before the
    # first of them: the pure-Python parser, which has none, reads the failing document up to that point.
    end = 0
    for _ in range(stop.line):
        end = text.find("\n", end) + 1
    end += stop.column
    start = text.rfind("\n---", 0, end) + 1
    if end - start > _PURE_WINDOW:
        return None
    found = _scan(yaml.parse(text[start:end], Loader=yaml.SafeLoader))
    return None if found is None else replace(found, line=found.line + text.count("\n", 0, start))


def _scan(events: Iterator[yaml.Event]) -> Refusal | None:
    """The first limit the events cross: nesting deeper than MAX_DEPTH, or too many nodes in the file."""
    count = depth = 0
    try:
        for event in events:
            if isinstance(event, yaml.CollectionStartEvent):
                if depth > MAX_DEPTH and event.start_mark is not None:
                    mark = event.start_mark
                    return Refusal(deep_message(), mark.line + 1, mark.column + 1)
                depth += 1
                count += 1
            elif isinstance(event, yaml.ScalarEvent):
                count += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            if count > MAX_FILE_NODES and event.start_mark is not None:
                mark = event.start_mark
                return Refusal(
                    f"more than {MAX_FILE_NODES:,} nodes in one file (hooklint reads at most that many: split it)",
                    mark.line + 1,
                    mark.column + 1,
                )
    except yaml.YAMLError:
        return None  # composing reports the error with its position
    return None


def deep_message() -> str:
    return f"nested deeper than {MAX_DEPTH} levels"


class NodeError(Exception):
    """A document that cannot be turned into data; `node` is where."""

    def __init__(self, message: str, node: yaml.Node) -> None:
        super().__init__(message)
        self.node = node


def scalar(node: yaml.ScalarNode) -> Any:
    """A scalar's value: ints, floats, booleans and nulls resolved; every other tag (timestamps,
    binary, custom and Python tags) kept as its text, so nothing is ever constructed from a tag."""
    if node.tag == _STR:
        return node.value
    if node.tag == _INT and node.value.isdecimal() and (node.value[0] != "0" or node.value == "0"):
        return int(node.value)  # plain decimal, the usual int; the constructor handles signs, bases and `_`
    construct = _SCALARS.get(node.tag)
    if construct is None:
        return node.value
    try:
        return construct(_constructor, node)
    except (ValueError, yaml.YAMLError):
        return node.value


@frozen
class DuplicateKey:
    """A key written again in one mapping: `again` is the later key node, whose value (`kept`) is the one
    read; `first` the earlier one, whose value (`lost`) is dropped."""

    key: Any
    first: yaml.Node
    lost: yaml.Node
    again: yaml.Node
    kept: yaml.Node


def build(root: yaml.Node, anchors: bool = True, duplicates: list[DuplicateKey] | None = None) -> Any:
    """Plain data for `root`. Each node is built once, so aliases share values instead of copying them.
    A text without anchors (`anchors=False`) has no aliases: its tree is built in one pass. Keys written twice
    in a mapping are added to `duplicates`; the last one's value is kept, as Kubernetes' decoder keeps it."""
    found: list[DuplicateKey] = [] if duplicates is None else duplicates
    if not anchors:
        return _tree(root, 0, found)
    built: dict[int, Any] = {}
    sizes: dict[int, int] = {}

    def size(node: yaml.Node, depth: int) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if depth > MAX_DEPTH and not isinstance(node, yaml.ScalarNode):
            raise NodeError(deep_message(), node)
        sizes[key] = 1  # guards against recursive aliases
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(item, depth + 1) for item in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in node.value)
        sizes[key] = total
        return total

    expanded = size(root, 0)
    if expanded > MAX_EXPANDED_NODES:
        raise NodeError(
            f"the document expands to {expanded:,} nodes, aliases included (at most {MAX_EXPANDED_NODES:,} are read)",
            root,
        )

    def value(node: yaml.Node) -> Any:
        key = id(node)
        if key in built:
            return built[key]
        if isinstance(node, yaml.ScalarNode):
            result = scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            items: list[Any] = []
            built[key] = items
            items.extend(value(item) for item in node.value)
            result = items
        elif isinstance(node, yaml.MappingNode):
            mapping: dict[Any, Any] = {}
            built[key] = mapping
            merged: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == _MERGE:
                    sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                    for source in sources:
                        data = value(source)
                        if isinstance(data, dict):
                            for k, v in data.items():
                                merged.setdefault(k, v)
                    continue
                k = value(key_node)
                if not isinstance(k, (str, int, float, bool)) and k is not None:
                    raise NodeError("a mapping key must be a scalar", key_node)
                mapping[k] = value(value_node)
            if len(mapping) < len(node.value):
                found.extend(_duplicates(node))
            for k, v in merged.items():
                mapping.setdefault(k, v)
            result = mapping
        else:
            raise NodeError("unknown YAML node", node)
        built[key] = result
        return result

    return value(root)


def _duplicates(node: yaml.Node) -> list[DuplicateKey]:
    """The keys of a built mapping (so every key is a scalar) written more than once, each at its later place.
    Called only for a mapping with fewer entries than pairs (merge keys make that too), so reading a manifest
    pays one length test per mapping."""
    last: dict[Any, tuple[yaml.Node, yaml.Node]] = {}
    found = []
    for key_node, value_node in node.value:
        if key_node.tag == _MERGE:
            continue
        key = key_node.value if key_node.tag == _STR else scalar(key_node)
        earlier = last.get(key)
        if earlier is not None:
            found.append(DuplicateKey(key, earlier[0], earlier[1], key_node, value_node))
        last[key] = (key_node, value_node)
    return found


def _tree(node: yaml.Node, depth: int, found: list[DuplicateKey]) -> Any:
    """Plain data for a tree without aliases (every node reached once), the nesting of collections checked on
    the way. String scalars, most of a manifest's nodes, are read in place rather than by a call each; the
    Loader tags every implicit one with _STR itself, so they are told by identity (any other string tag goes
    through scalar(), to the same value)."""
    kind = type(node)
    if kind is _Scalar:
        return node.value if node.tag == _STR else scalar(node)  # type: ignore[arg-type]
    if depth > MAX_DEPTH:
        raise NodeError(deep_message(), node)
    if kind is yaml.SequenceNode:
        return [
            item.value if type(item) is _Scalar and item.tag is _STR else _tree(item, depth + 1, found)
            for item in node.value
        ]
    if kind is not yaml.MappingNode:
        raise NodeError("unknown YAML node", node)
    mapping: dict[Any, Any] = {}
    merged: dict[Any, Any] | None = None
    for key_node, value_node in node.value:
        if type(key_node) is _Scalar and key_node.tag is _STR:
            k = key_node.value
        elif key_node.tag == _MERGE:
            merged = {} if merged is None else merged
            sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            for source in sources:
                data = _tree(source, depth + 1, found)
                if isinstance(data, dict):
                    for merged_key, merged_value in data.items():
                        merged.setdefault(merged_key, merged_value)
            continue
        else:
            k = _tree(key_node, depth + 1, found)
            if not isinstance(k, (str, int, float, bool)) and k is not None:
                raise NodeError("a mapping key must be a scalar", key_node)
        if type(value_node) is _Scalar and value_node.tag is _STR:
            mapping[k] = value_node.value
        else:
            mapping[k] = _tree(value_node, depth + 1, found)
    if len(mapping) < len(node.value):
        found.extend(_duplicates(node))
    if merged:
        for k, v in merged.items():
            mapping.setdefault(k, v)
    return mapping
