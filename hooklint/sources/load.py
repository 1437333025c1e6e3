"""Paths or standard input to the loaded input: files read and parsed, chart and kustomization folders rendered,
what may not be read left out with a note."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from hooklint.argocd.annotated import named_at_sync
from hooklint.manifests.discovery import (
    PathNotFound,
    Skipped,
    rendered_kind,
    walk,
)
from hooklint.manifests.parse import load_bytes, read_file
from hooklint.model import INVALID_YAML, Problem, Resource, Span
from hooklint.sources.input import LoadResult, RenderOptions
from hooklint.util.confine import allowed

if TYPE_CHECKING:
    from hooklint.sources.charts import Chart


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
    placeholders: dict[str, tuple[Span, ...]] = {}
    left_out = 0
    unrendered: tuple[str, ...] = ()
    plain = list(paths)
    if any(rendered_kind(given) for given in paths):
        from hooklint.sources import rendered

        part, plain = rendered.folders(paths, render or RenderOptions())
        resources, problems, texts, charts, more = part.lists()
        placeholders, left_out, unrendered = part.placeholders, part.left_out, tuple(part.unrendered)
        notes += more
        if roots:
            resources, problems, texts = _inside(roots, resources, problems, texts, notes)
    rendered_files = list(texts)
    found, skipped, chart_problems, folders = walk(plain, prune, _git_ignored(plain))
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
                    Problem(INVALID_YAML, Span.point(display, 1, 1), f"cannot read file: {error.strerror}")
                )
                continue
        result = load_bytes(display, data, named_at_sync)
        if result.others:  # seldom: a list comprehension is a call of its own, for every file
            skipped += [Skipped(f"{display}:{line}", NOT_AN_OBJECT) for line in result.others]
        resources.extend(result.resources)
        problems.extend(result.problems)
        texts[display] = result.text
    files = tuple(dict.fromkeys([*rendered_files, *(d for d, _ in found)]))
    return LoadResult(
        tuple(resources),
        tuple(problems),
        files,
        tuple(skipped),
        texts,
        tuple(charts),
        tuple(notes),
        placeholders,
        left_out,
        unrendered,
    )


NOT_AN_OBJECT = "a YAML document with no apiVersion, kind, metadata or spec: not a Kubernetes object"


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


def _git_ignored(paths: Sequence[str]) -> frozenset[str]:
    """What git ignores under the folders among `paths` (docs/design-notes.md#git-ignored-files)."""
    folders = [given for given in paths if given != "-" and os.path.isdir(given)]
    if not folders:
        return frozenset()
    from hooklint.sources import ignored

    return frozenset().union(*(ignored.paths(folder) for folder in folders))
