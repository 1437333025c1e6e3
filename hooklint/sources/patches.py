"""Fields a kustomize patch wrote: a built object's nodes that a strategic merge or JSON 6902 patch of its
kustomizations gave their value are placed in that patch, where the source file does not have them."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import yaml

from hooklint.manifests.yamlnodes import Loader, refusal
from hooklint.model import Elsewhere, Path, Resource
from hooklint.util.frozen import frozen

# What names the patched object rather than being written by the patch.
_IDENTITY: dict[Path, tuple[str, ...]] = {(): ("apiVersion", "kind"), ("metadata",): ("name", "namespace")}


@frozen
class Patch:
    path: str  # the file it is written in, as displayed
    node: yaml.Node  # a strategic merge document, or a JSON 6902 list of operations
    json6902: bool
    target: dict[str, str]  # the kustomization's selector; empty: the document names its object


def read(file: str, display: str) -> tuple[list[Patch], dict[str, str]]:
    """The patches a kustomization file applies, in order, and the texts of the files they are written in.
    Patch files are read only inside the kustomization's folder, as kustomize loads them by default; what
    cannot be read is left out."""
    folder = os.path.dirname(file)
    text = _text(file)
    kustomization = _compose(text) if text is not None else []
    if not kustomization or not isinstance(kustomization[0], yaml.MappingNode):
        return [], {}
    texts: dict[str, str] = {}
    nodes = dict(_pairs(kustomization[0]))
    found: list[Patch] = []
    for key, json6902 in (("patchesStrategicMerge", False), ("patchesJson6902", True), ("patches", None)):
        listed = nodes.get(key)
        for item in listed.value if isinstance(listed, yaml.SequenceNode) else []:
            fields = dict(_pairs(item))
            given, inline = fields.get("path"), fields.get("patch")
            if isinstance(item, yaml.ScalarNode):
                given, inline = (None, item) if "\n" in item.value else (item, None)
            documents: list[tuple[str, yaml.Node]] = []
            if isinstance(inline, yaml.ScalarNode) and text is not None:
                documents = [(display, node) for node in _inline(inline, text)]
                texts[display] = text
            elif isinstance(given, yaml.ScalarNode):
                documents = _file(folder, given.value, texts)
            target = {k: v.value for k, v in _pairs(fields.get("target")) if isinstance(v, yaml.ScalarNode)}
            for shown, document in documents:
                is_list = isinstance(document, yaml.SequenceNode)
                if json6902 is None or json6902 == is_list:
                    found.append(Patch(shown, document, is_list, target))
    return found, texts


def overlay(resource: Resource, source_name: str, patches: list[Patch]) -> Resource:
    """`resource` (placed at its source) with each field a patch gave its value placed in that patch: the
    patch applied last first, a node once only."""
    done: set[int] = set()
    names = {resource.name, source_name}
    for patch in reversed(patches):
        if not _targets(patch, resource, names):
            continue
        for at, written in _writes(patch):
            built = _node_at(resource.node, at)
            if built is not None:
                _lay(built, written, patch.path, at, done)
    return resource


def patched(root: yaml.Node) -> bool:
    """Whether a patch wrote any node of the tree at `root`."""
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if type(node.start_mark) is Elsewhere:
            return True
        if id(node) not in seen:
            seen.add(id(node))
            stack += _children(node)
    return False


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _writes(patch: Patch) -> Iterator[tuple[Path, yaml.Node]]:
    if not patch.json6902:
        yield (), patch.node
        return
    assert isinstance(patch.node, yaml.SequenceNode)
    for operation in patch.node.value:
        fields = dict(_pairs(operation))
        kind, where, value = fields.get("op"), fields.get("path"), fields.get("value")
        if not isinstance(kind, yaml.ScalarNode) or kind.value not in ("add", "replace"):
            continue
        if isinstance(where, yaml.ScalarNode) and value is not None and where.value.startswith("/"):
            parts = where.value[1:].split("/")
            yield tuple(p.replace("~1", "/").replace("~0", "~") for p in parts), value


def _targets(patch: Patch, resource: Resource, names: set[str]) -> bool:
    if not patch.target:
        document = _plain(patch.node)
        metadata = document.get("metadata") if isinstance(document, dict) else None
        name = metadata.get("name") if isinstance(metadata, dict) else None
        return isinstance(document, dict) and document.get("kind") == resource.kind and name in names
    target = patch.target
    if "kind" in target and target["kind"] != resource.kind:
        return False
    if "group" in target and target["group"] != resource.group:
        return False
    if "name" in target and not any(_full_match(target["name"], name) for name in names):
        return False
    metadata = resource.body.get("metadata")
    for key, field in (("labelSelector", "labels"), ("annotationSelector", "annotations")):
        wanted = target.get(key)
        have = metadata.get(field) if isinstance(metadata, dict) else None
        if wanted and not _selects(wanted, have if isinstance(have, dict) else {}):
            return False
    return True


def _full_match(pattern: str, name: str) -> bool:
    """kustomize reads a target's name as a regular expression over the whole name."""
    try:
        return re.fullmatch(pattern, name) is not None
    except re.error:
        return pattern == name


def _selects(selector: str, values: dict[str, Any]) -> bool:
    """Equality selectors (`a=b,c`); a set-based one (`in`, `notin`, `!=`) is taken to select."""
    for part in selector.split(","):
        key, equals, value = part.strip().partition("=")
        if " " in key.strip() or "!" in key:
            continue
        if key.strip() not in values or (equals and str(values[key.strip()]) != value.lstrip("=").strip()):
            return False
    return True


def _node_at(root: yaml.Node, at: Path) -> yaml.Node | None:
    node: yaml.Node | None = root
    for part in at:
        if isinstance(node, yaml.MappingNode):
            node = next(
                (v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part), None
            )
        elif isinstance(node, yaml.SequenceNode) and node.value and (part == "-" or str(part).isdigit()):
            index = len(node.value) - 1 if part == "-" else int(part)
            node = node.value[index] if index < len(node.value) else None
        else:
            return None
        if node is None:
            return None
    return node


def _lay(built: yaml.Node, written: yaml.Node, path: str, at: Path, done: set[int]) -> bool:
    """Place the nodes of `built` that `written` gave their value at `written`; whether all of them were."""
    covered = False
    if isinstance(built, yaml.ScalarNode) and isinstance(written, yaml.ScalarNode):
        covered = built.value == written.value
    elif isinstance(built, yaml.MappingNode) and isinstance(written, yaml.MappingNode):
        twins = {k.value: (k, v) for k, v in written.value if isinstance(k, yaml.ScalarNode)}
        skip = _IDENTITY.get(at, ())
        covered = True
        for key, value in built.value:
            twin = (
                twins.get(key.value) if isinstance(key, yaml.ScalarNode) and key.value not in skip else None
            )
            if twin is None or not _lay(value, twin[1], path, (*at, key.value), done):
                covered = False
                continue
            _move(key, twin[0], path, done)
    elif isinstance(built, yaml.SequenceNode) and isinstance(written, yaml.SequenceNode):
        covered = len(built.value) == len(written.value)
        named = {_name(item): item for item in written.value if _name(item) is not None}
        for position, item in enumerate(built.value):
            twin = named.get(_name(item)) if _name(item) is not None else None
            if twin is None and not named and position < len(written.value):
                twin = written.value[position]
            if twin is None or not _lay(item, twin, path, (*at, position), done):
                covered = False
    if covered:
        _move(built, written, path, done)
    return covered


def _move(node: yaml.Node, written: yaml.Node, path: str, done: set[int]) -> None:
    if id(node) in done:
        return
    done.add(id(node))
    start, end = written.start_mark, written.end_mark
    node.start_mark = Elsewhere(path, start.index, start.line, start.column, None, 0)
    node.end_mark = Elsewhere(path, end.index, end.line, end.column, None, 0)


def _name(node: yaml.Node) -> str | None:
    """A list item's `name`, the merge key of containers, env, ports and volumes."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if (
                isinstance(key, yaml.ScalarNode)
                and key.value == "name"
                and isinstance(value, yaml.ScalarNode)
            ):
                return str(value.value)
    return None


def _pairs(node: yaml.Node | None) -> Iterator[tuple[str, yaml.Node]]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                yield key.value, value


def _plain(node: yaml.Node) -> Any:
    try:
        return yaml.SafeLoader("").construct_document(node)
    except (yaml.YAMLError, RecursionError, TypeError):
        return None


def _text(file: str) -> str | None:
    try:
        with open(file, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError):
        return None


def _compose(text: str) -> list[yaml.Node]:
    if refusal(text, Loader) is not None:
        return []
    try:
        return [node for node in yaml.compose_all(text, Loader=Loader) if node is not None]
    except (yaml.YAMLError, RecursionError):
        return []


def _file(folder: str, relative: str, texts: dict[str, str]) -> list[tuple[str, yaml.Node]]:
    path = os.path.normpath(os.path.join(folder, relative))
    if not os.path.realpath(path).startswith(os.path.realpath(folder) + os.sep) or not os.path.isfile(path):
        return []
    text = _text(path)
    if text is None:
        return []
    shown = path.replace(os.sep, "/")
    texts[shown] = text
    return [(shown, node) for node in _compose(text)]


def _inline(node: yaml.ScalarNode, text: str) -> list[yaml.Node]:
    """A patch written in the kustomization as a literal block (`patch: |`), at its lines in that file."""
    if node.style != "|":
        return []
    lines = text.splitlines()
    first = next((n for n in range(node.start_mark.line + 1, len(lines)) if lines[n].strip()), None)
    if first is None:
        return []
    documents = _compose(node.value)
    indent = len(lines[first]) - len(lines[first].lstrip())
    for document in documents:
        _shift(document, first - _first_line(node.value), indent)
    return documents


def _first_line(text: str) -> int:
    return next((n for n, line in enumerate(text.splitlines()) if line.strip()), 0)


def _shift(root: yaml.Node, lines: int, columns: int) -> None:
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        for name in ("start_mark", "end_mark"):
            mark = getattr(node, name)
            setattr(node, name, yaml.Mark(mark.name, 0, mark.line + lines, mark.column + columns, None, 0))
        stack += _children(node)
