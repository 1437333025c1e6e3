"""Paths or standard input to Resources with exact positions; broken input becomes Problems, never exceptions."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import yaml

from hooklint.manifests.discovery import (
    PathNotFound,
    Skipped,
    rendered_kind,
    walk,
)
from hooklint.manifests.yamlnodes import Loader, NodeError, build, refusal, refusal_after_failure
from hooklint.model import Problem, Resource, Span
from hooklint.util.confine import allowed
from hooklint.util.frozen import frozen

if TYPE_CHECKING:
    from hooklint.sources.charts import Chart

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


@frozen
class LoadResult:
    resources: tuple[Resource, ...]
    problems: tuple[Problem, ...]
    files: tuple[str, ...]
    skipped: tuple[Skipped, ...]
    texts: dict[str, str]
    charts: tuple[Chart, ...] = ()  # every Helm chart met, its templates read as text (HL109 reads them)
    notes: tuple[str, ...] = ()  # one line each, for standard error: a tool that is missing, and so on


@frozen
class RenderOptions:
    """How chart and kustomization folders given as input are rendered."""

    values: tuple[str, ...] = ()  # helm --values files, in order
    namespace: str | None = None  # helm --namespace
    timeout: float = 60.0
    # From the Application's spec.source.helm: the release name, inline values, and parameters as
    # (name, value, force string).
    release: str | None = None
    values_text: str | None = None
    parameters: tuple[tuple[str, str, bool], ...] = ()
    # The repository's root: a kustomization that reaches outside it is not built. None: the current
    # folder's (confine.repository_root).
    root: str | None = None
    # HL003 at the Application's Helm settings that hooklint will not pass to helm: with any, no chart is
    # rendered.
    refused: tuple[Problem, ...] = ()


@frozen
class FileResult:
    resources: tuple[Resource, ...]
    problems: tuple[Problem, ...]
    text: str


def load(
    paths: Sequence[str],
    stdin: bytes | None = None,
    exclude: Callable[[str], bool] | None = None,
    render: RenderOptions | None = None,
    prune: frozenset[str] = frozenset(),
    roots: tuple[str, ...] = (),
) -> LoadResult:
    """Load every manifest under `paths`; `-` reads `stdin`; files `exclude` accepts are left out. A chart or
    kustomization folder given as a path is rendered with its tool (`render`) and its objects are placed at
    their sources; every chart's templates are read as text. Folders in `prune` are not entered. With
    `roots`, a path that leads outside them (through a link) is a note and is not read, and what a
    rendering placed in files outside them is left out."""
    for given in paths:
        if given != "-" and not os.path.lexists(given):
            raise PathNotFound(given)
    notes: list[str] = []
    if roots:
        outside = [given for given in paths if given != "-" and not allowed(given, roots)]
        notes += [f"hooklint: {given} lies outside the repository: not read" for given in outside]
        paths = [given for given in paths if given not in outside]
    resources: list[Resource] = []
    problems: list[Problem] = []
    texts: dict[str, str] = {}
    charts: list[Chart] = []
    plain = list(paths)
    if any(rendered_kind(given) for given in paths):
        from hooklint.sources import rendered

        part, plain = rendered.folders(paths, render or RenderOptions())
        resources, problems, texts, charts, more = part.lists()
        notes += more
        if roots:
            resources, problems, texts = _inside(roots, resources, problems, texts, notes)
    rendered_files = list(texts)
    found, skipped, chart_problems, folders = walk(plain, prune)
    if folders:
        from hooklint.sources.charts import read_chart

        # Read for HL109 only: the texts stay out of `texts`, so comments in a chart that is not rendered
        # suppress nothing and are never reported unused.
        charts += [read_chart(fs_path, display) for display, fs_path in folders]
    notes += [note for chart in charts for note in chart.notes]
    if exclude is not None:
        skipped += [
            Skipped(display, "excluded by the configuration") for display, _ in found if exclude(display)
        ]
        found = [(display, fs_path) for display, fs_path in found if not exclude(display)]
    problems += chart_problems
    for display, fs_path in found:
        data = stdin if fs_path == "-" else None
        if data is None:
            try:
                data = read_file(fs_path)
            except OSError as error:
                problems.append(
                    Problem("HL001", Span.point(display, 1, 1), f"cannot read file: {error.strerror}")
                )
                continue
        result = load_bytes(display, data)
        resources.extend(result.resources)
        problems.extend(result.problems)
        texts[display] = result.text
    files = tuple(dict.fromkeys([*rendered_files, *(d for d, _ in found)]))
    return LoadResult(
        tuple(resources), tuple(problems), files, tuple(skipped), texts, tuple(charts), tuple(notes)
    )


def _inside(
    roots: tuple[str, ...],
    resources: list[Resource],
    problems: list[Problem],
    texts: dict[str, str],
    notes: list[str],
) -> tuple[list[Resource], list[Problem], dict[str, str]]:
    """What a rendering placed in files inside `roots`; each file outside is a note (a kustomization
    base out of the repository): nothing of it is reported, and no fix can reach it."""
    out = sorted({path for path in texts if not allowed(path, roots)})
    notes += [f"hooklint: {path} lies outside the repository: left out" for path in out]
    gone = set(out)
    return (
        [r for r in resources if r.path not in gone],
        [p for p in problems if p.span.path not in gone],
        {path: text for path, text in texts.items() if path not in gone},
    )


def read_file(path: str) -> bytes:
    """A file's bytes in as few system calls as there are: open, read to the end, close. A file object would
    add a stat, a seek and a second stat to each of thousands of small files."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        chunks = []
        while chunk := os.read(fd, _CHUNK):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


_CHUNK = 1 << 20


def load_bytes(path: str, data: bytes) -> FileResult:
    if data.find(b"\0", 0, 8192) >= 0:
        return FileResult((), (Problem("HL001", Span.point(path, 1, 1), "binary file, not YAML text"),), "")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        message = f"not valid UTF-8 (byte 0x{data[error.start]:02x})"
        return FileResult((), (Problem("HL001", Span.point(path, line, column), message),), "")
    return load_text(path, text)


def load_text(path: str, text: str) -> FileResult:
    template = find_template(path, text)
    if template is not None:
        return FileResult((), (template,), text)
    return parse_text(path, text)


def parse_text(path: str, text: str) -> FileResult:
    """The objects of a text known to be rendered output: template syntax in it is data, not HL003."""
    resources: list[Resource] = []
    problems: list[Problem] = []
    refused = refusal(text, Loader)
    if refused is not None:
        where = Span.point(path, refused.line, refused.column)
        return FileResult((), (Problem("HL001", where, f"invalid YAML: {refused.message}"),), text)
    anchors = "&" in text  # without an anchor there is no alias, and nodes are built in one pass
    try:
        for node in yaml.compose_all(text, Loader=Loader):
            _document(path, node, resources, problems, anchors)
    except (yaml.YAMLError, RecursionError) as error:
        problems.append(_unreadable(path, text, error))
    return FileResult(tuple(resources), tuple(problems), text)


def _unreadable(path: str, text: str, error: yaml.YAMLError | RecursionError) -> Problem:
    """HL001 for a text the composer gave up on. Nesting beyond hooklint's bound is said in hooklint's words
    at the collection that crosses it, whichever limit of the installed libyaml or Python struck first."""
    stop = (error.problem_mark or error.context_mark) if isinstance(error, yaml.MarkedYAMLError) else None
    refused = refusal_after_failure(text, Loader, stop)
    if refused is not None:
        return Problem(
            "HL001", Span.point(path, refused.line, refused.column), f"invalid YAML: {refused.message}"
        )
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = error.problem or error.context or "invalid YAML"
        context = error.context_mark
        if error.problem and error.context and context is not None and context is not mark:
            # An unclosed construct is found only where the input ends; say where it was opened.
            problem += f" ({error.context} started at line {context.line + 1}, column {context.column + 1})"
        return Problem("HL001", Span.point(path, line, column), f"invalid YAML: {problem}")
    if isinstance(error, RecursionError):
        return Problem("HL001", Span.point(path, 1, 1), "invalid YAML: nested too deeply to read")
    return Problem("HL001", Span.point(path, 1, 1), f"invalid YAML: {error}")


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
                "HL003",
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
) -> None:
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"):
        return  # an empty document, as between two `---`
    try:
        body = build(node, anchors)
    except NodeError as error:
        problems.append(Problem("HL001", Span.of_node(path, error.node), f"invalid YAML: {error}"))
        return
    kind = body.get("kind") if isinstance(body, dict) else None
    items = body.get("items") if isinstance(body, dict) else None
    if isinstance(kind, str) and kind.endswith("List") and isinstance(items, list):
        # kind: List (and typed lists such as ConfigMapList) are unpacked into their items.
        items_node = _value_node(node, "items")
        assert isinstance(items_node, yaml.SequenceNode)
        for item_node, item in zip(items_node.value, items, strict=True):
            _object(path, item_node, item, resources, problems)
        return
    _object(path, node, body, resources, problems)


def _object(
    path: str, node: yaml.Node, body: Any, resources: list[Resource], problems: list[Problem]
) -> None:
    def bad(message: str, at: yaml.Node = node) -> None:
        problems.append(Problem("HL002", Span.of_node(path, at), f"not a Kubernetes object: {message}"))

    if not isinstance(body, dict) or not isinstance(node, yaml.MappingNode):
        what = "a list" if isinstance(body, list) else f"a {type(body).__name__} value"
        return bad(f"the document is {what}, not a mapping")
    for field_name in ("apiVersion", "kind"):
        value = body.get(field_name)
        if not isinstance(value, str) or not value.strip():
            where = _key_node(node, field_name) or node
            return bad(
                f"`{field_name}` is missing" if value is None else f"`{field_name}` is not a string", where
            )
    metadata = body.get("metadata")
    if not isinstance(metadata, dict):
        where = _key_node(node, "metadata") or node
        return bad("`metadata` is missing" if metadata is None else "`metadata` is not a mapping", where)
    name, generate_name = metadata.get("name"), metadata.get("generateName")
    if name is not None and not isinstance(name, str):
        metadata_node = _value_node(node, "metadata") or node
        return bad("`metadata.name` is not a string", _value_node(metadata_node, "name") or node)
    if not name and not (isinstance(generate_name, str) and generate_name):
        return bad(
            "neither `metadata.name` nor `metadata.generateName` is set", _key_node(node, "metadata") or node
        )
    namespace = metadata.get("namespace")
    resources.append(
        Resource(
            path=path,
            index=len(resources),  # the list holds this file's objects only
            api_version=body["apiVersion"].strip(),
            kind=body["kind"].strip(),
            name=name or str(generate_name),
            generate_name=not name,
            namespace=namespace if isinstance(namespace, str) and namespace else None,
            body=body,
            node=node,
        )
    )
    return None


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
