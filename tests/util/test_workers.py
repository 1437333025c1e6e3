"""Work shared with forked processes: every result, in order, whoever computed it; a failure in a child is
raised in the parent, told as it happened there."""

from __future__ import annotations

import os
import select
import signal
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from hooklint import rules as registry
from hooklint.cli.main import cli
from hooklint.model import Rule, Severity
from hooklint.util import workers
from hooklint.util.workers import WorkerError

pytestmark = pytest.mark.skipif(not workers.available(), reason="needs fork")


@pytest.mark.parametrize("count", [0, 1, 2, 7, 1024, 2500])
@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_every_result_comes_back_in_the_order_of_the_items(count: int, jobs: int) -> None:
    # 2,500 items are more than there are tokens: neighbours share one.
    assert workers.run(lambda n: n * n, list(range(count)), jobs) == [n * n for n in range(count)]


def test_the_parent_and_its_children_share_the_items() -> None:
    def pid(_: int) -> int:
        time.sleep(0.005)
        return os.getpid()

    pids = workers.run(pid, list(range(60)), 2)
    assert os.getpid() in pids
    assert len(set(pids)) == 2


def test_a_child_does_not_wait_for_a_busy_parent_to_read_its_results() -> None:
    # Each result is larger than a pipe holds. The parent, over its own item, waits until the child has
    # computed all the others: a child that waited for the parent to read would compute no more than two,
    # and the parent would stop waiting short of nine. No clock decides the outcome; one only bounds a hang.
    parent = os.getpid()
    done, told = os.pipe()
    waited: list[bool] = []  # the parent waits over its first item only

    def work(_: int) -> tuple[int, bytes]:
        if os.getpid() != parent:
            os.write(told, b".")
            return -1, b"x" * 200_000
        seen = b""
        while not waited and len(seen) < 9 and select.select([done], [], [], 30)[0]:
            seen += os.read(done, 9 - len(seen))
        waited.append(True)
        return len(seen), b"x" * 200_000

    try:
        results = workers.run(work, list(range(10)), 2)
    finally:
        os.close(done)
        os.close(told)
    assert all(data == b"x" * 200_000 for _, data in results)
    assert {seen for seen, _ in results} <= {-1, 9}  # -1: a child's item; the parent may have had none


def test_an_exception_in_a_child_is_raised_in_the_parent() -> None:
    parent = os.getpid()

    def work(n: int) -> int:
        if os.getpid() == parent:
            time.sleep(0.05)
            return n
        raise ValueError(f"bad item {n}")

    with pytest.raises(WorkerError, match=r"^bad item \d+$") as raised:
        workers.run(work, list(range(20)), 2)
    assert raised.value.kind == "ValueError"
    filename, line, function = raised.value.where
    assert (Path(filename).name, function) == ("test_workers.py", "work")
    assert line > 0


def test_a_child_that_dies_is_an_error_not_a_hang() -> None:
    parent = os.getpid()

    def work(n: int) -> int:
        if os.getpid() == parent:
            time.sleep(0.05)
            return n
        os.kill(os.getpid(), signal.SIGKILL)
        return n

    with pytest.raises(WorkerError, match=r"^a worker process ended early \(killed by signal 9\)$"):
        workers.run(work, list(range(20)), 2)


def test_without_fork_the_work_stays_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "available", lambda: False)
    assert set(workers.run(lambda _: os.getpid(), list(range(50)), 4)) == {os.getpid()}


def test_a_rule_crashing_in_an_application_is_reported_alike_whatever_the_jobs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # It hung the run once: the exception did not come back from the worker.
    def boom(ctx: object) -> list[object]:
        raise KeyError("spec")

    crash = Rule("HL997", "crashes", "test", Severity.ERROR, boom)  # type: ignore[arg-type]
    monkeypatch.setattr(registry, "ALL_RULES", (*registry.ALL_RULES, crash))
    for app in "abcd":
        (tmp_path / "apps" / app).mkdir(parents=True)
        (tmp_path / "apps" / app / "cm.yaml").write_text(
            f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {app}\n"
        )
    outcomes = set()
    for jobs in ("1", "2", "3"):
        result = CliRunner().invoke(
            cli, ["lint", "--select", "HL997", "--applications", "apps/*", "--jobs", jobs, str(tmp_path)]
        )
        outcomes.add((result.exit_code, result.stdout, result.stderr))
    # The place is the rule's caller in the engine, in whichever process the rule crashed.
    [(code, out, err)] = outcomes
    assert (code, out) == (3, "")
    assert err.startswith(
        "hooklint 0.1.0: internal error: RuleCrashed: rule HL997 (crashes) crashed: KeyError: 'spec'\n"
        "  at engine/run.py:"
    )
    assert err.endswith(
        " in _run\nThis is a bug in hooklint. Please report it with the command and the input "
        "at https://github.com/hooklint/hooklint/issues\n"
    )


def test_a_worker_killed_by_sigkill_is_reported_as_killed_not_as_a_bug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The kernel's out-of-memory killer sends SIGKILL: the run says so, and does not ask for a bug report.
    parent = os.getpid()

    def killed(ctx: object) -> list[object]:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(0.2)
        return []

    rule = Rule("HL997", "killed", "test", Severity.ERROR, killed)  # type: ignore[arg-type]
    monkeypatch.setattr(registry, "ALL_RULES", (*registry.ALL_RULES, rule))
    for app in "abcd":
        (tmp_path / "apps" / app).mkdir(parents=True)
        (tmp_path / "apps" / app / "cm.yaml").write_text(
            f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {app}\n"
        )
    result = CliRunner().invoke(
        cli, ["lint", "--select", "HL997", "--applications", "apps/*", "--jobs", "2", str(tmp_path)]
    )
    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr == (
        "hooklint: a worker process was killed (SIGKILL), most likely by the system for lack of memory: "
        "run with fewer --jobs, or with more memory\n"
    )
