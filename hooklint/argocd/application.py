"""The Argo CD Application object: which of the input's Applications describes the app, and its settings."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import field
from typing import Any

import yaml

from hooklint.argocd.annotations import Item, SyncOptions, split_items
from hooklint.model import UNRENDERED_TEMPLATE, Problem, Resource, Span
from hooklint.util.frozen import frozen

GROUP, KIND = "argoproj.io", "Application"
CREATE_NAMESPACE = "CreateNamespace=true"
PRUNE_LAST = "PruneLast=true"
APPLY_OUT_OF_SYNC_ONLY = "ApplyOutOfSyncOnly=true"
REPLACE = "Replace=true"
SERVER_SIDE_APPLY = "ServerSideApply=true"
SKIP_DRY_RUN = "SkipDryRunOnMissingResource=true"

# helm's own rule for a release name (pkg/chartutil, the same in helm 3 and 4): DNS-1123 labels joined by dots,
# at most 53 characters. A name that fails it is refused by `helm template` itself.
RELEASE_NAME = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
RELEASE_NAME_LIMIT = 53


def valid_release(name: str) -> bool:
    return len(name) <= RELEASE_NAME_LIMIT and RELEASE_NAME.fullmatch(name) is not None


def release_for(folder_name: str) -> str:
    """A release name helm accepts, made from a chart folder's name when no Application names the release
    (a folder such as `Vault_Chart` is no valid release name, and helm would refuse to render)."""
    name = re.sub(r"[^a-z0-9.-]+", "-", folder_name.lower())
    name = re.sub(r"\.?-+\.?|\.\.+", lambda run: "-" if "-" in run.group() else ".", name)
    name = name[:RELEASE_NAME_LIMIT].strip(".-")
    return name if valid_release(name) else "release"


@frozen
class AppSettings:
    """What an Application says about how its manifests are synced (docs/argocd.md#sync-options, docs/argocd.md#selective-sync, docs/argocd.md#crds-and-namespaces)."""

    resource: Resource
    namespace: str | None  # spec.destination.namespace
    automated: bool  # spec.syncPolicy.automated is set
    self_heal: bool
    sync_options: tuple[Item, ...] = ()
    paths: tuple[str, ...] = ()  # spec.source(s)[].path
    value_files: tuple[Item, ...] = ()  # spec.source(s)[].helm.valueFiles, relative to the chart
    release: str | None = None  # helm.releaseName; Argo CD uses the Application's name otherwise
    helm_at: tuple[str | int, ...] = ()  # where the helm settings read are: ("spec", "source", "helm")
    values_text: str | None = None  # helm.values (a YAML string) or helm.valuesObject
    parameters: tuple[tuple[str, str, bool], ...] = ()  # helm.parameters: (name, value, forceString)
    managed_namespace_metadata: bool = False
    children: tuple[Resource, ...] = field(default=(), compare=False)

    @property
    def name(self) -> str:
        return self.resource.name

    def has(self, option: str) -> bool:
        return any(item.value == option for item in self.sync_options)

    def value(self, key: str) -> str | None:
        """A Key=value option of spec.syncPolicy.syncOptions; the first matching item wins (docs/argocd.md#csv-values)."""
        return SyncOptions(self.sync_options).value(key)

    def option_span(self, option: str) -> Span:
        for item in self.sync_options:
            if item.value == option:
                return item.span
        return self.resource.span

    @property
    def has_helm(self) -> bool:
        return bool(self.value_files or self.release or self.values_text or self.parameters)

    @property
    def create_namespace(self) -> bool:
        """docs/argocd.md#crds-and-namespaces: a synthetic PreSync wave 0 Namespace task for the destination namespace."""
        return self.has(CREATE_NAMESPACE) and bool(self.namespace)

    @property
    def prune_last(self) -> bool:
        return self.has(PRUNE_LAST)

    @property
    def apply_out_of_sync_only(self) -> bool:
        return self.has(APPLY_OUT_OF_SYNC_ONLY)


def own_or_app(own: SyncOptions, app: AppSettings | None, key: str) -> str | None:
    """A Key=value sync option as Argo CD reads it for one object: the object's own annotation value, else the
    Application's (docs/argocd.md#sync-options). gitops-engine's isPruningDisabled and objRequiresPruneConfirmation
    (sync_context.go) read Prune so; the controller's shouldBeDeleted (appcontroller.go) and
    isObjRequiresDeletionConfirmation (state.go) read Delete and Prune so."""
    value = own.value(key)
    return app.value(key) if value is None and app is not None else value


def is_application(resource: Resource) -> bool:
    return resource.group == GROUP and resource.kind == KIND


def read(resource: Resource) -> AppSettings:
    """An Application's settings; malformed fields read as absent (the API server would refuse them)."""
    raw_spec = resource.get(("spec",))
    spec: dict[str, Any] = raw_spec if isinstance(raw_spec, dict) else {}
    namespace = resource.get(("spec", "destination", "namespace"))
    raw_policy = spec.get("syncPolicy")
    policy: dict[str, Any] = raw_policy if isinstance(raw_policy, dict) else {}
    automated = policy.get("automated")
    raw_sources = spec.get("sources")
    sources: list[Any] = raw_sources if isinstance(raw_sources, list) else [spec.get("source")]
    paths: list[str] = []
    value_files: list[Item] = []
    helm_settings: dict[str, Any] = {}
    helm_at: tuple[str | int, ...] = ()
    for number, source in enumerate(sources):
        if not isinstance(source, dict):
            continue
        if isinstance(source.get("path"), str):
            paths.append(source["path"])
        helm = source.get("helm")
        if isinstance(helm, dict):
            at = ("spec", "sources", number) if isinstance(raw_sources, list) else ("spec", "source")
            helm_settings, helm_at = helm, (*at, "helm")
            files = helm.get("valueFiles")
            for index, name in enumerate(files if isinstance(files, list) else ()):
                if isinstance(name, str):
                    value_files.append(Item(name, resource.span_at((*helm_at, "valueFiles", index))))
    return AppSettings(
        resource=resource,
        namespace=namespace if isinstance(namespace, str) and namespace else None,
        automated=isinstance(automated, dict),
        self_heal=isinstance(automated, dict) and automated.get("selfHeal") is True,
        sync_options=tuple(_options(resource, policy)),
        paths=tuple(paths),
        value_files=tuple(value_files),
        release=helm_settings.get("releaseName")
        if isinstance(helm_settings.get("releaseName"), str)
        else None,
        helm_at=helm_at,
        values_text=_values_text(helm_settings),
        parameters=tuple(_parameters(helm_settings)),
        managed_namespace_metadata=isinstance(policy.get("managedNamespaceMetadata"), dict),
    )


def helm_inputs(app: AppSettings, chart: str, root: str) -> tuple[tuple[str, ...], tuple[Problem, ...]]:
    """The Application's value files for helm, resolved against the chart folder (links followed); and
    HL003 at each Helm setting hooklint will not hand to helm: a release name helm refuses (helm reads
    none as an option anyway), a value file that is a URL (hooklint fetches nothing) or lies outside the
    repository `root` (Argo CD refuses those too). With any, Argo CD cannot render the chart, and hooklint
    does not render it."""
    from hooklint.util import confine

    problems: list[Problem] = []
    # Without helm.releaseName, Argo CD passes the Application's own name (docs/argocd.md#helm-rendering).
    named, at = (
        (app.release, (*app.helm_at, "releaseName"))
        if app.release is not None
        else (app.name, ("metadata", "name"))
    )
    if not valid_release(named):
        whose = (
            ""
            if app.release is not None
            else ", the release name Argo CD gives helm without helm.releaseName,"
        )
        problems.append(
            Problem(
                UNRENDERED_TEMPLATE,
                app.resource.span_at(at),
                f"{_field(at)} {named!r}{whose} is not a release name helm accepts "
                f"(lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most "
                f"{RELEASE_NAME_LIMIT} characters): Argo CD cannot render the chart, and hooklint does not render it",
            )
        )
    files: list[str] = []
    folder = os.path.abspath(chart)
    for index, item in enumerate(app.value_files):
        where = f"{_field((*app.helm_at, 'valueFiles', index))} {item.value!r}"
        if "://" in item.value:
            why = "is a URL: hooklint fetches nothing, so it does not render the chart"
        elif "\0" in item.value:
            why = "is not a file name: hooklint does not render the chart"
        elif not confine.inside(os.path.join(folder, item.value), root):
            why = "lies outside the repository: Argo CD refuses it, and hooklint does not render the chart"
        else:
            files.append(os.path.realpath(os.path.join(folder, item.value)))
            continue
        problems.append(Problem(UNRENDERED_TEMPLATE, item.span, f"{where} {why}"))
    return tuple(files), tuple(problems)


def _field(path: Sequence[str | int]) -> str:
    """A field's path as people write it: `spec.sources[1].helm.valueFiles[0]`."""
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path).lstrip(".")


def _values_text(helm: dict[str, Any]) -> str | None:
    if isinstance(helm.get("valuesObject"), dict):
        return json.dumps(helm["valuesObject"])  # JSON is YAML
    return helm["values"] if isinstance(helm.get("values"), str) else None


def _parameters(helm: dict[str, Any]) -> list[tuple[str, str, bool]]:
    found = []
    for entry in helm.get("parameters") or ():
        if isinstance(entry, dict) and isinstance(entry.get("name"), str) and entry.get("value") is not None:
            found.append((entry["name"], str(entry["value"]), entry.get("forceString") is True))
    return found


def _options(resource: Resource, policy: dict[str, Any]) -> list[Item]:
    """spec.syncPolicy.syncOptions: a YAML list of strings, each parsed like the CSV annotation (docs/argocd.md#csv-values)."""
    options = policy.get("syncOptions")
    if not isinstance(options, list):
        return []
    found: list[Item] = []
    for index, value in enumerate(options):
        if isinstance(value, str):
            span = resource.span_at(("spec", "syncPolicy", "syncOptions", index))
            found += [Item(item.value, span) for item in split_items(value, span)]
    return found


def choose(resources: Sequence[Resource], inputs: Sequence[str]) -> AppSettings | None:
    """The Application that describes the linted manifests: the one that deploys an input folder (see
    deployers), the first folder's first. Other Applications are the app's children."""
    apps = [read(resource) for resource in resources if is_application(resource)]
    if not apps:
        return None
    found = deployers(apps, [p for p in inputs if p != "-" and os.path.isdir(p)])
    return next(iter(found.values()), None)


def deployers(apps: Sequence[AppSettings], folders: Sequence[str]) -> dict[str, AppSettings]:
    """For each of `folders` that one of `apps` deploys, that Application. A source path is the
    repository's and a folder is where the repository is checked out, so they are compared by trailing
    folders (`apps/shop` deploys `.../checkout/apps/shop`): the longest source path that matches wins,
    then the first Application. Indexed by source path, so many folders and Applications cost their sum."""
    by_source: dict[str, AppSettings] = {}
    for app in apps:
        for path in app.paths:
            wanted = os.path.normpath(path.strip("/"))
            if wanted not in (".", ""):
                by_source.setdefault(wanted, app)
    found: dict[str, AppSettings] = {}
    if not by_source:
        return found
    for folder in folders:
        names = [name for name in os.path.normpath(os.path.abspath(folder)).split(os.sep) if name]
        keys = (os.path.join(*names[start:]) for start in range(len(names)))
        deployer = next((by_source[key] for key in keys if key in by_source), None)
        if deployer is not None:
            found[folder] = deployer
    return found


def inside_source(app: AppSettings, inputs: Sequence[str]) -> bool:
    """Whether the Application's own manifest lies in the folder it deploys (a self-managing app)."""
    own = os.path.dirname(os.path.abspath(app.resource.path))
    folders = [os.path.normpath(os.path.abspath(p)) for p in inputs if p != "-" and os.path.isdir(p)]
    return any(
        own == folder or own.startswith(folder + os.sep)
        for folder in folders
        if any(_ends_with(folder, os.path.normpath(path.strip("/"))) for path in app.paths)
    )


def _ends_with(folder: str, relative: str) -> bool:
    return folder == relative or folder.endswith(os.sep + relative)


def synthetic_namespace(app: AppSettings, namespace: str) -> Resource:
    """The Namespace Argo CD creates for CreateNamespace=true (docs/argocd.md#crds-and-namespaces), placed at the option in the Application."""
    text = f"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {namespace}\n"
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    assert isinstance(node, yaml.MappingNode)
    span = app.option_span(CREATE_NAMESPACE)
    mark = yaml.Mark(span.path, 0, span.line - 1, span.column - 1, "", 0)
    end = yaml.Mark(span.path, 0, span.end_line - 1, span.end_column - 1, "", 0)
    stack: list[yaml.Node] = [node]
    while stack:
        current = stack.pop()
        current.start_mark, current.end_mark = mark, end
        if isinstance(current, yaml.MappingNode):
            stack += [part for pair in current.value for part in pair]
        elif isinstance(current, yaml.SequenceNode):
            stack += current.value
    body = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}}
    return Resource(span.path, -1, "v1", "Namespace", namespace, False, None, body, node)
