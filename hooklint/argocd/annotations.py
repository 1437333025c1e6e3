"""Argo CD's annotation vocabulary and how it reads one annotation's value (docs/argocd.md#annotations), and the release
that brought each feature (docs/argocd.md#version-table). What a resource's annotations make of it is `annotated.py`'s."""

from __future__ import annotations

import yaml

from hooklint.model import Resource, Span, iter_mapping
from hooklint.util.frozen import frozen
from hooklint.util.lazy import cached

HOOK = "argocd.argoproj.io/hook"
HOOK_DELETE_POLICY = "argocd.argoproj.io/hook-delete-policy"
SYNC_WAVE = "argocd.argoproj.io/sync-wave"
SYNC_OPTIONS = "argocd.argoproj.io/sync-options"
COMPARE_OPTIONS = "argocd.argoproj.io/compare-options"
HELM_HOOK = "helm.sh/hook"
HELM_HOOK_WEIGHT = "helm.sh/hook-weight"
HELM_HOOK_DELETE_POLICY = "helm.sh/hook-delete-policy"
HELM_RESOURCE_POLICY = "helm.sh/resource-policy"

# The annotation keys that steer a sync (docs/argocd.md#annotations); HL014 looks for near misses of these.
KNOWN_KEYS = (
    HOOK,
    HOOK_DELETE_POLICY,
    SYNC_WAVE,
    SYNC_OPTIONS,
    COMPARE_OPTIONS,
    "argocd.argoproj.io/deletion-approved",
    "argocd.argoproj.io/ignore-restart-policy",
    "argocd.argoproj.io/ignore-healthcheck",
    "argocd.argoproj.io/tracking-id",
    "argocd.argoproj.io/manifest-generate-paths",
    HELM_HOOK,
    HELM_HOOK_WEIGHT,
    HELM_HOOK_DELETE_POLICY,
    HELM_RESOURCE_POLICY,
)

# Hook types (docs/argocd.md#hook-types). gitops-engine knows the sync-phase types and Skip; the controller adds the delete types (docs/argocd.md#application-deletion).
PRE_SYNC, SYNC, POST_SYNC, SYNC_FAIL, SKIP = "PreSync", "Sync", "PostSync", "SyncFail", "Skip"
PRE_DELETE, POST_DELETE = "PreDelete", "PostDelete"
SYNC_PHASE_TYPES = (PRE_SYNC, SYNC, POST_SYNC, SYNC_FAIL)
DELETE_TYPES = (PRE_DELETE, POST_DELETE)
HOOK_TYPES = (*SYNC_PHASE_TYPES, SKIP, *DELETE_TYPES)

# Helm hook values Argo CD maps (docs/argocd.md#helm-hooks); every other value is dropped. `crd-install` alone is no hook at all.
HELM_TYPE_MAP = {
    "pre-install": PRE_SYNC,
    "pre-upgrade": PRE_SYNC,
    "post-install": POST_SYNC,
    "post-upgrade": POST_SYNC,
    "pre-delete": PRE_DELETE,
    "post-delete": POST_DELETE,
}
HELM_CRD_INSTALL = "crd-install"
HELM_INSTALL_ONLY = ("pre-install", "post-install")

# Delete policies (docs/argocd.md#delete-policies).
HOOK_SUCCEEDED, HOOK_FAILED, BEFORE_HOOK_CREATION = "HookSucceeded", "HookFailed", "BeforeHookCreation"
DELETE_POLICIES = (HOOK_SUCCEEDED, HOOK_FAILED, BEFORE_HOOK_CREATION)
HELM_POLICY_MAP = {
    "before-hook-creation": BEFORE_HOOK_CREATION,
    "hook-succeeded": HOOK_SUCCEEDED,
    "hook-failed": HOOK_FAILED,
}

# Per-resource sync options that Argo CD acts on, and the values it reads as defaults (no-ops) (docs/argocd.md#sync-options).
RESOURCE_SYNC_OPTIONS = (
    "SkipDryRunOnMissingResource=true",
    "Validate=false",
    "PruneLast=true",
    "Replace=true",
    "Force=true",
    "ServerSideApply=true",
    "ServerSideApply=false",
    "Prune=false",
    "Prune=confirm",
    "Delete=false",
    "Delete=confirm",
)
NOOP_SYNC_OPTIONS = (
    "SkipDryRunOnMissingResource=false",
    "Validate=true",
    "PruneLast=false",
    "Replace=false",
    "Force=false",
    "Prune=true",
    "Delete=true",
)
# Options read only from the Application's spec.syncPolicy.syncOptions (docs/argocd.md#sync-options).
APP_ONLY_SYNC_OPTION_KEYS = (
    "CreateNamespace",
    "PrunePropagationPolicy",
    "ApplyOutOfSyncOnly",
    "RespectIgnoreDifferences",
    "FailOnSharedResource",
    "ClientSideApplyMigration",
)

# docs/argocd.md#version-table: the first Argo CD release with each feature. A pair is (release, backport on an older minor line).
Version = tuple[int, int, int]
SYNC_WAVES_SINCE: Version = (1, 1, 0)
SYNC_FAIL_SINCE: Version = (1, 2, 0)
BEFORE_HOOK_CREATION_SINCE: Version = (1, 3, 0)
HELM_HOOKS_SINCE: Version = (
    1,
    3,
    0,
)  # docs/argocd.md#helm-hooks: before, every Helm hook but crd-install was ignored
DELETE_HOOK_SINCE: dict[str, Version] = {POST_DELETE: (2, 10, 0), PRE_DELETE: (3, 3, 0)}
DELETE_LISTS_SINCE: tuple[Version, Version] = (
    (3, 4, 0),
    (3, 3, 3),
)  # docs/argocd.md#delete-hooks: before, the whole value had to match
DELETE_WITH_SYNC_SINCE: tuple[Version, Version] = (
    (3, 4, 0),
    (3, 3, 5),
)  # docs/argocd.md#delete-hooks-in-the-sync: before, such hooks left the sync
HOOK_FINALIZER_SINCE: Version = (3, 0, 0)  # docs/argocd.md#tasks; 2.14.3 alone had it too
HOOK_FINALIZER_ALSO_IN: Version = (2, 14, 3)
APPLICATION_HEALTH_REMOVED: Version = (1, 8, 0)  # docs/argocd.md#health-checks


def supports(version: Version, since: Version, backport: Version | None = None) -> bool:
    """Whether `version` has a feature released in `since`, or in `backport` on the backport's minor line."""
    if version >= since:
        return True
    return backport is not None and version[:2] == backport[:2] and version >= backport


_STR = "tag:yaml.org,2002:str"
_INT64 = 2**63


@frozen(eq=False)
class Annotation:
    """One annotation as written: its text, where it stands, and whether YAML reads it as a string."""

    key: str
    text: str
    is_string: bool
    node: yaml.Node
    key_node: yaml.Node
    path: str  # the file

    @cached
    def span(self) -> Span:
        """The value's span; worked out when a finding or an item asks for it."""
        return Span.of_node(self.path, self.node)

    @cached
    def key_span(self) -> Span:
        return Span.of_node(self.path, self.key_node)

    @cached
    def values(self) -> tuple[str, ...]:
        """The values of `items` alone: what Argo CD reads, without the positions findings need."""
        return tuple(item for _, item in csv_items(self.text))

    def items(self) -> list[Item]:
        """The CSV items of the value (docs/argocd.md#csv-values): split on commas, trimmed, empties and repeats dropped."""
        value = self.node
        # Positions inside the value are exact when the source characters are the value's characters.
        direct, offset = False, 0
        if isinstance(value, yaml.ScalarNode) and value.start_mark.line == value.end_mark.line:
            offset = 1 if value.style in ("'", '"') else 0
            width = value.end_mark.column - value.start_mark.column
            # libyaml reports plain scalars with style "", the pure-Python parser with None.
            direct = value.style in (None, "", "'", '"') and width == len(self.text) + 2 * offset
        items: list[Item] = []
        for start, item in csv_items(self.text):
            if direct:
                column = self.span.column + offset + start
                span = Span(self.span.path, self.span.line, column, self.span.line, column + len(item))
            else:
                span = self.span
            items.append(Item(item, span))
        return items


@frozen
class Item:
    value: str
    span: Span


def csv_items(text: str) -> list[tuple[int, str]]:
    """docs/argocd.md#csv-values: split on commas, trim, drop empty items and repeats (the first is kept); with each item's offset."""
    if "," not in text:
        # One item, the usual case.
        item = text.strip()
        return [(len(text) - len(text.lstrip()), item)] if item else []
    seen: set[str] = set()
    items: list[tuple[int, str]] = []
    position = 0
    for raw in text.split(","):
        start = position + (len(raw) - len(raw.lstrip()))
        position += len(raw) + 1
        item = raw.strip()
        if item and item not in seen:
            seen.add(item)
            items.append((start, item))
    return items


def split_items(text: str, span: Span) -> list[Item]:
    """The CSV items of a value that has no node of its own (all share `span`)."""
    return [Item(item, span) for _, item in csv_items(text)]


@frozen
class Dropped:
    """A value Argo CD ignores, and why (one of the reason constants below)."""

    value: str
    span: Span
    reason: str


UNKNOWN = "unknown"  # not a value Argo CD knows (typos, wrong case)
HELM_UNMAPPED = "helm-unmapped"  # a Helm value Argo CD does not map (docs/argocd.md#helm-hooks)
HELM_OVERRIDDEN = "helm-overridden"  # Helm types ignored because the object has a valid Argo CD type (docs/argocd.md#hook-types)
SKIP_IGNORED = "skip-ignored"  # Skip among other types does not skip (docs/argocd.md#hook-types)


def read_annotations(resource: Resource) -> dict[str, Annotation]:
    found: dict[str, Annotation] = {}
    if not resource.annotations:
        return found  # no annotation in the data, none among the nodes: no need to look for them
    node = resource.node_at(("metadata", "annotations"))
    if node is None:
        return found
    for key_node, value_node in iter_mapping(node):
        if isinstance(value_node, yaml.ScalarNode):
            # A str-tagged scalar's value is its text, a str: the tag alone says whether YAML reads a string.
            is_string = value_node.tag == _STR
            text = value_node.value
        else:
            is_string, text = False, ""
        found[key_node.value] = Annotation(
            key_node.value, text, is_string, value_node, key_node, resource.path
        )
    return found


def atoi(text: str) -> int | None:
    """Go's strconv.Atoi: optional sign and ASCII digits, within 64 bits; anything else is rejected (docs/argocd.md#sync-waves)."""
    # A sign, then ASCII digits only: str.isdigit alone also takes other scripts' digits.
    digits = text[1:] if text[:1] in ("+", "-") else text
    if not (digits.isascii() and digits.isdigit()):
        return None
    value = int(text)
    return value if -_INT64 <= value < _INT64 else None


@frozen
class SyncOptions:
    items: tuple[Item, ...]

    def has(self, option: str) -> bool:
        return any(item.value == option for item in self.items)

    def value(self, key: str) -> str | None:
        """A Key=value option; the first matching item wins (docs/argocd.md#csv-values)."""
        for item in self.items:
            if item.value.startswith(key + "="):
                return item.value[len(key) + 1 :]
        return None


# HL014's vocabulary. The key prefixes whose near misses it looks at: a typo there silently disables a sync key.
# `argoproj.io/` is Argo CD's prefix without its `argocd.` part, a common slip.
ARGOCD_KEY_PREFIX = "argocd.argoproj.io/"
HELM_KEY_PREFIX = "helm.sh/"
SHORT_ARGO_KEY_PREFIX = "argoproj.io/"
# Every other legitimate key under those prefixes (annotations, labels and a finalizer), from Argo CD's
# common/common.go, its controllers and Helm: none of them is ever a near miss of KNOWN_KEYS.
OTHER_LEGITIMATE_KEYS = (
    "argocd.argoproj.io/instance",
    "argocd.argoproj.io/secret-type",
    "argocd.argoproj.io/kubernetes-version",
    "argocd.argoproj.io/auto-label-cluster-info",
    "argocd.argoproj.io/installation-id",
    "argocd.argoproj.io/client-side-apply-migration-manager",
    "argocd.argoproj.io/ignore-default-links",
    "argocd.argoproj.io/skip-reconcile",
    "argocd.argoproj.io/refresh",
    "argocd.argoproj.io/refresh-timestamp",
    "argocd.argoproj.io/hydrate",
    "argocd.argoproj.io/hydrate-timestamp",
    "argocd.argoproj.io/application-set-refresh",
    "argocd.argoproj.io/managed-by",
    "argocd.argoproj.io/hook-finalizer",
    "helm.sh/chart",
    "helm.sh/hook-output-log-policy",
)
# Annotations Argo CD reads from live Pods (docs/argocd.md#health-checks), so they belong on a pod template.
POD_LEVEL_KEYS = ("argocd.argoproj.io/ignore-restart-policy",)
