"""Fields a kustomize patch wrote, placed in the patch (hooklint/sources/patches.py): the patches a
kustomization applies, read in order, and a built object's patched nodes moved to the patch's lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from hooklint.model import Resource, Span
from hooklint.sources.patches import overlay, patched, read
from tests.helpers import resources, write

# The object as kustomize builds it: the source's, with the patch's replicas and image.
BUILT = (
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  template:\n"
    "    spec:\n      containers:\n      - name: web\n        image: web:2\n  revisionHistoryLimit: 2\n"
)
STRATEGIC = (
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  template:\n"
    "    spec:\n      containers:\n      - name: web\n        image: web:2\n"
)
JSON6902 = "- op: replace\n  path: /spec/replicas\n  value: 3\n- op: remove\n  path: /spec/paused\n"


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def built() -> Resource:
    return resources(BUILT, "app/deployment.yaml")[0]


def test_a_strategic_merge_patch_places_the_fields_it_wrote_at_its_lines(app: Path) -> None:
    write(
        app,
        {
            "app/kustomization.yaml": "resources:\n- deployment.yaml\npatches:\n- path: replicas.yaml\n",
            "app/replicas.yaml": STRATEGIC,
        },
    )
    found, texts = read("app/kustomization.yaml", "app/kustomization.yaml")
    assert [(p.path, p.json6902, p.target) for p in found] == [("app/replicas.yaml", False, {})]
    assert texts == {"app/replicas.yaml": STRATEGIC}
    resource = built()
    assert not patched(resource.node)
    placed = overlay(resource, "web", found)
    assert placed.span_at(("spec", "replicas")) == Span("app/replicas.yaml", 6, 13, 6, 14)
    image = ("spec", "template", "spec", "containers", 0, "image")
    assert placed.span_at(image) == Span("app/replicas.yaml", 11, 16, 11, 21)
    # What names the object is the source's, not the patch's.
    assert placed.span_at(("metadata", "name")) == Span("app/deployment.yaml", 4, 9, 4, 12)
    assert placed.span_at(("spec", "revisionHistoryLimit")) == Span("app/deployment.yaml", 12, 25, 12, 26)
    assert patched(placed.node)


def test_a_json6902_patch_places_only_what_it_adds_or_replaces(app: Path) -> None:
    write(
        app,
        {
            "app/kustomization.yaml": (
                "resources:\n- deployment.yaml\npatches:\n- path: ops.yaml\n  target:\n    kind: Deployment\n"
                "    name: web\n"
            ),
            "app/ops.yaml": JSON6902,
        },
    )
    found, _ = read("app/kustomization.yaml", "app/kustomization.yaml")
    assert [(p.path, p.json6902, p.target) for p in found] == [
        ("app/ops.yaml", True, {"kind": "Deployment", "name": "web"})
    ]
    placed = overlay(built(), "web", found)
    assert placed.span_at(("spec", "replicas")) == Span("app/ops.yaml", 3, 10, 3, 11)
    image = ("spec", "template", "spec", "containers", 0, "image")
    assert placed.span_at(image) == Span("app/deployment.yaml", 11, 16, 11, 21)


def test_an_inline_patch_is_placed_in_the_kustomization(app: Path) -> None:
    kustomization = (
        "resources:\n- deployment.yaml\npatches:\n- target:\n    kind: Deployment\n  patch: |\n"
        "    - op: replace\n      path: /spec/replicas\n      value: 3\n"
    )
    write(app, {"app/kustomization.yaml": kustomization})
    found, texts = read("app/kustomization.yaml", "app/kustomization.yaml")
    assert [(p.path, p.json6902, p.target) for p in found] == [
        ("app/kustomization.yaml", True, {"kind": "Deployment"})
    ]
    assert texts == {"app/kustomization.yaml": kustomization}
    placed = overlay(built(), "web", found)
    assert placed.span_at(("spec", "replicas")) == Span("app/kustomization.yaml", 9, 14, 9, 15)


@pytest.mark.parametrize(
    "target",
    ["    kind: StatefulSet\n", "    name: api\n", "    labelSelector: tier=db\n"],
    ids=["other-kind", "other-name", "other-labels"],
)
def test_a_patch_whose_target_selects_another_object_places_nothing(app: Path, target: str) -> None:
    write(
        app,
        {
            "app/kustomization.yaml": f"patches:\n- path: ops.yaml\n  target:\n{target}",
            "app/ops.yaml": JSON6902,
        },
    )
    found, _ = read("app/kustomization.yaml", "app/kustomization.yaml")
    placed = overlay(built(), "web", found)
    assert placed.span_at(("spec", "replicas")) == Span("app/deployment.yaml", 6, 13, 6, 14)
    assert not patched(placed.node)


def test_a_patch_file_outside_the_kustomization_folder_is_not_read(app: Path) -> None:
    write(
        app,
        {"app/kustomization.yaml": "patches:\n- path: ../replicas.yaml\n", "replicas.yaml": STRATEGIC},
    )
    assert read("app/kustomization.yaml", "app/kustomization.yaml") == ([], {})
