"""What a fix run hands back: the summary for standard error, unified diffs, and atomic file writes."""

from __future__ import annotations

import codecs
import contextlib
import difflib
import os
import stat
import tempfile
import time
from collections import Counter

from hooklint.fix.fixer import Outcome
from hooklint.model import Finding


def summary(outcome: Outcome, *, unsafe: bool, dry_run: bool, listed: bool = False) -> list[str]:
    """What was refused, what was fixed, what remains (each finding `listed` when no report follows to list
    them), and what needs --unsafe-fixes or was held back, as lines for stderr."""
    counts = Counter(f.rule for f in outcome.fixed)
    by_rule = ", ".join(f"{rule} ×{n}" for rule, n in sorted(counts.items()))
    changed = len(outcome.changed)
    verb = "would fix" if dry_run else "fixed"
    # One note per place: the findings of every object an alias shares are refused at one node.
    refused = dict.fromkeys(
        f"hooklint: {r.finding.span.path}:{r.finding.span.line}: not fixed: {r.reason}"
        for r in outcome.refused
    )
    lines = [
        *refused,
        f"hooklint: {verb} {len(outcome.fixed)} finding(s) in {changed} file(s)"
        + (f" ({by_rule})" if by_rule else "")
        + f"; {len(outcome.remaining)} remain"
        + (":" if listed and outcome.remaining else ""),
    ]
    if listed:
        lines += [f"  {_where(f)}: {f.rule} {f.message}" for f in outcome.remaining]
    needing = outcome.needing_unsafe(unsafe)
    if needing:
        lines.append(f"hooklint: {len(needing)} of them can be fixed with --unsafe-fixes:")
        lines += [f"  {_where(f)}: {f.rule} {f.fix.title if f.fix else ''}" for f in needing]
    if outcome.revealed:
        lines.append(
            f"hooklint: {len(outcome.revealed)} of them came to light once Argo CD reads the corrected annotations:"
        )
        lines += [f"  {_where(f)}: {f.rule} {f.name}" for f in outcome.revealed]
    if outcome.held_back:
        lines.append(f"hooklint: {len(outcome.held_back)} fix(es) held back, as they would add findings:")
        lines += [
            f"  {_where(h.finding)}: {h.finding.rule} {h.finding.fix.title if h.finding.fix else ''}"
            + (f" (would add {', '.join(h.would_add)})" if h.would_add else " (would not remove the finding)")
            for h in outcome.held_back
        ]
    return lines


def _where(finding: Finding) -> str:
    return f"{finding.span.path}:{finding.span.line}:{finding.span.column}"


def unified_diff(path: str, before: str, after: str) -> str:
    """A unified diff of one file, as git writes one: the path under `a/` and `b/` (`git apply` or
    `patch -p1` in the current folder takes it), relative to the current folder when it lies inside, with
    `\\ No newline at end of file` where it applies."""
    name = diff_name(path)
    lines: list[str] = []
    for line in difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{name}", f"b/{name}"
    ):
        lines.append(line)
        if not line.endswith("\n"):
            lines.append("\n\\ No newline at end of file\n")
    return "".join(lines)


def diff_name(path: str) -> str:
    """`path` as a diff names it: relative to the current folder when it lies inside, else without its
    leading slash (the `a/` or `b/` stands for the root, as in git's diffs)."""
    if os.path.isabs(path):
        try:
            relative = os.path.relpath(path)
        except ValueError:  # on another drive
            relative = os.pardir
        if relative != os.pardir and not relative.startswith(os.pardir + os.sep):
            return relative.replace(os.sep, "/")
    return path.lstrip("/")


class ChangedSinceRead(Exception):
    """The file on disk is no longer the text the fixes were made for."""


class Refused(Exception):
    """A file fix leaves alone: why, in a few words (`is read-only`, `has 2 hard links`)."""


# Temporary files of ours, in the folder of the file they replace; one older than this is a killed run's.
TEMPORARY_PREFIX = ".hooklint-fix-"
TEMPORARY_SUFFIX = ".tmp"
STALE_AFTER = 600.0  # seconds


def write(path: str, before: str, after: str) -> None:
    """Replace `path`'s content `before` with `after` atomically (a temporary file in the same folder, then a
    rename), keeping its byte order mark, mode, owner and group where permitted, extended attributes where
    supported, and, for a symbolic link, the link; the file and its folder are synced. Raises
    ChangedSinceRead, writing nothing, when the file no longer holds `before`, and Refused when it is
    read-only, not writable by this user, or has several hard links (a rename would split them)."""
    target = os.path.realpath(path)
    info = os.stat(target)
    if not info.st_mode & 0o222:
        raise Refused("is read-only")  # root too, who may write anything: no write bit means hands off
    # A write bit for someone else is not this user's: the rename, which needs the folder alone, would
    # replace a file they may not write.
    if not os.access(target, os.W_OK, effective_ids=os.access in os.supports_effective_ids):
        raise Refused("is not writable by this user")
    if info.st_nlink > 1:
        raise Refused(f"has {info.st_nlink} hard links")
    with open(target, "rb") as handle:
        data = handle.read()
    bom = data.startswith(codecs.BOM_UTF8)
    try:
        current = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ChangedSinceRead(path) from None
    if current != before:
        raise ChangedSinceRead(path)
    folder = os.path.dirname(target)
    remove_stale(folder)
    descriptor, temporary = tempfile.mkstemp(prefix=TEMPORARY_PREFIX, suffix=TEMPORARY_SUFFIX, dir=folder)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write((codecs.BOM_UTF8 if bom else b"") + after.encode("utf-8"))
            handle.flush()
            _keep_attributes(target, handle.fileno(), info)
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    _sync_folder(folder)


def _keep_attributes(original: str, descriptor: int, info: os.stat_result) -> None:
    """The original's mode, owner and group (where this user may give them) and extended attributes
    (where the system has them) on the file that replaces it."""
    os.fchmod(descriptor, stat.S_IMODE(info.st_mode))
    with contextlib.suppress(PermissionError):
        os.fchown(descriptor, info.st_uid, info.st_gid)
    listxattr, getxattr, setxattr = (
        getattr(os, name, None) for name in ("listxattr", "getxattr", "setxattr")
    )
    if listxattr is None or getxattr is None or setxattr is None:
        return
    with contextlib.suppress(OSError):
        for name in listxattr(original):
            with contextlib.suppress(OSError):
                setxattr(descriptor, name, getxattr(original, name))


def _sync_folder(folder: str) -> None:
    """The rename made durable: the folder's entry synced too, where folders can be opened."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def remove_stale(folder: str) -> None:
    """The temporary files of a fix that was killed, in `folder`: ours by name, and older than any run."""
    now = time.time()
    with contextlib.suppress(OSError), os.scandir(folder) as listing:
        for entry in listing:
            name = entry.name
            if not (name.startswith(TEMPORARY_PREFIX) and name.endswith(TEMPORARY_SUFFIX)):
                continue
            with contextlib.suppress(OSError):
                if (
                    entry.is_file(follow_symlinks=False)
                    and now - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER
                ):
                    os.unlink(entry.path)
