"""--jobs: the rules in forked workers give exactly the findings of one process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from hooklint.cli.main import cli
from hooklint.config.settings import Settings
from hooklint.engine import parallel
from hooklint.engine.run import RuleCrashed, lint
from hooklint.model import Rule, Severity
from hooklint.rules import ALL_RULES
from hooklint.sources.load import load
from tests.helpers import NAMED_HOOK_ANNOTATIONS, container, job


def app(n: int) -> str:
    """Application n: a ConfigMap and a named PreSync hook that reads it, in namespace app-n."""
    namespace = f"  namespace: app-{n}\n"
    reads = "          envFrom:\n            - configMapRef:\n                name: settings\n"
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n{namespace}---\n" + job(
        "migrate",
        NAMED_HOOK_ANNOTATIONS,
        meta=namespace,
        containers=container("migrate", "registry.example.com/migrate") + reads,
    )


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("big")
    for n in range(1100):  # 2,200 objects: above parallel.MIN_RESOURCES
        (folder / f"app-{n:04}.yaml").write_text(app(n))
    return folder


def test_jobs_give_the_same_output_as_one_process(big: Path) -> None:
    one = CliRunner().invoke(cli, ["lint", "--format", "json", "--jobs", "1", str(big)])
    two = CliRunner().invoke(cli, ["lint", "--format", "json", "--jobs", "2", str(big)])
    assert one.exit_code == two.exit_code == 1
    assert one.stdout == two.stdout
    assert one.stdout.count('"rule": "HL201"') == 1100


def test_a_rule_crashing_in_a_worker_is_an_internal_error(big: Path) -> None:
    def boom(ctx: object) -> list[object]:
        raise ValueError("bad")

    crash = Rule("HL996", "crashes-in-a-worker", "test", Severity.ERROR, boom)  # type: ignore[arg-type]
    loaded = load([str(big)])
    assert parallel.usable(2, len(loaded.resources))
    with pytest.raises(RuleCrashed, match="rule HL996 \\(crashes-in-a-worker\\) crashed: ValueError: bad"):
        lint(loaded, Settings(extend_select=("HL996",)), (*ALL_RULES, crash), jobs=2)


def test_small_inputs_stay_in_one_process() -> None:
    assert not parallel.usable(2, parallel.MIN_RESOURCES - 1)
    assert not parallel.usable(1, 10**6)


def test_output_does_not_depend_on_the_order_the_filesystem_lists_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(6):
        (tmp_path / f"d{n % 2}").mkdir(exist_ok=True)
        (tmp_path / f"d{n % 2}" / f"app-{n}.yaml").write_text(app(n))
    first = CliRunner().invoke(cli, ["lint", "--format", "json", str(tmp_path)]).stdout
    real_walk = os.walk

    def reversed_walk(top: str, *args: object, **kwargs: object) -> object:
        for root, dirs, files in real_walk(top, *args, **kwargs):  # type: ignore[call-overload]
            dirs.reverse()
            yield root, dirs, list(reversed(files))

    monkeypatch.setattr("hooklint.manifests.discovery.os.walk", reversed_walk)
    assert CliRunner().invoke(cli, ["lint", "--format", "json", str(tmp_path)]).stdout == first
    assert first.count('"rule": "HL201"') == 6
