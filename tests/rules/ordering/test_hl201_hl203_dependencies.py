"""Tests of HL201 dependency-applied-later, HL202 sync-deadlock and HL203 dependency-on-hook."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hooklint import graph as graph_module
from hooklint.config.settings import Settings
from hooklint.engine.run import lint
from hooklint.sources.load import load
from tests.helpers import ROOT, lint_with, rows
from tests.rules.ordering.references import (
    CONFIG_VOLUME,
    RUNNER_ACCOUNT,
    hook,
    plain,
    wave,
    workload,
)

MIGRATE = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: db-migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
spec:
  template:
    spec:
      restartPolicy: Never
      serviceAccountName: migrator
      containers:
        - name: migrate
          image: registry.example.com/shop/api:1.4.2
          envFrom:
            - configMapRef:
                name: shop-config
            - configMapRef:
                name: shop-config
"""


def test_presync_job_needing_a_sync_wave_configmap_and_service_account_is_flagged_once_per_dependency() -> (
    None
):
    findings = lint_with(
        ("HL201", "HL202"),
        {
            "migrate.yaml": MIGRATE,
            "config.yaml": plain("ConfigMap", "shop-config") + "---\n" + plain("ServiceAccount", "migrator"),
        },
    )
    assert rows(findings) == [
        (
            "migrate.yaml",
            11,
            27,
            "HL201",
            "Job/db-migrate runs in PreSync wave 0 but needs ServiceAccount/migrator, applied in Sync wave 0",
        ),
        (
            "migrate.yaml",
            17,
            23,
            "HL201",
            "Job/db-migrate runs in PreSync wave 0 but needs ConfigMap/shop-config, applied in Sync wave 0",
        ),
    ]
    assert [(r.span.path, r.span.line, r.message) for r in findings[0].related] == [
        ("config.yaml", 6, "ServiceAccount/migrator is first applied in Sync wave 0")
    ]
    assert findings[0].resource is not None and findings[0].resource.name == "db-migrate"


def test_demo_yields_one_hl201_per_missing_dependency_of_the_migration_and_nothing_else() -> None:
    demo = load([str(ROOT / "fixtures" / "demo")])
    findings = lint(demo, Settings(select=("HL201", "HL202", "HL203")))
    assert [(f.span.path.rsplit("/", 1)[-1], f.span.line, f.rule) for f in findings] == [
        ("migrate.yaml", 23, "HL201"),
        ("migrate.yaml", 25, "HL201"),
    ]
    assert [f.message for f in findings] == [
        "Job/db-migrate runs in PreSync wave 0 but needs ConfigMap/shop-config, applied in Sync wave 0",
        "Job/db-migrate runs in PreSync wave 0 but needs Secret/db-credentials, applied in Sync wave 0",
    ]


def test_a_later_wave_of_the_same_phase_is_flagged() -> None:
    deployment = workload("Deployment", "api", annotations=wave(0), spec=CONFIG_VOLUME)
    config = plain("ConfigMap", "app-config", annotations=wave(1))
    assert rows(lint_with("HL201", {"app.yaml": deployment, "config.yaml": config})) == [
        (
            "app.yaml",
            13,
            19,
            "HL201",
            "Deployment/api runs in Sync wave 0 but needs ConfigMap/app-config, applied in Sync wave 1",
        )
    ]


def test_claim_needing_a_later_storage_class_is_flagged() -> None:
    claim = plain(
        "PersistentVolumeClaim",
        "data",
        annotations=wave(0),
        body="spec:\n  storageClassName: fast\n  accessModes: [ReadWriteOnce]\n",
    )
    storage = plain(
        "StorageClass", "fast", api="storage.k8s.io/v1", annotations=wave(1), body="provisioner: x\n"
    )
    assert rows(lint_with("HL201", {"claim.yaml": claim, "storage.yaml": storage})) == [
        (
            "claim.yaml",
            8,
            21,
            "HL201",
            "PersistentVolumeClaim/data runs in Sync wave 0 but needs StorageClass/fast, applied in Sync wave 1",
        )
    ]


@pytest.mark.parametrize(
    ("config_annotations", "reason"),
    [
        pytest.param(
            '    argocd.argoproj.io/hook: "Skip"\n', "annotated Skip: Argo CD never applies it", id="skip"
        ),
        pytest.param(
            '    argocd.argoproj.io/hook: "Presync"\n',
            "hook type 'Presync' is not one Argo CD knows: dropped",
            id="typo",
        ),
        pytest.param(
            '    argocd.argoproj.io/hook: "PreDelete"\n',
            "runs only when the Application is deleted",
            id="delete-only",
        ),
    ],
)
def test_a_dependency_the_sync_never_applies_is_flagged_with_the_reason(
    config_annotations: str, reason: str
) -> None:
    deployment = workload("Deployment", "api", spec=CONFIG_VOLUME)
    config = plain("ConfigMap", "app-config", annotations=config_annotations)
    findings = lint_with(("HL201", "HL202"), {"app.yaml": deployment, "config.yaml": config})
    assert rows(findings) == [
        (
            "app.yaml",
            11,
            19,
            "HL201",
            f"Deployment/api runs in Sync wave 0 but needs ConfigMap/app-config, which the sync never applies: {reason}",
        )
    ]
    assert [(r.span.line, r.span.column) for r in findings[0].related] == [(6, 30)]


def test_a_hook_in_several_phases_is_judged_per_phase() -> None:
    job = workload("Job", "check", annotations=hook("PreSync,PostSync"), spec=CONFIG_VOLUME)
    config = plain("ConfigMap", "app-config")
    assert rows(lint_with("HL201", {"job.yaml": job, "config.yaml": config})) == [
        (
            "job.yaml",
            14,
            19,
            "HL201",
            "Job/check runs in PreSync wave 0 but needs ConfigMap/app-config, applied in Sync wave 0",
        )
    ]
    post_only = workload("Job", "check", annotations=hook("PostSync"), spec=CONFIG_VOLUME)
    assert lint_with("HL201", {"job.yaml": post_only, "config.yaml": config}) == []


@pytest.mark.parametrize(
    ("job_annotations", "config_annotations"),
    [
        pytest.param(hook("PreSync"), hook("PreSync"), id="same-step-hooks"),
        pytest.param(wave(0), wave(0), id="same-wave-resources"),
        pytest.param(wave(3), wave(-1), id="earlier-wave"),
        pytest.param(
            hook("PostSync"), hook("PreSync", policy="HookSucceeded"), id="earlier-hook-lives-to-the-end"
        ),
        pytest.param(
            hook("Sync", wave="5"), hook("PreSync", policy="BeforeHookCreation"), id="presync-hook-for-sync"
        ),
        pytest.param(hook("SyncFail"), wave(0), id="syncfail-is-hl208s"),
        pytest.param(hook("PreDelete"), wave(0), id="predelete-is-hl207s"),
        pytest.param(hook("PostDelete"), wave(0), id="postdelete-is-hl207s"),
    ],
)
def test_dependencies_available_in_time_or_judged_elsewhere_are_not_flagged(
    job_annotations: str, config_annotations: str
) -> None:
    job = workload("Job", "task", annotations=job_annotations, spec=CONFIG_VOLUME)
    config = plain("ConfigMap", "app-config", annotations=config_annotations)
    other = plain("ConfigMap", "other", annotations=wave(9))  # makes every step before it waited on
    assert lint_with(("HL201", "HL202"), {"job.yaml": job, "config.yaml": config, "other.yaml": other}) == []


@pytest.mark.parametrize(
    "spec",
    [
        pytest.param(
            "      volumes:\n        - name: c\n          configMap:\n            name: app-config\n"
            "            optional: true\n",
            id="optional",
        ),
        pytest.param("      imagePullSecrets:\n        - name: app-config\n", id="soft"),
    ],
)
def test_optional_and_soft_references_are_not_hard_dependencies(spec: str) -> None:
    job = workload("Job", "task", annotations=hook("PreSync"), spec=spec)
    config = plain("ConfigMap", "app-config") + "---\n" + plain("Secret", "app-config")
    assert lint_with("HL201", {"job.yaml": job, "config.yaml": config}) == []


def test_kinds_that_start_pods_later_or_are_not_waited_on_tolerate_a_later_dependency() -> None:
    cron = workload("CronJob", "nightly", annotations=wave(0), spec=CONFIG_VOLUME)
    scaled_down = workload("Deployment", "idle", annotations=wave(0), spec=CONFIG_VOLUME).replace(
        "spec:\n  template:", "spec:\n  replicas: 0\n  template:"
    )
    controller = workload(
        "ReplicationController", "legacy", api="v1", annotations=wave(0), spec=CONFIG_VOLUME
    )
    config = plain("ConfigMap", "app-config", annotations=wave(1))
    assert (
        lint_with(
            ("HL201", "HL202"),
            {"cron.yaml": cron, "idle.yaml": scaled_down, "legacy.yaml": controller, "config.yaml": config},
        )
        == []
    )


def test_namespace_crd_and_webhook_edges_are_not_hl201s() -> None:
    namespace = plain("Namespace", "shop", annotations=wave(5))
    job = workload("Job", "task", annotations=hook("PreSync")).replace(
        "  name: task\n", "  name: task\n  namespace: shop\n"
    )
    crd = plain(
        "CustomResourceDefinition",
        "widgets.example.com",
        api="apiextensions.k8s.io/v1",
        annotations=wave(5),
        body="spec:\n  group: example.com\n  scope: Namespaced\n  names:\n    kind: Widget\n",
    )
    widget = plain("Widget", "w", api="example.com/v1")
    webhook = plain(
        "ValidatingWebhookConfiguration",
        "check",
        api="admissionregistration.k8s.io/v1",
        body="webhooks:\n  - name: check.example.com\n    clientConfig:\n      service:\n        name: checker\n"
        "        namespace: default\n",
    )
    service = plain("Service", "checker", annotations=wave(5))
    assert (
        lint_with(
            ("HL201", "HL202"),
            {
                "ns.yaml": namespace,
                "job.yaml": job,
                "crd.yaml": crd,
                "widget.yaml": widget,
                "hook.yaml": webhook,
                "svc.yaml": service,
            },
        )
        == []
    )


def test_sync_resource_needing_a_postsync_hook_deadlocks_and_is_not_also_hl201() -> None:
    deployment = workload("Deployment", "api", spec=CONFIG_VOLUME)
    config = plain("ConfigMap", "app-config", annotations=hook("PostSync"))
    findings = lint_with(("HL201", "HL202", "HL203"), {"app.yaml": deployment, "config.yaml": config})
    assert [(r.span.path, r.span.line, r.span.column, r.message) for r in findings[0].related] == [
        ("config.yaml", 6, 30, "ConfigMap/app-config is applied only in PostSync")
    ]
    assert rows(findings) == [
        (
            "app.yaml",
            11,
            19,
            "HL202",
            "Deployment/api runs in Sync wave 0 but needs ConfigMap/app-config, which exists only as a PostSync "
            "hook (PostSync wave 0): PostSync starts only after every PreSync and Sync step is healthy, so the "
            "sync never gets past Sync wave 0",
        )
    ]


def test_presync_hook_needing_a_syncfail_hook_deadlocks() -> None:
    job = workload("Job", "seed", annotations=hook("PreSync"), spec=RUNNER_ACCOUNT)
    account = plain("ServiceAccount", "runner", annotations=hook("SyncFail"))
    assert rows(lint_with(("HL201", "HL202"), {"job.yaml": job, "account.yaml": account})) == [
        (
            "job.yaml",
            11,
            27,
            "HL202",
            "Job/seed runs in PreSync wave 0 but needs ServiceAccount/runner, which exists only as a SyncFail hook: "
            "SyncFail hooks start only after a step fails, so the sync never gets past PreSync wave 0",
        )
    ]


def test_a_syncfail_only_dependency_of_an_unwaited_final_step_is_hl201_not_a_deadlock() -> None:
    deployment = workload("Deployment", "api", spec=RUNNER_ACCOUNT)
    account = plain("ServiceAccount", "runner", annotations=hook("SyncFail"))
    assert rows(lint_with(("HL201", "HL202"), {"app.yaml": deployment, "account.yaml": account})) == [
        (
            "app.yaml",
            8,
            27,
            "HL201",
            "Deployment/api runs in Sync wave 0 but needs ServiceAccount/runner, which the sync never applies: "
            "it exists only as a SyncFail hook, applied after a sync fails",
        )
    ]


def test_a_postsync_hook_needing_a_later_postsync_hook_is_only_applied_later() -> None:
    job = workload("Job", "report", annotations=hook("PostSync"), spec=RUNNER_ACCOUNT)
    account = plain("ServiceAccount", "runner", annotations=hook("PostSync", wave="1"))
    assert [
        (f.rule, f.message) for f in lint_with(("HL201", "HL202"), {"job.yaml": job, "account.yaml": account})
    ] == [
        (
            "HL201",
            "Job/report runs in PostSync wave 0 but needs ServiceAccount/runner, applied in PostSync wave 1",
        )
    ]


def test_a_cron_job_needing_a_postsync_hook_does_not_deadlock() -> None:
    cron = workload("CronJob", "nightly", spec=RUNNER_ACCOUNT)
    account = plain("ServiceAccount", "runner", annotations=hook("PostSync"))
    assert lint_with(("HL201", "HL202"), {"cron.yaml": cron, "account.yaml": account}) == []


@pytest.fixture
def config_maps_name_their_owner(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A hard edge from a ConfigMap to the Deployment named in its data: the graph draws none, so cycles
    are tested through a stand-in collector."""

    def owner(refs: graph_module._Collector) -> None:
        refs.add(("data", "owner"), "apps", "Deployment", "owner", hard=True)

    monkeypatch.setitem(graph_module._BY_KIND, ("", "ConfigMap"), owner)
    yield


@pytest.mark.usefixtures("config_maps_name_their_owner")
def test_a_hard_dependency_cycle_across_steps_deadlocks() -> None:
    deployment = workload("Deployment", "api", annotations=wave(0), spec=CONFIG_VOLUME)
    config = plain("ConfigMap", "app-config", annotations=wave(1), body="data:\n  owner: api\n")
    assert rows(lint_with(("HL201", "HL202"), {"app.yaml": deployment, "config.yaml": config})) == [
        (
            "app.yaml",
            13,
            19,
            "HL202",
            "Deployment/api runs in Sync wave 0 but needs ConfigMap/app-config, applied in Sync wave 1, which needs "
            "it in turn (Deployment/api → ConfigMap/app-config → Deployment/api): the cycle spans steps, so the "
            "sync never gets past Sync wave 0",
        )
    ]


@pytest.mark.usefixtures("config_maps_name_their_owner")
def test_a_dependency_cycle_inside_one_step_is_fine() -> None:
    deployment = workload("Deployment", "api", annotations=wave(1), spec=CONFIG_VOLUME)
    config = plain("ConfigMap", "app-config", annotations=wave(1), body="data:\n  owner: api\n")
    other = plain("ConfigMap", "later", annotations=wave(2))
    assert (
        lint_with(("HL201", "HL202"), {"app.yaml": deployment, "config.yaml": config, "other.yaml": other})
        == []
    )


@pytest.mark.parametrize(
    ("policy", "consequence"),
    [
        pytest.param(
            "HookSucceeded",
            "every successful sync deletes it at the end",
            id="hook-succeeded",
        ),
        pytest.param(
            "",
            "every sync deletes and re-creates it, so it is missing for a while",
            id="default-before-hook-creation",
        ),
        pytest.param("HookFailed", "every failed sync deletes it", id="hook-failed"),
    ],
)
def test_resource_needing_a_hook_only_object_is_warned_with_the_consequence_of_its_policy(
    policy: str, consequence: str
) -> None:
    deployment = workload("Deployment", "api", annotations=wave(1), spec=CONFIG_VOLUME)
    config = plain("ConfigMap", "app-config", annotations=hook("PreSync", policy=policy))
    shown = policy or "BeforeHookCreation"
    assert rows(lint_with(("HL201", "HL202", "HL203"), {"app.yaml": deployment, "config.yaml": config})) == [
        (
            "app.yaml",
            13,
            19,
            "HL203",
            f"Deployment/api needs ConfigMap/app-config, which exists only as a hook (PreSync wave 0, delete policy "
            f"{shown}): a selective sync or the apply strategy runs no hook, so it does not create it; {consequence}",
        )
    ]


def test_soft_references_to_hook_only_objects_are_warned_too() -> None:
    binding = plain(
        "RoleBinding",
        "reader",
        api="rbac.authorization.k8s.io/v1",
        body="roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: reader\n"
        "subjects:\n  - kind: ServiceAccount\n    name: seeder\n",
    )
    account = plain(
        "ServiceAccount", "seeder", annotations=hook("PreSync", policy="BeforeHookCreation,HookSucceeded")
    )
    assert [
        (f.span.line, f.rule) for f in lint_with("HL203", {"binding.yaml": binding, "account.yaml": account})
    ] == [(11, "HL203")]


def test_hooks_optional_references_shared_objects_and_namespaces_are_not_dependencies_on_hooks() -> None:
    job = workload("Job", "seed", annotations=hook("PreSync"), spec=CONFIG_VOLUME)
    config = plain("ConfigMap", "app-config", annotations=hook("PreSync"))
    optional = workload(
        "Deployment",
        "api",
        spec=CONFIG_VOLUME.replace("app-config\n", "app-config\n            optional: true\n"),
    )
    shared_hook = plain("ConfigMap", "shared", annotations=hook("PreSync"))
    shared = plain("ConfigMap", "shared")
    user = workload("Deployment", "web", spec=CONFIG_VOLUME.replace("app-config", "shared"))
    namespace = plain("Namespace", "tools", annotations=hook("PreSync"))
    tenant = plain("ConfigMap", "settings").replace(
        "  name: settings\n", "  name: settings\n  namespace: tools\n"
    )
    assert (
        lint_with(
            "HL203",
            {
                "job.yaml": job,
                "config.yaml": config,
                "optional.yaml": optional,
                "shared_hook.yaml": shared_hook,
                "shared.yaml": shared,
                "user.yaml": user,
                "namespace.yaml": namespace,
                "tenant.yaml": tenant,
            },
        )
        == []
    )
