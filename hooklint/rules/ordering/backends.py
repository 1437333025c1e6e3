"""The workloads behind the Services that webhooks and APIServices call."""

from __future__ import annotations

from collections.abc import Mapping

from hooklint.argocd.identity import identity_namespace
from hooklint.model import Resource
from hooklint.rules.context import Context

# Workloads whose pods stand behind a Service (matched by pod template labels).
BACKEND_KINDS = frozenset(
    {("apps", "Deployment"), ("apps", "StatefulSet"), ("apps", "DaemonSet"), ("argoproj.io", "Rollout")}
)


class Backends:
    """The workloads behind each Service: same namespace, pod template labels matching `spec.selector`."""

    def __init__(self, ctx: Context) -> None:
        self.plan = ctx.plan
        self.namespace = ctx.namespace
        self._by_namespace: dict[str, list[Resource]] = {}
        for resource in ctx.resources:
            if (resource.group, resource.kind) in BACKEND_KINDS:
                ns = identity_namespace(resource, ctx.namespace)
                self._by_namespace.setdefault(ns, []).append(resource)

    def workloads(self, service: Resource) -> list[Resource]:
        selector = service.get(("spec", "selector"))
        if not isinstance(selector, Mapping) or not selector:
            return []  # no selector: endpoints are managed by hand, no workload to find
        found = []
        for workload in self._by_namespace.get(identity_namespace(service, self.namespace), ()):
            labels = workload.get(("spec", "template", "metadata", "labels"))
            if isinstance(labels, Mapping) and all(labels.get(k) == v for k, v in selector.items()):
                found.append(workload)
        return found

    def ready_step(self, services: tuple[Resource, ...]) -> tuple[int, Resource] | None:
        """The step in which the backend is complete: its Service and one workload behind it both applied. Returns
        that step's index and whichever of the two comes last; None when no step applies the Service."""
        applied = [(step, s) for s in services if (step := self.plan.first_step(s)) is not None]
        if not applied:
            return None
        late = min(applied, key=lambda pair: pair[0])
        behind = [
            (step, w)
            for service in services
            for w in self.workloads(service)
            if (step := self.plan.first_step(w)) is not None
        ]
        if behind:
            workload = min(behind, key=lambda pair: pair[0])
            if workload[0] > late[0]:
                late = workload
        return late
