"""Small inputs that took minutes: each is fed at a size where the old code took far longer than the bound.
The bound is on CPU seconds, this process's and its children's, which other work on a loaded machine does not
stretch as it stretches the clock."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from hooklint.model import Finding, Severity, Span, stable_entry
from hooklint.report import reporter
from hooklint.report.summary import Summary
from hooklint.rules import ALL_RULES
from tests.security.harness import Sandbox

BOUND = 5.0  # CPU seconds


def cpu() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


JOB = """apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: {policy}
spec:
  template:
    spec:
      containers: [{{name: c, image: busybox}}]
      restartPolicy: Never
"""


def test_a_long_name_against_a_glob_of_many_stars_is_matched_in_linear_time(box: Sandbox) -> None:
    # 45 characters against eight stars backtracked for 38 s, twice as long per character more.
    name = "a" * 45 + ".yaml"
    box.write(name, JOB.format(policy="HookSucceeded"))
    box.write(
        ".hooklint.yaml",
        'exclude: ["*a*a*a*a*a*a*a*a*c"]\nsuppress:\n  - path: "*a*a*a*a*a*a*a*a*c"\n    rules: [HL103]\n',
    )
    started = cpu()
    result = box.run(["lint", "--jobs", "1", "--select", "HL104", "."])
    assert cpu() - started < BOUND
    assert result.code == 0
    assert result.stdout.startswith(f"{name}:8:1: warning HL104 hook-without-deadline: Job/migrate")


def test_a_huge_annotation_value_gets_no_did_you_mean_and_takes_no_minutes(box: Sandbox) -> None:
    # 400 KB compared with every known policy took 16 s.
    value = "HookSucceded" + "x" * 400_000
    box.write("job.yaml", JOB.format(policy=json.dumps(value)))
    started = cpu()
    result = box.run(["lint", "--jobs", "1", "--format", "json", "--select", "HL011", "job.yaml"])
    assert cpu() - started < BOUND
    [finding] = json.loads(result.stdout)["findings"]
    assert finding["message"].startswith(f"{value!r} is not a delete policy Argo CD knows")
    assert "did you mean" not in finding["message"]


def test_a_short_misspelling_still_gets_its_did_you_mean(box: Sandbox) -> None:
    box.write("job.yaml", JOB.format(policy="HookSucceded"))
    result = box.run(["lint", "--jobs", "1", "--format", "json", "--select", "HL011", "job.yaml"])
    [finding] = json.loads(result.stdout)["findings"]
    assert finding["message"].startswith("'HookSucceded' is not a delete policy Argo CD knows")
    assert "(did you mean 'HookSucceeded'?)" in finding["message"]


def test_a_baseline_entry_for_a_long_name_is_made_in_linear_time() -> None:
    # A 50 KB run of non-space characters took 27 s to search for file positions.
    name = "x" * 200_000
    finding = Finding(
        "HL101",
        "named-hook",
        Severity.ERROR,
        f"Job/{name} apps/a.yaml:3:4 and b.yml:7",
        Span("a", 1, 1, 1, 2),
    )
    started = cpu()
    made = stable_entry(finding)
    assert cpu() - started < BOUND
    assert made.message == f"Job/{name} <file> and <file>"


def test_thousands_of_findings_in_one_large_file_are_reported_in_linear_time() -> None:
    # 3000 findings in one 1 MB file took 122 s as text: the file was split again for every finding.
    lines = [f"key{number}: {'v' * 320}" for number in range(3000)]
    text = "\n".join(lines) + "\n"
    findings = [
        Finding("HL020", "invalid-sync-option", Severity.WARNING, "m", Span("big.yaml", n, 1, n, 4))
        for n in range(1, 3001)
    ]
    started = cpu()
    report = reporter("text")(Summary(1, 1, findings, {"big.yaml": text}), ALL_RULES)
    assert cpu() - started < BOUND
    assert report.count("\n") == 3 * 3000 + 2
    assert report.splitlines()[-4:-2] == [f"    {lines[-1]}", "    ^^^"]


HOOK_TEMPLATE = """apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
spec:
  template:
    spec:
      containers:
        - name: migrate
          image: busybox:1.36
          env:
            - name: SETTINGS
              value: {{ include "h0" .Values }}
"""
HELM_ABSENT = (
    "hooklint: helm is not on PATH, so chart is read without it: template actions are placeholders, and "
    "findings say so\n"
)


def _chart(box: Sandbox, helpers: str) -> None:
    (box.bin / "helm").unlink()  # the chart is read as text, helpers followed, for HL109
    box.write("chart/Chart.yaml", "apiVersion: v2\nname: chart\nversion: 0.1.0\n")
    box.write("chart/templates/job.yaml", HOOK_TEMPLATE)
    box.write("chart/templates/_helpers.tpl", helpers)


def _hl109(value: str, line: int, column: int, include_line: int = 15) -> str:
    return (
        f"chart/templates/_helpers.tpl:{line}:{column}: warning HL109 drift-blind-hook: `.Values.{value}` "
        f"(through a helper it includes at line {include_line}) is used by the PreSync hook template "
        "templates/job.yaml and by no non-hook template; changing it alone leaves the application Synced and "
        "automated sync does not run the hook. Reference it from a ConfigMap that is not a hook, so that a "
        "change to it is drift\n"
    )


def test_a_helper_that_includes_itself_is_followed_once_with_a_note(box: Sandbox) -> None:
    # Was a RecursionError (exit 3): each round of the include reads its argument one field deeper.
    _chart(box, '{{ define "h0" }}{{ .tag }}{{ include "h0" .next }}{{ end }}\n')
    started = cpu()
    result = box.run(["lint", "--jobs", "1", "--select", "HL109", "chart"])
    assert cpu() - started < BOUND
    assert (result.code, result.stdout.splitlines(keepends=True)[0]) == (0, _hl109("tag", 1, 21))
    assert result.stderr == HELM_ABSENT + (
        'hooklint: chart chart: helper "h0" includes itself, so HL109 does not follow that include\n'
    )


def test_helpers_that_include_each_other_are_followed_once_with_a_note(box: Sandbox) -> None:
    # Was a RecursionError (exit 3) too.
    _chart(
        box,
        '{{ define "h0" }}{{ .tag }}{{ include "h1" .next }}{{ end }}\n'
        '{{ define "h1" }}{{ .pull }}{{ include "h0" .next }}{{ end }}\n',
    )
    started = cpu()
    result = box.run(["lint", "--jobs", "1", "--select", "HL109", "chart"])
    assert cpu() - started < BOUND
    assert (result.code, result.stdout.splitlines(keepends=True)[0]) == (0, _hl109("tag", 1, 21))
    assert result.stderr == HELM_ABSENT + (
        'hooklint: chart chart: helpers "h0" and "h1" include each other, so HL109 does not follow the '
        "includes between them\n"
    )


def test_helpers_that_each_include_the_next_twice_stop_at_a_bound_with_a_note(box: Sandbox) -> None:
    # Depth 18 took 15 s and 0.5 GB, twice as much per level more: depth 30 would take days.
    _chart(
        box,
        "".join(
            f'{{{{ define "h{n}" }}}}{{{{ .Values.v{n} }}}}{{{{ include "h{n + 1}" . }}}}'
            f'{{{{ include "h{n + 1}" . }}}}{{{{ end }}}}\n'
            for n in range(30)
        )
        + '{{ define "h30" }}{{ .Values.last }}{{ end }}\n',
    )
    started = cpu()
    result = box.run(["lint", "--jobs", "1", "--select", "HL109", "chart"])
    assert cpu() - started < BOUND
    assert (result.code, result.stdout) == (
        0,
        "0 finding(s) (0 error, 0 warning, 0 info) in 2 file(s), 1 resource(s)\n",
    )
    assert result.stderr == HELM_ABSENT + (
        'hooklint: chart chart: following helper "h17" from helper "h16" would exceed 500000 value uses, so '
        "HL109 follows no further includes in this chart\n"
    )


def test_helpers_written_where_they_are_included_and_ranges_over_values_stop_at_a_bound(box: Sandbox) -> None:
    # Read without helm, a helper included with the root context is written where it is included and a
    # range over known values is walked per element: twenty includes of the next helper per level, thirty
    # levels deep, and a range over a hundred thousand values would never end unbounded.
    helpers = "".join(
        f'{{{{ define "w{n}" }}}}\n' + f'{{{{ include "w{n + 1}" . }}}}\n' * 20 + "{{ end }}\n"
        for n in range(30)
    )
    box.write("chart/values.yaml", "items: [" + ", ".join(["x"] * 100_000) + "]\n")
    _chart(box, helpers + '{{ define "w30" }}k: v\n{{ end }}\n')
    box.write(
        "chart/templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n"
        '    {{- include "w0" . | nindent 4 }}\ndata:\n'
        "  {{- range $i, $v := .Values.items }}\n  {{ $i }}: {{ $v }}\n  {{- end }}\n",
    )
    started = cpu()
    result = box.run(["lint", "--jobs", "1", "chart"])
    assert cpu() - started < BOUND
    assert result.code in (0, 1)
    assert result.stderr.startswith(HELM_ABSENT)


# Run in a child of its own, so the peak is hooklint's alone and not that of an earlier test's tool.
_PEAK = """
import resource, subprocess, sys
done = subprocess.run([sys.executable, "-m", "hooklint", "lint", "--jobs", "1", "--format", "json", sys.argv[1]],
                      capture_output=True)
print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
sys.stdout.write(done.stdout.decode())
"""


def test_a_16_mb_file_of_small_documents_is_refused_in_little_memory(tmp_path: Path) -> None:
    # 150,000 ConfigMaps of 19 nodes each: every node held with its position took 1.5 GB. Past 500,000 nodes a
    # file is refused from the event stream instead, which holds none.
    document = (
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{}\n  namespace: shop\ndata:\n  a: x\n"
    )
    big = tmp_path / "many.yaml"
    big.write_text("".join(document.format(i) for i in range(150_000)))
    assert big.stat().st_size > 12_000_000
    started = cpu()
    lines = subprocess.run(
        [sys.executable, "-c", _PEAK, str(big)], capture_output=True, text=True, check=True
    ).stdout.split("\n", 1)
    assert cpu() - started < BOUND
    code, megabytes = map(int, lines[0].split())
    findings = json.loads(lines[1])["findings"]
    assert (code, [(f["rule"], f["line"], f["column"], f["message"]) for f in findings]) == (
        1,
        [
            (
                "HL001",
                266_668,
                1,
                "invalid YAML: more than 500,000 nodes in one file (hooklint reads at most that many: split it)",
            )
        ],
    )
    assert megabytes < 300  # 70 MB here; the node tree of the whole file took 1,476 MB
