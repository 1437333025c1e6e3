from __future__ import annotations

import os
from pathlib import Path

import pytest

from hooklint.manifests.discovery import STDIN, PathNotFound
from hooklint.sources.load import load
from tests.helpers import write

POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n"


def test_stdin_is_read_from_the_given_bytes() -> None:
    result = load(["-"], POD.format(name="piped").encode())
    assert result.files == (STDIN,)
    assert [(r.path, r.name) for r in result.resources] == [(STDIN, "piped")]


def test_missing_path_raises_path_not_found(tmp_path: Path) -> None:
    with pytest.raises(PathNotFound):
        load([str(tmp_path / "nope")])


def test_unreadable_file_is_hl001_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"a.yaml": POD.format(name="a"), "b.yaml": POD.format(name="b")})
    real_open = os.open

    # Tests may run as root, whom file modes do not stop: the denial is simulated where the file is opened.
    def guarded_open(path: str, *args: int) -> int:
        if str(path).endswith("a.yaml"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args)

    monkeypatch.setattr(os, "open", guarded_open)
    result = load([str(tmp_path)])
    assert [(p.rule, p.span.line, p.message) for p in result.problems] == [
        ("HL001", 1, "cannot read file: Permission denied")
    ]
    assert [r.name for r in result.resources] == ["b"]


def test_a_sync_hook_without_a_name_is_loaded_and_a_non_hook_without_one_is_hl002(tmp_path: Path) -> None:
    """gitops-engine pkg/sync/sync_context.go getSyncTasks makes a name for a hook without one; nothing
    names any other object, which the API server refuses (docs/argocd.md#tasks)."""
    write(
        tmp_path,
        {
            "app.yaml": "apiVersion: batch/v1\nkind: Job\nmetadata:\n  annotations:\n"
            "    argocd.argoproj.io/hook: PreSync\n"
            "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {a: b}\n"
        },
    )
    result = load([str(tmp_path / "app.yaml")])
    assert [r.label for r in result.resources] == ["Job/<generated>"]
    assert [(p.rule, p.span.line, p.span.column) for p in result.problems] == [("HL002", 9, 1)]
