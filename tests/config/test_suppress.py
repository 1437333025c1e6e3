"""Inline, annotation and configured suppressions: what each covers, and what --no-inline-suppressions and
require-reason change."""

from __future__ import annotations

import pytest

from hooklint.config.settings import ConfigSuppression
from tests.config.suppressed import job, run


def test_unsuppressed_baseline() -> None:
    assert [(p, line, r) for p, line, r, _ in run({"a.yaml": job()})] == [("a.yaml", 7, "HL101")]


def test_trailing_comment_suppresses_its_own_line() -> None:
    assert run({"a.yaml": job(trailing="  # hooklint: ignore HL101 -- migration is idempotent")}) == []


def test_comment_alone_suppresses_the_next_line() -> None:
    text = job().replace(
        "    argocd.argoproj.io/hook-delete-policy",
        "    # hooklint: ignore named-hook-without-before-hook-creation\n    argocd.argoproj.io/hook-delete-policy",
    )
    assert run({"a.yaml": text}) == []


def test_ignore_document_covers_only_its_document() -> None:
    text = "# hooklint: ignore-document HL1\n" + job("one") + "---\n" + job("two")
    assert [(line, r) for _, line, r, _ in run({"a.yaml": text})] == [(23, "HL101")]


def test_ignore_file_covers_every_document() -> None:
    text = job("one") + "---\n# hooklint: ignore-file HL101 -- vendored\n" + job("two")
    assert run({"a.yaml": text}) == []


def test_annotation_suppresses_findings_on_its_object_only() -> None:
    annotated = job("one").replace(
        "  annotations:\n", '  annotations:\n    hooklint.dev/ignore: "HL101 -- owned by the DB team"\n'
    )
    assert [(line, r) for _, line, r, _ in run({"a.yaml": annotated + "---\n" + job("two")})] == [
        (23, "HL101")
    ]


def test_config_selector_by_kind_name_and_path() -> None:
    entry = ConfigSuppression(
        rules=("HL101",), kind="Job", name="vendor-*", path="charts/**", reason="vendored", line=3
    )
    files = {
        "charts/x/a.yaml": job("vendor-migrate"),
        "apps/b.yaml": job("vendor-migrate-2"),
        "charts/y/c.yaml": job("mine"),
    }
    found = run(files, suppress=(entry,), source=".hooklint.yaml")
    assert [(p, r) for p, _, r, _ in found] == [("apps/b.yaml", "HL101"), ("charts/y/c.yaml", "HL101")]


@pytest.mark.parametrize("where", ["comment", "annotation"])
def test_no_inline_suppressions_ignores_comments_and_annotations(where: str) -> None:
    if where == "comment":
        text = job(trailing="  # hooklint: ignore HL101 -- x")
    else:
        text = job().replace("  annotations:\n", '  annotations:\n    hooklint.dev/ignore: "HL101 -- x"\n')
    assert [r for _, _, r, _ in run({"a.yaml": text}, inline_suppressions=False)] == ["HL101"]


def test_a_hash_inside_a_string_is_not_a_comment() -> None:
    text = job().replace("name: main", "name: main\n          args: ['echo #hooklint: ignore HL101']")
    assert [r for _, _, r, _ in run({"a.yaml": text})] == ["HL101"]


def test_comment_two_lines_above_does_not_suppress() -> None:
    text = job().replace(
        "    argocd.argoproj.io/hook:", "    # hooklint: ignore HL101\n    argocd.argoproj.io/hook:"
    )
    assert [(line, r) for _, line, r, _ in run({"a.yaml": text})] == [(6, "HL000"), (8, "HL101")]
