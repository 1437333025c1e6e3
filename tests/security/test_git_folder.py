"""The repository's `.git` folder holds secrets (actions/checkout leaves the CI token in `.git/config` as an
http extraheader): for every read hooklint does or lets a tool do, a path through a `.git` lies outside the
repository. A chart at the repository's root is rendered from a copy that leaves `.git` out."""

from __future__ import annotations

import json

import pytest

from tests.helpers import NAMED_HOOK
from tests.security.harness import Sandbox
from tests.security.test_tools import CHART_YAML, HL003, RENDERED, chart, lint

TOKEN = "AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46Z2hzX3NlY3JldA=="
GIT_CONFIG = f'[core]\n\tbare = false\n[http "https://github.com/"]\n\textraheader = {TOKEN}\n'


def checkout(box: Sandbox) -> None:
    """The `.git` folder actions/checkout leaves: its configuration holds the token."""
    box.write(".git/config", GIT_CONFIG)
    box.write(".git/HEAD", "ref: refs/heads/main\n")


OUTSIDE = "lies outside the repository: Argo CD refuses it, and hooklint does not render the chart"


@pytest.mark.parametrize(
    "entry",
    ["../.git/config", "../.git/../.git/config", "git/config", "../.GIT/config"],
    ids=["dot-dot", "roundabout", "link-to-git", "upper-case"],
)
def test_a_value_file_in_the_git_folder_is_hl003_and_never_reaches_helm(box: Sandbox, entry: str) -> None:
    checkout(box)
    chart(box, RENDERED, value_files=f"        - {entry}\n")
    (box.root / "shop" / "git").symlink_to(box.root / ".git")
    code, lines, _ = lint(box, "--app", "apps/shop.yaml", "shop")
    assert box.argv("helm") == []
    assert (code, lines) == (
        1,
        [f"apps/shop.yaml:11:11: {HL003}: spec.source.helm.valueFiles[0] {entry!r} {OUTSIDE}"],
    )


NOT_BUILT = "hooklint: . is not built: kustomization.yaml's "
LINTED = "; its files are linted as they are\n"


@pytest.mark.parametrize(
    ("kustomization", "said"),
    [
        (
            "configMapGenerator:\n- {name: x, files: [cfg=.git/config]}\n",
            "configMapGenerator entry '.git/config' lies outside the repository",
        ),
        (
            "secretGenerator:\n- {name: x, envs: [.git/config]}\n",
            "secretGenerator entry '.git/config' lies outside the repository",
        ),
        ("- .git/config\n", "resources entry '.git/config' lies outside the repository"),
        ("patches:\n- path: .git/config\n", "patches entry '.git/config' lies outside the repository"),
        ("- git\n", "resources entry 'git' lies outside the repository"),
        (
            "generators:\n- gen.yaml\n",
            "generators entries may read any file of its folder, which holds .git",
        ),
        (
            "transformers:\n- |\n  apiVersion: builtin\n  kind: LabelTransformer\n  metadata: {name: x}\n",
            "transformers entries may read any file of its folder, which holds .git",
        ),
    ],
    ids=["generator-files", "generator-envs", "resource", "patch", "link-to-git", "generators", "inline"],
)
def test_a_kustomization_that_reaches_the_git_folder_is_not_built(
    box: Sandbox, kustomization: str, said: str
) -> None:
    checkout(box)
    # A case that starts with an entry adds it to the resources (a key written twice is refused anyway).
    box.write("kustomization.yaml", "resources:\n- cm.yaml\n" + kustomization)
    box.write("cm.yaml", NAMED_HOOK)
    box.write(
        "gen.yaml",
        "apiVersion: builtin\nkind: ConfigMapGenerator\nmetadata: {name: x}\nfiles: [.git/config]\n",
    )
    (box.root / "git").symlink_to(box.root / ".git")
    box.tool("kustomize", stdout=TOKEN)
    result = box.run(["lint", "--jobs", "1", "--format", "json", "."])
    box.confined(result)
    assert box.argv("kustomize") == []
    assert result.stderr == NOT_BUILT + said + LINTED
    assert [f["rule"] for f in json.loads(result.stdout)["findings"]] == ["HL103", "HL104", "HL101"]


def test_generators_in_a_kustomization_beside_no_git_folder_are_built(box: Sandbox) -> None:
    checkout(box)
    box.write("app/kustomization.yaml", "resources:\n- cm.yaml\ngenerators:\n- gen.yaml\n")
    box.write("app/cm.yaml", NAMED_HOOK)
    box.write("app/gen.yaml", "apiVersion: builtin\nkind: ConfigMapGenerator\nmetadata: {name: x}\n")
    box.tool("kustomize", stdout=NAMED_HOOK)
    code, _, stderr = lint(box, "app")
    assert (code, stderr) == (0, "")
    assert box.argv("kustomize") == [["build", "--", str(box.root / "app")]]


@pytest.mark.parametrize("given", [".git/config", "git/config"], ids=["named", "through-a-link"])
def test_a_path_in_the_git_folder_is_not_read(box: Sandbox, given: str) -> None:
    checkout(box)
    (box.root / "git").symlink_to(box.root / ".git")
    box.write("app/job.yaml", NAMED_HOOK)
    box.write(".hooklint.yaml", f'paths: ["{given}", "app"]\n')
    result = box.run(["lint", "--jobs", "1", "--format", "json"])
    assert "basic" not in result.stdout
    assert result.stderr == f"hooklint: {given} lies outside the repository: not read\n"
    box.confined(result)


# A chart at the repository's root: helm reads the folder whole, `.git` included ---------------------------

FILES_GET = (
    "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations:\n"
    "    argocd.argoproj.io/hook: PreSync\n"
    '    argocd.argoproj.io/sync-wave: {{ .Files.Get ".git/config" | quote }}\n'
    "spec:\n  template:\n    spec:\n      restartPolicy: Never\n"
    "      containers: [{name: m, image: migrate:1.0}]\n"
)


def test_a_chart_at_the_repository_root_is_rendered_without_its_git_folder(helm_box: Sandbox) -> None:
    # Before: HL010 quoted the whole of .git/config, token included, as the Job's sync wave.
    box = helm_box
    checkout(box)
    box.write("Chart.yaml", CHART_YAML)
    box.write("templates/job.yaml", FILES_GET)
    box.write(
        "templates/cm.yaml", 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Files.Get "cm.txt" }}\n'
    )
    box.write("cm.txt", "settings")
    result = box.run(["lint", "--jobs", "1", "--format", "json", "--select", "HL0", "--select", "HL1", "."])
    box.confined(result)
    assert "basic" not in result.stdout + result.stderr
    found = [(f["rule"], f["file"], f["line"]) for f in json.loads(result.stdout)["findings"]]
    assert (found, result.stderr) == (
        [("HL103", "templates/job.yaml", 8), ("HL104", "templates/job.yaml", 8)],
        "",
    )
    plan = box.run(["explain", "--format", "json", "."])
    box.confined(plan)
    # Rendered: the ConfigMap is named from a file beside Chart.yaml, and the Job's wave is the default.
    tasks = [
        (t["kind"], t["name"], step["wave"])
        for step in json.loads(plan.stdout)["steps"]
        for t in step["tasks"]
    ]
    assert tasks == [("Job", "migrate", 0), ("ConfigMap", "settings", 0)]
    # helm read a copy of the chart, once for lint and once for explain.
    assert [argv[:2] for argv in box.argv("helm") if argv[-1] != str(box.root)] == [
        ["template", "--include-crds"]
    ] * 2
