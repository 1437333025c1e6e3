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
    """One child Application and one of its source paths, as folder names."""

    app: AppSettings
    path: str
    names: tuple[str, ...]


class Children:
    """The child Applications among an input's objects (every Application but the parent's own), which input
    objects lie under their source paths, and what each deploys; a child's folder is read from the
    repository only when asked about and when no input object lies in it."""

    def __init__(self, resources: Sequence[Resource], parent: Resource | None, namespace: str) -> None:
        self.namespace = namespace
        self.apps: list[ChildApp] = []
        by_names: dict[tuple[str, ...], ChildApp] = {}
        for resource in resources:
            if resource is parent or not application.is_application(resource):
                continue
            app = application.read(resource)
            for path in app.paths:
                names = _names(path)
                if names and names not in by_names:
                    by_names[names] = ChildApp(app, path, names)
                    self.apps.append(by_names[names])
        self._owner: dict[int, ChildApp] = {}
        self._members: dict[int, list[Resource]] = {}
        owners: dict[str, ChildApp | None] = {}  # by file: the folders of a file are looked at once
        longest = max((len(names) for names in by_names), default=0)
        for resource in resources if by_names else ():
            if resource.path not in owners:
                owners[resource.path] = _owner(resource.path, by_names, longest)
            child = owners[resource.path]
            if child is not None and not application.is_application(resource):
                self._owner[id(resource)] = child
                self._members.setdefault(id(child), []).append(resource)
        self._objects: dict[int, dict[ResourceKey, Resource]] = {}

    def owner(self, resource: Resource) -> ChildApp | None:
        """The child whose source path holds `resource`'s file; None for the parent's own objects."""
        return self._owner.get(id(resource))

    def deploying(self, key: ResourceKey) -> tuple[ChildApp, Resource] | None:
        """The first child that deploys an object of identity `key`, with that object."""
        for child in self.apps:
            found = self.objects(child).get(key)
            if found is not None:
                return child, found
        return None

    def objects(self, child: ChildApp) -> dict[ResourceKey, Resource]:
        """What `child` deploys, by identity, namespaces defaulted to its destination: the input's objects under
        its source path, else what the loader reads from that folder of the repository holding its manifest."""
        if id(child) not in self._objects:
            members = self._members.get(id(child)) or list(_read(child.app.resource, child.names))
            destination = child.app.namespace or self.namespace
            # The first copy of an object wins, as the sync applies only one.
            self._objects[id(child)] = {_key(r, destination): r for r in reversed(members)}
        return self._objects[id(child)]


def _names(path: str) -> tuple[str, ...]:
    """A source path's folders; none for the repository's root or a path that climbs out of it."""
    names = tuple(name for name in path.replace("\\", "/").split("/") if name not in ("", "."))
    return () if ".." in names or "\0" in path else names


def _owner(file: str, by_names: dict[tuple[str, ...], ChildApp], longest: int) -> ChildApp | None:
    """The child whose source path is a run of `file`'s folders (a source path is the repository's, a file's
    path is where the repository is checked out), the deepest first: a file under `apps/shop/db` is the
    child's of `apps/shop/db` rather than of `apps/shop`."""
    folders = [name for name in os.path.dirname(os.path.abspath(file)).split(os.sep) if name]
    for end in range(len(folders), 0, -1):
        for start in range(max(0, end - longest), end):
            child = by_names.get(tuple(folders[start:end]))
            if child is not None:
                return child
    return None


def _read(app: Resource, names: tuple[str, ...]) -> tuple[Resource, ...]:
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
