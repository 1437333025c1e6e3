"""Property-based and mutation tests: any manifest, however odd, gives a finding or a result, never a crash."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hooklint.argocd.annotated import named_at_sync
from hooklint.cli.main import cli
from hooklint.config.settings import Settings
from hooklint.manifests.parse import load_bytes, load_text
from hooklint.sync.plan import KIND_ORDER, PHASE_ORDER, Task
from hooklint.sync.scheduler import plan
from tests.helpers import CORPUS, findings

# A short budget in CI; HOOKLINT_FUZZ_EXAMPLES=5000 for a long run (bench/README.md).
EXAMPLES = int(os.environ.get("HOOKLINT_FUZZ_EXAMPLES", "150"))
# HL206 is off by default; the fuzz runs it too.
WITH_HL206 = Settings(extend_select=("HL206",))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

API = {
    "Job": "batch/v1",
    "Deployment": "apps/v1",
    "Ingress": "networking.k8s.io/v1",
    "Role": "rbac.authorization.k8s.io/v1",
    "RoleBinding": "rbac.authorization.k8s.io/v1",
    "CustomResourceDefinition": "apiextensions.k8s.io/v1",
    "Widget": "example.com/v1",
    "Application": "argoproj.io/v1alpha1",
}
KINDS = [
    *API,
    "Pod",
    "ConfigMap",
    "Secret",
    "ServiceAccount",
    "Namespace",
    "Service",
    "PersistentVolumeClaim",
]
HOOK_VALUES = [
    "PreSync",
    "Sync",
    "PostSync",
    "SyncFail",
    "Skip",
    "PreDelete",
    "PostDelete",
    "Presync",
    "",
    " PreSync ",
    "PreSync,PostSync",
    "Skip,Sync",
    "garbage",
    "pre-install",
    "test",
]
POLICIES = [
    "HookSucceeded",
    "HookFailed",
    "BeforeHookCreation",
    "hook-succeeded",
    "OnSuccess",
    "",
    "HookSucceeded,BeforeHookCreation",
]
WAVES = ["0", "-3", "5", " 1", "1.0", "one", "+2", "99999999999999999999", ""]
OPTIONS = ["Prune=false", "PruneLast=true", "prune=false", "Replace=true,Force=true"]
NAMES = ["a", "b", "migrate", "shop", "cfg", "x-1", "Z"]
ANNOTATIONS = (
    ("argocd.argoproj.io/hook", HOOK_VALUES),
    ("argocd.argoproj.io/hook-delete-policy", POLICIES),
    ("argocd.argoproj.io/sync-wave", WAVES),
    ("helm.sh/hook", HOOK_VALUES),
    ("helm.sh/hook-weight", WAVES),
    ("argocd.argoproj.io/sync-options", OPTIONS),
)


@st.composite
def manifest(draw: st.DrawFn) -> str:
    """One object with random Argo CD annotations (quoted or bare, so YAML sometimes reads numbers or
    booleans), names, namespaces and references."""
    kind = draw(st.sampled_from(KINDS))
    # Without a name or generateName: Argo CD names a sync hook, and anything else is HL002.
    name_key = draw(st.sampled_from(["name", "name", "generateName", ""]))
    lines = [
        f"apiVersion: {API.get(kind, 'v1')}",
        f"kind: {kind}",
        "metadata:",
        f"  {name_key}: {draw(st.sampled_from(NAMES))}" if name_key else "  labels: {a: b}",
    ]
    if draw(st.booleans()):
        lines.append(f"  namespace: {draw(st.sampled_from(['shop', 'default', 'other']))}")
    annotations = []
    for key, values in ANNOTATIONS:
        if draw(st.booleans()):
            value = draw(st.sampled_from(values))
            annotations.append(f"    {key}: {json.dumps(value) if draw(st.booleans()) else value or '~'}")
    if annotations:
        lines += ["  annotations:", *annotations]
    if kind in ("Job", "Pod", "Deployment"):
        pad = "  " if kind == "Pod" else "      "
        lines += ["spec:"] if kind == "Pod" else ["spec:", "  template:", "    spec:"]
        image = draw(
            st.sampled_from(["busybox", "app:1.0", "app:latest", "r:5000/x", "x@sha256:" + "a" * 64])
        )
        lines += [
            f"{pad}serviceAccountName: {draw(st.sampled_from(NAMES))}",
            f"{pad}containers:",
            f"{pad}  - name: c",
            f"{pad}    image: {image}",
            f"{pad}    envFrom:",
            f"{pad}      - configMapRef: {{name: {draw(st.sampled_from(NAMES))}}}",
        ]
    if kind == "CustomResourceDefinition":
        lines += [
            "spec:",
            "  group: example.com",
            "  names: {kind: Widget, plural: widgets}",
            "  scope: Namespaced",
        ]
    return "\n".join(lines) + "\n"


@FUZZ
@given(st.lists(manifest(), min_size=1, max_size=8))
def test_any_application_lints_deterministically_with_positions_inside_the_file(documents: list[str]) -> None:
    text = "---\n".join(documents)
    first = findings({"app.yaml": text}, WITH_HL206)
    assert first == findings({"app.yaml": text}, WITH_HL206)
    lines = text.splitlines()
    for _, line, column, _, _ in first:
        assert 1 <= line <= len(lines) + 1
        assert 1 <= column <= (len(lines[line - 1]) + 1 if line <= len(lines) else 1)


def _key(task: Task) -> tuple[int, int, int, str]:
    """The comparator of docs/argocd.md#sort-order: phase, wave, kind, name."""
    return (PHASE_ORDER.get(task.phase, 0), task.wave, KIND_ORDER.get(task.kind, 0), task.name)


@FUZZ
@given(st.lists(manifest(), min_size=1, max_size=10))
def test_plan_order_satisfies_the_comparator_apart_from_the_pulls(documents: list[str]) -> None:
    result = plan(load_text("app.yaml", "---\n".join(documents), named_at_sync).resources)
    ordered = [task for step in result.steps for task in step.tasks if task.moved_by is None]
    assert [_key(t) for t in ordered] == sorted(_key(t) for t in ordered)
    for step in result.steps:
        for task in step.tasks:
            if (
                task.moved_by is not None
            ):  # docs/argocd.md#dependency-adjustments: a pulled task takes the phase and wave of its anchor
                anchor = task.pulled_for
                assert anchor is not None and (task.phase, task.wave) == (anchor.phase, anchor.wave)


@FUZZ
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_crash_the_loader(data: bytes) -> None:
    result = load_bytes("f.yaml", data)
    assert {problem.rule for problem in result.problems} <= {"HL001", "HL002", "HL003"}


def mutate(data: bytes, rng: random.Random) -> bytes:
    """A few random byte flips, deleted, repeated and re-indented lines."""
    for _ in range(rng.randint(1, 4)):
        lines = data.split(b"\n")
        choice = rng.random()
        if choice < 0.3 and data:
            position = rng.randrange(len(data))
            data = data[:position] + bytes([rng.randrange(256)]) + data[position + 1 :]
            continue
        index = rng.randrange(len(lines))
        if choice < 0.5:
            del lines[index]
        elif choice < 0.7:
            lines.insert(rng.randrange(len(lines) + 1), lines[index])
        else:
            lines[index] = b"  " + lines[index] if rng.random() < 0.5 else lines[index].lstrip()
        data = b"\n".join(lines)
    return data


FILES = sorted(p for p in CORPUS.rglob("*.yaml") if p.stat().st_size < 300_000)


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(CORPUS)) for p in FILES])
def test_mutated_corpus_files_never_crash_the_cli(path: Path, tmp_path: Path) -> None:
    rng = random.Random(f"{path.name}:{EXAMPLES}")
    original = path.read_bytes()
    for round_number in range(3):
        target = tmp_path / f"m{round_number}.yaml"
        target.write_bytes(mutate(original, rng))
        for command in (["lint", "--extend-select", "HL206", str(target)], ["explain", str(target)]):
            result = CliRunner().invoke(cli, command)
            assert result.exit_code in (0, 1), (command, result.output, result.stderr)
