"""Applies the findings' Fix edits by splicing text at node offsets and re-lints until stable."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from hooklint import rules as registry
from hooklint.argocd.annotated import named_at_sync
from hooklint.config.settings import Settings
from hooklint.manifests import anchors
from hooklint.manifests.parse import load_text
from hooklint.model import Edit, Finding, Problem, Resource
from hooklint.sources.input import LoadResult
from hooklint.util.frozen import frozen

# Each round applies every fix that does not collide with another, then re-lints; a fix that needs another
# one's result first waits for the next round.
MAX_ROUNDS = 10
# Each rule's fix policy (Rule.unreadable_file, Rule.fix_reveals), by the rule ids findings carry.
_RULES = {rule.id: rule for rule in registry.ALL_RULES}

Lint = Callable[[LoadResult, Settings], list[Finding]]


@frozen
class HeldBack:
    """A fix not applied because it would have brought findings the input did not have."""

    finding: Finding
    would_add: tuple[str, ...]  # rule ids


@frozen
class Refused:
    """A fix not applied because its edit lies in the text of an anchored node that an alias or a merge key
    uses too: the edit would change every use while counting as one fix."""

    finding: Finding
    reason: str


@frozen
class Outcome:
    load: LoadResult  # the fixed input, as loaded
    original: dict[str, str]  # every loaded file's text before fixing
    fixed: tuple[Finding, ...]  # the findings whose fixes were applied, as reported when they were
    remaining: list[Finding]  # the findings of the fixed input
    held_back: tuple[HeldBack, ...] = ()
    # The remaining findings the input did not have, brought to light by fixes that reveal (Rule.fix_reveals).
    revealed: tuple[Finding, ...] = ()
    # The edits of each round that was kept, in the offsets of the texts that round started from: applied in
    # turn to `original`, they give `texts`, and nothing else changed.
    batches: tuple[tuple[Edit, ...], ...] = ()
    refused: tuple[Refused, ...] = ()

    @property
    def texts(self) -> dict[str, str]:
        return self.load.texts

    @property
    def changed(self) -> list[str]:
        return [path for path, text in self.texts.items() if text != self.original.get(path)]

    def needing_unsafe(self, unsafe: bool) -> list[Finding]:
        """The remaining findings whose fix is unsafe, when unsafe fixes were not asked for."""
        return [] if unsafe else [f for f in self.remaining if f.fix is not None and not f.fix.safe]


def combine(outcomes: Sequence[Outcome], remaining: list[Finding]) -> Outcome:
    """The outcomes of applications fixed apart, as one: their files never overlap, so their rounds of edits
    apply one after the other. `remaining` is their remaining findings, merged by the caller."""
    loads = [o.load for o in outcomes]
    load = LoadResult(
        tuple(r for one in loads for r in one.resources),
        tuple(p for one in loads for p in one.problems),
        tuple(f for one in loads for f in one.files),
        tuple(s for one in loads for s in one.skipped),
        {path: text for one in loads for path, text in one.texts.items()},
        tuple(c for one in loads for c in one.charts),
        tuple(n for one in loads for n in one.notes),
    )
    return Outcome(
        load,
        {path: text for o in outcomes for path, text in o.original.items()},
        tuple(f for o in outcomes for f in o.fixed),
        remaining,
        tuple(h for o in outcomes for h in o.held_back),
        tuple(f for o in outcomes for f in o.revealed),
        tuple(batch for o in outcomes for batch in o.batches),
        tuple(r for o in outcomes for r in o.refused),
    )


def apply(text: str, edits: Iterable[Edit]) -> str:
    """`text` with every edit spliced in; the edits must not overlap."""
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = text[: edit.start] + edit.text + text[edit.end :]
    return text


def _collides(edit: Edit, others: Iterable[Edit]) -> bool:
    """Overlapping spans, or two edits at one place, whose order would be a guess."""
    return any(
        edit.path == other.path
        and (edit.start == other.start or (edit.start < other.end and other.start < edit.end))
        for other in others
    )


def _key(finding: Finding) -> tuple[str, str, object]:
    """A finding's identity across edits: its rule, file and object, never its line (lines move)."""
    return finding.rule, finding.span.path, finding.resource


def _extra(before: Sequence[Finding], after: Sequence[Finding]) -> list[Finding]:
    """The findings `after` has beyond `before`, counted per rule, file and object."""
    extra = Counter(_key(f) for f in after) - Counter(_key(f) for f in before)
    found = []
    for finding in after:
        if extra[_key(finding)] > 0:
            extra[_key(finding)] -= 1
            found.append(finding)
    return found


def _added(before: Sequence[Finding], after: Sequence[Finding], batch: Sequence[Finding]) -> list[str]:
    """The rules of the findings the batch's fixes would add and may not: any, or for fixes that all reveal
    (Rule.fix_reveals) only input and annotation findings."""
    rules = sorted({f.rule for f in _extra(before, after)})
    if all(_RULES[f.rule].fix_reveals for f in batch):
        return [rule for rule in rules if _RULES[rule].about_input]
    return rules


def _identity(finding: Finding) -> tuple[object, ...]:
    """A fix's identity across rounds, for the ones held back: lines and offsets move, this does not."""
    return (*_key(finding), finding.message, finding.fix.title if finding.fix else "")


def _resolved(before: Sequence[Finding], after: Sequence[Finding], batch: Sequence[Finding]) -> bool:
    """Whether each fix of the batch took its own finding away."""
    counts_before, counts_after = Counter(_key(f) for f in before), Counter(_key(f) for f in after)
    wanted = Counter(_key(f) for f in batch)
    return all(counts_before[key] - counts_after[key] >= number for key, number in wanted.items())


def reload(base: LoadResult, texts: dict[str, str]) -> LoadResult:
    """`base` with the files whose text differs from `texts` loaded again from it, in the same file order."""
    changed = {path for path, text in texts.items() if text != base.texts.get(path)}
    if not changed:
        return base
    kept_resources: dict[str, list[Resource]] = {}
    for resource in base.resources:
        kept_resources.setdefault(resource.path, []).append(resource)
    resources: list[Resource] = []
    problems: list[Problem] = [p for p in base.problems if p.span.path not in changed]
    for path in base.files:
        if path in changed:
            result = load_text(path, texts[path], named_at_sync)
            resources.extend(result.resources)
            problems.extend(result.problems)
        else:
            resources.extend(kept_resources.get(path, ()))
    # replace() keeps whatever else the load carries (charts read for HL109, notes).
    return replace(base, resources=tuple(resources), problems=tuple(problems), texts={**base.texts, **texts})


def fix(
    load: LoadResult, settings: Settings, lint: Lint, *, unsafe: bool = False, rounds: int = MAX_ROUNDS
) -> Outcome:
    """Apply the fixes of `lint`'s findings (the safe ones, or all with `unsafe`) until none is left to apply or
    `rounds` ran out. A fix is kept only if re-linting shows its finding gone and no finding added."""
    editable = _Editable(load)
    findings = original = lint(load, settings)
    current = load
    fixed: list[Finding] = []
    batches: list[tuple[Edit, ...]] = []
    held: dict[tuple[object, ...], HeldBack] = {}
    shared = _Shared()
    refused: dict[tuple[object, ...], Refused] = {}
    for _ in range(rounds):
        batch = _batch(findings, editable, unsafe, held, shared.guard(current.texts, refused))
        if not batch:
            break
        # The fixes that reveal go first, alone: what they bring to light gets its own fixes in later rounds.
        part = [f for f in batch if _RULES[f.rule].fix_reveals] or batch
        kept = _attempt(current, settings, lint, findings, part, held)
        if kept is not None:
            current, findings, accepted = kept
            fixed.extend(accepted)
            batches.append(_edits(accepted))
    remaining = {_identity(f) for f in findings}
    held_back = tuple(h for identity, h in held.items() if identity in remaining)
    revealed = tuple(_extra(original, findings))
    kept_out = tuple(r for identity, r in refused.items() if identity in remaining)
    return Outcome(
        current, dict(load.texts), tuple(fixed), findings, held_back, revealed, tuple(batches), kept_out
    )


def alone(
    load: LoadResult, settings: Settings, lint: Lint, findings: Sequence[Finding], finding: Finding
) -> Finding | None:
    """`finding` with its fix as `fix` applies it when it is the only one: None when `fix` would not apply
    it (a file it may not edit, an edit to an anchored node that an alias shares, or re-linting that shows
    its finding still there or another one added). `findings` are `lint`'s findings of `load`. The editor's
    code actions offer each fix this way."""
    fix = finding.fix
    if fix is None or not fix.edits:
        return None
    editable = _Editable(load)
    if not all(editable(edit.path) for edit in fix.edits):
        return None
    guarded = _Shared().guard(load.texts, {})(finding)
    if guarded is None:
        return None
    _, after = _try(load, settings, lint, [guarded])
    return guarded if _good(findings, after, [guarded]) else None


def _attempt(
    current: LoadResult,
    settings: Settings,
    lint: Lint,
    findings: Sequence[Finding],
    part: Sequence[Finding],
    held: dict[tuple[object, ...], HeldBack],
) -> tuple[LoadResult, list[Finding], list[Finding]] | None:
    """The fixes of `part` applied together, re-linted and kept: (input, its findings, the fixes kept). When the
    whole part misbehaves each fix is tried alone, the ones that add findings (or leave their own) are held
    back, and the others are kept together, or else the first of them; None when every one was held back."""
    candidate, after = _try(current, settings, lint, part)
    if _good(findings, after, part):
        return candidate, after, list(part)
    good: list[tuple[Finding, LoadResult, list[Finding]]] = []
    for finding in part:
        alone, alone_after = _try(current, settings, lint, [finding])
        if _good(findings, alone_after, [finding]):
            good.append((finding, alone, alone_after))
        else:
            held[_identity(finding)] = HeldBack(finding, tuple(_added(findings, alone_after, [finding])))
    if not good:
        return None
    if len(good) > 1:
        together = [finding for finding, _, _ in good]
        candidate, after = _try(current, settings, lint, together)
        if _good(findings, after, together):
            return candidate, after, together
    finding, alone, alone_after = good[0]
    return alone, alone_after, [finding]


def _good(before: Sequence[Finding], after: Sequence[Finding], batch: Sequence[Finding]) -> bool:
    return not _added(before, after, batch) and _resolved(before, after, batch)


def _edits(batch: Sequence[Finding]) -> tuple[Edit, ...]:
    return tuple(edit for finding in batch if finding.fix is not None for edit in finding.fix.edits)


class _Editable:
    """Whether a file may be edited: its text parses, with no finding that makes it unreadable (HL001, HL003),
    into the very objects that were linted, so their node offsets are offsets into it (rendered chart output
    placed at its templates is not, nor an object a kustomize patch wrote to)."""

    def __init__(self, load: LoadResult) -> None:
        self._broken = {p.span.path for p in load.problems if _RULES[p.rule].unreadable_file}
        self._load = load
        self._known: dict[str, bool] = {}

    def __call__(self, path: str) -> bool:
        if path not in self._known:
            self._known[path] = self._check(path)
        return self._known[path]

    def _check(self, path: str) -> bool:
        text = self._load.texts.get(path)
        if text is None or path in self._broken:
            return False
        parsed = load_text(path, text, named_at_sync)
        if any(_RULES[p.rule].unreadable_file for p in parsed.problems):
            return False
        shapes = {(r.node.start_mark.index, r.node.end_mark.index, r.kind, r.name) for r in parsed.resources}
        mine = [r for r in self._load.resources if r.path == path]
        if not all((r.node.start_mark.index, r.node.end_mark.index, r.kind, r.name) in shapes for r in mine):
            return False
        # A field a kustomize patch wrote has its offsets in the patch: the object's file is not where they are.
        from hooklint.sources.patches import patched

        return not any(patched(r.node) for r in mine)


class _Shared:
    """The anchored nodes of each file that aliases or merge keys use, found again whenever its text changed."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[str, tuple[anchors.Shared, ...]]] = {}

    def of(self, path: str, text: str) -> tuple[anchors.Shared, ...]:
        known = self._known.get(path)
        if known is None or known[0] is not text:
            known = self._known[path] = (text, anchors.shared(text))
        return known[1]

    def guard(
        self, texts: dict[str, str], refused: dict[tuple[object, ...], Refused]
    ) -> Callable[[Finding], Finding | None]:
        """The finding as it may be fixed in `texts`: None, noted in `refused`, when an edit of its fix would
        change a shared node; with the edits kept off an anchor they would replace otherwise."""

        def check(finding: Finding) -> Finding | None:
            assert finding.fix is not None
            edits = []
            for edit in finding.fix.edits:
                text = texts.get(edit.path, "")
                if "&" not in text:
                    edits.append(edit)
                    continue
                touched = next((s for s in self.of(edit.path, text) if s.touched_by(edit)), None)
                if touched is not None:
                    refused.setdefault(_identity(finding), Refused(finding, touched.reason))
                    return None
                edits.append(anchors.keep_anchor(text, edit))
            if edits == list(finding.fix.edits):
                return finding
            return replace(finding, fix=replace(finding.fix, edits=tuple(edits)))

        return check


def _batch(
    findings: Sequence[Finding],
    editable: Callable[[str], bool],
    unsafe: bool,
    held: dict[tuple[object, ...], HeldBack],
    guard: Callable[[Finding], Finding | None],
) -> list[Finding]:
    """The fixes to try this round, in finding order: none of them touching an unreadable file or a shared
    anchored node, each colliding with none taken before it."""
    batch: list[Finding] = []
    taken: list[Edit] = []
    for found in findings:
        fix = found.fix
        if fix is None or not fix.edits or (not fix.safe and not unsafe) or _identity(found) in held:
            continue
        if not all(editable(edit.path) for edit in fix.edits):
            continue
        finding = guard(found)
        if finding is None or finding.fix is None:
            continue
        fix = finding.fix
        if any(_collides(edit, taken) for edit in fix.edits):
            continue
        batch.append(finding)
        taken.extend(fix.edits)
    return batch


def _try(
    current: LoadResult, settings: Settings, lint: Lint, batch: Sequence[Finding]
) -> tuple[LoadResult, list[Finding]]:
    by_path: dict[str, list[Edit]] = {}
    for finding in batch:
        assert finding.fix is not None
        for edit in finding.fix.edits:
            by_path.setdefault(edit.path, []).append(edit)
    texts = {path: apply(current.texts[path], edits) for path, edits in by_path.items()}
    candidate = reload(current, {**current.texts, **texts})
    return candidate, lint(candidate, settings)
