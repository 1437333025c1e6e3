"""Kubernetes kind facts that Argo CD semantics lean on: scope and where pod templates live."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from hooklint.model import Path, Resource

# Built-in cluster-scoped kinds by (group, kind); custom resources are taken as namespaced
# unless their CRD in the same application says `scope: Cluster`.
CLUSTER_SCOPED = frozenset(
    {
        ("", "Namespace"),
        ("", "Node"),
        ("", "PersistentVolume"),
        ("", "ComponentStatus"),
        ("apiextensions.k8s.io", "CustomResourceDefinition"),
        ("apiregistration.k8s.io", "APIService"),
        ("rbac.authorization.k8s.io", "ClusterRole"),
        ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
        ("storage.k8s.io", "StorageClass"),
        ("storage.k8s.io", "CSIDriver"),
        ("storage.k8s.io", "CSINode"),
        ("storage.k8s.io", "VolumeAttachment"),
        ("scheduling.k8s.io", "PriorityClass"),
        ("networking.k8s.io", "IngressClass"),
        ("node.k8s.io", "RuntimeClass"),
        ("policy", "PodSecurityPolicy"),
        ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
        ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
        ("admissionregistration.k8s.io", "ValidatingAdmissionPolicy"),
        ("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding"),
        ("certificates.k8s.io", "CertificateSigningRequest"),
        ("flowcontrol.apiserver.k8s.io", "FlowSchema"),
        ("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"),
    }
)

# Where each workload kind keeps its pod spec.
POD_SPEC_PATHS: dict[tuple[str, str], Path] = {
    ("", "Pod"): ("spec",),
    ("", "ReplicationController"): ("spec", "template", "spec"),
    ("apps", "Deployment"): ("spec", "template", "spec"),
    ("apps", "StatefulSet"): ("spec", "template", "spec"),
    ("apps", "DaemonSet"): ("spec", "template", "spec"),
    ("apps", "ReplicaSet"): ("spec", "template", "spec"),
    ("batch", "Job"): ("spec", "template", "spec"),
    ("batch", "CronJob"): ("spec", "jobTemplate", "spec", "template", "spec"),
    ("argoproj.io", "Rollout"): ("spec", "template", "spec"),
}


def is_cluster_scoped(group: str, kind: str) -> bool:
    return (group, kind) in CLUSTER_SCOPED


def pod_spec_path(resource: Resource) -> Path | None:
    return POD_SPEC_PATHS.get((resource.group, resource.kind))


def pod_spec(resource: Resource) -> tuple[Path, Mapping[str, Any]] | None:
    """The pod spec of a workload and its path, when the kind has one and it is a mapping."""
    path = pod_spec_path(resource)
    if path is None:
        return None
    spec = resource.get(path)
    return (path, spec) if isinstance(spec, Mapping) else None


CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")


def containers(resource: Resource) -> Iterator[tuple[Path, Mapping[str, Any]]]:
    """Every container of a workload's pod spec (init containers first), with its path."""
    found = pod_spec(resource)
    if found is None:
        return
    path, spec = found
    for field in CONTAINER_LISTS:
        items = spec.get(field)
        if not isinstance(items, list):
            continue
        for index, container in enumerate(items):
            if isinstance(container, Mapping):
                yield (*path, field, index), container
