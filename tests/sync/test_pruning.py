"""Prune tasks, CreateNamespace and ApplyOutOfSyncOnly against docs/argocd.md#prune-waves, docs/argocd.md#running-a-step, docs/argocd.md#selective-sync and docs/argocd.md#crds-and-namespaces."""

from __future__ import annotations

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
    # docs/argocd.md#prune-waves (TestWaveReorderingOfPruneTasks): waves 1, 2, 3 are pruned as 3, 2, 1.
    live = resources(cm("p1", 1) + cm("p2", 2) + cm("p3", 3), "base.yaml")
    result = plan(resources(cm("kept", 0)), pruned=live)
    assert layout(result) == [
        ("Sync", 0, [], ["ConfigMap/kept"]),
        ("Sync", 1, ["ConfigMap/p3"], []),
        ("Sync", 2, ["ConfigMap/p2"], []),
        ("Sync", 3, ["ConfigMap/p1"], []),
    ]


def test_prune_and_apply_share_a_step_with_the_prune_first() -> None:
    live = resources(cm("old", 2), "base.yaml")
    result = plan(resources(cm("new", 2)), pruned=live)
    assert layout(result) == [("Sync", 2, ["ConfigMap/old"], ["ConfigMap/new"])]
    assert result.steps[0].gate == "final step, not waited on: the sync succeeds as soon as it is applied"


def test_prune_last_goes_after_every_sync_wave() -> None:
    # docs/argocd.md#prunelast: L = max(0, highest Sync-phase wave, swapped prune waves included) + 1.
    live = resources(cm("last", 1, "PruneLast=true") + cm("early", 5), "base.yaml")
    result = plan(resources(cm("app", 3)), pruned=live)
    assert layout(result) == [
        ("Sync", 1, ["ConfigMap/early"], []),
        ("Sync", 3, [], ["ConfigMap/app"]),
        ("Sync", 6, ["ConfigMap/last"], []),
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
    assert result.steps == ()
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
