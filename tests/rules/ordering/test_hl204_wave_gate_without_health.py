"""HL204, HL205, HL209 (ordering.py) and HL207, HL208, HL210 (ordering_hooks.py): exact findings, and the cases a
careful engineer leaves alone."""

from __future__ import annotations

from textwrap import dedent
from typing import Any

import pytest

from hooklint.config.settings import Settings
from hooklint.engine.run import lint
from hooklint.manifests.parse import load_text
from hooklint.rules.ordering.hl210_hook_calls_service_not_yet_applied import service_names
from hooklint.sources.input import LoadResult

Row = tuple[str, int, int, str, str]


def _findings(
    text: str,
    rule: str,
    *,
    version: str = "3.5.1",
    namespace: str = "shop",
    options: dict[str, Any] | None = None,
) -> list[Row]:
    text = dedent(text)
    result = load_text("app.yaml", text)
    assert not result.problems, result.problems
    load = LoadResult(result.resources, (), ("app.yaml",), (), {"app.yaml": text})
    settings = Settings(
        select=(rule,), argocd_version=version, namespace=namespace, options={rule: options or {}}
    )
    return [(f.span.path, f.span.line, f.span.column, f.rule, f.message) for f in lint(load, settings)]


def _application(name: str, wave: str | None) -> str:
    annotation = f"\n  annotations:\n    argocd.argoproj.io/sync-wave: {wave!r}" if wave is not None else ""
    return (
        "apiVersion: argoproj.io/v1alpha1\n"
        "kind: Application\n"
        "metadata:\n"
        f"  name: {name}\n"
        f"  namespace: argocd{annotation}\n"
        "spec:\n"
        "  project: platform\n"
        "  destination: {server: https://kubernetes.default.svc, namespace: " + name + "}\n"
        "  source: {repoURL: https://git.example.com/platform.git, path: "
        + name
        + ", targetRevision: main}\n"
    )


# HL204 wave-gate-without-health

APP_OF_APPS = "---\n".join(
    [_application("cert-manager", "-1"), _application("ingress", "0"), _application("shop", "1")]
)


def test_child_applications_in_waves_do_not_wait_for_each_other() -> None:
    message = (
        "Application/{} in Sync wave {} is counted done as soon as it is applied (Argo CD has no health check for "
        "Application since v1.8): Sync wave {} starts without waiting for it to be ready"
    )
    assert _findings(APP_OF_APPS, "HL204") == [
        ("app.yaml", 7, 35, "HL204", message.format("cert-manager", -1, 0)),
        ("app.yaml", 19, 35, "HL204", message.format("ingress", 0, 1)),
    ]


def test_application_health_configured_in_argocd_cm_is_not_flagged() -> None:
    options = {"custom-health-kinds": ["argoproj.io/Application"]}
    assert _findings(APP_OF_APPS, "HL204", options=options) == []


def test_application_before_v1_8_had_a_health_check() -> None:
    assert _findings(APP_OF_APPS, "HL204", version="1.7.14") == []


def test_custom_resource_without_health_named_with_its_kind_group() -> None:
    text = """\
        apiVersion: platform.stackrox.io/v1alpha1
        kind: Central
        metadata:
          name: central
          annotations:
            helm.sh/hook-weight: "1"
        spec: {}
        ---
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: init-bundle
          annotations:
            argocd.argoproj.io/sync-wave: "2"
        spec:
          template:
            spec:
              restartPolicy: Never
              containers: [{name: init, image: registry.example.com/cli:4.15}]
        """
    assert _findings(text, "HL204") == [
        (
            "app.yaml",
            6,
            26,
            "HL204",
            "Central/central in Sync wave 1 is counted done as soon as it is applied (Argo CD has no health "
            "check for platform.stackrox.io/Central): Sync wave 2 starts without waiting for it to be ready",
        )
    ]


def test_application_without_a_wave_annotation_is_not_flagged() -> None:
    # Sync wave 0 is followed by a PostSync hook, but nothing says the author meant the child to finish first.
    text = _application("shop", None) + dedent("""\
        ---
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: smoke-test
          annotations:
            argocd.argoproj.io/hook: PostSync
        spec:
          template:
            spec:
              restartPolicy: Never
              containers: [{name: test, image: registry.example.com/smoke:1.0}]
        """)
    assert _findings(text, "HL204") == []


def test_application_in_the_final_step_is_not_flagged() -> None:
    text = "---\n".join([_application("ingress", "0"), _application("shop", "1")])
    assert [row[4].split(" ")[0] for row in _findings(text, "HL204")] == ["Application/ingress"]


DONE_WHEN_APPLIED_OR_WITH_HEALTH = [
    ("v1", "ConfigMap", ""),
    ("v1", "Secret", ""),
    ("v1", "ServiceAccount", ""),
    ("v1", "Namespace", ""),
    ("v1", "Service", "spec: {ports: [{port: 80}]}\n"),
    ("policy/v1", "PodDisruptionBudget", ""),
    ("networking.k8s.io/v1", "NetworkPolicy", ""),
    ("rbac.authorization.k8s.io/v1", "ClusterRole", ""),
    ("scheduling.k8s.io/v1", "PriorityClass", "value: 1000\n"),
    ("storage.k8s.io/v1", "StorageClass", "provisioner: ebs.csi.aws.com\n"),
    ("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", ""),
    ("cert-manager.io/v1", "ClusterIssuer", ""),
    ("argoproj.io/v1alpha1", "AppProject", ""),
    ("monitoring.coreos.com/v1", "ServiceMonitor", ""),
    ("networking.istio.io/v1", "VirtualService", ""),
]


@pytest.mark.parametrize(
    ("api_version", "kind", "extra"),
    DONE_WHEN_APPLIED_OR_WITH_HEALTH,
    ids=[row[1] for row in DONE_WHEN_APPLIED_OR_WITH_HEALTH],
)
def test_kinds_done_when_applied_or_with_a_health_check_are_never_flagged(
    api_version: str, kind: str, extra: str
) -> None:
    text = (
        f"apiVersion: {api_version}\nkind: {kind}\nmetadata:\n  name: first\n"
        f"  annotations:\n    argocd.argoproj.io/sync-wave: '-1'\n{extra}---\n" + _application("shop", "0")
    )
    assert _findings(text, "HL204") == []


def test_a_wait_job_in_the_same_step_holds_the_gate() -> None:
    text = (
        _application("vault", "20")
        + dedent("""\
        ---
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: wait-vault-unseal
          annotations:
            argocd.argoproj.io/sync-wave: "20"
        spec:
          template:
            spec:
              restartPolicy: OnFailure
              containers: [{name: wait, image: registry.example.com/toolkit:0.0.8, args: [wait-for, vault]}]
        ---
        """)
        + _application("vault-config", "21")
    )
    assert _findings(text, "HL204") == []


# HL205 wave-blocked-by-load-balancer

WEB = dedent("""\
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata:
      name: web
    spec:
      ingressClassName: nginx
      rules:
        - host: shop.example.com
          http:
            paths:
              - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
    ---
    apiVersion: v1
    kind: Service
    metadata:
      name: edge
    spec:
      type: LoadBalancer
      ports: [{port: 443}]
    ---
    apiVersion: v1
    kind: Service
    metadata:
      name: web
    spec:
      type: NodePort
      ports: [{port: 80}]
    """)

LATER_WAVE = dedent("""\
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: worker
      annotations:
        argocd.argoproj.io/sync-wave: "1"
    spec:
      selector: {matchLabels: {app: worker}}
      template:
        metadata: {labels: {app: worker}}
        spec:
          containers: [{name: worker, image: registry.example.com/shop/worker:1.4.2}]
    """)

SYNC_HOOK = dedent("""\
    ---
    apiVersion: batch/v1
    kind: Job
    metadata:
      name: smoke-test
      annotations:
        argocd.argoproj.io/hook: Sync
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: test, image: registry.example.com/smoke:1.0}]
    """)


def test_ingress_and_load_balancer_in_a_waited_step_block_the_next_one() -> None:
    stuck = "in Sync wave 0 stays Progressing until a load balancer address is assigned"
    assert _findings(WEB + LATER_WAVE, "HL205") == [
        ("app.yaml", 2, 7, "HL205", f"Ingress/web {stuck}: Sync wave 1 and every later step wait for it"),
        ("app.yaml", 18, 9, "HL205", f"Service/edge {stuck}: Sync wave 1 and every later step wait for it"),
    ]


def test_final_step_with_hooks_waits_for_the_load_balancer() -> None:
    findings = _findings(WEB + SYNC_HOOK + LATER_WAVE.replace('"1"', '"-1"'), "HL205")
    assert [(line, message) for _, line, _, _, message in findings] == [
        (
            2,
            "Ingress/web in Sync wave 0 stays Progressing until a load balancer address is assigned, and the "
            "sync waits for it with the step's hooks before it can finish",
        ),
        (
            18,
            "Service/edge in Sync wave 0 stays Progressing until a load balancer address is assigned, and the "
            "sync waits for it with the step's hooks before it can finish",
        ),
    ]


def test_final_hook_free_step_is_not_waited_on() -> None:
    assert _findings(WEB + LATER_WAVE.replace('"1"', '"-1"'), "HL205") == []


def test_single_step_with_a_hook_does_not_wait_for_resources() -> None:
    assert _findings(WEB + SYNC_HOOK, "HL205") == []


def test_ingress_as_a_hook_is_left_to_hl105() -> None:
    hook = WEB.replace("  name: web\n", "  name: web\n  annotations: {argocd.argoproj.io/hook: PreSync}\n", 1)
    assert [row[1] for row in _findings(hook + LATER_WAVE, "HL205")] == [19]


# HL207 delete-hook-needs-deleted-resource

CLEANUP = dedent("""\
    apiVersion: batch/v1
    kind: Job
    metadata:
      name: deregister
      annotations:
        argocd.argoproj.io/hook: PostDelete
    spec:
      template:
        spec:
          serviceAccountName: deregister
          restartPolicy: Never
          containers:
            - name: deregister
              image: registry.example.com/dns-tool:2.3
              envFrom:
                - secretRef:
                    name: dns-api
                - configMapRef:
                    name: dns-zone
                    optional: true
    ---
    apiVersion: v1
    kind: ServiceAccount
    metadata:
      name: deregister
    ---
    apiVersion: v1
    kind: Secret
    metadata:
      name: dns-api
    stringData: {token: change-me}
    ---
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: dns-zone
    data: {zone: example.com}
    """)


def test_post_delete_hook_needing_the_apps_own_objects_is_flagged() -> None:
    tail = "which the deletion removes before PostDelete hooks run"
    assert _findings(CLEANUP, "HL207") == [
        (
            "app.yaml",
            10,
            27,
            "HL207",
            "Job/deregister runs after the Application is deleted (PostDelete), but needs "
            f"ServiceAccount/deregister (serviceAccountName), {tail}",
        ),
        (
            "app.yaml",
            17,
            23,
            "HL207",
            f"Job/deregister runs after the Application is deleted (PostDelete), but needs Secret/dns-api "
            f"(envFrom secretRef), {tail}",
        ),
    ]


@pytest.mark.parametrize(
    "annotation",
    [
        "argocd.argoproj.io/hook: PostDelete",
        "argocd.argoproj.io/sync-options: Prune=false,Delete=false",
        "helm.sh/resource-policy: keep",
    ],
)
def test_targets_that_survive_app_deletion_are_fine(annotation: str) -> None:
    text = CLEANUP
    for kind, name in (("ServiceAccount", "deregister"), ("Secret", "dns-api")):
        head = f"kind: {kind}\nmetadata:\n  name: {name}\n"
        text = text.replace(head, f"{head}  annotations:\n    {annotation}\n")
    assert _findings(text, "HL207") == []


def test_pre_delete_hook_objects_are_gone_before_post_delete() -> None:
    text = CLEANUP.replace(
        "kind: Secret\nmetadata:\n  name: dns-api\n",
        "kind: Secret\nmetadata:\n  name: dns-api\n  annotations: {argocd.argoproj.io/hook: PreDelete}\n",
    )
    assert [row[1] for row in _findings(text, "HL207")] == [10, 17]


def test_post_delete_custom_resource_needing_its_crd_is_fine() -> None:
    text = """\
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: records.dns.example.com
        spec:
          group: dns.example.com
          names: {kind: Record, plural: records}
          scope: Namespaced
        ---
        apiVersion: dns.example.com/v1
        kind: Record
        metadata:
          name: tombstone
          annotations:
            argocd.argoproj.io/hook: PostDelete
        spec: {}
        """
    assert _findings(text, "HL207") == []


def test_post_delete_hooks_before_v2_10_never_run() -> None:
    assert _findings(CLEANUP, "HL207", version="2.9.3") == []


# HL208 syncfail-hook-needs-later-resource

NOTIFY = dedent("""\
    apiVersion: batch/v1
    kind: Job
    metadata:
      name: notify
      annotations:
        argocd.argoproj.io/hook: SyncFail
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: notify
              image: registry.example.com/notify:2.0.1
              env:
                - name: WEBHOOK_URL
                  valueFrom:
                    secretKeyRef: {name: webhook, key: url}
    ---
    apiVersion: v1
    kind: Secret
    metadata:
      name: webhook
    stringData: {url: https://hooks.example.com/T000}
    ---
    apiVersion: batch/v1
    kind: Job
    metadata:
      name: migrate
      annotations:
        argocd.argoproj.io/hook: PreSync
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: migrate, image: registry.example.com/shop/api:1.4.2}]
    """)


def test_syncfail_hook_needing_a_secret_of_a_later_step_is_flagged() -> None:
    assert _findings(NOTIFY, "HL208") == [
        (
            "app.yaml",
            17,
            38,
            "HL208",
            "Job/notify runs when the sync fails, but needs Secret/webhook, applied in Sync wave 0: a failure in "
            "PreSync wave 0 leaves it missing",
        )
    ]


def test_syncfail_target_in_the_first_step_is_fine() -> None:
    text = NOTIFY.replace(
        "  name: webhook\n", "  name: webhook\n  annotations: {argocd.argoproj.io/hook: PreSync}\n"
    )
    assert _findings(text, "HL208") == []


def test_syncfail_target_that_is_a_syncfail_hook_too_is_fine() -> None:
    text = NOTIFY.replace(
        "  name: webhook\n", "  name: webhook\n  annotations: {argocd.argoproj.io/hook: SyncFail}\n"
    )
    assert _findings(text, "HL208") == []


def test_steps_that_can_fail_only_on_apply_do_not_count() -> None:
    # Sync wave -1 holds only a ConfigMap, done once applied; the Secret comes in the next step.
    text = NOTIFY.replace("argocd.argoproj.io/hook: PreSync", "argocd.argoproj.io/sync-wave: '1'") + dedent("""\
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
          annotations: {argocd.argoproj.io/sync-wave: "-1"}
        """)
    assert _findings(text, "HL208") == []


def test_syncfail_hook_needing_a_namespace_of_a_later_step() -> None:
    text = NOTIFY.replace("  name: migrate\n", "  name: migrate\n  namespace: db\n") + dedent("""\
        ---
        apiVersion: v1
        kind: Namespace
        metadata:
          name: shop
        ---
        apiVersion: v1
        kind: Namespace
        metadata:
          name: alerts
        """)
    text = text.replace("  name: notify\n", "  name: notify\n  namespace: alerts\n")
    text = text.replace("  name: webhook\n", "  name: webhook\n  namespace: alerts\n")
    # The destination namespace (shop) is created before anything else (docs/argocd.md#operation-start); alerts is not.
    assert [row[4].split(":")[0] for row in _findings(text, "HL208")] == [
        "Job/notify runs when the sync fails, but needs Namespace/alerts, applied in Sync wave 0",
        "Job/notify runs when the sync fails, but needs Secret/webhook, applied in Sync wave 0",
    ]


# HL209 webhook-before-backend

WEBHOOK = dedent("""\
    apiVersion: admissionregistration.k8s.io/v1
    kind: ValidatingWebhookConfiguration
    metadata:
      name: policy-validation
      annotations:
        argocd.argoproj.io/sync-wave: "-1"
    webhooks:
      - name: validate.policy.example.com
        clientConfig:
          service: {name: policy-webhook, namespace: shop, path: /validate}
        rules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}]
        admissionReviewVersions: [v1]
        sideEffects: None
    ---
    apiVersion: v1
    kind: Service
    metadata:
      name: policy-webhook
      annotations:
        argocd.argoproj.io/sync-wave: "-1"
    spec:
      selector: {app: policy-webhook}
      ports: [{port: 443, targetPort: 9443}]
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: policy-webhook
    spec:
      selector: {matchLabels: {app: policy-webhook}}
      template:
        metadata: {labels: {app: policy-webhook, tier: admission}}
        spec:
          containers: [{name: webhook, image: registry.example.com/policy-webhook:0.9.1}]
    """)


def test_webhook_before_the_workload_behind_its_service_is_flagged() -> None:
    assert _findings(WEBHOOK, "HL209") == [
        (
            "app.yaml",
            10,
            23,
            "HL209",
            "ValidatingWebhookConfiguration/policy-validation is applied in Sync wave -1, but its backend "
            "Deployment/policy-webhook (behind Service/policy-webhook) is first applied in Sync wave 0: until it "
            "is up, the API server rejects every request webhook validate.policy.example.com intercepts "
            "(failurePolicy Fail)",
        )
    ]


def test_webhook_before_its_service_names_the_service() -> None:
    text = WEBHOOK.replace('  annotations:\n    argocd.argoproj.io/sync-wave: "-1"\nspec:\n', "spec:\n")
    assert [row[4].split(": until")[0] for row in _findings(text, "HL209")] == [
        "ValidatingWebhookConfiguration/policy-validation is applied in Sync wave -1, but its backend "
        "Service/policy-webhook is first applied in Sync wave 0"
    ]


def test_webhook_in_the_same_step_as_its_backend_is_fine() -> None:
    assert _findings(WEBHOOK.replace('"-1"', '"0"'), "HL209") == []


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("    sideEffects: None\n", "    sideEffects: None\n    failurePolicy: Ignore\n"),
        ("admissionregistration.k8s.io/v1\n", "admissionregistration.k8s.io/v1beta1\n"),
    ],
    ids=["failure-policy-ignore", "v1beta1-defaults-to-ignore"],
)
def test_webhooks_that_fail_open_are_fine(before: str, after: str) -> None:
    assert _findings(WEBHOOK.replace(before, after), "HL209") == []


def test_apiservice_before_its_backend_waits_forever() -> None:
    text = """\
        apiVersion: apiregistration.k8s.io/v1
        kind: APIService
        metadata:
          name: v1beta1.metrics.k8s.io
        spec:
          group: metrics.k8s.io
          version: v1beta1
          service: {name: metrics-server, namespace: kube-system}
          groupPriorityMinimum: 100
          versionPriority: 100
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: metrics-server
          namespace: kube-system
          annotations:
            argocd.argoproj.io/sync-wave: "1"
        spec:
          ports: [{port: 443}]
        """
    assert _findings(text, "HL209") == [
        (
            "app.yaml",
            8,
            19,
            "HL209",
            "APIService/v1beta1.metrics.k8s.io is applied in Sync wave 0, but its backend Service/metrics-server "
            "is first applied in Sync wave 1: the APIService never becomes Available before that, so the sync "
            "waits for it forever",
        )
    ]


# HL210 hook-calls-service-not-yet-applied


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("postgres.shop.svc", [("postgres", "shop")]),
        ("postgres.shop.svc.cluster.local", [("postgres", "shop")]),
        ("jdbc:postgresql://postgres.shop.svc.cluster.local:5432/app", [("postgres", "shop")]),
        ("postgres-0.postgres.shop.svc.cluster.local", [("postgres", "shop")]),
        ("api.shop:8080", [("api", "shop")]),
        ("http://api.shop/healthz", [("api", "shop")]),
        ("http://api:8080/healthz", [("api", "own")]),
        ("https://api", [("api", "own")]),
        ("redis://:secret@redis:6379/0", [("redis", "own")]),
        ("curl -sf http://api/ready && echo ok", [("api", "own")]),
        ("api", []),
        ("api:8080", []),
        ("postgres:16.4", []),
        ("api.shop", []),
        ("registry.example.com/shop/api:1.4.2", []),
        ("myapi.shop.svcs", []),
        ("x.api.shop.example.com", []),
        ("http://user@api.example.com", []),
        ("postgres://api:secret@db.internal:5432", [("db", "internal")]),
        ("shop_api.shop.svc", []),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_service_dns_names_are_matched_strictly(text: str, expected: list[tuple[str, str]]) -> None:
    assert list(service_names(text, "own")) == expected


SMOKE = dedent("""\
    apiVersion: batch/v1
    kind: Job
    metadata:
      name: seed
      annotations:
        argocd.argoproj.io/hook: PreSync
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: seed
              image: registry.example.com/shop/seed:1.4.2
              args: ["--db", "postgres://seed@postgres.shop.svc.cluster.local:5432/shop"]
              env:
                - name: API_URL
                  value: http://api:8080
                - name: POSTGRES_IMAGE
                  value: postgres:16.4
    ---
    apiVersion: v1
    kind: Service
    metadata:
      name: postgres
    spec:
      selector: {app: postgres}
      ports: [{port: 5432}]
    ---
    apiVersion: v1
    kind: Service
    metadata:
      name: api
      annotations:
        argocd.argoproj.io/hook: PreSync
    spec:
      selector: {app: api}
      ports: [{port: 8080}]
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: api
      annotations:
        argocd.argoproj.io/sync-wave: "2"
    spec:
      selector: {matchLabels: {app: api}}
      template:
        metadata: {labels: {app: api}}
        spec:
          containers: [{name: api, image: registry.example.com/shop/api:1.4.2}]
    """)


def test_presync_hook_calling_services_of_later_steps_is_flagged() -> None:
    start = "Job/seed runs in PreSync wave 0 and calls Service/{} in namespace shop, but {}"
    assert _findings(SMOKE, "HL210") == [
        (
            "app.yaml",
            14,
            26,
            "HL210",
            start.format("postgres", "Service/postgres")
            + " is first applied in Sync wave 0: on a first install the connection fails",
        ),
        (
            "app.yaml",
            17,
            22,
            "HL210",
            start.format("api", "Deployment/api, which Service/api sends to,")
            + " is first applied in Sync wave 2: on a first install the connection fails",
        ),
    ]


def test_hook_after_the_services_step_is_fine() -> None:
    text = SMOKE.replace("argocd.argoproj.io/hook: PreSync", "argocd.argoproj.io/hook: PostSync", 1)
    assert _findings(text, "HL210") == []


def test_a_non_hook_calling_a_later_service_is_not_this_rules_case() -> None:
    text = SMOKE.replace("argocd.argoproj.io/hook: PreSync", "argocd.argoproj.io/sync-wave: '-1'", 1)
    assert _findings(text, "HL210") == []
