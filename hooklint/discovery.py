"""Which files under the given paths are manifests: the walk, what it leaves out and why, and the chart and
kustomization folders it meets."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass

from hooklint.model import Problem, Span

STDIN = "<stdin>"
YAML_SUFFIXES = (".yaml", ".yml")
KUSTOMIZATIONS = ("kustomization.yaml", "kustomization.yml", "Kustomization")

# Files that live beside manifests but are not manifests themselves.
_NOT_MANIFESTS = {
    "kustomization.yaml": "Kustomize configuration",
    "kustomization.yml": "Kustomize configuration",
    "Chart.yaml": "Helm chart metadata",
    "Chart.lock": "Helm chart lock file",
}
_VALUES = re.compile(r"^(.*[._-])?values([._-].*)?\.ya?ml$")


class PathNotFound(Exception):
    """A path given on the command line does not exist."""


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str


def walk(
    paths: Sequence[str], prune: frozenset[str] = frozenset()
) -> tuple[list[tuple[str, str]], list[Skipped], list[Problem], list[tuple[str, str]]]:
    """The YAML files under `paths` as (display path, filesystem path), each folder's in sorted path order;
    the files left out; HL003 for every Helm chart met on the way (its templates are not manifests); and
    those chart folders as (display path, filesystem path). Folders in `prune` (normalized paths) are not
    entered."""
    found: list[tuple[str, str]] = []
    skipped: list[Skipped] = []
    charts: list[Problem] = []
    folders: list[tuple[str, str]] = []
    for given in paths:
        if given == "-":
            found.append((STDIN, "-"))
            continue
        if not os.path.exists(given):
            raise PathNotFound(given)
        if os.path.isfile(given):
            reason = not_manifest_reason(os.path.basename(given))
            if reason:
                skipped.append(Skipped(_display(given), reason))
            else:
                found.append((_display(given), given))
            continue
        walked: list[tuple[tuple[str, ...], str]] = []
        for root, dirs, files in os.walk(given):
            if "Chart.yaml" in files:
                dirs[:] = []
                chart = _display(os.path.join(root, "Chart.yaml"))
                charts.append(Problem("HL003", Span.point(chart, 1, 1), CHART_MESSAGE))
                folders.append((_display(root), root))
                continue
            # Links met while walking are not followed: a loop never ends, and a link out of the given folders
            # would lint files nobody asked for. A path given on the command line is followed as given.
            links = [d for d in dirs if os.path.islink(os.path.join(root, d))]
            skipped += [
                Skipped(_display(os.path.join(root, d)), "a symbolic link: not followed") for d in links
            ]
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in links)
            if prune:
                dirs[:] = [d for d in dirs if os.path.normpath(os.path.join(root, d)) not in prune]
            for name in files:
                if name.startswith(".") or not name.endswith(YAML_SUFFIXES):
                    continue
                path = os.path.join(root, name)
                if os.path.islink(path):
                    skipped.append(Skipped(_display(path), "a symbolic link: not followed"))
                    continue
                walked.append((tuple(os.path.relpath(path, given).split(os.sep)), path))
        for _, path in sorted(walked):
            reason = not_manifest_reason(os.path.basename(path))
            if reason:
                skipped.append(Skipped(_display(path), reason))
            else:
                found.append((_display(path), path))
    return found, skipped, charts, folders


CHART_MESSAGE = (
    "a Helm chart: its templates are not manifests until rendered; render it first "
    "(helm template RELEASE CHART | hooklint lint -), or lint the chart folder itself"
)


def rendered_kind(path: str) -> str | None:
    """Whether `path` is a Helm "chart" or a "kustomization" folder (given as input, it is rendered)."""
    if path == "-" or not os.path.isdir(path):
        return None
    if os.path.isfile(os.path.join(path, "Chart.yaml")):
        return "chart"
    if any(os.path.isfile(os.path.join(path, name)) for name in KUSTOMIZATIONS):
        return "kustomization"
    return None


def not_manifest_reason(name: str) -> str | None:
    if name in _NOT_MANIFESTS:
        return _NOT_MANIFESTS[name]
    if _VALUES.match(name):
        return "Helm values file"
    return None


def _display(path: str) -> str:
    path = os.path.normpath(path)
    return path.replace(os.sep, "/")
