"""What git ignores is asked of git in the attacker's repository: its configuration may name programs, and
none of them runs."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import NAMED_HOOK
from tests.security.harness import Sandbox

ASKED = [
    "-c",
    "core.fsmonitor=false",
    "-c",
    "core.untrackedCache=false",
    "ls-files",
    "-z",
    "--others",
    "--ignored",
    "--exclude-standard",
    "--directory",
    "--",
    ".",
]


def test_the_repositorys_fsmonitor_never_runs_when_git_is_asked_what_it_ignores(git_box: Sandbox) -> None:
    ran = git_box.outside / "fsmonitor-ran"
    monitor = git_box.write("monitor", f"#!{sys.executable}\nopen({str(ran)!r}, 'w').close()\n")
    monitor.chmod(0o755)
    with (git_box.root / ".git" / "config").open("a") as config:
        config.write(f"[core]\n\tfsmonitor = {monitor}\n")
    git_box.write(".gitignore", "build/\n")
    git_box.write("build/job.yaml", NAMED_HOOK)
    git_box.write("app/job.yaml", NAMED_HOOK)
    result = git_box.run(["lint", "--jobs", "1", "--select", "HL101", "--format", "json", "."])
    assert not ran.exists()
    assert git_box.argv("git") == [ASKED]
    assert '"file": "app/job.yaml"' in result.stdout and "build/" not in result.stdout
    # The same question without hooklint's settings starts the repository's program: the guard is needed.
    subprocess.run(
        [str(git_box.bin / "git"), "ls-files", "--others", "--ignored", "--exclude-standard"],
        cwd=git_box.root,
        capture_output=True,
        check=False,
    )
    assert ran.exists()
