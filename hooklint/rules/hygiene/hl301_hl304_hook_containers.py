"""HL301-HL304: hook container hygiene: unpinned images, literal credentials, no resources, privileges."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import yaml

from hooklint.argocd.annotated import Annotated
from hooklint.argocd.identity import effective_namespace
from hooklint.argocd.kinds import containers, parse_image
from hooklint.model import Finding, FixAvailability, Path, Resource, Rule, Severity, Span
from hooklint.rules.context import Context
from hooklint.rules.credentials import credential_name, literal_secret, secrets_in


def _hook_containers(ctx: Context) -> list[tuple[Annotated, Path, Mapping[str, Any], str]]:
    """Every container of a hook that runs, with its name: found once per run for HL301 to HL304."""
    return ctx.memo("hook-containers", lambda: list(_find_hook_containers(ctx)))


def _find_hook_containers(ctx: Context) -> Iterator[tuple[Annotated, Path, Mapping[str, Any], str]]:
    for item in ctx.hook_annotated():
        if item.runs:
            for path, container in containers(item.resource):
                name = container.get("name")
                yield item, path, container, name if isinstance(name, str) else f"{path[-2]}[{path[-1]}]"


def _image_not_pinned(ctx: Context) -> Iterator[Finding]:
    for item, path, container, name in _hook_containers(ctx):
        image = container.get("image")
        ref = parse_image(image) if isinstance(image, str) else None
        if ref is None or ref.digest or (ref.tag and ref.tag != "latest"):
            continue
        how = "the tag latest" if ref.tag else "no tag or digest, which means latest"
        yield ctx.finding(
            item.resource.span_at((*path, "image")),
            f"{item.resource.label} ({ctx.plan.places(item.resource)}) container {name} uses image {image} with {how}: "
            "each run of the hook may pull a different image",
            resource=item.resource,
        )


IMAGE_NOT_PINNED = Rule(
    id="HL301",
    name="hook-image-not-pinned",
    summary="A hook container image with the latest tag or no tag and no digest: each run may pull another image.",
    severity=Severity.WARNING,
    check=_image_not_pinned,
    fix=FixAvailability.NONE,
)


def _located(resource: Resource, node: yaml.Node, start: int, end: int) -> tuple[Span, str]:
    """Where the characters [start, end) of a scalar's value stand: their own span in a one-line scalar
    written as is, else the scalar's span and, in a multi-line one, which of its lines."""
    whole = Span.of_node(resource.path, node)
    if not isinstance(node, yaml.ScalarNode):
        return whole, ""
    text, mark = node.value, node.start_mark
    if "\n" in text.rstrip("\n"):
        # The C loader keeps no source text, so a block's indentation and a column inside it are unknown.
        return whole, f" (line {text.count(chr(10), 0, start) + 1} of the value)"
    quote = 1 if node.style in ("'", '"') else 0
    one_to_one = node.end_mark.column - mark.column == len(text) + 2 * quote  # no escapes or folding
    if node.style in (None, "", "'", '"') and mark.line == node.end_mark.line and one_to_one:
        column = whole.column + quote + start
        return Span(resource.path, whole.line, column, whole.line, column + end - start), ""
    return whole, ""


def _secret_literal(ctx: Context) -> Iterator[Finding]:
    # The data is searched first; a value's node is looked up only once it holds a credential.
    for item, path, container, name in _hook_containers(ctx):
        resource, found = item.resource, set[tuple[Span, str]]()
        env = container.get("env")
        for i, var in enumerate(env if isinstance(env, list) else []):
            value = var.get("value") if isinstance(var, Mapping) else None
            if not isinstance(value, str):
                continue
            var_name = var.get("name")
            literal = isinstance(var_name, str) and credential_name(var_name) and literal_secret(value)
            hits = [] if literal else list(secrets_in(value))
            node = resource.node_at((*path, "env", i, "value")) if literal or hits else None
            if node is None:
                continue
            if literal:
                found.add((Span.of_node(resource.path, node), f"sets env {var_name} to a literal credential"))
            for start, end, what in hits:
                span, line = _located(resource, node, start, end)
                found.add((span, f"has {what} in env {var_name}{line}"))
        for field in ("command", "args"):
            items = container.get(field)
            items = items if isinstance(items, list) else []
            for i, arg in enumerate(items):
                if not isinstance(arg, str):
                    continue
                hits = list(secrets_in(arg))
                # `--password` and its value as two items of the list.
                flag = arg[2:] if arg.startswith("--") and "=" not in arg else ""
                value = items[i + 1] if flag and i + 1 < len(items) else None
                pair = isinstance(value, str) and credential_name(flag) and literal_secret(value)
                node = resource.node_at((*path, field, i)) if hits or pair else None
                if node is None:
                    continue
                for start, end, what in hits:
                    span, line = _located(resource, node, start, end)
                    found.add((span, f"has {what} in {field}[{i}]{line}"))
                if pair:
                    span = resource.span_at((*path, field, i + 1))
                    found.add((span, f"has a literal for --{flag} in {field}[{i + 1}]"))
        for span, what in sorted(found):
            yield ctx.finding(
                span,
                f"{item.resource.label} ({ctx.plan.places(item.resource)}) container {name} {what}",
                resource=resource,
            )


SECRET_LITERAL = Rule(
    id="HL302",
    name="hook-secret-literal",
    summary="A literal credential in a hook's env, command or args: a password, token, URL password or webhook secret.",
    severity=Severity.ERROR,
    check=_secret_literal,
    fix=FixAvailability.NONE,
)


def _without_resources(ctx: Context) -> Iterator[Finding]:
    # A LimitRange gives containers default requests and limits in its namespace, so none are needed there.
    limited = {
        effective_namespace(item.resource, ctx.namespace)
        for item in ctx.annotated()
        if item.resource.kind == "LimitRange"
        and item.resource.group == ""
        and ctx.plan.tasks_of(item.resource)
    }
    for item, path, container, name in _hook_containers(ctx):
        resource = item.resource
        if path[-2] == "ephemeralContainers" or effective_namespace(resource, ctx.namespace) in limited:
            continue  # ephemeral containers take no resources
        # Pod-level resources (`spec.resources`, Kubernetes 1.32+) bound every container of the pod.
        if _sized(container.get("resources")) or _sized(resource.get((*path[:-2], "resources"))):
            continue
        name_node = resource.node_at((*path, "name"))
        span = Span.of_node(resource.path, name_node) if name_node is not None else resource.span_at(path)
        yield ctx.finding(
            span,
            f"{item.resource.label} ({ctx.plan.places(item.resource)}) container {name} sets no resource requests or limits, "
            f"and namespace {effective_namespace(resource, ctx.namespace)} has no LimitRange in the application",
            resource=resource,
        )


def _sized(resources: Any) -> bool:
    return isinstance(resources, Mapping) and bool(resources.get("requests") or resources.get("limits"))


WITHOUT_RESOURCES = Rule(
    id="HL303",
    name="hook-without-resources",
    summary="A hook container with neither resource requests nor limits, in a namespace with no LimitRange.",
    severity=Severity.INFO,
    check=_without_resources,
    fix=FixAvailability.NONE,
    # Hygiene rather than a sync pitfall: a hook without requests syncs as well as one with them.
    enabled_by_default=False,
    needs_every_object=True,
)

_PRIVILEGES = (
    ("privileged", "runs privileged"),
    ("allowPrivilegeEscalation", "allows privilege escalation"),
)


def _privileged(ctx: Context) -> Iterator[Finding]:
    for item, path, container, name in _hook_containers(ctx):
        context = container.get("securityContext")
        for field, what in _PRIVILEGES:
            if isinstance(context, Mapping) and context.get(field) is True:
                yield ctx.finding(
                    item.resource.span_at((*path, "securityContext", field)),
                    f"{item.resource.label} ({ctx.plan.places(item.resource)}) container {name} {what} ({field}: true)",
                    resource=item.resource,
                )


PRIVILEGED = Rule(
    id="HL304",
    name="hook-privileged",
    summary="A hook container that sets privileged: true or allowPrivilegeEscalation: true.",
    severity=Severity.WARNING,
    check=_privileged,
    fix=FixAvailability.NONE,
)

RULES: tuple[Rule, ...] = (IMAGE_NOT_PINNED, SECRET_LITERAL, WITHOUT_RESOURCES, PRIVILEGED)
