"""Honest exits: each run that cannot do what was asked says so in one line and exits as
docs/design-notes.md#exit-codes says."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import invoke, write  # noqa: F401

NAMED_HOOK = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: HookSucceeded
"""


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["rules"], id="rules"),
        pytest.param(["lint", "job.yaml"], id="lint"),
        pytest.param(["explain", "job.yaml"], id="explain"),
        pytest.param(["fix", "--diff", "job.yaml"], id="fix-diff"),
    ],
)
def test_a_pipe_closed_before_the_output_ends_the_run_quietly(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "job.yaml").write_text(NAMED_HOOK)
    read, written = os.pipe()
    os.close(read)  # the reader is gone before hooklint writes a byte: every write meets a closed pipe
    try:
        done = subprocess.run(
            [sys.executable, "-m", "hooklint", *args],
            cwd=tmp_path,
            stdout=written,
            stderr=subprocess.PIPE,
            check=False,
            timeout=60,
        )
    finally:
        os.close(written)
    assert (done.returncode, done.stderr) == (141, b"")
    assert (tmp_path / "job.yaml").read_text() == NAMED_HOOK
