"""Manifests as they were at a git revision, read with git itself (no checkout, the work tree untouched)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence

from hooklint.config import ConfigError
from hooklint.discovery import YAML_SUFFIXES, not_manifest_reason
from hooklint.loader import LoadResult, load_bytes
from hooklint.model import Problem, Resource

TIMEOUT = 60


def _git(args: Sequence[str], cwd: str, data: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, input=data, capture_output=True, timeout=TIMEOUT, check=False
        )
    except FileNotFoundError:
        raise ConfigError("--base needs git, which is not on PATH") from None
    except subprocess.TimeoutExpired:
        raise ConfigError(f"git {args[0]} took longer than {TIMEOUT} s") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ConfigError(f"git {args[0]}: {message[0] if message else 'failed'}")
    return done.stdout


def load_at(ref: str, paths: Sequence[str], prune: frozenset[str] = frozenset()) -> LoadResult:
    """The manifests under `paths` as they were at `ref`, but for those under the folders in `prune`. Files
    are named `REF:repo/relative/path`, the way `git show` takes them. A revision or repository git does
    not know is a ConfigError (exit 2)."""
    cwd = os.getcwd()
    try:
        root = _git(["rev-parse", "--show-toplevel"], cwd).decode().strip()
    except ConfigError:
        raise ConfigError("--base needs the manifests to be in a git repository") from None
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd)
    except ConfigError:
        raise ConfigError(f"--base: unknown git revision {ref!r}") from None
    pruned = tuple(os.path.relpath(os.path.abspath(p), root).replace(os.sep, "/") + "/" for p in prune)
    wanted: list[str] = []
    for given in paths:
        if given == "-":
            continue
        relative = os.path.relpath(os.path.abspath(given), root).replace(os.sep, "/")
        listed = _git(["ls-tree", "-r", "-z", "--name-only", ref, "--", relative], root)
        names = [name for name in listed.decode("utf-8", "replace").split("\0") if name]
        charts = {os.path.dirname(n) for n in names if os.path.basename(n) == "Chart.yaml"}
        for name in names:
            inside = name[len(relative) :].lstrip("/") if relative != "." else name
            hidden = any(part.startswith(".") for part in inside.split("/"))
            in_chart = any(name.startswith(chart + "/") for chart in charts)
            basename = os.path.basename(name)
            if (
                name.endswith(YAML_SUFFIXES)
                and not hidden
                and not in_chart
                and not not_manifest_reason(basename)
                and not name.startswith(pruned)
            ):
                wanted.append(name)
    wanted = sorted(dict.fromkeys(wanted))
    resources: list[Resource] = []
    problems: list[Problem] = []
    texts: dict[str, str] = {}
    for name, data in zip(wanted, _read_blobs(ref, wanted, root), strict=True):
        display = f"{ref}:{name}"
        result = load_bytes(display, data)
        resources.extend(result.resources)
        problems.extend(result.problems)
        texts[display] = result.text
    return LoadResult(tuple(resources), tuple(problems), tuple(texts), (), texts)


def _read_blobs(ref: str, names: Sequence[str], root: str) -> list[bytes]:
    """Every file's bytes in one `git cat-file --batch` call."""
    if not names:
        return []
    output = _git(["cat-file", "--batch"], root, "".join(f"{ref}:{name}\n" for name in names).encode())
    blobs: list[bytes] = []
    position = 0
    for _ in names:
        header_end = output.index(b"\n", position)
        size = int(output[position:header_end].split()[2])
        start = header_end + 1
        blobs.append(output[start : start + size])
        position = start + size + 1
    return blobs
