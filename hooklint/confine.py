"""The repository a run may read and write: its root, and whether a path lies inside it once links are
followed. What a pull request contains is hostile; nothing outside its repository is."""

from __future__ import annotations

import os


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
    """Whether `path`, with every link in it followed, is `root` or lies under it."""
    real, top = os.path.realpath(path), os.path.realpath(root)
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)
