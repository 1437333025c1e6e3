"""Item 10: what fix does to the files it writes: it leaves read-only, unwritable and hard-linked files alone
(a note, the rest goes on), keeps the mode, owner, group and extended attributes, syncs the file and then its
folder, and removes the temporary files of an earlier run that was killed."""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from hooklint.cli.main import cli
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


def _fix_as_nobody(repo: Path) -> tuple[int, str]:
    """`hooklint fix app` run in `repo` by a user who is not root (uid and gid 65534, no other group), in a
    child process of this one (root): its exit code and standard error."""
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe and never returns
        code = 99
        try:
            os.close(reading)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            os.chdir(repo)
            result = CliRunner().invoke(cli, ["fix", "app"])
            os.write(writing, json.dumps([result.exit_code, result.stderr]).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(writing)
    with os.fdopen(reading) as pipe:
        said = pipe.read()
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    code, stderr = json.loads(said)
    return code, stderr


NOBODY = 65534


def test_a_file_this_user_cannot_write_is_not_replaced_though_it_has_a_write_bit(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        # The owner's own bits deny it the file that its group may write; the folder is its own.
        repo = tmp_path
        (repo / "app").mkdir()
        path = repo / "app" / "a.yaml"
        path.write_text(JOB)
        path.chmod(0o464)
        before = os.getcwd()
        os.chdir(repo)
        try:
            result = CliRunner().invoke(cli, ["fix", "app"])
        finally:
            os.chdir(before)
        code, stderr = result.exit_code, result.stderr
        assert path.read_text() == JOB
    else:
        # Root may write anything: the file is root's (writable by root alone) in a folder anyone may write,
        # and a user who is not root runs the fix. The rename would need the folder alone.
        repo = Path(tempfile.mkdtemp(prefix="hooklint-test-"))
        try:
            repo.chmod(0o755)
            (repo / "app").mkdir(mode=0o777)
            (repo / "app").chmod(0o777)
            path = repo / "app" / "a.yaml"
            path.write_text(JOB)
            path.chmod(0o644)
            code, stderr = _fix_as_nobody(repo)
            assert (path.read_text(), os.stat(path).st_uid) == (JOB, 0)
        finally:
            shutil.rmtree(repo)
    assert stderr.splitlines()[0] == "hooklint: app/a.yaml is not writable by this user: left as it is"
    assert code == 1


def test_root_does_not_rewrite_a_file_without_any_write_bit(box: Sandbox) -> None:
    locked = box.write("app/a.yaml", JOB)
    locked.chmod(0o444)
    result = box.run(["fix", "app"])
    assert (result.code, locked.read_text()) == (1, JOB)
    assert result.stderr.splitlines()[0] == "hooklint: app/a.yaml is read-only: left as it is"


def test_the_owner_and_group_are_kept(box: Sandbox) -> None:
    path = box.write("app/a.yaml", JOB)
    if os.geteuid() == 0:
        owner, group = 1234, 4321
    else:
        others = [gid for gid in os.getgroups() if gid != os.getegid()]
        if not others:
            pytest.skip("this user belongs to one group only, and may give a file to no other owner")
        owner, group = os.geteuid(), others[0]
    os.chown(path, owner, group)
    result = box.run(["fix", "app"])
    assert (result.code, path.read_text()) == (0, FIXED)
    info = os.stat(path)
    assert (info.st_uid, info.st_gid) == (owner, group)


def test_extended_attributes_are_kept(box: Sandbox) -> None:
    path = box.write("app/a.yaml", JOB)
    try:
        os.setxattr(path, "user.hooklint-test", b"kept")
    except OSError as error:
        pytest.skip(f"the file system refuses extended attributes: {error.strerror}")
    result = box.run(["fix", "app"])
    assert (result.code, path.read_text()) == (0, FIXED)
    assert os.getxattr(path, "user.hooklint-test") == b"kept"


def test_the_file_then_its_folder_are_synced_after_the_rename(
    box: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = box.write("app/a.yaml", JOB)
    folder = os.stat(box.root / "app")
    steps: list[str] = []
    fsync, replace = os.fsync, os.replace

    def synced(descriptor: int) -> None:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            steps.append(
                "folder" if (info.st_dev, info.st_ino) == (folder.st_dev, folder.st_ino) else "other folder"
            )
        else:
            steps.append("file")
        fsync(descriptor)

    def replaced(source: str, target: str) -> None:
        steps.append(f"rename to {os.path.relpath(target, box.root)}")
        replace(source, target)

    monkeypatch.setattr(os, "fsync", synced)
    monkeypatch.setattr(os, "replace", replaced)
    result = box.run(["fix", "app"])
    assert (result.code, path.read_text()) == (0, FIXED)
    assert steps == ["file", "rename to app/a.yaml", "folder"]
