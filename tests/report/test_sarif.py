"""The sarif format (hooklint/report/sarif.py): valid SARIF 2.1.0 with rules, regions, related places and help."""

from __future__ import annotations

import json

from hooklint.report import reporter
from hooklint.rules import ALL_RULES
from tests.helpers import SARIF_SCHEMA
from tests.report.sample import summary


def test_sarif_is_valid_2_1_0_with_rules_regions_and_related_locations() -> None:
    document = json.loads(reporter("sarif")(summary(), ALL_RULES))
    from jsonschema import Draft4Validator

    errors = list(Draft4Validator(json.loads(SARIF_SCHEMA.read_text())).iter_errors(document))
    assert errors == []
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.id for r in ALL_RULES]
    hl101 = next(r for r in rules if r["id"] == "HL101")
    assert (
        hl101["helpUri"]
        == "https://hooklint.github.io/hooklint/rules/HL101-named-hook-without-before-hook-creation/"
    )
    assert run["results"][1] == {
        "ruleId": "HL201",
        "level": "warning",
        "message": {"text": "needs ConfigMap/x, applied later: a,b"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": "apps/job.yaml"},
                    "region": {"startLine": 6, "startColumn": 5, "endLine": 6, "endColumn": 42},
                }
            }
        ],
        "ruleIndex": [r.id for r in ALL_RULES].index("HL201"),
        "relatedLocations": [
            {
                "id": 1,
                "physicalLocation": {
                    "artifactLocation": {"uri": "apps/cm.yaml"},
                    "region": {"startLine": 3, "startColumn": 9, "endLine": 3, "endColumn": 10},
                },
                "message": {"text": "ConfigMap/x is here"},
            }
        ],
    }
    assert run["results"][2]["level"] == "note"


def test_sarif_rules_carry_their_page_as_help_and_a_security_severity_for_hl3xx() -> None:
    from hooklint.report.pages import user_page
    from tests.helpers import ROOT

    rules = json.loads(reporter("sarif")(summary(), ALL_RULES))["runs"][0]["tool"]["driver"]["rules"]
    hl101 = next(r for r in rules if r["id"] == "HL101")
    page = ROOT / "hooklint" / "pages" / "HL101-named-hook-without-before-hook-creation.md"
    assert hl101["help"] == {
        "text": "A named hook whose explicit delete policies lack BeforeHookCreation: the next sync applies "
        "over the leftover. See https://hooklint.github.io/hooklint/rules/HL101-named-hook-without-before-hook-creation/",
        "markdown": user_page(
            page.read_text(), "rules/HL101-named-hook-without-before-hook-creation.md", absolute=True
        ),
    }
    markdown = hl101["help"]["markdown"]
    assert markdown.startswith("# HL101 named-hook-without-before-hook-creation\n")
    assert ("# expect:" in markdown, "yaml bad file=" in markdown) == (False, False)
    security = {r["id"]: r["properties"] for r in rules if "properties" in r}
    assert security == {
        "HL301": {"tags": ["security"], "security-severity": "5.0"},
        "HL302": {"tags": ["security"], "security-severity": "8.0"},
        "HL303": {"tags": ["security"], "security-severity": "2.0"},
        "HL304": {"tags": ["security"], "security-severity": "5.0"},
        "HL305": {"tags": ["security"], "security-severity": "8.0"},
    }
