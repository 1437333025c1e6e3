"""Output injection: names and values from a hostile repository (object names, annotation values, file and
folder names) go through every format of lint and every format and question of explain, and every result
still parses as its format, shows no raw control character and starts no line GitHub reads as a workflow
command that hooklint did not mean."""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree

import click
import pytest

from hooklint.cli.main import cli
from tests.helpers import SARIF_SCHEMA
from tests.security.harness import Sandbox

# ESC[31m, an OSC 8 hyperlink, BEL, CR, a newline that starts a workflow command, backticks, a pipe, XML's
# specials, characters XML 1.0 forbids and a quote.
HOSTILE = 'a\x1b[31mb\x1b]8;;https://evil.example/\x07link\x1b]8;;\x07\x07\r\n::error::pwned`|<&\x0b\x1f"q'
SHOWN = "a\\x1b[31mb\\x1b]8;;https://evil.example/\\x07link\\x1b]8;;\\x07\\x07\\r\\n::error::pwned"
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# The one line hooklint means as a workflow command: an annotation in its github format.
ANNOTATION = re.compile(r"::(error|warning|notice) ([^:]*)::([^\r\n]*)")
CHART = "charts/c\x1b]8;;x\x07\n::error::helm"
PROPERTIES = {"file", "line", "col", "endLine", "endColumn", "title"}


def _choices(command: str, option: str) -> list[str]:
    found = cli.commands[command]  # type: ignore[attr-defined]
    param = next(p for p in found.params if p.name == option)
    assert isinstance(param.type, click.Choice)
    return list(param.type.choices)


LINT_FORMATS = _choices("lint", "formats")
EXPLAIN_FORMATS = _choices("explain", "output_format")
QUESTIONS = {
    "plan": [],
    "timeline": ["--timeline"],
    "selective": ["--selective"],
    "selective-timeline": ["--selective", "--timeline"],
    "fail": ["--fail", "Deployment/api"],
    "selective-fail": ["--selective", "--fail", "Deployment/api"],
    "delete": ["--delete"],
    "delete-fail": ["--delete", "--fail", "Deployment/api"],
}


def _write(box: Sandbox) -> None:
    name = json.dumps(HOSTILE)
    box.write(
        "apps/hooks.yaml",
        f"""apiVersion: batch/v1
kind: Job
metadata:
  name: {name}
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: {json.dumps("HookSucceded" + HOSTILE)}
spec:
  template:
    spec:
      containers: [{{name: c, image: busybox}}]
      restartPolicy: Never
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}
  namespace: {name}
  annotations:
    argocd.argoproj.io/sync-wave: "1"
    argocd.argoproj.io/sync-options: {name}
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: api}}
spec:
  selector: {{matchLabels: {{app: api}}}}
  template:
    metadata: {{labels: {{app: api}}}}
    spec:
      containers: [{{name: c, image: busybox}}]
""",
    )
    # A file whose name holds a newline and a workflow command, with a finding in it.
    box.write(
        "apps/x\x1b[31m`|\n::error::file.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n  annotations:\n"
        "    argocd.argoproj.io/hook: PreSyncc\n",
    )
    # A chart folder, given as a path, whose name reaches the note that helm is missing.
    box.write(f"{CHART}/Chart.yaml", "apiVersion: v2\nname: c\nversion: 1.0.0\n")
    box.write(f"{CHART}/templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    (box.bin / "helm").unlink()


def _lines_are_meant(output: str, annotations: bool = False) -> None:
    """No raw control character, and no line a GitHub runner reads as a command unless it is one of
    hooklint's annotations, whose properties hold no separator and whose data holds no line break."""
    assert RAW_CONTROL.search(output) is None
    for line in output.split("\n"):
        if not line.lstrip().startswith("::"):
            continue
        matched = ANNOTATION.fullmatch(line) if annotations else None
        assert matched is not None, line
        for item in matched.group(2).split(","):
            key, _, value = item.partition("=")
            assert key in PROPERTIES and "," not in value and ":" not in value, item


def _markdown_tables(output: str) -> None:
    """Every row of every table has as many cells as its header (a pipe in a value is escaped)."""
    lines = output.split("\n")
    width = 0
    for number, line in enumerate(lines):
        cells = len(re.split(r"(?<!\\)\|", line))
        if line.startswith("|") and number + 1 < len(lines) and lines[number + 1].startswith("|---"):
            width = cells
        elif line.startswith("|"):
            assert cells == width, line


def _strings(value: object) -> list[str]:
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return [value] if isinstance(value, str) else []


def _check(output_format: str, output: str, shown: bool) -> None:
    """`shown`: the hostile name is sure to be in this output (not every question's answer names it)."""
    if output_format in ("json", "gitlab", "sarif"):
        document = json.loads(output)
        # JSON carries the value exactly as it was, escaped by json.
        assert not shown or any(HOSTILE in text for text in _strings(document))
        if output_format == "sarif":
            from jsonschema import Draft4Validator

            assert list(Draft4Validator(json.loads(SARIF_SCHEMA.read_text())).iter_errors(document)) == []
        return
    if output_format == "junit":
        root = ElementTree.fromstring(output.encode())
        # In a failure, or in a passing case's output when the finding is below --fail-on.
        told = [*root.iter("failure"), *root.iter("system-out")]
        assert any(SHOWN in (element.text or "") for element in told)
    elif output_format == "markdown":
        _markdown_tables(output)
    elif output_format == "mermaid":
        assert all(line.count('"') % 2 == 0 for line in output.split("\n"))
    assert not shown or SHOWN in output
    _lines_are_meant(output, annotations=output_format == "github")


@pytest.mark.parametrize("output_format", LINT_FORMATS)
def test_hostile_names_and_values_cannot_inject_into_lint_output(box: Sandbox, output_format: str) -> None:
    _write(box)
    result = box.run(
        ["lint", "--jobs", "1", "--format", output_format, "apps", CHART], env={"GITHUB_ACTIONS": "true"}
    )
    assert result.code == 1
    _check(output_format, result.stdout, shown=output_format != "junit")
    _lines_are_meant(result.stderr)
    assert (
        "hooklint: helm is not on PATH, so charts/c\\x1b]8;;x\\x07\\n::error::helm is read without it: "
        "template actions are placeholders, and findings say so\n"
    ) in result.stderr


@pytest.mark.parametrize("question", list(QUESTIONS))
@pytest.mark.parametrize("output_format", EXPLAIN_FORMATS)
def test_hostile_names_and_values_cannot_inject_into_explain_output(
    box: Sandbox, output_format: str, question: str
) -> None:
    _write(box)
    result = box.run(
        ["explain", "--format", output_format, *QUESTIONS[question], "apps"], env={"GITHUB_ACTIONS": "true"}
    )
    assert result.code == 0, result.stderr
    _check(output_format, result.stdout, shown=question == "plan" and output_format in ("text", "json"))
    _lines_are_meant(result.stderr)
