"""A kustomization and all it pulls in, read before kustomize runs (hooklint/sources/kustomize_tree.py): the
files its objects come from, every kustomization met, and why it is not built when it is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from hooklint.sources.kustomize_tree import Broken, inspect, remote
from tests.helpers import write

DEPLOYMENT = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"
JOB = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n"
CONFIG = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n"
COMPONENT = "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n- job.yaml\n"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with a base and a component, entered so paths read as the repository names them."""
    monkeypatch.chdir(tmp_path)
    return write(
        tmp_path,
        {
            "base/kustomization.yaml": "resources:\n- deployment.yaml\n",
            "base/deployment.yaml": DEPLOYMENT,
            "components/hooks/kustomization.yaml": COMPONENT,
            "components/hooks/job.yaml": JOB,
        },
    )


def test_a_local_overlay_gives_its_files_and_kustomizations_in_order(repo: Path) -> None:
    write(
        repo,
        {
            "overlay/kustomization.yaml": (
                "resources:\n- ../base\n- config.yaml\ncomponents:\n- ../components/hooks\n"
                "patches:\n- path: patch.yaml\n"
            ),
            "overlay/config.yaml": CONFIG,
            "overlay/patch.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n",
        },
    )
    tree = inspect("overlay", ".")
    # A base's files come where the base is listed; a patch is no resource file.
    assert tree.files == ["base/deployment.yaml", "overlay/config.yaml", "components/hooks/job.yaml"]
    assert tree.kustomizations == [
        "overlay/kustomization.yaml",
        "base/kustomization.yaml",
        "components/hooks/kustomization.yaml",
    ]
    assert (tree.refusal, tree.broken) == (None, None)


def test_a_folder_or_a_file_reached_twice_is_listed_once(repo: Path) -> None:
    write(
        repo, {"overlay/kustomization.yaml": "resources:\n- ../base\n- ../base/\n- ../base/deployment.yaml\n"}
    )
    tree = inspect("overlay", ".")
    assert tree.files == ["base/deployment.yaml"]
    assert tree.kustomizations == ["overlay/kustomization.yaml", "base/kustomization.yaml"]


@pytest.mark.parametrize(
    ("kustomization", "refusal"),
    [
        (
            "resources:\n- ../base\n- https://github.com/example/app//deploy?ref=v1\n",
            "overlay/kustomization.yaml's resources entry 'https://github.com/example/app//deploy?ref=v1' "
            "is remote, and hooklint fetches nothing",
        ),
        (
            "helmCharts:\n- name: shop\n  repo: oci://registry.example.com/charts\n",
            "overlay/kustomization.yaml's helmCharts repo entry 'oci://registry.example.com/charts' "
            "is remote, and hooklint fetches nothing",
        ),
        (
            "resources:\n- ../../elsewhere\n",
            "overlay/kustomization.yaml's resources entry '../../elsewhere' lies outside the repository",
        ),
        (
            "Resources:\n- ../base\n",
            "overlay/kustomization.yaml has the key 'Resources' at line 1, which kustomize reads as 'resources'",
        ),
        (
            "resources:\n- ../base\nresources:\n- other\n",
            "overlay/kustomization.yaml has the key 'resources' twice, at lines 1 and 3",
        ),
    ],
    ids=["remote-resource", "chart-repository", "outside", "key-in-another-case", "key-twice"],
)
def test_an_entry_kustomize_would_fetch_or_read_otherwise_stops_the_build(
    repo: Path, kustomization: str, refusal: str
) -> None:
    write(repo, {"overlay/kustomization.yaml": kustomization})
    tree = inspect("overlay", ".")
    assert tree.refusal == refusal
    assert tree.broken is None  # kustomize itself reads these; hooklint only declines to build them


def test_a_remote_entry_of_a_base_stops_the_build_after_the_files_read_before_it(repo: Path) -> None:
    write(repo, {"base/kustomization.yaml": "resources:\n- deployment.yaml\n- github.com/example/app\n"})
    write(repo, {"overlay/kustomization.yaml": "resources:\n- ../base\n"})
    tree = inspect("overlay", ".")
    assert tree.refusal == (
        "base/kustomization.yaml's resources entry 'github.com/example/app' is remote, and hooklint fetches nothing"
    )
    assert tree.files == ["base/deployment.yaml"]
    assert tree.kustomizations == ["overlay/kustomization.yaml", "base/kustomization.yaml"]


def test_a_kustomization_that_is_not_yaml_is_broken_at_its_position(repo: Path) -> None:
    write(repo, {"overlay/kustomization.yaml": "resources:\n- ../base\n- [oops\n"})
    tree = inspect("overlay", ".")
    message = "overlay/kustomization.yaml is not valid YAML (did not find expected ',' or ']' at line 4)"
    assert tree.refusal == message
    assert tree.broken == Broken("overlay/kustomization.yaml", 4, 1, message)


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("../base", False),
        ("deployment.yaml", False),
        ("https://example.com/app.yaml", True),
        ("git@github.com:example/app.git", True),
        ("github.com/example/app", True),
        ("../base?ref=main", True),
        ("git::ssh://example.com/app", True),
    ],
    ids=["folder", "file", "url", "scp-like", "forge-host", "ref-query", "go-getter"],
)
def test_remote_tells_what_kustomize_would_fetch(entry: str, expected: bool) -> None:
    assert remote(entry) is expected
