"""The application roots of a repository as Argo CD would see them, found with no configuration: the
folders its Applications and ApplicationSets deploy, then kustomization and chart folders, then each folder
of plain manifests (docs/argocd.md#application-roots)."""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterator, Sequence
from typing import Any

from hooklint.argocd import application
from hooklint.argocd.application import AppSettings
from hooklint.config.settings import Settings
from hooklint.manifests.discovery import KUSTOMIZATIONS, YAML_SUFFIXES
from hooklint.manifests.parse import load_bytes, read_file
from hooklint.model import Resource
from hooklint.sources import ignored as gitignored
from hooklint.util import confine
from hooklint.util.frozen import frozen

APPLICATION_SET = "ApplicationSet"
# A `kind` of Application or ApplicationSet, in any YAML style: what a file must hold to be parsed for them.
_KIND = re.compile(rb"""kind["']?\s*:\s*["']?Application(?:Set)?\b""")


@frozen
class Root:
    """One application: its folder, whether its subfolders are its own (a chart, a kustomization, a
    directory source with `recurse: true`), and the subfolders it leaves to other roots or to nobody."""

    folder: str
    prune: frozenset[str] = frozenset()


@frozen
class _Folder:
    """What the walk saw in one folder."""

    path: str
    below: str  # relative to the repository's root, with `/`
    kind: str | None  # "chart", "kustomization" or None
    files: tuple[str, ...]  # its YAML files
    subfolders: tuple[str, ...]


def discover(
    given: str, settings: Settings, ahead: dict[str, bytes] | None = None
) -> tuple[list[Root], list[AppSettings]]:
    """The application roots under the folder `given`, sorted, none nested in another unless an Application
    deploys both; and the Applications met on the way, which deploy some of them. The files read on the way
    are put in `ahead` (parse.read_ahead), for the roots' walks to take."""
    top = confine.repository_root(given, settings.source)
    folders = _walk(given, top)
    by_path = {f.path: f for f in folders}
    by_below = {f.below: f.path for f in folders}
    resources = list(_applications(folders, ahead))
    deployed = _deployed(resources, by_below)
    # A kustomization's folders and what it names are its own; a chart's are never walked.
    owned: set[str] = set()
    for folder in folders:
        if folder.kind == "kustomization" and folder.path not in owned:
            owned.update(_kustomization_folders(folder.path, top) - {folder.path})
    # folder -> whether its subfolders belong to it; a folder deployed that holds nothing to read is none.
    chosen = {
        path: recurse
        for path, recurse in deployed.items()
        if recurse or by_path[path].files or by_path[path].kind is not None
    }
    for folder in folders:
        if folder.path in chosen or _inside_any(folder.path, owned, chosen):
            continue
        if folder.kind is not None:
            chosen[folder.path] = True
        elif folder.files:
            chosen[folder.path] = False
    roots: list[Root] = []
    for path, recurse in sorted(chosen.items()):
        entry = by_path.get(path)
        if recurse or entry is None:
            prune = frozenset(other for other in chosen if other != path and _under(other, path))
        else:
            prune = frozenset(entry.subfolders)
        roots.append(Root(path, prune))
    apps = [application.read(r) for r in resources if application.is_application(r)]
    return roots, apps


def _inside_any(path: str, owned: set[str], chosen: dict[str, bool]) -> bool:
    """Whether `path` belongs to a kustomization (named by one, or below one) or to a root that recurses."""
    if path in owned:
        return True
    while True:
        parent = os.path.dirname(path) or os.curdir
        if parent == path:
            return False
        if parent in owned or chosen.get(parent):
            return True
        path = parent


def _under(path: str, folder: str) -> bool:
    return path.startswith(folder.rstrip(os.sep) + os.sep) or (folder == "." and not path.startswith(".."))


def _walk(given: str, top: str) -> list[_Folder]:
    """Every folder under `given` that the loader would enter (no hidden folder, no link, nothing git
    ignores), top down; a chart's folders are not entered. One directory listing per folder, and no system
    call per entry (the listing tells folders, files and links apart)."""
    skip = gitignored.paths(given)
    start = os.path.normpath(given)
    base = os.path.relpath(os.path.realpath(start), top).replace(os.sep, "/")
    found: list[_Folder] = []
    pending = [(start, "" if base == "." else base)]
    while pending:
        folder, below = pending.pop()
        prefix = "" if folder == os.curdir else folder + os.sep  # normalized, so its children are too
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            continue
        kind: str | None = None
        subfolders: list[str] = []
        files: list[str] = []
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            path = prefix + name
            if skip and path in skip:
                continue
            if _is_dir(entry):
                subfolders.append(path)
                continue
            # With both, Argo CD builds the kustomization (docs/argocd.md#application-roots).
            if name in KUSTOMIZATIONS:
                kind = "kustomization"
            elif name == "Chart.yaml" and kind is None:
                kind = "chart"
            if name.endswith(YAML_SUFFIXES) and _is_file(entry):
                files.append(path)
        files.sort()
        subfolders.sort()
        found.append(_Folder(folder, below, kind, tuple(files), tuple(subfolders)))
        if kind != "chart":
            for path in reversed(subfolders):
                name = path[len(prefix) :]
                pending.append((path, f"{below}/{name}" if below else name))
    return found


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """A folder, not a link to one: links met while walking are not followed, as the loader's walk does."""
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file(follow_symlinks=False)
    except OSError:
        return False


def _kustomization_folders(folder: str, top: str) -> set[str]:
    """The folders of the kustomizations that the one in `folder` reaches, itself included."""
    from hooklint.sources import kustomize_tree

    tree = kustomize_tree.inspect(folder, top)
    here = os.path.realpath(folder)
    found = {folder}
    for file in tree.kustomizations:
        # Named as the walk names folders: relative to `folder`'s own spelling.
        relative = os.path.relpath(os.path.dirname(os.path.realpath(file)), here)
        found.add(os.path.normpath(os.path.join(folder, relative)))
    return found


def _deployed(resources: Sequence[Resource], by_below: dict[str, str]) -> dict[str, bool]:
    """The folders the Applications and ApplicationSets in the walked files deploy, each with whether its
    subfolders are its own (docs/argocd.md#application-roots). Source paths are the repository's."""
    found: dict[str, bool] = {}
    for resource in resources:
        for path, recurse in _sources(resource.body):
            folder = by_below.get(os.path.normpath(path.strip("/")).replace(os.sep, "/"))
            if folder is not None:
                found[folder] = found.get(folder, False) or recurse
        for folder in _generated(resource.body, by_below):
            found.setdefault(folder, False)
    return found


def _applications(folders: Sequence[_Folder], ahead: dict[str, bytes] | None) -> Iterator[Resource]:
    """Every Application and ApplicationSet in the walked folders' YAML files, each file's bytes kept in
    `ahead`."""
    for folder in folders:
        if folder.kind == "chart":
            continue  # its templates are not manifests
        for path in folder.files:
            try:
                data = read_file(path)
            except OSError:
                continue
            if ahead is not None:
                ahead[path] = data
            if _KIND.search(data) is None:
                continue  # most files: no parse needed to know they hold none
            for resource in load_bytes(path, data).resources:
                if resource.group == application.GROUP and resource.kind in (
                    application.KIND,
                    APPLICATION_SET,
                ):
                    yield resource


def _sources(data: Any) -> Iterator[tuple[str, bool]]:
    """(path, recurse) of each source of an Application, or of an ApplicationSet's template, that names a
    literal path (a templated one names none)."""
    spec = data.get("spec") if isinstance(data, dict) else None
    if isinstance(spec, dict) and data.get("kind") == APPLICATION_SET:
        template = spec.get("template")
        spec = template.get("spec") if isinstance(template, dict) else None
    if not isinstance(spec, dict):
        return
    sources = spec.get("sources")
    for source in sources if isinstance(sources, list) else [spec.get("source")]:
        if not isinstance(source, dict):
            continue
        path = source.get("path")
        if isinstance(path, str) and path.strip("/") not in ("", ".") and "{{" not in path:
            directory = source.get("directory")
            recurse = isinstance(directory, dict) and directory.get("recurse") is True
            yield path, recurse


def _directory_globs(data: Any) -> Iterator[tuple[str, bool]]:
    """(glob, exclude) of every git directory generator of an ApplicationSet, matrix and merge generators'
    included."""
    spec = data.get("spec") if isinstance(data, dict) else None
    pending = list(spec.get("generators") or ()) if isinstance(spec, dict) else []
    while pending:
        generator = pending.pop(0)
        if not isinstance(generator, dict):
            continue
        for combined in ("matrix", "merge"):
            inner = generator.get(combined)
            if isinstance(inner, dict) and isinstance(inner.get("generators"), list):
                pending += inner["generators"]
        git = generator.get("git")
        directories = git.get("directories") if isinstance(git, dict) else None
        for item in directories if isinstance(directories, list) else ():
            if isinstance(item, dict) and isinstance(item.get("path"), str):
                yield item["path"], item.get("exclude") is True


def _generated(data: Any, by_below: dict[str, str]) -> list[str]:
    """The folders an ApplicationSet's git directory generators select: those a glob matches, but for those
    an `exclude` glob matches, whatever the order (applicationset/generators/git.go, filterApps)."""
    globs = list(_directory_globs(data))
    if not globs:
        return []
    chosen = []
    for below, path in by_below.items():
        if not below:
            continue
        matched = [exclude for pattern, exclude in globs if go_path_match(pattern, below)]
        if matched and not any(matched):
            chosen.append(path)
    return chosen


def go_path_match(pattern: str, name: str) -> bool:
    """Go's path.Match: `*` and `?` within one name, `[...]` classes (`[^...]` negated); no `**`."""
    parts, names = pattern.split("/"), name.split("/")
    if len(parts) != len(names):
        return False
    return all(fnmatch.fnmatchcase(n, p.replace("[^", "[!")) for p, n in zip(parts, names, strict=True))
