"""The frozen values that flow through the pipeline: spans, resources, findings and fixes, and what a rule is."""

from __future__ import annotations

import enum
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import field
from typing import Any, NamedTuple

import yaml

from hooklint.util.frozen import frozen
from hooklint.util.lazy import cached

# A path into a manifest: mapping keys and sequence indexes, e.g. ("spec", "template", "spec", "containers", 0).
Path = tuple[str | int, ...]


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


class Elsewhere(yaml.Mark):
    """A position in another file than the object's, named by the mark: a field a kustomize patch wrote."""


class Span(NamedTuple):
    """A region of a file: 1-based line and column (in characters), end exclusive. A named tuple: spans are
    compared, sorted and hashed by the hundred thousand, which tuples do in C."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def of_node(cls, path: str, node: yaml.Node) -> Span:
        """The node's span in the file at `path`, its object's, unless the node was written in another file."""
        start, end = node.start_mark, node.end_mark
        if type(start) is Elsewhere:
            path = start.name
        return cls(path, start.line + 1, start.column + 1, end.line + 1, end.column + 1)

    @classmethod
    def point(cls, path: str, line: int, column: int) -> Span:
        return cls(path, line, column, line, column)


class ResourceKey(NamedTuple):
    """Identity of an object in the cluster; namespace is empty for cluster-scoped kinds. A named tuple, as
    Span is: keys index every graph."""

    group: str
    kind: str
    namespace: str
    name: str

    def __str__(self) -> str:
        return f"{self.kind}/{self.name}"


# What stands for the name of a hook with neither name nor generateName: Argo CD makes it when the sync
# starts, of the revision, the phase and the start time (docs/argocd.md#tasks).
GENERATED = "<generated>"


@frozen(eq=False)
class Resource:
    """One Kubernetes object from the input, with the YAML node tree behind it for exact positions.

    `body` is the plain data (dicts, lists, scalars as YAML 1.1 reads them, like the API server's
    decoder); `node` is the composed mapping node it came from. Both describe the same object.
    """

    path: str
    index: int  # position among the objects of its file, 0-based, after List expansion
    api_version: str
    kind: str
    name: str  # metadata.name, else the generateName prefix; empty when Argo CD makes the whole name
    generate_name: bool
    namespace: str | None  # metadata.namespace as written
    body: Mapping[str, Any]
    node: yaml.MappingNode = field(repr=False)

    @cached
    def group(self) -> str:
        return self.api_version.rpartition("/")[0] if "/" in self.api_version else ""

    @property
    def ident(self) -> str:
        return f"{self.kind}/{self.name or GENERATED}"

    @property
    def label(self) -> str:
        """Kind/name, with a * after a generateName prefix."""
        return self.ident + ("*" if self.generate_name and self.name else "")

    @property
    def span(self) -> Span:
        """Where the object starts: its first key."""
        return Span.of_node(self.path, self.node.value[0][0] if self.node.value else self.node)

    @cached
    def annotations(self) -> Mapping[str, Any]:
        return _mapping(_mapping(self.body.get("metadata")).get("annotations"))

    @property
    def labels(self) -> Mapping[str, Any]:
        return _mapping(_mapping(self.body.get("metadata")).get("labels"))

    def get(self, path: Path, default: Any = None) -> Any:
        """The value at `path` in the body, or `default` where the path does not exist."""
        # The body is built of plain dicts and lists (yamlnodes.build); exact type checks keep this hot path fast.
        value: Any = self.body
        for part in path:
            if type(part) is int:
                if type(value) is not list or not -len(value) <= part < len(value):
                    return default
            elif type(value) is not dict or part not in value:
                return default
            value = value[part]
        return value

    def node_at(self, path: Path, *, key: bool = False) -> yaml.Node | None:
        """The node at `path` (the key's node with key=True), or None."""
        return node_at(self.node, path, key=key)

    def span_at(self, path: Path, *, key: bool = False) -> Span:
        """The span of the node at `path`. Where it does not exist, the key of the deepest existing ancestor
        (the place the missing field belongs), then the object."""
        found = node_at(self.node, path, key=key)
        if found is not None:
            return Span.of_node(self.path, found)
        for depth in range(len(path) - 1, 0, -1):
            found = node_at(self.node, path[:depth], key=isinstance(path[depth - 1], str))
            if found is not None:
                return Span.of_node(self.path, found)
        return self.span


def node_at(root: yaml.Node, path: Path, *, key: bool = False) -> yaml.Node | None:
    # Exact type checks: the composer makes exactly these node classes, and this is a hot path.
    node: yaml.Node = root
    key_node: yaml.Node | None = None  # the key of the last step, when it was a field name
    for part in path:
        if type(part) is int:
            if type(node) is not _SequenceNode or not -len(node.value) <= part < len(node.value):
                return None
            node, key_node = node.value[part], None
            continue
        if type(node) is not _MappingNode:
            return None
        # The last duplicate wins, as when decoding. A key that is not a scalar has a list for its value,
        # which equals no field name.
        for pair in reversed(node.value):
            if pair[0].value == part:
                key_node, node = pair
                break
        else:
            return None
    return key_node if key and key_node is not None else node


_SequenceNode = yaml.SequenceNode
_MappingNode = yaml.MappingNode


def iter_mapping(node: yaml.Node) -> Iterator[tuple[yaml.ScalarNode, yaml.Node]]:
    """The scalar-keyed entries of a mapping node (other keys cannot appear in a manifest)."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                yield key_node, value_node


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if type(value) is dict else {}


@frozen
class Edit:
    """Replace the characters [start, end) of a file's text with `text`."""

    path: str
    start: int
    end: int
    text: str


@frozen
class Fix:
    title: str
    safe: bool
    edits: tuple[Edit, ...]


@frozen
class Related:
    span: Span
    message: str


@frozen
class ResourceRef:
    kind: str
    name: str
    namespace: str
    group: str

    @classmethod
    def of(cls, resource: Resource, namespace: str) -> ResourceRef:
        return cls(resource.kind, resource.name, namespace, resource.group)


@frozen
class Finding:
    rule: str
    name: str
    severity: Severity
    message: str
    span: Span
    resource: ResourceRef | None = None
    related: tuple[Related, ...] = ()
    fix: Fix | None = None

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        span = self.span
        return (span.path, span.line, span.column, self.rule, self.message)


def in_order(findings: Iterable[Finding]) -> list[Finding]:
    """The findings by file, line, column, rule and message, each once. Findings alike in all of those keep
    the order they came in, and only they are compared whole: a set would hash every finding (in Python,
    field by field) and leave such ties in the set's order, which changes from run to run."""
    ordered: list[Finding] = []
    alike: list[Finding] = []
    last = None
    for key, _, finding in sorted([(f.sort_key, n, f) for n, f in enumerate(findings)]):
        if key != last:
            last, alike = key, []
        elif finding in alike:
            continue
        alike.append(finding)
        ordered.append(finding)
    return ordered


# The ids of the rules whose findings layers below the rules produce: the input problems the loader reports
# and the suppressions the configuration leaves unused. The rules' declarations take their ids from here.
UNUSED_SUPPRESSION = "HL000"
INVALID_YAML = "HL001"
NOT_A_KUBERNETES_OBJECT = "HL002"
UNRENDERED_TEMPLATE = "HL003"
DUPLICATE_KEY = "HL005"


@frozen
class Problem:
    """Input that is not a usable manifest, or does not say what it seems to; the input rules (HL001-HL003,
    HL005) report these."""

    rule: str
    span: Span
    message: str


class FixAvailability(str, enum.Enum):
    NONE = "none"
    SOMETIMES = "sometimes"
    ALWAYS = "always"


@frozen
class Rule:
    """A rule's declaration: its id, name and summary, default severity, fix availability and policy, options,
    and its check. Reporters and the configuration read rules as this data alone; only the engine calls `check`,
    with the rules' Context (hooklint.rules.context), which lies above this module, hence `Any`."""

    id: str
    name: str
    summary: str
    severity: Severity
    check: Callable[[Any], Iterable[Finding]] = field(repr=False, compare=False)
    fix: FixAvailability = FixAvailability.NONE
    # JSON Schema properties of the rule's options; each may carry a "default".
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    enabled_by_default: bool = True
    # Its finding means a file holds no usable YAML, or is not YAML text at all: no fix ever edits that file.
    unreadable_file: bool = False
    # Its fix makes Argo CD read an annotation as it was written: a slip in a value or a key corrected, a key
    # moved to where Argo CD reads it. What that brings to light (a hook that now runs, and runs without a
    # deadline) is about what the author wrote, not something the fix did: the fixer tries such fixes first,
    # alone, and holds them back only for the findings of input and annotation rules they would add.
    fix_reveals: bool = False
    # Its evidence is the chart templates' text itself (the values they use), not resources: a chart read
    # without helm changes nothing about its findings there (hooklint.sources.static.screen).
    reads_templates: bool = False
    # Its finding can rest on an object being absent from the input (no non-hook object, no LimitRange, a
    # reference to nothing): where a chart read without helm left documents out, it is not reported.
    needs_every_object: bool = False

    @property
    def about_input(self) -> bool:
        """An input or annotation rule (HL0xx): the findings that hold back even a fix that reveals."""
        return self.id.startswith("HL0")


# File positions inside messages ("apps/x.yaml:12") move with every edit above them. A position is a run of
# non-space characters up to its last `.yaml:LINE[:COLUMN]`, found in one pass over the run: the pattern
# `\S+\.ya?ml:\d+` tried at each start of a long run took time quadratic in it.
_RUN = re.compile(r"\S+")
_POSITION_END = re.compile(r"\.ya?ml:\d+(?::\d+)?")


@frozen
class StableEntry:
    """A finding as it stays while lines move: its rule, its object and its message without positions
    (baselines and GitLab fingerprints match findings by it)."""

    rule: str
    resource: str  # group/kind/namespace/name, or the file for findings without an object
    message: str

    def to_json(self) -> dict[str, str]:
        return {"rule": self.rule, "resource": self.resource, "message": self.message}


def stable_entry(finding: Finding) -> StableEntry:
    ref = finding.resource
    identity = f"{ref.group}/{ref.kind}/{ref.namespace}/{ref.name}" if ref else finding.span.path
    message = " ".join(_RUN.sub(_without_position, finding.message).split())
    return StableEntry(finding.rule, identity, message)


def _without_position(run: re.Match[str]) -> str:
    text = run.group()
    last = deque(_POSITION_END.finditer(text, 1), maxlen=1)
    return text if not last else "<file>" + text[last[0].end() :]
