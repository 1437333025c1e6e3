"""Which kinds Argo CD assesses for health, and what "done" means for each (docs/argocd.md#health-checks)."""

from __future__ import annotations

import os
from functools import lru_cache

from hooklint.model import Resource

INSTANT = "applied"


@lru_cache(maxsize=1)
def _health_kinds() -> tuple[frozenset[tuple[str, str]], tuple[tuple[str, str], ...]]:
    """Exact (group, kind) pairs and wildcard patterns from the bundled list (docs/argocd.md#health-checks)."""
    # Read from the package's data folder by path: importlib.resources would add its imports to every start-up.
    with open(
        os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "health-kinds.txt"), encoding="utf-8"
    ) as handle:
        text = handle.read()
    exact: set[tuple[str, str]] = set()
    wildcards: list[tuple[str, str]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        group, _, kind = line.partition("/")
        if kind == "_" or group.startswith("_."):
            wildcards.append((group, kind))
        else:
            exact.add((group, kind))
    return frozenset(exact), tuple(wildcards)


@lru_cache(maxsize=4096)  # asked for the same few kinds over and over; wildcards are tried in a loop
def has_health(group: str, kind: str) -> bool:
    """True when Argo CD has a built-in health assessment; without one an object is done once applied (docs/argocd.md#health-checks)."""
    exact, wildcards = _health_kinds()
    if (group, kind) in exact:
        return True
    for pattern_group, pattern_kind in wildcards:
        group_matches = (
            group.endswith(pattern_group[1:]) if pattern_group.startswith("_.") else group == pattern_group
        )
        if group_matches and pattern_kind in ("_", kind):
            return True
    return False


def done_when(resource: Resource, *, hook: bool) -> str:
    """What Argo CD waits for before it counts this object as done (docs/argocd.md#task-status, docs/argocd.md#hook-health, docs/argocd.md#health-checks)."""
    group, kind = resource.group, resource.kind
    if not has_health(group, kind):
        return "applied (no health check)"
    if (group, kind) == ("batch", "Job"):
        return "complete" if hook else "complete (Job)"
    if (group, kind) == ("", "Pod"):
        policy = resource.get(("spec", "restartPolicy"), "Always")
        return "ready" if policy == "Always" else "succeeded"
    if (group, kind) == ("", "PersistentVolumeClaim"):
        return "bound"
    if (group, kind) == ("", "Service"):
        if resource.get(("spec", "type")) == "LoadBalancer":
            return "load balancer address assigned"
        return INSTANT  # other Service types are Healthy at once
    if kind == "Ingress" and group in ("networking.k8s.io", "extensions"):
        return "load balancer address assigned"
    if group == "apps" and kind in ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"):
        return "rolled out"
    if (group, kind) == ("apiextensions.k8s.io", "CustomResourceDefinition"):
        return "established"
    if (group, kind) == ("apiregistration.k8s.io", "APIService"):
        return "available"
    return "healthy"
