#!/usr/bin/env python3
"""The hooklint benchmark: lint time against the bare libyaml parse (the floor), and how cost grows.

Usage: python bench/run.py [--apps 100 1000 10000] [--repeat 3] [--jobs N] [--against REF]

For each size it writes the synthetic repository with gen_corpus.py, beside this script (once, cached in a
temporary folder), then times, interleaved in each repetition: `hooklint lint` on it, the floor (`floor.py`, the
bare libyaml compose of every document), `hooklint lint --affected` with one changed file (what the
pre-commit hook for many applications runs) and yamllint when it is installed. Each command runs in its own
process under /usr/bin/time -v, which reports the peak memory. It prints medians, the ratio to the floor
and the growth between sizes, and the wall time of `hooklint lint fixtures/demo` (start-up included).
Last, where valgrind is installed, the instructions of the single-process lint of the 100-app repository,
counted by callgrind, for this tree and, with --against REF, for hooklint at that git ref too.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import itertools
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str], cwd: Path | None = None) -> tuple[float, int]:
    """Wall seconds and peak resident memory (KiB) of one run."""
    wrapped = ["/usr/bin/time", "-v", *command] if Path("/usr/bin/time").exists() else command
    start = time.perf_counter()
    done = subprocess.run(
        wrapped, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr[-2000:]}")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    return elapsed, int(peak.group(1)) if peak else 0


def compiled() -> None:
    """hooklint's modules and the packages a lint imports (click, PyYAML) compiled to bytecode before anything
    is timed, as pip compiles them on install. In a source checkout under PYTHONDONTWRITEBYTECODE, or after an
    installer that does not compile (uv by default), every run would compile them anew: 0.05 s each."""
    for package in ("hooklint", "click", "yaml"):
        spec = importlib.util.find_spec(package)
        for folder in spec.submodule_search_locations or () if spec else ():
            compileall.compile_dir(folder, quiet=1)


def instructions(folder: Path, source: Path) -> int:
    """Instructions the single-process lint of `folder` executes (callgrind), with hooklint imported from
    `source`. Unlike time, the count does not move with the machine's load, so it compares commits."""
    compileall.compile_dir(source / "hooklint", quiet=1)
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(source)}
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-m"]
    command += ["hooklint", "lint", "--jobs", "1", "--format", "json", "."]
    done = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, check=False)
    counted = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode not in (0, 1) or counted is None:
        sys.exit(f"callgrind failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return int(counted.group(1))


def checkout(ref: str, cache: Path) -> Path:
    """A detached copy of hooklint at `ref`, for counting its instructions beside the working tree's."""
    target = cache / f"hooklint-{re.sub(r'[^A-Za-z0-9._-]', '_', ref)}"
    if not target.exists():
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(target), ref], check=True
        )
    return target


def corpus(generator: Path, apps: int, cache: Path) -> Path:
    target = cache / f"apps-{apps}"
    if not target.exists():
        subprocess.run(
            [sys.executable, str(generator), str(target), "--apps", str(apps)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return target


def whole_app(cache: Path) -> Path:
    """An Application of no source path: given with --app, the repository is read as one application."""
    path = cache / "whole-app.yaml"
    path.write_text(
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: whole\n"
        "spec:\n  destination: {namespace: default}\n"
    )
    return path


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--apps", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None, help="passed to hooklint lint --jobs when given")
    parser.add_argument("--whole", action="store_true", help="lint the repository as one application")
    parser.add_argument(
        "--configured",
        action="store_true",
        help="name the roots (--applications 'apps/*') instead of finding them",
    )
    parser.add_argument("--keep", type=Path, default=None, help="cache the generated repositories here")
    parser.add_argument(
        "--against",
        metavar="REF",
        default=None,
        help="also count the instructions of hooklint at this git ref (the 'before' of a change)",
    )
    parser.add_argument("--no-instructions", action="store_true", help="skip the callgrind count")
    args = parser.parse_args()
    bench = Path(__file__).resolve().parent
    compiled()
    cache = args.keep or Path(tempfile.mkdtemp(prefix="hooklint-bench-"))
    # The generated repository holds one application per apps/* folder: hooklint finds them with no flag and
    # no configuration (--configured names them, as a monorepo's configuration would).
    hooklint = [sys.executable, "-m", "hooklint", "lint", "--format", "json"]
    if args.configured:
        hooklint += ["--applications", "apps/*"]
    if args.jobs is not None:
        hooklint += ["--jobs", str(args.jobs)]
    if args.whole:
        # One application: an Application file for the whole input turns finding the roots off.
        hooklint += ["--app", str(whole_app(cache))]
    yamllint = shutil.which("yamllint")
    rows = []
    for apps in args.apps:
        folder = corpus(bench / "gen_corpus.py", apps, cache)
        files = sum(1 for _ in folder.rglob("*.yaml"))
        commands = {
            "hooklint": [*hooklint, str(folder)],
            "floor": [sys.executable, str(bench / "floor.py"), str(folder)],
        }
        if yamllint:
            commands["yamllint"] = [yamllint, "-f", "parsable", str(folder)]
        if not args.whole:
            # As pre-commit runs it: one changed file, named relative to the repository's root.
            configured = [*hooklint, "--applications", "apps/*"] if not args.configured else hooklint
            commands["affected"] = [*configured, "--affected", "apps/team-0000/hooks.yaml"]
        samples: dict[str, list[tuple[float, int]]] = {name: [] for name in commands}
        for _ in range(args.repeat):
            for name, command in commands.items():  # interleaved, so drift in the machine hits all alike
                samples[name].append(timed(command, folder if name == "affected" else None))
        medians = {name: statistics.median(s for s, _ in runs) for name, runs in samples.items()}
        peaks = {name: max(m for _, m in runs) for name, runs in samples.items()}
        rows.append((apps, files, medians, peaks))
        print(
            f"{apps} apps, {files} files: "
            + ", ".join(f"{name} {medians[name]:.2f} s ({peaks[name] / 1024:.0f} MiB)" for name in commands)
            + f"; hooklint / floor = {medians['hooklint'] / medians['floor']:.2f}",
            flush=True,
        )
    for (small, _, a, _), (large, _, b, _) in itertools.pairwise(rows):
        print(
            f"{small} -> {large} apps: hooklint x{b['hooklint'] / a['hooklint']:.1f}, floor x{b['floor'] / a['floor']:.1f}"
        )
    demo = [
        timed([sys.executable, "-m", "hooklint", "lint", str(ROOT / "fixtures" / "demo")])[0]
        for _ in range(5)
    ]
    print(f"hooklint lint fixtures/demo: median {statistics.median(demo):.3f} s wall, start-up included")
    if not args.no_instructions and shutil.which("valgrind"):
        folder = corpus(bench / "gen_corpus.py", 100, cache)
        sources = {"this tree": ROOT}
        if args.against:
            sources[args.against] = checkout(args.against, cache)
        for name, source in sources.items():
            count = instructions(folder, source)
            print(f"instructions, single-process lint of 100 apps ({name}): {count / 1e9:.3f} G", flush=True)
    elif not args.no_instructions:
        print("instructions: valgrind is not installed, not counted")
    if args.keep is None:
        shutil.rmtree(cache, ignore_errors=True)
        if args.against:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "prune"], check=False)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
