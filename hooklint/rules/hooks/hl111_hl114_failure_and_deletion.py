"""HL111-HL114: hooks on the failure path and on Application deletion (docs/argocd.md#failure-and-syncfail, docs/argocd.md#hook-lifecycle, docs/argocd.md#application-deletion)."""

from __future__ import annotations

from collections.abc import Iterator

from hooklint.argocd import annotations as argo
from hooklint.argocd.annotated import Annotated
from hooklint.model import Finding, FixAvailability, Related, Rule, Severity, Span
from hooklint.rules.context import Context
from hooklint.rules.hooks.task_places import where
from hooklint.sync.plan import Task

# docs/argocd.md#version-table: the first Argo CD release that runs each delete hook type; earlier ones ignore it.


def _delete_hooks(ctx: Context) -> dict[int, tuple[Annotated, list[str]]]:
    """Each delete hook the target Argo CD version runs, with its delete types, in plan order."""
    found: dict[int, tuple[Annotated, list[str]]] = {}
    for task in (*ctx.plan.pre_delete, *ctx.plan.post_delete):
        if ctx.argocd_version >= argo.DELETE_HOOK_SINCE[task.phase]:
            found.setdefault(id(task.resource), (task.annotated, []))[1].append(task.phase)
    return found


def _hook_failed_span(item: Annotated) -> Span | None:
    for key, value in (
        (argo.HOOK_DELETE_POLICY, argo.HOOK_FAILED),
        (argo.HELM_HOOK_DELETE_POLICY, "hook-failed"),
    ):
        annotation = item.annotations.get(key)
        if annotation is None:
            continue
        for policy in annotation.items():
            if policy.value == value:
                return policy.span
    return None


def _hook_failed_policy(ctx: Context) -> Iterator[Finding]:
    for item in ctx.hook_annotated():
        resource = item.resource
        # docs/argocd.md#failure-and-syncfail, docs/argocd.md#hook-lifecycle: the sync-phase failure path; delete hooks have their own cleanup (docs/argocd.md#delete-hooks).
        if not item.types or argo.HOOK_FAILED not in item.explicit_policies:
            continue
        tasks = ctx.plan.tasks_of(resource)
        # A hook with nothing to wait for (a ConfigMap, RBAC) is done once applied: no run, no evidence.
        span = _hook_failed_span(item)
        if span is None or not any(task.waits for task in tasks):
            continue
        yield ctx.finding(
            span,
            f"{resource.ident} ({where(tasks)}) has delete policy HookFailed: when the sync fails or is "
            "terminated, Argo CD deletes it whether it failed or succeeded, and its status and logs go with it",
            resource=resource,
        )


HOOK_FAILED_POLICY_DELETES_EVIDENCE = Rule(
    id="HL111",
    name="hook-failed-policy-deletes-evidence",
    summary="A hook with HookFailed: a failed sync deletes it, and the logs needed to debug the failure with it.",
    severity=Severity.INFO,
    check=_hook_failed_policy,
    fix=FixAvailability.NONE,
)


def _wave_span(task: Task) -> Span:
    item = task.annotated
    source = item.wave_source
    return item.annotations[source].span if source else item.hook_annotation.span


def _syncfail_waves_ignored(ctx: Context) -> Iterator[Finding]:
    tasks = ctx.plan.sync_fail
    if len({task.wave for task in tasks}) < 2:
        return
    lowest = min(tasks, key=lambda task: task.wave)
    related = Related(_wave_span(lowest), f"{lowest.label}, the lowest SyncFail wave ({lowest.wave})")
    for task in tasks:
        if task.wave == lowest.wave:
            continue
        # docs/argocd.md#failure-and-syncfail, docs/argocd.md#docs-versus-code, item 10: on failure every pending SyncFail hook is started in one batch, waves ignored.
        yield ctx.finding(
            _wave_span(task),
            f"{task.label} is a SyncFail hook in wave {task.wave}, but Argo CD starts all SyncFail hooks at "
            f"once: it runs alongside {lowest.label} (wave {lowest.wave}), not after it",
            resource=task.resource,
            related=[related],
        )


SYNCFAIL_WAVES_IGNORED = Rule(
    id="HL112",
    name="syncfail-waves-ignored",
    summary="SyncFail hooks in different waves: Argo CD starts all of them at once.",
    severity=Severity.WARNING,
    check=_syncfail_waves_ignored,
    fix=FixAvailability.NONE,
)


def _delete_hook_generate_name(ctx: Context) -> Iterator[Finding]:
    for item, types in _delete_hooks(ctx).values():
        resource = item.resource
        if not resource.generate_name:
            continue
        if not resource.name:
            # Named by Argo CD in the sync only: controller/hook.go executeHooks creates a delete hook as written.
            yield ctx.finding(
                resource.span_at(("metadata",), key=True),
                f"{resource.ident} is a {' and '.join(types)} hook with neither name nor generateName: Argo CD "
                "names it only for the sync; when the Application is deleted it is created as written, and "
                "Kubernetes refuses an object without a name",
                resource=resource,
            )
            continue
        # docs/argocd.md#delete-hooks (from reading executeHooks, docs/argocd.md#open-questions): expected delete hooks are keyed by metadata.name.
        yield ctx.finding(
            resource.span_at(("metadata", "generateName")),
            f"{resource.ident}* is a {' and '.join(types)} hook with generateName and no name: Argo CD "
            "matches delete hooks to live objects by metadata.name, so it never recognises the object it created",
            resource=resource,
        )


DELETE_HOOK_GENERATE_NAME = Rule(
    id="HL113",
    name="delete-hook-generate-name",
    summary="A PreDelete/PostDelete hook with generateName: Argo CD tracks delete hooks by metadata.name.",
    severity=Severity.WARNING,
    check=_delete_hook_generate_name,
    fix=FixAvailability.NONE,
)


def _left_behind(item: Annotated) -> tuple[Span, str]:
    resource = item.resource
    policy = item.policy_annotation
    if policy is None:
        # docs/argocd.md#delete-policies: the default BeforeHookCreation never matches the final cleanup (docs/argocd.md#delete-hooks step 4).
        return item.delete_hook_annotation.span, (
            f"{resource.ident} is a PostDelete hook with no delete policy: the default, BeforeHookCreation, "
            "never removes it, so it stays in the cluster after the Application is deleted"
        )
    return policy.span, (
        f"{resource.ident} is a PostDelete hook whose delete policy {','.join(item.explicit_policies)} lacks "
        "HookSucceeded: after a successful run it stays in the cluster once the Application is deleted"
    )


def _delete_hook_left_behind(ctx: Context) -> Iterator[Finding]:
    for item, types in _delete_hooks(ctx).values():
        # PreDelete hooks carry the app's tracking and go in the cascade deletion (docs/argocd.md#delete-hooks step 2); only
        # PostDelete hooks, created after it, depend on the cleanup of step 4.
        if argo.POST_DELETE not in types or argo.HOOK_SUCCEEDED in item.explicit_policies:
            continue
        span, message = _left_behind(item)
        yield ctx.finding(span, message, resource=item.resource)


DELETE_HOOK_LEFT_BEHIND = Rule(
    id="HL114",
    name="delete-hook-left-behind",
    summary="A PostDelete hook without HookSucceeded: it stays in the cluster after the Application is deleted.",
    severity=Severity.INFO,
    check=_delete_hook_left_behind,
    fix=FixAvailability.NONE,
)

RULES: tuple[Rule, ...] = (
    HOOK_FAILED_POLICY_DELETES_EVIDENCE,
    SYNCFAIL_WAVES_IGNORED,
    DELETE_HOOK_GENERATE_NAME,
    DELETE_HOOK_LEFT_BEHIND,
)
