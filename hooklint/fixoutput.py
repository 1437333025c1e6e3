"""What a fix run hands back: the summary for standard error, unified diffs, and atomic file writes."""

from __future__ import annotations

import codecs
import difflib
import os
import stat
import tempfile
from collections import Counter

from hooklint.fixer import Outcome
from hooklint.model import Finding


def summary(outcome: Outcome, *, unsafe: bool, dry_run: bool) -> list[str]:
    """What was fixed, what remains, and what needs --unsafe-fixes or was held back, as lines for stderr."""
    counts = Counter(f.rule for f in outcome.fixed)
    by_rule = ", ".join(f"{rule} ×{n}" for rule, n in sorted(counts.items()))
    changed = len(outcome.changed)
    verb = "would fix" if dry_run else "fixed"
    lines = [
        f"hooklint: {verb} {len(outcome.fixed)} finding(s) in {changed} file(s)"
        + (f" ({by_rule})" if by_rule else "")
        + f"; {len(outcome.remaining)} remain"
    ]
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
    """A unified diff of one file, named as given on both sides (apply it with `patch -p0`), with
    `\\ No newline at end of file` where it applies."""
    lines: list[str] = []
    for line in difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), path, path
    ):
        lines.append(line)
        if not line.endswith("\n"):
            lines.append("\n\\ No newline at end of file\n")
    return "".join(lines)


class ChangedSinceRead(Exception):
    """The file on disk is no longer the text the fixes were made for."""


def write(path: str, before: str, after: str) -> None:
    """Replace `path`'s content `before` with `after` atomically (a temporary file in the same folder, then a
    rename), keeping its byte order mark, mode and, for a symbolic link, the link. Raises ChangedSinceRead,
    writing nothing, when the file no longer holds `before`."""
    target = os.path.realpath(path)
    with open(target, "rb") as handle:
        data = handle.read()
    bom = data.startswith(codecs.BOM_UTF8)
    try:
        current = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ChangedSinceRead(path) from None
    if current != before:
        raise ChangedSinceRead(path)
    mode = stat.S_IMODE(os.stat(target).st_mode)
    folder, name = os.path.split(target)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".hooklint", dir=folder)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write((codecs.BOM_UTF8 if bom else b"") + after.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
