"""The attacker's repository and the watch on hooklint: fake tools that record their arguments, and an audit
hook that records every file hooklint opens, every process it starts and every connection it tries."""

from __future__ import annotations

import json
import os
import sys
import sysconfig
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner

from hooklint.cli.main import cli
from hooklint.util.confine import COPY_PREFIX

TOOLS = ("helm", "kustomize", "kubectl", "git")


# Events that name a file being opened, listed or changed: the first argument is the path.
_FILE_EVENTS = frozenset(
    {
        "open",
        "os.listdir",
        "os.scandir",
        "os.rename",
        "os.remove",
        "os.rmdir",
        "os.mkdir",
        "os.chmod",
        "os.chown",
        "os.link",
        "os.symlink",
        "os.truncate",
        "os.utime",
        "shutil.copyfile",
        "shutil.rmtree",
    }
)
_WRITE_EVENTS = _FILE_EVENTS - {"open", "os.listdir", "os.scandir"}
_PROCESS_EVENTS = frozenset(
    {"subprocess.Popen", "os.exec", "os.posix_spawn", "os.spawn", "os.system", "os.fork"}
)
_NETWORK_EVENTS = frozenset(
    {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request"}
)


@dataclass(frozen=True)
class Event:
    name: str
    args: tuple[object, ...]
    cwd: str  # relative paths in `args` are read from here


_watching: list[Event] | None = None


def _hook(name: str, args: tuple[object, ...]) -> None:
    if _watching is not None and (name in _FILE_EVENTS or name in _PROCESS_EVENTS or name in _NETWORK_EVENTS):
        _watching.append(Event(name, args, os.getcwd()))


sys.addaudithook(_hook)


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str
    events: list[Event] = field(default_factory=list)


@dataclass
class Sandbox:
    """A repository written by the attacker, a folder beside it that holds what must stay private, and a
    PATH of fake tools. Runs hooklint in this process with the audit hook watching."""

    root: Path  # the repository (a git work tree when `git` is asked for)
    outside: Path  # beside the repository: nothing in it may be read or written
    bin: Path  # the only folder on PATH

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    def tool(self, name: str, stdout: str = "", stderr: str = "", code: int = 0) -> None:
        """A fake `name` that records its arguments, its working folder and its environment, then prints."""
        script = self.bin / name
        script.unlink(missing_ok=True)  # never written through: a link here could lead to a real tool
        script.write_text(
            _recording(self.bin / f"{name}.log") + f"sys.stdout.write({stdout!r})\n"
            f"sys.stderr.write({stderr!r})\n"
            f"sys.exit({code})\n"
        )
        script.chmod(0o755)

    def real(self, name: str, path: str) -> None:
        """`name` as the real tool at `path`, through a script of its own that records each call and hands it
        to the tool: nothing is ever written where the tool lives."""
        script = self.bin / name
        script.unlink(missing_ok=True)
        script.write_text(
            _recording(self.bin / f"{name}.log") + f"os.execv({path!r}, [{path!r}, *sys.argv[1:]])\n"
        )
        script.chmod(0o755)

    def calls(self, name: str) -> list[dict[str, object]]:
        log = self.bin / f"{name}.log"
        return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []

    def argv(self, name: str) -> list[list[str]]:
        return [list(call["argv"]) for call in self.calls(name)]  # type: ignore[call-overload]

    def run(self, args: Sequence[str], stdin: str | None = None, env: dict[str, str] | None = None) -> Result:
        """`hooklint ARGS` from the repository's root, in one process (--jobs 1 is the caller's to pass
        where a verb could fork), with every file, process and network event recorded."""
        with self.watch() as events:
            outcome = CliRunner().invoke(cli, list(args), input=stdin, env=env, catch_exceptions=False)
        return Result(outcome.exit_code, outcome.stdout, outcome.stderr, events)

    @contextmanager
    def watch(self) -> Iterator[list[Event]]:
        """Record the events of the code run inside, from the repository's root."""
        global _watching
        events: list[Event] = []
        previous = os.getcwd()
        os.chdir(self.root)
        _watching = events
        try:
            yield events
        finally:
            _watching = None
            os.chdir(previous)

    def _trusted(self, path: str) -> bool:
        """Where hooklint may read without it being the repository: Python itself, the installed packages,
        hooklint's own data, the fake tools, and the devices a process uses."""
        places = {
            sys.prefix,
            sys.base_prefix,
            sys.exec_prefix,
            *sysconfig.get_paths().values(),
            str(self.bin),
        }
        places.add(str(Path(__file__).resolve().parents[2] / "hooklint"))
        return (
            path in ("/dev/null", "/dev/tty")
            or any(_within(path, place) for place in places if place)
            or _chart_copy(path)
        )

    def reads_outside(self, events: Sequence[Event]) -> list[str]:
        """Every path opened or listed that is neither in the repository nor trusted."""
        return [
            path
            for event in events
            if event.name in _FILE_EVENTS
            for path in _paths(event)
            if not _within(path, str(self.root)) and not self._trusted(path)
        ]

    def writes_outside(self, events: Sequence[Event]) -> list[str]:
        """Every path written, renamed, removed or changed outside the repository, and every file opened
        for writing there."""
        changed = [path for event in events if event.name in _WRITE_EVENTS for path in _paths(event)]
        changed += [
            path for event in events if event.name == "open" and _writes(event) for path in _paths(event)
        ]
        # subprocess opens the null device for reading and writing to give a tool no standard input.
        return [
            path
            for path in changed
            if not _within(path, str(self.root)) and path != os.devnull and not _chart_copy(path)
        ]

    def confined(self, result: Result) -> None:
        """Assert that a run read and wrote nothing outside the repository and tried no connection."""
        assert self.reads_outside(result.events) == []
        assert self.writes_outside(result.events) == []
        assert network(result.events) == []


def planned(box: Sandbox, *args: str) -> tuple[list[str], str]:
    """`hooklint explain --format json ARGS`, confined: every object of the plan as Kind/name, and standard
    error."""
    result = box.run(["explain", "--format", "json", *args])
    box.confined(result)
    assert result.code == 0, result.stderr
    steps = json.loads(result.stdout)["steps"]
    return [f"{t['kind']}/{t['name']}" for step in steps for t in step["tasks"]], result.stderr


def network(events: Sequence[Event]) -> list[Event]:
    return [event for event in events if event.name in _NETWORK_EVENTS]


def processes(events: Sequence[Event]) -> list[Event]:
    return [event for event in events if event.name in _PROCESS_EVENTS]


def _recording(log: Path) -> str:
    """The start of a fake tool's script: it records its arguments, working folder and environment in `log`."""
    return (
        f"#!{sys.executable}\n"
        "import json, os, sys\n"
        f"with open({str(log)!r}, 'a') as log:\n"
        "    log.write(json.dumps({'argv': sys.argv[1:], 'cwd': os.getcwd(), 'env': dict(os.environ)}) + '\\n')\n"
    )


def _paths(event: Event) -> Iterator[str]:
    count = 2 if event.name in {"os.rename", "os.link", "os.symlink", "shutil.copyfile"} else 1
    for arg in event.args[:count]:
        if isinstance(arg, (str, bytes, os.PathLike)):
            yield os.path.realpath(os.path.join(event.cwd, os.fsdecode(arg)))


def _writes(event: Event) -> bool:
    mode, flags = (*event.args, None, None)[1:3]
    if isinstance(mode, str) and any(c in mode for c in "wax+"):
        return True
    return isinstance(flags, int) and bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC))


def _chart_copy(path: str) -> bool:
    """Whether `path` lies in the private copy hooklint makes of a chart that holds `.git`, for helm to read
    without it (hooklint.util.confine.without_git)."""
    import tempfile

    return os.path.relpath(path, os.path.realpath(tempfile.gettempdir())).startswith(COPY_PREFIX)


def _within(path: str, folder: str) -> bool:
    folder = os.path.realpath(folder)
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


@contextmanager
def sandbox(tmp_path: Path, git: bool = False) -> Iterator[Sandbox]:
    """A sandbox under `tmp_path` whose PATH holds only fake tools (each prints nothing and succeeds until
    a test says otherwise). With `git`, the repository is a real git work tree, made with the real git
    before PATH is narrowed; the fake `git` then records and passes every call to the real one."""
    import shutil
    import subprocess

    root, outside, folder = tmp_path / "repo", tmp_path / "outside", tmp_path / "bin"
    for place in (root, outside, folder):
        place.mkdir()
    (outside / "secret.txt").write_text("apiVersion: v1\nkind: Secret\nmetadata: {name: stolen}\n")
    box = Sandbox(root, outside, folder)
    for name in TOOLS:
        box.tool(name)
    real_git = shutil.which("git")
    if git and real_git is not None:
        subprocess.run([real_git, "init", "-q", str(root)], check=True)
        (folder / "git").write_text(
            _recording(folder / "git.log") + f"os.execv({real_git!r}, ['git', *sys.argv[1:]])\n"
        )
    saved = {name: os.environ.get(name) for name in ("PATH", "HOME")}
    os.environ["PATH"] = str(folder)
    try:
        yield box
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
