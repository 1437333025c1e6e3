"""The repository root and what lies inside it."""

from __future__ import annotations

import os
from pathlib import Path

from hooklint.util.confine import inside, repository_root


def test_the_root_is_the_git_work_tree_above_the_start(tmp_path: Path) -> None:
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "apps" / "shop").mkdir(parents=True)
    assert repository_root(str(tmp_path / "repo" / "apps" / "shop")) == str(tmp_path / "repo")


def test_a_git_file_marks_a_work_tree_too(tmp_path: Path) -> None:
    (tmp_path / "wt" / "apps").mkdir(parents=True)
    (tmp_path / "wt" / ".git").write_text("gitdir: elsewhere\n")
    assert repository_root(str(tmp_path / "wt" / "apps")) == str(tmp_path / "wt")


def test_without_git_the_configuration_folder_then_the_start_is_the_root(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / ".hooklint.yaml").write_text("{}\n")
    start = str(tmp_path / "a" / "b")
    assert repository_root(start, str(tmp_path / "a" / ".hooklint.yaml")) == str(tmp_path / "a")
    assert repository_root(start) == start


def test_a_link_that_leaves_the_root_is_outside(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    (tmp_path / "secret.txt").write_text("x")
    os.symlink(tmp_path / "secret.txt", tmp_path / "repo" / "values.yaml")
    root = str(tmp_path / "repo")
    assert not inside(str(tmp_path / "repo" / "values.yaml"), root)
    assert not inside(str(tmp_path / "repo" / ".." / "secret.txt"), root)
    assert not inside(str(tmp_path / "repository"), root)  # a sibling whose name starts alike
    assert inside(str(tmp_path / "repo" / "x" / "y.yaml"), root)
    assert inside(root, root)
