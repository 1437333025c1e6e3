"""Item 10: what fix does to the files it writes: it leaves read-only and hard-linked files alone (a note,
the rest goes on), keeps the mode, and removes the temporary files of an earlier run that was killed."""

from __future__ import annotations

import os
import time

from tests.security.harness import Sandbox
from tests.security.test_confine import JOB

FIXED = JOB.replace("HookSucceeded", "BeforeHookCreation,HookSucceeded")


def test_a_read_only_file_is_not_rewritten_and_the_rest_is(box: Sandbox) -> None:
    locked = box.write("app/a.yaml", JOB)
    box.write("app/b.yaml", JOB.replace("migrate", "seed"))
    locked.chmod(0o444)
    result = box.run(["fix", "app"])
    assert locked.read_text() == JOB
    assert (box.root / "app/b.yaml").read_text() == FIXED.replace("migrate", "seed")
    assert result.stderr.splitlines()[0] == "hooklint: app/a.yaml is read-only: left as it is"
    assert result.code == 1


def test_a_file_with_several_hard_links_is_not_split(box: Sandbox) -> None:
    path = box.write("app/a.yaml", JOB)
    os.link(path, box.root / "a-copy.txt")
    result = box.run(["fix", "app"])
    assert path.read_text() == JOB
    assert os.stat(path).st_nlink == 2
    assert result.stderr.splitlines()[0] == "hooklint: app/a.yaml has 2 hard links: left as it is"
    assert result.code == 1


def test_the_mode_is_kept_and_stale_temporary_files_are_removed(box: Sandbox) -> None:
    path = box.write("app/a.yaml", JOB)
    path.chmod(0o640)
    stale = box.write("app/.hooklint-fix-abc123.tmp", "half")
    fresh = box.write("app/.hooklint-fix-def456.tmp", "another run's, still writing")
    hour_ago = time.time() - 3600
    os.utime(stale, (hour_ago, hour_ago))
    result = box.run(["fix", "app"])
    assert (result.code, path.read_text()) == (0, FIXED)
    assert os.stat(path).st_mode & 0o777 == 0o640
    assert not stale.exists() and fresh.exists()
    assert sorted(os.listdir(box.root / "app")) == [".hooklint-fix-def456.tmp", "a.yaml"]
    box.confined(result)
