"""Tests of HL015 skip-mixed-with-hook-types."""

from __future__ import annotations

import pytest

from tests.helpers import job, lint_with, rows


def test_skip_next_to_other_types_is_flagged_at_the_skip_item() -> None:
    text = job(annotations="    argocd.argoproj.io/hook: PreSync,Skip,PostSync\n", document=True)
    assert rows(lint_with("HL015", text)) == [
        (
            "app.yaml",
            7,
            38,
            "HL015",
            "Skip is ignored next to PreSync,PostSync: Job/migrate is not skipped, it runs as a hook in PreSync "
            "wave 0, PostSync wave 0",
        )
    ]


def test_skip_next_to_a_delete_type_and_a_sync_type_names_both() -> None:
    (row,) = rows(
        lint_with(
            "HL015",
            job(annotations='    argocd.argoproj.io/hook: "Skip,SyncFail,PostDelete"\n', document=True),
        )
    )
    assert row[4].endswith("it runs as a hook in SyncFail wave 0, PostDelete on Application deletion")


@pytest.mark.parametrize(
    "value",
    ["Skip", "Skip,Garbage", "Skip,Skip", "PreSync,PostSync"],
    ids=["skip-alone", "skip-and-garbage", "skip-repeated", "no-skip"],
)
def test_skip_alone_is_not_hl015(value: str) -> None:
    assert (
        rows(lint_with("HL015", job(annotations=f"    argocd.argoproj.io/hook: {value}\n", document=True)))
        == []
    )
