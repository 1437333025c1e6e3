"""The repository a run may read and write: its root, and whether a path lies inside it once links are
followed. What a pull request contains is hostile; nothing outside its repository is.

The repository's git folder counts as outside it: it holds secrets (actions/checkout leaves the CI token in
`.git/config`), and a pull request writes nothing there that hooklint needs. A path through a `.git` below
the root is refused wherever a path is checked here, and a tool that reads a whole folder (helm, a chart)
is given no `.git` to read (survey, without_git)."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from hooklint.util.frozen import frozen

GIT = ".git"
# A chart is walked before helm reads it whole; past this many entries it is not rendered. Real charts hold
# hundreds.
ENTRIES = 10_000
# The most a chart that holds `.git` may weigh to be copied without it: helm's own bound on a chart.
COPY_BYTES = 100 * 1024 * 1024
COPY_PREFIX = "hooklint-chart-"  # the private temporary folder that holds such a copy


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


@frozen
class Survey:
    """A folder a tool reads whole (a chart), walked without following links: what it holds, and whether the
    tool may read it."""

    folder: str  # absolute, links resolved
    # Below it (os.sep-joined), parents first; `.git` and what it holds left out.
    entries: tuple[str, ...] = ()
    git: bool = False  # something named `.git` lies in it: the tool must get a copy without it
    refusal: str | None = None  # why the tool may not read it: a link out of it, or too many entries


def survey(folder: str, root: str, display: str) -> Survey:
    """`folder` walked (links not followed, at most ENTRIES entries), `root` the repository that holds it.
    helm follows links, so what they reach would end up in findings: refused, a link to a file outside
    `root` or in a `.git`, and a link to a folder outside `folder` (helm would read it whole, `.git` and
    links out of it included), `folder` itself or one that holds the link (a loop). The folder itself is
    confined by whoever named it. `display` names the folder in the refusal."""
    real = os.path.realpath(folder)
    entries: list[str] = []
    git = False
    pending = [""]
    while pending:
        below = pending.pop()
        try:
            with os.scandir(os.path.join(real, below)) as listing:
                found = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            continue  # helm fails on a folder it cannot list: its error is the finding
        for entry in found:
            name = os.path.join(below, entry.name)
            if is_git(entry.name):
                git = True
                continue
            entries.append(name)
            if len(entries) > ENTRIES:
                return Survey(real, refusal=f"{display} holds more than {ENTRIES} files and folders")
            if entry.is_symlink():
                why = _link_refused(entry.path, real, root)
                if why is not None:
                    shown = display.rstrip("/") + "/" + name.replace(os.sep, "/")
                    return Survey(real, refusal=f"{shown} is a link {why}")
            elif entry.is_dir(follow_symlinks=False):
                pending.append(name)
    return Survey(real, tuple(entries), git)


def _link_refused(link: str, top: str, root: str) -> str | None:
    """Why helm may not follow the link `link` in the folder `top` of the repository `root`, or None."""
    target = os.path.realpath(link)
    if not os.path.isdir(target):
        return None if inside(target, root) else "that leads outside the repository"
    if _under(os.path.realpath(os.path.dirname(link)), target):
        return "to a folder that holds it"
    return None if inside(target, top) else "to a folder outside the chart"


@contextmanager
def without_git(folder: str, found: Survey) -> Iterator[str | None]:
    """`folder` itself when its survey `found` met no `.git`; else a private temporary copy of it that leaves
    every `.git` out, removed on leaving (None when what it holds weighs more than COPY_BYTES). A link into
    the folder is copied as a link to the same place in the copy; a link to a file elsewhere in the
    repository, as that file."""
    if not found.git:
        yield folder
        return
    import shutil
    import tempfile

    weight = 0
    for name in found.entries:
        try:
            weight += os.stat(os.path.join(found.folder, name)).st_size
        except OSError:
            continue
    if weight > COPY_BYTES:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix=COPY_PREFIX) as place:
        copy = os.path.join(place, os.path.basename(found.folder) or "chart")
        os.mkdir(copy)
        for name in found.entries:
            source, target = os.path.join(found.folder, name), os.path.join(copy, name)
            try:
                real = os.path.realpath(source)
                if os.path.islink(source) and _under(real, found.folder):
                    inner = os.path.join(copy, os.path.relpath(real, found.folder))
                    os.symlink(os.path.relpath(inner, os.path.dirname(target)), target)
                elif os.path.isdir(source):
                    os.mkdir(target)
                elif os.path.isfile(source):  # a device or a pipe is no chart's file
                    shutil.copyfile(source, target)
            except OSError:
                continue  # changed under the walk: helm reads the copy as it is
        yield copy
