"""HL206: references to ConfigMaps, Secrets, ServiceAccounts, claims and CRDs that are not among the
manifests, which the application then relies on someone else to create."""

from __future__ import annotations

from collections.abc import Iterator

from hooklint.argocd.kinds import BUILTIN_GROUPS
from hooklint.model import Finding, Path, ResourceKey, Rule, Severity
from hooklint.rules.context import Context
from hooklint.rules.ordering.dependency_kinds import MISSABLE
from hooklint.sync.plan import DELETE_ONLY_HOOK

# Objects from which operators make a Secret (sealed-secrets, External Secrets, cert-manager), and the
# fields its name comes from, first found wins: that Secret is the application's, manifest or not.
PRODUCERS: dict[tuple[str, str], tuple[Path, ...]] = {
    ("bitnami.com", "SealedSecret"): (("metadata", "name"),),
    ("external-secrets.io", "ExternalSecret"): (("spec", "target", "name"), ("metadata", "name")),
    ("cert-manager.io", "Certificate"): (("spec", "secretName"),),
}
# Argo CD's own custom resources: their CRDs exist wherever Argo CD runs (app of apps).
ARGOCD_KINDS = frozenset({("argoproj.io", k) for k in ("Application", "ApplicationSet", "AppProject")})
# API groups that aggregated API servers serve, with no CRD: the metrics APIs and OpenShift's own.
OPENSHIFT_APIS = "apps authorization build image oauth project quota route template user"
AGGREGATED_GROUPS = frozenset(f"{g}metrics.k8s.io" for g in ("", "custom.", "external.")) | {
    f"{g}.openshift.io" for g in OPENSHIFT_APIS.split()
}


def _missing_dependency(ctx: Context) -> Iterator[Finding]:
    plan, graph = ctx.plan, ctx.graph
    # Objects the sync never applies need nothing; delete hooks do run, on Application deletion.
    idle = {id(n.resource) for n in plan.not_applied if n.reason != DELETE_ONLY_HOOK}
    produced: set[ResourceKey] = set()
    # The destination namespace is a guess (--namespace): an object of that kind and name in another
    # namespace is most likely the one meant when either side leaves its namespace to the destination.
    elsewhere: dict[tuple[str, str, str], bool] = {}
    for resource in ctx.resources:
        named = (resource.group, resource.kind, resource.name)
        elsewhere[named] = elsewhere.get(named, False) or resource.namespace is None
        names = [resource.get(path) for path in PRODUCERS.get((resource.group, resource.kind), ())]
        name = next((n for n in names if isinstance(n, str) and n), None)
        if name is not None:
            produced.add(ResourceKey("", "Secret", graph.key(resource).namespace, name))
    seen: set[tuple[int, ResourceKey]] = set()
    for ref in graph.missing():
        target = ref.target
        if (target.group, target.kind) not in MISSABLE or ref.optional or id(ref.source) in idle:
            continue
        if (id(ref.source), target) in seen or target in produced:
            continue
        defaulted = elsewhere.get((target.group, target.kind, target.name))
        if defaulted is not None and (defaulted or ref.source.namespace is None):
            continue
        seen.add((id(ref.source), target))
        yield ctx.finding(
            ref.span,
            f"{ref.source.ident} needs {target} ({ref.field}), which is not among the manifests",
            resource=ref.source,
        )
    # The graph draws an edge to a CRD only when the application has it; a custom kind without one
    # relies on a CRD installed by someone else.
    served = BUILTIN_GROUPS | AGGREGATED_GROUPS
    for resource in ctx.resources:
        kind = (resource.group, resource.kind)
        if resource.group in served or kind in ARGOCD_KINDS or id(resource) in idle:
            continue
        if graph.crd_of(resource) is None:
            yield ctx.finding(
                resource.span_at(("kind",)),
                f"{resource.ident} is a custom resource of {resource.group}, whose "
                "CustomResourceDefinition is not among the manifests",
                resource=resource,
            )


MISSING_DEPENDENCY = Rule(
    id="HL206",
    name="missing-dependency",
    summary="A referenced ConfigMap, Secret, ServiceAccount, claim or CRD is not among the manifests (often created elsewhere).",
    severity=Severity.INFO,
    check=_missing_dependency,
    enabled_by_default=False,
    needs_every_object=True,
)

RULES: tuple[Rule, ...] = (MISSING_DEPENDENCY,)
