"""A kustomization and all it pulls in, read before kustomize runs: the local files its objects come from, and
whether any entry is remote or lies outside the repository, in which case it is not built at all (kustomize
would clone, download, or read another repository)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from hooklint.sources.render import kustomization_file
from hooklint.util import confine

# Entries whose files and folders the built objects come from.
_RESOURCES = ("resources", "bases", "components", "crds")
# Entries that name a file or a folder (a kustomization) each, or hold inline YAML (a line break in it).
_PATHS = ("generators", "transformers", "validators", "configurations", "patchesStrategicMerge")
# Lists of mappings whose `path` names a file.
_PATH_ITEMS = ("patches", "patchesJson6902", "replacements")
_GENERATORS = ("configMapGenerator", "secretGenerator")
_PLUGINS = ("generators", "transformers", "validators")
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


@dataclass
class Tree:
    files: list[str] = field(default_factory=list)  # resource files, following local folders
    kustomizations: list[str] = field(default_factory=list)  # every kustomization file met
    refusal: str | None = None  # why it is not built: the first remote entry, or one outside the repository


def remote(entry: str) -> bool:
    return _REMOTE.search(entry.strip()) is not None


def inspect(folder: str, root: str) -> Tree:
    """The kustomization in `folder` and every one it reaches, read without building; `root`: the
    repository's root, which no entry may leave (links followed)."""
    tree = Tree()
    seen: set[str] = set()

    def visit(directory: str) -> str | None:
        file = kustomization_file(directory)
        real = os.path.realpath(directory)
        if file is None or real in seen:
            return None
        seen.add(real)
        shown = _display(file)
        if not confine.inside(file, root):
            return f"{shown} lies outside the repository"
        tree.kustomizations.append(file)
        data = _read(file)
        # A generator's, transformer's or validator's configuration names files hooklint does not look at;
        # kustomize keeps them inside the kustomization's folder, which is no bound when it holds `.git`.
        plugins = [key for key in _PLUGINS if _list(data.get(key))] if confine.holds_git(directory) else []
        if plugins:
            return f"{shown}'s {plugins[0]} entries may read any file of its folder, which holds .git"
        for key, entry in _entries(data):
            where = f"{shown}'s {key} entry {entry!r}"
            if key == _CHART_REPOSITORY or remote(entry):
                return f"{where} is remote, and hooklint fetches nothing"
            path = os.path.normpath(os.path.join(directory, entry))
            if "\0" in entry or not confine.inside(path, root):
                return f"{where} lies outside the repository"
            if os.path.isdir(path):
                refusal = visit(path)
                if refusal is not None:
                    return refusal
            elif key in _RESOURCES and os.path.isfile(path) and path not in tree.files:
                tree.files.append(path)
        return None

    tree.refusal = visit(folder)
    return tree


def _read(file: str) -> dict[str, Any]:
    try:
        with open(file, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}  # kustomize fails on it too: HL001 when it is built
    return data if isinstance(data, dict) else {}


def _entries(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(field, entry) for every entry that names a file, a folder or a remote, in the order of the fields."""
    for key in (*_RESOURCES, *_PATHS):
        for entry in _list(data.get(key)):
            if isinstance(entry, str) and "\n" not in entry:
                yield key, entry
    for key in _PATH_ITEMS:
        for item in _list(data.get(key)):
            if isinstance(item, dict) and isinstance(item.get("path"), str):
                yield key, item["path"]
    openapi = data.get("openapi")
    if isinstance(openapi, dict) and isinstance(openapi.get("path"), str):
        yield "openapi", openapi["path"]
    for key in _GENERATORS:
        for generator in _list(data.get(key)):
            if not isinstance(generator, dict):
                continue
            names = [*_list(generator.get("files")), *_list(generator.get("envs")), generator.get("env")]
            # `files` entries may be `key=path`.
            yield from ((key, n.split("=", 1)[-1]) for n in names if isinstance(n, str))
    for chart in _list(data.get("helmCharts")):
        if not isinstance(chart, dict):
            continue
        if isinstance(chart.get("repo"), str) and chart["repo"]:
            yield _CHART_REPOSITORY, chart["repo"]
        names = [chart.get("valuesFile"), *_list(chart.get("additionalValuesFiles"))]
        yield from (("helmCharts", n) for n in names if isinstance(n, str))
    settings = data.get("helmGlobals")
    if isinstance(settings, dict):
        names = [settings.get("chartHome"), settings.get("configHome")]
        yield from (("helmGlobals", n) for n in names if isinstance(n, str))


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _display(path: str) -> str:
    return os.path.normpath(path).replace(os.sep, "/")
