"""Chart and kustomization folders given as input: rendered with their tool, objects placed at their sources."""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from hooklint.argocd.annotated import named_at_sync
from hooklint.argocd.application import release_for
from hooklint.manifests.discovery import rendered_kind
from hooklint.manifests.parse import load_bytes, parse_text, read_file
from hooklint.model import INVALID_YAML, UNRENDERED_TEMPLATE, Problem, Resource, Span
from hooklint.sources import kustomize_tree, patches, render, sourcemap
from hooklint.sources.charts import HOOK, TEMPLATED, Chart, read_chart
from hooklint.sources.input import RenderOptions
from hooklint.util import confine

# Where helm's error names a template position: `template: shop/templates/job.yaml:12:20: ...` (helm 3),
# `shop/templates/job.yaml:12:20 executing ...` (helm 4, its lines joined), or
# `parse error at (shop/templates/job.yaml:5): ...`.
_HELM_AT = re.compile(r"(?:^|template: |\()([^\s:()]+/[^\s:()]+):(\d+)(?::(\d+))?")
_NAME_LINE = re.compile(r"^\s*(?:-\s+)?name:\s*[\"']?([A-Za-z0-9][\w.-]*)")


@dataclass
class Contribution:
    """What one rendered folder adds to the load; `fallback`: lint its plain files as they are instead."""

    resources: list[Resource] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    charts: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fallback: bool = False
    # The folders whose tool ran and failed: Argo CD gets no manifests for them, and syncs nothing.
    unrendered: list[str] = field(default_factory=list)
    placeholders: dict[str, tuple[Span, ...]] = field(default_factory=dict)  # charts read without helm
    left_out: int = 0  # documents of those charts not made objects

    def lists(self) -> tuple[list[Resource], list[Problem], dict[str, str], list[Chart], list[str]]:
        return self.resources, self.problems, self.texts, self.charts, self.notes


def folders(paths: Sequence[str], options: RenderOptions) -> tuple[Contribution, list[str]]:
    """Every chart and kustomization folder among `paths` rendered, in order; and the paths to walk for
    plain files (the others, and the folders that could not be built)."""
    out, plain = Contribution(), []
    for given in paths:
        kind = rendered_kind(given)
        if kind is None:
            plain.append(given)
            continue
        if kind == "chart" and options.refused:
            # Told once, at the Application's fields, however many charts are given.
            out.problems += [p for p in options.refused if p not in out.problems]
        part = (chart if kind == "chart" else kustomization)(given, _display(given), options)
        out.resources += part.resources
        out.problems += part.problems
        out.texts.update(part.texts)
        out.charts += part.charts
        out.notes += part.notes
        out.placeholders.update(part.placeholders)
        out.left_out += part.left_out
        out.unrendered += part.unrendered
        if part.fallback:
            plain.append(given)
    return out, plain


def _join(display: str, relative: str) -> str:
    return posixpath.normpath(posixpath.join(display, relative))


def chart(folder: str, display: str, options: RenderOptions) -> Contribution:
    """The chart's templates read as text (always) and, with helm on PATH, its rendering placed at them."""
    found = read_chart(folder, display)
    out = Contribution(charts=[found])
    release = options.release or release_for(os.path.basename(os.path.abspath(folder)))
    if render.helm_command(folder, release, (), None) is None:
        return _static(out, folder, display, options, "helm is not on PATH")
    if options.refused:
        return out  # the Application's settings are refused (HL003 at them): its templates are read as text
    # helm reads the chart folder whole, following links: a chart with a link out of it is not rendered, and
    # one that holds `.git` is rendered from a copy without it (hooklint.util.confine).
    root = options.root if options.root and confine.inside(folder, options.root) else None
    found_tree = confine.survey(folder, root or confine.repository_root(folder), display)
    if found_tree.refusal is not None:
        return _static(out, folder, display, options, f"{found_tree.refusal}: helm is not run")
    with confine.without_git(folder, found_tree) as seen:
        if seen is None:
            why = f"{display} holds .git and weighs more than helm reads in a chart: helm is not run"
            return _static(out, folder, display, options, why)
        outcome = _helm(seen, folder, release, options)
    if isinstance(outcome, render.Failed) and not outcome.ran:
        return _static(out, folder, display, options, f"helm could not be run ({outcome.error})")
    if isinstance(outcome, render.Failed) and f"unknown flag: {render.SKIP_SCHEMA}" in outcome.error:
        why = f"this helm has no {render.SKIP_SCHEMA} (helm 3.16 and later have it)"
        return _static(out, folder, display, options, why)
    if isinstance(outcome, render.Failed):
        out.problems.append(
            Problem(
                UNRENDERED_TEMPLATE, _helm_error_at(outcome.error, display, found.texts), _failed(outcome)
            )
        )
        out.unrendered.append(display)
        return out
    # Rendered, the templates are what findings point at; comments in them suppress as in any manifest.
    out.texts.update(found.texts)
    groups = sourcemap.split_helm(outcome.output)
    for group in groups:
        _add_group(out, folder, display, group)
    if options.release is None:
        written = {resource.path for resource in out.resources}
        hooks = [d.path for d in found.documents if d.kind == HOOK and TEMPLATED not in d.phases]
        _silent_hooks(out, display, [path for path in hooks if path not in written])
    return out


def _helm(chart: str, folder: str, release: str, options: RenderOptions) -> render.Rendered | render.Failed:
    """`helm template` of the chart `folder` read from `chart` (the folder itself, or a copy of it), with the
    Application's inline values after its values files, on helm's standard input: nothing is written for
    them. An error that names the copy names the chart's own folder instead."""
    inline = options.values_text.encode("utf-8") if options.values_text else None
    values = [*options.values, *(["-"] if inline is not None else [])]
    command = render.helm_command(chart, release, values, options.namespace, options.parameters)
    assert command is not None
    outcome = render.run(command, options.timeout, inline)
    if isinstance(outcome, render.Failed) and chart != folder:
        return replace(outcome, error=outcome.error.replace(chart, os.path.abspath(folder)))
    return outcome


def _static(out: Contribution, folder: str, display: str, options: RenderOptions, why: str) -> Contribution:
    """The chart read without helm (hooklint.sources.static): its templates' literal YAML, every action a
    placeholder, conditions on the values worked out where they are simple."""
    from hooklint.sources import static

    chart = out.charts[0]
    values = static.values_of(folder, options.values, options.values_text, options.parameters)
    reading = static.read_templates(chart.texts, values)
    out.notes.append(
        f"hooklint: {why}, so {display} is read without it: template actions are placeholders, "
        "and findings say so"
    )
    out.notes += reading.notes
    out.texts.update(chart.texts)
    out.resources += reading.resources
    out.placeholders.update(reading.placeholders)
    out.left_out += reading.left_out
    if options.release is None:
        _silent_hooks(out, display, list(reading.silent_hooks))
    return out


def _silent_hooks(out: Contribution, display: str, templates: list[str]) -> None:
    """A note naming the templates that write hook annotations but yield nothing with the chart's own
    values: their hooks are off by default, and no Application in the input says otherwise."""
    if templates:
        names = ", ".join(sorted(dict.fromkeys(templates)))
        out.notes.append(
            f"hooklint: {display}: with the chart's default values these templates write hook annotations but "
            f"render nothing, so their hooks are not checked: {names}"
        )


def _failed(outcome: render.Failed) -> str:
    """What failed and the tool's message, with the absolute paths hooklint passed it made relative again."""
    here = os.path.join(os.path.abspath(os.curdir), "")
    return f"{' '.join(outcome.command.split()[:2])} failed: {outcome.error.replace(here, '')}"


def _helm_error_at(error: str, display: str, texts: dict[str, str]) -> Span:
    found = _HELM_AT.search(error)
    if found:
        path = _join(display, found.group(1).split("/", 1)[1])
        if path in texts:
            return Span.point(path, int(found.group(2)), int(found.group(3) or 1))
    return Span.point(_join(display, "Chart.yaml"), 1, 1)


def _add_group(out: Contribution, folder: str, display: str, group: sourcemap.Group) -> None:
    relative = group.source.split("/", 1)[1] if group.source and "/" in group.source else None
    if relative is not None and not _in_chart(folder, relative):
        # A `# Source:` line is the chart's to write (crds/ files are printed as they are): one naming a
        # file outside the chart is not followed, and the document stands for itself.
        relative = None
    path = _join(display, relative) if relative else f"{display} (helm template)"
    text = out.texts.get(path)
    if text is None and relative:
        try:
            with open(os.path.join(folder, *relative.split("/")), "rb") as handle:
                text = handle.read().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            text = None  # a packaged subchart's template: not on disk
    result = parse_text(path, group.text, named_at_sync)
    if text is None:
        # Without the source, the rendered text itself stands in for it.
        out.texts[path] = group.text
        out.resources += result.resources
        out.problems += result.problems
        return
    out.texts[path] = text
    locate = sourcemap.align(group.text, text)
    out.resources += [sourcemap.relocate(r, path, text, locate) for r in result.resources]
    out.problems += [replace(p, span=sourcemap.relocate_span(p.span, path, locate)) for p in result.problems]


def _in_chart(folder: str, relative: str) -> bool:
    """Whether a source helm names, relative to the chart, lies inside the chart folder, links followed."""
    return "\0" not in relative and confine.inside(os.path.join(folder, *relative.split("/")), folder)


def kustomization(folder: str, display: str, options: RenderOptions) -> Contribution:
    """The folder built with kustomize (or kubectl kustomize), each object placed in the file it came from."""
    command = render.kustomize_command(folder)
    file = render.kustomization_file(folder) or os.path.join(folder, "kustomization.yaml")
    shown = _join(display, os.path.basename(file))
    if command is None:
        note = f"hooklint: neither kustomize nor kubectl is on PATH, so {display} is not built: its files are linted as they are"
        return Contribution(notes=[note], fallback=True)
    tree = kustomize_tree.inspect(folder, options.root or confine.repository_root(os.curdir))
    if tree.broken is not None:
        # kustomize fails on this file too: Argo CD cannot build the application, as with a failed build.
        where = Span.point(_display(tree.broken.file), tree.broken.line, tree.broken.column)
        message = f"{tree.broken.message}: kustomize cannot build {display}"
        return Contribution(
            problems=[Problem(INVALID_YAML, where, message)], fallback=True, unrendered=[display]
        )
    if tree.refusal is not None:
        note = f"hooklint: {display} is not built: {tree.refusal}; its files are linted as they are"
        return Contribution(notes=[note], fallback=True)
    outcome = render.run(command, options.timeout)
    if isinstance(outcome, render.Failed):
        # Lint goes on with the folder's plain files; Argo CD builds a kustomization folder with kustomize
        # only (docs/argocd.md#application-roots), so it has nothing to sync.
        return Contribution(
            problems=[Problem(INVALID_YAML, Span.point(shown, 1, 1), _failed(outcome))],
            fallback=True,
            unrendered=[display],
        )
    out = Contribution()
    built = parse_text(f"{display} (kustomize build)", outcome.output, named_at_sync)
    out.problems += [replace(p, span=Span.point(shown, 1, 1)) for p in built.problems]
    files, kustomizations = tree.files, tree.kustomizations
    sources: list[Resource] = []
    for path in files:
        try:
            loaded = load_bytes(_display(path), read_file(path), named_at_sync)
        except OSError:
            continue
        sources += loaded.resources
        out.texts[_display(path)] = loaded.text
    names = _name_lines(kustomizations, out.texts)
    # Bases apply their patches before the overlays that include them.
    applied: list[patches.Patch] = []
    for file in reversed(kustomizations):
        found, texts = patches.read(file, _display(file))
        applied += found
        out.texts.update(texts)
    counts: dict[str, int] = {}
    for resource in built.resources:
        source = _match(resource, sources)
        if source is not None:
            placed = patches.overlay(sourcemap.graft(resource, source), source.name, applied)
        else:
            path, line = _generator_line(resource.name, names, shown)
            placed = sourcemap.place(resource, path, out.texts.get(path, ""), line)
        out.resources.append(replace(placed, index=counts.get(placed.path, 0)))
        counts[placed.path] = counts.get(placed.path, 0) + 1
    return out


def _display(path: str) -> str:
    return os.path.normpath(path).replace(os.sep, "/")


def _match(resource: Resource, sources: list[Resource]) -> Resource | None:
    """The source object a built object came from: same kind and name, else the longest source name inside
    the built name (namePrefix, nameSuffix)."""
    same = [s for s in sources if s.kind == resource.kind and s.group == resource.group]
    exact = [s for s in same if s.name == resource.name]
    if exact:
        return next((s for s in exact if s.namespace == resource.namespace), exact[0])
    inside = [s for s in same if s.name in resource.name]
    return max(inside, key=lambda s: len(s.name)) if inside else None


def _name_lines(kustomizations: list[str], texts: dict[str, str]) -> list[tuple[str, str, int]]:
    """(name, kustomization path, 0-based line) of every `name:` in the kustomization files: generators."""
    found = []
    for file in kustomizations:
        try:
            with open(file, encoding="utf-8") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError):
            continue
        path = _display(file)
        texts[path] = text
        for number, line in enumerate(text.splitlines()):
            match = _NAME_LINE.match(line)
            if match:
                found.append((match.group(1), path, number))
    return found


def _generator_line(name: str, names: list[tuple[str, str, int]], fallback: str) -> tuple[str, int]:
    inside = [(len(n), -i, path, line) for i, (n, path, line) in enumerate(names) if n in name]
    if not inside:
        return fallback, 0
    _, _, path, line = max(inside)
    return path, line
