"""Which files under the given paths are manifests: the walk, what it leaves out and why, and the chart and
kustomization folders it meets."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence

from hooklint.model import UNRENDERED_TEMPLATE, Problem, Span
from hooklint.util.frozen import frozen

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


@frozen
class Skipped:
    path: str
    reason: str


def walk(
    paths: Sequence[str], prune: frozenset[str] = frozenset(), ignored: frozenset[str] = frozenset()
) -> tuple[list[tuple[str, str]], list[Skipped], list[Problem], list[tuple[str, str]]]:
    """The YAML files under `paths` as (display path, filesystem path), each folder's in sorted path order;
    the files left out; HL003 for every Helm chart met on the way (its templates are not manifests); and
    those chart folders as (display path, filesystem path). Folders in `prune` (normalized paths) are not
    entered; files and folders in `ignored` (normalized paths git ignores) are left out with a reason, but
    for the paths given, which are read whatever git says."""
    found: list[tuple[str, str]] = []
    skipped: list[Skipped] = []
    charts: list[Problem] = []
    folders: list[tuple[str, str]] = []
    for given in paths:
        if given == "-":
            found.append((STDIN, "-"))
            continue
        try:
            mode = os.stat(given).st_mode  # one system call where exists() and isfile() were two
        except (OSError, ValueError):
            raise PathNotFound(given) from None
        if stat.S_ISREG(mode):
            reason = not_manifest_reason(os.path.basename(given))
            if reason:
                skipped.append(Skipped(_display(given), reason))
            else:
                found.append((_display(given), given))
            continue
        top = _display(given)
        prefix = "" if top == "." else top if top.endswith("/") else top + "/"
        for parts, path in _files_under(given, prune, skipped, charts, folders, ignored):
            display = prefix + "/".join(parts)  # what _display(path) gives, without normalizing every path
            reason = not_manifest_reason(parts[-1])
            if reason:
                skipped.append(Skipped(display, reason))
            else:
                found.append((display, path))
    return found, skipped, charts, folders


def _files_under(
    given: str,
    prune: frozenset[str],
    skipped: list[Skipped],
    charts: list[Problem],
    folders: list[tuple[str, str]],
    ignored: frozenset[str] = frozenset(),
) -> list[tuple[tuple[str, ...], str]]:
    """The YAML files under the folder `given`, as (the parts of their path below it, their path), sorted by
    the parts; folders are met from the top down, sorted (os.walk's order). One directory listing per folder
    tells files, folders and links apart without a system call per file."""
    walked: list[tuple[tuple[str, ...], str]] = []
    pending: list[tuple[str, tuple[str, ...]]] = [(given, ())]
    while pending:
        root, parts = pending.pop()
        try:
            with os.scandir(root) as listing:
                entries = sorted(listing, key=_name)
        except OSError:
            continue  # as os.walk does: a folder that cannot be listed holds nothing
        if any(entry.name == "Chart.yaml" and not _is_dir(entry) for entry in entries):
            chart = _display(os.path.join(root, "Chart.yaml"))
            charts.append(Problem(UNRENDERED_TEMPLATE, Span.point(chart, 1, 1), CHART_MESSAGE))
            folders.append((_display(root), root))
            continue
        subfolders: list[tuple[str, tuple[str, ...]]] = []
        for entry in entries:
            name = entry.name
            if ignored and not name.startswith(".") and os.path.normpath(entry.path) in ignored:
                skipped.append(Skipped(_display(entry.path), "ignored by git"))
                continue
            if _is_dir(entry):
                # Links met while walking are not followed: a loop never ends, and a link out of the given
                # folders would lint files nobody asked for. A path given on the command line is followed.
                if entry.is_symlink():
                    skipped.append(Skipped(_display(entry.path), "a symbolic link: not followed"))
                elif not name.startswith(".") and not (prune and os.path.normpath(entry.path) in prune):
                    subfolders.append((entry.path, (*parts, name)))
            elif not name.startswith(".") and name.endswith(YAML_SUFFIXES):
                if entry.is_symlink():
                    skipped.append(Skipped(_display(entry.path), "a symbolic link: not followed"))
                else:
                    walked.append(((*parts, name), entry.path))
        pending += reversed(subfolders)
    walked.sort()
    return walked


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


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
