"""The loaded input every later stage reads: its resources, the problems met, the files and their texts, and
how chart and kustomization folders are rendered."""

from __future__ import annotations

from dataclasses import field
from typing import TYPE_CHECKING

from hooklint.manifests.discovery import Skipped
from hooklint.model import Problem, Resource, Span
from hooklint.util.frozen import frozen

if TYPE_CHECKING:
    from hooklint.sources.charts import Chart


@frozen
class LoadResult:
    resources: tuple[Resource, ...]
    problems: tuple[Problem, ...]
    files: tuple[str, ...]
    skipped: tuple[Skipped, ...]
    texts: dict[str, str]
    charts: tuple[Chart, ...] = ()  # every Helm chart met, its templates read as text (HL109 reads them)
    notes: tuple[str, ...] = ()  # one line each, for standard error: a tool that is missing, and so on
    # Per chart template read without helm: where its template actions stood (hooklint.sources.static).
    placeholders: dict[str, tuple[Span, ...]] = field(default_factory=dict)
    left_out: int = 0  # documents of those charts that the reading could not make objects of
    # The chart and kustomization folders whose helm or kustomize ran and failed: Argo CD's repo server
    # generates no manifests for such a source (reposerver/repository GenerateManifests fails), so its
    # sync applies nothing, whatever plain files the folder holds.
    unrendered: tuple[str, ...] = ()

    @property
    def read_nothing(self) -> bool:
        """Whether nothing could be checked: no manifest file read, no object rendered, and no chart's
        templates read (an empty folder, or a kustomization not built that holds no plain manifest)."""
        return not self.files and not self.charts


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
