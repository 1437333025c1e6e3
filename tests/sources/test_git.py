"""--base and Application objects end to end, in a throwaway git repository."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import APP, CONFIGS, git, invoke, shop_repo


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return shop_repo(tmp_path)


def test_explain_base_prunes_what_is_gone_in_the_applications_plan(repo: Path) -> None:
    (repo / "apps/shop/configs.yaml").write_text(CONFIGS.split("---\n")[0])
    code, out, _ = invoke(["explain", "--base", "HEAD", "apps/shop", "apps/shop-app.yaml"])
    assert code == 0
    # The Application in the repository is used: PruneLast=true puts the prune of the live wave 3 after every
    # Sync-phase wave: max(1, 3) + 1 (docs/argocd.md#prunelast).
    assert out == (
        "Sync plan changes since HEAD: 1 prune, 1 step added, 1 step removed\n"
        "\nPrunes (gone from Git)\n    ConfigMap/legacy: Sync wave 4  HEAD:apps/shop/configs.yaml:9\n"
        "\nSteps added\n    Sync wave 4\n"
        "\nSteps removed\n    Sync wave 3\n"
    )


def test_unknown_revision_and_missing_repository_are_exit_2(
    repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    assert invoke(["lint", "--base", "nope", "apps/shop"]) == (
        2,
        "",
        "hooklint: --base: unknown git revision 'nope'\n",
    )
    elsewhere = tmp_path_factory.mktemp("plain")
    (elsewhere / "a.yaml").write_text(CONFIGS)
    os.chdir(elsewhere)
    assert invoke(["lint", "--base", "HEAD", "."]) == (
        2,
        "",
        "hooklint: --base needs the manifests to be in a git repository\n",
    )


def test_app_option_reads_an_application_file(repo: Path) -> None:
    other = repo / "other-app.yaml"
    other.write_text(
        APP.replace("namespace: shop\n  source", "namespace: payments\n  source").replace(
            "PruneLast=true", "CreateNamespace=true"
        )
    )
    code, out, _ = invoke(["explain", "--app", str(other), "apps/shop"])
    assert code == 0
    assert out.splitlines()[0] == "Sync plan: 4 step(s), 4 task(s), destination namespace payments"
    assert "Before the dry run: Namespace/payments (the destination namespace) is applied first" in out
    assert invoke(["explain", "--app", "apps/shop/configs.yaml", "apps/shop"])[0] == 2


def test_the_base_of_the_files_outside_every_root_leaves_the_roots_out(repo: Path) -> None:
    from hooklint.sources.git import load_at

    assert sorted(r.name for r in load_at("HEAD", ["."]).resources) == [
        "db-migrate",
        "legacy",
        "settings",
        "shop",
    ]
    # The rest of a repository of applications (`lint --applications 'apps/*'`) is "." without the roots:
    # at the base too, or every object of every application would look deleted from it.
    assert [r.name for r in load_at("HEAD", ["."], frozenset({"apps/shop"})).resources] == ["shop"]
    # Nothing changed since HEAD, so --base changes no finding.
    with_base = invoke(["lint", "--format", "json", "--applications", "apps/*", "--base", "HEAD", "."])
    assert with_base == invoke(["lint", "--format", "json", "--applications", "apps/*", "."])


def test_a_folder_at_the_base_holds_its_own_files_only(repo: Path) -> None:
    from hooklint.sources import git as gitsource

    for name in ("near/a-b/x.yaml", "near/a/y.yaml", "near/a.yaml", "near/ab/z.yaml", "near/a/deep/w.yaml"):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(
            f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name.rsplit('/', 1)[-1].split('.')[0]}\n"
        )
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "more")
    with gitsource.preloaded("HEAD", ["."]):  # the names from one listing, sorted once
        assert [r.name for r in gitsource.load_at("HEAD", ["near/a"]).resources] == ["w", "y"]
        assert [r.name for r in gitsource.load_at("HEAD", ["near/a.yaml"]).resources] == ["a"]


def test_has_commit_knows_the_revisions_of_the_clone_and_nothing_else(
    repo: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hooklint.sources.git import has_commit

    git(repo, "branch", "base")
    assert [has_commit(ref) for ref in ("HEAD", "base", "origin/base", "missing", "--all")] == [
        True,
        True,
        False,
        False,
        False,
    ]
    monkeypatch.chdir(tmp_path_factory.mktemp("not-a-repository"))
    assert has_commit("HEAD") is False
