"""A Helm chart's templates read as text: which `.Values` each document uses, directly or through helpers."""

from __future__ import annotations

import json
import os
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import field

from hooklint.frozen import frozen
from hooklint.gotemplate import ROOT, VALUES, Part, Ref, compose, read
from hooklint.model import Span

RESOURCE, HOOK, NOT_APPLIED = "resource", "hook", "not-applied"
TEMPLATED = "?"  # a hook annotation whose value is itself a template: the phase is known only once rendered


@frozen
class ValueUse:
    value: str  # the path under .Values, dotted ("" for .Values itself)
    span: Span  # where the template writes it
    via: tuple[Span, ...] = ()  # the include/template calls that lead to it, outermost first


@frozen
class Document:
    """One document of a template (the text between `---` lines): a resource, a hook, or never applied."""

    path: str
    span: Span
    kind: str
    phases: tuple[str, ...]  # for a hook: its sync phases and delete types, or TEMPLATED
    uses: tuple[ValueUse, ...]

    @property
    def phase_text(self) -> str:
        return "templated" if TEMPLATED in self.phases else "/".join(self.phases)


@frozen
class Chart:
    path: str  # the chart folder, as displayed
    documents: tuple[Document, ...]
    texts: dict[str, str] = field(default_factory=dict)  # every template read, by display path

    def hook_only(self, phases: Iterable[str]) -> dict[str, list[tuple[ValueUse, Document]]]:
        """Each value that hooks of `phases` (or with a templated phase) use and no resource document uses,
        nor a value containing it (`toYaml .Values.a` carries `.Values.a.b`): its uses in document order."""
        wanted = {*phases, TEMPLATED}
        tracked = {use.value for doc in self.documents if doc.kind == RESOURCE for use in doc.uses}
        found: dict[str, list[tuple[ValueUse, Document]]] = {}
        for doc in self.documents:
            if doc.kind != HOOK or not wanted & set(doc.phases):
                continue
            for use in doc.uses:
                if not any(not t or t == use.value or use.value.startswith(t + ".") for t in tracked):
                    found.setdefault(use.value, []).append((use, doc))
        return found


_HOOK_KEY = re.compile(
    r"[\"']?(argocd\.argoproj\.io/hook|helm\.sh/hook)[\"']?\s*:\s*(?P<value>\"[^\"\n]*\"|'[^'\n]*'|[^\n#]*)"
)


def read_chart(folder: str, display: str) -> Chart:
    """Every template under `folder`/templates: each document with the values it uses, helpers followed."""
    texts: dict[str, str] = {}
    root = os.path.join(folder, "templates")
    for current, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = os.path.join(current, name)
            shown = display.rstrip("/") + "/" + os.path.relpath(path, folder).replace(os.sep, "/")
            try:
                with open(path, "rb") as handle:
                    texts[shown] = handle.read().decode("utf-8-sig")
            except (OSError, UnicodeDecodeError):
                continue
    return analyse(display, texts)


def analyse(display: str, texts: dict[str, str]) -> Chart:
    """The chart's documents from its template texts (display path to text)."""
    helpers: dict[str, Part] = {}
    documents: list[Part] = []
    for path in sorted(texts):
        name = path.rsplit("/", 1)[-1]
        # Helm renders neither partials (`_*`) nor NOTES.txt into the release; their defines still count.
        rendered = not name.startswith("_") and name != "NOTES.txt"
        parts, defined = read(path, texts[path])
        helpers.update(defined)
        if rendered:
            documents.extend(parts)
    lines = {path: _line_starts(text) for path, text in texts.items()}
    resolver = _Resolver(helpers, texts, lines)
    result = []
    for part in documents:
        text = texts[part.path]
        kind, phases = _classify(resolver.annotations(part))
        uses = resolver.uses(part, Ref(ROOT))
        line = _position(lines[part.path], _skip_blank(text, part.start))
        result.append(Document(part.path, Span.point(part.path, *line), kind, phases, tuple(uses)))
    return Chart(display, tuple(result), texts)


def _skip_blank(text: str, start: int) -> int:
    while start < len(text) and text[start] in " \t\r\n":
        start += 1
    return min(start, max(len(text) - 1, 0))


class _Resolver:
    def __init__(self, helpers: dict[str, Part], texts: dict[str, str], lines: dict[str, list[int]]) -> None:
        self.helpers = helpers
        self.texts = texts
        self.lines = lines
        self.active: set[tuple[str, Ref]] = set()

    def span(self, path: str, start: int, end: int) -> Span:
        line, column = _position(self.lines[path], start)
        end_line, end_column = _position(self.lines[path], end)
        return Span(path, line, column, end_line, end_column)

    def uses(self, part: Part, context: Ref, via: tuple[Span, ...] = ()) -> list[ValueUse]:
        found = [
            ValueUse(".".join(path), self.span(part.path, start, end), via)
            for path, start, end in part.absolute
        ]
        if context.kind == VALUES:
            found += [
                ValueUse(".".join(context.path + path), self.span(part.path, start, end), via)
                for path, start, end in part.relative
            ]
        for name, argument, start, end in part.includes:
            helper = self.helpers.get(name)
            key = (name, compose(context, argument))
            if helper is None or key in self.active:
                continue
            self.active.add(key)
            found += self.uses(helper, key[1], (*via, self.span(part.path, start, end)))
            self.active.discard(key)
        return sorted(found, key=lambda use: (use.via[0] if use.via else use.span, use.via, use.span))

    def annotations(self, part: Part, seen: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
        """The hook annotations a document or helper writes, its included helpers' too."""
        text = self.texts[part.path]
        pieces, cursor = [], part.start
        for start, end in part.defines:
            pieces.append(text[cursor:start])
            cursor = end if end >= 0 else part.end
        pieces.append(text[cursor : part.end])
        lines = [line for line in "".join(pieces).splitlines() if not line.lstrip().startswith("#")]
        found = [(m.group(1), _unquote(m.group("value"))) for m in _HOOK_KEY.finditer("\n".join(lines))]
        for name, _, _, _ in part.includes:
            helper = self.helpers.get(name)
            if helper is not None and name not in seen:
                found += self.annotations(helper, seen | {name})
        return found


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _classify(annotations: list[tuple[str, str]]) -> tuple[str, tuple[str, ...]]:
    """Whether Argo CD applies the document as a resource or a hook, or not at all (§1.3, §1.4, §2)."""
    if not annotations:
        return RESOURCE, ()
    if any("{{" in value for _, value in annotations):
        return HOOK, (TEMPLATED,)
    from hooklint.annotated import Annotated
    from hooklint.loader import parse_text

    entries = "".join(
        f"    {json.dumps(key)}: {json.dumps(value)}\n" for key, value in dict(annotations).items()
    )
    text = f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: template\n  annotations:\n{entries}"
    (resource,) = parse_text("<template>", text).resources
    item = Annotated(resource)
    if item.skip or (item.is_hook and not item.runs):
        return NOT_APPLIED, ()
    if not item.is_hook:
        return RESOURCE, ()
    return HOOK, (*item.types, *item.delete_types)


def _line_starts(text: str) -> list[int]:
    return [0, *(match.end() for match in re.finditer("\n", text))]


def _position(starts: list[int], offset: int) -> tuple[int, int]:
    line = bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1
