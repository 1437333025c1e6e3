"""The reference graph: which objects each resource names, with the span of every referencing field."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cmp_to_key, partial
from typing import Any

from hooklint.argocd.identity import effective_namespace, identity_namespace
from hooklint.argocd.kinds import BUILTIN_GROUPS, CLUSTER_SCOPED, pod_spec_path
from hooklint.model import Path, Resource, ResourceKey, Span
from hooklint.util.frozen import frozen
from hooklint.util.lazy import cached

CRD = ("apiextensions.k8s.io", "CustomResourceDefinition")
RBAC = "rbac.authorization.k8s.io"


# Objects every cluster creates by itself: naming one is no dependency on the application, so it
# gets no edge (and never shows up as missing).
CLUSTER_PROVIDED = frozenset(
    {("", "Namespace", name) for name in ("default", "kube-system", "kube-public", "kube-node-lease")}
    | {(RBAC, "ClusterRole", name) for name in ("cluster-admin", "admin", "edit", "view")}
    | {("scheduling.k8s.io", "PriorityClass", f"system-{name}-critical") for name in ("cluster", "node")}
    # The token controller makes `default` in every namespace; kube-root-ca.crt is published to every one.
    | {("", "ServiceAccount", "default"), ("", "ConfigMap", "kube-root-ca.crt")}
)

# Argo Workflows kinds and where their WorkflowSpec lives.
WORKFLOW_SPEC_PATHS: dict[tuple[str, str], Path] = {
    ("argoproj.io", "Workflow"): ("spec",),
    ("argoproj.io", "WorkflowTemplate"): ("spec",),
    ("argoproj.io", "CronWorkflow"): ("spec", "workflowSpec"),
}


@frozen
class Reference:
    """One field of `source` that names another object."""

    source: Resource
    target: ResourceKey
    path: Path
    field: str  # a short label for messages, e.g. "envFrom configMapRef"
    hard: bool  # the source cannot start, be admitted or work at all without the target
    optional: bool  # `optional: true` on the reference; optional references are never hard

    @cached
    def span(self) -> Span:
        """The value node of the naming field. Found when a finding asks: most references never need it,
        and looking a node up by path was a third of the graph's making."""
        return self.source.span_at(self.path)


class Graph:
    """Every reference between an application's resources, indexed both ways."""

    def __init__(self, resources: Sequence[Resource], namespace: str) -> None:
        self.namespace = namespace
        self._crds: dict[tuple[str, str], Resource] = {}
        self._cluster_kinds: set[tuple[str, str]] = set()
        for resource in resources:
            if (resource.group, resource.kind) == CRD:
                self._add_crd(resource)
        self._by_key: dict[ResourceKey, list[Resource]] = {}
        self._keys: dict[int, ResourceKey] = {}  # the rules ask for the same resources' keys over and over
        for resource in resources:
            key = self._keys[id(resource)] = self._key(resource)
            self._by_key.setdefault(key, []).append(resource)
        self._outgoing: dict[int, tuple[Reference, ...]] = {}
        self._incoming: dict[ResourceKey, list[Reference]] = {}
        for resource in resources:
            refs = _Collector(self, resource).collect()
            self._outgoing[id(resource)] = refs
            for ref in refs:
                self._incoming.setdefault(ref.target, []).append(ref)

    def _add_crd(self, crd: Resource) -> None:
        group, kind = crd.get(("spec", "group")), crd.get(("spec", "names", "kind"))
        if not (isinstance(group, str) and isinstance(kind, str)) or not group or group in BUILTIN_GROUPS:
            return
        if (group, kind) in self._crds:
            return  # a second CRD for the same kind conflicts; the first one defines it
        self._crds[(group, kind)] = crd
        if crd.get(("spec", "scope")) == "Cluster":
            self._cluster_kinds.add((group, kind))

    def cluster_scoped(self, group: str, kind: str) -> bool:
        key = (group, kind)
        return key in CLUSTER_SCOPED or key in self._cluster_kinds

    def key(self, resource: Resource) -> ResourceKey:
        key = self._keys.get(id(resource))
        return self._key(resource) if key is None else key

    def _key(self, resource: Resource) -> ResourceKey:
        cluster = (resource.group, resource.kind) in self._cluster_kinds
        namespace = "" if cluster else identity_namespace(resource, self.namespace)
        return ResourceKey(resource.group, resource.kind, namespace, resource.name)

    def crd_of(self, resource: Resource) -> Resource | None:
        """The application's CRD that defines `resource`'s kind, if any."""
        return self._crds.get((resource.group, resource.kind))

    def resources(self, key: ResourceKey) -> tuple[Resource, ...]:
        return tuple(self._by_key.get(key, ()))

    def references(self, resource: Resource) -> tuple[Reference, ...]:
        return self._outgoing.get(id(resource), ())

    def referrers(self, resource: Resource) -> tuple[Reference, ...]:
        return tuple(self._incoming.get(self.key(resource), ()))

    def missing(self) -> tuple[Reference, ...]:
        absent = (ref for refs in self._outgoing.values() for ref in refs if ref.target not in self._by_key)
        return tuple(sorted(absent, key=lambda ref: ref.span))


class _Collector:
    """Reads one resource's references; every field is checked for type, since manifests are user input."""

    def __init__(self, graph: Graph, resource: Resource) -> None:
        self.graph = graph
        self.resource = resource
        self.namespace = effective_namespace(resource, graph.namespace)
        self.found: list[Reference] = []

    def collect(self) -> tuple[Reference, ...]:
        resource = self.resource
        kind = (resource.group, resource.kind)
        pod_spec = pod_spec_path(resource)
        if pod_spec is not None:
            _pod_spec(self, pod_spec)
        workflow_spec = WORKFLOW_SPEC_PATHS.get(kind)
        if workflow_spec is not None:
            _workflow_spec(self, workflow_spec)
        by_kind = _BY_KIND.get(kind)
        if by_kind is not None:
            by_kind(self)
        crd = self.graph.crd_of(resource)
        if crd is not None:
            self.edge(("kind",), self.graph.key(crd), "custom resource definition", hard=True)
        if resource.namespace is not None and self.graph.key(resource).namespace:
            # Only a namespace written in the manifest: Argo CD has or creates the destination namespace. The
            # loader has read it already (a string that is not empty).
            path = ("metadata", "namespace")
            self.add(path, "", "Namespace", "namespace", hard=True, name=resource.namespace)
        found = self.found
        if len(found) > 1:
            found.sort(key=cmp_to_key(partial(_document_order, resource.body)))
        return tuple(found)

    def items(self, path: Path) -> range:
        value = self.resource.get(path)
        return range(len(value)) if isinstance(value, list) else range(0)

    def text(self, path: Path) -> str | None:
        value = self.resource.get(path)
        return value if isinstance(value, str) and value else None

    def add(
        self,
        path: Path,
        group: str,
        kind: str,
        label: str,
        *,
        hard: bool,
        ns: str | None = None,
        optional: bool = False,
        name: str | None = None,
    ) -> None:
        """An edge to the object named at `path` (`name`, when it has been read already); namespaced targets
        default to the source's namespace."""
        name = self.text(path) if name is None else name
        if name is None or (group, kind, name) in CLUSTER_PROVIDED:
            return
        if kind == "ClusterRole" and group == RBAC and name.startswith("system:"):
            return  # the API server's bootstrap roles
        if self.graph.cluster_scoped(group, kind):
            ns = ""
        elif ns is None:
            ns = self.namespace
        self.edge(path, ResourceKey(group, kind, ns, name), label, hard and not optional, optional)

    def maybe_in(self, holder: Any, path: Path, kind: str, label: str) -> None:
        """A core ConfigMap or Secret reference, which `optional: true` beside the name makes soft. `holder` is
        the mapping at path[:-1], which the caller holds already: the path is not walked again from the top."""
        if type(holder) is dict:
            self.add_in(holder, path, "", kind, label, hard=True, optional=holder.get("optional") is True)

    def add_in(
        self,
        holder: Any,
        path: Path,
        group: str,
        kind: str,
        label: str,
        *,
        hard: bool,
        optional: bool = False,
    ) -> None:
        """`add` for the field of `holder`, the value at path[:-1] that the caller holds already."""
        name = holder.get(path[-1]) if type(holder) is dict else None
        if isinstance(name, str) and name:
            self.add(path, group, kind, label, hard=hard, optional=optional, name=name)

    def edge(self, path: Path, target: ResourceKey, label: str, hard: bool, optional: bool = False) -> None:
        self.found.append(Reference(self.resource, target, path, label, hard, optional))


def _document_order(body: Any, one_ref: Reference, other_ref: Reference) -> int:
    """Negative when the field of `one_ref` comes before the field of `other_ref` in the document: where the
    paths part, by the keys' places in their mapping (the data keeps the order they were read in) or the
    indexes. It takes the references themselves: a sort calls it with them, without a wrapper per comparison."""
    first, second = one_ref.path, other_ref.path
    value = body
    for one, other in zip(first, second, strict=False):  # paths of different lengths part or end
        if one != other:
            if type(one) is int and type(other) is int:
                return one - other
            keys = list(value) if type(value) is dict else []
            # Every reference's field exists; should one not, it goes last.
            return _place(keys, one) - _place(keys, other)
        try:
            value = value[one]
        except (LookupError, TypeError):
            value = None
    return len(first) - len(second)


def _place(keys: list[Any], key: str | int) -> int:
    return keys.index(key) if key in keys else len(keys)


def _pod_spec(refs: _Collector, spec: Path) -> None:
    """A PodSpec, or an Argo Workflows spec or template, which share these field names."""
    body = refs.resource.get(spec)
    if type(body) is not dict:
        return
    # serviceAccount is the deprecated alias, used only when serviceAccountName is empty.
    named = body.get("serviceAccountName")
    account = "serviceAccountName" if isinstance(named, str) and named else "serviceAccount"
    # Most pod specs name no account and no priority class: no path is made for them.
    if account in body:
        refs.add_in(body, (*spec, account), "", "ServiceAccount", account, hard=True)
    for containers in ("initContainers", "containers", "ephemeralContainers"):
        items = body.get(containers)
        for i, container in enumerate(items if type(items) is list else ()):
            _container(refs, (*spec, containers, i), container)
    volumes = body.get("volumes")
    for i, volume in enumerate(volumes if type(volumes) is list else ()):
        _volume(refs, (*spec, "volumes", i), volume)
    secrets = body.get("imagePullSecrets")
    for i, secret in enumerate(secrets if type(secrets) is list else ()):
        path = (*spec, "imagePullSecrets", i, "name")
        refs.add_in(secret, path, "", "Secret", "imagePullSecrets", hard=False)
    if "priorityClassName" in body:
        priority = (*spec, "priorityClassName")
        refs.add_in(body, priority, "scheduling.k8s.io", "PriorityClass", "priorityClassName", hard=True)


def _container(refs: _Collector, container: Path, body: Any = None) -> None:
    # Most containers name nothing: the fields are looked for in the container's own data first.
    body = refs.resource.get(container) if body is None else body
    if type(body) is not dict:
        return
    env, env_from = body.get("env"), body.get("envFrom")
    for i, entry in enumerate(env if type(env) is list else ()):
        source = entry.get("valueFrom") if type(entry) is dict else None
        for ref, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
            if type(source) is dict and ref in source:
                path = (*container, "env", i, "valueFrom", ref, "name")
                refs.maybe_in(source[ref], path, kind, f"env {ref}")
    for i, entry in enumerate(env_from if type(env_from) is list else ()):
        for ref, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
            if type(entry) is dict and ref in entry:
                refs.maybe_in(entry[ref], (*container, "envFrom", i, ref, "name"), kind, f"envFrom {ref}")


def _volume(refs: _Collector, volume: Path, body: Any) -> None:
    if type(body) is not dict:
        return
    refs.maybe_in(body.get("configMap"), (*volume, "configMap", "name"), "ConfigMap", "volume configMap")
    refs.maybe_in(body.get("secret"), (*volume, "secret", "secretName"), "Secret", "volume secret")
    claim = (*volume, "persistentVolumeClaim", "claimName")
    refs.add_in(
        body.get("persistentVolumeClaim"),
        claim,
        "",
        "PersistentVolumeClaim",
        "volume persistentVolumeClaim",
        hard=True,
    )
    projected = body.get("projected")
    sources = projected.get("sources") if type(projected) is dict else None
    for i, item in enumerate(sources if type(sources) is list else ()):
        source = (*volume, "projected", "sources", i)
        held = item if type(item) is dict else {}
        refs.maybe_in(
            held.get("configMap"), (*source, "configMap", "name"), "ConfigMap", "projected configMap"
        )
        refs.maybe_in(held.get("secret"), (*source, "secret", "name"), "Secret", "projected secret")


def _workflow_spec(refs: _Collector, spec: Path) -> None:
    _pod_spec(refs, spec)
    for t in refs.items((*spec, "templates")):
        template = (*spec, "templates", t)
        # A template carries its own serviceAccountName, volumes, initContainers and priorityClassName.
        _pod_spec(refs, template)
        _container(refs, (*template, "container"))
        _container(refs, (*template, "script"))
        for containers in (("sidecars",), ("containerSet", "containers")):
            for i in refs.items((*template, *containers)):
                _container(refs, (*template, *containers, i))


def _storage_class(refs: _Collector, path: Path) -> None:
    refs.add(path, "storage.k8s.io", "StorageClass", "storageClassName", hard=True)


def _stateful_set(refs: _Collector) -> None:
    for i in refs.items(("spec", "volumeClaimTemplates")):
        _storage_class(refs, ("spec", "volumeClaimTemplates", i, "spec", "storageClassName"))


def _binding(refs: _Collector) -> None:
    role_kind = refs.resource.get(("roleRef", "kind"))
    if role_kind in ("Role", "ClusterRole"):
        refs.add(("roleRef", "name"), RBAC, role_kind, "roleRef", hard=False)
    # A ClusterRoleBinding has no namespace of its own: Kubernetes requires one on each subject.
    default = refs.namespace if refs.resource.kind == "RoleBinding" else refs.graph.namespace
    for i in refs.items(("subjects",)):
        subject: Path = ("subjects", i)
        if refs.resource.get((*subject, "kind")) == "ServiceAccount":
            namespace = refs.text((*subject, "namespace")) or default
            refs.add((*subject, "name"), "", "ServiceAccount", "subject", hard=False, ns=namespace)


def _ingress(refs: _Collector) -> None:
    backends: list[Path] = [("spec", "defaultBackend"), ("spec", "backend")]  # backend: before networking/v1
    for i in refs.items(("spec", "rules")):
        for j in refs.items(("spec", "rules", i, "http", "paths")):
            backends.append(("spec", "rules", i, "http", "paths", j, "backend"))
    for backend in backends:
        for name in ((*backend, "service", "name"), (*backend, "serviceName")):
            refs.add(name, "", "Service", "ingress backend", hard=False)
    for i in refs.items(("spec", "tls")):
        refs.add(("spec", "tls", i, "secretName"), "", "Secret", "ingress tls", hard=False)


def _service_ref(refs: _Collector, service: Path, label: str) -> None:
    # Cluster-scoped configurations name the Service's namespace; without one, assume the destination.
    namespace = refs.text((*service, "namespace")) or refs.graph.namespace
    refs.add((*service, "name"), "", "Service", label, hard=True, ns=namespace)


def _webhooks(refs: _Collector) -> None:
    for i in refs.items(("webhooks",)):
        _service_ref(refs, ("webhooks", i, "clientConfig", "service"), "webhook service")


def _api_service(refs: _Collector) -> None:
    _service_ref(refs, ("spec", "service"), "apiservice service")


def _autoscaler(refs: _Collector) -> None:
    kind = refs.text(("spec", "scaleTargetRef", "kind"))
    api_version = refs.text(("spec", "scaleTargetRef", "apiVersion")) or ""
    if kind is not None:
        group = api_version.rpartition("/")[0]
        refs.add(("spec", "scaleTargetRef", "name"), group, kind, "scaleTargetRef", hard=False)


_BY_KIND: dict[tuple[str, str], Callable[[_Collector], None]] = {
    ("apps", "StatefulSet"): _stateful_set,
    ("", "PersistentVolumeClaim"): lambda refs: _storage_class(refs, ("spec", "storageClassName")),
    (RBAC, "RoleBinding"): _binding,
    (RBAC, "ClusterRoleBinding"): _binding,
    ("networking.k8s.io", "Ingress"): _ingress,
    ("extensions", "Ingress"): _ingress,
    ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"): _webhooks,
    ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"): _webhooks,
    ("apiregistration.k8s.io", "APIService"): _api_service,
    ("autoscaling", "HorizontalPodAutoscaler"): _autoscaler,
}
