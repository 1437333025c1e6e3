"""Hostile and broken input: each gives a finding or a normal result, never a traceback or runaway memory."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from hooklint.cli.main import cli
from hooklint.manifests.parse import load_bytes, load_text
from hooklint.sources.load import load

POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n"


def test_a_huge_flow_list_is_refused_before_it_is_composed() -> None:
    result = load_text("f.yaml", "[" + "1," * 2_500_000 + "1]\n")
    assert [(p.rule, p.span.line, p.span.column, p.message) for p in result.problems] == [
        (
            "HL001",
            1,
            1_000_000,
            "invalid YAML: more than 500,000 nodes in one file (hooklint reads at most that many: split it)",
        )
    ]


def test_a_50_mb_single_line_value_is_read_normally() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata: {v: '" + "x" * 50_000_000 + "'}\n"
    result = load_text("f.yaml", text)
    assert (result.problems, [r.name for r in result.resources]) == ((), ["big"])


def test_a_file_of_55000_tiny_documents_is_read() -> None:
    # 495,000 nodes: just under the most a file may hold.
    text = "".join(f"---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c{i}}}\n" for i in range(55_000))
    result = load_text("f.yaml", text)
    assert (len(result.resources), result.resources[-1].index, result.problems) == (55_000, 54_999, ())


def _block(levels: int) -> str:
    body = "".join("  " * (i + 1) + f"k{i}:\n" for i in range(levels)) + "  " * (levels + 1) + "v\n"
    return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n" + body


def _flow(levels: int) -> str:
    return "a: 1\n---\napiVersion: v1\nkind: ConfigMap\ndata: " + "[" * levels + "]" * levels + "\n"


DEEP = "invalid YAML: nested deeper than 200 levels"


# Below libyaml's own limit (1000 levels in the releases that have one) hooklint's bound strikes while
# building data; above it the composer gives up first, and composers without a limit would overflow the C
# stack (PyYAML before 6.0.4 crashes at 100,000 levels). Either way the finding is hooklint's, at the
# collection that crosses 200 levels.
@pytest.mark.parametrize(
    ("text", "where"),
    [
        pytest.param(_block(250), (205, 403), id="block-250"),
        pytest.param(_block(10_000), (205, 403), id="block-10000"),
        pytest.param(_flow(250), (5, 207), id="flow-250"),
        pytest.param(_flow(100_000), (5, 207), id="flow-100000"),
        pytest.param(
            "kind: List\nitems:\n" + "- " * 100_000 + "x\n", (3, 401), id="compact-sequences-100000"
        ),
    ],
)
def test_deep_nesting_is_hooklints_finding_whatever_stops_the_composer(
    text: str, where: tuple[int, int]
) -> None:
    result = load_text("f.yaml", text)
    deep = [(p.rule, p.span.line, p.span.column, p.message) for p in result.problems if p.rule == "HL001"]
    assert deep == [("HL001", *where, DEEP)]


def test_deep_nesting_is_hooklints_finding_when_the_composer_words_its_own_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A libyaml release with a lower limit and other words than today's must not change the finding.
    def refuses(text: str, Loader: object) -> Iterator[object]:
        raise yaml.composer.ComposerError(
            None, None, "too deep for this release", yaml.Mark("", 0, 40, 90, "", 0)
        )
        yield

    monkeypatch.setattr(yaml, "compose_all", refuses)
    result = load_text("f.yaml", _block(10_000))
    assert [(p.rule, p.span.line, p.span.column, p.message) for p in result.problems] == [
        ("HL001", 205, 403, DEEP)
    ]


def test_utf16_and_random_binary_are_findings() -> None:
    assert [p.rule for p in load_bytes("f.yaml", POD.format(name="p").encode("utf-16")).problems] == ["HL001"]
    assert [p.rule for p in load_bytes("f.yaml", bytes(range(256)) * 4).problems] == ["HL001"]


def test_symlink_loops_and_links_out_of_the_folder_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text(POD.format(name="outside"))
    root = tmp_path / "app"
    root.mkdir()
    (root / "pod.yaml").write_text(POD.format(name="inside"))
    os.symlink(root, root / "loop")
    os.symlink(outside, root / "elsewhere")
    os.symlink(outside / "secret.yaml", root / "linked.yaml")
    result = load([str(root)])
    assert [r.name for r in result.resources] == ["inside"]
    assert sorted((s.path.rsplit("/", 1)[-1], s.reason) for s in result.skipped) == [
        ("elsewhere", "a symbolic link: not followed"),
        ("linked.yaml", "a symbolic link: not followed"),
        ("loop", "a symbolic link: not followed"),
    ]
    result = CliRunner().invoke(cli, ["lint", "-v", str(root)])
    assert result.exit_code == 0
    assert f"hooklint: left out {root}/loop: a symbolic link: not followed" in result.stderr


def test_python_tags_in_a_whole_run_are_data(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: evil}\n"
        f"data:\n  x: !!python/object/apply:os.system ['touch {marker}']\n"
    )
    (tmp_path / "evil.yaml").write_text(text)
    for command in ("lint", "explain"):
        assert CliRunner().invoke(cli, [command, str(tmp_path)]).exit_code in (0, 1)
    assert not marker.exists()


def test_hostile_files_in_a_repository_of_applications_are_findings_in_every_worker(tmp_path: Path) -> None:
    apps = tmp_path / "apps"
    for name in ("good", "bad"):
        (apps / name).mkdir(parents=True)
        (apps / name / "pod.yaml").write_text(POD.format(name=name))
    bad = apps / "bad"
    (bad / "binary.yaml").write_bytes(bytes(range(256)) * 4)
    (bad / "bomb.yaml").write_text(
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(6)
        )
    )
    (bad / "deep.yaml").write_text("a:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(500)))
    (bad / "latin1.yaml").write_bytes("metadata: {name: caf\xe9}\n".encode("latin-1"))
    os.symlink(bad, bad / "loop")
    outputs = []
    for jobs in ("1", "2"):
        result = CliRunner().invoke(
            cli, ["lint", "-v", "--format", "json", "--applications", "apps/*", "--jobs", jobs, str(tmp_path)]
        )
        outputs.append((result.exit_code, result.stdout, result.stderr))
    assert outputs[0] == outputs[1]
    code, stdout, stderr = outputs[0]
    found = [(f["rule"], f["file"].rsplit("/", 1)[-1], f["message"]) for f in json.loads(stdout)["findings"]]
    assert code == 1
    assert [(rule, name) for rule, name, _ in found] == [
        ("HL001", "binary.yaml"),
        ("HL001", "bomb.yaml"),
        ("HL001", "deep.yaml"),
        ("HL001", "latin1.yaml"),
    ]
    assert "expands to" in found[1][2] and "nested deeper than 200 levels" in found[2][2]
    assert stderr == f"hooklint: left out {bad}/loop: a symbolic link: not followed\n"
