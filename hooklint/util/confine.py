"""The repository a run may read and write: its root, and whether a path lies inside it once links are
followed. What a pull request contains is hostile; nothing outside its repository is."""

from __future__ import annotations

import os
from collections.abc import Sequence


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
        # The folder that holds the file by its name: a configuration that is a link leads nowhere else.
        return os.path.realpath(os.path.dirname(os.path.abspath(config)))
    return folder


def inside(path: str, root: str) -> bool:
    """Whether `path`, with every link in it followed, is `root` or lies under it."""
    return _under(os.path.realpath(path), os.path.realpath(root))


def _under(path: str, top: str) -> bool:
    """Whether the absolute `path` is the absolute `top` or lies under it, by their names alone."""
    return path == top or path.startswith(top.rstrip(os.sep) + os.sep)


def allowed(path: str, roots: tuple[str, ...]) -> bool:
    """Whether `path` lies inside one of `roots` once links are followed; no roots allow everything (a
    caller that confines nothing, as the library's own callers). The roots are as roots_for gives them,
    links resolved already: only `path` is resolved, once (a lint asks for every application)."""
    if not roots:
        return True
    real = os.path.realpath(path)
    return any(_under(real, root) for root in roots)


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
