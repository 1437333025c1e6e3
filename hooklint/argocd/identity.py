"""What identifies an object in the destination cluster: its namespace, defaulted as Argo CD defaults it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hooklint.argocd.kinds import CLUSTER_SCOPED
from hooklint.model import Resource

# An Application without spec.destination.namespace deploys here.
DEFAULT_NAMESPACE = "default"

# The ServiceAccounts of Argo CD's own install (manifests/install.yaml) whose roles reach the whole cluster:
# the controller may do anything, the server may get, patch and delete any object, and the ApplicationSet
# controller writes Applications, which the controller then syncs with its rights
# (docs/argocd.md#argo-cd-service-accounts).
ARGOCD_ACCOUNTS = frozenset(
    {"argocd-application-controller", "argocd-server", "argocd-applicationset-controller"}
)


def operator_account(name: str) -> bool:
    """Whether the name is one the Argo CD Operator gives an instance's account: the instance's name before
    the install's (`openshift-gitops-argocd-application-controller`)."""
    return any(name.endswith(f"-{account}") for account in ARGOCD_ACCOUNTS)


def argocd_account(name: str) -> bool:
    """Whether the name is one of Argo CD's own accounts, its install's or an operator instance's, in
    whatever namespace."""
    return name in ARGOCD_ACCOUNTS or operator_account(name)


def effective_namespace(resource: Resource, destination: str) -> str:
    """The namespace a task carries: metadata.namespace, else the destination namespace (docs/argocd.md#tasks).
    A cluster-scoped object's own namespace is cleared first (docs/argocd.md#duplicate-manifests), so it
    carries the destination; `resource.namespace` keeps what is written, for findings that point at it."""
    # The set is asked directly (kinds.is_cluster_scoped): these two run for every object, many times.
    if resource.namespace is None or (resource.group, resource.kind) in CLUSTER_SCOPED:
        return destination
    return resource.namespace


def normalized_body(resource: Resource, destination: str) -> Mapping[str, Any]:
    """The manifest as Argo CD compares it with what was applied: metadata.namespace cleared on a
    cluster-scoped object and set to the destination where a namespaced one leaves it out
    (controller/state.go NormalizeTargetObjects)."""
    metadata = resource.body.get("metadata")
    namespace = identity_namespace(resource, destination)
    if not isinstance(metadata, dict) or metadata.get("namespace") == (namespace or None):
        return resource.body
    metadata = {key: value for key, value in metadata.items() if key != "namespace"}
    if namespace:
        metadata["namespace"] = namespace
    return {**resource.body, "metadata": metadata}


def identity_namespace(resource: Resource, destination: str) -> str:
    """The namespace part of an object's identity: empty for cluster-scoped kinds, else its effective namespace
    (effective_namespace, whose scope test is this one's)."""
    if (resource.group, resource.kind) in CLUSTER_SCOPED:
        return ""
    return destination if resource.namespace is None else resource.namespace
