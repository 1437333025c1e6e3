"""The fixer and `hooklint fix`: only the edited spans change, writes are atomic and careful, fixing is
idempotent and never brings a finding, and the summary says what happened."""

from __future__ import annotations

import codecs
import json
import os
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from hooklint.argocd import annotations as argo
from hooklint.config.settings import Settings
from hooklint.engine.run import lint
from hooklint.fix import fixer
from hooklint.fix import output as fixoutput
from hooklint.model import Finding, FixAvailability
from hooklint.rules import ALL_RULES
from hooklint.rules.annotations.value_fixes import correction
from hooklint.sources.load import load
from tests.helpers import CORPUS, invoke, loaded

# A hook with most of what a fix must not disturb: comments, blank lines, quoting styles, odd indentation,
# key order, flow mappings. It needs BeforeHookCreation (HL101) and a quoted wave (HL013).
BEFORE = """\
# The migration runs before every sync.
apiVersion: batch/v1
kind: Job
metadata:
  name: db-migrate   # fixed name, on purpose
  labels: {app: shop}

  annotations:
    argocd.argoproj.io/hook: 'PreSync'
    argocd.argoproj.io/hook-delete-policy: "HookSucceeded"
    argocd.argoproj.io/sync-wave: -2
spec:
    backoffLimit: 1
    activeDeadlineSeconds: 300
    template:
      spec:
        restartPolicy: Never
        containers:
          - name: migrate
            image: registry.example.com/shop/api:1.4.2   # pinned
            resources: {requests: {cpu: 100m}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: api, image: "registry.example.com/shop/api:1.4.2"}]
"""
AFTER = BEFORE.replace('"HookSucceeded"', '"BeforeHookCreation,HookSucceeded"').replace(
    "sync-wave: -2", 'sync-wave: "-2"'
)

PRESYNC_TYPO = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    argocd.argoproj.io/hook: Presync
    argocd.argoproj.io/hook-delete-policy: HookSucceeded
spec:
  backoffLimit: 0
  activeDeadlineSeconds: 300
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: registry.example.com/shop/api:1.4.2
          resources: {requests: {cpu: 100m}}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  image: registry.example.com/shop/api:1.4.2
"""

NO_BOUNDS = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: seed
  annotations:
    argocd.argoproj.io/hook: PostSync
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: seed
          image: busybox:1.36
          resources: {requests: {cpu: 10m}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: seed-data}
"""


def fixed(files: dict[str, str], **kwargs: object) -> fixer.Outcome:
    return fixer.fix(loaded(files), Settings(), lint, **kwargs)  # type: ignore[arg-type]


def test_only_the_edited_spans_change() -> None:
    outcome = fixed({"job.yaml": BEFORE})
    assert outcome.texts["job.yaml"] == AFTER
    assert [f.rule for f in outcome.fixed] == ["HL101", "HL013"]
    assert outcome.remaining == []


def test_the_rounds_replay_to_the_fixed_text() -> None:
    outcome = fixed({"job.yaml": NO_BOUNDS}, unsafe=True)
    text = NO_BOUNDS
    for batch in outcome.batches:
        text = fixer.apply(text, batch)
    assert text == outcome.texts["job.yaml"]
    assert len(outcome.batches) == 2  # both fixes add to the top of spec: the second waits a round


def test_fixes_that_need_each_other_take_rounds_and_the_rounds_are_bounded() -> None:
    both = NO_BOUNDS.replace(
        "spec:\n  template:", "spec:\n  backoffLimit: 2\n  activeDeadlineSeconds: 600\n  template:"
    )
    assert fixed({"job.yaml": NO_BOUNDS}, unsafe=True).texts["job.yaml"] == both
    one_round = fixed({"job.yaml": NO_BOUNDS}, unsafe=True, rounds=1)
    assert [f.rule for f in one_round.fixed] == ["HL103"]
    assert [f.rule for f in one_round.remaining] == ["HL104"]


def test_the_fixed_load_keeps_what_else_the_load_carried() -> None:
    base = replace(loaded({"job.yaml": BEFORE}), notes=("hooklint: helm is not on PATH",))
    outcome = fixer.fix(base, Settings(), lint)
    assert outcome.changed == ["job.yaml"]
    assert outcome.load.notes == ("hooklint: helm is not on PATH",)


def test_fixing_is_idempotent() -> None:
    first = fixed({"job.yaml": BEFORE, "seed.yaml": NO_BOUNDS}, unsafe=True)
    second = fixer.fix(first.load, Settings(), lint, unsafe=True)
    assert first.changed == ["job.yaml", "seed.yaml"]
    assert (second.changed, second.fixed, second.batches) == ([], (), ())


def test_unsafe_fixes_wait_for_the_flag_and_the_summary_lists_them() -> None:
    outcome = fixed({"seed.yaml": NO_BOUNDS})
    assert outcome.changed == []
    assert fixoutput.summary(outcome, unsafe=False, dry_run=False) == [
        "hooklint: fixed 0 finding(s) in 0 file(s); 2 remain",
        "hooklint: 2 of them can be fixed with --unsafe-fixes:",
        "  seed.yaml:7:1: HL103 Set backoffLimit to 2",
        "  seed.yaml:7:1: HL104 Add activeDeadlineSeconds: 600",
    ]


def test_a_fix_that_would_bring_a_finding_is_held_back() -> None:
    pvc = """\
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: HookSucceeded
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
"""
    outcome = fixed({"pvc.yaml": pvc})
    assert outcome.changed == []
    # With BeforeHookCreation the claim, and its data, would be deleted before every sync (HL107).
    assert fixoutput.summary(outcome, unsafe=False, dry_run=False) == [
        "hooklint: fixed 0 finding(s) in 0 file(s); 1 remain",
        "hooklint: 1 fix(es) held back, as they would add findings:",
        "  pvc.yaml:7:44: HL101 Add BeforeHookCreation to argocd.argoproj.io/hook-delete-policy (would add HL107)",
    ]


def test_a_corrected_hook_type_runs_and_what_it_brings_to_light_is_reported() -> None:
    outcome = fixed({"job.yaml": PRESYNC_TYPO})
    assert outcome.texts["job.yaml"] == PRESYNC_TYPO.replace("Presync", "PreSync").replace(
        ": HookSucceeded", ": BeforeHookCreation,HookSucceeded"
    )
    assert fixoutput.summary(outcome, unsafe=False, dry_run=False) == [
        "hooklint: fixed 2 finding(s) in 1 file(s) (HL010 ×1, HL101 ×1); 0 remain",
    ]


def test_many_objects_are_fixed_together_the_revealing_fixes_first() -> None:
    job = PRESYNC_TYPO.split("---\n")[0]
    configmap = "---\n" + PRESYNC_TYPO.split("---\n")[1]
    text = "---\n".join(job.replace("name: migrate\n", f"name: migrate-{n}\n") for n in range(15)) + configmap
    outcome = fixed({"jobs.yaml": text})
    assert [sorted({f.rule for f in batch_findings}) for batch_findings in _rounds(outcome)] == [
        ["HL010"],
        ["HL101"],
    ]
    assert len(outcome.fixed) == 30 and outcome.remaining == []
    assert fixer.fix(outcome.load, Settings(), lint).changed == []


def _rounds(outcome: fixer.Outcome) -> list[list[Finding]]:
    """The fixed findings of each round, told apart by the round's edits."""
    rounds = []
    for batch in outcome.batches:
        rounds.append([f for f in outcome.fixed if f.fix is not None and set(f.fix.edits) <= set(batch)])
    return rounds


def test_a_corrected_hook_type_is_held_back_when_the_value_is_then_wrong() -> None:
    # `skip` reads as Skip, which next to Sync is HL015's mistake: a slip fixed into another one.
    text = PRESYNC_TYPO.replace("Presync", "Sync,skip")
    outcome = fixed({"job.yaml": text})
    assert [(h.finding.rule, h.would_add) for h in outcome.held_back] == [("HL010", ("HL015",))]


def test_alone_gives_a_fix_as_fix_applies_it_and_none_for_one_fix_holds_back() -> None:
    loaded_input = loaded({"job.yaml": PRESYNC_TYPO.replace("Presync", "PreSync")})
    findings = lint(loaded_input, Settings())
    hl101 = next(f for f in findings if f.rule == "HL101")
    assert fixer.alone(loaded_input, Settings(), lint, findings, hl101) == hl101
    held = loaded({"job.yaml": PRESYNC_TYPO.replace("Presync", "Sync,skip")})
    held_findings = lint(held, Settings())
    hl010 = next(f for f in held_findings if f.rule == "HL010")
    assert fixer.alone(held, Settings(), lint, held_findings, hl010) is None
    assert fixer.alone(held, Settings(), lint, held_findings, replace(hl010, fix=None)) is None


@pytest.mark.parametrize(
    ("value", "known", "meant"),
    [
        ("Presync", argo.HOOK_TYPES, "PreSync"),
        ("pre-sync", argo.HOOK_TYPES, "PreSync"),
        ("PostSynk", argo.HOOK_TYPES, "PostSync"),
        ("Sink", argo.HOOK_TYPES, None),  # as near to Skip as to Sync
        ("post-install", argo.HOOK_TYPES, None),  # a Helm name, not a slip
        ("hook-failed", argo.DELETE_POLICIES, "HookFailed"),
        ("HookSucceeded", tuple(argo.HELM_POLICY_MAP), "hook-succeeded"),
        ("OnSuccess", argo.DELETE_POLICIES, None),  # the old name is a rename, not a slip
    ],
)
def test_only_an_unambiguous_slip_is_corrected(value: str, known: tuple[str, ...], meant: str | None) -> None:
    assert correction(value, known) == meant


def test_a_helm_hook_without_policy_gets_helms_key() -> None:
    job = NO_BOUNDS.replace("name: seed", "generateName: seed-", 1).replace(
        "argocd.argoproj.io/hook: PostSync", "helm.sh/hook: post-install,post-upgrade"
    )
    outcome = fixed({"job.yaml": job}, unsafe=False)
    assert outcome.texts["job.yaml"] == job.replace(
        "post-install,post-upgrade\n",
        "post-install,post-upgrade\n    helm.sh/hook-delete-policy: hook-succeeded\n",
    )


def test_the_tracking_configmap_is_not_offered_when_its_name_is_taken() -> None:
    env = NO_BOUNDS.replace(
        "image: busybox:1.36", "image: busybox:1.36\n          env: [{name: HOST, value: db.example.com}]"
    )
    assert [f.fix is not None for f in lint(loaded({"job.yaml": env}), Settings()) if f.rule == "HL109"] == [
        True
    ]
    taken = env + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: seed-hook-config}\n"
    assert [f.fix for f in lint(loaded({"job.yaml": taken}), Settings()) if f.rule == "HL109"] == [None]


def test_a_misspelled_key_as_near_to_two_keys_is_not_renamed() -> None:
    # argocd.argoproj.io/hook-weight is Helm's weight in Argo CD's prefix, or the sync wave: the message asks.
    job = NO_BOUNDS.replace(
        "argocd.argoproj.io/hook: PostSync",
        "argocd.argoproj.io/hook: PostSync\n    argocd.argoproj.io/hook-weight: '1'",
    )
    [finding] = [f for f in lint(loaded({"job.yaml": job}), Settings()) if f.rule == "HL014"]
    assert "did you mean helm.sh/hook-weight (or argocd.argoproj.io/sync-wave)?" in finding.message
    assert finding.fix is None


def test_a_template_label_the_selector_uses_is_not_moved() -> None:
    deployment = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector:
    matchLabels: {app: api, argocd.argoproj.io/sync-wave: "1"}
  template:
    metadata:
      labels: {app: api, argocd.argoproj.io/sync-wave: "1"}
    spec:
      containers: [{name: api, image: "registry.example.com/shop/api:1.4.2"}]
"""
    [finding] = [f for f in lint(loaded({"d.yaml": deployment}), Settings()) if f.rule == "HL014"]
    assert finding.span.line == 9 and finding.fix is None


def test_a_file_with_a_parse_error_is_never_touched() -> None:
    broken = BEFORE + "---\nkind: [unclosed\n"
    outcome = fixed({"broken.yaml": broken, "seed.yaml": NO_BOUNDS}, unsafe=True)
    assert outcome.changed == ["seed.yaml"]
    assert outcome.texts["broken.yaml"] == broken


def test_a_file_whose_text_is_not_what_its_objects_were_read_from_is_never_touched() -> None:
    # Rendered chart output is placed at its templates: its offsets are not offsets into the file's text.
    base = loaded({"job.yaml": BEFORE})
    elsewhere = replace(base, texts={"job.yaml": "# a template\n" + BEFORE})
    assert fixer.fix(elsewhere, Settings(), lint).changed == []


def test_unified_diff_marks_a_missing_final_line_break() -> None:
    assert fixoutput.unified_diff("a.yaml", "x: 1\ny: 2", "x: 1\ny: 3") == (
        "--- a/a.yaml\n+++ b/a.yaml\n@@ -1,2 +1,2 @@\n x: 1\n-y: 2\n\\ No newline at end of file\n+y: 3\n"
        "\\ No newline at end of file\n"
    )


def variants() -> list[object]:
    cases = []
    for crlf in (False, True):
        for bom in (False, True):
            for final in (True, False):
                name = f"{'crlf' if crlf else 'lf'}-{'bom' if bom else 'nobom'}-{'final' if final else 'nofinal'}"
                cases.append(pytest.param(crlf, bom, final, id=name))
    return cases


def encode(text: str, crlf: bool, bom: bool, final: bool) -> bytes:
    text = text if final else text.rstrip("\n")
    if crlf:
        text = text.replace("\n", "\r\n")
    return (codecs.BOM_UTF8 if bom else b"") + text.encode()


@pytest.mark.parametrize(("crlf", "bom", "final"), variants())
def test_fix_keeps_line_endings_byte_order_mark_final_line_break_and_mode(
    tmp_path: Path, crlf: bool, bom: bool, final: bool
) -> None:
    path = tmp_path / "job.yaml"
    path.write_bytes(encode(BEFORE, crlf, bom, final))
    path.chmod(0o640)
    code, out, err = invoke(["fix", str(path)])
    assert (code, out) == (0, "")
    assert err == "hooklint: fixed 2 finding(s) in 1 file(s) (HL013 ×1, HL101 ×1); 0 remain\n"
    assert path.read_bytes() == encode(AFTER, crlf, bom, final)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["job.yaml"]


def test_fix_writes_through_a_temporary_file_renamed_in_the_same_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "job.yaml"
    path.write_text(BEFORE)
    renames: list[tuple[str, str]] = []
    real = os.replace

    def spy(source: str, target: str) -> None:
        renames.append((source, target))
        assert Path(source).read_text() == AFTER and path.read_text() == BEFORE
        real(source, target)

    monkeypatch.setattr(os, "replace", spy)
    assert invoke(["fix", str(path)])[0] == 0
    [(source, target)] = renames
    assert (os.path.dirname(source), target) == (str(tmp_path), str(path))
    assert os.path.basename(source).startswith(
        ".hooklint-fix-"
    )  # ours by name: a later fix removes it if left


def test_a_failed_write_leaves_the_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "job.yaml"
    path.write_text(BEFORE)

    def full_disk(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    code, _, err = invoke(["fix", str(path)])
    assert code == 1
    assert err.splitlines()[0] == f"hooklint: cannot write {path}: No space left on device"
    assert path.read_text() == BEFORE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["job.yaml"]


def test_a_file_changed_since_it_was_read_is_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "job.yaml"
    path.write_text(BEFORE)
    edited = BEFORE + "# edited meanwhile\n"
    real = fixer.fix

    def fix_then_edit(*args: object, **kwargs: object) -> fixer.Outcome:
        outcome = real(*args, **kwargs)  # type: ignore[arg-type]
        path.write_text(edited)
        return outcome

    monkeypatch.setattr(fixer, "fix", fix_then_edit)
    code, _, err = invoke(["fix", str(path)])
    assert code == 1
    assert err.splitlines()[0] == f"hooklint: {path} changed while it was being fixed; left as it is"
    assert path.read_text() == edited


def test_fix_through_a_symbolic_link_keeps_the_link(tmp_path: Path) -> None:
    # A link is followed only to a file in the same repository (tests/security/test_confine.py).
    (tmp_path / ".git").mkdir()
    (tmp_path / "real.yaml").write_text(BEFORE)
    (tmp_path / "apps").mkdir()
    (tmp_path / "apps" / "job.yaml").symlink_to(tmp_path / "real.yaml")
    # Links met while walking a folder are not followed; one named on the command line is.
    assert invoke(["fix", str(tmp_path / "apps")])[0] == 0
    assert (tmp_path / "real.yaml").read_text() == BEFORE
    assert invoke(["fix", str(tmp_path / "apps" / "job.yaml")])[0] == 0
    assert (tmp_path / "apps" / "job.yaml").is_symlink()
    assert (tmp_path / "real.yaml").read_text() == AFTER


def test_fix_diff_prints_the_change_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "job.yaml"
    path.write_text(BEFORE)
    code, out, err = invoke(["fix", "--diff", str(path)])
    assert code == 1
    assert out == (
        f"--- a{path}\n+++ b{path}\n@@ -7,8 +7,8 @@\n \n   annotations:\n     argocd.argoproj.io/hook: 'PreSync'\n"
        '-    argocd.argoproj.io/hook-delete-policy: "HookSucceeded"\n'
        "-    argocd.argoproj.io/sync-wave: -2\n"
        '+    argocd.argoproj.io/hook-delete-policy: "BeforeHookCreation,HookSucceeded"\n'
        '+    argocd.argoproj.io/sync-wave: "-2"\n'
        " spec:\n     backoffLimit: 1\n     activeDeadlineSeconds: 300\n"
    )
    assert err == "hooklint: would fix 2 finding(s) in 1 file(s) (HL013 ×1, HL101 ×1); 0 remain\n"
    assert path.read_text() == BEFORE
    assert invoke(["fix", "--diff", str(tmp_path)]) != invoke(["fix", "--diff", str(tmp_path / "nope")])


def test_fix_reads_standard_input_and_writes_the_fixed_text_with_its_byte_order_mark() -> None:
    code, out, err = invoke(["fix", "-"], codecs.BOM_UTF8 + BEFORE.encode())
    assert (code, out) == (0, "\ufeff" + AFTER)
    assert err == "hooklint: fixed 2 finding(s) in 1 file(s) (HL013 ×1, HL101 ×1); 0 remain\n"


def test_fix_exits_1_while_findings_remain_and_unsafe_fixes_takes_them(tmp_path: Path) -> None:
    path = tmp_path / "seed.yaml"
    path.write_text(NO_BOUNDS)
    assert invoke(["fix", "--fail-on", "warning", str(path)])[0] == 1
    code, _, err = invoke(["fix", "--unsafe-fixes", "--fail-on", "warning", str(path)])
    assert (code, err) == (0, "hooklint: fixed 2 finding(s) in 1 file(s) (HL103 ×1, HL104 ×1); 0 remain\n")


def test_lint_fix_reports_what_remains(tmp_path: Path) -> None:
    path = tmp_path / "seed.yaml"
    path.write_text(
        NO_BOUNDS.replace("name: seed\n", "name: seed\n  labels:\n    argocd.argoproj.io/sync-wave: '1'\n", 1)
    )
    code, out, err = invoke(["lint", "--fix", "--select", "HL014", "--select", "HL103", str(path)])
    assert code == 0
    assert out.splitlines()[0] == f"{path}:8:1: warning HL103 hook-job-backoff-limit: " + (
        "Job/seed (PostSync wave 1) has backoffLimit 6 (the default): up to 6 retries and 10.5 min of back-off "
        "before the hook fails"
    )
    assert err.splitlines() == [
        "hooklint: fixed 1 finding(s) in 1 file(s) (HL014 ×1); 1 remain",
        "hooklint: 1 of them can be fixed with --unsafe-fixes:",
        f"  {path}:8:1: HL103 Set backoffLimit to 2",
    ]
    assert "argocd.argoproj.io/sync-wave: '1'" in path.read_text().split("annotations:")[1]


def test_lint_fix_on_standard_input_writes_the_text_out_and_the_report_to_standard_error() -> None:
    code, out, err = invoke(["lint", "--fix", "--format", "json", "-"], BEFORE)
    assert (code, out) == (0, AFTER)
    assert err.startswith(
        'hooklint: fixed 2 finding(s) in 1 file(s) (HL013 ×1, HL101 ×1); 0 remain\n{\n  "version": 1,'
    )


@pytest.mark.parametrize("absolute", [False, True], ids=["relative-path", "absolute-path"])
def test_git_apply_takes_the_diff_and_writes_the_fixed_bytes(tmp_path: Path, absolute: bool) -> None:
    import subprocess

    from tests.realtools.conftest import require

    git = require("git")
    apps = tmp_path / "apps"
    apps.mkdir()
    last = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: last\n  annotations:\n    argocd.argoproj.io/hook: PreSync\n    argocd.argoproj.io/hook-delete-policy: HookSucceeded"
    (apps / "job.yaml").write_text(BEFORE)
    (apps / "no-final-line-break.yaml").write_text(last)
    subprocess.run([git, "init", "-q"], cwd=tmp_path, check=True)
    code, diff, _ = invoke(["fix", "--diff", str(apps) if absolute else "apps"], cwd=tmp_path)
    assert code == 1
    assert diff.startswith("--- a/apps/job.yaml\n+++ b/apps/job.yaml\n")
    assert "--- a/apps/no-final-line-break.yaml\n+++ b/apps/no-final-line-break.yaml\n" in diff
    subprocess.run([git, "apply"], cwd=tmp_path, input=diff.encode(), check=True, capture_output=True)
    assert (apps / "job.yaml").read_bytes() == AFTER.encode()
    assert (apps / "no-final-line-break.yaml").read_bytes() == last.replace(
        "HookSucceeded", "BeforeHookCreation,HookSucceeded"
    ).encode()


def test_lint_diff_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "job.yaml"
    path.write_text(BEFORE)
    code, out, _ = invoke(["lint", "--diff", str(path)])
    assert code == 1 and out.startswith(f"--- a{path}\n+++ b{path}\n")
    assert path.read_text() == BEFORE


def test_lint_fix_does_not_go_with_write_baseline(tmp_path: Path) -> None:
    code, _, err = invoke(["lint", "--fix", "--write-baseline", str(tmp_path / "b.json"), "-"], BEFORE)
    assert code == 2 and "--write-baseline records findings as they are" in err


def test_json_and_sarif_carry_the_fix() -> None:
    _, out, _ = invoke(["lint", "--format", "json", "--select", "HL013", "-"], BEFORE)
    [finding] = json.loads(out)["findings"]
    assert finding["fix"] == {"title": 'Quote the value: "-2"', "safe": True}
    _, out, _ = invoke(["lint", "--format", "sarif", "--select", "HL013", "-"], BEFORE)
    [result] = json.loads(out)["runs"][0]["results"]
    offset = BEFORE.index("-2\n")
    assert result["fixes"] == [
        {
            "description": {"text": 'Quote the value: "-2"'},
            "artifactChanges": [
                {
                    "artifactLocation": {"uri": "stdin"},
                    "replacements": [
                        {
                            "deletedRegion": {"charOffset": offset, "charLength": 2},
                            "insertedContent": {"text": '"-2"'},
                        }
                    ],
                }
            ],
        }
    ]


CORPUS_FILES = sorted(CORPUS.rglob("*.yaml"))
ALWAYS = {rule.id for rule in ALL_RULES if rule.fix is FixAvailability.ALWAYS}


@pytest.mark.parametrize("source", CORPUS_FILES, ids=[str(p.relative_to(CORPUS)) for p in CORPUS_FILES])
def test_corpus_file_fixes_cleanly(tmp_path: Path, source: Path) -> None:
    copy = tmp_path / source.name
    copy.write_bytes(source.read_bytes())
    before = load([str(copy)])
    first = lint(before, Settings())
    assert [f.rule for f in first if f.rule in ALWAYS and f.fix is None] == []
    outcome = fixer.fix(before, Settings(), lint, unsafe=True)
    # Nothing but the recorded edits changed, round after round.
    texts = dict(outcome.original)
    for batch in outcome.batches:
        for path in {edit.path for edit in batch}:
            texts[path] = fixer.apply(texts[path], [edit for edit in batch if edit.path == path])
    assert texts == outcome.texts
    # No finding the input did not have, beyond what corrected annotations bring to light.
    assert {f.rule for f in outcome.revealed} <= {f.rule for f in outcome.remaining}
    assert not [f for f in outcome.remaining if f.rule in ("HL001", "HL002")]
    for path in outcome.changed:
        fixoutput.write(path, outcome.original[path], outcome.texts[path])
    relinted = lint(load([str(copy)]), Settings())
    assert relinted == outcome.remaining
    if source.parent.name == "helm-templates":
        assert outcome.changed == []
    assert copy.read_bytes().startswith(codecs.BOM_UTF8) == source.read_bytes().startswith(codecs.BOM_UTF8)
    again = fixer.fix(load([str(copy)]), Settings(), lint, unsafe=True)
    assert again.changed == []
