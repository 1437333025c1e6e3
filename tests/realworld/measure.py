"""Precision and recall of hooklint per rule on labelled real-world applications.

    python -m tests.realworld.measure [--helm | --no-helm] [--corpus] [--json]

Each application named in the labels file is linted as a user would (`hooklint lint FOLDER`, with the values
files the labels name), with a PATH that holds helm (--helm) or everything on PATH but helm (--no-helm). A finding and a label match on file + rule + kind of the resource: nothing that depends on
hooklint's choice of line or column, nor on the names a chart renders (release prefixes), which differ
between the rendered and the unrendered reading of a chart. A label without a kind (an application-wide
pitfall such as HL110) matches any finding of its rule in its file.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
LABELS = HERE / "labels.yaml"
CORPUS_LABELS = HERE / "corpus-labels.yaml"
FIGURES = HERE / "figures.json"


@dataclass(frozen=True, order=True)
class Key:
    file: str
    rule: str
    kind: str | None


@dataclass
class Label:
    key: Key
    reason: str


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Result:
    rules: dict[str, Tally] = field(default_factory=dict)
    false_positives: list[tuple[Key, str]] = field(default_factory=list)
    false_negatives: list[Label] = field(default_factory=list)

    def tally(self, rule: str) -> Tally:
        return self.rules.setdefault(rule, Tally())

    @property
    def overall(self) -> Tally:
        return Tally(
            sum(t.tp for t in self.rules.values()),
            sum(t.fp for t in self.rules.values()),
            sum(t.fn for t in self.rules.values()),
        )


@contextmanager
def tool_path(helm: bool) -> Iterator[str]:
    """A PATH with helm (and kustomize) first when `helm`, else the same PATH in which helm is hidden: each
    folder holding a helm is replaced by a folder of links to its other programs, so kustomize stays."""
    path = os.environ.get("PATH", "")
    if helm:
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="hooklint-nohelm-") as tmp:
        folders = []
        for index, folder in enumerate(path.split(os.pathsep)):
            if folder and os.path.isfile(os.path.join(folder, "helm")):
                mirror = os.path.join(tmp, str(index))
                os.mkdir(mirror)
                for name in os.listdir(folder):
                    source = os.path.join(folder, name)
                    if name != "helm" and os.path.isfile(source) and os.access(source, os.X_OK):
                        os.symlink(source, os.path.join(mirror, name))
                folders.append(mirror)
            else:
                folders.append(folder)
        yield os.pathsep.join(folders)


def lint(cwd: Path, args: list[str], path: str) -> list[dict[str, object]]:
    """`hooklint lint --format json ARGS` run from `cwd` with PATH set to `path`, in this process (helm and
    kustomize are looked up on PATH when a chart or kustomization is met, so the PATH of the call decides)."""
    from click.testing import CliRunner

    from hooklint.cli.main import cli

    here = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(
            cli, ["lint", "--format", "json", "--exit-zero", *args], env={"PATH": path, "CI": None}
        )
    finally:
        os.chdir(here)
    if result.exit_code != 0:
        raise RuntimeError(f"hooklint failed in {cwd}: {' '.join(args)}\n{result.output}")
    findings: list[dict[str, object]] = json.loads(result.stdout)["findings"]
    return findings


def read_labels(
    path: Path,
) -> tuple[dict[str, str | None], dict[str, list[dict[str, object]]], dict[str, list[Label]]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    pending: dict[str, str | None] = data.get("pending_rules") or {}
    labels: dict[str, list[Label]] = {}
    for file, entries in (data.get("files") or {}).items():
        labels[file] = []
        for entry in entries or []:
            rule = str(entry["rule"])
            rule = pending.get(rule) or rule
            labels[file].append(Label(Key(file, rule, entry.get("kind")), str(entry["reason"])))
    return pending, data["applications"], labels


def app_inputs(folder: str, app: dict[str, object]) -> list[str]:
    """The paths an application is linted from, relative to its folder: its folder, or its list of files."""
    if "files" in app:
        return [str(f) for f in app["files"]]  # type: ignore[attr-defined]
    return [str(app["path"])]


def app_of(file: str, applications: dict[str, list[dict[str, object]]]) -> str | None:
    """The application (folder + first input) a file belongs to, for labels that concern a whole application."""
    for folder, apps in applications.items():
        for app in apps:
            inputs = app_inputs(folder, app)
            for path in inputs:
                full = os.path.normpath(os.path.join(folder, path))
                if file == full or file.startswith(full.rstrip("/") + "/"):
                    return os.path.normpath(os.path.join(folder, inputs[0]))
    return None


def findings_of(base: Path, applications: dict[str, list[dict[str, object]]], path: str) -> set[Key]:
    found: set[Key] = set()
    for folder, apps in applications.items():
        for app in apps:
            args = app_inputs(folder, app)
            for values in app.get("values", []) or []:  # type: ignore[union-attr]
                args += ["--values", str(values)]
            for finding in lint(base / folder, args, path):
                resource = finding.get("resource") or {}
                file = os.path.normpath(os.path.join(folder, str(finding["file"])))
                found.add(Key(file, str(finding["rule"]), resource.get("kind")))  # type: ignore[union-attr]
    return found


def measure(base: Path, labels_file: Path, helm: bool) -> Result:
    _, applications, labels = read_labels(labels_file)
    with tool_path(helm) as path:
        found = findings_of(base, applications, path)
    result = Result()
    matched: set[Key] = set()
    for file_labels in labels.values():
        for label in file_labels:
            if label.key.kind is None:  # a pitfall of the whole application: anywhere in it
                app = app_of(label.key.file, applications)
                hits = {f for f in found if f.rule == label.key.rule and app_of(f.file, applications) == app}
            else:
                hits = {
                    f
                    for f in found
                    if f.file == label.key.file and f.rule == label.key.rule and f.kind == label.key.kind
                }
            if hits:
                result.tally(label.key.rule).tp += 1
                matched |= hits
            else:
                result.tally(label.key.rule).fn += 1
                result.false_negatives.append(label)
    for key in sorted(found - matched, key=lambda k: (k.file, k.rule, k.kind or "")):
        result.tally(key.rule).fp += 1
        result.false_positives.append((key, "no label expects it"))
    return result


def table(result: Result) -> str:
    lines = [f"{'rule':32} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>10} {'recall':>8}"]
    for rule in sorted(result.rules):
        t = result.rules[rule]
        lines.append(f"{rule:32} {t.tp:4} {t.fp:4} {t.fn:4} {t.precision:10.2f} {t.recall:8.2f}")
    t = result.overall
    lines.append(f"{'overall':32} {t.tp:4} {t.fp:4} {t.fn:4} {t.precision:10.2f} {t.recall:8.2f}")
    return "\n".join(lines)


def details(result: Result) -> str:
    lines = []
    for key, why in result.false_positives:
        lines.append(f"FP {key.rule} {key.kind or '-'} {key.file}: {why}")
    for label in result.false_negatives:
        lines.append(f"FN {label.key.rule} {label.key.kind or '-'} {label.key.file}: {label.reason}")
    return "\n".join(lines)


def figures(result: Result) -> dict[str, dict[str, float]]:
    out = {
        rule: {"precision": round(t.precision, 4), "recall": round(t.recall, 4)}
        for rule, t in result.rules.items()
    }
    t = result.overall
    out["overall"] = {"precision": round(t.precision, 4), "recall": round(t.recall, 4)}
    return dict(sorted(out.items()))


def mode_name(helm: bool, corpus: bool) -> str:
    return ("corpus-" if corpus else "") + ("helm" if helm else "no-helm")


def corpus_folder() -> Path:
    from tests.helpers import CORPUS

    return CORPUS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.realworld.measure", description=__doc__.splitlines()[0]
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--helm", dest="helm", action="store_true", default=True, help="helm on PATH (default)")
    mode.add_argument("--no-helm", dest="helm", action="store_false", help="helm hidden from PATH")
    parser.add_argument("--corpus", action="store_true", help="measure tests/corpus with corpus-labels.yaml")
    parser.add_argument("--json", action="store_true", help="print the per-rule figures as JSON")
    parser.add_argument(
        "--update-figures", action="store_true", help="record this mode's figures in figures.json"
    )
    options = parser.parse_args(argv)
    if options.helm and shutil.which("helm") is None:
        parser.error("helm is not on PATH: put it there, or pass --no-helm")
    if options.corpus and not CORPUS_LABELS.is_file():
        parser.error(f"{CORPUS_LABELS.name} is not written yet: see README.md")
    if options.corpus:
        result = measure(corpus_folder(), CORPUS_LABELS, options.helm)
    else:
        result = measure(HERE, LABELS, options.helm)
    if options.update_figures:
        recorded = json.loads(FIGURES.read_text(encoding="utf-8")) if FIGURES.is_file() else {}
        recorded[mode_name(options.helm, options.corpus)] = figures(result)
        FIGURES.write_text(json.dumps(recorded, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    if options.json:
        print(json.dumps(figures(result), indent=2))
        return 0
    print(
        f"{'corpus' if options.corpus else 'real-world set'}, helm {'on' if options.helm else 'hidden from'} PATH"
    )
    print(table(result))
    text = details(result)
    if text:
        print()
        print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
