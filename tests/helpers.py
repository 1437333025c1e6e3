"""Shared test helpers: build inputs from YAML text, lint them, read findings, run the CLI, find the corpus,
make throwaway git repositories."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from hooklint.argocd.annotated import named_at_sync
from hooklint.cli.main import cli
from hooklint.config.settings import Settings
from hooklint.engine.run import lint
from hooklint.manifests.parse import FileResult, load_text
from hooklint.model import Finding, Problem, Resource
from hooklint.sources.charts import Chart
from hooklint.sources.input import LoadResult
from hooklint.sources.load import load
from hooklint.sync.plan import Plan
from hooklint.sync.scheduler import plan

ROOT = Path(__file__).resolve().parent.parent
# Real manifests written by others, vendored with their sources and licences (tests/corpus/SOURCES.md).
CORPUS = ROOT / "tests" / "corpus"
# The published SARIF 2.1.0 schema (OASIS), unchanged.
SARIF_SCHEMA = ROOT / "tests" / "report" / "sarif-schema-2.1.0.json"

# (file, line, column, rule, message): a finding as most tests assert it.
Row = tuple[str, int, int, str, str]


def resources(text: str, path: str = "app.yaml") -> tuple[Resource, ...]:
    result: FileResult = load_text(path, text, named_at_sync)
    assert not result.problems, result.problems
    return result.resources


def loaded(
    files: dict[str, str],
    charts: tuple[Chart, ...] = (),
    *,
    clean: bool = False,
    texts: dict[str, str] | None = None,
) -> LoadResult:
    """The input hooklint reads from these {path: text} files as given, nothing rendered; clean: every file parses;
    texts: the file texts the input keeps, when not the files' own (suppression comments and fixes read them)."""
    found: list[Resource] = []
    problems: list[Problem] = []
    for name, text in files.items():
        result = load_text(name, text, named_at_sync)
        assert not (clean and result.problems), result.problems
        found.extend(result.resources)
        problems.extend(result.problems)
    return LoadResult(
        tuple(found), tuple(problems), tuple(files), (), dict(files if texts is None else texts), charts
    )


def rows(found: Sequence[Finding], root: str = "") -> list[Row]:
    """(file, line, column, rule, message) per finding, in order; files relative to root when given."""
    return [(f.span.path.removeprefix(root), f.span.line, f.span.column, f.rule, f.message) for f in found]


def findings(source: dict[str, str] | LoadResult | Path, settings: Settings | None = None) -> list[Row]:
    """Lint {path: text} files, a loaded input, or a folder (its files named relative to it) and give the rows."""
    chosen = settings or Settings()
    if isinstance(source, Path):
        return rows(lint(load([str(source)]), chosen), str(source) + "/")
    return rows(lint(source if isinstance(source, LoadResult) else loaded(source), chosen))


# The annotations of a named PreSync hook without BeforeHookCreation (HL101).
NAMED_HOOK_ANNOTATIONS = (
    "    argocd.argoproj.io/hook: PreSync\n    argocd.argoproj.io/hook-delete-policy: HookSucceeded\n"
)


def named_hook(name: str = "migrate") -> str:
    """A named PreSync hook without BeforeHookCreation and nothing else: HL101 at 7:44, with a safe fix that `fix`
    applies."""
    return f"apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {name}\n  annotations:\n{NAMED_HOOK_ANNOTATIONS}"


NAMED_HOOK = named_hook()


def lint_with(
    rules: str | Sequence[str],
    files: str | dict[str, str],
    *,
    clean: bool = True,
    options: dict[str, Any] | None = None,
    **settings: Any,
) -> list[Finding]:
    """The findings of one application, {path: text} files or the text of app.yaml alone, with only `rules` on
    (one id or several); `options` are the first rule's options, `settings` other Settings fields
    (argocd_version, namespace, severity, ...); clean: every file must parse."""
    selected = (rules,) if isinstance(rules, str) else tuple(rules)
    if options is not None:
        settings["options"] = {selected[0]: options}
    source = {"app.yaml": files} if isinstance(files, str) else files
    return lint(loaded(source, clean=clean), Settings(select=selected, **settings))


def job(
    name: str | None = "migrate",
    annotations: str = "",
    *,
    meta: str = "",
    labels: str = "",
    spec: str = "",
    template: str = "",
    containers: str = "      containers: []\n",
    document: bool = False,
) -> str:
    """A batch Job whose parts are YAML lines already indented: `meta` under metadata after the name line (none
    when name is None), `labels` and `annotations` under their keys (left out when empty), `spec` before the pod
    template, `template` as the pod template's metadata, `containers` the pod spec's (see container());
    `document` starts it with `---`."""
    text = "---\n" if document else ""
    text += "apiVersion: batch/v1\nkind: Job\nmetadata:\n"
    if name is not None:
        text += f"  name: {name}\n"
    text += meta
    if labels:
        text += "  labels:\n" + labels
    if annotations:
        text += "  annotations:\n" + annotations
    text += "spec:\n" + spec + "  template:\n"
    if template:
        text += "    metadata:\n" + template
    return text + "    spec:\n      restartPolicy: Never\n" + containers


def container(name: str, image: str) -> str:
    """A Job's containers key with one container, for job(containers=...)."""
    return f"      containers:\n        - name: {name}\n          image: {image}\n"


def invoke(
    args: Sequence[str], stdin: bytes | str | None = None, *, cwd: Path | None = None
) -> tuple[int, str, str]:
    """Run the command line in process: (exit code, standard output, standard error)."""
    if cwd is None:
        result = CliRunner().invoke(cli, list(args), input=stdin)
    else:
        old = os.getcwd()
        os.chdir(cwd)
        try:
            result = CliRunner().invoke(cli, list(args), input=stdin)
        finally:
            os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


def write(root: Path, files: dict[str, str]) -> Path:
    """Write {relative path: text} under root, folders made as needed; gives root."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def plan_of(text: str, namespace: str = "default") -> Plan:
    return plan(resources(text), namespace)


def steps_of(text: str, namespace: str = "default") -> list[tuple[str, int, list[str]]]:
    """(phase, wave, [Kind/name, ...]) per step, the shape most ordering tests assert."""
    return [(s.phase, s.wave, [t.ident for t in s.tasks]) for s in plan_of(text, namespace).steps]


# The shop application of the git tests: a PreSync hook (its image version a {version} field), two
# ConfigMaps in waves 1 and 3, and its automated Application with PruneLast.
SHOP_HOOK = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: db-migrate
  namespace: shop
  annotations:
    argocd.argoproj.io/hook: PreSync
spec:
  backoffLimit: 1
  activeDeadlineSeconds: 60
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: registry.example.com/shop/migrate:{version}
"""
CONFIGS = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
  annotations:
    argocd.argoproj.io/sync-wave: "1"
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: legacy
  namespace: shop
  annotations:
    argocd.argoproj.io/sync-wave: "3"
"""
APP = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: shop
  namespace: argocd
spec:
  destination:
    namespace: shop
  source:
    path: apps/shop
  syncPolicy:
    automated: {}
    syncOptions:
      - PruneLast=true
"""


def git(folder: Path, *args: str) -> str:
    """Run git in folder as a fixed author; gives its standard output, stripped."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    return subprocess.run(
        ["git", *args], cwd=folder, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()


def shop_repo(root: Path) -> Path:
    """A git repository at root whose one commit holds the shop application (apps/shop, apps/shop-app.yaml)."""
    write(
        root,
        {
            "apps/shop/migrate.yaml": SHOP_HOOK.format(version="1.0.0"),
            "apps/shop/configs.yaml": CONFIGS,
            "apps/shop-app.yaml": APP,
        },
    )
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root
