"""A kustomization and all it pulls in, read before kustomize runs: the local files its objects come from, and
whether any entry is remote or lies outside the repository, in which case it is not built at all (kustomize
would clone, download, or read another repository).

The check fails closed: a kustomization file hooklint cannot read exactly as kustomize reads it is not built
either. kustomize turns the YAML into JSON and decodes that into its Kustomization type, where Go's JSON
decoder matches a key to a field ignoring case (Unicode simple folding: `Resources`, `RESOURCES` and
`reſources` are all `resources`), keeps the last of a key written twice, and drops a tag it does not know.
So any key but the field's own spelling, a key written twice, a tag, a merge key or an entry of the wrong
shape means no build."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from hooklint.manifests.yamlnodes import Loader, NodeError, build, refusal
from hooklint.sources.render import kustomization_file
from hooklint.sources.sourcemap import nodes
from hooklint.util import confine
from hooklint.util.frozen import frozen

# Entries whose files and folders the built objects come from.
_RESOURCES = ("resources", "bases", "components", "crds")
# Entries that name a file or a folder (a kustomization) each, or hold inline YAML (a line break in it).
_PATHS = ("generators", "transformers", "validators", "configurations", "patchesStrategicMerge")
# Entries whose files (or inline YAML) configure kustomize's plugins, which load files of their own.
_PLUGINS = frozenset({"generators", "transformers", "validators"})
# Lists of mappings whose `path` names a file.
_PATH_ITEMS = ("patches", "patchesJson6902", "replacements")
_GENERATORS = ("configMapGenerator", "secretGenerator")
_CHART_REPOSITORY = "helmCharts repo"  # a chart repository is remote, whatever its form
# What kustomize (or the git it runs) reads as a remote: a URL of any scheme, scp-like `user@host:path`,
# go-getter's `git::` and `gh:`, a forge's host at the start, a query naming a revision, Azure's `_git/`.
_REMOTE = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*:/|file:|git::|gh:|[^/\s@]+@[^/\s:]+:)"
    r"|^(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org|(?:ssh\.)?dev\.azure\.com)(?:[/:]|$)"
    r"|\?(?:ref|version|submodules|timeout)="
    r"|(?:^|/)_git/",
    re.IGNORECASE,
)

# The JSON names of kustomize's Kustomization type (sigs.k8s.io/kustomize/api/types, kustomize 5.8) and of
# the types of the entries that name files: the only keys read. kustomize refuses other keys itself.
_FIELDS = frozenset(
    {
        *("apiVersion", "kind", "metadata", "openapi", "namePrefix", "nameSuffix", "namespace"),
        *("commonLabels", "labels", "commonAnnotations", "patchesStrategicMerge", "patchesJson6902"),
        *("patches", "images", "imageTags", "replacements", "replicas", "vars", "sortOptions"),
        *("resources", "components", "crds", "bases", "configMapGenerator", "secretGenerator"),
        *("helmGlobals", "helmCharts", "helmChartInflationGenerator", "generatorOptions"),
        *("configurations", "generators", "transformers", "validators", "buildMetadata"),
    }
)
_GENERATOR = frozenset({"namespace", "name", "behavior", "literals", "files", "envs", "env", "options"})
_PATCH = frozenset({"path", "patch", "target", "options"})
# Fields holding one mapping, and fields holding a list of mappings, with the keys of each mapping.
_MAPPINGS = {"openapi": frozenset({"path", "version"}), "helmGlobals": frozenset({"chartHome", "configHome"})}
_ITEMS = {
    "patches": _PATCH,
    "patchesJson6902": _PATCH,
    "replacements": frozenset({"path", "source", "sourceValue", "targets"}),
    "configMapGenerator": _GENERATOR,
    "secretGenerator": _GENERATOR | {"type"},
    "helmCharts": frozenset(
        {
            *("name", "version", "repo", "releaseName", "namespace", "additionalValuesFiles", "valuesFile"),
            *("valuesInline", "valuesMerge", "includeCRDs", "skipHooks", "apiVersions", "kubeVersion"),
            *("nameTemplate", "skipTests", "debug", "devel"),
        }
    ),
    "helmChartInflationGenerator": frozenset(
        {
            *("chartName", "chartVersion", "chartRepoUrl", "chartHome", "chartRepoName", "helmBin"),
            *("helmHome", "values", "valuesLocal", "valuesMerge", "releaseName", "releaseNamespace"),
            "extraArgs",
        }
    ),
}
# The tags a value may have: those YAML gives plain and quoted scalars and collections by itself. Any other
# (`!x`, `!!binary`, whose base64 kustomize decodes into a name) is read differently by each decoder.
_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"


@frozen
class Broken:
    """A kustomization file kustomize itself cannot read (not YAML, empty, no mapping): where, and why."""

    file: str
    line: int
    column: int
    message: str


@dataclass
class Tree:
    files: list[str] = field(default_factory=list)  # resource files, following local folders
    kustomizations: list[str] = field(default_factory=list)  # every kustomization file met
    refusal: str | None = None  # why it is not built: the first remote entry, one outside, an unreadable file
    broken: Broken | None = None  # set with the refusal when kustomize would fail on the file too


class _Unread(Exception):
    """Why a file is not read exactly as kustomize reads it (its words follow the file's name); `at`, the
    1-based line and column, when kustomize could not read it either, so the application cannot be built."""

    def __init__(self, words: str, at: tuple[int, int] | None = None) -> None:
        super().__init__(words)
        self.at = at


def remote(entry: str) -> bool:
    return _REMOTE.search(entry.strip()) is not None


def inspect(folder: str, root: str) -> Tree:
    """The kustomization in `folder` and every one it reaches, read without building; `root`: the
    repository's root, which no entry may leave (links followed)."""
    tree = Tree()
    seen: set[str] = set()

    def visit(directory: str, plugins: bool) -> str | None:
        """`plugins`: the folder is a generators, transformers or validators entry, whose resources are
        plugin configurations."""
        file = kustomization_file(directory)
        real = os.path.realpath(directory)
        if file is None or real in seen:
            return None
        seen.add(real)
        shown = _display(file)
        if not confine.inside(file, root):
            return f"{shown} lies outside the repository"
        tree.kustomizations.append(file)
        try:
            data = _kustomization(file)
            # A generator's, transformer's or validator's configuration names files kustomize keeps inside
            # the kustomization's folder, which is no bound when it holds `.git`.
            if confine.holds_git(directory):
                configured = next((key for key in sorted(_PLUGINS) if _list(data, key)), None)
                if configured is not None:
                    return f"{shown}'s {configured} entries may read any file of its folder, which holds .git"
            for key, entry in _entries(data):
                refusal = step(directory, shown, key, entry, plugins and key in _RESOURCES)
                if refusal is not None:
                    return refusal
        except _Unread as unread:
            if unread.at is not None and tree.broken is None:
                tree.broken = Broken(file, *unread.at, f"{shown} {unread}")
            return f"{shown} {unread}"
        return None

    def step(directory: str, shown: str, key: str, entry: str, plugin: bool) -> str | None:
        where = f"{shown}'s {key} entry {entry!r}"
        plugin = plugin or key in _PLUGINS
        if plugin and "\n" in entry:
            return _plugin_remote(entry, f"{shown}'s inline {key} entry")
        if key == _CHART_REPOSITORY or remote(entry):
            return f"{where} is remote, and hooklint fetches nothing"
        path = os.path.normpath(os.path.join(directory, entry))
        if "\0" in entry or not confine.inside(path, root):
            return f"{where} lies outside the repository"
        if os.path.isdir(path):
            return visit(path, plugin)
        if plugin and os.path.isfile(path):
            return _plugin_remote(_text(path), f"{_display(path)}, a {key} entry of {shown},")
        if key in _RESOURCES and os.path.isfile(path) and path not in tree.files:
            tree.files.append(path)
        return None

    tree.refusal = visit(folder, False)
    return tree


def _text(file: str) -> str:
    try:
        with open(file, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise _Unread(f"cannot be read ({type(error).__name__})") from None


def _compose(text: str) -> list[yaml.Node]:
    """The documents of `text`, every node checked: only YAML's own tags, no merge key, no key twice."""
    if refusal(text, Loader) is not None:
        raise _Unread("is larger or deeper than hooklint reads")
    try:
        documents = list(yaml.compose_all(text, Loader=Loader))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        at = f" at line {where[0]}" if mark is not None else ""
        raise _Unread(f"is not valid YAML ({error.problem or error.context}{at})", where) from None
    except (yaml.YAMLError, RecursionError):
        raise _Unread("is not valid YAML", (1, 1)) from None
    for node in _each(documents):  # a parent before what it holds
        if node.tag not in _TAGS:
            raise _Unread(f"uses the tag {node.tag!r} at line {_line(node)}, which hooklint does not read")
        if isinstance(node, yaml.MappingNode):
            keys: dict[object, yaml.Node] = {}
            for key, _ in node.value:
                if key.tag == _MERGE:
                    raise _Unread(f"merges a mapping at line {_line(key)}, which hooklint does not read")
                name = (key.tag, key.value) if isinstance(key, yaml.ScalarNode) else id(key)
                if name in keys:
                    raise _Unread(
                        f"has the key {key.value!r} twice, at lines {_line(keys[name])} and {_line(key)}"
                    )
                keys[name] = key
    return documents


def _each(documents: list[yaml.Node]) -> Iterator[yaml.Node]:
    """Every node of `documents` once (an alias's node is not met again), each before what it holds."""
    for document in documents:
        yield from nodes(document)


def _kustomization(file: str) -> dict[str, Any]:
    """The kustomization in `file` as kustomize reads it, or _Unread."""
    documents = _compose(_text(file))
    if not documents:
        raise _Unread("is empty", (1, 1))
    if len(documents) != 1:
        # kustomize reads the first and drops the rest; hooklint does not guess which it meant.
        raise _Unread("holds more than one YAML document")
    top = documents[0]
    if not isinstance(top, yaml.MappingNode):
        raise _Unread("holds no YAML mapping", (_line(top), int(top.start_mark.column) + 1))
    _keys(top, _FIELDS, "")
    for key, value in top.value:
        if key.value in _MAPPINGS and isinstance(value, yaml.MappingNode):
            _keys(value, _MAPPINGS[key.value], f" in {key.value}")
        if key.value in _ITEMS and isinstance(value, yaml.SequenceNode):
            for item in value.value:
                if isinstance(item, yaml.MappingNode):
                    _keys(item, _ITEMS[key.value], f" in {key.value}")
    try:
        data = build(top)
    except (NodeError, RecursionError):
        raise _Unread("is larger or deeper than hooklint reads") from None
    assert isinstance(data, dict)
    return data


def _keys(node: yaml.MappingNode, known: frozenset[str], where: str) -> None:
    """Every key of `node` is a string spelled as kustomize's field is."""
    for key, _ in node.value:
        name = key.value if isinstance(key, yaml.ScalarNode) and key.tag == _STR else None
        if name in known:
            continue
        like = [field for field in known if name is not None and _fold(field) == _fold(name)]
        if like:
            raise _Unread(
                f"has the key {name!r}{where} at line {_line(key)}, which kustomize reads as {like[0]!r}"
            )
        shown = name if name is not None else getattr(key, "value", "")
        raise _Unread(f"has the key {shown!r}{where} at line {_line(key)}, which hooklint does not know")


def _fold(name: str) -> str:
    """`name` folded as Go's JSON decoder folds a key to match a field (Unicode simple case folding, which
    `casefold` includes: `ſ` is `s`, the Kelvin sign `k`)."""
    return name.casefold()


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _plugin_remote(text: str, shown: str) -> str | None:
    """Why a plugin configuration is not built on: it cannot be read, or names a remote anywhere. Each of
    kustomize's plugins names its files under keys of its own (a patch's `path`, a generator's `files`), and
    loads a URL over HTTP: any remote string, wherever it stands, stops the build."""
    try:
        documents = _compose(text)
    except _Unread as unread:
        return f"{shown} {unread}"
    for node in _each(documents):
        if isinstance(node, yaml.ScalarNode) and node.tag == _STR and remote(node.value):
            return f"{shown} names {node.value!r}, which is remote, and hooklint fetches nothing"
    return None


def _entries(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(field, entry) for every entry that names a file, a folder or a remote, in the order of the fields;
    _Unread for a field that holds something else than kustomize's type allows."""
    for key in (*_RESOURCES, *_PATHS):
        for entry in _list(data, key):
            if not isinstance(entry, str):
                raise _Unread(f"has a {key} entry that is no string")
            if "\n" not in entry or key in _PLUGINS:
                yield key, entry
    for key in _PATH_ITEMS:
        for item in _items(data, key):
            yield from _names(key, [item.get("path")])
    openapi = _mapping(data, "openapi")
    yield from _names("openapi", [openapi.get("path")])
    for key in _GENERATORS:
        for generator in _items(data, key):
            names = [*_list(generator, "files"), *_list(generator, "envs"), generator.get("env")]
            # `files` entries may be `key=path`.
            yield from _names(key, [n.split("=", 1)[-1] if isinstance(n, str) else n for n in names])
    for chart in _items(data, "helmCharts"):
        if chart.get("repo"):
            yield from _names(_CHART_REPOSITORY, [chart["repo"]])
        yield from _names("helmCharts", [chart.get("valuesFile"), *_list(chart, "additionalValuesFiles")])
    for chart in _items(data, "helmChartInflationGenerator"):
        if chart.get("chartRepoUrl"):
            yield from _names(_CHART_REPOSITORY, [chart["chartRepoUrl"]])
        yield from _names("helmChartInflationGenerator", [chart.get("chartHome"), chart.get("values")])
    settings = _mapping(data, "helmGlobals")
    yield from _names("helmGlobals", [settings.get("chartHome"), settings.get("configHome")])


def _names(key: str, values: list[Any]) -> Iterator[tuple[str, str]]:
    for value in values:
        if isinstance(value, str):
            yield key, value
        elif value is not None:
            raise _Unread(f"has a {key} entry that is no string")


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise _Unread(f"has a {key} field that is no list")
    return value


def _items(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = _list(data, key)
    if not all(isinstance(item, dict) for item in items):
        raise _Unread(f"has a {key} entry that is no mapping")
    return items


def _mapping(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _Unread(f"has a {key} field that is no mapping")
    return value


def _display(path: str) -> str:
    return os.path.normpath(path).replace(os.sep, "/")
