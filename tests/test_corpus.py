"""Every real-world manifest in tests/corpus loads, lints and explains without a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from hooklint.config.settings import Settings
from hooklint.engine.run import lint
from hooklint.explain.plan import to_json, to_text
from hooklint.sources.load import load
from hooklint.sync.scheduler import plan
from tests.helpers import CORPUS

FILES = sorted(CORPUS.rglob("*.yaml"))
FOLDERS = sorted({path.parent for path in FILES})


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(CORPUS)) for p in FILES])
def test_corpus_file_loads_lints_and_explains(path: Path) -> None:
    loaded = load([str(path)])
    findings = lint(loaded, Settings())
    to_text(plan(loaded.resources))
    input_rules = [(f.rule, f.span.line) for f in findings if f.rule in ("HL001", "HL002", "HL003")]
    if path.parent.name == "helm-templates":
        assert [rule for rule, _ in input_rules] == ["HL003"]
        assert loaded.resources == ()
    else:
        assert input_rules == []
        assert loaded.resources


@pytest.mark.parametrize("folder", FOLDERS, ids=[p.name for p in FOLDERS])
def test_corpus_folder_explains_as_one_application(folder: Path) -> None:
    loaded = load([str(folder)])
    assert to_json(plan(loaded.resources)).startswith('{\n  "version": 1,')


def test_argo_cd_e2e_hook_fixtures_plan_as_argo_cd_runs_them() -> None:
    folder = CORPUS / "argoproj__argo-cd"
    pre = load([str(folder / "test__e2e__testdata__pre-delete-hook__hook.yaml")]).resources
    result = plan(pre)
    assert [(t.ident, t.phase) for t in result.pre_delete] == [("Pod/hook", "PreDelete")]
    assert [[t.ident for t in s.tasks] for s in result.steps] == [["ConfigMap/guestbook-ui"]]
    multi = plan(
        load([str(folder / "test__e2e__testdata__multi-namespace-hook__multi-namespace-hook.yaml")]).resources
    )
    assert [(s.phase, [(t.ident, t.namespace) for t in s.tasks]) for s in multi.steps] == [
        (
            "Sync",
            [("Namespace/test-multi-ns-hook-second", "default"), ("Deployment/nginx-deployment", "default")],
        ),
        ("PostSync", [("Pod/my-hook", "default"), ("Pod/my-hook", "test-multi-ns-hook-second")]),
    ]
