"""The differential test: hooklint's sync plan against gitops-engine's own sync engine.

hypothesis generates small applications; each is planned by hooklint and synced by hooklint-oracle (oracle/,
built by .ci/tools), which runs gitops-engine's sync engine against a simulated cluster and reports every
operation it made. The two must agree on the steps (phase and wave, in order), the prunes of each step, the
applies of each step and the hooks a step deletes before it re-creates them (BeforeHookCreation). The engine
applies the tasks of one kind inside a step concurrently, so inside such a run of one kind the names are
compared as a set; the runs themselves are compared in order.

A third of the applications inject one failure: an object's apply fails, or a Job or Pod ends Failed. Then
hooklint's account of that failure (hooklint.sync.whatif.fail) must match: the steps up to the failing one, the
SyncFail hooks that start then, the operation's final phase, and the hooks deleted by HookFailed. Without a
failure the hooks a successful sync deletes (HookSucceeded) are compared. Where the pinned engine predates
Argo CD v3.4.0's failure path (see oracle/README.md), the older behaviour is expected: after an apply error without
SyncFail hooks, or with one that fails to apply (the failing object, or a custom resource whose CRD is not served),
the hooks of the failing step are left out of the comparison of deletions, and once a SyncFail apply has failed no
SyncFail hook is deleted; where hooklint's account names hooks whose object goes under them (`stuck`), the
operation never ends.

Not generated: an app-level Prune=false (the pinned engine lacks the option), two objects of one kind and name
in different namespaces (the engine leaves their order to chance), and a Job or Pod failing in a final step
whose hooks the engine waits for (whether it sees the failure first is a race).

HOOKLINT_ORACLE_EXAMPLES sets the number of generated applications (300 by default); CONTRIBUTING.md says how
to run 10,000.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import os
import re
import subprocess
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hooklint.argocd import application
from hooklint.sync import whatif
from hooklint.sync.plan import Plan, Step, Task, identity
from hooklint.sync.scheduler import plan
from tests.helpers import resources
from tests.realtools.conftest import require

EXAMPLES = int(os.environ.get("HOOKLINT_ORACLE_EXAMPLES", "300"))
DIFF = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

NAMESPACE = "app"
# (apiVersion, kind, namespaced): a spread across the kind order, cluster-scoped kinds and a custom resource.
KINDS = [
    ("v1", "Namespace", False),
    ("v1", "ServiceAccount", True),
    ("v1", "Secret", True),
    ("v1", "ConfigMap", True),
    ("v1", "PersistentVolume", False),
    ("rbac.authorization.k8s.io/v1", "ClusterRole", False),
    ("rbac.authorization.k8s.io/v1", "Role", True),
    ("rbac.authorization.k8s.io/v1", "RoleBinding", True),
    ("v1", "Service", True),
    ("v1", "Pod", True),
    ("apps/v1", "Deployment", True),
    ("batch/v1", "Job", True),
    ("batch/v1", "CronJob", True),
    ("networking.k8s.io/v1", "Ingress", True),
    ("apiextensions.k8s.io/v1", "CustomResourceDefinition", False),
    ("example.com/v1", "Widget", True),
]
NAMESPACED = {kind: namespaced for _, kind, namespaced in KINDS}
HOOK = "argocd.argoproj.io/hook"
WAVE = "argocd.argoproj.io/sync-wave"
POLICY = "argocd.argoproj.io/hook-delete-policy"
OPTIONS = "argocd.argoproj.io/sync-options"
WIDGET_CRD = "widgets.example.com"


class Oracle:
    """One hooklint-oracle process for the whole module: an application in, its operations out, a line each."""

    def __init__(self, path: str) -> None:
        self.process = subprocess.Popen(
            [path], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1
        )

    def sync(self, app: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(app) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, "hooklint-oracle stopped"
        result: dict[str, Any] = json.loads(line)
        return result

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def oracle() -> Iterator[Oracle]:
    running = Oracle(require("hooklint-oracle"))
    yield running
    running.close()


def manifest(
    api: str, kind: str, name: str, namespace: str | None, annotations: dict[str, str]
) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": name}
    if namespace is not None:
        metadata["namespace"] = namespace
    if annotations:
        metadata["annotations"] = annotations
    obj: dict[str, Any] = {"apiVersion": api, "kind": kind, "metadata": metadata}
    if kind == "CustomResourceDefinition":
        obj["spec"] = {
            "group": "example.com",
            "names": {"kind": "Widget", "plural": "widgets"},
            "scope": "Namespaced",
            "versions": [{"name": "v1", "served": True, "storage": True}],
        }
    return obj


def widget_crd(annotations: dict[str, str]) -> dict[str, Any]:
    """The CustomResourceDefinition of kind Widget (example.com/v1)."""
    return manifest("apiextensions.k8s.io/v1", "CustomResourceDefinition", WIDGET_CRD, None, annotations)


# Wave annotations as written: numbers, and values Argo CD reads as wave 0 or as a number after all.
WAVES = st.one_of(st.integers(-2, 3).map(str), st.sampled_from(["1e3", " 5", "", "x", "+1", "01", "-0"]))
ARGO_TYPES = [
    "PreSync",
    "Sync",
    "PostSync",
    "SyncFail",
    "Skip",
    "PreDelete",
    "PostDelete",
    "presync",
    "Bogus",
]
HELM_TYPES = [
    "pre-install",
    "post-install",
    "pre-upgrade",
    "post-upgrade",
    "pre-delete",
    "test",
    "crd-install",
]
HELM_HOOK = "helm.sh/hook"
HELM_WEIGHT = "helm.sh/hook-weight"


@st.composite
def hook_annotations(draw: st.DrawFn) -> dict[str, str]:
    annotations: dict[str, str] = {}
    if draw(st.booleans()):
        types = draw(st.lists(st.sampled_from(ARGO_TYPES), min_size=1, max_size=2, unique=True))
        annotations[HOOK] = draw(st.sampled_from([",", ", "])).join(types)
        policy = draw(st.sampled_from([None, "HookSucceeded", "BeforeHookCreation", "HookFailed"]))
        if policy is not None:
            annotations[POLICY] = policy
    else:
        types = draw(st.lists(st.sampled_from(HELM_TYPES), min_size=1, max_size=2, unique=True))
        annotations[HELM_HOOK] = ",".join(types)
        weight = draw(st.one_of(st.none(), WAVES))
        if weight is not None:
            annotations[HELM_WEIGHT] = weight
    return annotations


@st.composite
def objects(draw: st.DrawFn, *, live: bool) -> dict[str, Any]:
    api, kind, _ = draw(st.sampled_from(KINDS))
    name = WIDGET_CRD if kind == "CustomResourceDefinition" else draw(st.sampled_from(["a", "b", "c"]))
    # Cluster-scoped kinds get a namespace too: the controller clears it before the sync (issue 16's seventh).
    # "a" is also a Namespace the application may hold, which pulls that Namespace forward.
    namespace = draw(st.sampled_from([None, NAMESPACE, "other", "a"]))
    annotations: dict[str, str] = {}
    wave = draw(st.one_of(st.none(), WAVES))
    if wave is not None:
        annotations[WAVE] = wave
    if not live and kind != "Namespace" and draw(st.booleans()):
        annotations.update(draw(hook_annotations()))
    if live:
        option = draw(st.sampled_from([None, "PruneLast=true", "Prune=false"]))
        if option is not None:
            annotations[OPTIONS] = option
    obj = manifest(api, kind, name, namespace, annotations)
    if runs_as_hook(annotations) and kind != "CustomResourceDefinition" and draw(st.booleans()):
        del obj["metadata"]["name"]
        # Half of them keep neither name nor generateName: the engine names those itself (issue 16's fifth).
        if draw(st.booleans()):
            obj["metadata"]["generateName"] = f"{name}-"
    return obj


SYNC_PHASES = {"PreSync", "Sync", "PostSync", "SyncFail"}


def runs_as_hook(annotations: dict[str, str]) -> bool:
    """An Argo CD hook of sync phases only: what a generateName or a custom resource can rely on."""
    types = {part.strip() for part in annotations.get(HOOK, "").split(",")}
    return HOOK in annotations and HELM_HOOK not in annotations and types <= SYNC_PHASES


def key(obj: dict[str, Any]) -> tuple[str, str, str]:
    kind = obj["kind"]
    namespace = obj["metadata"].get("namespace") or NAMESPACE if NAMESPACED.get(kind, True) else ""
    return (kind, obj["metadata"].get("name") or obj["metadata"].get("generateName", ""), namespace)


@st.composite
def applications(draw: st.DrawFn) -> dict[str, Any]:
    seen: set[tuple[str, str, str]] = set()
    # The engine's sort does not order two objects of one kind and name in different namespaces (its
    # comparator ends at the name, and Go's sort is not stable), so where a Namespace pull splits them its order
    # changes from run to run: one name per kind among the manifests.
    named: set[tuple[str, str]] = set()
    manifests: list[dict[str, Any]] = []
    for obj in draw(st.lists(objects(live=False), max_size=7)):
        kind_name = (obj["kind"], obj["metadata"].get("name") or obj["metadata"].get("generateName", ""))
        if key(obj) not in seen and kind_name not in named:
            seen.add(key(obj))
            named.add(kind_name)
            manifests.append(obj)
    live: list[dict[str, Any]] = []
    for obj in draw(st.lists(objects(live=True), max_size=3)):
        annotations = obj["metadata"].pop("annotations", {})
        annotations.pop(WAVE, None)
        prune_wave = draw(st.one_of(st.none(), st.integers(-2, 3)))
        if prune_wave is not None:
            annotations[WAVE] = str(prune_wave)
        if annotations:
            obj["metadata"]["annotations"] = annotations
        if key(obj) not in seen and obj["kind"] not in ("CustomResourceDefinition", "Widget"):
            seen.add(key(obj))
            obj["metadata"].setdefault("namespace", NAMESPACE if NAMESPACED[obj["kind"]] else None)
            if obj["metadata"]["namespace"] is None:
                del obj["metadata"]["namespace"]
            live.append(obj)
    options = draw(
        st.lists(
            st.sampled_from(["CreateNamespace=true", "PruneLast=true", "ApplyOutOfSyncOnly=true"]),
            unique=True,
        )
    )
    crds = [obj for obj in manifests if obj["kind"] == "CustomResourceDefinition"]
    annotations = crds[0]["metadata"].get("annotations", {}) if crds else {}
    # A CRD only in SyncFail, PreDelete or PostDelete, or dropped, is not there for the Widget; the engine then
    # fails the sync on the Widget's unknown kind.
    applied = HELM_HOOK not in annotations and (
        HOOK not in annotations or (runs_as_hook(annotations) and annotations[HOOK].strip() != "SyncFail")
    )
    if not crds or not applied:
        # A custom resource whose CRD is neither in the cluster nor in the application fails the sync.
        manifests = [obj for obj in manifests if obj["kind"] != "Widget"]
    # Objects already in the cluster as Git has them: ApplyOutOfSyncOnly=true leaves them out.
    plain = [obj for obj in manifests if HOOK not in obj["metadata"].get("annotations", {})]
    plain = [obj for obj in plain if HELM_HOOK not in obj["metadata"].get("annotations", {})]
    in_sync = [copy.deepcopy(obj) for obj in plain if draw(st.booleans())] if plain else []
    # Unchanged objects still count in PruneLast and still pull their Namespace or CRD forward
    # (test_prune_last_counts_the_waves_of_unchanged_objects and the test after it below).
    for obj in in_sync:
        if NAMESPACED[obj["kind"]]:
            obj["metadata"].setdefault("namespace", NAMESPACE)
        else:
            obj["metadata"].pop("namespace", None)
    app: dict[str, Any] = {
        "name": "app",
        "namespace": NAMESPACE,
        "manifests": manifests,
        "live": [*live, *in_sync],
        "in_sync": in_sync,  # not read by the oracle: hooklint is told which live objects are unchanged
        "syncOptions": options,
        "prune": True,
    }
    # One injected failure in a third of the applications: an apply error, or a Job or Pod that ends Failed.
    named_objs = [obj for obj in manifests if obj["metadata"].get("name")]
    if named_objs and draw(st.sampled_from([False, False, True])):
        failing = draw(st.sampled_from(named_objs))
        app["fail"] = f"{failing['kind']}/{failing['metadata']['name']}"
        app["failHealth"] = failing["kind"] in ("Job", "Pod") and draw(st.booleans())
    return app


def yaml_of(objs: list[dict[str, Any]]) -> str:
    return "".join("---\n" + json.dumps(obj) + "\n" for obj in objs)


def hooklint_plan(app: dict[str, Any]) -> Plan:
    spec = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {"name": app["name"]},
        "spec": {
            "destination": {"namespace": app["namespace"]},
            "syncPolicy": {"syncOptions": app["syncOptions"]},
        },
    }
    settings_ = application.read(resources(yaml_of([spec]), "application.yaml")[0])
    gone = [obj for obj in app["live"] if obj not in app.get("in_sync", [])]
    pruned = resources(yaml_of(gone), "live.yaml") if gone else ()
    unchanged = resources(yaml_of(app["in_sync"]), "unchanged.yaml") if app.get("in_sync") else ()
    in_sync = frozenset(identity(resource, app["namespace"]) for resource in unchanged)
    return plan(
        resources(yaml_of(app["manifests"])), app["namespace"], app=settings_, pruned=pruned, in_sync=in_sync
    )


Runs = list[tuple[str, list[str]]]
# A step: phase, wave, its prunes, its applies as runs of one kind, the hooks it deletes before it re-creates them.
Shape = list[tuple[str, int | None, list[str], Runs, list[str]]]


def runs(idents: list[tuple[str, str]]) -> Runs:
    """Consecutive applies of one kind as (kind, sorted names): the engine applies such a run concurrently."""
    grouped: Runs = []
    for kind, name in idents:
        if grouped and grouped[-1][0] == kind:
            grouped[-1][1].append(name)
        else:
            grouped.append((kind, [name]))
    return [(kind, sorted(names)) for kind, names in grouped]


# The engine names a generateName hook <generateName><revision[:7]>-<phase>-<start time>; hooklint by its
# generateName.
GENERATED = re.compile(r"^(.*)0123456-[a-z]+-1700000000$")


def ident(kind: str, name: str, namespace: str) -> tuple[str, str]:
    generated = GENERATED.match(name)
    if generated:
        name = generated.group(1)
    return (kind, f"{namespace}/{name}" if NAMESPACED.get(kind, True) else name)


def label(kind: str, name: str, namespace: str) -> str:
    return f"{kind}/{ident(kind, name, namespace)[1]}"


def hooklint_shape(steps: Sequence[Step], sync_fail: Sequence[Task] = ()) -> Shape:
    shape: Shape = []
    for number, step in enumerate(steps):
        applies = list(step.tasks)
        if number == 0 and applies and applies[0].synthetic:
            # CreateNamespace=true's Namespace, which the engine makes before anything else.
            shape.append(("namespace", None, [], [("Namespace", [applies[0].name])], []))
            applies = applies[1:]
        prunes = sorted(label(t.kind, t.name, t.namespace) for t in step.prunes)
        recreated = sorted(label(t.kind, t.name, t.namespace) for t in step.recreated)
        if applies or prunes:
            shape.append(
                (
                    step.phase,
                    step.wave,
                    prunes,
                    runs([ident(t.kind, t.name, t.namespace) for t in applies]),
                    recreated,
                )
            )
    if sync_fail:
        # The SyncFail hooks start together, outside any wave.
        shape.append(
            ("SyncFail", None, [], runs([ident(t.kind, t.name, t.namespace) for t in sync_fail]), [])
        )
    return shape


def oracle_shape(result: dict[str, Any]) -> Shape:
    """The engine's operations as steps. A Sync() call runs one step, except that a step which first deletes hooks
    (BeforeHookCreation) waits for the deletion and applies in the next call; the Namespace CreateNamespace=true
    makes before the dry run is a step of its own. The engine reports no wave for a step whose apply failed, nor
    for the SyncFail hooks that start then."""
    shape: Shape = []
    previous: tuple[int, str, int | None] | None = None
    deleting: set[int] = set()  # calls that deleted hooks before creating them, so their step goes on
    for op in result["operations"]:
        phase, wave = ("namespace", None) if before_dry_run(op) else (op["phase"], op["wave"])
        if op["op"] == "delete" and op["wave"] is None:
            continue  # a delete policy at the end of the operation (oracle_deleted)
        if op["op"] not in ("apply", "apply-failed", "prune", "delete"):
            continue
        current = (op["call"], phase, wave)
        same_call = previous is not None and previous == current
        continued = (
            previous is not None
            and previous[0] in deleting
            and previous[1] == phase
            and wave in (previous[2], None)
        )
        if not (same_call or continued):
            shape.append((phase, wave, [], [], []))
        elif wave is None and shape[-1][1] is not None:
            shape[-1] = (phase, None, *shape[-1][2:])
        previous = current
        what = label(op["kind"], op["name"], op["namespace"])
        if op["op"] == "delete":
            deleting.add(op["call"])
            shape[-1][4].append(what)
        elif op["op"] == "prune":
            shape[-1][2].append(what)
        else:
            shape[-1][3].append(ident(op["kind"], op["name"], op["namespace"]))  # type: ignore[arg-type]
    return [
        (phase, wave, sorted(prunes), runs(applies), sorted(deleted))  # type: ignore[arg-type]
        for phase, wave, prunes, applies, deleted in shape
    ]


def before_dry_run(op: dict[str, Any]) -> bool:
    """The Namespace CreateNamespace=true makes in the first call, before the dry run (or alone, with nothing to
    dry-run)."""
    destination = (op["call"], op["kind"], op["name"], op["wave"]) == (1, "Namespace", NAMESPACE, None)
    return op["phase"] == "BeforeDryRun" or (op["op"] == "apply" and destination)


def oracle_deleted(result: dict[str, Any]) -> list[str]:
    """The hooks the engine deleted by their delete policies once the steps were over."""
    return sorted(
        label(op["kind"], op["name"], op["namespace"])
        for op in result["operations"]
        if op["op"] == "delete" and op["wave"] is None
    )


def labels(tasks: Sequence[Task]) -> list[str]:
    return sorted(label(t.kind, t.name, t.namespace) for t in tasks)


@DIFF
@given(app=applications())
def test_hooklint_plans_what_the_sync_engine_does(oracle: Oracle, app: dict[str, Any]) -> None:
    check(oracle, app)


def check(oracle: Oracle, app: dict[str, Any]) -> None:
    result = oracle.sync(app)
    the_plan = hooklint_plan(app)
    failure = expected_failure(the_plan, app)
    if failure is None:
        assert result["phase"] == "Succeeded", result["message"]
        assert hooklint_shape(the_plan.steps) == oracle_shape(result)
        assert labels(the_plan.deleted_on_success) == oracle_deleted(result)
        return
    assert failure.step is not None
    steps = list(failure.plan.steps[: failure.step + 1])
    if not app["failHealth"]:
        # The engine calls its wave hook only for a step that applied without error.
        steps[-1] = dataclasses.replace(steps[-1], wave=None)  # type: ignore[arg-type]
    if failure.stuck:
        # The pinned engine predates v3.4.0: the operation never ends. The SyncFail hooks were applied in the
        # failing call unless one had an object to delete first, and then in the next one only if no hook of the
        # failing step waits for ever already; nothing is deleted after the call that applied them.
        assert (result["phase"], result["message"]) == ("Running", failure.waiting)
        waiting = any(t.phase != "SyncFail" for t in failure.stuck)
        assert hooklint_shape(
            steps, () if failure.recreated and waiting else failure.sync_fail
        ) == oracle_shape(result)
        deleted = list(failure.deleted)
        if not app["failHealth"] and (waiting or not failure.recreated):
            deleted = [t for t in deleted if failure.plan.step_index(t) != failure.step]
        assert labels([*deleted, *failure.recreated]) == oracle_deleted(result)
        return
    assert result["phase"] == "Failed", result["message"]
    assert hooklint_shape(steps, failure.sync_fail) == oracle_shape(result)
    deleted = list(failure.deleted)
    deleted_later = list(failure.deleted_later)
    at_once = not failure.sync_fail or (failure.sync_fail_failed and not failure.recreated)
    if not app["failHealth"] and at_once:
        # The pinned engine fails an apply error at once when no SyncFail hook starts, or when a SyncFail hook fails
        # to apply (the failing object's own, or a custom resource whose CRD is not served) in the failing call:
        # before the step's new hooks have completed, so it deletes none of them. Argo CD v3.4.0+ waits for them
        # first (docs/argocd.md#failure-and-syncfail). A SyncFail hook with an object to delete first puts the
        # SyncFail applies into the next call, after a second round of deletions.
        deleted = [t for t in deleted if failure.plan.step_index(t) != failure.step]
    if failure.sync_fail_failed:
        # Nor, having ended the operation in the call that applied the SyncFail hooks, does the pinned engine delete
        # those with HookFailed once they complete; Argo CD v3.4.0+ does (executeSyncFailPhase).
        deleted_later = []
    assert labels([*deleted, *deleted_later, *failure.recreated]) == oracle_deleted(result)


def expected_failure(the_plan: Plan, app: dict[str, Any]) -> whatif.Failure | None:
    """hooklint's account of the application's injected failure, or None where the sync succeeds all the same."""
    if not app.get("fail"):
        return None
    try:
        failing = whatif.find(app["fail"], the_plan)
        failure = whatif.fail(the_plan, failing, apply_error=not app["failHealth"])
    except whatif.WhatIfError:
        return None  # never applied by the sync (a SyncFail hook, Skip, unchanged, ...)
    if app["failHealth"] and not failure.waited:
        assert failure.failing is not None
        # Not waited for in its step: the sync ends without looking at it. Where the step's hooks are waited for
        # instead, the engine may see the failure first, a race the oracle's instant failure always wins.
        assume(not failure.failing.gated)
        return None
    return failure


def configmap(name: str, wave: int, hook: str | None = None) -> dict[str, Any]:
    annotations = {WAVE: str(wave), **({HOOK: hook} if hook else {})}
    return manifest("v1", "ConfigMap", name, NAMESPACE, annotations)


def app_of(manifests: list[dict[str, Any]], live: list[dict[str, Any]], options: list[str]) -> dict[str, Any]:
    return {
        "name": "app",
        "namespace": NAMESPACE,
        "manifests": manifests,
        "live": live,
        "syncOptions": options,
        "prune": True,
    }


def test_prunes_of_an_earlier_wave_are_re_swapped_once_the_first_are_gone(oracle: Oracle) -> None:
    # The engine reverses the prune waves on every Sync() call over the prunes still live
    # (sync_context.go, getSyncTasks): once p3 (wave 3, swapped to 1) is gone, p1 is alone and keeps wave 1, so
    # it is pruned before `kept` (wave 2) is applied. hooklint swaps once and prunes p1 in wave 3.
    check(oracle, app_of([configmap("kept", 2)], [configmap("p1", 1), configmap("p3", 3)], []))


def test_create_namespace_comes_before_presync_hooks_of_negative_waves(oracle: Oracle) -> None:
    # The engine creates the destination namespace in the first Sync() call before the dry run
    # (sync_context.go, Sync and getNamespaceCreationTask), so before a PreSync hook of wave -1; hooklint plans
    # it as a PreSync wave 0 task after that hook.
    hook = configmap("pre", -1, "PreSync")
    hook["metadata"]["namespace"] = (
        "other"  # in the destination namespace, hooklint pulls the Namespace forward
    )
    check(oracle, app_of([hook], [], ["CreateNamespace=true"]))


def test_a_crd_hook_pulled_into_its_other_phase_is_not_applied_twice(oracle: Oracle) -> None:
    # A CRD hook of types Sync and PostSync has two tasks. The Widget in Sync wave 1 pulls the PostSync one into
    # Sync wave 1 (sync_tasks.go, adjustDeps); its result key (kind, namespace, name, phase) is now that of the
    # Sync task, which has completed, so the engine never applies it again. hooklint applies the CRD a second
    # time in Sync wave 1.
    crd = widget_crd({HOOK: "Sync,PostSync"})
    widget = manifest("example.com/v1", "Widget", "a", None, {WAVE: "1"})
    check(oracle, app_of([crd, widget], [], []))


def test_prune_last_counts_the_waves_of_unchanged_objects(oracle: Oracle) -> None:
    # Under ApplyOutOfSyncOnly the engine drops unchanged objects only when it runs a step
    # (sync_context.go, Sync and filterOutOfSyncTasks), after getSyncTasks has set the PruneLast wave from every
    # Sync-phase task: `same` (wave 4, unchanged) makes it 5. hooklint leaves `same` out first and prunes in wave
    # 2. The order is the same; the wave hooklint shows is not the engine's.
    same = configmap("same", 4)
    app = app_of(
        [configmap("new", 1), same],
        [configmap("gone", 0), same],
        ["PruneLast=true", "ApplyOutOfSyncOnly=true"],
    )
    app["in_sync"] = [same]
    check(oracle, app)


def test_an_unchanged_custom_resource_still_pulls_its_crd_forward(oracle: Oracle) -> None:
    # Under ApplyOutOfSyncOnly the engine sorts and pulls dependencies (sync_tasks.go, adjustDeps) before it
    # drops unchanged objects, so the unchanged Widget still pulls the PostSync CRD hook into Sync wave 0.
    # hooklint drops the Widget first and applies the CRD in PostSync.
    crd = widget_crd({HOOK: "PostSync"})
    widget = manifest("example.com/v1", "Widget", "a", NAMESPACE, {})
    app = app_of([crd, widget], [widget], ["ApplyOutOfSyncOnly=true"])
    app["in_sync"] = [widget]
    check(oracle, app)


def test_prunes_of_two_waves_beside_a_hook_of_two_phases(oracle: Oracle) -> None:
    # Found by a 10,000-application run: live Namespaces a (wave 0) and b (wave 1) gone from Git, and a
    # ServiceAccount hook of PreSync and Sync. The Sync wave 0 step prunes b (swapped to wave 0) and, finding the
    # hook object its PreSync run left, deletes it (BeforeHookCreation) and ends the call (sync_context.go,
    # runTasks). The next call swaps again over a alone, which now keeps wave 0, so the same step prunes a and
    # then applies the hook. hooklint pruned a in a Sync wave 0 step of its own after the hook.
    hook = manifest("v1", "ServiceAccount", "a", None, {HOOK: "PreSync,Sync"})
    live = [manifest("v1", "Namespace", "a", None, {}), manifest("v1", "Namespace", "b", None, {WAVE: "1"})]
    check(oracle, app_of([hook], live, []))


def test_an_unnamed_hook_of_two_phases_leaves_two_objects_for_hook_succeeded(oracle: Oracle) -> None:
    # The engine names an unnamed hook once per phase (sync_context.go, getSyncTasks), so a PreSync,Sync hook
    # makes two objects and a successful sync deletes both (HookSucceeded). hooklint counted one object.
    hook = manifest("v1", "ServiceAccount", "a", None, {HOOK: "PreSync,Sync", POLICY: "HookSucceeded"})
    del hook["metadata"]["name"]
    check(oracle, app_of([hook], [], []))


def test_an_apply_error_beside_a_hook_of_two_phases(oracle: Oracle) -> None:
    # Namespace a fails to apply in Sync wave 0, where the PreSync,Sync hook was first deleted (BeforeHookCreation)
    # and is applied again: the step, its deletion and both applies as hooklint's account of the failure has them.
    hook = manifest("v1", "ServiceAccount", "a", None, {HOOK: "PreSync,Sync"})
    app = app_of([manifest("v1", "Namespace", "a", None, {}), hook], [], [])
    app.update({"fail": "Namespace/a", "failHealth": False})
    check(oracle, app)


def test_a_syncfail_hook_deletes_the_object_its_presync_run_left(oracle: Oracle) -> None:
    # A named PreSync,SyncFail hook: after the failure its SyncFail task finds the PreSync object and deletes it
    # before applying it again (BeforeHookCreation, sync_context.go runTasks).
    hook = manifest("v1", "ServiceAccount", "a", None, {HOOK: "PreSync,SyncFail"})
    app = app_of([manifest("v1", "Namespace", "a", None, {}), hook], [], [])
    app.update({"fail": "Namespace/a", "failHealth": False})
    check(oracle, app)


@pytest.mark.parametrize("health", [False, True], ids=["apply-error", "job-failed"])
def test_a_failing_job_hook_starts_the_syncfail_hooks_and_deletes_hook_failed_ones(
    oracle: Oracle, health: bool
) -> None:
    # The PreSync Job fails (its apply, or the Job itself): nothing later runs, the SyncFail hooks start together,
    # and every hook with HookFailed that ran is deleted, the SyncFail ones once they complete
    # (sync_context.go, Sync and setOperationFailed).
    ok = manifest("v1", "ConfigMap", "ok", None, {HOOK: "PreSync", WAVE: "-1", POLICY: "HookFailed"})
    job = manifest("batch/v1", "Job", "migrate", None, {HOOK: "PreSync", POLICY: "HookFailed"})
    later = manifest("v1", "ConfigMap", "later", None, {})
    cleanup = manifest("v1", "Pod", "cleanup", None, {HOOK: "SyncFail", POLICY: "HookFailed"})
    report = manifest("v1", "ConfigMap", "report", None, {HOOK: "SyncFail"})
    app = app_of([ok, job, later, cleanup, report], [], [])
    app.update({"fail": "Job/migrate", "failHealth": health})
    check(oracle, app)


def test_a_syncfail_hook_applied_in_the_call_its_other_phase_was(oracle: Oracle) -> None:
    # Found by the differential test: the PreSync CronJob fails to apply in the step that applies the
    # PreSync,SyncFail Ingress, and the SyncFail Ingress starts in that same call: two applies of one object, one
    # for each phase, with no deletion between (the engine read the live objects before the step applied it).
    cronjob = manifest("batch/v1", "CronJob", "a", None, {HELM_HOOK: "pre-install"})
    ingress = manifest("networking.k8s.io/v1", "Ingress", "a", None, {HOOK: "PreSync,SyncFail"})
    app = app_of([cronjob, ingress], [manifest("v1", "Namespace", "a", None, {})], [])
    app.update({"fail": "CronJob/a", "failHealth": False})
    check(oracle, app)


@pytest.mark.parametrize("types", ["PreSync,SyncFail", "PreSync,Sync"])
def test_an_apply_error_deletes_the_hook_failed_object_an_earlier_phase_left(
    oracle: Oracle, types: str
) -> None:
    # Found by the differential test: Namespace a fails to apply in Sync wave 0; the hook's object, left by its
    # PreSync run, is deleted by HookFailed as the failure is handled, in the same call as the SyncFail apply.
    hook = manifest("v1", "ServiceAccount", "a", None, {HOOK: types, POLICY: "HookFailed"})
    app = app_of([manifest("v1", "Namespace", "a", None, {}), hook], [], [])
    app.update({"fail": "Namespace/a", "failHealth": False})
    check(oracle, app)


def test_an_apply_error_fails_the_syncfail_apply_of_the_same_object(oracle: Oracle) -> None:
    # Found by the differential test: the PreSync,SyncFail hook itself fails to apply, so its SyncFail apply fails
    # too and no object of it is ever created for HookFailed to delete.
    hook = manifest("v1", "ServiceAccount", "a", None, {HOOK: "PreSync,SyncFail", POLICY: "HookFailed"})
    app = app_of([hook, manifest("v1", "ServiceAccount", "b", None, {})], [], [])
    app.update({"fail": "ServiceAccount/a", "failHealth": False})
    check(oracle, app)


def test_a_prune_beside_an_apply_error_keeps_its_own_phase(oracle: Oracle) -> None:
    # Found by a 10,000-application run: the live ServiceAccount app/a is pruned in the step where Namespace a
    # fails to apply, beside a PreSync hook named a in another namespace. The oracle took the phase of the prune
    # from the hook's result, matched by kind and name alone; results are matched by namespace too now.
    hook = manifest("v1", "ServiceAccount", "a", "other", {"helm.sh/hook": "pre-install"})
    app = app_of(
        [manifest("v1", "Namespace", "a", None, {}), hook],
        [manifest("v1", "ServiceAccount", "a", "app", {})],
        [],
    )
    app.update({"fail": "Namespace/a", "failHealth": False})
    check(oracle, app)


def test_a_hook_of_sync_and_syncfail_with_hook_failed_beside_an_apply_error(oracle: Oracle) -> None:
    # Found by a 10,000-application run: Namespace a fails to apply in the step of the Sync,SyncFail hook a, whose
    # only policy is HookFailed. The Sync task makes the object, the SyncFail task applies it again in the same
    # call (its live object was read before), and the next call's HookFailed deletion removes the one object once
    # (sync_context.go, Sync: both tasks are in hooksPendingDeletionFailed, the second delete is "not found").
    crd = widget_crd({})
    hook = manifest("v1", "ServiceAccount", "a", None, {HOOK: "Sync,SyncFail", POLICY: "HookFailed"})
    app = app_of([manifest("v1", "Namespace", "a", None, {}), crd, hook], [], [])
    app.update({"fail": "Namespace/a", "failHealth": False})
    the_plan = hooklint_plan(app)
    failure = whatif.fail(the_plan, whatif.find("Namespace/a", the_plan), apply_error=True)
    assert (labels(failure.deleted), labels(failure.deleted_later)) == (["ServiceAccount/app/a"], [])
    assert oracle_deleted(oracle.sync(app)) == ["ServiceAccount/app/a"]
    check(oracle, app)


def test_an_apply_error_beside_a_hook_failed_hook_of_two_phases_and_a_syncfail_hook(oracle: Oracle) -> None:
    # Found by the same run: the pinned engine (Argo CD before v3.4.0) never ends this operation. In Sync wave 0
    # the Sync task of a applies the object a's PreSync run left, Namespace a fails, and HookFailed deletes that
    # object in the same call (sync_context.go, Sync: hooksPendingDeletionFailed was read at the call's start);
    # the SyncFail hook b deletes its PreSync object first (BeforeHookCreation) and waits. From then on a's Sync
    # result stays Running with no object to check, so every call waits for it (Sync, runningTasks).
    a = manifest("v1", "ServiceAccount", "a", None, {HOOK: "PreSync,Sync", POLICY: "HookFailed"})
    b = manifest("v1", "ServiceAccount", "b", None, {HOOK: "PreSync,SyncFail"})
    app = app_of([manifest("v1", "Namespace", "a", None, {}), a, b], [], [])
    app.update({"fail": "Namespace/a", "failHealth": False})
    the_plan = hooklint_plan(app)
    failure = whatif.fail(the_plan, whatif.find("Namespace/a", the_plan), apply_error=True)
    assert [(t.label, t.phase) for t in failure.stuck] == [("ServiceAccount/a", "Sync")]
    result = oracle.sync(app)
    assert (result["phase"], result["message"]) == (
        "Running",
        "waiting for completion of hook /ServiceAccount/a",
    )
    assert oracle_deleted(result) == ["ServiceAccount/app/a", "ServiceAccount/app/b"]
    check(oracle, app)


def test_the_syncfail_apply_of_a_hook_whose_sync_apply_failed(oracle: Oracle) -> None:
    # Found by the differential test in CI: hook b of Sync and SyncFail fails to apply, so its SyncFail apply fails
    # too, in the next call. The oracle gave that apply the phase of b's Sync result, taken already by the
    # earlier call; a result stands for one apply across calls now.
    m = [
        manifest("v1", "Namespace", "a", None, {}),
        manifest("v1", "ServiceAccount", "a", None, {}),
        manifest("v1", "ServiceAccount", "b", None, {HOOK: "Sync,SyncFail"}),
        widget_crd({HOOK: "PreSync,SyncFail"}),
    ]
    app = app_of(m, [], [])
    app.update({"fail": "ServiceAccount/b", "failHealth": False})
    check(oracle, app)


def test_a_crd_hook_and_a_custom_resource_hook_both_deleted_on_success(oracle: Oracle) -> None:
    # Found by a 10,000-application run: a CRD and a Widget are both PreSync hooks with HookSucceeded. The engine
    # deletes both at the end, the CRD first (sync_context.go, deleteHooks walks the sorted tasks). The simulated
    # cluster used to drop the Widget's kind with its CRD, so the Widget's deletion found no kind and counted as
    # "not found"; a real API server keeps serving the kind while the CRD terminates (oracle/README.md).
    crd = widget_crd({HOOK: "PreSync", POLICY: "HookSucceeded"})
    widget = manifest("example.com/v1", "Widget", "a", None, {HOOK: "PreSync", POLICY: "HookSucceeded"})
    app = app_of([crd, widget], [], [])
    assert oracle_deleted(oracle.sync(app)) == [
        "CustomResourceDefinition/widgets.example.com",
        "Widget/app/a",
    ]
    check(oracle, app)


def test_an_unchanged_custom_resource_is_applied_again_once_its_crd_hook_is_re_created(
    oracle: Oracle,
) -> None:
    # Found by a 10,000-application run: the PreSync,Sync CRD hook (BeforeHookCreation by default) is deleted in
    # Sync wave 0 before it is applied again, and the API server deletes the unchanged Widget with it; the next
    # call finds the Widget gone, so ApplyOutOfSyncOnly no longer leaves it out (sync_context.go,
    # filterOutOfSyncTasks skips only objects that exist) and the step applies it beside the CRD.
    crd = widget_crd({HOOK: "PreSync,Sync"})
    widget = manifest("example.com/v1", "Widget", "a", NAMESPACE, {})
    app = app_of([crd, widget], [widget], ["ApplyOutOfSyncOnly=true"])
    app["in_sync"] = [widget]
    the_plan = hooklint_plan(app)
    assert [[t.label for t in step.tasks] for step in the_plan.steps] == [
        ["CustomResourceDefinition/widgets.example.com"],
        ["CustomResourceDefinition/widgets.example.com", "Widget/a"],
    ]
    assert [n.reason for n in the_plan.not_applied] == []
    check(oracle, app)


def test_a_hook_made_in_the_failing_step_is_deleted_twice_when_a_syncfail_re_creation_comes_first(
    oracle: Oracle,
) -> None:
    # The Job b of PreSync,SyncFail must first delete its PreSync object (BeforeHookCreation), so the failing call
    # applies no SyncFail hook; the next call deletes ServiceAccount a (HookFailed) and then applies both SyncFail
    # hooks, and a is deleted again once they complete (sync_context.go, setOperationFailed and runTasks).
    hook = manifest("v1", "ServiceAccount", "a", None, {HOOK: "Sync,SyncFail", POLICY: "HookFailed"})
    job = manifest("batch/v1", "Job", "b", None, {HOOK: "PreSync,SyncFail"})
    app = app_of([manifest("v1", "Namespace", "a", None, {}), hook, job], [], [])
    app.update({"fail": "Namespace/a", "failHealth": False})
    assert oracle_deleted(oracle.sync(app)) == ["Job/app/b", "ServiceAccount/app/a", "ServiceAccount/app/a"]
    check(oracle, app)


def test_an_apply_error_of_a_syncfail_hook_ends_the_sync_before_its_step_s_hooks_are_deleted(
    oracle: Oracle,
) -> None:
    # Found by a 10,000-application run: ServiceAccount b of PreSync,SyncFail fails to apply in PreSync, so its
    # SyncFail apply fails too and the pinned engine ends the operation in that call (setOperationFailed), before
    # the unnamed HookFailed hook of the same step has completed: nothing is deleted. Argo CD v3.4.0+ goes on
    # to the next call and deletes that hook (executeSyncFailPhase ignores the failed SyncFail apply).
    unnamed = manifest("v1", "ServiceAccount", "x", None, {HOOK: "PreSync", POLICY: "HookFailed"})
    del unnamed["metadata"]["name"]
    b = manifest("v1", "ServiceAccount", "b", None, {HOOK: "PreSync,SyncFail"})
    app = app_of([unnamed, b], [], [])
    app.update({"fail": "ServiceAccount/b", "failHealth": False})
    the_plan = hooklint_plan(app)
    failure = whatif.fail(the_plan, whatif.find("ServiceAccount/b", the_plan), apply_error=True)
    assert labels(failure.deleted) == ["ServiceAccount/app/"]
    assert oracle_deleted(oracle.sync(app)) == []
    check(oracle, app)


def test_the_syncfail_run_of_a_pod_whose_presync_run_ended_failed(oracle: Oracle) -> None:
    # Found by a 10,000-application run: Pod a of PreSync,SyncFail ends Failed in PreSync; its SyncFail run
    # deletes that Pod (BeforeHookCreation) and applies it again. The oracle gave that apply the phase of the
    # failed PreSync result; an apply now takes only a result its own call started (running, or failed to apply).
    pod = manifest("v1", "Pod", "a", None, {HOOK: "PreSync,SyncFail"})
    app = app_of([pod], [manifest("v1", "Namespace", "a", None, {})], [])
    app.update({"fail": "Pod/a", "failHealth": True})
    result = oracle.sync(app)
    assert [(op["op"], op["phase"]) for op in result["operations"] if op["kind"] == "Pod"] == [
        ("apply", "PreSync"),
        ("delete", "PreSync"),  # a deletion belongs to the object: the first result of it
        ("apply", "SyncFail"),
    ]
    check(oracle, app)


def test_a_custom_resource_syncfail_hook_fails_to_apply_before_its_crd_was_applied(oracle: Oracle) -> None:
    # Found by the differential test: Namespace a fails to apply in Sync wave 0, so the CRD of wave 1 is never
    # applied, and the Widget hook of PostSync and SyncFail is applied as a SyncFail hook of a kind the API server
    # does not know: the apply fails (no mapping for the kind), no Widget is ever created, and HookFailed has
    # nothing to delete. The simulated cluster used to accept any kind; it refuses unknown ones now.
    crd = widget_crd({WAVE: "1"})
    widget = manifest(
        "example.com/v1", "Widget", "a", None, {HOOK: "PostSync,SyncFail", POLICY: "HookFailed"}
    )
    app = app_of([manifest("v1", "Namespace", "a", None, {}), crd, widget], [], [])
    app.update({"fail": "Namespace/a", "failHealth": False})
    result = oracle.sync(app)
    assert [(op["op"], op["kind"], op["phase"]) for op in result["operations"]] == [
        ("apply-failed", "Namespace", "Sync"),
        ("apply-failed", "Widget", "SyncFail"),
    ]
    the_plan = hooklint_plan(app)
    failure = whatif.fail(the_plan, whatif.find("Namespace/a", the_plan), apply_error=True)
    assert ([t.label for t in failure.sync_fail_failed], failure.deleted_later) == (["Widget/a"], ())
    check(oracle, app)


def test_a_custom_resource_syncfail_hook_is_not_created_while_its_crd_terminates(oracle: Oracle) -> None:
    # The PreSync CRD hook with HookFailed is deleted as the failure of Namespace a is handled, just before the
    # SyncFail Widget is applied in the same call: the CRD is terminating, and the API server forbids creating
    # an object of its kind (apiextensions-apiserver, forbidCreateAdmission). The simulated cluster used to create
    # it, then lose it with the CRD, and the operation waited for that hook for ever.
    crd = widget_crd({HOOK: "PreSync", POLICY: "HookFailed"})
    widget = manifest("example.com/v1", "Widget", "a", None, {HOOK: "SyncFail"})
    app = app_of([manifest("v1", "Namespace", "a", None, {}), crd, widget], [], [])
    app.update({"fail": "Namespace/a", "failHealth": False})
    result = oracle.sync(app)
    assert result["phase"] == "Failed"
    assert ("apply-failed", "Widget", "SyncFail") in [
        (op["op"], op["kind"], op["phase"]) for op in result["operations"]
    ]
    the_plan = hooklint_plan(app)
    failure = whatif.fail(the_plan, whatif.find("Namespace/a", the_plan), apply_error=True)
    assert [t.label for t in failure.sync_fail_failed] == ["Widget/a"]
    check(oracle, app)


def test_a_failed_syncfail_apply_ends_the_operation_before_the_other_syncfail_hooks_are_deleted(
    oracle: Oracle,
) -> None:
    # ServiceAccount b of PreSync and SyncFail fails to apply, its SyncFail apply too; the pinned engine ends the
    # operation in that call (setOperationFailed), so the SyncFail ConfigMap c it applied beside is never deleted
    # by HookFailed. Argo CD v3.4.0+ waits for c and deletes it (executeSyncFailPhase).
    b = manifest("v1", "ServiceAccount", "b", None, {HOOK: "PreSync,SyncFail"})
    c = manifest("v1", "ConfigMap", "c", None, {HOOK: "SyncFail", POLICY: "HookFailed"})
    app = app_of([b, c], [], [])
    app.update({"fail": "ServiceAccount/b", "failHealth": False})
    the_plan = hooklint_plan(app)
    failure = whatif.fail(the_plan, whatif.find("ServiceAccount/b", the_plan), apply_error=True)
    assert (labels(failure.sync_fail_failed), labels(failure.deleted_later)) == (
        ["ServiceAccount/app/b"],
        ["ConfigMap/app/c"],
    )
    assert oracle_deleted(oracle.sync(app)) == []
    check(oracle, app)


@pytest.mark.parametrize("health", [False, True], ids=["apply-error", "job-failed"])
def test_a_syncfail_crd_hook_applied_while_hook_failed_deletes_it_never_completes(
    oracle: Oracle, health: bool
) -> None:
    # The CRD hook of PreSync and SyncFail with HookFailed: as the failure is handled, HookFailed deletes the CRD its
    # PreSync run made, and its SyncFail task applies it in the same call. An apply takes back no deletion, so the
    # CRD terminates and is gone by the next call, where the pinned engine finds its SyncFail task running with no
    # object and waits for ever (sync_context.go, Sync). The simulated cluster used to revive the CRD.
    crd = widget_crd({HOOK: "PreSync,SyncFail", POLICY: "HookFailed"})
    failing = (
        manifest("batch/v1", "Job", "j", None, {}) if health else manifest("v1", "Namespace", "a", None, {})
    )
    app = app_of([failing, configmap("later", 1), crd], [], [])
    app.update({"fail": f"{failing['kind']}/{failing['metadata']['name']}", "failHealth": health})
    the_plan = hooklint_plan(app)
    failure = whatif.fail(the_plan, whatif.find(app["fail"], the_plan), apply_error=not health)
    assert [(t.label, t.phase) for t in failure.stuck] == [
        ("CustomResourceDefinition/widgets.example.com", "SyncFail")
    ]
    result = oracle.sync(app)
    assert (result["phase"], result["message"]) == (
        "Running",
        "waiting for completion of hook apiextensions.k8s.io/CustomResourceDefinition/widgets.example.com",
    )
    check(oracle, app)


def test_a_custom_resource_syncfail_hook_updated_while_its_crd_terminates_never_completes(
    oracle: Oracle,
) -> None:
    # The Widget of PreSync and SyncFail (HookSucceeded, so no BeforeHookCreation) exists when its SyncFail task
    # applies it, an update its terminating CRD allows; but the CRD, deleted by HookFailed just before, takes the
    # Widget with it, and the pinned engine waits for that task for ever.
    crd = widget_crd({HOOK: "PreSync", POLICY: "HookFailed"})
    widget = manifest(
        "example.com/v1", "Widget", "a", None, {HOOK: "PreSync,SyncFail", POLICY: "HookSucceeded"}
    )
    app = app_of([manifest("v1", "Namespace", "a", None, {}), crd, widget], [], [])
    app.update({"fail": "Namespace/a", "failHealth": False})
    result = oracle.sync(app)
    assert (result["phase"], result["message"]) == (
        "Running",
        "waiting for completion of hook example.com/Widget/a",
    )
    check(oracle, app)
