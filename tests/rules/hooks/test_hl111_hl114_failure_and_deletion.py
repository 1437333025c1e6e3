"""HL107, HL108, HL110-HL115: hook objects across syncs, the failure path and Application deletion."""

from __future__ import annotations

from hooklint.config.settings import Settings
from hooklint.engine.run import lint
from hooklint.manifests.parse import load_text
from hooklint.model import Finding, Problem, Resource, Severity
from hooklint.sources.input import LoadResult

# (file, line, column, rule, message) of one finding.
Row = tuple[str, int, int, str, str]


def load(files: dict[str, str]) -> LoadResult:
    resources: list[Resource] = []
    problems: list[Problem] = []
    for name, text in files.items():
        result = load_text(name, text)
        assert not result.problems, result.problems
        resources.extend(result.resources)
        problems.extend(result.problems)
    return LoadResult(tuple(resources), tuple(problems), tuple(files), (), dict(files))


def findings(rule: str, text: str, *, version: str = "3.5.1", **more: str) -> list[Finding]:
    files = {"app.yaml": text, **{f"{name}.yaml": body for name, body in more.items()}}
    return lint(load(files), Settings(select=(rule,), argocd_version=version))


def rows(rule: str, text: str, *, version: str = "3.5.1", **more: str) -> list[Row]:
    return [
        (f.span.path, f.span.line, f.span.column, f.rule, f.message)
        for f in findings(rule, text, version=version, **more)
    ]


def job(name: str, annotations: str = "", *, meta: str = "", spec: str = "") -> str:
    """A batch Job; `annotations` are indented lines under metadata.annotations."""
    notes = f"  annotations:\n{annotations}" if annotations else ""
    return f"""\
---
apiVersion: batch/v1
kind: Job
metadata:
  name: {name}
{meta}{notes}spec:
{spec}  template:
    spec:
      restartPolicy: Never
      containers:
        - name: run
          image: registry.example.com/tools:1.0
"""


# HL107 stateful-hook-recreated ------------------------------------------------------------------------

PVC_HOOK = """\
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: backup
  annotations:
    argocd.argoproj.io/hook: PreSync
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 10Gi
"""


def test_pvc_hook_with_the_default_policy_is_an_error_at_the_hook_value() -> None:
    (found,) = findings("HL107", PVC_HOOK)
    assert (found.span.line, found.span.column, found.severity) == (6, 30, Severity.ERROR)
    assert found.message == (
        "PersistentVolumeClaim/backup is a hook (PreSync wave 0) with delete policy BeforeHookCreation "
        "(the default): every sync deletes it and creates it again, so the data on its volume is lost"
    )


def test_stateful_set_hook_that_deletes_its_claims_says_so() -> None:
    text = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: cache
  annotations:
    argocd.argoproj.io/hook: Sync
    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation
spec:
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Delete
"""
    assert rows("HL107", text) == [
        (
            "app.yaml",
            6,
            30,
            "HL107",
            "StatefulSet/cache is a hook (Sync wave 0) with delete policy BeforeHookCreation: every sync "
            "deletes it and creates it again, so all its pods are stopped and its claims deleted, with their data",
        )
    ]


def test_namespace_hook_holding_the_applications_resources_is_flagged() -> None:
    text = """\
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  annotations:
    argocd.argoproj.io/hook: PreSync
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
"""
    assert [(r[1], r[2]) for r in rows("HL107", text)] == [(6, 30)]
    assert (
        "everything inside it, the application's resources included, is deleted" in rows("HL107", text)[0][4]
    )


def test_scratch_namespace_holding_only_hooks_is_not_flagged() -> None:
    text = """\
apiVersion: v1
kind: Namespace
metadata:
  name: presync-scratch
  annotations:
    argocd.argoproj.io/hook: PreSync
"""
    assert (
        rows(
            "HL107",
            text
            + job("wait", "    argocd.argoproj.io/hook: PreSync\n", meta="  namespace: presync-scratch\n"),
        )
        == []
    )


def test_helm_hook_is_reported_at_the_helm_annotation() -> None:
    text = PVC_HOOK.replace("argocd.argoproj.io/hook: PreSync", "helm.sh/hook: pre-install")
    assert [(r[1], r[2]) for r in rows("HL107", text)] == [(6, 19)]


def test_empty_secret_hook_is_a_warning() -> None:
    text = """\
apiVersion: v1
kind: Secret
metadata:
  name: unseal-keys
  annotations:
    argocd.argoproj.io/hook: PreSync
type: Opaque
"""
    (found,) = findings("HL107", text)
    assert found.severity == Severity.WARNING
    assert found.message.endswith("so whatever was written into it at runtime is lost")


def test_config_map_hook_whose_content_comes_from_git_is_not_flagged() -> None:
    text = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: migrate-config
  annotations:
    argocd.argoproj.io/hook: PreSync
data:
  DATABASE: orders
"""
    assert rows("HL107", text) == []


def test_pvc_hook_kept_between_syncs_or_never_matched_is_not_flagged() -> None:
    kept = PVC_HOOK.replace("PreSync\n", "PreSync\n    argocd.argoproj.io/hook-delete-policy: HookFailed\n")
    unnamed = PVC_HOOK.replace("name: backup", "generateName: backup-")
    plain = PVC_HOOK.replace("    argocd.argoproj.io/hook: PreSync\n", "    team: storage\n")
    assert rows("HL107", kept) == rows("HL107", unnamed) == rows("HL107", plain) == []


# HL108 non-hook-job -----------------------------------------------------------------------------------


def test_named_job_synced_as_a_resource_is_flagged_at_its_kind() -> None:
    assert rows("HL108", job("create-buckets", '    argocd.argoproj.io/sync-wave: "1"\n')) == [
        (
            "app.yaml",
            3,
            7,
            "HL108",
            "Job/create-buckets is a Job applied as a plain resource (Sync wave 1): its pod template is "
            'immutable, so the first sync after the template changes fails with "field is immutable"',
        )
    ]


def test_replace_alone_does_not_help_a_job() -> None:
    text = job("seed", "    argocd.argoproj.io/sync-options: Replace=true\n")
    assert [r[3] for r in rows("HL108", text)] == ["HL108"]


def test_jobs_that_cannot_hit_the_immutable_template_are_not_flagged() -> None:
    forced = job("seed", "    argocd.argoproj.io/sync-options: Replace=true,Force=true\n")
    hook = job("seed", "    argocd.argoproj.io/hook: Sync\n")
    skipped = job("seed", "    argocd.argoproj.io/hook: Skip\n")
    expiring = job("seed", spec="  ttlSecondsAfterFinished: 300\n")
    assert rows("HL108", forced + hook.replace("seed", "seed-hook") + skipped.replace("seed", "s2")) == []
    assert rows("HL108", expiring) == []


# HL110 hooks-only-application -------------------------------------------------------------------------

SERVICE_ACCOUNT_HOOK = """\
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: migrator
  annotations:
    argocd.argoproj.io/hook: PreSync
"""


def test_application_of_hooks_only_is_reported_once_at_the_first_hook() -> None:
    migrate = job("migrate", "    argocd.argoproj.io/hook: PreSync\n", meta="  namespace: shop\n")
    assert rows("HL110", migrate + SERVICE_ACCOUNT_HOOK) == [
        (
            "app.yaml",
            22,
            30,
            "HL110",
            "every object this application syncs is a hook (ServiceAccount/migrator, Job/migrate), and hooks "
            "get no sync status: the application is never OutOfSync, so a change to these hooks never starts "
            "an automated sync",
        )
    ]


def test_skip_objects_and_delete_hooks_do_not_count_as_synced_resources() -> None:
    skipped = """\
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: manual
  annotations:
    argocd.argoproj.io/hook: Skip
"""
    cleanup = job("cleanup", "    argocd.argoproj.io/hook: PostDelete\n")
    assert [r[3] for r in rows("HL110", SERVICE_ACCOUNT_HOOK + skipped + cleanup)] == ["HL110"]


def test_application_with_a_resource_is_not_flagged() -> None:
    resource = "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n"
    assert rows("HL110", SERVICE_ACCOUNT_HOOK + resource) == []


def test_hooks_naming_objects_outside_the_input_are_taken_as_part_of_a_larger_application() -> None:
    spec = "  template:\n    spec:\n      serviceAccountName: deployer\n"
    partial = job("wait", "    argocd.argoproj.io/hook: PreSync\n").replace("  template:\n    spec:\n", spec)
    assert rows("HL110", partial) == []


# HL111 hook-failed-policy-deletes-evidence ------------------------------------------------------------


def test_hook_failed_is_reported_at_its_own_item() -> None:
    text = job(
        "migrate",
        "    argocd.argoproj.io/hook: PreSync\n"
        "    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation, HookFailed\n",
    )
    assert rows("HL111", text) == [
        (
            "app.yaml",
            8,
            64,
            "HL111",
            "Job/migrate (PreSync wave 0) has delete policy HookFailed: when the sync fails or is terminated, "
            "Argo CD deletes it whether it failed or succeeded, and its status and logs go with it",
        )
    ]


def test_helm_hook_failed_is_reported_at_the_helm_item() -> None:
    text = job(
        "upgrade",
        "    helm.sh/hook: pre-upgrade\n    helm.sh/hook-delete-policy: hook-succeeded,hook-failed\n",
    )
    assert [(r[1], r[2]) for r in rows("HL111", text)] == [(8, 48)]


def test_hook_failed_on_hooks_with_nothing_to_run_or_on_delete_hooks_is_not_flagged() -> None:
    config = """\
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: HookFailed
"""
    delete = job(
        "cleanup",
        "    argocd.argoproj.io/hook: PreDelete\n    argocd.argoproj.io/hook-delete-policy: HookFailed\n",
    )
    assert rows("HL111", config + delete) == []


# HL112 syncfail-waves-ignored -------------------------------------------------------------------------


def syncfail(name: str, wave: str | None) -> str:
    lines = "    argocd.argoproj.io/hook: SyncFail\n"
    if wave is not None:
        lines += f'    argocd.argoproj.io/sync-wave: "{wave}"\n'
    return job(name, lines)


def test_syncfail_hooks_in_later_waves_are_reported_at_their_wave() -> None:
    (found,) = findings("HL112", syncfail("collect-logs", "0") + syncfail("notify", "5"))
    assert (found.span.path, found.span.line, found.span.column) == ("app.yaml", 23, 35)
    assert found.message == (
        "Job/notify is a SyncFail hook in wave 5, but Argo CD starts all SyncFail hooks at once: it runs "
        "alongside Job/collect-logs (wave 0), not after it"
    )
    assert [(r.span.line, r.span.column, r.message) for r in found.related] == [
        (8, 35, "Job/collect-logs, the lowest SyncFail wave (0)")
    ]


def test_syncfail_hook_in_the_default_wave_is_reported_at_its_hook_annotation() -> None:
    result = rows("HL112", syncfail("first", "-1") + syncfail("second", None))
    assert [(r[1], r[2]) for r in result] == [(22, 30)]


def test_syncfail_hooks_sharing_a_wave_or_alone_are_not_flagged() -> None:
    assert rows("HL112", syncfail("a", "1") + syncfail("b", "1")) == []
    assert rows("HL112", syncfail("a", "3")) == []


# HL113 delete-hook-generate-name ----------------------------------------------------------------------


def test_delete_hook_with_generate_name_is_reported_at_it() -> None:
    text = job("x", "    argocd.argoproj.io/hook: PostDelete\n").replace("name: x", "generateName: cleanup-")
    assert rows("HL113", text) == [
        (
            "app.yaml",
            5,
            17,
            "HL113",
            "Job/cleanup-* is a PostDelete hook with generateName and no name: Argo CD matches delete hooks to "
            "live objects by metadata.name, so it never recognises the object it created",
        )
    ]


def test_named_delete_hooks_and_unsupported_versions_are_not_flagged() -> None:
    named = job("cleanup", "    argocd.argoproj.io/hook: PreDelete\n")
    unnamed = named.replace("name: cleanup", "generateName: cleanup-")
    assert rows("HL113", named) == []
    # PreDelete hooks run from v3.3.0 (docs/argocd.md#version-table): before that Argo CD ignores them.
    assert rows("HL113", unnamed, version="3.2.0") == []
    assert [r[3] for r in rows("HL113", unnamed, version="3.3.0")] == ["HL113"]


# HL114 delete-hook-left-behind ------------------------------------------------------------------------


def test_post_delete_hook_without_policy_is_reported_at_the_hook_value() -> None:
    assert rows("HL114", job("cleanup", "    argocd.argoproj.io/hook: PostDelete\n")) == [
        (
            "app.yaml",
            7,
            30,
            "HL114",
            "Job/cleanup is a PostDelete hook with no delete policy: the default, BeforeHookCreation, never "
            "removes it, so it stays in the cluster after the Application is deleted",
        )
    ]


def test_post_delete_hook_with_a_policy_lacking_hook_succeeded_is_reported_at_the_policy() -> None:
    text = job(
        "cleanup", "    helm.sh/hook: post-delete\n    helm.sh/hook-delete-policy: before-hook-creation\n"
    )
    assert rows("HL114", text) == [
        (
            "app.yaml",
            8,
            33,
            "HL114",
            "Job/cleanup is a PostDelete hook whose delete policy BeforeHookCreation lacks HookSucceeded: after "
            "a successful run it stays in the cluster once the Application is deleted",
        )
    ]


def test_cleaned_up_or_cascade_deleted_delete_hooks_are_not_flagged() -> None:
    cleaned = job(
        "cleanup",
        "    argocd.argoproj.io/hook: PostDelete\n    argocd.argoproj.io/hook-delete-policy: HookSucceeded\n",
    )
    pre_delete = job("drain", "    argocd.argoproj.io/hook: PreDelete\n")
    assert rows("HL114", cleaned + pre_delete) == []
    # PostDelete hooks run from v2.10.0 (docs/argocd.md#version-table).
    assert rows("HL114", job("cleanup", "    argocd.argoproj.io/hook: PostDelete\n"), version="2.9.0") == []


# HL115 named-hook-in-several-phases -------------------------------------------------------------------


def test_named_hook_in_two_phases_without_before_hook_creation_is_reported_at_the_policy() -> None:
    text = job(
        "smoke-test",
        "    argocd.argoproj.io/hook: PreSync,PostSync\n"
        "    argocd.argoproj.io/hook-delete-policy: HookSucceeded\n",
    )
    assert rows("HL115", text) == [
        (
            "app.yaml",
            8,
            44,
            "HL115",
            "Job/smoke-test runs in PreSync wave 0 and PostSync wave 0 as one named object whose delete policy "
            "HookSucceeded lacks BeforeHookCreation: the PostSync run finds the PreSync object live, re-applies "
            "it and takes over its completed status, so it does not run again",
        )
    ]


def test_hooks_in_several_phases_that_are_re_created_or_have_nothing_to_run_are_not_flagged() -> None:
    default = job("a", "    argocd.argoproj.io/hook: PreSync,PostSync\n")
    listed = job(
        "b",
        "    argocd.argoproj.io/hook: PreSync,PostSync\n"
        "    argocd.argoproj.io/hook-delete-policy: HookSucceeded,BeforeHookCreation\n",
    )
    unnamed = job(
        "x",
        "    argocd.argoproj.io/hook: PreSync,PostSync\n    argocd.argoproj.io/hook-delete-policy: HookSucceeded\n",
    ).replace("name: x", "generateName: c-")
    config = """\
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  annotations:
    argocd.argoproj.io/hook: PreSync,PostSync
    argocd.argoproj.io/hook-delete-policy: HookSucceeded
"""
    assert rows("HL115", default + listed + unnamed + config) == []
