"""The sync plan against every ordering fact and example of docs/argocd.md#classification, docs/argocd.md#tasks, docs/argocd.md#sort-order, docs/argocd.md#sync-loop, docs/argocd.md#hook-lifecycle, docs/argocd.md#application-deletion and docs/argocd.md#docs-versus-code."""

from __future__ import annotations

import pytest

from hooklint.sync.plan import KIND_ORDER
from hooklint.sync.scheduler import plan
from tests.helpers import plan_of, resources, steps_of


def obj(kind: str, name: str, *, api: str = "v1", ns: str | None = None, **annotations: str) -> str:
    meta = f"  name: {name}\n" + (f"  namespace: {ns}\n" if ns else "")
    if annotations:
        meta += "  annotations:\n" + "".join(f"    {k}: {v}\n" for k, v in annotations.items())
    return f"---\napiVersion: {api}\nkind: {kind}\nmetadata:\n{meta}"


def hook(kind: str, name: str, types: str, **more: str) -> str:
    api = {"Job": "batch/v1", "Deployment": "apps/v1"}.get(kind, "v1")
    return obj(kind, name, api=api, **{"argocd.argoproj.io/hook": f'"{types}"', **more})


WAVE = "argocd.argoproj.io/sync-wave"


def test_phase_beats_wave() -> None:
    text = hook("Job", "pre", "PreSync", **{WAVE: '"10"'}) + obj("ConfigMap", "cm", **{WAVE: '"-10"'})
    assert steps_of(text) == [("PreSync", 10, ["Job/pre"]), ("Sync", -10, ["ConfigMap/cm"])]


def test_waves_ascend_within_a_phase_and_may_be_negative() -> None:
    text = (
        obj("ConfigMap", "b", **{WAVE: '"1"'})
        + obj("ConfigMap", "a", **{WAVE: '"-1"'})
        + obj("ConfigMap", "c")
    )
    assert steps_of(text) == [
        ("Sync", -1, ["ConfigMap/a"]),
        ("Sync", 0, ["ConfigMap/c"]),
        ("Sync", 1, ["ConfigMap/b"]),
    ]


def test_kind_order_inside_a_wave() -> None:
    text = (
        obj("Job", "j", api="batch/v1")
        + obj("RoleBinding", "rb", api="rbac.authorization.k8s.io/v1")
        + obj("ServiceAccount", "sa")
        + obj("Role", "r", api="rbac.authorization.k8s.io/v1")
        + obj("Widget", "w", api="example.com/v1")
        + obj("Deployment", "d", api="apps/v1")
        + obj("Service", "s")
    )
    assert steps_of(text) == [
        (
            "Sync",
            0,
            [
                "ServiceAccount/sa",
                "Role/r",
                "RoleBinding/rb",
                "Service/s",
                "Deployment/d",
                "Job/j",
                "Widget/w",
            ],
        )
    ]


def test_kind_order_table_matches_the_spec() -> None:
    assert (KIND_ORDER["Namespace"], KIND_ORDER["CustomResourceDefinition"], KIND_ORDER["APIService"]) == (
        -35,
        -22,
        -1,
    )
    assert "PriorityClass" not in KIND_ORDER and "ValidatingWebhookConfiguration" not in KIND_ORDER
    assert len(KIND_ORDER) == 35


def test_kind_order_ignores_the_group() -> None:
    text = obj("Service", "z-custom", api="serving.knative.dev/v1") + obj("Deployment", "a", api="apps/v1")
    assert steps_of(text) == [("Sync", 0, ["Service/z-custom", "Deployment/a"])]


def test_name_order_is_bytewise() -> None:
    text = obj("ConfigMap", "b") + obj("ConfigMap", "B") + obj("ConfigMap", "a-2") + obj("ConfigMap", "a-10")
    assert steps_of(text) == [("Sync", 0, ["ConfigMap/B", "ConfigMap/a-10", "ConfigMap/a-2", "ConfigMap/b"])]


def test_namespace_is_pulled_into_presync_for_a_hook_inside_it() -> None:
    text = obj("Namespace", "shop", **{WAVE: '"5"'}) + hook(
        "Job", "migrate", "PreSync", **{WAVE: '"-2"'}
    ).replace("  name: migrate\n", "  name: migrate\n  namespace: shop\n")
    result = plan_of(text)
    assert [(s.phase, s.wave, [(t.ident, t.moved_by) for t in s.tasks]) for s in result.steps] == [
        ("PreSync", -2, [("Namespace/shop", "namespace"), ("Job/migrate", None)])
    ]
    assert result.steps[0].tasks[0].pulled_for is result.steps[0].tasks[1]


def test_namespace_that_already_sorts_first_is_not_moved() -> None:
    text = obj("Namespace", "shop", **{WAVE: '"-1"'}) + obj("ConfigMap", "cm", ns="shop")
    result = plan_of(text)
    assert [(t.ident, t.moved_by, t.wave) for t in result.steps[0].tasks] == [("Namespace/shop", None, -1)]


def test_crd_is_pulled_before_its_first_custom_resource() -> None:
    crd = (
        "---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n"
        f'  annotations:\n    {WAVE}: "3"\nspec:\n  group: example.com\n  names:\n    kind: Widget\n    plural: widgets\n'
    )
    text = (
        crd
        + obj("Widget", "w", api="example.com/v1", **{WAVE: '"1"'})
        + obj("Widget", "v", api="example.com/v1", **{WAVE: '"2"'})
    )
    result = plan_of(text)
    assert [(s.wave, [(t.ident, t.moved_by) for t in s.tasks]) for s in result.steps] == [
        (1, [("CustomResourceDefinition/widgets.example.com", "crd"), ("Widget/w", None)]),
        (2, [("Widget/v", None)]),
    ]


def test_a_crd_hook_pulled_into_its_other_phase_is_not_applied_again() -> None:
    # gitops-engine sync_tasks.go adjustDeps pulls the PostSync task into Sync wave 1; its result key (object
    # and phase) is then the completed Sync task's, so sync_context.go Sync never runs it.
    crd = (
        "---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n"
        '  annotations:\n    argocd.argoproj.io/hook: "Sync,PostSync"\nspec:\n  group: example.com\n  names:\n'
        "    kind: Widget\n    plural: widgets\n"
    )
    text = crd + obj("Widget", "w", api="example.com/v1", **{WAVE: '"1"'})
    result = plan_of(text)
    assert [(s.phase, s.wave, [t.ident for t in s.tasks]) for s in result.steps] == [
        ("Sync", 0, ["CustomResourceDefinition/widgets.example.com"]),
        ("Sync", 1, ["Widget/w"]),
    ]


def test_one_task_per_phase_and_one_for_a_repeated_phase() -> None:
    text = hook("Job", "twice", "PreSync,PostSync") + hook("Job", "once", "Sync,Sync")
    assert steps_of(text) == [
        ("PreSync", 0, ["Job/twice"]),
        ("Sync", 0, ["Job/once"]),
        ("PostSync", 0, ["Job/twice"]),
    ]


def test_helm_pre_install_and_pre_upgrade_is_one_presync_task() -> None:
    text = obj(
        "Job",
        "h",
        api="batch/v1",
        **{"helm.sh/hook": '"pre-install,pre-upgrade"', "helm.sh/hook-weight": '"-5"'},
    )
    assert steps_of(text) == [("PreSync", -5, ["Job/h"])]


@pytest.mark.parametrize(
    ("annotations", "reason"),
    [
        ({"argocd.argoproj.io/hook": '"Presync"'}, "unknown-hook-type"),
        ({"helm.sh/hook": '"test"'}, "helm-hook-dropped"),
        ({"argocd.argoproj.io/hook": '"Skip"'}, "skip"),
        ({"argocd.argoproj.io/hook": '"PostDelete"'}, "delete-only-hook"),
    ],
    ids=["typo", "helm-test", "skip", "delete-only"],
)
def test_objects_a_sync_never_applies_are_listed_with_the_reason(
    annotations: dict[str, str], reason: str
) -> None:
    result = plan_of(obj("Pod", "p", **annotations) + obj("ConfigMap", "kept"))
    assert [[t.ident for t in s.tasks] for s in result.steps] == [["ConfigMap/kept"]]
    assert [(n.resource.ident, n.reason) for n in result.not_applied] == [("Pod/p", reason)]


def test_typo_detail_names_the_value() -> None:
    (entry,) = plan_of(obj("Pod", "p", **{"argocd.argoproj.io/hook": '"Presync"'})).not_applied
    assert entry.detail == "hook type 'Presync' is not one Argo CD knows: dropped"


def test_skip_mixed_with_a_type_is_applied_as_a_hook() -> None:
    assert steps_of(hook("Pod", "p", "Skip,PostSync")) == [("PostSync", 0, ["Pod/p"])]


def test_helm_crd_install_is_an_ordinary_resource() -> None:
    assert steps_of(obj("ConfigMap", "c", **{"helm.sh/hook": '"crd-install"'})) == [
        ("Sync", 0, ["ConfigMap/c"])
    ]


def test_invalid_wave_falls_back_to_helm_weight_else_zero() -> None:
    text = obj("ConfigMap", "a", **{WAVE: '" 1"', "helm.sh/hook-weight": '"4"'}) + obj(
        "ConfigMap", "b", **{WAVE: '"1.0"'}
    )
    assert steps_of(text) == [("Sync", 0, ["ConfigMap/b"]), ("Sync", 4, ["ConfigMap/a"])]


def test_syncfail_hooks_are_apart_and_all_start_together_whatever_their_waves() -> None:
    text = (
        hook("Job", "late", "SyncFail", **{WAVE: '"9"'})
        + hook("Job", "early", "SyncFail", **{WAVE: '"-9"'})
        + obj("ConfigMap", "c")
    )
    result = plan_of(text)
    assert [[t.ident for t in s.tasks] for s in result.steps] == [["ConfigMap/c"]]
    assert [(t.ident, t.phase, t.wave) for t in result.sync_fail] == [
        ("Job/early", "SyncFail", -9),
        ("Job/late", "SyncFail", 9),
    ]


def test_single_step_without_hooks_is_not_waited_on() -> None:
    result = plan_of(obj("Deployment", "d", api="apps/v1"))
    (step,) = result.steps
    assert (result.multi_step, step.final, step.gated) == (False, True, False)
    assert step.gate == "final step, not waited on: the sync succeeds as soon as it is applied"


def test_final_hook_free_wave_is_not_waited_on_but_earlier_waves_are() -> None:
    text = obj("Deployment", "db", api="apps/v1", **{WAVE: '"1"'}) + obj(
        "Deployment", "web", api="apps/v1", **{WAVE: '"2"'}
    )
    first, last = plan_of(text).steps
    assert (first.gated, last.gated) == (True, False)
    assert first.gate == "2 s delay, then waits until healthy or complete: Deployment/db rolled out"


def test_a_syncfail_hook_makes_a_one_wave_sync_multi_step() -> None:
    # sync_tasks.go multiStep compares the first and last task of the whole list, SyncFail included (docs/argocd.md#step-gates).
    text = (
        hook("Job", "check", "Sync")
        + obj("Deployment", "d", api="apps/v1")
        + hook("Job", "notify", "SyncFail")
    )
    result = plan_of(text)
    (step,) = result.steps
    assert (result.multi_step, step.final, step.gated) == (True, True, True)
    assert (
        step.gate
        == "final step: the sync succeeds once these are done: Deployment/d rolled out, Job/check complete"
    )


def test_final_step_with_hooks_waits_only_for_the_hooks_in_a_single_step_sync() -> None:
    (step,) = plan_of(hook("Job", "check", "Sync") + obj("Deployment", "d", api="apps/v1")).steps
    assert step.gate == "final step: the sync succeeds once these are done: Job/check complete"


def test_kinds_without_health_do_not_hold_a_gate() -> None:
    first, _ = plan_of(
        obj("ConfigMap", "c", **{WAVE: '"-1"'}) + obj("Service", "s") + obj("Deployment", "d", api="apps/v1")
    ).steps
    assert first.gate == "2 s delay, then waits until healthy or complete: nothing: all done once applied"


def test_delete_hooks_are_planned_apart_and_run_in_both_with_a_sync_type() -> None:
    text = (
        hook("Job", "cleanup", "PostDelete")
        + hook("Job", "both", "PostSync,PreDelete")
        + obj("ConfigMap", "c")
    )
    result = plan_of(text)
    assert [[t.ident for t in s.tasks] for s in result.steps] == [["ConfigMap/c"], ["Job/both"]]
    assert [t.ident for t in result.pre_delete] == ["Job/both"]
    assert [t.ident for t in result.post_delete] == ["Job/cleanup"]
    assert [n.resource.ident for n in result.not_applied] == ["Job/cleanup"]


def test_objects_without_namespace_get_the_destination_namespace() -> None:
    result = plan(resources(obj("ConfigMap", "c") + obj("ConfigMap", "d", ns="other")), "shop")
    assert [t.namespace for t in result.steps[0].tasks] == ["shop", "other"]


def test_destination_namespace_manifest_is_applied_before_the_dry_run() -> None:
    result = plan(
        resources(obj("ConfigMap", "c", **{WAVE: '"-5"'}) + obj("Namespace", "shop", **{WAVE: '"3"'})), "shop"
    )
    assert [t.ident for t in result.precreated] == ["Namespace/shop"]


def test_ties_are_broken_deterministically_by_namespace() -> None:
    text = obj("ConfigMap", "same", ns="b") + obj("ConfigMap", "same", ns="a")
    assert [t.namespace for t in plan_of(text).steps[0].tasks] == ["a", "b"]


def test_plan_answers_where_a_resource_runs() -> None:
    text = hook("Job", "twice", "PreSync,PostSync") + obj("ConfigMap", "c")
    result = plan_of(text)
    job = result.steps[0].tasks[0].resource
    assert [(t.phase, result.step_index(t)) for t in result.tasks_of(job)] == [
        ("PreSync", 0),
        ("PostSync", 2),
    ]
    assert result.first_step(job) == 0


def test_of_several_manifests_of_one_object_only_the_last_is_synced() -> None:
    text = (
        obj("ConfigMap", "same", **{WAVE: '"1"'})
        + obj("ConfigMap", "same", **{WAVE: '"2"'})
        + obj("ConfigMap", "same", ns="other")
    )
    result = plan_of(text)
    assert [(s.wave, [(t.ident, t.namespace) for t in s.tasks]) for s in result.steps] == [
        (0, [("ConfigMap/same", "other")]),
        (2, [("ConfigMap/same", "default")]),
    ]
    assert [(n.reason, n.detail) for n in result.not_applied] == [
        ("duplicate", "another manifest of the same object wins (app.yaml:9)")
    ]


def unnamed_hook(kind: str, types: str, ns: str | None = None) -> str:
    api = {"Job": "batch/v1"}.get(kind, "v1")
    meta = (
        f"  namespace: {ns}\n" if ns else ""
    ) + f'  annotations:\n    argocd.argoproj.io/hook: "{types}"\n'
    return f"---\napiVersion: {api}\nkind: {kind}\nmetadata:\n{meta}"


def test_a_hook_without_any_name_runs_in_each_of_its_phases() -> None:
    """gitops-engine pkg/sync/sync_context.go getSyncTasks: a hook without metadata.name gets a task per
    phase, named generateName + revision-phase-start time, so it runs like a generateName hook."""
    text = unnamed_hook("Job", "PreSync,PostSync") + obj("ConfigMap", "cm")
    assert steps_of(text) == [
        ("PreSync", 0, ["Job/<generated>"]),
        ("Sync", 0, ["ConfigMap/cm"]),
        ("PostSync", 0, ["Job/<generated>"]),
    ]


def test_hooks_without_any_name_of_one_kind_and_namespace_are_one_object() -> None:
    """controller/state.go NormalizeTargetObjects keys every target by group, kind, namespace and name and
    keeps the last of a key; only a non-empty generateName gets a key of its own, so unnamed hooks of one
    kind in one namespace collapse to the last."""
    text = (
        unnamed_hook("Job", "PreSync")
        + unnamed_hook("Job", "PostSync")
        + unnamed_hook("Job", "Sync", ns="other")
    )
    result = plan_of(text)
    assert [(s.phase, [(t.ident, t.namespace) for t in s.tasks]) for s in result.steps] == [
        ("Sync", [("Job/<generated>", "other")]),
        ("PostSync", [("Job/<generated>", "default")]),
    ]
    assert [(n.resource.ident, n.reason) for n in result.not_applied] == [("Job/<generated>", "duplicate")]


CREATE_NAMESPACE = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: shop
spec:
  destination:
    namespace: shop
  syncPolicy:
    syncOptions: [CreateNamespace=true]
"""


def create_namespace_plan(text: str) -> list[tuple[str, int, list[str], list[str]]]:
    from hooklint.argocd import application

    (app,) = resources(CREATE_NAMESPACE, "app.yaml")
    result = plan(resources(text, "ns.yaml"), "shop", app=application.read(app))
    assert [(n.resource.ident, n.reason) for n in result.not_applied] == []
    return [
        (s.phase, s.wave, [t.ident for t in s.tasks], [t.resource.path for t in s.tasks])
        for s in result.steps
    ]


def test_create_namespace_adds_nothing_when_the_namespace_is_among_the_manifests() -> None:
    """gitops-engine pkg/sync/sync_context.go autoCreateNamespace: no task is added when a target
    (isNamespaceWithName) is the destination Namespace; the manifest's own task is the only one."""
    text = obj("Namespace", "shop", **{WAVE: '"1"'}) + obj("ConfigMap", "cm", **{WAVE: '"2"'})
    assert create_namespace_plan(text) == [
        ("Sync", 1, ["Namespace/shop"], ["ns.yaml"]),
        ("Sync", 2, ["ConfigMap/cm"], ["ns.yaml"]),
    ]


def test_create_namespace_still_adds_its_namespace_beside_a_namespace_hook() -> None:
    """gitops-engine pkg/sync/sync_context.go autoCreateNamespace copies the hooks into a nil slice, which
    copies nothing: only resources spare the synthetic Namespace, so a Namespace hook runs beside it."""
    text = hook("Namespace", "shop", "PostSync")
    assert create_namespace_plan(text) == [
        ("PreSync", 0, ["Namespace/shop"], ["app.yaml"]),
        ("PostSync", 0, ["Namespace/shop"], ["ns.yaml"]),
    ]


def test_create_namespace_makes_its_namespace_before_a_presync_hook_of_a_negative_wave() -> None:
    """gitops-engine pkg/sync/sync_context.go Sync creates the destination namespace in the first call, before
    the dry run (getNamespaceCreationTask): a step of its own, ahead of every step, PreSync wave -1 included."""
    text = hook("ConfigMap", "early", "PreSync", ns="other", **{WAVE: '"-1"'}) + hook(
        "ConfigMap", "zero", "PreSync"
    )
    assert create_namespace_plan(text) == [
        ("PreSync", 0, ["Namespace/shop"], ["app.yaml"]),
        ("PreSync", -1, ["ConfigMap/early"], ["ns.yaml"]),
        ("PreSync", 0, ["ConfigMap/zero"], ["ns.yaml"]),
    ]


RBAC = "rbac.authorization.k8s.io/v1"


def test_a_cluster_scoped_object_written_in_a_namespace_does_not_pull_that_namespace() -> None:
    """controller/state.go NormalizeTargetObjects clears metadata.namespace on a cluster-scoped object; then
    gitops-engine pkg/sync/sync_context.go getSyncTasks gives it the destination namespace, and
    sync_tasks.go adjustDeps pulls a Namespace only before a task in it."""
    text = obj("Namespace", "test", **{WAVE: '"5"'}) + obj("ClusterRole", "reader", api=RBAC, ns="test")
    result = plan_of(text)
    assert [(s.wave, [(t.ident, t.namespace, t.moved_by) for t in s.tasks]) for s in result.steps] == [
        (0, [("ClusterRole/reader", "default", None)]),
        (5, [("Namespace/test", "default", None)]),
    ]
    # The manifest keeps the namespace as written, for findings that point at it.
    role = result.steps[0].tasks[0].resource
    assert (role.namespace, role.span_at(("metadata", "namespace")).line) == ("test", 13)


def test_apply_out_of_sync_only_sees_no_change_in_a_namespace_argo_cd_normalises() -> None:
    """controller/state.go NormalizeTargetObjects: a cluster-scoped object's namespace is cleared and a
    namespaced object without one gets the destination before the comparison with what was applied."""
    from hooklint.sync.changes import compare

    before = resources(
        obj("ClusterRole", "reader", api=RBAC, ns="test")
        + obj("ConfigMap", "cm")
        + obj("ConfigMap", "moved"),
        "base.yaml",
    )
    now = resources(
        obj("ClusterRole", "reader", api=RBAC)
        + obj("ConfigMap", "cm", ns="default")
        + obj("ConfigMap", "moved", ns="x")
    )
    changes = compare("base", before, now, "default")
    assert sorted(key[3] for key in changes.unchanged) == ["cm", "reader"]
    assert [(r.ident, r.namespace) for r in changes.added] == [("ConfigMap/moved", "x")]
    assert changes.modified == ()
