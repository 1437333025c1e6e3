from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from hooklint.argocd import application
from hooklint.cli.main import cli
from hooklint.explain.deletion import (
    deletion_failure_markdown,
    deletion_failure_mermaid,
    deletion_failure_text,
    deletion_markdown,
    deletion_mermaid,
    deletion_text,
)
from hooklint.explain.selective import selective_json, selective_markdown, selective_mermaid, selective_text
from hooklint.explain.whatif import failure_json, failure_markdown, failure_mermaid, failure_text
from hooklint.sync.deletion import deletion, fail_deletion
from hooklint.sync.scheduler import plan
from hooklint.sync.whatif import WhatIfError, fail, find, selective
from tests.helpers import ROOT, plan_of, resources

DEMO = str(ROOT / "fixtures" / "demo")


def _hook(name: str, types: str, policy: str | None = None, wave: int = 0, kind: str = "Job") -> str:
    api = "batch/v1" if kind == "Job" else "v1"
    lines = [f"apiVersion: {api}", f"kind: {kind}", "metadata:", f"  name: {name}", "  annotations:"]
    lines.append(f"    argocd.argoproj.io/hook: {types}")
    if policy:
        lines.append(f"    argocd.argoproj.io/hook-delete-policy: {policy}")
    if wave:
        lines.append(f'    argocd.argoproj.io/sync-wave: "{wave}"')
    return "\n".join(lines) + "\n"


def _object(kind: str, name: str, wave: int = 0, api: str = "v1", extra: str = "") -> str:
    text = f"apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: {name}\n"
    if wave or extra:
        text += "  annotations:\n"
    if wave:
        text += f'    argocd.argoproj.io/sync-wave: "{wave}"\n'
    return text + extra


APP = "---\n".join(
    [
        _hook("schema", "PreSync", "HookFailed"),
        _hook("backup", "PreSync", "HookSucceeded"),
        _object("ConfigMap", "settings"),
        _object("Deployment", "api", 1, "apps/v1"),
        _hook("smoke", "PostSync", "HookSucceeded"),
        _hook("alert", "SyncFail", "HookFailed"),
        _hook("page", "SyncFail"),
    ]
)


# find -------------------------------------------------------------------------------------------------


def test_find_matches_kinds_in_any_case_and_generate_name_prefixes_with_or_without_the_star() -> None:
    the_plan = plan_of(APP + "---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: seed-\n")
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
        find(target, plan_of(APP))
    assert str(error.value) == message


def test_find_asks_for_the_namespace_when_a_name_is_in_two() -> None:
    text = (
        _object("ConfigMap", "cfg", extra="")
        + "---\n"
        + _object("ConfigMap", "cfg").replace("name: cfg\n", "name: cfg\n  namespace: other\n")
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
    the_plan = plan_of(APP)
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
        [_hook("ok", "PreSync", "HookFailed", wave=-1), _hook("migrate", "PreSync,SyncFail", "HookFailed")]
    )
    the_plan = plan_of(text)
    failure = fail(the_plan, find("Job/migrate", the_plan), apply_error=apply_error)
    labels = lambda tasks: sorted(t.label for t in tasks)  # noqa: E731
    assert (labels(failure.deleted), labels(failure.deleted_later)) == (deleted, deleted_later)
    assert (labels(failure.recreated), labels(failure.kept_hooks)) == (recreated, kept)


def test_a_syncfail_hook_re_creates_the_object_its_earlier_phase_left() -> None:
    # docs/argocd.md#failure-and-syncfail: with BeforeHookCreation (the default) the SyncFail run of a named
    # PreSync,SyncFail hook deletes the PreSync object first; with HookFailed that object is gone already.
    text = "---\n".join([_hook("ok", "PreSync,SyncFail"), _hook("migrate", "PreSync", wave=1)])
    the_plan = plan_of(text)
    failure = fail(the_plan, find("Job/migrate", the_plan))
    assert [t.label for t in failure.recreated] == ["Job/ok"]
    lines = failure_text(failure).splitlines()
    syncfail = lines.index("SyncFail hooks, started all at once: Job/ok")
    assert lines[syncfail + 1 : syncfail + 3] == [
        "    the sync stays Running until every one is done, then fails",
        "    each of Job/ok first deletes the object its earlier phase left (BeforeHookCreation)",
    ]


def test_failure_text_says_what_runs_what_never_does_and_what_stays() -> None:
    the_plan = plan_of(APP)
    assert failure_text(fail(the_plan, find("Job/schema", the_plan))) == (
        "What if Job/schema fails: it runs in PreSync wave 0 (step 1 of 4)\n"
        "    Argo CD handles the failure once nothing else in the step is running: the rest of the step "
        "finishes first, and no later step starts.\n"
        "\n"
        "Steps that run\n"
        "    1  PreSync wave 0  Job/backup, Job/schema (fails)\n"
        "\n"
        "Steps that never run\n"
        "    2  Sync wave 0      ConfigMap/settings\n"
        "    3  Sync wave 1      Deployment/api\n"
        "    4  PostSync wave 0  Job/smoke\n"
        "\n"
        "SyncFail hooks, started all at once: Job/alert, Job/page\n"
        "    the sync stays Running until every one is done, then fails\n"
        "Deleted by HookFailed, whether they succeeded or not: Job/schema\n"
        "    and, once they are done, the SyncFail hooks Job/alert\n"
        "\n"
        "Left in the cluster\n"
        "    applied by this sync: none\n"
        "    hook Job/backup: only a successful sync deletes it (HookSucceeded)\n"
        "    hook Job/page: the next sync that runs it replaces it (BeforeHookCreation)\n"
        "    never applied, whatever version is live stays (none on a first install): ConfigMap/settings, "
        "Deployment/api\n"
    )


@pytest.mark.parametrize(
    ("text", "target", "note"),
    [
        (
            APP,
            "ConfigMap/settings",
            "ConfigMap/settings has no health check, so it is done once applied: only an error applying it "
            "fails the sync.",
        ),
        (
            _object("ConfigMap", "a") + "---\n" + _object("Deployment", "api", 1, "apps/v1"),
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
    text = _object("Namespace", "shop") + "---\n" + APP
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
            _hook("goodbye", "PostDelete"),
            "Job/goodbye",
            "Job/goodbye runs only when the Application is deleted: ask with --delete --fail",
        ),
        (
            _hook("manual", "Skip"),
            "Job/manual",
            "Job/manual is never applied by a sync (skip: annotated Skip: Argo CD never applies it)",
        ),
    ],
    ids=["sync-fail", "delete-only", "skip"],
)
def test_failure_of_an_object_outside_the_normal_flow_is_refused(
    extra: str, target: str, message: str
) -> None:
    the_plan = plan_of(APP + ("---\n" + extra if extra else ""))
    with pytest.raises(WhatIfError) as error:
        fail(the_plan, find(target, the_plan))
    assert str(error.value) == message


def test_failure_mermaid_colours_what_ran_what_failed_and_what_never_ran() -> None:
    the_plan = plan_of(APP)
    assert failure_mermaid(fail(the_plan, find("ConfigMap/settings", the_plan))) == (
        "flowchart TD\n"
        '  step1["1. PreSync wave 0: Job/backup, Job/schema"]\n'
        '  step2["2. Sync wave 0: ConfigMap/settings"]\n'
        '  step3["3. Sync wave 1: Deployment/api"]\n'
        '  step4["4. PostSync wave 0: Job/smoke"]\n'
        "  failed((Failed))\n"
        "  step1 --> step2\n"
        '  syncfail["SyncFail, all at once: Job/alert, Job/page"]\n'
        '  step2 -->|"ConfigMap/settings fails"| syncfail --> failed\n'
        "  step2 -.-x|never| step3\n"
        "  step3 -.-x|never| step4\n"
        "  classDef ran fill:#dcfce7,stroke:#15803d\n"
        "  classDef failed fill:#fee2e2,stroke:#b91c1c\n"
        "  classDef never fill:#f3f4f6,stroke:#9ca3af,stroke-dasharray:4 4\n"
        "  class step1 ran\n"
        "  class step2 failed\n"
        "  class step3,step4 never\n"
    )


def test_failure_in_a_selective_sync_starts_no_sync_fail_hook_and_deletes_no_hook() -> None:
    the_plan = plan_of(APP)
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

SELECTIVE = """\
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  annotations:
    argocd.argoproj.io/sync-wave: "-1"
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: migrations
  namespace: shop
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: HookSucceeded
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: api
          envFrom:
            - configMapRef: {name: migrations}
"""


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
    text = _object("ConfigMap", "cfg") + "---\n" + _hook("cfg", "PreSync", kind="ConfigMap")
    assert selective(plan_of(text)).plan.steps == ()


# --delete ---------------------------------------------------------------------------------------------

CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget}
"""

DELETION = "---\n".join(
    [
        CRD,
        _object("Namespace", "shop", -5),
        _object("ConfigMap", "keep-me", extra="    argocd.argoproj.io/sync-options: Delete=false\n").replace(
            "name: keep-me\n", "name: keep-me\n  namespace: shop\n"
        ),
        _object("Secret", "helm-kept", extra="    helm.sh/resource-policy: keep\n"),
        _object("Deployment", "api", 2, "apps/v1"),
        _object("Service", "api", 2, extra="    argocd.argoproj.io/sync-options: Delete=confirm\n"),
        _hook("drain", "PreDelete", "HookSucceeded"),
        _hook("goodbye", "PostDelete"),
        _hook("tidy", "PostDelete", "HookSucceeded"),
        _hook("report", "PostSync"),
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: seed-\n  annotations:\n"
        "    argocd.argoproj.io/hook: PreSync\n",
        _hook("alert", "SyncFail", "HookFailed"),
    ]
)


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


def test_deletion_text_lists_each_phase_in_order() -> None:
    text = deletion_text(deletion(plan_of(DELETION)))
    assert text.splitlines()[2:9] == [
        "1. PreDelete hooks (Argo CD 3.3+): created all at once, no wave order; the deletion waits until all are "
        "healthy:",
        "       Job/drain  default  app.yaml:46",
        "2. Cascade: one wave at a time, highest first; each batch waits until every object of the one before is "
        "gone:",
        "   wave 2   Deployment/api  default  app.yaml:31",
        "            Service/api     default  app.yaml:38  Delete=confirm: waits for approval",
        "   wave 0   Job/drain       default  app.yaml:46  created by the PreDelete step",
        "            Job/report      default  app.yaml:69",
    ]


def test_deletion_mermaid_chains_the_phases() -> None:
    assert deletion_mermaid(
        deletion(plan_of(_object("ConfigMap", "a", 1) + "---\n" + _hook("bye", "PostDelete")))
    ) == (
        "flowchart TD\n"
        '  pre["PreDelete, all at once: none"]\n'
        '  b1["wave 1: ConfigMap/a"]\n'
        '  post["PostDelete, all at once: Job/bye"]\n'
        '  cleanup["cleanup; left behind: Job/bye"]\n'
        "  pre --> b1\n"
        '  b1 -->|"all gone"| post\n'
        "  post --> cleanup\n"
    )


def test_deletion_covers_objects_left_by_prune_false_and_skips_the_create_namespace_namespace() -> None:
    app = application.read(
        resources(
            "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: shop\nspec:\n"
            "  destination: {namespace: shop}\n  syncPolicy:\n    syncOptions: [CreateNamespace=true]\n",
            "app.yaml",
        )[0]
    )
    gone = resources(
        _object("Secret", "legacy", extra="    argocd.argoproj.io/sync-options: Prune=false\n"), "old.yaml"
    )
    the_plan = plan(resources(_object("ConfigMap", "a")), "shop", app=app, pruned=gone)
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


def test_deletion_failure_text_for_a_stuck_object() -> None:
    the_plan = plan_of(DELETION)
    assert deletion_failure_text(fail_deletion(the_plan, find("Service/api", the_plan))) == (
        "What if Service/api fails when the Application is deleted\n"
        "    Service/api's deletion never finishes (a finalizer holds it): the deletion waits for it, and no later "
        "batch starts\n"
        "\n"
        "Deleted before it stops: Deployment/api\n"
        "Never happens: cascade batch wave 0; cascade batch wave -5; PostDelete hooks Job/goodbye, Job/tidy; "
        "the cleanup of delete hooks; the removal of the Application\n"
        "Left in the cluster: Service/api, Job/drain (created by the PreDelete step), Job/report, Job/seed-* "
        "(one object per sync that ran it: generateName), Namespace/shop\n"
        "    and what the deletion never deletes: CustomResourceDefinition/widgets.example.com, ConfigMap/keep-me, "
        "Secret/helm-kept\n"
    )


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


def test_failure_markdown_is_a_step_table_and_a_list() -> None:
    the_plan = plan_of(APP)
    assert failure_markdown(fail(the_plan, find("Deployment/api", the_plan))) == (
        "## What if Deployment/api fails: it runs in Sync wave 1 (step 3 of 4)\n"
        "\n"
        "Argo CD handles the failure once nothing else in the step is running: the rest of the step finishes "
        "first, and no later step starts.\n"
        "\n"
        "| step | ran | tasks |\n"
        "|---|---|---|\n"
        "| 1. PreSync wave 0 | yes | `Job/backup`, `Job/schema` |\n"
        "| 2. Sync wave 0 | yes | `ConfigMap/settings` |\n"
        "| 3. Sync wave 1 | fails | `Deployment/api` |\n"
        "| 4. PostSync wave 0 | never | `Job/smoke` |\n"
        "\n"
        "- **SyncFail hooks, started all at once:** `Job/alert`, `Job/page`\n"
        "- **Deleted by HookFailed, whether they succeeded or not:** `Job/schema`; once done, `Job/alert`\n"
        "- **Left in the cluster, applied by this sync:** `ConfigMap/settings`, `Deployment/api`\n"
        "- **Hook left in the cluster:** `Job/backup`: only a successful sync deletes it (HookSucceeded)\n"
        "- **Hook left in the cluster:** `Job/page`: the next sync that runs it replaces it (BeforeHookCreation)\n"
        "- **Never applied (the live version stays):** none\n"
    )


def test_selective_markdown_and_mermaid_show_the_hook_free_plan_and_the_needs() -> None:
    result = selective(plan_of(SELECTIVE))
    markdown = selective_markdown(result)
    assert markdown.startswith("## Selective sync or apply strategy: no hook runs\n\n### Sync\n\n")
    assert markdown.endswith(
        "### Hooks that do not run\n\n- `ConfigMap/migrations` (PreSync wave 0)\n\n"
        "### Resources that need objects only hooks create\n\n"
        "- Deployment/api needs ConfigMap/migrations (envFrom configMapRef): it exists only as a hook "
        "(PreSync wave 0): missing after every successful full sync, which deletes it (HookSucceeded)\n"
    )
    assert selective_mermaid(result) == (
        "flowchart TD\n"
        '  step1["1. Sync wave -1: Namespace/shop"]\n'
        '  step2["2. Sync wave 0: Deployment/api"]\n'
        "  step1 --> step2\n"
        '  subgraph hooks["hooks: not run"]\n'
        '    h1(["ConfigMap/migrations"])\n'
        "  end\n"
        '  step2 -.->|"Deployment/api needs"| h1\n'
        "  classDef hook fill:#fef3c7,stroke:#b45309\n"
        "  class h1 hook\n"
    )


def test_deletion_markdown_lists_each_phase() -> None:
    assert deletion_markdown(deletion(plan_of(DELETION))) == (
        "## Deletion plan (Application deleted with cascade)\n"
        "\n"
        "1. **PreDelete hooks**, all at once: `Job/drain`\n"
        "2. **Cascade**, one wave at a time, highest first:\n"
        "   - wave 2: `Deployment/api`, `Service/api` (Delete=confirm: waits for approval)\n"
        "   - wave 0: `Job/drain` (created by the PreDelete step), `Job/report`, `Job/seed-*` (one object per sync "
        "that ran it: generateName)\n"
        "   - wave -5: `Namespace/shop`\n"
        "   - never deleted: `CustomResourceDefinition/widgets.example.com` (a CustomResourceDefinition: Argo CD "
        "never deletes one), `ConfigMap/keep-me` (Delete=false, but deleting Namespace/shop (wave -5) removes it "
        "too), `Secret/helm-kept` (helm.sh/resource-policy: keep)\n"
        "3. **PostDelete hooks**, all at once: `Job/goodbye`, `Job/tidy`\n"
        "4. **Left behind** after the cleanup: `Job/goodbye` (PostDelete hook, delete policy BeforeHookCreation "
        "(the default): the cleanup removes it only with HookSucceeded)\n"
    )


def test_deletion_failure_mermaid_marks_the_stage_that_blocks() -> None:
    the_plan = plan_of(DELETION)
    lines = deletion_failure_mermaid(fail_deletion(the_plan, find("Service/api", the_plan))).splitlines()
    assert lines[-3:] == [
        '  b1 -->|"Service/api fails"| stuck((Deletion blocked))',
        "  classDef failed fill:#fee2e2,stroke:#b91c1c",
        "  class b1 failed",
    ]
    markdown = deletion_failure_markdown(fail_deletion(the_plan, find("Job/drain", the_plan)))
    assert markdown.splitlines()[-1] == (
        "- **Left in the cluster:** Deployment/api, Service/api, Job/report, Job/seed-* (one object per sync that "
        "ran it: generateName), Namespace/shop"
    )


_STUCK = "---\n".join(
    [
        _object("Namespace", "a"),
        _hook("a", "PreSync,Sync", "HookFailed", kind="ServiceAccount"),
        _hook("b", "PreSync,SyncFail", kind="ServiceAccount"),
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
    hook = _hook("a", "Sync,SyncFail", "HookFailed", kind="ServiceAccount")
    once = plan_of("---\n".join([_object("Namespace", "a"), hook]))
    failure = fail(once, find("Namespace/a", once), apply_error=True)
    assert ([t.label for t in failure.deleted], [t.label for t in failure.deleted_later]) == (
        ["ServiceAccount/a"],
        [],
    )
    twice = plan_of("---\n".join([_object("Namespace", "a"), hook, _hook("b", "PreSync,SyncFail")]))
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
_WIDGET_APP = "---\n".join([_object("Namespace", "a"), _CRD, _WIDGET])


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
    the_plan = plan_of("---\n".join([_object("Namespace", "a"), crd, widget]))
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
    (tmp_path / "app.yaml").write_text("---\n".join([_object("Namespace", "a"), crd]))
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
