"""A chart read without helm never reports what its rendering by the real helm would not: for every chart at
hand (the fixtures', the test charts', and each Helm template of tests/corpus in a chart of its own),
the static findings are among the rendered ones, compared by rule, template and object where it is literal."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from hooklint.config.settings import Settings
from hooklint.engine.run import lint
from hooklint.model import Finding
from hooklint.sources.charts import analyse
from hooklint.sources.input import RenderOptions
from hooklint.sources.load import load
from hooklint.sources.static import PLACEHOLDER
from tests.helpers import CORPUS, ROOT, write
from tests.realtools.conftest import require
from tests.sources.test_charts import DEPLOYMENT, HOOK_JOB
from tests.sources.test_static import CHECK, CHECK_VALUES

FIXTURE_CHARTS = ["fixtures/chart", "fixtures/realtools/platform", "fixtures/realtools/platform/charts/cache"]
TEST_CHARTS = {
    "hook-and-deployment": {"templates/job.yaml": HOOK_JOB, "templates/api.yaml": DEPLOYMENT},
    "hooks-only": {"templates/job.yaml": HOOK_JOB},
    "values-written": {"templates/check.yaml": CHECK, "values.yaml": CHECK_VALUES},
    "gated-hook": {
        "templates/job.yaml": "{{- if .Values.migration.enabled }}\n" + HOOK_JOB + "{{- end }}\n",
        "templates/api.yaml": DEPLOYMENT,
        "values.yaml": "migration:\n  enabled: true\n",
    },
}
VALUES = "image:\n  repository: shop\n  tag: '1.2'\nmigration:\n  timeout: 30\n"
CORPUS_TEMPLATES = sorted((CORPUS / "helm-templates").glob("*.yaml"))

Key = tuple[str, str, str, str]


def _keys(found: list[Finding], chart: str) -> list[Key]:
    return [
        (
            f.rule,
            os.path.relpath(f.span.path, chart),
            f.resource.kind if f.resource else "",
            f.resource.name if f.resource else "",
        )
        for f in found
    ]


def _covered(key: Key, rendered: list[Key]) -> bool:
    """Whether a rendered finding matches: same rule, template and kind, and a name a placeholder's stand-in
    can be."""
    rule, path, kind, name = key
    if not kind:  # a finding at a template's text (HL109): helm's objects may stand in for it
        return any((rule, path) == other[:2] for other in rendered)
    pattern = re.compile(".+".join(re.escape(part) for part in PLACEHOLDER.split(name)) + r"\Z", re.S)
    return any(
        (rule, path, kind) == other[:3] and (pattern.match(other[3]) or other[3] == name)
        for other in rendered
    )


def _compare(
    chart: str, monkeypatch: pytest.MonkeyPatch, bare: str, render: RenderOptions | None = None
) -> None:
    """The static findings of `chart` against its rendered ones; a chart helm cannot render is skipped."""
    helm_path = os.environ["PATH"]
    rendered_load = load([chart], render=render)
    if any(p.rule == "HL003" for p in rendered_load.problems):
        pytest.skip(f"helm cannot render {chart} with its default values")
    rendered = _keys(lint(rendered_load, Settings()), chart)
    monkeypatch.setenv("PATH", bare)
    static_load = load([chart], render=render)
    monkeypatch.setenv("PATH", helm_path)
    assert static_load.placeholders, "the chart was not read without helm"
    static = _keys(lint(static_load, Settings()), chart)
    assert [key for key in static if not _covered(key, rendered)] == []


def _skeleton(text: str) -> dict[str, Any]:
    """Values in which every value the template uses has its parents, so that helm renders it."""
    values: dict[str, Any] = {}
    for document in analyse("c", {"c/templates/t.yaml": text}).documents:
        for use in document.uses:
            node = values
            for name in use.value.split(".")[:-1]:
                node = node.setdefault(name, {})
                if not isinstance(node, dict):
                    break
    return values


@pytest.fixture
def bare(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A PATH without helm."""
    return str(tmp_path_factory.mktemp("no-helm"))


@pytest.mark.parametrize("chart", FIXTURE_CHARTS, ids=[c.rsplit("/", 1)[-1] for c in FIXTURE_CHARTS])
def test_static_findings_of_a_fixture_chart_are_among_the_rendered_ones(
    chart: str, helm: str, monkeypatch: pytest.MonkeyPatch, bare: str
) -> None:
    _compare(chart, monkeypatch, bare)


@pytest.mark.parametrize("name", sorted(TEST_CHARTS))
def test_static_findings_of_a_test_chart_are_among_the_rendered_ones(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bare: str
) -> None:
    require("helm")
    files = {"Chart.yaml": f"apiVersion: v2\nname: {name}\nversion: 0.1.0\n", **TEST_CHARTS[name]}
    files["values.yaml"] = VALUES + files.get("values.yaml", "")
    monkeypatch.chdir(write(tmp_path, {f"c/{path}": text for path, text in files.items()}))
    _compare("c", monkeypatch, bare)


@pytest.mark.parametrize("template", CORPUS_TEMPLATES, ids=[t.stem[:60] for t in CORPUS_TEMPLATES])
def test_static_findings_of_a_corpus_template_are_among_the_rendered_ones(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bare: str
) -> None:
    require("helm")
    chart = tmp_path / "c"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 0.1.0\n")
    shutil.copyfile(template, chart / "templates" / "t.yaml")
    (chart / "values.yaml").write_text(json.dumps(_skeleton(template.read_text(encoding="utf-8"))))
    monkeypatch.chdir(tmp_path)
    _compare("c", monkeypatch, bare)


def _realworld_charts() -> list[tuple[str, str]]:
    """The real-world set's charts: (repository folder, chart path in it)."""
    from tests.realworld import measure

    _, applications, _ = measure.read_labels(measure.LABELS)
    return [
        (folder, str(app["path"]), tuple(str(v) for v in app.get("values", []) or []))  # type: ignore[attr-defined]
        for folder, apps in applications.items()
        for app in apps
        if "path" in app and (measure.HERE / folder / str(app["path"]) / "Chart.yaml").is_file()
    ]


REALWORLD_CHARTS = _realworld_charts()


@pytest.mark.parametrize("folder,chart,values", REALWORLD_CHARTS, ids=[f for f, _, _ in REALWORLD_CHARTS])
def test_static_findings_of_a_real_world_chart_are_among_the_rendered_ones(
    folder: str, chart: str, values: tuple[str, ...], monkeypatch: pytest.MonkeyPatch, bare: str
) -> None:
    from tests.realworld import measure

    require("helm")
    monkeypatch.chdir(measure.HERE / folder)
    _compare(chart, monkeypatch, bare, RenderOptions(values=values))


def test_the_fixture_charts_are_here() -> None:
    assert all((ROOT / chart / "Chart.yaml").is_file() for chart in FIXTURE_CHARTS)


def test_hook_templates_off_by_default_are_named_in_a_note_with_or_without_helm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bare: str
) -> None:
    require("helm")
    files = {
        "Chart.yaml": "apiVersion: v2\nname: shop\nversion: 0.1.0\n",
        "values.yaml": VALUES.replace("migration:\n", "migration:\n  enabled: false\n"),
        "templates/job.yaml": TEST_CHARTS["gated-hook"]["templates/job.yaml"],
        "templates/api.yaml": DEPLOYMENT,
    }
    monkeypatch.chdir(write(tmp_path, {f"shop/{path}": text for path, text in files.items()}))
    note = (
        "hooklint: shop: with the chart's default values these templates write hook annotations but render "
        "nothing, so their hooks are not checked: shop/templates/job.yaml"
    )
    assert load(["shop"]).notes == (note,)
    monkeypatch.setenv("PATH", bare)
    assert load(["shop"]).notes[1:] == (note,)
