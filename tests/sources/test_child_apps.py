"""The child Applications of an app of apps (hooklint/sources/child_apps.py): which children the input holds,
whose folder each input object lies in, and what each child deploys, read from the repository when the input
does not hold its folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from hooklint.model import Resource, ResourceKey
from hooklint.sources.child_apps import Children
from tests.helpers import loaded, write


def application(name: str, path: str, namespace: str | None = None) -> str:
    destination = f"  destination:\n    namespace: {namespace}\n" if namespace else ""
    return (
        f"apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: {name}\nspec:\n"
        f"  source:\n    path: {path}\n{destination}"
    )


PARENT = application("root", "apps")
# shop and shop's database, a duplicate of shop's path, the repository's root and a path that climbs out.
CHILDREN = "---\n".join(
    [
        application("shop", "apps/shop", "shop"),
        application("db", "./apps/shop/db/"),
        application("shop-again", "apps/shop"),
        application("everything", "."),
        application("elsewhere", "../other/apps"),
    ]
)
DEPLOYMENT = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"
JOB = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n"
ROLE = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\n"
FILES = {
    "apps/root.yaml": PARENT,
    "apps/children.yaml": CHILDREN,
    "apps/shop/deployment.yaml": DEPLOYMENT + "---\n" + ROLE,
    "apps/shop/db/job.yaml": JOB,
}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository holding the parent, its children and their folders, entered."""
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return write(tmp_path, FILES)


def by_name(found: tuple[Resource, ...]) -> dict[str, Resource]:
    return {resource.name: resource for resource in found}


def test_the_children_are_the_applications_but_the_parent_one_per_source_path(repo: Path) -> None:
    found = loaded(FILES, clean=True).resources
    children = Children(found, by_name(found)["root"], "default")
    assert [(c.app.name, c.path, c.names) for c in children.apps] == [
        ("shop", "apps/shop", ("apps", "shop")),
        ("db", "./apps/shop/db/", ("apps", "shop", "db")),
    ]


def test_an_object_belongs_to_the_child_of_the_deepest_folder_holding_it(repo: Path) -> None:
    found = loaded(FILES, clean=True).resources
    named = by_name(found)
    children = Children(found, named["root"], "default")
    owners = {name: getattr(children.owner(resource), "names", None) for name, resource in named.items()}
    assert owners == {
        "root": None,
        "shop": None,
        "db": None,
        "shop-again": None,
        "everything": None,
        "elsewhere": None,
        "web": ("apps", "shop"),
        "reader": ("apps", "shop"),
        "migrate": ("apps", "shop", "db"),
    }


def test_a_child_deploys_its_folders_objects_in_its_destination_namespace(repo: Path) -> None:
    found = loaded(FILES, clean=True).resources
    named = by_name(found)
    children = Children(found, named["root"], "default")
    shop, db = children.apps
    assert children.objects(shop) == {
        ResourceKey("apps", "Deployment", "shop", "web"): named["web"],
        ResourceKey("rbac.authorization.k8s.io", "ClusterRole", "", "reader"): named["reader"],
    }
    # Without a destination namespace, the run's namespace.
    assert children.objects(db) == {ResourceKey("batch", "Job", "default", "migrate"): named["migrate"]}
    assert children.deploying(ResourceKey("batch", "Job", "default", "migrate")) == (db, named["migrate"])
    assert children.deploying(ResourceKey("batch", "Job", "shop", "migrate")) is None


def test_a_child_whose_folder_is_not_in_the_input_is_read_from_the_repository(repo: Path) -> None:
    found = loaded({"apps/children.yaml": CHILDREN}, clean=True).resources
    children = Children(found, None, "default")
    shop, db = children.apps
    assert {key: r.path for key, r in children.objects(shop).items()} == {
        ResourceKey("apps", "Deployment", "shop", "web"): "apps/shop/deployment.yaml",
        ResourceKey("rbac.authorization.k8s.io", "ClusterRole", "", "reader"): "apps/shop/deployment.yaml",
        # shop's folder holds db's: the loader reads it all.
        ResourceKey("batch", "Job", "shop", "migrate"): "apps/shop/db/job.yaml",
    }
    assert {key: r.path for key, r in children.objects(db).items()} == {
        ResourceKey("batch", "Job", "default", "migrate"): "apps/shop/db/job.yaml"
    }


def test_a_child_whose_folder_is_absent_deploys_nothing(repo: Path) -> None:
    found = loaded({"apps/children.yaml": application("gone", "apps/gone")}, clean=True).resources
    children = Children(found, None, "default")
    assert [c.names for c in children.apps] == [("apps", "gone")]
    assert children.objects(children.apps[0]) == {}
