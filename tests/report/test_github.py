"""The github format (hooklint/report/github.py): workflow commands with escaped data and properties."""

from __future__ import annotations

from hooklint.report import reporter
from hooklint.rules import ALL_RULES
from tests.report.sample import summary


def test_github_workflow_commands_escape_data_and_properties() -> None:
    assert reporter("github")(summary(), ALL_RULES) == (
        "::error file=apps/job.yaml,line=6,col=44,endLine=6,endColumn=57,title=HL101 named-hook-without-before-hook-creation::Job/migrate lacks it\n"
        "::warning file=apps/job.yaml,line=6,col=5,endLine=6,endColumn=42,title=HL201 dependency-applied-later::needs ConfigMap/x, applied later: a,b\n"
        "::notice file=stdin,line=1,col=1,title=HL111 hook-failed-policy-deletes-evidence::100%25 gone%0Alater\n"
    )
