"""What git ignores under a folder, asked of git itself, without letting the repository's configuration run
anything (docs/design-notes.md#git-ignored-files)."""

from __future__ import annotations

import os

from hooklint.util.frozen import frozen

TIMEOUT = 30
# A repository's own configuration may name programs: `core.fsmonitor` is one git runs to list files, and the
# only one `ls-files` would start. The command line's settings win over every configuration file.
_SAFE = ("-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false")


@frozen
class _Answer:
    folder: str  # absolute
    names: tuple[str, ...]  # ignored files and folders relative to it, normalized


# One answer per folder asked, kept for the command: the workers of a repository of applications are forked
# after the roots were found, and find their own folders inside a folder already asked about.
_ANSWERS: list[_Answer] = []


def paths(folder: str) -> frozenset[str]:
    """The files and folders under `folder` that git ignores, spelled as a walk from `folder` spells them
    (os.path.join, normalized). Nothing outside a git work tree, when git is missing or fails: then
    nothing is left out."""
    spelled = os.path.normpath(folder)
    absolute = os.path.abspath(spelled)
    for answer in _ANSWERS:
        if absolute == answer.folder:
            below = ""
        elif absolute.startswith(answer.folder.rstrip(os.sep) + os.sep):
            below = os.path.relpath(absolute, answer.folder) + os.sep
        else:
            continue
        return frozenset(
            os.path.join(spelled, name[len(below) :]) if spelled != os.curdir else name[len(below) :]
            for name in answer.names
            if name.startswith(below)
        )
    names = tuple(os.path.normpath(name) for name in _ask(spelled))
    _ANSWERS.append(_Answer(absolute, names))
    return paths(spelled)


def forget() -> None:
    """Drop the answers: each command asks anew (a repository changes between two commands run in one
    process)."""
    _ANSWERS.clear()


def _in_work_tree(folder: str) -> bool:
    """Whether a `.git` lies in `folder` or above it, looked for without running git."""
    probe = os.path.realpath(folder)
    while True:
        if os.path.exists(os.path.join(probe, ".git")):
            return True
        parent = os.path.dirname(probe)
        if parent == probe:
            return False
        probe = parent


def _ask(folder: str) -> list[str]:
    """The ignored paths under `folder` relative to it (folders end with `/`, which normpath drops)."""
    if not os.path.isdir(folder) or not _in_work_tree(folder):
        return []
    import subprocess

    from hooklint.util import spawn

    command = ["git", *_SAFE, "ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory"]
    environment = spawn.environment(GIT_ALLOW_PROTOCOL="none", GIT_NO_LAZY_FETCH="1", GIT_TERMINAL_PROMPT="0")
    try:
        done = spawn.execute([*command, "--", "."], TIMEOUT, environment, cwd=folder)
    except (OSError, subprocess.TimeoutExpired):
        return []  # no git, or it hung: nothing is left out, as outside a repository
    if done.code != 0:
        return []
    return [name for name in done.stdout.decode("utf-8", "surrogateescape").split("\0") if name]
