"""Inputs for the ordering rule tests (HL201-HL203, HL206, HL207): workloads, plain objects, their annotation lines
and the SyncFail notify hook."""

from __future__ import annotations

from tests.helpers import container, job

RUNNER_ACCOUNT = "      serviceAccountName: runner\n"
CONFIG_VOLUME = "      volumes:\n        - name: config\n          configMap:\n            name: app-config\n"


def workload(
    kind: str,
    name: str,
    *,
    annotations: str = "",
    spec: str = "",
    api: str = "",
) -> str:
    """A pod-spec object; `annotations` and `spec` are indented lines for metadata.annotations and the pod spec."""
    api = api or {"Job": "batch/v1", "CronJob": "batch/v1"}.get(kind, "apps/v1")
    meta = f"  annotations:\n{annotations}" if annotations else ""
    head = f"apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: {name}\n{meta}"
    container = "      containers:\n        - name: main\n          image: registry.example.com/app:1.0\n"
    if kind == "CronJob":
        return (
            head
            + 'spec:\n  schedule: "0 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n'
            + _indent(spec + container, 4)
        )
    restart = "      restartPolicy: Never\n" if kind == "Job" else ""
    return head + "spec:\n  template:\n    spec:\n" + restart + spec + container


def _indent(text: str, by: int) -> str:
    return "".join(" " * by + line for line in text.splitlines(keepends=True))


def plain(kind: str, name: str, *, annotations: str = "", api: str = "v1", body: str = "") -> str:
    meta = f"  annotations:\n{annotations}" if annotations else ""
    return f"apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: {name}\n{meta}{body}"


def hook(types: str, *, policy: str = "", wave: str = "") -> str:
    text = f'    argocd.argoproj.io/hook: "{types}"\n'
    if policy:
        text += f"    argocd.argoproj.io/hook-delete-policy: {policy}\n"
    return text + (wave and f'    argocd.argoproj.io/sync-wave: "{wave}"\n')


def wave(number: int) -> str:
    return f'    argocd.argoproj.io/sync-wave: "{number}"\n'


def notify(env: str) -> str:
    """Job/notify, a SyncFail hook whose container reads a webhook from a Secret; `env` is the lines under env."""
    return job(
        "notify",
        "    argocd.argoproj.io/hook: SyncFail\n",
        containers=container("notify", "registry.example.com/notify:2.0.1") + "          env:\n" + env,
    )
