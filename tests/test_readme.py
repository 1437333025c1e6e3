"""The README's rules table is generated from the registry; this fails when they drift apart."""

from __future__ import annotations

from hooklint.rules import ALL_RULES
from tests.helpers import ROOT


def rules_table() -> str:
    rows = ["| id | name | severity | fix | summary |", "|---|---|---|---|---|"]
    for rule in ALL_RULES:
        severity = rule.severity.value + ("" if rule.enabled_by_default else " (off by default)")
        rows.append(f"| {rule.id} | {rule.name} | {severity} | {rule.fix.value} | {rule.summary} |")
    return "\n".join(rows)


def test_readme_rules_table_matches_the_registry() -> None:
    readme = (ROOT / "README.md").read_text()
    start, end = "<!-- rules-table:start -->\n", "\n<!-- rules-table:end -->"
    table = readme[readme.index(start) + len(start) : readme.index(end)]
    assert table == rules_table(), "regenerate the README rules table:\n" + rules_table()


def test_readme_has_the_two_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "pip install . && { hooklint lint fixtures/demo; hooklint explain fixtures/demo; }" in readme
    assert (
        "<!-- test-command -->\n```sh\npython3 -m venv .venv && . .venv/bin/activate && pip install -c requirements/test.txt -e '.[test]' && pytest\n```"
        in readme
    )
