"""A repository of many applications: its application roots, each planned and linted on its own."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Sequence

from hooklint.argocd import application
from hooklint.argocd.application import AppSettings
from hooklint.config.settings import Settings, glob_match
from hooklint.manifests.discovery import YAML_SUFFIXES, PathNotFound
from hooklint.manifests.parse import load_bytes, read_file
from hooklint.model import UNUSED_SUPPRESSION, Finding, in_order
from hooklint.util import workers
from hooklint.util.frozen import frozen


@frozen
class Part:
    """One application: paths read as the command line's are, with the folders in `prune` (the other
    applications' roots) never entered, and the Application that deploys it when one outside every root
    names its folder."""

    paths: tuple[str, ...]
    prune: frozenset[str] = frozenset()
    app: AppSettings | None = None

    def holds(self, path: str) -> bool:
        """Whether linting this part reads `path`: it lies in one of its paths and in none of the folders it
        leaves to others."""
        path = os.path.normpath(path)
        return any(_within(path, os.path.normpath(given)) for given in self.paths) and not any(
            _within(path, os.path.normpath(folder)) for folder in self.prune
        )


@frozen
class PartResult:
    """What one application gives back: its findings, its counts, and the text of the files with findings."""

    findings: list[Finding]
    files: int
    resources: int
    texts: dict[str, str]
    notes: list[str]
    read_nothing: bool = False  # LoadResult.read_nothing


Linter = Callable[[Part], PartResult]


def split(paths: Sequence[str], globs: Sequence[str], settings: Settings) -> list[Part]:
    """The application roots under `paths` (folders matching `globs`; roots are not nested), each one part,
    then everything outside every root as one more part."""
    roots, outside = _scan(paths, globs, settings)
    if not roots and len(paths) == 1 and os.path.isdir(paths[0]):
        # One folder holding no root, given alone: it may be a root itself (`lint apps/shop`).
        return [Part((paths[0],), app=deployer_of(paths[0], globs, settings))]
    rest = _rest(paths, roots)
    return _deployed(roots, outside, settings) + ([rest] if rest else [])


def parts_of(
    paths: Sequence[str], globs: Sequence[str], settings: Settings, affected: bool = False
) -> list[Part]:
    """The parts to lint: every part of the input (split), or with `affected` the parts of the configured
    paths that the changed files in `paths` touch."""
    if affected:
        return touched(paths, scope(paths, settings, affected), globs, settings)
    return split(scope(paths, settings), globs, settings)


def applications(
    paths: Sequence[str],
    globs: Sequence[str],
    settings: Settings,
    affected: bool = False,
    one: bool = False,
    ahead: dict[str, bytes] | None = None,
) -> list[Part] | None:
    """The parts to lint apart, or None where the input is linted as one application: standard input, an
    Application given for it (`one`: --app, --values), or no roots configured and fewer than two found.
    Configured roots (`globs`) win; without them the roots are found as Argo CD sees the repository, and
    the files read to find them are put in `ahead`."""
    if "-" in paths:
        return None
    if globs:
        return parts_of(paths, globs, settings, affected)
    if affected:
        given = scope(paths, settings, affected)
        for folder in given:
            if not os.path.exists(folder):
                raise PathNotFound(folder)
        return holding(paths, given, discovered(given, settings, ahead))
    if one:
        return None
    given = scope(paths, settings)
    if not any(os.path.isdir(path) for path in given):
        return None  # files alone, as pre-commit names them: one application
    found = discovered(given, settings, ahead)
    if not found or (len(found) == 1 and found[0] == Part(tuple(os.path.normpath(p) for p in given))):
        return None  # the input is one application as it stands
    return found


def discovered(paths: Sequence[str], settings: Settings, ahead: dict[str, bytes] | None = None) -> list[Part]:
    """The application roots found under each folder in `paths` (sources.roots, docs/argocd.md#application-roots),
    each one part deployed by the Application that names it, then the files given as one more part."""
    from hooklint.sources import roots as found

    parts: list[Part] = []
    files: list[str] = []
    for given in paths:
        if not os.path.isdir(given):
            files.append(given)
            continue
        roots, apps = found.discover(given, settings, ahead)
        deploying = application.deployers(apps, [root.folder for root in roots])
        parts += [Part((root.folder,), root.prune, deploying.get(root.folder)) for root in roots]
    if files and parts:
        # An Application file given beside the folders deploys those it names, as it would beside them in
        # one folder given (`hooklint explain apps/shop argocd/shop.yaml` plans shop as `explain .` does).
        manifests = [path for path in files if path.endswith(YAML_SUFFIXES)]
        given_apps = deployers(manifests, [part.paths[0] for part in parts if part.app is None], settings)
        parts = [
            Part(part.paths, part.prune, given_apps.get(part.paths[0])) if part.app is None else part
            for part in parts
        ]
    return parts + ([Part(tuple(files))] if files else [])


def holding(changed: Sequence[str], paths: Sequence[str], parts: Sequence[Part]) -> list[Part]:
    """The parts found under `paths` that the `changed` files touch, each whole: those that hold a changed
    file, and for a changed folder those inside it or around it. As with configured roots, a change that
    linting `paths` would never read (hidden, behind a link, elsewhere) touches nothing."""
    read = [path for path in map(os.path.normpath, changed) if _read(path, paths)]
    return [
        part
        for part in parts
        if any(
            part.holds(path) or (os.path.isdir(path) and any(_within(given, path) for given in part.paths))
            for path in read
        )
    ]


def _read(path: str, paths: Sequence[str]) -> bool:
    """Whether a walk of `paths` reads `path`: it lies in one of them, under no hidden name and behind no link."""
    found = _walked_from(path, paths)
    if found is None:
        return False
    folder, names = found
    for name in names[:-1]:
        folder = os.path.join(folder, name)
        if os.path.islink(folder):
            return False
    return True


def _walked_from(path: str, paths: Sequence[str]) -> tuple[str, list[str]] | None:
    """The one of `paths` whose walk can reach `path`, with the names leading there from it; None where `path`
    lies in none of them or under a hidden name, which no walk enters."""
    given = next((given for given in paths if _within(path, given)), None)
    if given is None:
        return None
    names = os.path.relpath(path, given).split(os.sep)
    if any(name.startswith(".") for name in names if name != os.curdir):
        return None
    return given, names


def scope(paths: Sequence[str], settings: Settings, affected: bool = False) -> list[str]:
    """What a run reads: PATHS, else the configured paths, else the current folder; with `affected`, PATHS
    are changed files and the configured paths (or the current folder) are read."""
    return (list(settings.paths) or ["."]) if affected else (list(paths) or list(settings.paths) or ["."])


def find_roots(paths: Sequence[str], globs: Sequence[str], settings: Settings) -> list[str]:
    """The application roots under `paths`, found by walking them."""
    return _scan(paths, globs, settings)[0]


def root_parts(paths: Sequence[str], globs: Sequence[str], settings: Settings) -> list[Part]:
    """The application roots under `paths` (find_roots), each a part with the Application outside every
    root that deploys it, as split gives them."""
    return _deployed(*_scan(paths, globs, settings), settings)


def _deployed(roots: Sequence[str], outside: Sequence[str], settings: Settings) -> list[Part]:
    """Each of `roots` a part, with the Application among the files `outside` every root that deploys it."""
    apps = deployers(outside, roots, settings)
    return [Part((root,), app=apps.get(root)) for root in sorted(roots)]


def _scan(paths: Sequence[str], globs: Sequence[str], settings: Settings) -> tuple[list[str], list[str]]:
    """The application roots under `paths`, and the YAML files outside them, in one walk that enters no
    root, no hidden folder and no link (as the loader's walk does)."""
    roots: list[str] = []
    files: list[str] = []
    for given in paths:
        if given != "-" and os.path.isfile(given) and given.endswith(YAML_SUFFIXES):
            files.append(given)
        if given == "-" or not os.path.isdir(given):
            continue
        pending = [(given, "")]  # each folder with its path below `given`, as globs see it
        while pending:
            folder, below = pending.pop()
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue  # the loader reports what it cannot read
            for entry in entries:
                if entry.name.startswith(".") or entry.is_symlink():
                    continue
                if entry.is_dir():
                    name = f"{below}/{entry.name}" if below else entry.name
                    if _is_root(entry.path, name, globs, settings):
                        roots.append(os.path.normpath(entry.path))  # an application holds no other
                    else:
                        pending.append((entry.path, name))
                elif entry.name.endswith(YAML_SUFFIXES):
                    files.append(entry.path)
    return sorted(roots), sorted(files)


def _is_root(folder: str, below: str, globs: Sequence[str], settings: Settings) -> bool:
    """Whether `folder` (`below` the folder given on the command line, with `/`) is an application root.
    Globs are relative to the configuration's folder, or to the folder given on the command line."""
    names = (settings.relative(folder), below)
    return any(glob_match(g, name) for g in globs for name in names)


def _rest(paths: Sequence[str], roots: Sequence[str]) -> Part | None:
    """What lies outside every root: the given paths that are not inside one, read as given (a chart or
    kustomization folder is rendered, a chart met while walking is reported) but for the roots."""
    here = os.getcwd()  # once: os.path.abspath asks for it again for every path

    def absolute(path: str) -> str:
        return os.path.normpath(os.path.join(here, path)) + os.sep

    inside = [absolute(root) for root in roots]
    rest = tuple(
        given for given in paths if given == "-" or not any(absolute(given).startswith(r) for r in inside)
    )
    return Part(rest, frozenset(roots)) if rest else None


def deployer_of(folder: str, globs: Sequence[str], settings: Settings) -> AppSettings | None:
    """The Application that deploys `folder` when it is one of the roots of the configured paths (or of the
    current folder): the one outside every root whose source names it, as for a whole repository."""
    scopes = list(settings.paths) or ["."]
    target = os.path.abspath(folder)
    if not any(
        os.path.exists(scope) and _within(folder, scope) and os.path.abspath(scope) != target
        for scope in scopes
    ):
        return None  # outside the configured paths, or one of them, which no root can be
    roots, outside = _scan(scopes, globs, settings)
    root = next((r for r in roots if os.path.abspath(r) == target), None)
    return None if root is None else deployers(outside, [root], settings).get(root)


def deployers(files: Sequence[str], roots: Sequence[str], settings: Settings) -> dict[str, AppSettings]:
    """The Applications in `files` (the YAML files outside every root) by the root each deploys, as for one
    application (application.deployers). Plain files only: nothing outside the roots is rendered for
    this."""
    if not roots:
        return {}
    apps: list[AppSettings] = []
    for path in files:
        display = os.path.normpath(path).replace(os.sep, "/")
        if settings.exclude and settings.excluded(display):
            continue
        try:
            data = read_file(path)
        except OSError:
            continue  # the part's own lint reports it
        if b"Application" in data:
            resources = load_bytes(display, data).resources
            apps += [application.read(r) for r in resources if application.is_application(r)]
    return application.deployers(apps, roots)


def touched(
    changed: Sequence[str], paths: Sequence[str], globs: Sequence[str], settings: Settings
) -> list[Part]:
    """The parts of `paths` that the `changed` files touch: each application root that holds one, whole,
    and the files outside every root when a changed manifest lies there. A changed file's root is found
    from its own folders; the repository is walked once, entering no root, for the Applications outside
    the roots that deploy them. Files that linting `paths` would never read (hidden, behind a link,
    elsewhere) touch nothing."""
    for given in paths:
        if not os.path.exists(given):
            raise PathNotFound(given)
    roots: set[str] = set()
    rest = False
    scanned: tuple[list[str], list[str]] | None = None

    def scan() -> tuple[list[str], list[str]]:
        """Every root and the YAML files outside them: one walk, and only when needed."""
        nonlocal scanned
        if scanned is None:
            scanned = _scan(paths, globs, settings)
        return scanned

    for path in map(os.path.normpath, changed):
        found = _walked_from(path, paths)
        if found is None:
            continue
        scope, names = found
        if os.path.isdir(path):
            # A folder: the roots inside it or around it, and what lies outside every root.
            inside = [r for r in scan()[0] if _within(r, path) or _within(path, r)]
            roots.update(inside)
            rest = rest or not any(_within(path, r) for r in inside)
            continue
        root = _root_of(scope, names[:-1], globs, settings)
        if root:
            roots.add(root)
        elif path.endswith(YAML_SUFFIXES) and root != _BEHIND_LINK:
            rest = True
    # The Applications of the roots touched may lie anywhere outside every root.
    apps = deployers(scan()[1], sorted(roots), settings) if roots else {}
    parts = [Part((root,), app=apps.get(root)) for root in sorted(roots) if os.path.isdir(root)]
    outside = _rest(paths, scan()[0]) if rest else None
    return parts + ([outside] if outside else [])


def _within(path: str, folder: str) -> bool:
    """Whether `path` is `folder` or lies under it (both normalized)."""
    relative = os.path.relpath(path, folder)
    return relative == os.curdir or relative.split(os.sep)[0] != os.pardir


_BEHIND_LINK = ""


def _root_of(given: str, folders: Sequence[str], globs: Sequence[str], settings: Settings) -> str | None:
    """The outermost folder on the way from `given` down `folders` that is an application root, as the walk
    finds it; None when there is none, and _BEHIND_LINK when the way passes a link, which the walk does not
    enter."""
    folder = given
    for depth, name in enumerate(folders, start=1):
        folder = os.path.join(folder, name)
        if os.path.islink(folder):
            return _BEHIND_LINK
        if _is_root(folder, "/".join(folders[:depth]), globs, settings):
            return os.path.normpath(folder)
    return None


def run(parts: Sequence[Part], lint_part: Linter, jobs: int) -> list[PartResult]:
    """Each part linted by `lint_part`, in `jobs` processes when there is more than one part. They send back
    only findings, small counts and texts, so running in parallel pays, and memory holds one application
    per process at a time."""
    return workers.run(lint_part, parts, jobs)


@frozen
class Merged:
    """What all the parts give back together: their findings in one order, the counts, the texts."""

    findings: list[Finding]
    files: int
    resources: int
    texts: dict[str, str]


def merge(results: Sequence[PartResult], config_file: str | None) -> Merged:
    """All parts' findings in one order (merge_findings), their counts and texts."""
    texts: dict[str, str] = {}
    for result in results:
        texts.update(result.texts)
    return Merged(
        merge_findings([r.findings for r in results], config_file),
        sum(r.files for r in results),
        sum(r.resources for r in results),
        texts,
    )


def merge_findings(parts: Sequence[Sequence[Finding]], config_file: str | None) -> list[Finding]:
    """All parts' findings in one order. A configuration suppression is unused only if every part found
    it unused (HL000 at the configuration file)."""
    unused = Counter(
        f for found in parts for f in found if f.rule == UNUSED_SUPPRESSION and f.span.path == config_file
    )
    # A kustomization base that two overlays build is linted with each: its findings are reported once.
    findings = list(
        dict.fromkeys(
            f
            for found in parts
            for f in found
            if not (f.rule == UNUSED_SUPPRESSION and f.span.path == config_file)
        )
    )
    findings += [f for f, count in unused.items() if count == len(parts)]
    return in_order(findings)
