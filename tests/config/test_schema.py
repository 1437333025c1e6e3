"""The configuration's JSON Schema: its $id, `hooklint schema`, the copy in docs/ that editors fetch, and the
README's example, which it accepts."""

from __future__ import annotations

import json
import sys

import yaml
from jsonschema import Draft7Validator

from hooklint.config.file import schema
from hooklint.rules import ALL_RULES
from hooklint.util import jsontext
from tests.cli.test_controls import HL103_JSON
from tests.helpers import ROOT, invoke

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib


def test_hooklint_schema_prints_the_schema_with_every_rules_options() -> None:
    code, out, err = invoke(["schema"])
    document = json.loads(out)
    assert (code, err, out) == (0, "", jsontext.dumps(schema(ALL_RULES)))
    Draft7Validator.check_schema(document)
    assert document["properties"]["options"]["properties"]["HL103"] == HL103_JSON["options"]
    assert document["properties"]["options"]["properties"]["hook-job-backoff-limit"]["properties"]["max"]


def test_the_schema_id_is_the_projects_url_of_the_copy_in_docs() -> None:
    homepage = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]["Homepage"]
    identifier = schema(ALL_RULES)["$id"]
    assert identifier == f"{homepage}/raw/main/docs/config.schema.json"
    copy = ROOT / identifier.removeprefix(f"{homepage}/raw/main/")
    assert copy.read_text() == invoke(["schema"])[1], "regenerate it: python -m tests.regen_readme"


def _readme_example() -> object:
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Configuration") :]
    start = section.index("```yaml\n") + len("```yaml\n")
    return yaml.safe_load(section[start : section.index("```\n", start)])


def test_the_schema_accepts_the_readme_example_and_refuses_an_unknown_option() -> None:
    validator = Draft7Validator(schema(ALL_RULES))
    example = _readme_example()
    assert list(validator.iter_errors(example)) == []
    wrong = {"options": {"HL103": {"maximum": 3}}}
    assert [error.message for error in validator.iter_errors(wrong)] == [
        "Additional properties are not allowed ('maximum' was unexpected)"
    ]
