"""Kubernetes kind facts that Argo CD semantics lean on: scope and where pod templates live."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from typing import Any

from hooklint.model import Path, Resource
from hooklint.util.frozen import frozen

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

# Groups the API server serves itself: a CRD cannot take over their kinds, so their objects never
# depend on a CRD (and a CRD claiming one cannot change a built-in kind's scope).
BUILTIN_GROUPS = frozenset(
    {
        "",
        "apps",
        "batch",
        "autoscaling",
        "policy",
        "extensions",
        "admissionregistration.k8s.io",
        "apiextensions.k8s.io",
        "apiregistration.k8s.io",
        "authentication.k8s.io",
        "authorization.k8s.io",
        "certificates.k8s.io",
        "coordination.k8s.io",
        "discovery.k8s.io",
        "events.k8s.io",
        "flowcontrol.apiserver.k8s.io",
        "internal.apiserver.k8s.io",
        "networking.k8s.io",
        "node.k8s.io",
        "rbac.authorization.k8s.io",
        "resource.k8s.io",
        "scheduling.k8s.io",
        "storage.k8s.io",
        "storagemigration.k8s.io",
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


@frozen
class RunOnce:
    """A kind whose object does its work once, when it is created."""

    changed: str  # what a sync that changes the object does, for a message


# Kinds whose objects run once. Synced as a plain resource, one runs on its first sync only: Argo CD
# re-creates hooks, never resources (docs/argocd.md#hook-lifecycle, docs/argocd.md#run-once-kinds cites each).
RUN_ONCE_KINDS: Mapping[tuple[str, str], RunOnce] = {
    # Kubernetes Job docs: the pod template of an existing Job cannot be updated.
    ("batch", "Job"): RunOnce(
        'fails the sync with "field is immutable", since a Job\'s pod template is immutable'
    ),
    # Argo Workflows docs, core concepts: a Workflow is one run, started by the controller when it is created.
    ("argoproj.io", "Workflow"): RunOnce(
        "is patched into the finished Workflow and runs nothing, since a Workflow runs when it is created"
    ),
    # Tekton docs, PipelineRuns and TaskRuns: a run executes when created; its spec is refused changes once started.
    ("tekton.dev", "PipelineRun"): RunOnce(
        "fails the sync, since the spec of a started PipelineRun cannot change"
    ),
    ("tekton.dev", "TaskRun"): RunOnce("fails the sync, since the spec of a started TaskRun cannot change"),
}


# Custom kinds whose controller provisions something other objects use (a database, a Secret, a whole
# service), for which Argo CD has no built-in health check (hooklint/data/health-kinds.txt): a wave that
# follows one expects it ready, and it is counted done once applied (docs/argocd.md#health-checks). Each
# entry names the project whose documentation says what its controller creates. Kinds with a health check
# (cert-manager Certificate, CloudNativePG Cluster, Crossplane managed resources) are waited on already.
PROVISIONING_KINDS = frozenset(
    {
        # Crunchy Postgres for Kubernetes: a PostgresCluster makes the database, its Services and user Secrets.
        ("postgres-operator.crunchydata.com", "PostgresCluster"),
        # MongoDB Community Operator: a MongoDBCommunity makes a replica set and its connection Secrets.
        ("mongodbcommunity.mongodb.com", "MongoDBCommunity"),
        # Spotahome redis-operator: a RedisFailover makes Redis and Sentinel StatefulSets and Services.
        ("databases.spotahome.com", "RedisFailover"),
        # HashiCorp Vault Secrets Operator: each of these writes a Kubernetes Secret from Vault.
        ("secrets.hashicorp.com", "VaultStaticSecret"),
        ("secrets.hashicorp.com", "VaultDynamicSecret"),
        ("secrets.hashicorp.com", "VaultPKISecret"),
        # StackRox (Red Hat Advanced Cluster Security) operator: a Central deploys the Central services.
        ("platform.stackrox.io", "Central"),
    }
)

# Crossplane claims and composite resources have kinds their users define, so they are known by the fields
# Crossplane gives every one of them (Crossplane docs, claims and composite resources).
_CROSSPLANE_FIELDS = (
    "compositionRef",
    "compositionSelector",
    "compositionRevisionRef",
    "writeConnectionSecretToRef",
)


def provisions(resource: Resource) -> bool:
    """Whether a custom resource is known to make something others use: a kind of PROVISIONING_KINDS, or a
    Crossplane claim or composite resource."""
    if (resource.group, resource.kind) in PROVISIONING_KINDS:
        return True
    spec = resource.get(("spec",))
    return isinstance(spec, Mapping) and any(field in spec for field in _CROSSPLANE_FIELDS)


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
    return iter(_containers(resource))


# Several rules ask for the containers of each workload of an application, which they read one after the
# other: the last few hundred resources' are kept (resources compare and hash by identity).
@functools.lru_cache(maxsize=512)
def _containers(resource: Resource) -> tuple[tuple[Path, Mapping[str, Any]], ...]:
    found = pod_spec(resource)
    if found is None:
        return ()
    path, spec = found
    return tuple(
        ((*path, field, index), container)
        for field in CONTAINER_LISTS
        if isinstance(items := spec.get(field), list)
        for index, container in enumerate(items)
        if isinstance(container, Mapping)
    )


_DIGEST = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[+._-][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}")


@frozen
class ImageRef:
    """An image reference split the way container runtimes read it."""

    repository: str  # registry and path, normalized: `busybox` is `docker.io/library/busybox`
    tag: str | None
    digest: str | None

    @property
    def versions(self) -> tuple[str, ...]:
        return tuple(v for v in (self.tag, self.digest) if v)


@functools.lru_cache(maxsize=4096)  # the same images recur in an application's hooks and workloads
def parse_image(text: str) -> ImageRef | None:
    """`[registry[:port]/]path[:tag][@digest]`; None for what is no image reference (empty, templated)."""
    text = text.strip()
    if not text or any(c in text for c in " {}$<>"):
        return None
    name, _, digest = text.partition("@")
    if digest and not _DIGEST.fullmatch(digest):
        return None
    # The tag is after the last colon of the last path part, so a registry port is never taken for one.
    slash = name.rfind("/")
    colon = name.rfind(":")
    tag = name[colon + 1 :] if colon > slash else None
    repository = name[:colon] if colon > slash else name
    first, _, rest = repository.partition("/")
    if not rest or not ("." in first or ":" in first or first == "localhost"):
        first, rest = "docker.io", repository
    if first in ("docker.io", "index.docker.io"):
        first = "docker.io"
        rest = rest if "/" in rest else f"library/{rest}"
    return ImageRef(f"{first}/{rest}", tag or None, digest or None)
