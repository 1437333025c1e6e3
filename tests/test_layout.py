"""The layout holds: no import cycle anywhere in hooklint (imports inside functions included), and a reporter
loads no more of hooklint than the model. The layers themselves are pyproject.toml's import-linter contracts,
which CI runs as `lint-imports`."""

from __future__ import annotations

import subprocess
import sys

import grimp
import networkx as nx

from tests.helpers import ROOT


def test_no_module_of_hooklint_imports_itself_through_others() -> None:
    graph = grimp.build_graph("hooklint")
    imports = nx.DiGraph()
    for module in graph.modules:
        imports.add_edges_from(
            (module, imported) for imported in graph.find_modules_directly_imported_by(module)
        )
    assert sorted(sorted(cycle) for cycle in nx.simple_cycles(imports)) == []


def test_no_rule_module_imports_another() -> None:
    # What two rules share lives beside them (rules/context.py, a family's helper module) or in the plan.
    graph = grimp.build_graph("hooklint")
    rules = {module for module in graph.modules if module.rpartition(".")[2].startswith("hl")}
    assert (
        sorted(
            (module, imported)
            for module in rules
            for imported in graph.find_modules_directly_imported_by(module)
            if imported in rules
        )
        == []
    )


def test_importing_a_reporter_loads_the_model_and_nothing_of_the_engine() -> None:
    code = "import sys, hooklint.report.github; print(' '.join(sorted(m for m in sys.modules if m.startswith('hooklint'))))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert loaded.stdout.split() == [
        "hooklint",
        "hooklint.model",
        "hooklint.report",
        "hooklint.report.github",
        "hooklint.report.summary",
        "hooklint.util",
        "hooklint.util.escape",
        "hooklint.util.frozen",
        "hooklint.util.lazy",
    ]


def test_the_format_registry_the_cli_reads_at_start_up_loads_no_reporter_and_not_the_model() -> None:
    code = "import sys, hooklint.cli.main; print(' '.join(sorted(m for m in sys.modules if m.startswith('hooklint.report') or m == 'hooklint.model')))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert loaded.stdout.split() == ["hooklint.report"]
