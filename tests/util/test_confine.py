"""The repository root and what lies inside it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hooklint.util import confine
from hooklint.util.confine import allowed, inside, repository_root, roots_for, survey, without_git


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


def _chart(tmp_path: Path) -> Path:
    """A repository whose root is a chart: `.git`, a file link inside it, a folder link inside it and a
    file link to elsewhere in the repository."""
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("token\n")
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "a.txt").write_text("a")
    (tmp_path / "Chart.yaml").write_text("name: shop\n")
    os.symlink("files/a.txt", tmp_path / "b.txt")
    os.symlink(tmp_path / "files", tmp_path / "more")
    return tmp_path


def test_a_survey_lists_the_folder_without_git_and_refuses_no_link_inside(tmp_path: Path) -> None:
    found = survey(str(_chart(tmp_path)), str(tmp_path), "shop")
    assert (found.refusal, found.git) == (None, True)
    assert found.entries == ("Chart.yaml", "b.txt", "files", "more", os.path.join("files", "a.txt"))


@pytest.mark.parametrize(
    ("link", "target", "why"),
    [
        ("out.txt", "../secret.txt", "that leads outside the repository"),
        ("config", ".git/config", "that leads outside the repository"),
        ("files/git", "../.git", "to a folder outside the chart"),
        ("files/self", ".", "to a folder that holds it"),
    ],
    ids=["outside", "git-config", "git-folder", "loop"],
)
def test_a_survey_refuses_a_link_helm_may_not_follow(
    tmp_path: Path, link: str, target: str, why: str
) -> None:
    repository = tmp_path / "repo"
    repository.mkdir()
    (tmp_path / "secret.txt").write_text("x")
    chart = _chart(repository)
    os.symlink(target, chart / link)
    assert survey(str(chart), str(repository), "shop").refusal == f"shop/{link} is a link {why}"


def test_a_survey_stops_past_its_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(confine, "ENTRIES", 3)
    found = survey(str(_chart(tmp_path)), str(tmp_path), "shop")
    assert found.refusal == "shop holds more than 3 files and folders"


def test_a_folder_without_git_is_read_as_it_is(tmp_path: Path) -> None:
    (tmp_path / "Chart.yaml").write_text("name: shop\n")
    found = survey(str(tmp_path), str(tmp_path), "shop")
    with without_git("given/path", found) as seen:
        assert seen == "given/path"


def test_a_folder_with_git_is_copied_without_it_and_the_copy_removed(tmp_path: Path) -> None:
    # A chart that holds a submodule's `.git`, with a link to a file elsewhere in its repository.
    (tmp_path / "repo" / "shop").mkdir(parents=True)
    chart = _chart(tmp_path / "repo" / "shop")
    (tmp_path / "repo" / "env.txt").write_text("env")
    os.symlink(tmp_path / "repo" / "env.txt", chart / "files" / "env.txt")
    found = survey(str(chart), str(tmp_path / "repo"), "shop")
    with without_git(str(chart), found) as seen:
        assert seen is not None
        copy = Path(seen)
        listed = sorted(str(p.relative_to(copy)) for p in copy.rglob("*"))
        assert listed == ["Chart.yaml", "b.txt", "files", "files/a.txt", "files/env.txt", "more"]
        assert os.readlink(copy / "b.txt") == "files/a.txt" and os.readlink(copy / "more") == "files"
        assert (copy / "more" / "a.txt").read_text() == "a"
        assert (
            not (copy / "files" / "env.txt").is_symlink()
            and (copy / "files" / "env.txt").read_text() == "env"
        )
    assert not copy.exists() and not copy.parent.exists()


def test_a_folder_with_git_too_heavy_to_copy_is_not_copied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(confine, "COPY_BYTES", 1)
    found = survey(str(_chart(tmp_path)), str(tmp_path), "shop")
    with without_git(str(tmp_path), found) as seen:
        assert seen is None
