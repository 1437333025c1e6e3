"""Where rendered objects came from: helm's `# Source:` documents aligned line by line with their templates,
and kustomize's objects matched to the files they were built from; node positions are moved there."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import replace

import yaml

from hooklint.model import Resource, Span
from hooklint.util.frozen import frozen

_SOURCE = re.compile(r"^# Source: (.+?)\s*$")
_SEPARATOR = re.compile(r"^---(?:\s|$)")
# A mapping key at the start of a line (after a `- ` list marker): `image:`, `"helm.sh/hook":`.
_KEY = re.compile(r"^(\s*(?:-\s+)*)((?:\"[^\"]*\"|'[^']*'|[^\s:#\"'{][^:#]*?))\s*:(?:\s|$)")
_ACTION_ONLY = re.compile(r"^\s*\{\{.*\}\}\s*$")
# A line of template control only (if, range, end, variables, comments): it writes no line of its own.
_CONTROL_ONLY = re.compile(
    r"^\s*(?:\{\{-?\s*(?:(?:if|else|end|range|with|define|block|break|continue)\b|/\*|\$\w*\s*:?=)[^}]*\}\}\s*)+$"
)

Locate = Callable[[int, int], tuple[int, int]]  # 0-based (line, column) in one text to those in another


@frozen
class Group:
    """The documents helm rendered from one source file, joined into one text with `---` between them."""

    source: str | None  # as helm names it: `chart/templates/job.yaml`; None without a `# Source:` line
    text: str


def split_helm(output: str) -> list[Group]:
    """helm template's output as one Group per source file, in order of first appearance."""
    documents: list[tuple[str | None, list[str]]] = [(None, [])]
    for line in output.splitlines():
        if _SEPARATOR.match(line):
            documents.append((None, []))
            continue
        source, lines = documents[-1]
        found = _SOURCE.match(line)
        if found and source is None and not any(item.strip() for item in lines):
            documents[-1] = (found.group(1), [])
            continue
        lines.append(line)
    groups: dict[str | None, list[str]] = {}
    for source, lines in documents:
        if any(line.strip() and not line.lstrip().startswith("#") for line in lines):
            groups.setdefault(source, []).append("\n".join(lines) + "\n")
    return [Group(source, "---\n".join(texts)) for source, texts in groups.items()]


class _Index:
    """A template's lines by indentation and stripped text, and by indentation and leading key. Rendered lines
    a template writes literally keep their indentation, so a line elsewhere with another indentation is not
    where a rendered line came from."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.by_text: dict[tuple[int, str], list[int]] = {}
        self.by_key: dict[tuple[int, bool, str], list[int]] = {}
        for number, line in enumerate(lines):
            stripped = line.strip()
            if stripped:
                self.by_text.setdefault((_indent(line), stripped), []).append(number)
            key = _key(line)
            if key:
                self.by_key.setdefault(key, []).append(number)

    def candidates(self, line: str) -> list[list[int]]:
        key = _key(line)
        found = [self.by_text.get((_indent(line), line.strip()), [])]
        if key:
            found.append(self.by_key.get(key, []))
        return found

    def forward(self, after: int, line: str) -> int | None:
        """The first line after `after` with the same text or key, at the same indentation."""
        found = [c[bisect_right(c, after)] for c in self.candidates(line) if bisect_right(c, after) < len(c)]
        return min(found) if found else None

    def backward(self, before: int, line: str) -> int | None:
        """The nearest such line at or before `before`: the second round of a `range` loop."""
        found = [c[bisect_right(c, before) - 1] for c in self.candidates(line) if bisect_right(c, before) > 0]
        return max(found) if found else None


def align(rendered: str, template: str) -> Locate:
    """Map positions in `rendered` to the template line each rendered line most likely came from.

    A rendered line matches the nearest following template line with the same text, or the same key, at the
    same indentation; control lines (if, range, end) in between are stepped over. Where the next template
    line that writes anything is an action alone on its line (an include or toYaml), rendered lines up to
    the template's next literal line are that action's output; where it starts with literal text before an
    action (`- {{ . }}`), a rendered line starting with that text is its output. A line that matches nothing
    ahead matches the nearest such line before (a range loop's next round), else stays with the last matched
    line."""
    template_lines = template.splitlines() or [""]
    index = _Index(template_lines)
    lines: list[tuple[int, bool]] = []  # per rendered line: the template line, and whether it matched
    anchor = -1
    for line in rendered.splitlines():
        if not line.strip():
            lines.append((max(anchor, 0), False))
            continue
        found = index.forward(anchor, line)
        output = _next_writer(template_lines, anchor + 1)
        if output is not None and _ACTION_ONLY.match(template_lines[output]):
            literal = _next_writer(template_lines, output + 1, literal=True)
            if found is None or found != literal:
                lines.append((output, False))
                continue
        if found is None and output is not None and _same_prefix(template_lines[output], line):
            found = output
        if found is None:
            found = index.backward(anchor, line)
        if found is None:
            lines.append((max(anchor, 0), False))
            continue
        lines.append((found, True))
        anchor = found

    def locate(line: int, column: int) -> tuple[int, int]:
        if not lines:
            return 0, 0
        number, matched = lines[line] if line < len(lines) else (lines[-1][0], False)
        if not matched:
            return number, _indent(template_lines[number])
        return number, min(column, len(template_lines[number]))

    return locate


def _next_writer(lines: list[str], start: int, literal: bool = False) -> int | None:
    """The first line from `start` that writes output (not blank, not control only); with `literal`, the
    first that is not an action alone either."""
    for number in range(start, len(lines)):
        line = lines[number]
        if not line.strip() or _CONTROL_ONLY.match(line) or (literal and _ACTION_ONLY.match(line)):
            continue
        return number
    return None


def _same_prefix(template_line: str, line: str) -> bool:
    """Whether `line` starts with the literal text before the template line's first action (`- {{ . }}`)."""
    prefix = template_line.split("{{", 1)[0]
    return "{{" in template_line and bool(prefix.strip()) and line.startswith(prefix)


def _key(line: str) -> tuple[int, bool, str] | None:
    """A line's key, its column, and whether it opens a list item: `- name:` is not `name:`."""
    found = _KEY.match(line)
    return (found.start(2), "-" in found.group(1), found.group(2)) if found else None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def relocate(resource: Resource, path: str, text: str, locate: Locate, index: int | None = None) -> Resource:
    """`resource` with every node's position moved by `locate` into `text`, the file at `path`."""
    starts = _line_starts(text)
    lines = text.splitlines() or [""]

    def mark(line: int, column: int) -> yaml.Mark:
        line = min(max(line, 0), len(starts) - 1)
        return yaml.Mark(path, starts[line] + column, line, column, None, 0)

    for node in nodes(resource.node):
        start = locate(node.start_mark.line, node.start_mark.column)
        end = locate(node.end_mark.line, node.end_mark.column)
        if end < start:
            end = (start[0], len(lines[min(start[0], len(lines) - 1)]))
        node.start_mark, node.end_mark = mark(*start), mark(*end)
    return replace(resource, path=path, index=resource.index if index is None else index)


def relocate_span(span: Span, path: str, locate: Locate) -> Span:
    line, column = locate(span.line - 1, span.column - 1)
    end_line, end_column = locate(span.end_line - 1, span.end_column - 1)
    if (end_line, end_column) < (line, column):
        end_line, end_column = line, column
    return Span(path, line + 1, column + 1, end_line + 1, end_column + 1)


def graft(resource: Resource, source: Resource) -> Resource:
    """`resource` placed in `source`'s file: each node takes the position of the node at the same path in
    `source`, or of its nearest ancestor that has one (fields a transformer added)."""

    def walk(node: yaml.Node, twin: yaml.Node | None, inherited: tuple[yaml.Mark, yaml.Mark]) -> None:
        marks = (twin.start_mark, twin.end_mark) if twin is not None else inherited
        node.start_mark, node.end_mark = marks
        if isinstance(node, yaml.MappingNode):
            pairs = {}
            if isinstance(twin, yaml.MappingNode):
                pairs = {k.value: (k, v) for k, v in twin.value if isinstance(k, yaml.ScalarNode)}
            for key, value in node.value:
                twin_key, twin_value = (
                    pairs.get(key.value, (None, None)) if isinstance(key, yaml.ScalarNode) else (None, None)
                )
                walk(key, twin_key, marks)
                walk(value, twin_value, marks)
        elif isinstance(node, yaml.SequenceNode):
            items = twin.value if isinstance(twin, yaml.SequenceNode) else []
            for position, item in enumerate(node.value):
                walk(item, items[position] if position < len(items) else None, marks)

    walk(resource.node, source.node, (source.node.start_mark, source.node.end_mark))
    return replace(resource, path=source.path)


def place(resource: Resource, path: str, text: str, line: int) -> Resource:
    """`resource` placed entirely on one line (0-based) of the file at `path`: for objects a tool generated."""
    lines = text.splitlines() or [""]
    line = min(max(line, 0), len(lines) - 1)
    return relocate(resource, path, text, lambda _line, _column: (line, _indent(lines[line])))


def nodes(root: yaml.Node) -> list[yaml.Node]:
    found, stack, seen = [], [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        found.append(node)
        if isinstance(node, yaml.MappingNode):
            stack += [part for pair in node.value for part in pair]
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value
    return found


def _line_starts(text: str) -> list[int]:
    return [0, *(match.end() for match in re.finditer("\n", text))]
