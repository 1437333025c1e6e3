"""A repository of many applications: its application roots, each planned and linted on its own."""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hooklint.config import Settings, glob_match
from hooklint.loader import discover
from hooklint.model import Finding


@dataclass(frozen=True)
class PartResult:
    """What one application gives back: its findings, its counts, and the text of the files with findings."""

    findings: list[Finding]
    files: int
    resources: int
    texts: dict[str, str]
    notes: list[str]


Linter = Callable[[Sequence[str]], PartResult]
_linter: Linter | None = None  # set just before forking; workers inherit it


def split(paths: Sequence[str], globs: Sequence[str], settings: Settings) -> list[tuple[str, ...]]:
    """The application roots under `paths` (folders matching `globs`; roots are not nested), each one part,
    then the files outside every root as one more part."""
    roots: list[str] = []
    for given in paths:
        if given == "-" or not os.path.isdir(given):
            continue
        for folder, dirs, _ in os.walk(given):
            dirs[:] = sorted(
                d for d in dirs if not d.startswith(".") and not os.path.islink(os.path.join(folder, d))
            )
            # Globs are relative to the configuration's folder, or to the folder given on the command line.
            names = (settings.relative(folder), os.path.relpath(folder, given).replace(os.sep, "/"))
            if folder != given and any(glob_match(g, name) for g in globs for name in names):
                roots.append(os.path.normpath(folder))
                dirs[:] = []  # an application does not contain another
    # The roots were walked to be found; the files outside them are found without entering them again.
    inside = tuple(root + os.sep for root in roots)
    rest = [
        fs
        for _, fs in discover(list(paths), frozenset(roots))[0]
        if fs == "-" or not os.path.normpath(fs).startswith(inside)
    ]
    parts = [(root,) for root in sorted(roots)]
    return parts + ([tuple(rest)] if rest else [])


def run(parts: Sequence[tuple[str, ...]], lint_part: Linter, jobs: int) -> list[PartResult]:
    """Each part linted by `lint_part`, in `jobs` forked workers when there is more than one part. Workers
    send back only findings and small counts, so running in parallel pays, and memory holds one
    application per worker at a time."""
    global _linter
    if jobs <= 1 or len(parts) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [lint_part(part) for part in parts]
    _linter = lint_part
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            return pool.map(_work, parts, chunksize=max(1, len(parts) // (jobs * 8)))
    finally:
        _linter = None


def _work(part: tuple[str, ...]) -> PartResult:
    assert _linter is not None
    return _linter(part)


def merge(
    results: Sequence[PartResult], config_file: str | None
) -> tuple[list[Finding], int, int, dict[str, str]]:
    """All parts' findings in one order. A configuration suppression is unused only if every part found
    it unused (HL000 at the configuration file)."""
    unused = Counter(
        f for r in results for f in r.findings if f.rule == "HL000" and f.span.path == config_file
    )
    findings = [
        f for r in results for f in r.findings if not (f.rule == "HL000" and f.span.path == config_file)
    ]
    findings += [f for f, count in unused.items() if count == len(results)]
    texts: dict[str, str] = {}
    for result in results:
        texts.update(result.texts)
    files = sum(r.files for r in results)
    resources = sum(r.resources for r in results)
    return sorted(set(findings), key=lambda f: f.sort_key), files, resources, texts
