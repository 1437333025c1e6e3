from __future__ import annotations

from collections.abc import Sequence

import pytest

from hooklint.argocd.annotated import named_at_sync
from hooklint.graph import Graph, Reference
from hooklint.manifests.parse import load_text
from hooklint.model import Resource, ResourceKey, Span
from hooklint.sync.scheduler import plan

CORE = ""
RBAC = "rbac.authorization.k8s.io"
CRD = "apiextensions.k8s.io"

# (target, field, hard, optional, line, column) of one reference.
Row = tuple[ResourceKey, str, bool, bool, int, int]


def load(text: str, path: str = "app.yaml") -> tuple[Resource, ...]:
    result = load_text(path, text, named_at_sync)
    assert not result.problems, result.problems
    return result.resources


def build(text: str, namespace: str = "default") -> tuple[Graph, tuple[Resource, ...]]:
    resources = load(text)
    return Graph(resources, plan(resources, namespace).namespace), resources


def rows(refs: Sequence[Reference]) -> list[Row]:
    return [(r.target, r.field, r.hard, r.optional, r.span.line, r.span.column) for r in refs]


def refs_of(text: str, namespace: str = "default") -> list[Row]:
    """The references of the first resource in `text`."""
    graph, resources = build(text, namespace)
    return rows(graph.references(resources[0]))


def key(kind: str, name: str, namespace: str = "default", group: str = CORE) -> ResourceKey:
    return ResourceKey(group, kind, namespace, name)


def crd(name: str) -> ResourceKey:
    return ResourceKey(CRD, "CustomResourceDefinition", "", name)


DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  template:
    spec:
      serviceAccountName: shop-sa
      priorityClassName: high
      imagePullSecrets:
      - name: registry
      initContainers:
      - name: init
        envFrom:
        - secretRef:
            name: init-secret
      containers:
      - name: app
        env:
        - name: A
          valueFrom:
            configMapKeyRef:
              name: shop-config
              key: a
        - name: B
          valueFrom:
            secretKeyRef:
              name: shop-secret
              key: b
              optional: true
        envFrom:
        - configMapRef:
            name: shop-env
            optional: true
      volumes:
      - name: c
        configMap:
          name: shop-files
      - name: s
        secret:
          secretName: shop-tls
      - name: d
        persistentVolumeClaim:
          claimName: shop-data
      - name: p
        projected:
          sources:
          - configMap:
              name: shop-projected
          - secret:
              name: shop-projected-secret
              optional: true
"""


def test_pod_spec_references_every_named_object_with_the_value_span() -> None:
    assert refs_of(DEPLOYMENT) == [
        (key("ServiceAccount", "shop-sa"), "serviceAccountName", True, False, 8, 27),
        (key("PriorityClass", "high", "", "scheduling.k8s.io"), "priorityClassName", True, False, 9, 26),
        (key("Secret", "registry"), "imagePullSecrets", False, False, 11, 15),
        (key("Secret", "init-secret"), "envFrom secretRef", True, False, 16, 19),
        (key("ConfigMap", "shop-config"), "env configMapKeyRef", True, False, 23, 21),
        (key("Secret", "shop-secret"), "env secretKeyRef", False, True, 28, 21),
        (key("ConfigMap", "shop-env"), "envFrom configMapRef", False, True, 33, 19),
        (key("ConfigMap", "shop-files"), "volume configMap", True, False, 38, 17),
        (key("Secret", "shop-tls"), "volume secret", True, False, 41, 23),
        (key("PersistentVolumeClaim", "shop-data"), "volume persistentVolumeClaim", True, False, 44, 22),
        (key("ConfigMap", "shop-projected"), "projected configMap", True, False, 49, 21),
        (key("Secret", "shop-projected-secret"), "projected secret", False, True, 51, 21),
    ]


def test_reference_carries_source_path_and_exact_span() -> None:
    graph, (deployment,) = build(DEPLOYMENT)
    ref = next(r for r in graph.references(deployment) if r.field == "volume secret")
    assert ref.path == ("spec", "template", "spec", "volumes", 1, "secret", "secretName")
    assert ref.span == Span("app.yaml", 41, 23, 41, 31)
    assert ref.source.ident == "Deployment/shop"


def test_optional_config_map_reference_is_soft() -> None:
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  volumes:\n"
        "  - name: v\n    configMap:\n      name: maybe\n      optional: true\n"
    )
    assert refs_of(text) == [(key("ConfigMap", "maybe"), "volume configMap", False, True, 9, 13)]


def test_optional_must_be_a_boolean_true_to_soften_a_reference() -> None:
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  volumes:\n"
        "  - name: v\n    configMap:\n      name: maybe\n      optional: 'true'\n"
    )
    assert refs_of(text) == [(key("ConfigMap", "maybe"), "volume configMap", True, False, 9, 13)]


def test_objects_the_cluster_provides_get_no_edge() -> None:
    text = """\
apiVersion: v1
kind: Pod
metadata:
  name: p
  namespace: kube-system
spec:
  serviceAccountName: default
  priorityClassName: system-node-critical
  volumes:
  - name: ca
    configMap:
      name: kube-root-ca.crt
"""
    assert refs_of(text) == []


def test_deprecated_service_account_field_counts_when_service_account_name_is_empty() -> None:
    text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  serviceAccount: old\n"
    assert refs_of(text) == [(key("ServiceAccount", "old"), "serviceAccount", True, False, 6, 19)]
    both = text + "  serviceAccountName: new\n"
    assert refs_of(both) == [(key("ServiceAccount", "new"), "serviceAccountName", True, False, 7, 23)]


def test_cron_job_pod_spec_is_found_under_its_job_template() -> None:
    text = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  jobTemplate:
    spec:
      template:
        spec:
          serviceAccountName: runner
"""
    assert refs_of(text) == [(key("ServiceAccount", "runner"), "serviceAccountName", True, False, 10, 31)]


def test_references_use_the_source_namespace_and_destination_default() -> None:
    text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  serviceAccountName: sa\n"
    assert refs_of(text, namespace="shop") == [
        (key("ServiceAccount", "sa", "shop"), "serviceAccountName", True, False, 6, 23)
    ]


def test_storage_classes_of_claims_and_claim_templates_are_hard() -> None:
    text = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      storageClassName: fast
  - metadata:
      name: none
    spec:
      storageClassName: ""
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: claim
spec:
  storageClassName: slow
"""
    graph, (stateful_set, claim) = build(text)
    assert rows(graph.references(stateful_set)) == [
        (key("StorageClass", "fast", "", "storage.k8s.io"), "storageClassName", True, False, 10, 25)
    ]
    assert rows(graph.references(claim)) == [
        (key("StorageClass", "slow", "", "storage.k8s.io"), "storageClassName", True, False, 21, 21)
    ]


def test_role_binding_references_its_role_and_service_account_subjects() -> None:
    text = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: rb
  namespace: team
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: reader
subjects:
- kind: ServiceAccount
  name: local
- kind: ServiceAccount
  name: remote
  namespace: other
- kind: User
  name: alice
"""
    assert refs_of(text) == [
        (key("Namespace", "team", ""), "namespace", True, False, 5, 14),
        (key("Role", "reader", "team", RBAC), "roleRef", False, False, 9, 9),
        (key("ServiceAccount", "local", "team"), "subject", False, False, 12, 9),
        (key("ServiceAccount", "remote", "other"), "subject", False, False, 14, 9),
    ]


def test_cluster_role_binding_subject_without_namespace_falls_back_to_destination() -> None:
    text = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: crb
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: operator
subjects:
- kind: ServiceAccount
  name: op
"""
    assert refs_of(text, namespace="ops") == [
        (key("ClusterRole", "operator", "", RBAC), "roleRef", False, False, 8, 9),
        (key("ServiceAccount", "op", "ops"), "subject", False, False, 11, 9),
    ]


def test_bootstrap_cluster_roles_get_no_edge() -> None:
    text = (
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: crb\n"
        "roleRef:\n  kind: ClusterRole\n  name: system:auth-delegator\n"
    )
    assert refs_of(text) == []


def test_ingress_references_backend_services_and_tls_secrets() -> None:
    text = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  defaultBackend:
    service:
      name: fallback
  tls:
  - secretName: web-tls
  rules:
  - http:
      paths:
      - path: /
        backend:
          service:
            name: web
---
apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: old
spec:
  backend:
    serviceName: legacy
  rules:
  - http:
      paths:
      - backend:
          serviceName: legacy-path
"""
    graph, (new, old) = build(text)
    assert rows(graph.references(new)) == [
        (key("Service", "fallback"), "ingress backend", False, False, 8, 13),
        (key("Secret", "web-tls"), "ingress tls", False, False, 10, 17),
        (key("Service", "web"), "ingress backend", False, False, 17, 19),
    ]
    assert rows(graph.references(old)) == [
        (key("Service", "legacy"), "ingress backend", False, False, 25, 18),
        (key("Service", "legacy-path"), "ingress backend", False, False, 30, 24),
    ]


def test_webhook_and_api_service_references_are_hard_and_carry_their_namespace() -> None:
    text = """\
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: check
webhooks:
- name: a.example.com
  clientConfig:
    service:
      name: hook
      namespace: hooks
- name: b.example.com
  clientConfig:
    service:
      name: hook-default
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata:
  name: v1beta1.metrics.example.com
spec:
  service:
    name: metrics
    namespace: monitoring
"""
    graph, (webhooks, api_service) = build(text, namespace="dest")
    assert rows(graph.references(webhooks)) == [
        (key("Service", "hook", "hooks"), "webhook service", True, False, 9, 13),
        (key("Service", "hook-default", "dest"), "webhook service", True, False, 14, 13),
    ]
    assert rows(graph.references(api_service)) == [
        (key("Service", "metrics", "monitoring"), "apiservice service", True, False, 22, 11),
    ]


def test_autoscaler_references_its_scale_target_softly() -> None:
    text = """\
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: shop
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: shop
"""
    assert refs_of(text) == [(key("Deployment", "shop", group="apps"), "scaleTargetRef", False, False, 9, 11)]


CRDS = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names:
    kind: Widget
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: clusterwidgets.example.com
spec:
  group: example.com
  scope: Cluster
  names:
    kind: ClusterWidget
---
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
---
apiVersion: example.com/v1
kind: ClusterWidget
metadata:
  name: cw
  namespace: ignored
---
apiVersion: other.io/v1
kind: Gadget
metadata:
  name: g
"""


def test_custom_resources_depend_on_their_crd_in_the_app() -> None:
    graph, (_, _, widget, cluster_widget, gadget) = build(CRDS)
    assert rows(graph.references(widget)) == [
        (crd("widgets.example.com"), "custom resource definition", True, False, 22, 7),
    ]
    # Cluster scope from the CRD: no namespace in the key, and no Namespace edge for the ignored field.
    assert graph.key(cluster_widget) == key("ClusterWidget", "cw", "", "example.com")
    assert rows(graph.references(cluster_widget)) == [
        (crd("clusterwidgets.example.com"), "custom resource definition", True, False, 27, 7),
    ]
    assert graph.references(gadget) == ()


def test_a_crd_claiming_a_builtin_group_does_not_capture_builtin_kinds() -> None:
    text = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: deployments.apps
spec:
  group: apps
  scope: Cluster
  names:
    kind: Deployment
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
"""
    graph, (_, deployment) = build(text)
    assert graph.key(deployment) == key("Deployment", "d", group="apps")
    assert graph.references(deployment) == ()


def test_only_an_explicit_namespace_makes_a_namespace_edge() -> None:
    text = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: explicit
  namespace: shop
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: defaulted
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: cluster-scoped
  namespace: shop
"""
    graph, (explicit, defaulted, cluster_role) = build(text)
    assert rows(graph.references(explicit)) == [
        (key("Namespace", "shop", ""), "namespace", True, False, 5, 14)
    ]
    assert graph.references(defaulted) == ()
    assert graph.references(cluster_role) == ()


def test_workflow_kinds_reference_from_spec_and_templates() -> None:
    text = """\
apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata:
  name: nightly
spec:
  workflowSpec:
    serviceAccountName: wf
    imagePullSecrets:
    - name: pull
    volumes:
    - name: v
      secret:
        secretName: wf-secret
    templates:
    - name: main
      container:
        envFrom:
        - configMapRef:
            name: wf-config
      sidecars:
      - name: side
        env:
        - name: X
          valueFrom:
            secretKeyRef:
              name: side-secret
              key: x
    - name: script
      script:
        envFrom:
        - secretRef:
            name: script-secret
    - name: set
      containerSet:
        containers:
        - name: one
          envFrom:
          - configMapRef:
              name: set-config
"""
    assert refs_of(text) == [
        (key("ServiceAccount", "wf"), "serviceAccountName", True, False, 7, 25),
        (key("Secret", "pull"), "imagePullSecrets", False, False, 9, 13),
        (key("Secret", "wf-secret"), "volume secret", True, False, 13, 21),
        (key("ConfigMap", "wf-config"), "envFrom configMapRef", True, False, 19, 19),
        (key("Secret", "side-secret"), "env secretKeyRef", True, False, 26, 21),
        (key("Secret", "script-secret"), "envFrom secretRef", True, False, 32, 19),
        (key("ConfigMap", "set-config"), "envFrom configMapRef", True, False, 39, 21),
    ]


@pytest.mark.parametrize(
    "spec",
    [
        "spec: 7\n",
        "spec:\n  containers: nope\n  volumes: {a: b}\n  imagePullSecrets: [1, null, {name: 2}]\n",
        "spec:\n  serviceAccountName: 12\n  priorityClassName: [x]\n",
        "spec:\n  containers:\n  - env: {name: x}\n"
        "    envFrom: [null, {configMapRef: x}, {secretRef: {name: [a]}}]\n",
        "spec:\n  containers:\n  - env:\n"
        "    - valueFrom: 3\n    - valueFrom: {configMapKeyRef: {name: null}}\n",
        "spec:\n  volumes:\n  - configMap: x\n  - secret: {secretName: true}\n  - projected: {sources: x}\n",
        "spec:\n  volumes:\n  - persistentVolumeClaim: {claimName: ''}\n"
        "  - projected: {sources: [x, {secret: 1}]}\n",
    ],
    ids=[
        "spec-scalar",
        "lists-wrong",
        "names-wrong-type",
        "env-from-wrong",
        "value-from-wrong",
        "volumes-wrong",
        "empty-names",
    ],
)
def test_wrong_typed_pod_fields_make_no_edge(spec: str) -> None:
    assert refs_of("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n" + spec) == []


@pytest.mark.parametrize(
    "text",
    [
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: rb}\n"
        "roleRef: x\nsubjects: 3\n",
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: rb}\n"
        "roleRef: {kind: [Role], name: r}\nsubjects: [x, {kind: ServiceAccount, name: {}}]\n",
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\n"
        "spec: {rules: [{http: 1}], tls: [1]}\n",
        "apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\n"
        "metadata: {name: m}\n"
        "webhooks: [1, {clientConfig: {service: 5}}, {clientConfig: {service: {name: [s]}}}]\n",
        "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\n"
        "spec: {scaleTargetRef: {kind: 1, name: d}}\n",
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: c}\n"
        "spec: {group: [x], names: 5}\n",
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: w}\n"
        "spec: {templates: [1, {container: x, sidecars: {a: 1}, containerSet: [1]}]}\n",
    ],
    ids=["binding-scalars", "binding-wrong-types", "ingress", "webhook", "autoscaler", "crd", "workflow"],
)
def test_wrong_typed_fields_of_other_kinds_make_no_edge(text: str) -> None:
    assert refs_of(text) == []


def test_a_webhook_service_namespace_that_is_not_a_string_falls_back_to_the_destination() -> None:
    text = (
        "apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\n"
        "metadata: {name: m}\nwebhooks: [{clientConfig: {service: {name: s, namespace: 4}}}]\n"
    )
    assert refs_of(text, namespace="dest") == [
        (key("Service", "s", "dest"), "webhook service", True, False, 4, 44)
    ]


def test_missing_lists_references_to_absent_objects_in_file_and_line_order() -> None:
    second = load(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: b\nspec:\n  serviceAccountName: gone\n", "b.yaml"
    )
    first = load(
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: here\n---\n"
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  serviceAccountName: here\n"
        "  volumes:\n  - name: v\n    secret:\n      secretName: absent\n"
        "  imagePullSecrets:\n  - name: pull\n",
        "a.yaml",
    )
    resources = second + first
    graph = Graph(resources, plan(resources, "default").namespace)
    assert [(r.span.path, r.span.line, r.target) for r in graph.missing()] == [
        ("a.yaml", 15, key("Secret", "absent")),
        ("a.yaml", 17, key("Secret", "pull")),
        ("b.yaml", 6, key("ServiceAccount", "gone")),
    ]


def test_duplicate_resources_share_a_key_and_are_both_returned() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"
    text += "---\n" + text
    graph, _ = build(text)
    assert [r.span.line for r in graph.resources(key("ConfigMap", "c"))] == [1, 6]
    assert graph.resources(key("ConfigMap", "other")) == ()


def test_referrers_are_the_incoming_references_of_a_resource() -> None:
    text = """\
apiVersion: v1
kind: ServiceAccount
metadata:
  name: sa
---
apiVersion: v1
kind: Pod
metadata:
  name: one
spec:
  serviceAccountName: sa
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: rb
roleRef:
  kind: Role
  name: r
subjects:
- kind: ServiceAccount
  name: sa
"""
    graph, (account, pod, _) = build(text)
    sa = graph.resources(graph.key(account))[0]
    assert [(r.source.ident, r.field) for r in graph.referrers(sa)] == [
        ("Pod/one", "serviceAccountName"),
        ("RoleBinding/rb", "subject"),
    ]
    assert graph.referrers(pod) == ()
    assert [r.target for r in graph.missing()] == [key("Role", "r", group=RBAC)]


def test_references_are_indexed_both_ways_in_field_order() -> None:
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  serviceAccountName: sa\n"
        "  imagePullSecrets:\n  - name: sa\n"
    )
    graph, (pod,) = build(text)
    edges = [(graph.key(r.source), r.target, r.field) for r in graph.references(pod)]
    assert edges == [
        (key("Pod", "p"), key("ServiceAccount", "sa"), "serviceAccountName"),
        (key("Pod", "p"), key("Secret", "sa"), "imagePullSecrets"),
    ]
    assert [r.field for r in graph.missing()] == ["serviceAccountName", "imagePullSecrets"]


def test_generate_name_resources_are_keyed_by_their_prefix() -> None:
    text = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: migrate-\n  namespace: db\n"
    graph, (job,) = build(text)
    assert graph.key(job) == key("Job", "migrate-", "db", "batch")


def test_references_come_in_document_order_whatever_order_they_are_looked_for_in() -> None:
    # Volumes before containers, the namespace after the spec, env entries after envFrom.
    text = """\
apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      volumes:
      - name: v
        secret: {secretName: vol}
      containers:
      - name: app
        envFrom:
        - configMapRef: {name: from}
        env:
        - name: A
          valueFrom: {configMapKeyRef: {name: env, key: k}}
      serviceAccountName: sa
metadata:
  name: shop
  namespace: shop
"""
    assert [(row[0].name, row[4]) for row in refs_of(text)] == [
        ("vol", 8),
        ("from", 12),
        ("env", 15),
        ("sa", 16),
        ("shop", 19),
    ]
