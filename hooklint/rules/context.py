"""The Context a rule's check reads one application through: the input, the plan, the graph and its options."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from hooklint.argocd.identity import identity_namespace
from hooklint.graph import Graph
from hooklint.model import Finding, Fix, Related, Resource, ResourceRef, Rule, Severity, Span
from hooklint.sync.plan import Plan
from hooklint.util.lazy import cached

if TYPE_CHECKING:
    from hooklint.argocd.annotated import Annotated
    from hooklint.config.suppress import Unused
    from hooklint.model import Problem
    from hooklint.sources.input import LoadResult
    from hooklint.sync.changes import Changes


T = TypeVar("T")


class Shared:
    """What every rule of one run reads: the loaded input, the plan, the settings and lazily built indexes."""

    def __init__(
        self,
        load: LoadResult,
        plan: Plan,
        argocd_version: tuple[int, int, int],
        changes: Changes | None = None,
    ) -> None:
        self.load = load
        self.plan = plan
        self.argocd_version = argocd_version
        self.changes = changes  # what changed since --base, when given
        self.memos: dict[str, Any] = {}
        self.unused_suppressions: list[Unused] = []  # filled by the engine's suppression pass

    @cached
    def graph(self) -> Graph:
        return Graph(self.load.resources, self.plan.namespace)


class Context:
    """One rule's view of a run: the shared data plus the rule's id, configured severity and options."""

    # Made for every rule of every application: slots make it, and the reads of its fields, cheaper.
    __slots__ = ("_shared", "options", "rule", "severity")

    def __init__(self, shared: Shared, rule: Rule, severity: Severity, options: Mapping[str, Any]) -> None:
        self._shared = shared
        self.rule = rule
        self.severity = severity
        self.options = options

    @property
    def resources(self) -> tuple[Resource, ...]:
        return self._shared.load.resources

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self._shared.load.problems

    @property
    def plan(self) -> Plan:
        return self._shared.plan

    @property
    def graph(self) -> Graph:
        """References between the application's resources (built once per run, on first use)."""
        return self._shared.graph

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """A value derived once per run and shared by the rules of one family (`key` names it)."""
        memos = self._shared.memos
        if key not in memos:
            memos[key] = compute()
        value: T = memos[key]
        return value

    @property
    def texts(self) -> dict[str, str]:
        """Every input file's text, as loaded (fixes splice into it)."""
        return self._shared.load.texts

    @property
    def charts(self) -> tuple[Any, ...]:
        """The Helm charts met in the input, read statically as text (HL109 at the source)."""
        return self._shared.load.charts

    @property
    def read_without_helm(self) -> frozenset[str]:
        """The chart templates read without helm (hooklint.sources.static): their objects stand on
        placeholders wherever the template wrote an action."""
        return frozenset(self._shared.load.placeholders)

    @property
    def changes(self) -> Changes | None:
        """What changed since the base revision (`--base`), or None."""
        return self._shared.changes

    @property
    def unused_suppressions(self) -> list[Unused]:
        return self._shared.unused_suppressions

    @property
    def namespace(self) -> str:
        return self._shared.plan.namespace

    @property
    def argocd_version(self) -> tuple[int, int, int]:
        return self._shared.argocd_version

    def annotated(self) -> Iterator[Annotated]:
        return iter(self._shared.plan.annotated)

    def hook_annotated(self) -> Iterator[Annotated]:
        """The objects with a hook annotation (Plan.with_hook_annotation): rules about hooks need no other."""
        return iter(self._shared.plan.with_hook_annotation)

    def finding(
        self,
        span: Span,
        message: str,
        *,
        resource: Resource | None = None,
        related: Iterable[Related] = (),
        fix: Fix | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        """A finding of this rule. `severity` lets one rule report a milder case (HL010's partly dropped list);
        a severity the user configured for the rule always wins."""
        if severity is None or self.severity != self.rule.severity:
            severity = self.severity
        ref = None
        if resource is not None:
            ref = ResourceRef.of(resource, identity_namespace(resource, self.namespace))
        return Finding(
            rule=self.rule.id,
            name=self.rule.name,
            severity=severity,
            message=message,
            span=span,
            resource=ref,
            related=tuple(related),
            fix=fix,
        )


def input_problems(ctx: Context) -> Iterator[Finding]:
    """The check of a rule whose findings the reading made (HL001 to HL003, HL005): the problems of the input that
    carry the rule's id, as findings."""
    for problem in ctx.problems:
        if problem.rule == ctx.rule.id:
            yield ctx.finding(problem.span, problem.message)
