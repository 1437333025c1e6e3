"""HL109: hook configuration that no tracked resource carries, so a change to it alone is no drift (docs/argocd.md#drift-and-sync-status)."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from hooklint.argocd import annotations as argo
from hooklint.argocd.annotated import Annotated
from hooklint.argocd.kinds import containers, parse_image
from hooklint.model import Finding, FixAvailability, Path, Related, Resource, Rule, Severity
from hooklint.rules.context import Context
from hooklint.rules.hooks import hook_plumbing as plumbing
from hooklint.rules.hooks.tracking_configmap import tracked_value, tracking_configmap

if TYPE_CHECKING:
    from hooklint.sources.charts import Document, ValueUse

# Only these phases run because of a sync someone expects after a change: SyncFail runs when a sync fails (docs/argocd.md#failure-and-syncfail)
# and delete hooks when the Application is deleted (docs/argocd.md#application-deletion), whatever the drift.
_SYNC_PHASES = (argo.PRE_SYNC, argo.SYNC, argo.POST_SYNC)
_SYNC_PHASE_SET = frozenset(_SYNC_PHASES)
_REFERENCES_ONLY = re.compile(r"(?:\$\([A-Za-z_][A-Za-z0-9_.-]*\))+")


# A place in a body while it is walked: the parent's link and the key or index, built into a path only when asked.
_Link = tuple[Any, str | int] | None


class _Tracked:
    """What the non-hook resources of the sync carry, gathered only as far as a hook's question needs: the
    `image` fields first, since most hooks run an image whose repository no tracked resource runs (which
    settles their image without more), and every scalar value only when a question needs them."""

    def __init__(self, resources: list[Resource]) -> None:
        self._resources = resources
        self._fields: list[tuple[str, Resource, _Link]] | None = None
        self._first_use: dict[str, tuple[Resource, Path] | None] = {}
        self._strings: set[str] | None = None
        # the tracked strings of several lines, gathered when first asked
        self._texts: list[str] | None = None

    def first_use(self, repository: str) -> tuple[Resource, Path] | None:
        """The first tracked use of an image repository: the resource and the path of its image field."""
        if repository not in self._first_use:
            found = None
            # The last part of a repository's path stands in every reference to it (parse_image), so that
            # substring test spares parsing the images of other repositories.
            tail = repository.rpartition("/")[2]
            for text, resource, link in self._image_fields():
                if tail in text and (ref := parse_image(text)) is not None and ref.repository == repository:
                    found = (resource, _path(link))
                    break
            self._first_use[repository] = found
        return self._first_use[repository]

    @property
    def strings(self) -> set[str]:
        """Every scalar value, the versions of the images and the decoded data of Secrets."""
        if self._strings is None:
            self._strings = set()
            for resource in self._resources:
                _scalars(resource.body, self._strings)
                if resource.kind == "Secret" and resource.group == "":
                    self._secret_data(resource)
            for text, _, _ in self._image_fields():
                ref = parse_image(text)
                if ref is not None:
                    self._strings.update(ref.versions)
        return self._strings

    def within(self, value: str) -> bool:
        """Whether the value stands as a word of a longer tracked text, such as a config file in a ConfigMap."""
        if self._texts is None:
            self._texts = [text for text in self.strings if "\n" in text]
        word = re.compile(rf"(?<![\w.-]){re.escape(value)}(?![\w.-])")
        return any(word.search(text) for text in self._texts)

    def _image_fields(self) -> list[tuple[str, Resource, _Link]]:
        """Every string `image` field of the tracked resources (those of custom resources and workflow
        templates too), in the order that decides an image's first tracked use."""
        if self._fields is None:
            self._fields = [
                (text, resource, link)
                for resource in self._resources
                for text, link in _images(resource.body)
            ]
        return self._fields

    def _secret_data(self, secret: Resource) -> None:
        assert self._strings is not None
        data = secret.get(("data",))
        for value in data.values() if isinstance(data, Mapping) else ():
            try:
                self._strings.add(base64.b64decode(str(value), validate=True).decode("utf-8"))
            except (binascii.Error, UnicodeDecodeError):
                continue


# Bodies hold plain dicts and lists (yamlnodes.build), so exact type checks keep the two hot walks below
# fast. Each runs on a stack of its own instead of a call per mapping and list (which took half its time).
# Values under keys that are no strings are not walked.


def _images(body: Any) -> list[tuple[str, _Link]]:
    """The string `image` fields of a body with their places. Children are pushed first to last and so
    taken last first, the order that decides an image's first tracked use."""
    images: list[tuple[str, _Link]] = []
    stack: list[tuple[Any, _Link]] = [(body, None)]
    push, pop = stack.append, stack.pop
    while stack:
        value, link = pop()
        kind = type(value)
        if kind is list:
            for index, item in enumerate(value):
                kind = type(item)
                if kind is dict or kind is list:
                    push((item, (link, index)))
        elif kind is str:  # an image field
            images.append((value, link))
        else:
            for key, sub in value.items():
                kind = type(sub)
                if kind is dict or kind is list:
                    if type(key) is str:
                        push((sub, (link, key)))
                elif kind is str and key == "image":
                    push((sub, (link, key)))
    return images


def _scalars(body: Any, strings: set[str]) -> None:
    """Adds every scalar of a body to `strings`: strings as they are, booleans and integers as YAML writes them."""
    take = strings.add
    stack: list[Any] = [body]
    push, pop = stack.append, stack.pop
    while stack:
        value = pop()
        items = value if type(value) is list else [sub for key, sub in value.items() if type(key) is str]
        for item in items:
            kind = type(item)
            if kind is str:
                take(item)
            elif kind is dict or kind is list:
                push(item)
            elif kind is bool:
                take("true" if item else "false")
            elif kind is int:
                take(str(item))


def _path(link: _Link) -> Path:
    parts: list[str | int] = []
    while link is not None:
        link, part = link
        parts.append(part)
    return tuple(reversed(parts))


def _tracked(ctx: Context) -> _Tracked | None:
    """What the non-hook resources the sync applies carry; None when there are none (HL110's case). Only they
    have a sync status and can make the application OutOfSync (docs/argocd.md#drift-and-sync-status); Skip and dropped objects have none."""
    resources: dict[int, Resource] = {}
    for step in ctx.plan.steps:
        for task in step.tasks:
            if not task.hook:
                resources.setdefault(id(task.resource), task.resource)
    return _Tracked(list(resources.values())) if resources else None


def _drift_blind_hook(ctx: Context) -> Iterator[Finding]:
    rendered = list(_rendered_hooks(ctx))
    yield from rendered
    # One finding per hook: a template whose rendered object is reported already gets no second one.
    reported = {finding.span.path for finding in rendered}
    for finding in _chart_values(ctx):
        places = [finding.span, *(related.span for related in finding.related[:1])]
        if not any(span.path in reported for span in places):
            yield finding


def _rendered_hooks(ctx: Context) -> Iterator[Finding]:
    # A template read without helm is judged at its value uses (_chart_values), not at its placeholders.
    unread = ctx.read_without_helm
    hooks = [
        item
        for item in ctx.hook_annotated()
        if not _SYNC_PHASE_SET.isdisjoint(item.types)
        and next(containers(item.resource), None) is not None
        and item.resource.path not in unread
    ]
    tracked = _tracked(ctx) if hooks else None
    if tracked is None:
        return
    # Names an env value may hold as plumbing: namespaces (the destination's too) and ServiceAccounts,
    # gathered for the first literal env value (most hooks have none).
    names: set[str] = set()

    def plumbing_names() -> set[str]:
        if not names:
            names.add(ctx.namespace)
            names.update(r.namespace for r in ctx.resources if r.namespace)
            names.update(
                r.name for r in ctx.resources if r.group == "" and r.kind in ("Namespace", "ServiceAccount")
            )
        return names

    for item in hooks:
        finding = _first_untracked(ctx, item, tracked, plumbing_names)
        if finding is not None:
            yield replace(finding, fix=tracking_configmap(ctx, item.resource, _REFERENCES_ONLY))


def _chart_values(ctx: Context) -> Iterator[Finding]:
    """The seed pattern at the source: chart values that sync hook templates use and no resource template
    does. Changing one in Git changes only hooks, which is no drift (docs/argocd.md#drift-and-sync-status). One finding per hook template,
    as for rendered hooks: at its first such value that is not plumbing, naming the others."""
    for chart in ctx.charts:
        by_template: dict[tuple[str, int], list[tuple[str, ValueUse, Document]]] = {}
        elsewhere: dict[str, list[tuple[ValueUse, Document]]] = {}
        hook_only = chart.hook_only(_SYNC_PHASES)
        unshared = not ctx.options.get("report-unshared-images")
        for value, all_uses in hook_only.items():
            # Plumbing (the namespace, the ServiceAccount, a path, a gate, ...) is no configuration to track,
            # and an image of the hook's own, as for rendered hooks, is reported only with the option.
            uses = [
                (use, doc)
                for use, doc in all_uses
                if not _plumbing(chart.texts, value, use)
                and not (unshared and _own_image(chart.texts, use, doc, hook_only))
            ]
            if not uses:
                continue
            use, doc = uses[0]
            by_template.setdefault((doc.path, doc.span.line), []).append((value, use, doc))
            elsewhere[value] = uses[1:]
        for found in by_template.values():
            # In the hook template's own order (a helper's value stands where the template includes it).
            found.sort(key=lambda e: ((e[1].via or (e[1].span,))[0].line, e[1].span.column))
            value, use, doc = found[0]
            yield _chart_finding(ctx, chart.path, value, use, doc, found[1:], elsewhere[value])


def _plumbing(texts: Mapping[str, str], value: str, use: ValueUse) -> bool:
    """Whether a hook template uses the value as plumbing: by its name, by the field the hook template writes
    it to (where it includes the helper that uses it), or as the gate that turns the whole hook on or off."""
    if plumbing.plumbing_name(value):
        return True
    place = use.via[0] if use.via else use.span
    text = texts.get(place.path)
    if text is None:
        return False
    if plumbing.gate(text, place.line, place.column):
        return True
    keys = plumbing.fields(text, place.line, place.column)
    if any(key in plumbing.PLUMBING_FIELDS for key in keys):
        return True
    name = plumbing.env_name(text, place.line) if keys[-2:] == ["env", "value"] else None
    return name is not None and plumbing.plumbing_name(name)


def _own_image(
    texts: Mapping[str, str], use: ValueUse, doc: Document, hook_only: Mapping[str, object]
) -> bool:
    """Whether the value is written into a container's `image` that shares no value with a non-hook
    template: a tool image of the hook's own. One whose repository (or any part) a tracked template
    writes too is the classic drift-blind migration, and is reported."""
    place = use.via[0] if use.via else use.span
    text = texts.get(place.path)
    if text is None or plumbing.fields(text, place.line, place.column)[-1:] != ["image"]:
        return False
    beside = [
        other.value
        for other in doc.uses
        if (other.via[0] if other.via else other.span)[:2] == (place.path, place.line)
    ]
    return all(value in hook_only for value in beside)


def _chart_finding(
    ctx: Context,
    chart: str,
    value: str,
    use: ValueUse,
    doc: Document,
    others: list[tuple[str, ValueUse, Document]],
    also: list[tuple[ValueUse, Document]],
) -> Finding:
    name = f"`.Values.{value}`" if value else "`.Values`"
    where = f"the {doc.phase_text} hook template {_relative(doc.path, chart)}"
    helper = f" (through a helper it includes at line {use.via[0].line})" if use.via else ""
    if others:
        listed = ", ".join(f"`.Values.{v}`" for v, _, _ in others[:3])
        more = f" and {len(others) - 3} more" if len(others) > 3 else ""
        subject = f"{name}{helper} and {len(others)} other value(s) ({listed}{more}) are"
        pronoun = "them"
    else:
        subject, pronoun = f"{name}{helper} is", "it"
    related = [Related(span, "included here by the hook template") for span in use.via[:1]]
    related += [
        Related(u.span, f"also used by the hook template {_relative(d.path, chart)}") for u, d in also
    ]
    related += [Related(u.span, f"`.Values.{v}` is hook-only too") for v, u, _ in others[:5]]
    return ctx.finding(
        use.span,
        f"{subject} used by {where} and by no non-hook template; {_UNSEEN.replace('it alone', pronoun + ' alone')}. "
        f"Reference {pronoun} from a ConfigMap that is not a hook, so that a change to {pronoun} is drift",
        related=related,
    )


def _relative(path: str, folder: str) -> str:
    return path[len(folder) + 1 :] if path.startswith(folder + "/") else path


# docs/argocd.md#drift-and-sync-status: hooks have no sync status, so a change to one alone never makes the application OutOfSync, and automated
# sync only starts for an OutOfSync application.
_UNSEEN = "changing it alone leaves the application Synced and automated sync does not run the hook"


def _head(ctx: Context, resource: Resource) -> str:
    """The hook and its sync steps, as a finding names them (built only for a finding)."""
    tasks = [task for task in ctx.plan.tasks_of(resource) if task.phase in _SYNC_PHASES]
    return f"{resource.label} ({', '.join(task.where for task in tasks)})"


def _first_untracked(
    ctx: Context, item: Annotated, tracked: _Tracked, names: Callable[[], set[str]]
) -> Finding | None:
    resource = item.resource
    for path, container in containers(resource):
        name = container.get("name")
        found = _untracked_image(ctx, resource, path, name, tracked)
        if found is not None:
            return found
        env = container.get("env")
        for i, var in enumerate(env if isinstance(env, list) else []):
            value = var.get("value") if isinstance(var, Mapping) else None
            if not isinstance(value, str) or not value or _REFERENCES_ONLY.fullmatch(value):
                continue
            if plumbing.plumbing_name(str(var.get("name"))) or plumbing.plumbing_text(value, names()):
                continue
            # A credential is tracked by its digest (drift_fix.tracked_value).
            if (
                value not in tracked.strings
                and tracked_value(var.get("name"), value) not in tracked.strings
                and not tracked.within(value)
            ):
                return ctx.finding(
                    resource.span_at((*path, "env", i, "value")),
                    f"{_head(ctx, resource)} sets env {var.get('name')} (container {name}) to a literal that "
                    f"appears in no non-hook resource; {_UNSEEN}",
                    resource=resource,
                )
    return None


def _untracked_image(
    ctx: Context, resource: Resource, path: Path, name: Any, tracked: _Tracked
) -> Finding | None:
    image = resource.get((*path, "image"))
    ref = parse_image(image) if isinstance(image, str) else None
    if ref is None:
        return None
    versions = ref.versions
    # An image without a version (`latest`, no tag) has nothing to change in Git: that is HL301's concern.
    if versions in ((), ("latest",)):
        return None
    # Asked first because it is the cheap question: an image whose repository nothing tracked runs is
    # reported only with the option, whatever the tracked values.
    shared = tracked.first_use(ref.repository)
    if shared is None and not ctx.options.get("report-unshared-images"):
        return None
    # The same version anywhere tracked (a sibling image's tag, a version label) moves with it in a release.
    strings = tracked.strings
    if image in strings or any(version in strings for version in versions):
        return None
    version = " and ".join(versions)
    span = resource.span_at((*path, "image"))
    runs = f"{_head(ctx, resource)} runs {image} (container {name})"
    if shared is not None:
        owner, at = shared
        return ctx.finding(
            span,
            f"{runs}, but no non-hook resource has its version {version}: {owner.ident} runs "
            f"{owner.get(at)}; {_UNSEEN}",
            resource=resource,
            related=[Related(owner.span_at(at), f"{owner.ident} runs {owner.get(at)}")],
        )
    message = f"{runs}, whose version {version} appears in no non-hook resource; {_UNSEEN}"
    return ctx.finding(span, message, resource=resource)


DRIFT_BLIND_HOOK = Rule(
    id="HL109",
    name="drift-blind-hook",
    summary="A sync hook whose image version or literal env value no non-hook resource carries: a change to it is no drift.",
    severity=Severity.WARNING,
    check=_drift_blind_hook,
    fix=FixAvailability.SOMETIMES,
    reads_templates=True,
    options={
        "report-unshared-images": {
            "type": "boolean",
            "default": False,
            "description": "Also report an untracked image version when no non-hook workload uses the hook's "
            "image repository (tool images such as kubectl are reported too).",
        }
    },
)

RULES: tuple[Rule, ...] = (DRIFT_BLIND_HOOK,)
