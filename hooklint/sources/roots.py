"""The application roots of a repository as Argo CD would see them, found with no configuration: the
folders its Applications and ApplicationSets deploy, then kustomization and chart folders, then each folder
of plain manifests (docs/argocd.md#application-roots)."""

from __future__ import annotations

import fnmatch
import os
import posixpath
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
    others: tuple[str, ...] = ()  # its JSON files, which git files generators may read


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
    configs = {
        (f"{folder.below}/" if folder.below else "") + os.path.basename(path): path
        for folder in folders
        for path in (*folder.files, *folder.others)
    }
    deployed = _deployed(resources, by_below, configs)
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
        others: list[str] = []
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
            elif name.endswith(".json") and _is_file(entry):
                others.append(path)
        files.sort()
        subfolders.sort()
        found.append(_Folder(folder, below, kind, tuple(files), tuple(subfolders), tuple(sorted(others))))
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


def _deployed(
    resources: Sequence[Resource], by_below: dict[str, str], configs: dict[str, str] | None = None
) -> dict[str, bool]:
    """The folders the Applications and ApplicationSets in the walked files deploy, each with whether its
    subfolders are its own (docs/argocd.md#application-roots). Source paths are the repository's;
    `configs` maps the repository's files (relative, with `/`) to their paths here, for git files
    generators."""
    configs = configs or {}
    found: dict[str, bool] = {}
    for resource in resources:
        for path, recurse in _sources(resource.body):
            folder = by_below.get(os.path.normpath(path.strip("/")).replace(os.sep, "/"))
            if folder is not None:
                found[folder] = found.get(folder, False) or recurse
        for folder in _generated(resource.body, by_below):
            found.setdefault(folder, False)
        for path, recurse in _generated_sources(resource.body, configs):
            folder = by_below.get(os.path.normpath(path.strip("/")).replace(os.sep, "/"))
            if folder is not None:
                found[folder] = found.get(folder, False) or recurse
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


# What a template's `{{ ... }}` names: a parameter (fasttemplate: the trimmed tag) or, with goTemplate, a
# chain of fields of the parameters (`.path.basename`).
_TAG = re.compile(r"\{\{(.*?)\}\}", re.S)
_GO_FIELDS = re.compile(r"^-?\s*((?:\.[A-Za-z_][\w-]*)+)\s*-?$")
# The git files generator reads at most this many files: an ApplicationSet cannot make the walk read more.
_MAX_CONFIG_FILES = 500


def _generated_sources(data: Any, configs: dict[str, str]) -> Iterator[tuple[str, bool]]:
    """(path, recurse) of each source of an ApplicationSet's template once rendered with the parameters of
    its top-level list, cluster and git files generators, where they are literal and every `{{ }}` of the
    path is one of them (docs/argocd.md#application-roots)."""
    spec = data.get("spec") if isinstance(data, dict) and data.get("kind") == APPLICATION_SET else None
    if not isinstance(spec, dict):
        return
    template = spec.get("template")
    paths = [
        (path, recurse)
        for path, recurse in _template_sources(template.get("spec") if isinstance(template, dict) else None)
        if "{{" in path
    ]
    generators = spec.get("generators")
    if not paths or not isinstance(generators, list):
        return
    go = spec.get("goTemplate") is True
    for generator in generators:
        for params in _generator_params(generator, go, configs):
            for path, recurse in paths:
                rendered = _render(path, params, go)
                if rendered is not None and rendered.strip("/") not in ("", "."):
                    yield rendered, recurse


def _template_sources(spec: Any) -> Iterator[tuple[str, bool]]:
    """(path, recurse) of each source of an Application spec that names a path."""
    if not isinstance(spec, dict):
        return
    sources = spec.get("sources")
    for source in sources if isinstance(sources, list) else [spec.get("source")]:
        if isinstance(source, dict) and isinstance(source.get("path"), str):
            directory = source.get("directory")
            yield source["path"], isinstance(directory, dict) and directory.get("recurse") is True


def _generator_params(generator: Any, go: bool, configs: dict[str, str]) -> Iterator[dict[str, Any]]:
    """The parameter sets a top-level generator gives that hooklint can know from the repository alone
    (applicationset/generators: list.go, cluster.go, git.go): a list's elements; a cluster generator's
    literal `values` (the clusters' own names and labels are not in the repository); a git files
    generator's files, read as Argo CD reads them. Others give none."""
    if not isinstance(generator, dict):
        return
    listed = generator.get("list")
    elements = listed.get("elements") if isinstance(listed, dict) else None
    listed_params = [
        element if go else _flat_strings(element)
        for element in (elements if isinstance(elements, list) else ())
        if isinstance(element, dict)
    ]
    # Without goTemplate, a field that is no string fails the whole generator (list.go).
    if None not in listed_params:
        yield from (params for params in listed_params if params is not None)
    clusters = generator.get("clusters")
    values = clusters.get("values") if isinstance(clusters, dict) else None
    if isinstance(values, dict):
        literal = {k: v for k, v in values.items() if isinstance(v, str) and "{{" not in v}
        yield {"values": literal} if go else {f"values.{k}": v for k, v in literal.items()}
    git = generator.get("git")
    if isinstance(git, dict) and isinstance(git.get("files"), list):
        prefix = git.get("pathParamPrefix")
        yield from _files_params(git["files"], go, prefix if isinstance(prefix, str) else "", configs)


def _flat_strings(element: dict[str, Any]) -> dict[str, Any] | None:
    """A list element as fasttemplate parameters (list.go): its fields, and `values.k` for each entry of
    its `values` map; None when one is no string, which Argo CD refuses."""
    params: dict[str, Any] = {}
    for key, value in element.items():
        if key == "values" and isinstance(value, dict):
            if not all(isinstance(v, str) for v in value.values()):
                return None
            params.update({f"values.{k}": v for k, v in value.items()})
        elif isinstance(value, str):
            params[str(key)] = value
        else:
            return None
    return params


def _files_params(
    files: list[Any], go: bool, prefix: str, configs: dict[str, str]
) -> Iterator[dict[str, Any]]:
    """The parameters of a git files generator (git.go, generateParamsFromGitFile): each file that an
    include pattern matches and no exclude pattern does, in order of name, each object it holds."""
    include = [
        f["path"]
        for f in files
        if isinstance(f, dict) and isinstance(f.get("path"), str) and not f.get("exclude")
    ]
    exclude = [
        f["path"]
        for f in files
        if isinstance(f, dict) and isinstance(f.get("path"), str) and f.get("exclude")
    ]
    matched = sorted(
        name
        for name in configs
        if any(_glob_match(p, name) for p in include) and not any(_glob_match(p, name) for p in exclude)
    )
    for name in matched[:_MAX_CONFIG_FILES]:
        for found in _config_objects(configs[name]):
            yield _file_params(name, found, go, prefix)


def _glob_match(pattern: str, name: str) -> bool:
    """A files pattern as the repository server matches it: `**` for any folders, else Go's path.Match."""
    parts = pattern.strip("/").split("/")
    names = name.split("/")

    def match(i: int, j: int) -> bool:
        if i == len(parts):
            return j == len(names)
        if parts[i] == "**":
            return any(match(i + 1, k) for k in range(j, len(names) + 1))
        return j < len(names) and go_path_match(parts[i], names[j]) and match(i + 1, j + 1)

    return match(0, 0)


def _config_objects(path: str) -> list[dict[str, Any]]:
    """The objects of a generator's config file: one mapping, or a list of them; nothing when it cannot be
    read."""
    import yaml

    from hooklint.manifests.yamlnodes import Loader, NodeError, build, refusal

    try:
        text = read_file(path).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return []
    if refusal(text, Loader) is not None:
        return []
    try:
        node = yaml.compose(text, Loader=Loader)
        data = build(node) if node is not None else None
    except (yaml.YAMLError, NodeError, RecursionError):
        return []
    if isinstance(data, dict):
        return [data]
    return [item for item in data if isinstance(item, dict)] if isinstance(data, list) else []


def _file_params(name: str, found: dict[str, Any], go: bool, prefix: str) -> dict[str, Any]:
    folder = posixpath.dirname(name) or "."
    if go:
        path = {"path": folder, "basename": posixpath.basename(folder), "filename": posixpath.basename(name)}
        params = dict(found)
        params.update({prefix: {"path": path}} if prefix else {"path": path})
        return params
    params = {key: value for key, value in _flatten(found, "")}
    head = f"{prefix}.path" if prefix else "path"
    params[head] = folder
    params[f"{head}.basename"] = posixpath.basename(folder)
    params[f"{head}.filename"] = posixpath.basename(name)
    for index, segment in enumerate(folder.split("/")):
        if segment:
            params[f"{head}[{index}]"] = segment
    return params


def _flatten(data: Any, head: str) -> Iterator[tuple[str, str]]:
    """A config object's leaves under dotted keys, each as Go's `%v` writes a string, number or boolean."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _flatten(value, f"{head}.{key}" if head else str(key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _flatten(value, f"{head}.{index}" if head else str(index))
    elif isinstance(data, bool):
        yield head, "true" if data else "false"
    elif isinstance(data, (str, int, float)):
        yield head, str(data)


def _render(path: str, params: dict[str, Any], go: bool) -> str | None:
    """The path with every `{{ }}` replaced by its parameter (applicationset/utils/utils.go, Replace), or
    None when one names something not known here (or anything but a parameter or a chain of fields)."""
    missing = False

    def value(tag: re.Match[str]) -> str:
        nonlocal missing
        found: Any = None
        if go:
            fields = _GO_FIELDS.match(tag.group(1))
            found = params
            for name in fields.group(1).split(".")[1:] if fields else [""]:
                found = found.get(name) if isinstance(found, dict) else None
        else:
            found = params.get(tag.group(1).strip())
        if isinstance(found, bool) or not isinstance(found, (str, int)):
            missing = True
            return ""
        return str(found)

    rendered = _TAG.sub(value, path)
    return None if missing else rendered


def go_path_match(pattern: str, name: str) -> bool:
    """Go's path.Match: `*` and `?` within one name, `[...]` classes (`[^...]` negated); no `**`."""
    parts, names = pattern.split("/"), name.split("/")
    if len(parts) != len(names):
        return False
    return all(fnmatch.fnmatchcase(n, p.replace("[^", "[!")) for p, n in zip(parts, names, strict=True))
