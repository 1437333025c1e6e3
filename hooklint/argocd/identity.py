"""What identifies an object in the destination cluster: its namespace, defaulted as Argo CD defaults it."""

from __future__ import annotations

from hooklint.argocd.kinds import is_cluster_scoped
from hooklint.model import Resource

# An Application without spec.destination.namespace deploys here.
DEFAULT_NAMESPACE = "default"


def effective_namespace(resource: Resource, destination: str) -> str:
    """metadata.namespace, else the destination namespace (docs/argocd.md#tasks)."""
    return resource.namespace or destination


def identity_namespace(resource: Resource, destination: str) -> str:
    """The namespace part of an object's identity: empty for cluster-scoped kinds."""
    return (
        "" if is_cluster_scoped(resource.group, resource.kind) else effective_namespace(resource, destination)
    )
