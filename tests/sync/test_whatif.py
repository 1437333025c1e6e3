from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from hooklint.argocd import application
from hooklint.cli.main import cli
from hooklint.explain.selective import selective_json, selective_text
from hooklint.explain.whatif import failure_json, failure_text
from hooklint.sync.deletion import deletion, fail_deletion
from hooklint.sync.scheduler import plan
from hooklint.sync.whatif import WhatIfError, fail, find, selective
from tests.helpers import ROOT, plan_of, resources
from tests.sync.samples import DELETION, DEMO, SELECTIVE, WHAT_IF, hook, obj

# find -------------------------------------------------------------------------------------------------


def test_find_matches_kinds_in_any_case_and_generate_name_prefixes_with_or_without_the_star() -> None:
    the_plan = plan_of(WHAT_IF + "---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: seed-\n")
    assert find("deployment/api", the_plan).ident == "Deployment/api"
    assert find("Deployment/default/api", the_plan).ident == "Deployment/api"
    assert find("Job/seed-*", the_plan).label == "Job/seed-*"
    assert find("Job/seed-", the_plan).label == "Job/seed-*"


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("Deployment/apii", "no object Deployment/apii among the manifests; close matches: Deployment/api"),
        ("Secret/nothing-like-it", "no object Secret/nothing-like-it among the manifests"),
        ("api", "--fail takes KIND/NAME or KIND/NAMESPACE/NAME, not 'api'"),
        (
            "Deployment/other/api",
            "no object Deployment/other/api among the manifests; close matches: Deployment/default/api",
        ),
    ],
    ids=["typo", "nothing-close", "no-kind", "wrong-namespace"],
)
def test_find_names_close_matches_for_an_unknown_object(target: str, message: str) -> None:
    with pytest.raises(WhatIfError) as error:
        find(target, plan_of(WHAT_IF))
    assert str(error.value) == message


def test_find_asks_for_the_namespace_when_a_name_is_in_two() -> None:
    text = (
        obj("ConfigMap", "cfg", extra="")
        + "---\n"
        + obj("ConfigMap", "cfg").replace("name: cfg\n", "name: cfg\n  namespace: other\n")
    )
    the_plan = plan_of(text)
    with pytest.raises(WhatIfError) as error:
        find("ConfigMap/cfg", the_plan)
    assert str(error.value) == (
        "ConfigMap/cfg names 2 objects: name one as KIND/NAMESPACE/NAME: ConfigMap/default/cfg, ConfigMap/other/cfg"
    )
    assert find("ConfigMap/other/cfg", the_plan).namespace == "other"


# --fail -----------------------------------------------------------------------------------------------


def test_failure_deletes_every_hook_failed_hook_even_succeeded_ones_and_keeps_hook_succeeded_ones() -> None:
    the_plan = plan_of(WHAT_IF)
    failure = fail(the_plan, find("Deployment/api", the_plan))
    labels = lambda tasks: [t.label for t in tasks]  # noqa: E731
    assert (failure.step, failure.waited) == (2, True)
    assert [s.where for s in failure.done] == ["PreSync wave 0", "Sync wave 0"]
    assert [s.where for s in failure.never_run] == ["PostSync wave 0"]
    assert labels(failure.sync_fail) == ["Job/alert", "Job/page"]
    assert labels(failure.deleted) == ["Job/schema"]
    assert labels(failure.deleted_later) == ["Job/alert"]
    assert labels(failure.kept_hooks) == ["Job/backup", "Job/page"]
    assert labels(failure.applied) == ["ConfigMap/settings", "Deployment/api"]
    assert labels(failure.untouched) == []


@pytest.mark.parametrize(
    ("apply_error", "deleted", "deleted_later", "recreated", "kept"),
    [
        (False, ["Job/migrate", "Job/ok"], ["Job/migrate"], [], []),
        (True, ["Job/ok"], [], [], []),
    ],
    ids=["job-fails", "apply-error"],
)
def test_a_failing_hook_of_two_phases_is_deleted_only_when_its_object_was_created(
    apply_error: bool, deleted: list[str], deleted_later: list[str], recreated: list[str], kept: list[str]
) -> None:
    # docs/argocd.md#failure-and-syncfail: a Job that ends Failed exists, so HookFailed deletes it and its SyncFail
    # run makes it anew; an apply error fails every apply of it, its SyncFail one too, so no object ever exists.
    text = "---\n".join(
        [hook("ok", "PreSync", "HookFailed", wave=-1), hook("migrate", "PreSync,SyncFail", "HookFailed")]
    )
    the_plan = plan_of(text)
    failure = fail(the_plan, find("Job/migrate", the_plan), apply_error=apply_error)
    labels = lambda tasks: sorted(t.label for t in tasks)  # noqa: E731
    assert (labels(failure.deleted), labels(failure.deleted_later)) == (deleted, deleted_later)
    assert (labels(failure.recreated), labels(failure.kept_hooks)) == (recreated, kept)


def test_a_syncfail_hook_re_creates_the_object_its_earlier_phase_left() -> None:
    # docs/argocd.md#failure-and-syncfail: with BeforeHookCreation (the default) the SyncFail run of a named
    # PreSync,SyncFail hook deletes the PreSync object first; with HookFailed that object is gone already.
    text = "---\n".join([hook("ok", "PreSync,SyncFail"), hook("migrate", "PreSync", wave=1)])
    the_plan = plan_of(text)
    failure = fail(the_plan, find("Job/migrate", the_plan))
    assert [t.label for t in failure.recreated] == ["Job/ok"]
    lines = failure_text(failure).splitlines()
    syncfail = lines.index("SyncFail hooks, started all at once: Job/ok")
    assert lines[syncfail + 1 : syncfail + 3] == [
        "    the sync stays Running until every one is done, then fails",
        "    each of Job/ok first deletes the object its earlier phase left (BeforeHookCreation)",
    ]


@pytest.mark.parametrize(
    ("text", "target", "note"),
    [
        (
            WHAT_IF,
            "ConfigMap/settings",
            "ConfigMap/settings has no health check, so it is done once applied: only an error applying it "
            "fails the sync.",
        ),
        (
            obj("ConfigMap", "a") + "---\n" + obj("Deployment", "api", 1, "apps/v1"),
            "Deployment/api",
            "Nothing waits for Deployment/api's health: only an error applying it fails the sync; if it "
            "degrades later, the sync has already succeeded.",
        ),
    ],
    ids=["no-health-check", "final-hook-free-step"],
)
def test_failure_of_a_task_nothing_waits_for_can_only_be_an_apply_error(
    text: str, target: str, note: str
) -> None:
    the_plan = plan_of(text)
    failure = fail(the_plan, find(target, the_plan))
    assert not failure.waited
    assert json.loads(failure_json(failure))["notes"][0] == note


def test_failure_of_the_destination_namespace_stops_before_the_dry_run_without_sync_fail_hooks() -> None:
    text = obj("Namespace", "shop") + "---\n" + WHAT_IF
    the_plan = plan_of(text, "shop")
    failure = fail(the_plan, find("Namespace/shop", the_plan))
    assert (failure.step, failure.sync_fail, failure.deleted) == (None, (), ())
    assert failure_text(failure).splitlines()[:2] == [
        "What if Namespace/shop fails: it is the destination namespace, applied before the dry run",
        "    The operation fails at once: nothing else is applied and no SyncFail hook runs.",
    ]


@pytest.mark.parametrize(
    ("extra", "target", "message"),
    [
        ("", "Job/alert", "Job/alert is a SyncFail hook: it runs only once another task has failed"),
        (
            hook("goodbye", "PostDelete"),
            "Job/goodbye",
            "Job/goodbye runs only when the Application is deleted: ask with --delete --fail",
        ),
        (
            hook("manual", "Skip"),
            "Job/manual",
            "Job/manual is never applied by a sync (skip: annotated Skip: Argo CD never applies it)",
        ),
    ],
    ids=["sync-fail", "delete-only", "skip"],
)
def test_failure_of_an_object_outside_the_normal_flow_is_refused(
    extra: str, target: str, message: str
) -> None:
    the_plan = plan_of(WHAT_IF + ("---\n" + extra if extra else ""))
    with pytest.raises(WhatIfError) as error:
        fail(the_plan, find(target, the_plan))
    assert str(error.value) == message


def test_failure_in_a_selective_sync_starts_no_sync_fail_hook_and_deletes_no_hook() -> None:
    the_plan = plan_of(WHAT_IF)
    hookless = selective(the_plan)
    failure = fail(hookless.plan, find("Deployment/api", the_plan), selective=True)
    assert (failure.sync_fail, failure.deleted, failure.kept_hooks) == ((), (), ())
    assert failure_text(failure).splitlines()[0] == (
        "What if Deployment/api fails in a selective sync, which runs no hook: it runs in Sync wave 1 (step 2 of 2)"
    )
    with pytest.raises(WhatIfError) as error:
        fail(hookless.plan, find("Job/schema", the_plan), selective=True)
    assert str(error.value) == "Job/schema is a hook: a selective sync runs no hook"


# --selective ------------------------------------------------------------------------------------------


def test_selective_sync_drops_every_hook_and_finds_resources_that_need_hook_objects() -> None:
    result = selective(plan_of(SELECTIVE))
    # Without the hook, nothing pulls the Namespace into PreSync: it keeps its own wave.
    assert [(s.where, [t.ident for t in s.tasks]) for s in result.plan.steps] == [
        ("Sync wave -1", ["Namespace/shop"]),
        ("Sync wave 0", ["Deployment/api"]),
    ]
    assert [t.label for t in result.skipped] == ["ConfigMap/migrations"]
    assert selective_text(result).split("Hooks that do not run")[1] == (
        ": 1\n"
        "    ConfigMap/migrations  PreSync wave 0\n"
        "\n"
        "Resources that need objects only hooks create\n"
        "    Deployment/api needs ConfigMap/migrations (envFrom configMapRef): it exists only as a hook "
        "(PreSync wave 0): missing after every successful full sync, which deletes it (HookSucceeded)\n"
    )
    need = json.loads(selective_json(result))["needs_hook_objects"][0]
    assert (need["kind"], need["target"], need["hard"], need["hooks"]) == (
        "Deployment",
        "ConfigMap/migrations",
        True,
        ["app.yaml:8"],
    )


def test_selective_sync_does_not_bring_back_an_earlier_copy_of_an_object_whose_last_copy_is_a_hook() -> None:
    text = obj("ConfigMap", "cfg") + "---\n" + hook("cfg", "PreSync", kind="ConfigMap")
    assert selective(plan_of(text)).plan.steps == ()


# --delete ---------------------------------------------------------------------------------------------


def test_deletion_deletes_highest_wave_first_and_leaves_crds_delete_false_and_kept_objects() -> None:
    result = deletion(plan_of(DELETION))
    assert [
        (w, [(d.resource.label, d.condition, d.confirm) for d in objects]) for w, objects in result.batches
    ] == [
        (2, [("Deployment/api", "", False), ("Service/api", "", True)]),
        (
            0,
            [
                ("Job/drain", "created by the PreDelete step", False),
                ("Job/report", "", False),
                ("Job/seed-*", "one object per sync that ran it: generateName", False),
            ],
        ),
        (-5, [("Namespace/shop", "", False)]),
    ]
    assert [(k.resource.ident, k.reason) for k in result.kept] == [
        (
            "CustomResourceDefinition/widgets.example.com",
            "a CustomResourceDefinition: Argo CD never deletes one",
        ),
        ("ConfigMap/keep-me", "Delete=false, but deleting Namespace/shop (wave -5) removes it too"),
        ("Secret/helm-kept", "helm.sh/resource-policy: keep"),
    ]
    assert [t.label for t in result.pre_delete] == ["Job/drain"]
    assert [t.label for t in result.post_delete] == ["Job/goodbye", "Job/tidy"]
    assert [(k.resource.ident, k.reason) for k in result.left_behind] == [
        (
            "Job/goodbye",
            "PostDelete hook, delete policy BeforeHookCreation (the default): the cleanup removes it only with "
            "HookSucceeded",
        )
    ]


def test_deletion_covers_objects_left_by_prune_false_and_skips_the_create_namespace_namespace() -> None:
    app = application.read(
        resources(
            "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: shop\nspec:\n"
            "  destination: {namespace: shop}\n  syncPolicy:\n    syncOptions: [CreateNamespace=true]\n",
            "app.yaml",
        )[0]
    )
    gone = resources(
        obj("Secret", "legacy", extra="    argocd.argoproj.io/sync-options: Prune=false\n"), "old.yaml"
    )
    the_plan = plan(resources(obj("ConfigMap", "a")), "shop", app=app, pruned=gone)
    result = deletion(the_plan)
    assert [(w, [(d.resource.ident, d.condition) for d in objects]) for w, objects in result.batches] == [
        (0, [("ConfigMap/a", ""), ("Secret/legacy", "gone from Git, left by Prune=false")])
    ]
    assert [(k.resource.ident, k.reason) for k in result.kept] == [
        ("Namespace/shop", "created by CreateNamespace=true, which Argo CD does not track")
    ]


@pytest.mark.parametrize(
    ("target", "stage", "deleted", "stays", "never"),
    [
        (
            "Job/drain",
            "PreDelete",
            ["Job/drain"],
            ["Deployment/api", "Service/api", "Job/report", "Job/seed-*", "Namespace/shop"],
            (2, 0, -5),
        ),
        (
            "Deployment/api",
            "cascade",
            ["Service/api"],
            ["Deployment/api", "Job/drain", "Job/report", "Job/seed-*", "Namespace/shop"],
            (0, -5),
        ),
        (
            "Job/goodbye",
            "PostDelete",
            [
                "Deployment/api",
                "Service/api",
                "Job/drain",
                "Job/report",
                "Job/seed-*",
                "Namespace/shop",
                "Job/goodbye",
            ],
            ["Job/tidy"],
            (),
        ),
    ],
    ids=["pre-delete", "cascade", "post-delete"],
)
def test_deletion_failure_stops_where_it_happens(
    target: str, stage: str, deleted: list[str], stays: list[str], never: tuple[int, ...]
) -> None:
    the_plan = plan_of(DELETION)
    failure = fail_deletion(the_plan, find(target, the_plan))
    assert failure.stage == stage
    assert [r.label for r in failure.deleted] == deleted
    assert [r.label for r in failure.stays] == stays
    assert failure.never == never


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (
            "Secret/helm-kept",
            "Secret/helm-kept is never deleted with the Application (helm.sh/resource-policy: keep)",
        ),
        (
            "Job/alert",
            "Job/alert has no part in the Application's deletion: no sync leaves it in the cluster",
        ),
    ],
    ids=["kept", "never-live"],
)
def test_deletion_failure_of_an_object_the_deletion_does_not_touch_is_refused(
    target: str, message: str
) -> None:
    the_plan = plan_of(DELETION)
    with pytest.raises(WhatIfError) as error:
        fail_deletion(the_plan, find(target, the_plan))
    assert str(error.value) == message


# the command line -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "golden"),
    [
        (["--fail", "Job/db-migrate"], "fail-db-migrate.txt"),
        (["--selective"], "selective.txt"),
        (["--delete"], "delete.txt"),
    ],
    ids=["fail", "selective", "delete"],
)
def test_demo_what_if_answers_match_their_golden_output(
    args: list[str], golden: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["explain", *args, "fixtures/demo"])
    assert result.exit_code == 0, result.output
    assert result.output == (ROOT / "fixtures" / "demo" / golden).read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--fail", "Job/db-migrat"],
            "hooklint: no object Job/db-migrat among the manifests; close matches: Job/db-migrate\n",
        ),
        (
            ["--selective", "--delete"],
            "hooklint: --selective and --delete do not combine: a selective sync deletes nothing\n",
        ),
        (
            ["--fail", "Job/notify-failure"],
            "hooklint: Job/notify-failure is a SyncFail hook: it runs only once another task has failed\n",
        ),
        (
            ["--apply-error"],
            "hooklint: --apply-error goes with --fail, for a sync: it says how the object fails\n",
        ),
    ],
    ids=["unknown", "selective-delete", "sync-fail", "apply-error-alone"],
)
def test_what_if_usage_errors_exit_2_with_one_line(args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["explain", *args, DEMO])
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)


def test_json_what_if_answers_are_documents() -> None:
    result = CliRunner().invoke(
        cli, ["explain", "--delete", "--fail", "Deployment/api", "--format", "json", DEMO]
    )
    document = json.loads(result.stdout)
    assert (document["fails"], document["never"]) == (
        {"kind": "Deployment", "name": "api", "stage": "cascade"},
        [
            "cascade batch wave 1",
            "cascade batch wave 0",
            "cascade batch wave -1",
            "the cleanup of delete hooks",
            "the removal of the Application",
        ],
    )
    assert [b["wave"] for b in document["delete"]["batches"]] == [3, 2, 1, 0, -1]


@pytest.mark.parametrize(
    ("command", "golden"),
    [
        ("--timeline", "timeline.txt"),
        ("--fail Job/db-migrate", "fail-db-migrate.txt"),
        ("--delete", "delete.txt"),
    ],
    ids=["timeline", "fail", "delete"],
)
def test_readme_examples_are_the_real_output(command: str, golden: str) -> None:
    readme = (ROOT / "README.md").read_text()
    output = (ROOT / "fixtures" / "demo" / golden).read_text()
    assert f"```\n$ hooklint explain {command} fixtures/demo\n{output}```\n" in readme


def test_readme_selective_and_gantt_excerpts_are_the_real_output() -> None:
    readme = (ROOT / "README.md").read_text()
    selective_output = (ROOT / "fixtures" / "demo" / "selective.txt").read_text()
    tail = selective_output[selective_output.index("Hooks that do not run") :]
    gantt = (ROOT / "fixtures" / "demo" / "timeline-gantt.txt").read_text()
    assert f"```\n{tail}```\n" in readme
    assert f"```mermaid\n{gantt}```\n" in readme


_STUCK = "---\n".join(
    [
        obj("Namespace", "a"),
        hook("a", "PreSync,Sync", "HookFailed", kind="ServiceAccount"),
        hook("b", "PreSync,SyncFail", kind="ServiceAccount"),
    ]
)


def _explain_apply_error(folder: Path, *options: str) -> str:
    """What `explain --fail Namespace/a --apply-error` prints for `folder`, which must succeed."""
    result = CliRunner().invoke(
        cli, ["explain", "--fail", "Namespace/a", "--apply-error", *options, str(folder)]
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_an_apply_error_beside_a_hook_failed_hook_of_two_phases_never_ends_before_v3_4_0(
    tmp_path: Path,
) -> None:
    # docs/argocd.md#failure-and-syncfail: HookFailed deletes the object a's Sync task has just applied again, in
    # the failing call; the standalone engine then waits for that task for ever.
    (tmp_path / "app.yaml").write_text(_STUCK)
    lines = _explain_apply_error(tmp_path).splitlines()
    start = lines.index("Argo CD before v3.4.0 never ends this sync:")
    assert lines[start - 2 : start + 4] == [
        "Deleted by HookFailed, whether they succeeded or not: ServiceAccount/a",
        "",
        "Argo CD before v3.4.0 never ends this sync:",
        "    HookFailed deletes ServiceAccount/a in the call its Sync task applied it again,",
        '    so that task waits for ever: the Application stays Syncing ("waiting for completion of hook '
        '/ServiceAccount/a")',
        "    until someone terminates the operation; since v3.4.0 the sync fails as above",
    ]
    document = json.loads(_explain_apply_error(tmp_path, "--format", "json"))
    assert [(t["kind"], t["name"]) for t in document["never_ends_before_v3_4_0"]] == [("ServiceAccount", "a")]


@pytest.mark.parametrize(
    ("apply_error", "stuck"), [(True, ["ServiceAccount/a"]), (False, [])], ids=["apply-error", "job-fails"]
)
def test_only_an_apply_error_leaves_a_hook_waiting_for_an_object_hook_failed_deleted(
    apply_error: bool, stuck: list[str]
) -> None:
    the_plan = plan_of(_STUCK)
    failure = fail(the_plan, find("Namespace/a", the_plan), apply_error=apply_error)
    assert [t.label for t in failure.stuck] == stuck


def test_a_hook_of_two_phases_made_in_the_failing_step_is_deleted_once() -> None:
    # docs/argocd.md#failure-and-syncfail: the Sync task makes ServiceAccount a in the step whose Namespace fails
    # to apply, its SyncFail task applies it again in that call, and one deletion round after the SyncFail hooks
    # complete removes it; with a SyncFail hook to re-create first (b), that round comes before a's SyncFail
    # apply, and a is deleted again once that completes.
    account = hook("a", "Sync,SyncFail", "HookFailed", kind="ServiceAccount")
    once = plan_of("---\n".join([obj("Namespace", "a"), account]))
    failure = fail(once, find("Namespace/a", once), apply_error=True)
    assert ([t.label for t in failure.deleted], [t.label for t in failure.deleted_later]) == (
        ["ServiceAccount/a"],
        [],
    )
    twice = plan_of("---\n".join([obj("Namespace", "a"), account, hook("b", "PreSync,SyncFail")]))
    failure = fail(twice, find("Namespace/a", twice), apply_error=True)
    assert [t.label for t in failure.recreated] == ["Job/b"]
    assert ([t.label for t in failure.deleted], [t.label for t in failure.deleted_later]) == (
        ["ServiceAccount/a"],
        ["ServiceAccount/a"],
    )


_CRD = """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
  annotations:
    argocd.argoproj.io/sync-wave: "1"
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
"""
_WIDGET = """apiVersion: example.com/v1
kind: Widget
metadata:
  name: a
  annotations:
    argocd.argoproj.io/hook: PostSync,SyncFail
    argocd.argoproj.io/hook-delete-policy: HookFailed
"""
_WIDGET_APP = "---\n".join([obj("Namespace", "a"), _CRD, _WIDGET])


@pytest.mark.parametrize(
    ("crd", "unapplied", "deleted_later"),
    [
        (_CRD, ["Widget/a"], []),
        (
            _CRD.replace(
                'sync-wave: "1"', "hook: PreSync\n    argocd.argoproj.io/hook-delete-policy: HookFailed"
            ),
            ["Widget/a"],
            [],
        ),
        (_CRD.replace('sync-wave: "1"', 'sync-wave: "-1"'), [], ["Widget/a"]),
        (_CRD.replace('sync-wave: "1"', "hook: SyncFail"), [], ["Widget/a"]),
        (_CRD.replace('sync-wave: "1"', "hook: SyncFail"), ["Widget/a"], []),
    ],
    ids=[
        "crd-never-applied",
        "crd-terminating",
        "crd-applied-before",
        "crd-applied-by-syncfail",
        "crd-pulled-into-postsync",
    ],
)
def test_a_custom_resource_syncfail_hook_fails_to_apply_unless_its_crd_is_served(
    crd: str, unapplied: list[str], deleted_later: list[str]
) -> None:
    # docs/argocd.md#crds-and-namespaces: Namespace a fails to apply in Sync wave 0. The Widget's SyncFail apply
    # creates it only if its CRD serves the kind then: applied by a step that ran or by a SyncFail hook before it,
    # and not deleted by HookFailed as the failure is handled (a terminating CRD's kind takes no new object).
    # A SyncFail CRD hook comes first only for a SyncFail-only Widget: a PostSync Widget task pulls it into
    # PostSync (docs/argocd.md#dependency-adjustments), which never runs.
    widget = _WIDGET if unapplied else _WIDGET.replace("PostSync,SyncFail", "SyncFail")
    the_plan = plan_of("---\n".join([obj("Namespace", "a"), crd, widget]))
    failure = fail(the_plan, find("Namespace/a", the_plan), apply_error=True)
    assert [t.label for t in failure.sync_fail_failed] == unapplied
    assert [t.label for t in failure.deleted_later] == deleted_later


def test_a_crd_already_in_the_cluster_serves_its_kind_to_a_syncfail_hook() -> None:
    # An unchanged CRD is in the cluster before the sync starts, whatever its wave.
    items = resources(_WIDGET_APP)
    in_sync = frozenset({("apiextensions.k8s.io", "CustomResourceDefinition", "", "widgets.example.com")})
    the_plan = plan(items, "default", in_sync=in_sync)
    assert the_plan.served == frozenset({"example.com/Widget"})
    failure = fail(the_plan, find("Namespace/a", the_plan), apply_error=True)
    assert ([t.label for t in failure.sync_fail_failed], [t.label for t in failure.deleted_later]) == (
        [],
        ["Widget/a"],
    )


def test_explain_names_the_syncfail_hooks_that_fail_to_apply(tmp_path: Path) -> None:
    (tmp_path / "app.yaml").write_text(_WIDGET_APP)
    lines = _explain_apply_error(tmp_path).splitlines()
    start = lines.index("SyncFail hooks, started all at once: Widget/a")
    assert lines[start : start + 4] == [
        "SyncFail hooks, started all at once: Widget/a",
        "    the sync stays Running until every one is done, then fails",
        "    Widget/a: fail to apply (the object that fails, or a kind whose CRD is not served then)",
        "Deleted by HookFailed, whether they succeeded or not: none",
    ]
    document = json.loads(_explain_apply_error(tmp_path, "--format", "json"))
    assert [(t["kind"], t["name"]) for t in document["sync_fail_apply_failed"]] == [("Widget", "a")]


def test_explain_says_a_syncfail_crd_hook_meeting_its_own_deletion_never_completes_before_v3_4_0(
    tmp_path: Path,
) -> None:
    # docs/argocd.md#crds-and-namespaces: HookFailed deletes the CRD its PreSync task made, its SyncFail task applies
    # the terminating CRD again in the same call, and the CRD goes all the same.
    crd = _CRD.replace(
        'sync-wave: "1"', "hook: PreSync,SyncFail\n    argocd.argoproj.io/hook-delete-policy: HookFailed"
    )
    (tmp_path / "app.yaml").write_text("---\n".join([obj("Namespace", "a"), crd]))
    lines = _explain_apply_error(tmp_path).splitlines()
    start = lines.index("Argo CD before v3.4.0 never ends this sync:")
    assert lines[start : start + 4] == [
        "Argo CD before v3.4.0 never ends this sync:",
        "    the SyncFail apply of CustomResourceDefinition/widgets.example.com meets a CRD that HookFailed has "
        "just deleted, and the object goes with it,",
        '    so that task waits for ever: the Application stays Syncing ("waiting for completion of hook '
        'apiextensions.k8s.io/CustomResourceDefinition/widgets.example.com")',
        "    until someone terminates the operation; since v3.4.0 the sync fails as above",
    ]
    the_plan = plan_of((tmp_path / "app.yaml").read_text())
    failure = fail(the_plan, find("Namespace/a", the_plan), apply_error=True)
    assert ([t.label for t in failure.deleted], failure.deleted_later, failure.kept_hooks) == (
        ["CustomResourceDefinition/widgets.example.com"],
        (),
        (),
    )
