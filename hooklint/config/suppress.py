"""Suppressions by object annotation, file comment and config selector; and which of them went unused."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from hooklint.config.settings import ConfigSuppression, Settings, glob_match, matches
from hooklint.model import Finding, Resource, Rule, Span
from hooklint.util.frozen import frozen

ANNOTATION = "hooklint.dev/ignore"
# `# hooklint: ignore HL101,HL103 -- reason`; the rules may be ids, names or prefixes, comma or space separated.
_COMMENT = re.compile(r"(?:^|\s)#\s*hooklint:\s*(ignore-file|ignore-document|ignore)\b([^\n]*)")
_DOCUMENT_START = re.compile(r"^---(?:\s|$)")

LINE, DOCUMENT, FILE, OBJECT, CONFIG = "line", "document", "file", "object", "config"


@frozen
class Suppression:
    selectors: tuple[str, ...]  # empty: every rule
    reason: str
    span: Span  # where the suppression is written
    scope: str
    path: str | None  # the file it covers; None for config selectors
    first_line: int = 0
    last_line: int = 0
    config: ConfigSuppression | None = None


@frozen
class Unused:
    span: Span
    message: str


def _parse(text: str) -> tuple[tuple[str, ...], str]:
    rules, _, reason = text.partition("--")
    return tuple(s for s in re.split(r"[,\s]+", rules.strip()) if s), reason.strip()


def collect(texts: Mapping[str, str], resources: Sequence[Resource], settings: Settings) -> list[Suppression]:
    found: list[Suppression] = []
    if settings.inline_suppressions:
        for path, text in texts.items():
            found.extend(_comments(path, text))
        for resource in resources:
            value = resource.annotations.get(ANNOTATION)
            if isinstance(value, str):
                found.append(_annotation(resource, value))
    for entry in settings.suppress:
        where = Span.point(settings.source or "<config>", entry.line or 1, 1)
        found.append(Suppression(entry.rules, entry.reason, where, CONFIG, None, config=entry))
    return found


def _comments(path: str, text: str) -> Iterable[Suppression]:
    if "hooklint:" not in text:
        return  # most files: no line to split
    lines = text.splitlines()
    starts = [n for n, line in enumerate(lines, 1) if _DOCUMENT_START.match(line)]
    for number, line in enumerate(lines, 1):
        if "hooklint:" not in line:
            continue
        match = _COMMENT.search(line)
        if match is None or _quoted(line, line.index("#", match.start())):
            continue
        selectors, reason = _parse(match.group(2))
        column = line.index("#", match.start()) + 1
        span = Span(path, number, column, number, len(line) + 1)
        scope = {"ignore": LINE, "ignore-document": DOCUMENT, "ignore-file": FILE}[match.group(1)]
        if scope == LINE:
            # A comment alone on its line covers the next line; a trailing one covers its own line.
            target = number + 1 if not line[: column - 1].strip() else number
            first, last = target, target
        elif scope == DOCUMENT:
            first = max((s for s in starts if s <= number), default=1)
            last = min((s - 1 for s in starts if s > number), default=len(lines))
        else:
            first, last = 1, len(lines)
        yield Suppression(selectors, reason, span, scope, path, first, last)


def _quoted(line: str, index: int) -> bool:
    """Whether position `index` lies inside a quoted YAML scalar (then `#` starts no comment)."""
    quote = ""
    for char in line[:index]:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
    return bool(quote)


def _annotation(resource: Resource, value: str) -> Suppression:
    selectors, reason = _parse(value)
    node = resource.node
    return Suppression(
        selectors,
        reason,
        resource.span_at(("metadata", "annotations", ANNOTATION)),
        OBJECT,
        resource.path,
        node.start_mark.line + 1,
        node.end_mark.line + 1,
    )


def _covers(suppression: Suppression, finding: Finding, settings: Settings) -> bool:
    span = finding.span
    if suppression.scope != CONFIG:
        return span.path == suppression.path and suppression.first_line <= span.line <= suppression.last_line
    entry = suppression.config
    assert entry is not None
    ref = finding.resource
    checks = [
        (entry.kind, ref.kind if ref else None),
        (entry.name, ref.name if ref else None),
        (entry.namespace, ref.namespace if ref else None),
    ]
    for pattern, value in checks:
        if pattern is not None and (value is None or not glob_match(pattern, value)):
            return False
    return entry.path is None or glob_match(entry.path, settings.relative(span.path))


def apply(
    findings: Sequence[Finding],
    suppressions: Sequence[Suppression],
    settings: Settings,
    rules: Sequence[Rule],
) -> tuple[list[Finding], list[Unused]]:
    """The findings no suppression covers, and the suppressions (or their rules) that covered nothing."""
    if not suppressions:
        return list(findings), []  # most applications
    by_id = {rule.id: rule for rule in rules}
    active = {rule.id for rule in settings.active(rules)}
    usable = [bool(s.reason) or not settings.require_reason for s in suppressions]
    by_path: dict[str | None, list[int]] = {}
    for index, suppression in enumerate(suppressions):
        if usable[index]:
            by_path.setdefault(suppression.path, []).append(index)
    used: set[tuple[int, str]] = set()
    kept = []
    for finding in findings:
        rule = by_id.get(finding.rule)
        covering = [
            (index, selector)
            for index in (*by_path.get(finding.span.path, ()), *by_path.get(None, ()))
            if _covers(suppressions[index], finding, settings)
            for selector in (suppressions[index].selectors or ("*",))
            if selector == "*" or (rule is not None and matches(selector, rule))
        ]
        if covering:
            used.update(covering)
        else:
            kept.append(finding)
    unused: list[Unused] = []
    for index, suppression in enumerate(suppressions):
        if not usable[index]:
            unused.append(
                Unused(suppression.span, f"suppression without a reason ({suppression.scope}): add `-- why`")
            )
            continue
        for selector in suppression.selectors or ("*",):
            named = [r for r in rules if selector == "*" or matches(selector, r)]
            if not named:
                unused.append(Unused(suppression.span, f"suppression names unknown rule {selector!r}"))
            elif (index, selector) not in used and any(r.id in active for r in named):
                what = "every rule" if selector == "*" else selector
                unused.append(Unused(suppression.span, f"unused suppression: {what} reports nothing here"))
    return kept, unused
