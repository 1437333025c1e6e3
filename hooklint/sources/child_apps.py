"""The child Applications of an app of apps: for each Application among the input's objects, the objects its
source path deploys, as far as the repository shows them (docs/argocd.md#health-checks)."""

from __future__ import annotations

import os
from collections.abc import Sequence

from hooklint.argocd import application
from hooklint.argocd.application import AppSettings
from hooklint.argocd.identity import identity_namespace
from hooklint.model import Resource, ResourceKey
from hooklint.util.frozen import frozen


@frozen(eq=False)
class ChildApp:
    """One child Application, the source path whose objects were found, and those objects by identity (their
    namespace defaulted to the child's destination namespace)."""

    app: AppSettings
    path: str
    objects: dict[ResourceKey, Resource]


def children(resources: Sequence[Resource], parent: Resource | None, namespace: str) -> list[ChildApp]:
    """Each Application among `resources` (but `parent`) with a source path in the repository: the input's
    objects that lie under that path, else the objects the loader reads from the path in the repository that
    holds the Application's manifest, never outside it. `namespace` is the destination a child without one
    falls back to."""
    found: list[ChildApp] = []
    folders: dict[str, list[str]] = {}  # each file's folders, worked out once
    for resource in resources:
        if resource.path not in folders:
            folders[resource.path] = [
                n for n in os.path.dirname(os.path.abspath(resource.path)).split(os.sep) if n
            ]
    for resource in resources:
        if resource is parent or not application.is_application(resource):
            continue
        app = application.read(resource)
        for path in app.paths:
            names = _names(path)
            if not names:
                continue
            members = [r for r in resources if _under(folders[r.path], names) and r is not resource]
            if not members:
                members = list(_read(resource, names))
            destination = app.namespace or namespace
            objects = {_key(r, destination): r for r in reversed(members)}  # the first copy wins
            if objects:
                found.append(ChildApp(app, path, objects))
    return found


def _names(path: str) -> list[str]:
    """A source path's folders; none for the repository's root or a path that climbs out of it."""
    names = [name for name in path.replace("\\", "/").split("/") if name not in ("", ".")]
    return [] if ".." in names or "\0" in path else names


def _under(folders: list[str], names: list[str]) -> bool:
    """Whether a file in `folders` lies in a folder whose trailing folders are `names` (a source path is the
    repository's, a file's path is where the repository is checked out)."""
    count = len(names)
    return any(folders[start : start + count] == names for start in range(len(folders) - count + 1))


def _read(app: Resource, names: list[str]) -> tuple[Resource, ...]:
    """The objects of the folder `names` in the repository holding the Application's manifest, read with the
    loader and confined to that repository; nothing when the manifest is no file or the folder is absent."""
    from hooklint.sources.load import load
    from hooklint.util import confine

    if not os.path.isfile(app.path):
        return ()
    root = confine.repository_root(os.path.dirname(os.path.abspath(app.path)))
    folder = os.path.join(root, *names)
    if not os.path.isdir(folder) or not confine.inside(folder, root):
        return ()
    try:
        return load([os.path.relpath(folder)], roots=(root,)).resources
    except (OSError, ValueError):
        return ()  # unreadable: the child's own lint reports it


def _key(resource: Resource, destination: str) -> ResourceKey:
    return ResourceKey(
        resource.group, resource.kind, identity_namespace(resource, destination), resource.name
    )
