"""HL210: a hook that calls a Service applied after it (docs/argocd.md#sync-loop)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from hooklint.argocd.identity import identity_namespace
from hooklint.argocd.kinds import containers
from hooklint.model import Finding, FixAvailability, Path, Related, Resource, Rule, Severity
from hooklint.rules.context import Context
from hooklint.rules.ordering.backends import Backends
from hooklint.sync.plan import Task

# A host name: DNS labels, not glued to a preceding or following name character.
_HOST = re.compile(
    r"(?<![A-Za-z0-9_.-])(?P<host>[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)"
    r"\.?(?P<port>:[0-9]{1,5})?(?![A-Za-z0-9_.-])"
)
# What makes a host of one or two labels a URL host: a scheme, and maybe user info, just before it.
_URL_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://(?:[^\s/@]*@)?\Z")
_AUTHORITY_REST = re.compile(r"[^\s/?#]*")
_SCHEME_WINDOW = 256  # how far back a scheme is looked for: keeps long embedded scripts linear


def service_names(text: str, own_namespace: str) -> Iterator[tuple[str, str]]:
    """(name, namespace) of every in-cluster Service DNS name in `text`: NAME.NS.svc[.domain],
    POD.NAME.NS.svc[.domain], NAME.NS with a port or as a URL host, or NAME as a URL host in `own_namespace`."""
    if ":" not in text and ".svc" not in text:
        return  # every form needs a .svc label, a port or a URL's scheme
    urls = "://" in text
    for match in _HOST.finditer(text):
        labels = match.group("host").split(".")
        # Most words name nothing whatever comes before them; only the rest pay for the look back for a scheme.
        if len(labels) >= 3 and labels[2] != "svc" and (len(labels) == 3 or labels[3] != "svc"):
            continue
        if len(labels) <= 2 and not urls and not (len(labels) == 2 and match.group("port")):
            continue
        in_url = (
            urls
            and _URL_PREFIX.search(text, max(0, match.start() - _SCHEME_WINDOW), match.start()) is not None
        )
        rest = _AUTHORITY_REST.match(text, match.end())
        if in_url and rest is not None and "@" in rest.group():
            continue  # the user info of a URL, not its host
        if len(labels) >= 3 and labels[2] == "svc":
            yield labels[0], labels[1]
        elif len(labels) >= 4 and labels[3] == "svc":
            yield labels[1], labels[2]  # a pod of a headless Service
        elif len(labels) == 2 and (in_url or match.group("port")):
            yield labels[0], labels[1]
        elif len(labels) == 1 and in_url:
            yield labels[0], own_namespace


def _literals(resource: Resource) -> Iterator[tuple[Path, str]]:
    """Literal env values, args and command items of every container."""
    for path, container in containers(resource):
        env = container.get("env")
        for i, variable in enumerate(env if isinstance(env, list) else ()):
            if isinstance(variable, dict) and isinstance(variable.get("value"), str):
                yield (*path, "env", i, "value"), variable["value"]
        for field in ("command", "args"):
            items = container.get(field)
            for i, item in enumerate(items if isinstance(items, list) else ()):
                if isinstance(item, str):
                    yield (*path, field, i), item


def _hook_calls_service_not_yet_applied(ctx: Context) -> Iterator[Finding]:
    plan = ctx.plan
    services: dict[tuple[str, str], list[Resource]] = {}
    for resource in ctx.resources:
        if (resource.group, resource.kind) == ("", "Service"):
            key = (resource.name, identity_namespace(resource, ctx.namespace))
            services.setdefault(key, []).append(resource)
    if not services:
        return
    backends = Backends(ctx)
    first_task: dict[int, tuple[int, Task]] = {}
    for index, step in enumerate(plan.steps):
        for task in step.tasks:
            if task.hook:
                first_task.setdefault(id(task.resource), (index, task))
    for index, task in first_task.values():
        hook = task.resource
        for path, text in _literals(hook):
            seen: set[tuple[str, str]] = set()
            for name, namespace in service_names(text, task.namespace):
                found = services.get((name, namespace))
                if found is None or (name, namespace) in seen:
                    continue
                seen.add((name, namespace))
                ready = backends.ready_step(tuple(found))
                if ready is None or ready[0] <= index:
                    continue
                backend, late = ready[1], plan.steps[ready[0]]
                behind = "" if backend.kind == "Service" else f", which Service/{name} sends to,"
                yield ctx.finding(
                    hook.span_at(path),
                    f"{hook.ident} runs in {task.where} and calls Service/{name} in namespace {namespace}, "
                    f"but {backend.ident}{behind} is first applied in {late.where}: "
                    "on a first install the connection fails",
                    resource=hook,
                    related=[Related(backend.span, f"{backend.ident} is first applied in {late.where}")],
                )


HOOK_CALLS_SERVICE_NOT_YET_APPLIED = Rule(
    id="HL210",
    name="hook-calls-service-not-yet-applied",
    summary="A hook calls an in-cluster Service of the app that a later step applies: it fails on a first install.",
    severity=Severity.WARNING,
    check=_hook_calls_service_not_yet_applied,
    fix=FixAvailability.NONE,
)
RULES: tuple[Rule, ...] = (HOOK_CALLS_SERVICE_NOT_YET_APPLIED,)
