"""The repository a run may read and write: its root, and whether a path lies inside it once links are
followed. What a pull request contains is hostile; nothing outside its repository is.

The repository's git folder counts as outside it: it holds secrets (actions/checkout leaves the CI token in
`.git/config`), and a pull request writes nothing there that hooklint needs. A path through a `.git` below
the root is refused wherever a path is checked here."""

from __future__ import annotations

import os
from collections.abc import Sequence

GIT = ".git"


def repository_root(start: str = ".", config: str | None = None) -> str:
    """The git work tree's top folder holding `start` (found by its `.git`, without running git), else the
    folder of the configuration file in force, else `start` itself; absolute, links resolved."""
    folder = os.path.realpath(start)
    if not os.path.isdir(folder):
        folder = os.path.dirname(folder)
    probe = folder
    while True:
        if os.path.exists(os.path.join(probe, ".git")):
            return probe
        parent = os.path.dirname(probe)
        if parent == probe:
            break
        probe = parent
    if config is not None:
        return os.path.dirname(os.path.realpath(config))
    return folder


def inside(path: str, root: str) -> bool:
    """Whether `path`, with every link in it followed, is `root` or lies under it, through no `.git` below
    `root` (by its name or once resolved): the git folder counts as outside."""
    top = os.path.realpath(root)
    return _kept(os.path.realpath(path), top) and not _through_git(os.path.abspath(path), top)


def _under(path: str, top: str) -> bool:
    """Whether the absolute `path` is the absolute `top` or lies under it, by their names alone."""
    return _below(path, top) is not None


def _below(path: str, top: str) -> str | None:
    """The part of the absolute `path` below the absolute `top` ("" for `top` itself), or None when it
    does not lie under it, by their names alone."""
    if path == top:
        return ""
    prefix = top.rstrip(os.sep) + os.sep
    return path[len(prefix) :] if path.startswith(prefix) else None


def is_git(name: str) -> bool:
    """Whether a file or folder name is git's: any case, as a case-insensitive file system reads it."""
    return name.lower() == GIT


def _through_git(path: str, top: str) -> bool:
    """Whether the absolute `path` (normalized here) lies under `top` through a `.git` below it."""
    rest = _below(os.path.normpath(path), top)
    return rest is not None and any(is_git(part) for part in rest.split(os.sep))


def _kept(real: str, top: str) -> bool:
    """Whether the resolved `real` lies under `top` through no `.git` below it."""
    return _under(real, top) and not _through_git(real, top)


def allowed(path: str, roots: tuple[str, ...]) -> bool:
    """Whether `path` lies inside one of `roots` once links are followed; no roots allow everything (a
    caller that confines nothing, as the library's own callers). The roots are as roots_for gives them,
    links resolved already: only `path` is resolved, once (a lint asks for every application)."""
    if not roots:
        return True
    real, named = os.path.realpath(path), os.path.abspath(path)
    return any(_kept(real, root) for root in roots) and not any(_through_git(named, r) for r in roots)


def roots_for(given: Sequence[str], config: str | None) -> tuple[str, ...]:
    """The folders a run may read and write, absolute with links resolved (repository_root): the repository
    holding the current folder, and for each path the user named outside it (their own choice, not the
    repository's) the repository holding that one. A path that lies in the repository by its name but leads
    out through a link adds nothing: links are written by the repository's author."""
    top = repository_root(".", config)
    roots = [top]
    for path in given:
        if path == "-":
            continue
        named = os.path.abspath(path)
        if not _under(named, top):
            roots.append(repository_root(os.path.dirname(named), config))
    return tuple(dict.fromkeys(roots))


def holds_git(folder: str) -> bool:
    """Whether `folder` holds a `.git` (a work tree's root, or a submodule's): a tool that reads the folder
    whole would read it."""
    return os.path.lexists(os.path.join(folder, GIT))
