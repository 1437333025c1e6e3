"""Tests of HL020 invalid-sync-option."""

from __future__ import annotations

import pytest

from tests.helpers import job, lint_with, rows


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (
            "prune=false",
            "'prune=false' is not 'Prune=false': Argo CD matches sync options exactly, so it is ignored",
        ),
        (
            "Prune=False",
            "'Prune=False' is not 'Prune=false': Argo CD matches sync options exactly, so it is ignored",
        ),
        (
            "replace=true",
            "'replace=true' is not 'Replace=true': Argo CD matches sync options exactly, so it is ignored",
        ),
        (
            "CreateNamespace=true",
            "'CreateNamespace=true' is read only from the Application's "
            "spec.syncPolicy.syncOptions, never from a resource's annotation: it is ignored",
        ),
        (
            "PrunePropagationPolicy=orphan",
            "'PrunePropagationPolicy=orphan' is read only from the Application's "
            "spec.syncPolicy.syncOptions, never from a resource's annotation: it is ignored",
        ),
        (
            "ServerSideApply=yes",
            "'ServerSideApply=yes' is not a value Argo CD acts on (it reads "
            "'ServerSideApply=true' or 'ServerSideApply=false'): ignored",
        ),
        ("SkipDryRun=true", "'SkipDryRun=true' is not a sync option Argo CD knows: ignored"),
    ],
)
def test_option_argo_does_not_act_on_is_flagged_with_the_reason(option: str, message: str) -> None:
    text = job(annotations=f"    argocd.argoproj.io/sync-options: {option}\n")
    assert rows(lint_with("HL020", text)) == [
        ("app.yaml", 6, 38, "HL020", f"Job/migrate: sync option {message}")
    ]


def test_each_item_is_reported_at_its_own_column() -> None:
    text = job(annotations='    argocd.argoproj.io/sync-options: "Validate=false, prune=false,Foo"\n')
    assert [(row[1], row[2]) for row in rows(lint_with("HL020", text))] == [(6, 55), (6, 67)]


def test_a_second_prune_item_is_shadowed_by_the_first() -> None:
    text = job(annotations="    argocd.argoproj.io/sync-options: Prune=confirm,Prune=false\n")
    assert rows(lint_with("HL020", text)) == [
        (
            "app.yaml",
            6,
            52,
            "HL020",
            "Job/migrate: sync option 'Prune=false' is ignored: Argo CD reads only the first Prune= item, "
            "'Prune=confirm'",
        )
    ]


@pytest.mark.parametrize(
    "options",
    [
        "Prune=confirm,Delete=confirm",
        "ServerSideApply=true",
        "ServerSideApply=false",
        "Replace=true,Force=true",
        "Validate=false,SkipDryRunOnMissingResource=true,PruneLast=true",
        "Prune=false,Delete=false",
        "Prune=true,Validate=true",
        "Prune=false,Prune=false",
    ],
)
def test_options_argo_acts_on_or_harmless_defaults_are_not_flagged(options: str) -> None:
    assert (
        rows(lint_with("HL020", job(annotations=f"    argocd.argoproj.io/sync-options: {options}\n"))) == []
    )
