"""The watch itself: it must see what the attack tests rely on it to see, or they could never fail."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys

from tests.security.harness import Sandbox, network, processes


def test_a_read_outside_the_repository_is_recorded_and_one_inside_is_not(box: Sandbox) -> None:
    box.write("app/job.yaml", "kind: Job\n")
    with box.watch() as events:
        (box.root / "app" / "job.yaml").read_text()
        (box.outside / "secret.txt").read_text()
        os.listdir(box.outside)
    secret = os.path.realpath(box.outside / "secret.txt")
    assert box.reads_outside(events) == [secret, os.path.realpath(box.outside)]


def test_a_write_outside_the_repository_is_recorded(box: Sandbox) -> None:
    with box.watch() as events:
        (box.root / "inside.txt").write_text("ok")
        (box.outside / "pwned.txt").write_text("x")
        os.replace(box.outside / "pwned.txt", box.outside / "moved.txt")
    pwned, moved = (os.path.realpath(box.outside / name) for name in ("pwned.txt", "moved.txt"))
    assert box.writes_outside(events) == [pwned, moved, pwned]


def test_connections_and_processes_are_recorded(box: Sandbox) -> None:
    with box.watch() as events:
        with contextlib.suppress(OSError):
            socket.create_connection(("127.0.0.1", 9), timeout=0.1).close()
        subprocess.run([str(box.bin / "helm"), "version"], check=True)
    assert [event.name for event in network(events)][-1] == "socket.connect"
    assert [os.fsdecode(event.args[0]) for event in processes(events)] == [str(box.bin / "helm")]  # type: ignore[arg-type]
    assert box.argv("helm") == [["version"]]


def test_the_fake_tools_are_the_whole_path(box: Sandbox) -> None:
    assert os.environ["PATH"] == str(box.bin)
    assert sorted(p.name for p in box.bin.iterdir()) == ["git", "helm", "kubectl", "kustomize"]
    assert sys.executable  # the fakes run under this interpreter, named in their first line


def test_a_plain_lint_stays_inside_the_repository(box: Sandbox) -> None:
    box.write("app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    result = box.run(["lint", "--jobs", "1", "app"])
    assert (result.code, result.stderr) == (0, "")
    box.confined(result)
