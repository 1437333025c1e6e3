"""Work shared among forked processes: this one and `jobs - 1` children, each taking the next items as soon
as it is free. The children inherit everything (the input, the settings, the function itself) and send back
only results.

multiprocessing.Pool did this before. Its three threads and the pickling of every task took a tenth of a
core from the workers, a rule that crashed in a worker hung the run (the exception did not unpickle), and
importing it took longer than a small application's lint. Here the parent works too, every process takes
items from one pipe of tokens, and each child's results come back over a pipe of its own."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# The tokens are written at once, before any process reads: 1,024 four-byte tokens fit in the smallest pipe
# buffer of any system with fork, so the write never blocks. Longer inputs share a token among neighbours.
_TOKENS = 1024
_LENGTH = 8  # bytes that give each frame's length
_FAILED = -1  # the index of a frame that carries an exception's description instead of a result


class WorkerError(Exception):
    """An exception raised in a child process, told by its type's name, its text and where it was raised
    (file name, line, function), which is all that crosses the pipe."""

    def __init__(self, kind: str, message: str, where: tuple[str, int, str]) -> None:
        super().__init__(message)
        self.kind, self.where = kind, where


class WorkerKilled(WorkerError):
    """A child process ended by SIGKILL: nothing in hooklint sends it, the system's out-of-memory killer
    does."""


def available() -> bool:
    return hasattr(os, "fork")


def run(work: Callable[[T], R], items: Sequence[T], jobs: int) -> list[R]:
    """`work(item)` for every item, in the items' order, computed by `jobs` processes (one where there is no
    fork). The first exception raised in a child is raised here as a WorkerError, and the children stop."""
    jobs = min(jobs, len(items))
    if jobs <= 1 or not available():
        return [work(item) for item in items]
    size = -(-len(items) // _TOKENS)
    chunks = [range(start, min(len(items), start + size)) for start in range(0, len(items), size)]
    tokens, write_end = os.pipe()
    os.write(write_end, b"".join(i.to_bytes(4, "little") for i in range(len(chunks))))
    os.close(write_end)  # with every token in, a read after the last one finds the end, in every process

    def claimed() -> Iterator[int]:
        # A read of four bytes is atomic among the readers of a pipe, and every token is four bytes.
        while token := os.read(tokens, 4):
            yield from chunks[int.from_bytes(token, "little")]

    children: list[_Child] = []
    try:
        children += [_Child(lambda pipe: _serve(work, items, claimed(), pipe)) for _ in range(jobs - 1)]
        results: dict[int, Any] = {}
        for index in claimed():
            results[index] = work(items[index])
            for child in children:
                child.receive(results, wait=False)
        for child in children:
            child.receive(results, wait=True)
        return [results[index] for index in range(len(items))]
    finally:
        os.close(tokens)
        for child in children:
            child.stop()


class _Child:
    """A forked process, seen from the parent: its pid, and the pipe its results come back on."""

    def __init__(self, serve: Callable[[int], None]) -> None:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child, which never returns into the caller's frames
            status = 1
            try:
                os.close(read_end)
                signal.signal(signal.SIGINT, signal.SIG_DFL)  # an interrupt ends it; the parent reports it
                serve(write_end)
                status = 0
            finally:
                os._exit(status)
        os.close(write_end)
        os.set_blocking(read_end, False)
        self.pid, self.pipe = pid, read_end
        self.buffer = bytearray()

    def receive(self, results: dict[int, Any], wait: bool) -> None:
        """Takes in the results that have come; with `wait`, all of them, to the child's end."""
        import select  # this and pickle load only when a run forks: one process needs neither

        while self.pipe >= 0:
            try:
                data = os.read(self.pipe, 1 << 20)
            except BlockingIOError:
                if not wait:
                    return
                select.select([self.pipe], [], [])
                continue
            if not data:
                self._close()
                status = self._reap()
                if status == -signal.SIGKILL:
                    raise WorkerKilled(
                        "WorkerKilled", "a worker process ended early (killed by signal 9)", ("", 0, "")
                    )
                if status or self.buffer:
                    ended = f"killed by signal {-status}" if status < 0 else f"exit status {status}"
                    raise WorkerError("WorkerError", f"a worker process ended early ({ended})", ("", 0, ""))
                return
            self.buffer += data
            self._unpack(results)

    def _unpack(self, results: dict[int, Any]) -> None:
        import pickle

        at, size = 0, len(self.buffer)
        with memoryview(self.buffer) as view:
            while size - at >= _LENGTH:
                length = int.from_bytes(view[at : at + _LENGTH], "little")
                if size - at - _LENGTH < length:
                    break
                index, value = pickle.loads(view[at + _LENGTH : at + _LENGTH + length])
                at += _LENGTH + length
                if index == _FAILED:
                    raise WorkerError(*value)
                results[index] = value
        del self.buffer[:at]

    def stop(self) -> None:
        """Ends the child if it still runs (after a failure), and collects its exit."""
        if self.pipe >= 0:
            self._close()
        if self.pid:
            os.kill(self.pid, signal.SIGTERM)
            self._reap()

    def _close(self) -> None:
        os.close(self.pipe)
        self.pipe = -1

    def _reap(self) -> int:
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        return os.waitstatus_to_exitcode(status)


def _serve(work: Callable[[T], Any], items: Sequence[T], claimed: Iterator[int], pipe: int) -> None:
    """A child's loop: each claimed item's result goes into the pipe as far as the pipe takes it, so the
    child never waits on a parent that is busy with an item of its own; the rest goes at the end."""
    import pickle
    import traceback

    pending = bytearray()
    os.set_blocking(pipe, False)
    for index in claimed:
        try:
            frame = pickle.dumps((index, work(items[index])), pickle.HIGHEST_PROTOCOL)
        except Exception as error:
            where = traceback.extract_tb(error.__traceback__)[-1]
            failure = (type(error).__name__, str(error), (where.filename, where.lineno or 0, where.name))
            frame = pickle.dumps((_FAILED, failure), pickle.HIGHEST_PROTOCOL)
            pending += len(frame).to_bytes(_LENGTH, "little") + frame
            break
        pending += len(frame).to_bytes(_LENGTH, "little") + frame
        with contextlib.suppress(BlockingIOError):  # a full pipe: the parent is busy; this goes next time
            del pending[: os.write(pipe, pending)]
    os.set_blocking(pipe, True)
    view = memoryview(pending)
    while view:
        view = view[os.write(pipe, view) :]
