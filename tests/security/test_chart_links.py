"""helm reads a chart folder whole and follows its links: a link that leads outside the repository (or into
a `.git`), or to a folder outside the chart, would put what it reaches into findings. Such a chart is not
rendered: a note says why, and it is read without helm, as a chart is when helm is missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.security.harness import Sandbox, planned
from tests.security.test_tools import CHART_YAML, RENDERED, TEMPLATE, chart, lint

STATIC = (
    ": helm is not run, so shop is read without it: template actions are placeholders, and findings say so\n"
)


def _out(box: Sandbox, link: str, target: Path) -> None:
    path = box.root / "shop" / link
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)


OUT_OF_REPOSITORY = "that leads outside the repository"
OUT_OF_CHART = "to a folder outside the chart"


@pytest.mark.parametrize(
    ("link", "target", "why"),
    [
        ("crds/secret.yaml", "{outside}/secret.txt", OUT_OF_REPOSITORY),
        ("templates/job.yaml", "{outside}/secret.txt", OUT_OF_REPOSITORY),
        ("files/conf.txt", "{outside}/secret.txt", OUT_OF_REPOSITORY),
        ("values.yaml", "{outside}/secret.txt", OUT_OF_REPOSITORY),
        ("files/config", "{root}/.git/config", OUT_OF_REPOSITORY),
        ("charts/other", "{outside}/chart", OUT_OF_CHART),
        ("files/git", "{root}/.git", OUT_OF_CHART),
        ("files/apps", "{root}/apps", OUT_OF_CHART),
        ("files/up", "{root}", "to a folder that holds it"),
        ("templates/loop", "{root}/shop", "to a folder that holds it"),
    ],
    ids=[
        "crds",
        "template",
        "file",
        "values",
        "git-config",
        "subchart",
        "git-folder",
        "repo-folder",
        "up",
        "loop",
    ],
)
def test_a_chart_with_a_link_out_of_it_is_not_rendered(
    box: Sandbox, link: str, target: str, why: str
) -> None:
    (box.outside / "chart").mkdir()
    (box.outside / "chart" / "Chart.yaml").write_text("apiVersion: v2\nname: other\nversion: 1.0.0\n")
    box.write(".git/config", "[credential]\n\thelper = store\n")
    chart(box, RENDERED)
    _out(box, link, Path(target.format(outside=box.outside, root=box.root)))
    code, lines, stderr = lint(box, "shop")  # nothing outside the repository read by hooklint
    assert box.argv("helm") == []
    assert (code, lines) == (0, [])
    assert stderr == f"hooklint: shop/{link} is a link {why}{STATIC}"


def test_a_link_that_stays_in_the_chart_is_rendered(box: Sandbox) -> None:
    chart(box, RENDERED)
    box.write("shop/files/cm.yaml", TEMPLATE)
    _out(box, "templates/shared.yaml", box.root / "shop" / "files" / "cm.yaml")
    _out(box, "shared", box.root / "shop" / "files")
    box.write("env/prod.yaml", "replicas: 2\n")
    _out(box, "values-prod.yaml", box.root / "env" / "prod.yaml")  # a file elsewhere in the repository
    code, lines, stderr = lint(box, "shop")
    assert (code, lines, stderr) == (0, [], "")
    assert len(box.argv("helm")) == 1


# With the real helm: what a link would have let in -------------------------------------


def test_helm_never_reads_a_crd_linked_out_of_the_chart(helm_box: Sandbox) -> None:
    # Before: helm printed the linked file as a CRD of the chart, and the plan showed Secret/stolen.
    box = helm_box
    box.write("shop/Chart.yaml", CHART_YAML)
    box.write("shop/templates/cm.yaml", TEMPLATE)
    _out(box, "crds/secret.yaml", box.outside / "secret.txt")
    objects, stderr = planned(box, "shop")
    assert [name.split("/")[0] for name in objects] == ["ConfigMap"]  # read without helm: a placeholder name
    assert stderr == f"hooklint: shop/crds/secret.yaml is a link {OUT_OF_REPOSITORY}{STATIC}"
