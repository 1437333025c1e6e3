"""The repository root and what lies inside it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hooklint.util.confine import allowed, inside, repository_root, roots_for


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


def test_a_repository_reached_through_a_link_confines_by_its_real_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # allowed() resolves only the path it is asked about: the roots must come resolved.
    (tmp_path / "real" / ".git").mkdir(parents=True)
    (tmp_path / "real" / "apps").mkdir()
    (tmp_path / "secret").mkdir()
    os.symlink(tmp_path / "real", tmp_path / "link")
    os.symlink(tmp_path / "secret", tmp_path / "real" / "out")
    monkeypatch.chdir(tmp_path / "link")
    roots = roots_for(["apps"], None)
    assert roots == (os.path.realpath(tmp_path / "real"),)
    assert allowed("apps", roots)
    assert allowed(str(tmp_path / "link" / "apps"), roots)
    assert not allowed("out", roots)
    assert not allowed(str(tmp_path / "secret"), roots)


@pytest.mark.parametrize(
    "path",
    [".git/config", "apps/../.git/config", ".GIT/config", "apps/git/config", ".git", "sub/.git"],
    ids=["git-config", "dot-dot", "upper-case", "through-a-link", "git-folder", "submodule"],
)
def test_a_path_through_a_git_folder_lies_outside(tmp_path: Path, path: str) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("[core]\n")
    (tmp_path / "apps").mkdir()
    os.symlink(tmp_path / ".git", tmp_path / "apps" / "git")
    root = str(tmp_path)
    assert not inside(str(tmp_path / path), root)
    assert not allowed(str(tmp_path / path), (root,))


def test_names_that_only_look_like_git_lie_inside(tmp_path: Path) -> None:
    root = str(tmp_path)
    for path in (".gitignore", ".github/workflows/ci.yaml", "deploy.git/x.yaml", "a/.git-crypt/keys"):
        assert inside(str(tmp_path / path), root)
        assert allowed(str(tmp_path / path), (root,))


def test_a_root_below_a_folder_named_git_is_no_git_folder(tmp_path: Path) -> None:
    # Only what lies below the root is judged: the root's own place is the user's.
    root = tmp_path / ".git" / "checkout"
    root.mkdir(parents=True)
    assert inside(str(root / "app.yaml"), str(root))
