"""A Helm chart's templates read as text: which `.Values` each document uses, directly or through helpers."""

from __future__ import annotations

import json
import os
import posixpath
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import field
from typing import Any, NamedTuple

from hooklint.model import Span
from hooklint.sources.gotemplate import RELATIVE, ROOT, VALUES, Part, Ref, compose, read
from hooklint.util import confine
from hooklint.util.frozen import frozen

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
    notes: tuple[str, ...] = ()  # for standard error: includes not followed

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
            # Normalized as the rendered objects' paths are: a chart given as `.` holds `templates/x.yaml`.
            shown = posixpath.normpath(
                posixpath.join(display, os.path.relpath(path, folder).replace(os.sep, "/"))
            )
            if not confine.inside(path, folder):
                continue  # a link out of the chart (or into a .git) is none of its templates
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
    resolver = _Resolver(display, helpers, texts, lines)
    result = []
    for part in documents:
        text = texts[part.path]
        kind, phases = _classify(resolver.annotations(part))
        uses = resolver.uses(part)
        line = _position(lines[part.path], _skip_blank(text, part.start))
        result.append(Document(part.path, Span.point(part.path, *line), kind, phases, tuple(uses)))
    return Chart(display, tuple(result), texts, tuple(resolver.notes))


def _skip_blank(text: str, start: int) -> int:
    while start < len(text) and text[start] in " \t\r\n":
        start += 1
    return min(start, max(len(text) - 1, 0))


class _Use(NamedTuple):
    """A value use as a helper makes it, whatever calls it: `base` is the helper's dot (RELATIVE) or part of it,
    or `.Values` (VALUES); `via` the include calls below the helper that lead to it."""

    base: Ref
    path: tuple[str, ...]
    span: Span
    via: tuple[Span, ...]


# Value uses a chart's helpers may expand to in all, counting each include call a use passes through: far above
# real charts (hundreds), far below what helpers that each include the next twice reach (2 ** depth).
BUDGET = 500_000


class _Resolver:
    """Each helper's uses and annotations worked out once, relative to its argument, so that what a helper
    yields never depends on who includes it. An include that closes a cycle of helpers is not followed, and
    once the chart's helpers have expanded to BUDGET uses no further include is; a note says so."""

    def __init__(
        self, display: str, helpers: dict[str, Part], texts: dict[str, str], lines: dict[str, list[int]]
    ) -> None:
        self.display = display
        self.helpers = helpers
        self.texts = texts
        self.lines = lines
        self.cycle = _cycles({name: [n for n, _, _, _ in part.includes] for name, part in helpers.items()})
        self.expanded: dict[str, tuple[list[_Use], int]] = {}  # a helper's uses, and their cost
        self.written: dict[str, list[tuple[str, str]]] = {}  # a helper's hook annotations
        self.spent = 0
        self.notes: list[str] = []
        self.noted: set[int] = set()
        self.exhausted = False

    def span(self, path: str, start: int, end: int) -> Span:
        line, column = _position(self.lines[path], start)
        end_line, end_column = _position(self.lines[path], end)
        return Span(path, line, column, end_line, end_column)

    def follows(self, owner: str | None, name: str) -> bool:
        """Whether `owner` (a helper, or None for a document) including `name` is followed."""
        if name not in self.helpers:
            return False
        if owner is None or self.cycle.get(owner) is None or self.cycle.get(owner) != self.cycle.get(name):
            return True
        group = self.cycle[name]
        if group not in self.noted:
            self.noted.add(group)
            self.notes.append(self._cycle_note(group))
        return False

    def _cycle_note(self, group: int) -> str:
        names = sorted(name for name, found in self.cycle.items() if found == group)
        if len(names) == 1:
            return f'hooklint: chart {self.display}: helper "{names[0]}" includes itself, so HL109 does not follow that include'
        quoted = [f'"{name}"' for name in names[:4]]
        listed = f"{', '.join(quoted[:-1])} and {quoted[-1]}" if len(names) <= 4 else ", ".join(quoted)
        more = f" and {len(names) - 4} more" if len(names) > 4 else ""
        return (
            f"hooklint: chart {self.display}: helpers {listed}{more} include each other, "
            "so HL109 does not follow the includes between them"
        )

    def _order(self, name: str, ready: dict[str, Any]) -> list[str]:
        """`name` and the helpers it includes (followed) not yet in `ready`, each after those it includes."""
        order: list[str] = []
        stack, placed = [name], set()
        while stack:
            current = stack[-1]
            if current in placed or current in ready:
                stack.pop()
                continue
            pending = [
                n
                for n, _, _, _ in self.helpers[current].includes
                if n not in placed and n not in ready and self.follows(current, n)
            ]
            if pending:
                stack.extend(reversed(pending))
            else:
                placed.add(current)
                order.append(stack.pop())
        return order

    def _expand(self, part: Part, owner: str | None) -> tuple[list[_Use], int]:
        found = [
            _Use(_VALUES, path, self.span(part.path, start, end), ()) for path, start, end in part.absolute
        ]
        found += [_Use(_RELATIVE, path, self.span(part.path, s, e), ()) for path, s, e in part.relative]
        cost = len(found)
        for name, argument, start, end in part.includes:
            if self.exhausted or not self.follows(owner, name):
                continue
            uses, price = self.expanded[name]
            if self.spent + price + len(uses) > BUDGET:
                self.exhausted = True
                where = f'helper "{owner}"' if owner is not None else part.path
                self.notes.append(
                    f'hooklint: chart {self.display}: following helper "{name}" from {where} would exceed '
                    f"{BUDGET} value uses, so HL109 follows no further includes in this chart"
                )
                continue
            self.spent += price + len(uses)
            context = compose(_RELATIVE, argument)
            call = self.span(part.path, start, end)
            for use in uses:
                base = compose(context, use.base) if use.base.kind == RELATIVE else use.base
                if base.kind in (VALUES, RELATIVE):
                    found.append(_Use(base, use.path, use.span, (call, *use.via)))
                    cost += 1 + len(use.via)
        # In the order of the include tree: a helper's uses by the calls that lead to them, then position.
        found.sort(key=lambda use: (use.via, use.span))
        return found, cost

    def uses(self, part: Part) -> list[ValueUse]:
        """The values a document uses, directly or through the helpers it includes, in document order."""
        for name, _, _, _ in part.includes:
            if name in self.helpers and name not in self.expanded:
                for helper in self._order(name, self.expanded):
                    self.expanded[helper] = self._expand(self.helpers[helper], helper)
        found = []
        for use in self._expand(part, None)[0]:
            # A document's dot is the root object.
            base = compose(Ref(ROOT), use.base) if use.base.kind == RELATIVE and use.via else use.base
            if base.kind == VALUES:
                found.append(ValueUse(".".join(base.path + use.path), use.span, use.via))
        return sorted(found, key=lambda use: (use.via[0] if use.via else use.span, use.via, use.span))

    def annotations(self, part: Part) -> list[tuple[str, str]]:
        """The hook annotations a document writes, its included helpers' too."""
        for name, _, _, _ in part.includes:
            if name in self.helpers and name not in self.written:
                for helper in self._order(name, self.written):
                    self.written[helper] = self._annotations(self.helpers[helper], helper)
        return self._annotations(part, None)

    def _annotations(self, part: Part, owner: str | None) -> list[tuple[str, str]]:
        text = self.texts[part.path]
        pieces, cursor = [], part.start
        for start, end in part.defines:
            pieces.append(text[cursor:start])
            cursor = end if end >= 0 else part.end
        pieces.append(text[cursor : part.end])
        lines = [line for line in "".join(pieces).splitlines() if not line.lstrip().startswith("#")]
        found = [(m.group(1), _unquote(m.group("value"))) for m in _HOOK_KEY.finditer("\n".join(lines))]
        for name, _, _, _ in part.includes:
            if self.follows(owner, name):
                found += self.written[name]
        # Each pair once, at its last place: the mapping they make (the last value of a key wins) is the same.
        return list(reversed(dict.fromkeys(reversed(found))))


_VALUES, _RELATIVE = Ref(VALUES), Ref(RELATIVE)


def _cycles(includes: dict[str, list[str]]) -> dict[str, int]:
    """For each helper on a cycle of includes (itself included), a number its cycle's helpers share
    (Tarjan's strongly connected components, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: dict[str, int] = {}
    for root in includes:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            name, next_child = work[-1]
            if next_child == 0:
                index[name] = low[name] = len(index)
                stack.append(name)
                on_stack.add(name)
            children = [child for child in includes[name] if child in includes]
            if next_child < len(children):
                work[-1] = (name, next_child + 1)
                child = children[next_child]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[name] = min(low[name], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[name])
            if low[name] == index[name]:
                members = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.append(member)
                    if member == name:
                        break
                if len(members) > 1 or name in includes[name]:
                    for member in members:
                        found[member] = index[name]
    return found


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _classify(annotations: list[tuple[str, str]]) -> tuple[str, tuple[str, ...]]:
    """Whether Argo CD applies the document as a resource or a hook, or not at all (docs/argocd.md#hook-types, docs/argocd.md#helm-hooks, docs/argocd.md#classification)."""
    if not annotations:
        return RESOURCE, ()
    if any("{{" in value for _, value in annotations):
        return HOOK, (TEMPLATED,)
    from hooklint.argocd.annotated import Annotated
    from hooklint.manifests.parse import parse_text

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
