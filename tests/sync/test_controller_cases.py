"""What Argo CD's application controller decides, not gitops-engine, so the differential test's oracle cannot judge
it: the deletion plan (Delete=false), the deletion confirmation, CreateNamespace and the normalisation of targets.
Each test takes the cases of one of the controller's Go tests (Argo CD v3.5.1) and names its file and function."""

from __future__ import annotations

import pytest

from hooklint.argocd import application
from hooklint.sync.deletion import deletion
from hooklint.sync.scheduler import plan
from tests.helpers import resources

DESTINATION = "dest"


def app_with(options: tuple[str, ...], extra: str = "") -> application.AppSettings:
    listed = "".join(f"      - {option}\n" for option in options) or "      []\n"
    text = (
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: app\nspec:\n"
        f"  destination:\n    namespace: {DESTINATION}\n  syncPolicy:\n{extra}    syncOptions:\n" + listed
    )
    return application.read(resources(text, "app.yaml")[0])


def manifest(kind: str, name: str, annotations: dict[str, str], api: str = "v1") -> str:
    text = f"---\napiVersion: {api}\nkind: {kind}\nmetadata:\n  name: {name}\n"
    if annotations:
        text += "  annotations:\n" + "".join(f'    {k}: "{v}"\n' for k, v in annotations.items())
    return text


OPTIONS = "argocd.argoproj.io/sync-options"


@pytest.mark.parametrize(
    ("annotations", "app_options", "deleted"),
    [
        ({}, (), True),
        ({OPTIONS: "Delete=false"}, (), False),
        ({"helm.sh/resource-policy": "keep"}, (), False),
        ({}, ("Delete=false",), False),
        ({OPTIONS: "Delete=foo"}, ("Delete=false",), True),
    ],
    ids=[
        "without delete option object is deleted",
        "with delete set to false object is retained",
        "with helm resource policy keep object is retained",
        "delete set on the app level",
        "delete should be overridden on the resource",
    ],
)
def test_sync_delete_option(annotations: dict[str, str], app_options: tuple[str, ...], deleted: bool) -> None:
    """controller/appcontroller_test.go Test_syncDeleteOption (shouldBeDeleted): a ConfigMap's own Delete value,
    else the Application's, and helm.sh/resource-policy: keep."""
    result = deletion(
        plan(resources(manifest("ConfigMap", "cm", annotations)), DESTINATION, app=app_with(app_options))
    )
    doomed = [d.resource.ident for _, batch in result.batches for d in batch]
    assert (doomed, [k.resource.ident for k in result.kept]) == (
        (["ConfigMap/cm"], []) if deleted else ([], ["ConfigMap/cm"])
    )


@pytest.mark.parametrize(
    ("own", "app_options", "expected"),
    [
        ((), (), False),
        (("Delete=confirm",), (), True),
        ((), ("Delete=confirm",), True),
        ((), ("Prune=confirm",), True),
        (("Delete=confirm",), ("Delete=confirm",), True),
        (("Delete=foo",), ("Delete=confirm",), False),
        (("Delete=confirm",), ("Prune=confirm",), True),
        (("Prune=foo",), ("Prune=confirm",), False),
        (("Delete=foo",), ("Delete=confirm", "Prune=confirm"), True),
    ],
    ids=[
        "default",
        "confirm delete resource",
        "confirm delete app",
        "confirm prune resource",
        "confirm app & resource delete",
        "confirm app & resource override",
        "confirm app & resource mixed delete and prune",
        "override prune resource",
        "override delete resource and additional delete confirm",
    ],
)
def test_is_obj_requires_deletion_confirmation(
    own: tuple[str, ...], app_options: tuple[str, ...], expected: bool
) -> None:
    """controller/state_test.go Test_isObjRequiresDeletionConfirmation: a Pod's own Delete and Prune values, each
    else the Application's; `confirm` in either asks for approval."""
    annotations = {OPTIONS: ",".join(own)} if own else {}
    app = app_with(app_options)
    result = deletion(plan(resources(manifest("Pod", "pod", annotations)), DESTINATION, app=app))
    ((_, (doomed,)),) = result.batches
    assert doomed.confirm is expected


@pytest.mark.parametrize(
    ("extra", "options", "created"),
    [
        ("", ("CreateNamespace=true",), True),
        ("    managedNamespaceMetadata: {}\n", ("CreateNamespace=true",), True),
        (
            "    managedNamespaceMetadata:\n      labels: {my-cool-label: some-value}\n",
            ("CreateNamespace=true",),
            True,
        ),
        ("    managedNamespaceMetadata:\n      labels: {my-cool-label: some-value}\n", (), False),
    ],
    ids=[
        "namespace does not yet exist and managedNamespaceMetadata nil",
        "namespace does not yet exist and managedNamespaceMetadata not nil",
        "namespace does not yet exist and managedNamespaceMetadata has labels",
        "without CreateNamespace there is no managed namespace",
    ],
)
def test_should_namespace_sync(extra: str, options: tuple[str, ...], created: bool) -> None:
    """controller/sync_namespace_test.go Test_shouldNamespaceSync (syncNamespace), the cases of a namespace that does
    not exist yet: it is created, managedNamespaceMetadata or not; controller/sync.go hands syncNamespace to the
    engine only with CreateNamespace=true (the last case). hooklint sees no live namespace, so the cases of one
    that exists do not apply."""
    result = plan(resources(manifest("ConfigMap", "cm", {})), DESTINATION, app=app_with(options, extra))
    made = [t.ident for s in result.steps for t in s.tasks if t.synthetic]
    assert made == (["Namespace/dest"] if created else [])


RBAC = "rbac.authorization.k8s.io/v1"


def test_normalize_target_objects_cluster_scope_tracking() -> None:
    """controller/state_test.go Test_NormalizeTargetObjects_ClusterScopeTracking: a ClusterRole written in namespace
    `test` loses that namespace, so it is no object in `test` and does not pull Namespace `test` forward."""
    text = manifest("Namespace", "test", {"argocd.argoproj.io/sync-wave": "1"}) + (
        f"---\napiVersion: {RBAC}\nkind: ClusterRole\nmetadata:\n  name: test\n  namespace: test\n"
    )
    result = plan(resources(text), DESTINATION)
    assert [(s.wave, [t.ident for t in s.tasks]) for s in result.steps] == [
        (0, ["ClusterRole/test"]),
        (1, ["Namespace/test"]),
    ]


def test_normalize_target_objects_deduplication() -> None:
    """controller/state_test.go Test_NormalizeTargetObjects_Deduplication: three ClusterRoles of one name; the last
    is kept, the others are duplicates."""
    text = "".join(
        f"---\napiVersion: {RBAC}\nkind: ClusterRole\nmetadata:\n  name: my-cluster-role\n"
        f"rules:\n- verbs: [{verb}]\n  resources: [pods]\n"
        for verb in ("get", "list", "watch")
    )
    result = plan(resources(text), DESTINATION)
    ((kept,),) = [s.tasks for s in result.steps]
    assert kept.resource.get(("rules",)) == [{"verbs": ["watch"], "resources": ["pods"]}]
    assert [(n.resource.index, n.reason) for n in result.not_applied] == [(0, "duplicate"), (1, "duplicate")]


def test_normalize_target_objects_generate_name() -> None:
    """controller/state_test.go Test_NormalizeTargetObjects_GenerateName: two Pods with one generateName are both
    kept, no duplicate."""
    text = "---\napiVersion: v1\nkind: Pod\nmetadata:\n  generateName: test-pod-\n  namespace: default\n" * 2
    result = plan(resources(text), DESTINATION)
    assert [[t.resource.index for t in s.tasks] for s in result.steps] == [[0, 1]]
    assert result.not_applied == ()


def test_normalize_target_objects_namespaced_resource_with_tracking() -> None:
    """controller/state_test.go Test_NormalizeTargetObjects_NamespacedResourceWithTracking: a ConfigMap without a
    namespace gets the destination's."""
    result = plan(resources(manifest("ConfigMap", "my-config", {})), "my-app-namespace")
    assert [[(t.ident, t.namespace) for t in s.tasks] for s in result.steps] == [
        [("ConfigMap/my-config", "my-app-namespace")]
    ]
