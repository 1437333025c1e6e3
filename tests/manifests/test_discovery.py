from __future__ import annotations

import os
from pathlib import Path

from hooklint.manifests.discovery import walk
from tests.helpers import write

POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n"


def test_folders_are_walked_sorted_skipping_hidden_and_non_manifests(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "b.yaml": POD.format(name="b"),
            "a/z.yml": POD.format(name="z"),
            "a/kustomization.yaml": "resources: [z.yml]\n",
            ".hidden/x.yaml": POD.format(name="hidden"),
            "values-prod.yaml": "replicas: 3\n",
            ".hooklint.yaml": "select: []\n",
            "notes.txt": "not yaml\n",
            "chart/Chart.yaml": "name: c\n",
            "chart/templates/job.yaml": "{{ .Values.x }}\n",
        },
    )
    found, skipped, charts, folders = walk([str(tmp_path)])
    root = str(tmp_path).replace(os.sep, "/")
    assert [d.removeprefix(root + "/") for d, _ in found] == ["a/z.yml", "b.yaml"]
    assert [(s.path.removeprefix(root + "/"), s.reason) for s in skipped] == [
        ("a/kustomization.yaml", "Kustomize configuration"),
        ("values-prod.yaml", "Helm values file"),
    ]
    assert [(c.rule, c.span.path.removeprefix(root + "/"), c.span.line) for c in charts] == [
        ("HL003", "chart/Chart.yaml", 1)
    ]
    assert [display.removeprefix(root + "/") for display, _ in folders] == ["chart"]


def test_walk_orders_files_by_their_path_parts_and_reports_links_in_that_order(tmp_path: Path) -> None:
    write(tmp_path, {"a/b.yaml": POD, "a-b/x.yaml": POD, "a.yaml": POD, "a/c/d.yaml": POD, "z/e.yaml": POD})
    (tmp_path / "a" / "to-z").symlink_to(tmp_path / "z")
    (tmp_path / "a" / "link.yaml").symlink_to(tmp_path / "a.yaml")
    (tmp_path / "a" / "broken.yaml").symlink_to(tmp_path / "nowhere.yaml")
    found, skipped, _, _ = walk([str(tmp_path)], prune=frozenset({os.path.normpath(tmp_path / "z")}))
    root = str(tmp_path).replace(os.sep, "/")
    assert [d.removeprefix(root + "/") for d, _ in found] == [
        "a/b.yaml",
        "a/c/d.yaml",
        "a-b/x.yaml",
        "a.yaml",
    ]
    assert [(s.path.removeprefix(root + "/"), s.reason) for s in skipped] == [
        ("a/broken.yaml", "a symbolic link: not followed"),
        ("a/link.yaml", "a symbolic link: not followed"),
        ("a/to-z", "a symbolic link: not followed"),
    ]
