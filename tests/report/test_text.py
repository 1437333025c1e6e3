"""The text format (hooklint/report/text.py): findings with source lines and carets, colour only when asked."""

from __future__ import annotations

from hooklint.report import reporter
from hooklint.rules import ALL_RULES
from tests.report.sample import summary


def test_text_shows_each_finding_with_its_source_line_and_caret_grouped_by_file() -> None:
    assert reporter("text")(summary(), ALL_RULES) == (
        "apps/job.yaml:6:44: error HL101 named-hook-without-before-hook-creation: Job/migrate lacks it\n"
        "        argocd.argoproj.io/hook-delete-policy: HookSucceeded\n"
        "                                               ^^^^^^^^^^^^^\n"
        "apps/job.yaml:6:5: warning HL201 dependency-applied-later: needs ConfigMap/x, applied later: a,b\n"
        "        argocd.argoproj.io/hook-delete-policy: HookSucceeded\n"
        "        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
        "\n"
        "<stdin>:1:1: info HL111 hook-failed-policy-deletes-evidence: 100% gone\\nlater\n"
        "\n"
        "3 finding(s) (1 error, 1 warning, 1 info) in 2 file(s), 1 resource(s)\n"
    )


def test_text_colours_only_when_asked() -> None:
    assert "\033[31merror\033[0m" in reporter("text")(summary(color=True), ALL_RULES)
    assert "\033[" not in reporter("text")(summary(), ALL_RULES)
