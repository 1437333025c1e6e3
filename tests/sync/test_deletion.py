"""The Application deletion plan's Delete=false and confirmation, read from the object and else from the Application
(docs/argocd.md#cascade-deletion)."""

from __future__ import annotations

import pytest

from hooklint.argocd import application
from hooklint.sync.deletion import deletion
from hooklint.sync.scheduler import plan
from tests.helpers import resources


def app_with(*options: str) -> application.AppSettings:
    listed = "".join(f"      - {option}\n" for option in options)
    text = (
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: shop\nspec:\n"
        "  destination:\n    namespace: shop\n  syncPolicy:\n    syncOptions:\n" + listed
    )
    return application.read(resources(text, "app.yaml")[0])


def cm(name: str, options: str | None = None) -> str:
    text = f"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n"
    return text + (f'  annotations:\n    argocd.argoproj.io/sync-options: "{options}"\n' if options else "")


@pytest.mark.parametrize(
    ("app_options", "own", "kept"),
    [
        (("Delete=false",), None, "Delete=false (the Application's default)"),
        (("Delete=false",), "Delete=true", None),
        ((), "Delete=false", "Delete=false"),
        (("Delete=true",), "Delete=false", "Delete=false"),
        (("Prune=false",), None, None),
    ],
    ids=["app-false", "own-true-wins", "own-false", "own-false-wins", "prune-false-is-no-delete-false"],
)
def test_delete_false_is_the_objects_own_value_else_the_applications(
    app_options: tuple[str, ...], own: str | None, kept: str | None
) -> None:
    """controller/appcontroller.go shouldBeDeleted: the object's own Delete value, else the app's
    spec.syncPolicy.syncOptions; `false` keeps it when the Application is deleted."""
    result = deletion(plan(resources(cm("a", own)), "shop", app=app_with(*app_options)))
    assert [(k.resource.ident, k.reason) for k in result.kept] == ([("ConfigMap/a", kept)] if kept else [])
    assert [d.resource.ident for _, batch in result.batches for d in batch] == (
        [] if kept else ["ConfigMap/a"]
    )


@pytest.mark.parametrize(
    ("app_options", "own", "confirm_by"),
    [
        ((), "Delete=confirm", "Delete=confirm"),
        (("Delete=confirm",), None, "Delete=confirm (the Application's default)"),
        ((), "Prune=confirm", "Prune=confirm"),
        (("Prune=confirm",), None, "Prune=confirm (the Application's default)"),
        (("Delete=confirm",), "Delete=true", ""),
        (("Prune=confirm",), "Prune=true", ""),
        (("Delete=confirm",), "Prune=true", "Delete=confirm (the Application's default)"),
        ((), None, ""),
    ],
    ids=[
        "own-delete",
        "app-delete",
        "own-prune",
        "app-prune",
        "own-delete-true-wins",
        "own-prune-true-wins",
        "own-prune-leaves-app-delete",
        "none",
    ],
)
def test_deletion_confirmation_is_delete_or_prune_confirm_own_value_first(
    app_options: tuple[str, ...], own: str | None, confirm_by: str
) -> None:
    """controller/state.go isObjRequiresDeletionConfirmation: Delete=confirm or Prune=confirm, each the object's own
    value first, else the app's; controller/appcontroller.go finalizeApplicationDeletion then waits for approval."""
    result = deletion(plan(resources(cm("a", own)), "shop", app=app_with(*app_options)))
    ((_, (doomed,)),) = result.batches
    assert (doomed.confirm, doomed.confirm_by) == (bool(confirm_by), confirm_by)
