"""Prune tasks, CreateNamespace and ApplyOutOfSyncOnly against docs/argocd.md#prune-waves, docs/argocd.md#running-a-step, docs/argocd.md#selective-sync and docs/argocd.md#crds-and-namespaces."""

from __future__ import annotations

import pytest

from hooklint.argocd import application
from hooklint.sync.plan import identity
from hooklint.sync.scheduler import plan
from tests.helpers import resources


def cm(name: str, wave: int | None = None, options: str | None = None, hook: str | None = None) -> str:
    annotations = ""
    if wave is not None:
        annotations += f'    argocd.argoproj.io/sync-wave: "{wave}"\n'
    if options:
        annotations += f'    argocd.argoproj.io/sync-options: "{options}"\n'
    if hook:
        annotations += f"    argocd.argoproj.io/hook: {hook}\n"
    meta = f"  name: {name}\n" + ("  annotations:\n" + annotations if annotations else "")
    return f"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n{meta}"


def layout(result: object) -> list[tuple[str, int, list[str], list[str]]]:
    return [(s.phase, s.wave, [t.ident for t in s.prunes], [t.ident for t in s.tasks]) for s in result.steps]  # type: ignore[attr-defined]


def test_prune_waves_are_reversed_so_the_highest_wave_goes_first() -> None:
    # docs/argocd.md#prune-waves (TestWaveReorderingOfPruneTasks): waves 1, 2, 3 are pruned as 3, 2, 1. Each Sync()
    # call swaps the prunes still live, so each in turn is the lowest and runs in wave 1.
    live = resources(cm("p1", 1) + cm("p2", 2) + cm("p3", 3), "base.yaml")
    result = plan(resources(cm("kept", 0)), pruned=live)
    assert layout(result) == [
        ("Sync", 0, [], ["ConfigMap/kept"]),
        ("Sync", 1, ["ConfigMap/p3"], []),
        ("Sync", 1, ["ConfigMap/p2"], []),
        ("Sync", 1, ["ConfigMap/p1"], []),
    ]


@pytest.mark.parametrize(
    ("policy", "layout_", "recreated"),
    [
        (
            None,
            [
                ("PreSync", 0, [], ["ConfigMap/hook"]),
                ("Sync", 0, ["ConfigMap/p1", "ConfigMap/p0"], ["ConfigMap/hook"]),
            ],
            [[], ["ConfigMap/hook"]],
        ),
        (
            "HookSucceeded",
            [
                ("PreSync", 0, [], ["ConfigMap/hook"]),
                ("Sync", 0, ["ConfigMap/p1"], ["ConfigMap/hook"]),
                ("Sync", 0, ["ConfigMap/p0"], []),
            ],
            [[], [], []],
        ),
    ],
    ids=["before-hook-creation-takes-two-calls", "without-it-one-call"],
)
def test_a_step_that_re_creates_a_hook_prunes_what_the_second_call_swaps_into_it(
    policy: str | None, layout_: list[tuple[str, int, list[str], list[str]]], recreated: list[list[str]]
) -> None:
    # docs/argocd.md#prune-waves: the Sync wave 0 step first deletes the object the PreSync run of the hook left
    # (BeforeHookCreation) and ends the call; the next call swaps again over p0 alone, which keeps wave 0 and is
    # pruned in the same step before the hook is applied. Without BeforeHookCreation the hook is applied at once
    # and p0 comes in a step of its own.
    hook = cm("hook", hook="PreSync,Sync")
    if policy:
        hook += f"    argocd.argoproj.io/hook-delete-policy: {policy}\n"
    live = resources(cm("p0", 0) + cm("p1", 1), "base.yaml")
    result = plan(resources(hook), pruned=live)
    assert layout(result) == layout_
    assert [[t.ident for t in s.recreated] for s in result.steps] == recreated
    assert [t.ident for t in result.deleted_on_success] == (["ConfigMap/hook"] if policy else [])


def test_prune_and_apply_share_a_step_with_the_prune_first() -> None:
    live = resources(cm("old", 2), "base.yaml")
    result = plan(resources(cm("new", 2)), pruned=live)
    assert layout(result) == [("Sync", 2, ["ConfigMap/old"], ["ConfigMap/new"])]
    assert result.steps[0].gate == "final step, not waited on: the sync succeeds as soon as it is applied"


def test_prune_last_goes_after_every_sync_wave() -> None:
    # docs/argocd.md#prunelast: L = max(0, highest Sync-phase wave, swapped prune waves of the prunes still live
    # included) + 1: once `early` is gone, `last` keeps its own wave 1, so L = 4.
    live = resources(cm("last", 1, "PruneLast=true") + cm("early", 5), "base.yaml")
    result = plan(resources(cm("app", 3)), pruned=live)
    assert layout(result) == [
        ("Sync", 1, ["ConfigMap/early"], []),
        ("Sync", 3, [], ["ConfigMap/app"]),
        ("Sync", 4, ["ConfigMap/last"], []),
    ]


def test_prune_last_floor_is_wave_one_when_every_wave_is_negative() -> None:
    live = resources(cm("gone", -4, "PruneLast=true"), "base.yaml")
    assert layout(plan(resources(cm("app", -2)), pruned=live)) == [
        ("Sync", -2, [], ["ConfigMap/app"]),
        ("Sync", 1, ["ConfigMap/gone"], []),
    ]


def test_hooks_skip_and_prune_false_objects_are_left_in_the_cluster() -> None:
    live = resources(
        cm("hook", hook="PreSync") + cm("skipped", hook="Skip") + cm("kept", options="Prune=false"),
        "base.yaml",
    )
    result = plan((), pruned=live)
    # gitops-engine sync_context.go getSyncTasks: hooks and Skip objects get no task, the Prune=false object a prune
    # task that pruneObject skips, so the sync still has its one step.
    assert [(s.where, s.prunes, [t.ident for t in s.skipped_prunes], s.tasks) for s in result.steps] == [
        ("Sync wave 0", (), ["ConfigMap/kept"], ())
    ]
    assert [(e.resource.ident, e.reason, e.detail) for e in result.unpruned] == [
        ("ConfigMap/hook", "not-pruned", "a hook: live hooks are never pruned"),
        ("ConfigMap/skipped", "not-pruned", "annotated Skip: never pruned"),
        ("ConfigMap/kept", "not-pruned", "Prune=false: left in the cluster, the app stays OutOfSync"),
    ]


def test_prune_tasks_take_no_part_in_the_namespace_pull() -> None:
    live = resources(
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: old\n  namespace: shop\n", "base.yaml"
    )
    now = resources(
        cm("x", 1)
        + '---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  annotations:\n    argocd.argoproj.io/sync-wave: "5"\n'
    )
    assert layout(plan(now, pruned=live)) == [
        ("Sync", 0, ["ConfigMap/old"], []),
        ("Sync", 1, [], ["ConfigMap/x"]),
        ("Sync", 5, [], ["Namespace/shop"]),
    ]


APP = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: shop
spec:
  destination:
    namespace: shop
  source:
    path: apps/shop
  syncPolicy:
    automated: {}
    syncOptions:
      - CreateNamespace=true
      - ApplyOutOfSyncOnly=true
"""


def test_application_settings_are_read() -> None:
    (app_resource,) = resources(APP, "app.yaml")
    settings = application.read(app_resource)
    assert (settings.namespace, settings.automated, settings.paths) == ("shop", True, ("apps/shop",))
    assert (settings.create_namespace, settings.apply_out_of_sync_only, settings.prune_last) == (
        True,
        True,
        False,
    )
    assert settings.option_span("CreateNamespace=true").line == 13


def test_create_namespace_adds_a_presync_namespace_applied_before_the_dry_run() -> None:
    (app_resource,) = resources(APP, "app.yaml")
    settings = application.read(app_resource)
    result = plan(resources(cm("c", 2)), "shop", app=settings)
    assert layout(result) == [("PreSync", 0, [], ["Namespace/shop"]), ("Sync", 2, [], ["ConfigMap/c"])]
    (task,) = result.precreated
    assert (task.synthetic, task.resource.path, task.resource.span.line) == (True, "app.yaml", 13)
    # The synthetic step makes the sync multi-step: the Sync step is now the final step of a multi-step sync.
    assert result.multi_step


def test_apply_out_of_sync_only_leaves_unchanged_resources_and_empty_steps_out() -> None:
    (app_resource,) = resources(APP, "app.yaml")
    settings = application.read(app_resource)
    now = resources(cm("same", 1) + cm("changed", 2) + cm("hook", 1, hook="PreSync"))
    in_sync = frozenset({identity(now[0], "shop")})
    result = plan(now, "shop", app=settings, in_sync=in_sync)
    assert layout(result) == [
        ("PreSync", 0, [], ["Namespace/shop"]),
        ("PreSync", 1, [], ["ConfigMap/hook"]),
        ("Sync", 2, [], ["ConfigMap/changed"]),
    ]
    assert [(e.resource.ident, e.reason) for e in result.not_applied] == [("ConfigMap/same", "in-sync")]


def test_apply_out_of_sync_only_drops_unchanged_objects_after_prune_last_and_the_pulls() -> None:
    # gitops-engine sync_context.go Sync/filterOutOfSyncTasks: unchanged objects leave only the steps, so
    # `same` (wave 4) still sets the PruneLast wave (5) and the unchanged Widget still pulls its CRD hook.
    crd = (
        "---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n"
        "  name: widgets.example.com\n  annotations:\n    argocd.argoproj.io/hook: PostSync\n"
        "spec:\n  group: example.com\n  names:\n    kind: Widget\n    plural: widgets\n"
    )
    widget = "---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: a\n"
    now = resources(cm("new", 1) + cm("same", 4) + crd + widget)
    in_sync = frozenset(identity(resource, "default") for resource in now if resource.name in ("same", "a"))
    settings = app_with("PruneLast=true", "ApplyOutOfSyncOnly=true")
    result = plan(now, app=settings, pruned=resources(cm("gone"), "base.yaml"), in_sync=in_sync)
    assert layout(result) == [
        ("Sync", 0, [], ["CustomResourceDefinition/widgets.example.com"]),
        ("Sync", 1, [], ["ConfigMap/new"]),
        ("Sync", 5, ["ConfigMap/gone"], []),
    ]
    assert result.multi_step
    assert [(e.resource.ident, e.reason) for e in result.not_applied] == [
        ("ConfigMap/same", "in-sync"),
        ("Widget/a", "in-sync"),
    ]


def test_the_application_for_an_input_folder_is_found_by_its_source_path(tmp_path: object) -> None:
    import pathlib

    folder = pathlib.Path(str(tmp_path)) / "apps" / "shop"
    folder.mkdir(parents=True)
    found = resources(APP, "app.yaml") + resources(
        APP.replace("name: shop\nspec", "name: other\nspec").replace("apps/shop", "apps/other"), "other.yaml"
    )
    chosen = application.choose(found, [str(folder)])
    assert chosen is not None and chosen.name == "shop"
    assert application.choose(found, [str(tmp_path)]) is None


def app_with(*options: str) -> application.AppSettings:
    listed = "".join(f"      - {option}\n" for option in options)
    text = (
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: shop\nspec:\n"
        "  destination:\n    namespace: default\n  syncPolicy:\n    syncOptions:\n" + listed
    )
    return application.read(resources(text, "app.yaml")[0])


def skipped(result: object) -> list[tuple[str, int, list[str], list[str], list[str]]]:
    return [
        (
            s.phase,
            s.wave,
            [t.ident for t in s.prunes],
            [t.ident for t in s.skipped_prunes],
            [t.ident for t in s.tasks],
        )
        for s in result.steps  # type: ignore[attr-defined]
    ]


@pytest.mark.parametrize(
    ("app_options", "own", "deleted", "detail"),
    [
        (
            ("Prune=false",),
            None,
            False,
            "Prune=false (the Application's default): left in the cluster, the app stays OutOfSync",
        ),
        (("Prune=false",), "Prune=true", True, None),
        ((), "Prune=false", False, "Prune=false: left in the cluster, the app stays OutOfSync"),
        (("Prune=true",), "Prune=false", False, "Prune=false: left in the cluster, the app stays OutOfSync"),
        (("Prune=confirm,Prune=false",), None, True, None),
    ],
    ids=["app-false", "own-true-wins", "own-false", "own-false-wins", "first-app-item-wins"],
)
def test_prune_false_is_the_objects_own_value_else_the_applications(
    app_options: tuple[str, ...], own: str | None, deleted: bool, detail: str | None
) -> None:
    """controller/sync.go passes the app's Prune value as WithDefaultPruneOption; gitops-engine sync_context.go
    isPruningDisabled reads the live object's own Prune value first and falls back to it, and pruneObject then skips
    the delete ("ignored (no prune)")."""
    live = resources(cm("gone", 0, own), "base.yaml")
    result = plan(resources(cm("app", 0)), app=app_with(*app_options), pruned=live)
    assert skipped(result) == [
        (
            "Sync",
            0,
            ["ConfigMap/gone"] if deleted else [],
            [] if deleted else ["ConfigMap/gone"],
            ["ConfigMap/app"],
        )
    ]
    assert [e.detail for e in result.unpruned] == ([] if deleted else [detail])


def test_a_prune_false_object_counts_in_the_prune_wave_swap() -> None:
    """gitops-engine sync_context.go getSyncTasks keeps a prune task for every live object without a target, the
    Prune=false ones included, and swaps the waves of all of them: `gone` (wave 2) takes `keep`'s wave 1. Once
    `gone` is gone, `keep` is alone and back in its own wave 1."""
    live = resources(cm("keep", 1, "Prune=false") + cm("gone", 2), "base.yaml")
    result = plan(resources(cm("app", 0)), pruned=live)
    assert skipped(result) == [
        ("Sync", 0, [], [], ["ConfigMap/app"]),
        ("Sync", 1, ["ConfigMap/gone"], [], []),
        ("Sync", 1, [], ["ConfigMap/keep"], []),
    ]
    assert [e.resource.ident for e in result.unpruned] == ["ConfigMap/keep"]


def test_a_prune_false_object_counts_in_the_prune_last_wave() -> None:
    """gitops-engine sync_context.go getSyncTasks: the PruneLast wave is one after the highest Sync-phase wave, prune
    tasks included, so `keep` (Prune=false, wave 7, swapped to 1) pushes `gone` (wave 1, swapped to 7) to wave 8."""
    live = resources(cm("keep", 7, "Prune=false") + cm("gone", 1, "PruneLast=true"), "base.yaml")
    result = plan(resources(cm("app", 0)), pruned=live)
    assert skipped(result) == [
        ("Sync", 0, [], [], ["ConfigMap/app"]),
        ("Sync", 1, [], ["ConfigMap/keep"], []),
        ("Sync", 8, ["ConfigMap/gone"], [], []),
    ]


def test_app_level_prune_last_moves_skipped_prunes_too() -> None:
    """gitops-engine sync_context.go getSyncTasks gives every prune task the PruneLast wave under the app's PruneLast,
    whether pruneObject will skip it or not."""
    live = resources(cm("keep", 0), "base.yaml")
    result = plan(resources(cm("app", 2)), app=app_with("PruneLast=true", "Prune=false"), pruned=live)
    assert skipped(result) == [
        ("Sync", 2, [], [], ["ConfigMap/app"]),
        ("Sync", 3, [], ["ConfigMap/keep"], []),
    ]


def test_a_step_of_skipped_prunes_alone_makes_the_sync_multi_step() -> None:
    """gitops-engine sync_tasks.go multiStep looks at every task, skipped prunes included: the wave 0 apply is no longer
    the final step, so Argo CD waits for its health before the skipped prune's step."""
    live = resources(cm("keep", 3, "Prune=false"), "base.yaml")
    result = plan(resources(cm("app", 0)), pruned=live)
    assert result.multi_step
    assert [(s.where, s.final) for s in result.steps] == [("Sync wave 0", False), ("Sync wave 3", True)]
    assert result.steps[0].entries[0].ident == "ConfigMap/app"
    assert result.steps[1].entries[0].ident == "ConfigMap/keep"


@pytest.mark.parametrize(
    ("app_options", "own", "confirm"),
    [
        (("Prune=confirm",), None, True),
        ((), "Prune=confirm", True),
        (("Prune=confirm",), "Prune=true", False),
        (("Delete=confirm",), None, False),
    ],
    ids=["app-confirm", "own-confirm", "own-true-wins", "delete-confirm-is-no-prune-confirm"],
)
def test_prune_confirm_is_the_objects_own_value_else_the_applications(
    app_options: tuple[str, ...], own: str | None, confirm: bool
) -> None:
    """gitops-engine sync_context.go objRequiresPruneConfirmation: Prune=confirm, the live object's own Prune value
    first, else the default prune option the controller passes from the app (controller/sync.go)."""
    live = resources(cm("gone", 0, own), "base.yaml")
    (task,) = plan((), app=app_with(*app_options), pruned=live).prunes
    assert task.confirm is confirm


def test_a_prune_false_object_overrides_the_applications_prune_confirm() -> None:
    """gitops-engine sync_context.go: isPruningDisabled and objRequiresPruneConfirmation read the same one value, the
    object's own first, so Prune=false on the object means neither confirmation nor delete."""
    live = resources(cm("gone", 0, "Prune=false"), "base.yaml")
    result = plan((), app=app_with("Prune=confirm"), pruned=live)
    assert result.prunes == ()
    (task,) = result.steps[0].skipped_prunes
    assert (task.prune_skipped, task.confirm) == (True, False)


def test_prunes_left_after_the_first_call_are_swapped_again() -> None:
    """gitops-engine sync_context.go getSyncTasks swaps the prune waves on every Sync() call over the prunes still
    live: p3 (wave 3) is swapped to 1 and pruned first; then p1 is alone, keeps wave 1 and goes before `kept`."""
    live = resources(cm("p1", 1) + cm("p3", 3), "base.yaml")
    result = plan(resources(cm("kept", 2)), pruned=live)
    assert layout(result) == [
        ("Sync", 1, ["ConfigMap/p3"], []),
        ("Sync", 1, ["ConfigMap/p1"], []),
        ("Sync", 2, [], ["ConfigMap/kept"]),
    ]


def test_a_prune_false_object_already_run_still_counts_in_later_swaps() -> None:
    """A Prune=false object stays live, so its done task still takes part in every later call's swap: `keep`
    (wave 3) runs first in wave 1, then `b` and `a` are swapped with it, not only with each other."""
    live = resources(cm("keep", 3, "Prune=false") + cm("a", 1) + cm("b", 2), "base.yaml")
    result = plan(resources(cm("app", 0)), pruned=live)
    assert skipped(result) == [
        ("Sync", 0, [], [], ["ConfigMap/app"]),
        ("Sync", 1, [], ["ConfigMap/keep"], []),
        ("Sync", 2, ["ConfigMap/b"], [], []),
        ("Sync", 3, ["ConfigMap/a"], [], []),
    ]
