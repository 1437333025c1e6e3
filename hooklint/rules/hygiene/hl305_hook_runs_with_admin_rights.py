"""HL305: a hook that runs as Argo CD's own ServiceAccount or as one bound to cluster-admin
(docs/argocd.md#argo-cd-service-accounts)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from hooklint.argocd.identity import ARGOCD_ACCOUNTS, effective_namespace, operator_account
from hooklint.argocd.kinds import pod_spec
from hooklint.graph import RBAC, Graph, Reference
from hooklint.model import Finding, FixAvailability, Related, Resource, ResourceKey, Rule, Severity, Span
from hooklint.rules.context import Context

CLUSTER_ADMIN = "cluster-admin"
_ACCOUNT_FIELDS = ("serviceAccountName", "serviceAccount")
_ALL_ACCOUNTS = "system:serviceaccounts"  # the group of every ServiceAccount, `:NS` for one namespace's


def _argocd_account(name: str, namespace: str, namespaces: set[str]) -> bool:
    """Argo CD's own account: its install's name in one of Argo CD's namespaces, or the name an operator
    gives an instance's account (`openshift-gitops-argocd-application-controller`: the instance's name before
    the install's), which is Argo CD's wherever the instance runs (docs/argocd.md#argo-cd-service-accounts)."""
    if name in ARGOCD_ACCOUNTS:
        return namespace in namespaces
    return operator_account(name)


def _admin_roles(ctx: Context) -> set[ResourceKey]:
    """cluster-admin and every ClusterRole of the input that grants every verb on every resource of every group."""
    found = {ResourceKey(RBAC, "ClusterRole", "", CLUSTER_ADMIN)}
    for resource in ctx.resources:
        if (resource.group, resource.kind) == (RBAC, "ClusterRole") and _grants_all(resource.get(("rules",))):
            found.add(ctx.graph.key(resource))
    return found


def _grants_all(rules: Any) -> bool:
    def listed(rule: Mapping[str, Any], field: str) -> bool:
        values = rule.get(field)
        return isinstance(values, list) and "*" in values

    return isinstance(rules, list) and any(
        isinstance(rule, Mapping) and all(listed(rule, f) for f in ("apiGroups", "resources", "verbs"))
        for rule in rules
    )


def _bound(ctx: Context) -> dict[tuple[str, str], Resource]:
    """(namespace, name) of each ServiceAccount a binding of the input gives an admin role, with the binding;
    the name is empty when a group binds every ServiceAccount of the namespace (or of every one: `*`)."""
    graph, admin = ctx.graph, _admin_roles(ctx)
    found: dict[tuple[str, str], Resource] = {}
    for resource in ctx.resources:
        if resource.group != RBAC or resource.kind not in ("RoleBinding", "ClusterRoleBinding"):
            continue
        role = resource.get(("roleRef", "name"))
        if resource.get(("roleRef", "kind")) != "ClusterRole" or not isinstance(role, str):
            continue
        if ResourceKey(RBAC, "ClusterRole", "", role) not in admin:
            continue
        for ref in graph.references(resource):
            if ref.field == "subject":
                found.setdefault((ref.target.namespace, ref.target.name), resource)
        subjects = resource.get(("subjects",))
        for subject in subjects if isinstance(subjects, list) else ():
            name = subject.get("name") if isinstance(subject, Mapping) else None
            if subject.get("kind") == "Group" and isinstance(name, str) and name.startswith(_ALL_ACCOUNTS):
                namespace = name[len(_ALL_ACCOUNTS) + 1 :] if name != _ALL_ACCOUNTS else "*"
                found.setdefault((namespace, ""), resource)
    return found


def _admin_hooks(ctx: Context) -> Iterator[Finding]:
    graph: Graph = ctx.graph
    bound: dict[tuple[str, str], Resource] | None = None
    namespaces = {str(n) for n in ctx.options.get("argocd-namespaces") or ()}
    if ctx.plan.app is not None and ctx.plan.app.resource.namespace:
        namespaces.add(ctx.plan.app.resource.namespace)  # the Application lives in Argo CD's namespace
    for item in ctx.hook_annotated():
        resource = item.resource
        if not item.runs:
            continue
        spec = pod_spec(resource)
        if spec is not None and spec[1].get("automountServiceAccountToken") is False:
            continue  # no token in the pod: the account's rights are out of its reach
        accounts = [ref for ref in graph.references(resource) if ref.field in _ACCOUNT_FIELDS]
        if bound is None:
            bound = _bound(ctx)
        # The naming reference, or None for the pod's default account; a place is worked out only for a finding.
        named: list[tuple[Reference | None, str, str]] = [
            (ref, ref.target.namespace, ref.target.name) for ref in accounts
        ]
        if not accounts and spec is not None:
            # No account named: the pod runs as `default` of its namespace.
            named.append((None, effective_namespace(resource, ctx.namespace), "default"))
        for ref, namespace, name in named:
            who = f"ServiceAccount {namespace}/{name}"
            if _argocd_account(name, namespace, namespaces):
                yield ctx.finding(
                    _account_span(resource, ref),
                    f"{resource.ident} runs as {who}, Argo CD's own: whoever can commit to the repository runs "
                    "code with Argo CD's rights over the whole cluster",
                    resource=resource,
                )
                continue
            binding = bound.get((namespace, name)) or bound.get((namespace, "")) or bound.get(("*", ""))
            if binding is None:
                continue
            role = binding.get(("roleRef", "name"))
            cluster = binding.kind == "ClusterRoleBinding"
            scope = "the cluster" if cluster else f"namespace {effective_namespace(binding, ctx.namespace)}"
            yield ctx.finding(
                _account_span(resource, ref),
                f"{resource.ident} runs as {who}, which {binding.ident} binds to {role} over {scope}: whoever "
                "can commit to the repository runs code with those rights",
                resource=resource,
                related=[Related(binding.span, f"{binding.ident} grants {role}")],
            )


def _account_span(resource: Resource, ref: Reference | None) -> Span:
    """Where the hook names its account; for the default account, a field that writes `default`, else the pod
    spec's key."""
    if ref is not None:
        return ref.span
    found = pod_spec(resource)
    assert found is not None  # only a pod spec's hook runs as the default account
    path, spec = found
    written = next((f for f in _ACCOUNT_FIELDS if spec.get(f) == "default"), None)
    return resource.span_at((*path, written) if written else path, key=written is None)


HOOK_RUNS_WITH_ADMIN_RIGHTS = Rule(
    id="HL305",
    name="hook-runs-with-admin-rights",
    summary="A hook runs as Argo CD's own ServiceAccount or one bound to cluster-admin: a commit runs with those rights.",
    severity=Severity.ERROR,
    check=_admin_hooks,
    fix=FixAvailability.NONE,
    options={
        "argocd-namespaces": {
            "type": "array",
            "items": {"type": "string"},
            "default": ["argocd"],
            "description": "The namespaces Argo CD runs in (its own ServiceAccounts live there); the "
            "namespace of the Application that deploys the input is added.",
        }
    },
)

RULES: tuple[Rule, ...] = (HOOK_RUNS_WITH_ADMIN_RIGHTS,)
