"""HL000 unused-suppression (hooklint/rules/annotations/hl000_unused_suppression.py): a suppression that
suppresses nothing, names an unknown rule or lacks the reason the configuration requires."""

from __future__ import annotations

from hooklint.config.settings import ConfigSuppression
from tests.config.suppressed import job, run


def test_unused_suppressions_are_hl000_per_rule() -> None:
    text = job(trailing="  # hooklint: ignore HL101,HL012 -- both")
    assert run({"a.yaml": text}) == [("a.yaml", 7, "HL000", "unused suppression: HL012 reports nothing here")]


def test_unknown_rule_in_a_suppression_is_hl000() -> None:
    text = job(trailing="  # hooklint: ignore HL101,HL999")
    assert run({"a.yaml": text}) == [("a.yaml", 7, "HL000", "suppression names unknown rule 'HL999'")]


def test_suppressions_of_rules_not_run_are_not_unused() -> None:
    assert run({"a.yaml": job(trailing="  # hooklint: ignore HL101, HL206")}) == []


def test_unused_config_suppression_points_at_the_config() -> None:
    entry = ConfigSuppression(rules=("HL101",), name="nothing-matches", line=4)
    found = run({"a.yaml": job()}, suppress=(entry,), source=".hooklint.yaml")
    assert [(p, line, r) for p, line, r, _ in found] == [
        (".hooklint.yaml", 4, "HL000"),
        ("a.yaml", 7, "HL101"),
    ]


def test_require_reason_rejects_suppressions_without_one() -> None:
    found = run({"a.yaml": job(trailing="  # hooklint: ignore HL101")}, require_reason=True)
    assert [(line, r, m) for _, line, r, m in found] == [
        (7, "HL101", found[0][3]),
        (7, "HL000", "suppression without a reason (line): add `-- why`"),
    ]
