"""YAML text to resources with exact positions: every document, key and value with its span; broken input
becomes problems, never exceptions."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import yaml

from hooklint.manifests.yamlnodes import (
    DuplicateKey,
    Loader,
    NodeError,
    build,
    refusal,
    refusal_after_failure,
)
from hooklint.model import (
    DUPLICATE_KEY,
    INVALID_YAML,
    NOT_A_KUBERNETES_OBJECT,
    UNRENDERED_TEMPLATE,
    Problem,
    Resource,
    Span,
)
from hooklint.util.frozen import frozen

# Go template actions that only a Helm/Go template (never rendered output) has at the start of a line,
# and template expressions over Helm's built-in objects anywhere. `{{ $labels.x }}` (Prometheus) and
# `{{inputs.parameters.x}}` (Argo Workflows) are legitimate in rendered manifests and do not match.
_TEMPLATE_LINE = re.compile(
    r"^\s*\{\{-?\s*(?:if|else|end|range|with|define|template|include|toYaml|tpl|\$[\w]+\s*:=|/\*)\b"
)
_TEMPLATE_EXPR = re.compile(
    r"\{\{-?\s*(?:\.Values|\.Release|\.Chart|\.Capabilities|\.Files|\.Template|include\s|template\s|tpl\s"
    r"|toYaml\s|required\s|default\s|printf\s+\"[^\"]*\"\s+\.Values)"
)

# Whether an object with neither metadata.name nor metadata.generateName is given a name by the time it is
# applied; the callers that know Argo CD's semantics say (Argo CD names such a sync hook).
Unnamed = Callable[[Resource], bool]


@frozen
class FileResult:
    resources: tuple[Resource, ...]
    problems: tuple[Problem, ...]
    text: str
    others: tuple[int, ...] = ()  # the lines of documents that are no Kubernetes object (not_an_object)


# Files read before the walk that will read them: a repository's roots are found by reading its files, before
# the workers that lint the roots are forked, and each process takes its files from here once (read_ahead).
_AHEAD: dict[str, bytes] = {}


@contextmanager
def read_ahead() -> Iterator[dict[str, bytes]]:
    """While it lasts, the bytes put in the dict it gives, by path as the walk spells it, are what
    read_file gives for that path, once; when it ends, what was not taken is dropped."""
    try:
        yield _AHEAD
    finally:
        _AHEAD.clear()


def read_file(path: str) -> bytes:
    """A file's bytes in as few system calls as there are: open, read to the end, close. A file object would
    add a stat, a seek and a second stat to each of thousands of small files."""
    if _AHEAD:
        ahead = _AHEAD.pop(path, None)
        if ahead is not None:
            return ahead
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        chunks = []
        while chunk := os.read(fd, _CHUNK):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


_CHUNK = 1 << 20


def load_bytes(path: str, data: bytes, named: Unnamed | None = None) -> FileResult:
    if data.find(b"\0", 0, 8192) >= 0:
        return FileResult(
            (), (Problem(INVALID_YAML, Span.point(path, 1, 1), "binary file, not YAML text"),), ""
        )
    try:
        text = _decoded(data)
    except UnicodeDecodeError as error:
        return FileResult((), (_not_utf8(path, data, error.start),), "")
    return load_text(path, text, named)


def _not_utf8(path: str, data: bytes, start: int) -> Problem:
    """HL001 at the first byte that is not UTF-8 (`start`), its column counted in characters as every other
    column is, and without the byte order mark, which the text read never holds."""
    line_start = data.rfind(b"\n", 0, start) + 1
    before = data[max(line_start, 3 if data.startswith(_BOM) else 0) : start].decode()
    line = data.count(b"\n", 0, start) + 1
    message = f"not valid UTF-8 (byte 0x{data[start]:02x})"
    return Problem(INVALID_YAML, Span.point(path, line, len(before) + 1), message)


_BOM = "\ufeff".encode()


def _decoded(data: bytes) -> str:
    """`data.decode("utf-8-sig")`, the text without the byte order mark it may start with, decoded in C:
    that codec runs Python code for every file."""
    text = data.decode()
    return text[1:] if text.startswith("\ufeff") else text


def load_text(path: str, text: str, named: Unnamed | None = None) -> FileResult:
    template = find_template(path, text)
    if template is not None:
        return FileResult((), (template,), text)
    return parse_text(path, text, named)


def parse_text(path: str, text: str, named: Unnamed | None = None) -> FileResult:
    """The objects of a text known to be rendered output: template syntax in it is data, not HL003. An object
    without a name is kept only where `named` says it gets one; else it is HL002."""
    resources: list[Resource] = []
    problems: list[Problem] = []
    refused = refusal(text, Loader)
    if refused is not None:
        where = Span.point(path, refused.line, refused.column)
        return FileResult((), (Problem(INVALID_YAML, where, f"invalid YAML: {refused.message}"),), text)
    anchors = "&" in text  # without an anchor there is no alias, and nodes are built in one pass
    others: list[int] = []
    try:
        for node in yaml.compose_all(text, Loader=Loader):
            _document(path, node, resources, problems, anchors, named, others)
    except (yaml.YAMLError, RecursionError) as error:
        problems.append(_unreadable(path, text, error))
    return FileResult(tuple(resources), tuple(problems), text, tuple(others))


def _unreadable(path: str, text: str, error: yaml.YAMLError | RecursionError) -> Problem:
    """HL001 for a text the composer gave up on. Nesting beyond hooklint's bound is said in hooklint's words
    at the collection that crosses it, whichever limit of the installed libyaml or Python struck first."""
    stop = (error.problem_mark or error.context_mark) if isinstance(error, yaml.MarkedYAMLError) else None
    refused = refusal_after_failure(text, Loader, stop)
    if refused is not None:
        return Problem(
            INVALID_YAML, Span.point(path, refused.line, refused.column), f"invalid YAML: {refused.message}"
        )
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = error.problem or error.context or "invalid YAML"
        context = error.context_mark
        if error.problem and error.context and context is not None and context is not mark:
            # An unclosed construct is found only where the input ends; say where it was opened.
            problem += f" ({error.context} started at line {context.line + 1}, column {context.column + 1})"
        return Problem(INVALID_YAML, Span.point(path, line, column), f"invalid YAML: {problem}")
    if isinstance(error, RecursionError):
        return Problem(INVALID_YAML, Span.point(path, 1, 1), "invalid YAML: nested too deeply to read")
    return Problem(INVALID_YAML, Span.point(path, 1, 1), f"invalid YAML: {error}")


def find_template(path: str, text: str) -> Problem | None:
    """HL003's evidence: the first Helm/Go template action in the file, if any."""
    if "{{" not in text:
        return None
    for number, line in enumerate(text.splitlines(), start=1):
        if "{{" not in line:
            continue
        match = _TEMPLATE_LINE.match(line) or _TEMPLATE_EXPR.search(line)
        if match:
            column = line.index("{{", match.start()) + 1
            return Problem(
                UNRENDERED_TEMPLATE,
                Span(path, number, column, number, len(line) + 1),
                "Helm/Go template syntax: this file is a template, not a manifest; render it first "
                "(helm template RELEASE CHART | hooklint lint -)",
            )
    return None


def _document(
    path: str,
    node: yaml.Node | None,
    resources: list[Resource],
    problems: list[Problem],
    anchors: bool = True,
    named: Unnamed | None = None,
    others: list[int] | None = None,
) -> None:
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"):
        return  # an empty document, as between two `---`
    duplicates: list[DuplicateKey] = []
    try:
        body = build(node, anchors, duplicates)
    except NodeError as error:
        problems.append(Problem(INVALID_YAML, Span.of_node(path, error.node), f"invalid YAML: {error}"))
        return
    if others is not None and not_an_object(body):
        others.append(node.start_mark.line + 1)
        return  # another tool's YAML: its duplicate keys are that tool's business
    if duplicates:
        # Inner mappings are checked before the one holding them: reported in the order they are written.
        duplicates.sort(key=lambda found: (found.again.start_mark.line, found.again.start_mark.column))
        problems.extend(_duplicate_key(path, found) for found in duplicates)
    kind = body.get("kind") if isinstance(body, dict) else None
    items = body.get("items") if isinstance(body, dict) else None
    if isinstance(kind, str) and kind.endswith("List") and isinstance(items, list):
        # kind: List (and typed lists such as ConfigMapList) are unpacked into their items.
        items_node = _value_node(node, "items")
        assert isinstance(items_node, yaml.SequenceNode)
        for item_node, item in zip(items_node.value, items, strict=True):
            _object(path, item_node, item, resources, problems, named)
        return
    _object(path, node, body, resources, problems, named)


# Keys under a dropped value that say how Argo CD syncs the object: naming them tells what the duplicate costs.
_SYNC_KEYS = ("argocd.argoproj.io/", "helm.sh/hook")
_KEY_SHOWN = 80


def _duplicate_key(path: str, found: DuplicateKey) -> Problem:
    """HL005 at the later key. Argo CD decodes manifests without rejecting duplicates, and the last value of a
    key wins (docs/argocd.md#duplicate-keys): the earlier value is gone."""
    line = found.first.start_mark.line + 1
    key = found.again.value if isinstance(found.again, yaml.ScalarNode) else str(found.key)
    key = key if len(key) <= _KEY_SHOWN else key[: _KEY_SHOWN - 3] + "..."
    message = (
        f"`{key}` is written again in this mapping (first at line {line}): Argo CD reads only this "
        "value and drops the earlier one"
    )
    lost = sorted(_sync_keys(found.lost) - _sync_keys(found.kept))
    if lost:
        message += f", and with it {' and '.join(lost) if len(lost) <= 2 else ', '.join(lost)}"
    return Problem(DUPLICATE_KEY, Span.of_node(path, found.again), message)


def _sync_keys(node: yaml.Node) -> set[str]:
    if not isinstance(node, yaml.MappingNode):
        return set()
    keys = (key.value for key, _ in node.value if isinstance(key, yaml.ScalarNode))
    return {key for key in keys if key.startswith(_SYNC_KEYS)}


_MANIFEST_KEYS = ("apiVersion", "kind", "metadata", "spec")


def not_an_object(body: Any) -> bool:
    """Whether a document is some other tool's YAML (a compose file, a CI workflow, a docs site's settings),
    not a Kubernetes object, broken or whole: a mapping with none of `apiVersion`, `kind`, `metadata` and
    `spec`, or a list none of whose items has `apiVersion` or `kind`. A document that has one of those
    looks like a manifest (or a patch of one), and what it lacks is HL002 (docs/design-notes.md#other-yaml)."""
    if isinstance(body, dict):
        return body.keys().isdisjoint(_MANIFEST_KEYS)
    if isinstance(body, list):
        return not any(isinstance(item, dict) and ("apiVersion" in item or "kind" in item) for item in body)
    return False


def _object(
    path: str,
    node: yaml.Node,
    body: Any,
    resources: list[Resource],
    problems: list[Problem],
    named: Unnamed | None = None,
) -> None:
    if not isinstance(body, dict) or not isinstance(node, yaml.MappingNode):
        what = "a list" if isinstance(body, list) else f"a {type(body).__name__} value"
        problems.append(_bad_object(path, node, f"the document is {what}, not a mapping"))
        return
    for field_name in ("apiVersion", "kind"):
        value = body.get(field_name)
        if not isinstance(value, str) or not value.strip():
            where = _key_node(node, field_name) or node
            message = f"`{field_name}` is missing" if value is None else f"`{field_name}` is not a string"
            problems.append(_bad_object(path, where, message))
            return
    metadata = body.get("metadata")
    if not isinstance(metadata, dict):
        where = _key_node(node, "metadata") or node
        message = "`metadata` is missing" if metadata is None else "`metadata` is not a mapping"
        problems.append(_bad_object(path, where, message))
        return
    name, generate_name = metadata.get("name"), metadata.get("generateName")
    if name is not None and not isinstance(name, str):
        metadata_node = _value_node(node, "metadata") or node
        where = _value_node(metadata_node, "name") or node
        problems.append(_bad_object(path, where, "`metadata.name` is not a string"))
        return
    if not isinstance(generate_name, str):
        generate_name = ""
    namespace = metadata.get("namespace")
    resource = Resource(
        path=path,
        index=len(resources),  # the list holds this file's objects only
        api_version=body["apiVersion"].strip(),
        kind=body["kind"].strip(),
        # Without a name, the prefix the name is made from: empty when Argo CD makes the whole name.
        name=name or generate_name,
        generate_name=not name,
        namespace=namespace if isinstance(namespace, str) and namespace else None,
        body=body,
        node=node,
    )
    if not name and not generate_name and (named is None or not named(resource)):
        message = "neither `metadata.name` nor `metadata.generateName` is set"
        problems.append(_bad_object(path, _key_node(node, "metadata") or node, message))
        return
    resources.append(resource)


def _bad_object(path: str, at: yaml.Node, message: str) -> Problem:
    """HL002 at `at`. A module function: a closure made for every document cost more than its use."""
    return Problem(NOT_A_KUBERNETES_OBJECT, Span.of_node(path, at), f"not a Kubernetes object: {message}")


def _key_node(node: yaml.Node, key: str) -> yaml.Node | None:
    return _entry(node, key, 0)


def _value_node(node: yaml.Node, key: str) -> yaml.Node | None:
    return _entry(node, key, 1)


def _entry(node: yaml.Node, key: str, which: int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for pair in reversed(node.value):
            if isinstance(pair[0], yaml.ScalarNode) and pair[0].value == key:
                found: yaml.Node = pair[which]
                return found
    return None
