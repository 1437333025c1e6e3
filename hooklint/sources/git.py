"""Manifests as they were at a git revision, read with git itself (no checkout, the work tree untouched)."""

from __future__ import annotations

import bisect
import itertools
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from hooklint.argocd.annotated import named_at_sync
from hooklint.config.settings import ConfigError
from hooklint.manifests.discovery import YAML_SUFFIXES, not_manifest_reason
from hooklint.manifests.parse import load_bytes
from hooklint.model import Problem, Resource
from hooklint.sources.input import LoadResult
from hooklint.util.frozen import frozen

TIMEOUT = 60


def _git(args: Sequence[str], cwd: str, data: bytes | None = None) -> bytes:
    import subprocess  # only runs with --base need it: no start-up cost for the others

    from hooklint.util import spawn

    try:
        # Reading a revision never fetches: a partial clone's missing objects are an error, not a download.
        offline = spawn.environment(GIT_ALLOW_PROTOCOL="none", GIT_NO_LAZY_FETCH="1", GIT_TERMINAL_PROMPT="0")
        done = spawn.execute(["git", *args], TIMEOUT, offline, cwd=cwd, data=data)
    except FileNotFoundError:
        raise ConfigError("--base needs git, which is not on PATH") from None
    except subprocess.TimeoutExpired:
        raise ConfigError(f"git {args[0]} took longer than {TIMEOUT} s") from None
    if done.code != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ConfigError(f"git {args[0]}: {message[0] if message else 'failed'}")
    return done.stdout


# A run of many applications asks git the same questions for each: `preloaded` answers them once, before
# the workers are forked, and drops the answers when the run ends (a revision such as HEAD moves).
_ROOTS: dict[str, str] = {}  # working folder -> repository root
_RESOLVED: dict[tuple[str, str], str] = {}  # (root, ref) -> commit
_TREES: dict[tuple[str, str], _Tree] = {}  # (root, commit) -> every file in it
_BLOBS: dict[tuple[str, str, str], bytes] = {}  # (root, commit, name) -> the file's bytes


def load_at(ref: str, paths: Sequence[str], prune: frozenset[str] = frozenset()) -> LoadResult:
    """The manifests under `paths` as they were at `ref`, but for those under the folders in `prune`. Files
    are named `REF:repo/relative/path`, the way `git show` takes them. A revision or repository git does
    not know is a ConfigError (exit 2)."""
    root = _root()
    wanted = _wanted(ref, root, paths, prune)
    resources: list[Resource] = []
    problems: list[Problem] = []
    texts: dict[str, str] = {}
    for name, data in zip(wanted, _blobs(ref, wanted, root), strict=True):
        display = f"{ref}:{name}"
        result = load_bytes(display, data, named_at_sync)
        resources.extend(result.resources)
        problems.extend(result.problems)
        texts[display] = result.text
    return LoadResult(tuple(resources), tuple(problems), tuple(texts), (), texts)


@contextmanager
def preloaded(ref: str | None, paths: Sequence[str]) -> Iterator[None]:
    """While it lasts, `ref` is resolved and every manifest under `paths` at it was read in one go, for
    the load_at calls to come (in this process and the workers it forks). Without a `ref`, nothing."""
    if ref is None:
        yield
        return
    try:
        root = _ROOTS[os.getcwd()] = _root()
        _RESOLVED[(root, ref)] = _resolve(ref, root)
        _blobs(ref, _wanted(ref, root, paths, frozenset()), root)
        yield
    finally:
        _ROOTS.clear()
        _RESOLVED.clear()
        _TREES.clear()
        _BLOBS.clear()


def _root() -> str:
    cwd = os.getcwd()
    if cwd in _ROOTS:
        return _ROOTS[cwd]
    try:
        return _git(["rev-parse", "--show-toplevel"], cwd).decode().strip()
    except ConfigError:
        raise ConfigError("--base needs the manifests to be in a git repository") from None


def _resolve(ref: str, root: str) -> str:
    if (root, ref) in _RESOLVED:
        return _RESOLVED[(root, ref)]
    try:
        return _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], root).decode().strip()
    except ConfigError:
        raise ConfigError(f"--base: unknown git revision {ref!r}") from None


def has_commit(ref: str) -> bool:
    """Whether `ref` names a commit of the repository of the working folder, read offline: False outside a
    repository, for a revision it does not know, and for one that would read as an option."""
    if ref.startswith("-"):
        return False
    try:
        _resolve(ref, _root())
    except ConfigError:
        return False
    return True


@frozen
class _Tree:
    """Every file of a commit: its blob by path, and the paths sorted, so a folder's files are one run."""

    blobs: dict[str, str]
    names: list[str]

    def under(self, relative: str) -> list[str]:
        if relative == ".":
            return self.names
        prefix = relative + "/"
        found = []
        for name in itertools.islice(self.names, bisect.bisect_left(self.names, relative), None):
            if name == relative or name.startswith(prefix):
                found.append(name)
            elif name > prefix:
                break
        return found


def _tree(commit: str, root: str) -> _Tree:
    if (root, commit) not in _TREES:
        listed = _git(["ls-tree", "-r", "-z", commit], root).decode("utf-8", "replace")
        blobs: dict[str, str] = {}
        for entry in listed.split("\0"):
            meta, _, name = entry.partition("\t")
            fields = meta.split()
            if name and len(fields) == 3 and fields[1] == "blob":
                blobs[name] = fields[2]
        _TREES[(root, commit)] = _Tree(blobs, sorted(blobs))
    return _TREES[(root, commit)]


def _wanted(ref: str, root: str, paths: Sequence[str], prune: frozenset[str]) -> list[str]:
    """The manifests under `paths` at `ref`, as the loader's walk would find them."""
    tree = _tree(_resolve(ref, root), root)
    pruned = tuple(os.path.relpath(os.path.abspath(p), root).replace(os.sep, "/") + "/" for p in prune)
    wanted: list[str] = []
    for given in paths:
        if given == "-":
            continue
        relative = os.path.relpath(os.path.abspath(given), root).replace(os.sep, "/")
        names = tree.under(relative)
        charts = {os.path.dirname(n) for n in names if os.path.basename(n) == "Chart.yaml"}
        for name in names:
            inside = name[len(relative) :].lstrip("/") if relative != "." else name
            hidden = any(part.startswith(".") for part in inside.split("/"))
            in_chart = any(name.startswith(chart + "/") for chart in charts)
            basename = os.path.basename(name)
            if (
                name.endswith(YAML_SUFFIXES)
                and not hidden
                and not in_chart
                and not not_manifest_reason(basename)
                and not name.startswith(pruned)
            ):
                wanted.append(name)
    return sorted(dict.fromkeys(wanted))


def _blobs(ref: str, names: Sequence[str], root: str) -> list[bytes]:
    commit = _resolve(ref, root)
    tree = _tree(commit, root)
    missing = [name for name in names if (root, commit, name) not in _BLOBS]
    for name, data in zip(missing, _read_blobs([tree.blobs[n] for n in missing], root), strict=True):
        _BLOBS[(root, commit, name)] = data
    return [_BLOBS[(root, commit, name)] for name in names]


def _read_blobs(objects: Sequence[str], root: str) -> list[bytes]:
    """Every blob's bytes in one `git cat-file --batch` call, asked by object id: asked by `REF:path`, git
    walks the trees again for every file, 30 times slower."""
    if not objects:
        return []
    output = _git(["cat-file", "--batch"], root, "".join(f"{obj}\n" for obj in objects).encode())
    blobs: list[bytes] = []
    position = 0
    for _ in objects:
        header_end = output.index(b"\n", position)
        size = int(output[position:header_end].split()[2])
        start = header_end + 1
        blobs.append(output[start : start + size])
        position = start + size + 1
    return blobs


def same_file(ref: str) -> Callable[[str], str]:
    """A file's name the same at `ref` and in the work tree: relative to the repository's root, so that a
    file read at the revision (`REF:path`) and the file now (named as given) compare equal."""
    root = _root()
    prefix = f"{ref}:"

    def name(path: str) -> str:
        if path.startswith(prefix):
            return path[len(prefix) :]
        return os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")

    return name
