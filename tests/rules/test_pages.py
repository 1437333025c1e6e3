"""Every rule page in rules/ runs as a test: bad examples yield exactly the marked findings, good ones none, and
the fixer turns each bad example into its fixed one, byte for byte."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from hooklint.config.settings import Settings
from hooklint.engine.run import lint
from hooklint.fix import fixer
from hooklint.model import Finding, FixAvailability, Rule
from hooklint.report.pages import MARKER, marks
from hooklint.rules import ALL_RULES
from hooklint.sources.input import LoadResult
from hooklint.sync.changes import compare
from tests.helpers import ROOT
from tests.helpers import loaded as load_files

PAGES = ROOT / "rules"
SECTIONS = (
    "## What it does",
    "## Why is this bad?",
    "## Example",
    "## Use instead",
    "## Options",
    "## References",
)
FENCE = re.compile(r"^```yaml (bad|good|fixed|config|base)([^\n]*)\n(.*?)^```\s*$", re.M | re.S)


@dataclass
class Example:
    kind: str  # bad, good or fixed
    app: str
    files: dict[str, str] = field(default_factory=dict)
    config: dict[str, Any] = field(default_factory=dict)
    base: dict[str, str] = field(
        default_factory=dict
    )  # the manifests at a base revision (`yaml base` blocks)


def parse_page(path: Path) -> list[Example]:
    """The page's examples: blocks of one kind and `app=` name form one application."""
    examples: dict[tuple[str, str], Example] = {}
    bases: dict[str, dict[str, str]] = {}
    config: dict[str, Any] = {}
    for match in FENCE.finditer(path.read_text()):
        kind, attributes, body = match.group(1), match.group(2), match.group(3)
        if kind == "config":
            config = yaml.safe_load(body) or {}
            continue
        attrs = dict(item.split("=", 1) for item in attributes.split())
        app = attrs.get("app", "main")
        if kind == "base":
            bases.setdefault(app, {})[attrs.get("file", "base.yaml")] = body
            continue
        example = examples.setdefault((kind, app), Example(kind, app, config=config))
        example.files[attrs.get("file", f"{kind}.yaml")] = body
    for example in examples.values():
        example.base = bases.get(example.app, {})
    return list(examples.values())


def settings_for(rule: Rule, config: dict[str, Any]) -> Settings:
    return Settings(
        select=(rule.id, *config.get("select", ())),
        namespace=config.get("namespace", "default"),
        argocd_version=str(config.get("argocd-version", Settings().argocd_version)),
        options={rule.id: config.get("options", {}).get(rule.id, {})},
    )


def expected_markers(files: dict[str, str]) -> set[tuple[str, int, str]]:
    return {(name, mark.line, mark.rule) for name, text in files.items() for mark in marks(text)}


def page_for(rule: Rule) -> Path:
    return PAGES / f"{rule.id}-{rule.name}.md"


CASES = [
    pytest.param(rule, example, id=f"{rule.id}-{example.kind}-{example.app}")
    for rule in ALL_RULES
    if page_for(rule).exists()
    for example in parse_page(page_for(rule))
    if example.kind != "fixed"
]


def fix_cases() -> list[Any]:
    """(rule, bad example, its fixed example or None) for every bad example of every page."""
    cases = []
    for rule in ALL_RULES:
        if not page_for(rule).exists():
            continue
        examples = parse_page(page_for(rule))
        fixed = {e.app: e for e in examples if e.kind == "fixed"}
        for bad in (e for e in examples if e.kind == "bad"):
            cases.append(pytest.param(rule, bad, fixed.get(bad.app), id=f"{rule.id}-fix-{bad.app}"))
    return cases


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_rule_page_example(rule: Rule, example: Example) -> None:
    settings = settings_for(rule, example.config)
    load = load_files(example.files)
    changes = None
    if example.base:
        changes = compare("base", load_files(example.base).resources, load.resources, settings.namespace)
    findings = lint(load, settings, changes=changes)
    found = {(f.span.path, f.span.line, f.rule) for f in findings}
    if example.kind == "bad":
        expected = expected_markers(example.files)
        assert expected, "a bad example needs at least one `# expect:` marker"
        assert found == expected, [f"{f.span.path}:{f.span.line}: {f.rule} {f.message}" for f in findings]
    else:
        assert found == set(), [f"{f.span.path}:{f.span.line}: {f.rule} {f.message}" for f in findings]


@pytest.mark.parametrize(("rule", "bad", "fixed"), fix_cases())
def test_fixer_turns_the_bad_example_into_the_fixed_one(
    rule: Rule, bad: Example, fixed: Example | None
) -> None:
    # Without the markers and the spaces before them: the example as a user would have written it.
    files = {name: MARKER.sub("", text) for name, text in bad.files.items()}
    settings = settings_for(rule, bad.config)

    def run(load: LoadResult, settings: Settings) -> list[Finding]:
        changes = None
        if bad.base:
            changes = compare("base", load_files(bad.base).resources, load.resources, settings.namespace)
        return lint(load, settings, changes=changes)

    loaded = load_files(files)
    if rule.fix is FixAvailability.ALWAYS:
        assert all(f.fix is not None for f in run(loaded, settings)), "a fix for every finding"
    outcome = fixer.fix(loaded, settings, run, unsafe=True)
    changed = {path: outcome.texts[path] for path in outcome.changed}
    assert changed == (fixed.files if fixed else {}), "a `fixed` block per file the fixer changes"
    if fixed is not None:
        assert rule.fix is not FixAvailability.NONE, "a `fixed` example needs a rule that declares a fix"
        relinted = run(load_files({**files, **fixed.files}), settings)
        assert relinted == [], [f"{f.span.path}:{f.span.line}: {f.rule} {f.message}" for f in relinted]


def test_every_fixed_example_has_a_bad_one() -> None:
    orphans = [
        f"{page.name}: {example.app}"
        for page in sorted(PAGES.glob("*.md"))
        for example in parse_page(page)
        if example.kind == "fixed"
        and not any(e.kind == "bad" and e.app == example.app for e in parse_page(page))
    ]
    assert orphans == []


@pytest.mark.parametrize("rule", ALL_RULES, ids=[r.id for r in ALL_RULES])
def test_every_rule_has_one_page_with_every_section_and_both_examples(rule: Rule) -> None:
    pages = sorted(PAGES.glob(f"{rule.id}-*.md"))
    assert pages == [page_for(rule)], f"expected exactly {page_for(rule).name}"
    text = page_for(rule).read_text()
    assert text.startswith(f"# {rule.id} {rule.name}\n")
    positions = [text.find(section) for section in SECTIONS]
    assert -1 not in positions and positions == sorted(positions), "sections missing or out of order"
    kinds = {example.kind for example in parse_page(page_for(rule))}
    assert {"bad", "good"} <= kinds
    assert ("fixed" in kinds) == (rule.fix is not FixAvailability.NONE), (
        "a `fixed` example exactly when fixable"
    )


def test_every_page_belongs_to_a_rule() -> None:
    names = {page_for(rule).name for rule in ALL_RULES}
    assert sorted(p.name for p in PAGES.glob("*.md") if p.name not in names) == []
