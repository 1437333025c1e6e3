"""Item 7: pre-commit's `*-affected` hooks put the changed files after the options, so a committed file
named like an option must never be read as one."""

from __future__ import annotations

from tests.helpers import NAMED_HOOK
from tests.security.harness import Sandbox

JOB = NAMED_HOOK
FINDING = "apps/a/job.yaml:7:44: error HL101 named-hook-without-before-hook-creation"


def _repository(box: Sandbox) -> None:
    box.write(".hooklint.yaml", "applications: ['apps/*']\n")
    box.write("apps/a/job.yaml", JOB)
    box.write("--select=HL000", "")


def test_a_file_named_like_an_option_before_the_end_of_options_is_a_usage_error(box: Sandbox) -> None:
    _repository(box)
    for verb in ("lint", "fix"):
        result = box.run([verb, "--affected", "--select=HL000", "apps/a/job.yaml"])
        assert (result.code, result.stdout) == (2, "")
        assert result.stderr.endswith(
            "Error: '--select=HL000' names a file, yet it was read as an option: with --affected, end the "
            "options with `--` before the file names\n"
        )
    assert (box.root / "apps/a/job.yaml").read_text() == JOB


def test_after_the_end_of_options_a_file_named_like_an_option_is_a_file(box: Sandbox) -> None:
    _repository(box)
    result = box.run(["lint", "--jobs", "1", "--affected", "--", "--select=HL000", "apps/a/job.yaml"])
    assert result.code == 1
    assert FINDING in result.stdout
    box.confined(result)
