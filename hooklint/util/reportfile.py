"""Report files (--output, --write-baseline): written whole to a temporary file beside the target, then
renamed over it, so a reader never sees half a report and a link at the target is replaced, never written
through; and removed when a run fails, so an earlier run's report is never taken for this one's."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable

PREFIX = ".hooklint-report-"


def write(path: str, text: str) -> None:
    """`text` at `path`, atomically; the file made is the caller's to read (umask applies), as open() would
    make it. Raises OSError."""
    import tempfile  # with shutil, random and the compression modules it brings: only a report file needs it

    folder = os.path.dirname(os.path.abspath(path))
    descriptor, temporary = tempfile.mkstemp(prefix=PREFIX, suffix=".tmp", dir=folder)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def remove(paths: Iterable[str]) -> None:
    """The reports at `paths` gone: a link is removed, not what it points to, and nothing is removed from a
    folder that a link leads out of the repository (hooklint.util.confine: a path the user names outside it
    by its own name is the user's choice)."""
    import stat

    from hooklint.util import confine

    for path in paths:
        folder = os.path.dirname(os.path.abspath(path))
        if not confine.allowed(folder, confine.roots_for([path], None)):
            continue
        with contextlib.suppress(OSError):
            if not stat.S_ISDIR(os.lstat(path).st_mode):
                os.unlink(path)
