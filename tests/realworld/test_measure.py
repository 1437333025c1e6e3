"""The real-world set, measured with helm on PATH and without: no rule may fall below the precision and
recall recorded in figures.json. A change that improves a figure records it with
`python -m tests.realworld.measure --helm --update-figures` (and `--no-helm`, and `--corpus`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hooklint.rules import ALL_RULES
from tests.helpers import CORPUS
from tests.realtools.conftest import require
from tests.realworld import measure


def recorded(mode: str) -> dict[str, dict[str, float]]:
    figures: dict[str, dict[str, dict[str, float]]] = json.loads(measure.FIGURES.read_text(encoding="utf-8"))
    return figures[mode]


@pytest.mark.parametrize(
    ("helm", "corpus"), [(True, False), (False, False), (True, True)], ids=["helm", "no-helm", "corpus"]
)
def test_no_rule_falls_below_its_recorded_precision_and_recall(helm: bool, corpus: bool) -> None:
    require("helm")  # with helm hidden, kustomize still comes from the same folder
    require("kustomize")
    base, labels = (CORPUS, measure.CORPUS_LABELS) if corpus else (measure.HERE, measure.LABELS)
    now = measure.figures(measure.measure(base, labels, helm))
    before = recorded(measure.mode_name(helm, corpus))
    worse = [
        f"{rule} {metric} {before[rule][metric]} -> {now.get(rule, {}).get(metric, 'absent')}"
        for rule in before
        for metric in ("precision", "recall")
        if now.get(rule, {}).get(metric, 1.0 if metric == "precision" else 0.0) < before[rule][metric]
    ]
    new = [f"{rule} {now[rule]}" for rule in now if rule not in before and now[rule]["precision"] < 1.0]
    assert (worse, new) == ([], [])


@pytest.mark.parametrize("labels_file", [measure.LABELS, measure.CORPUS_LABELS], ids=["realworld", "corpus"])
def test_every_label_names_a_known_rule_or_a_pending_one(labels_file: Path) -> None:
    pending, _, labels = measure.read_labels(labels_file)
    known = {rule.id for rule in ALL_RULES} | set(pending)
    unknown = sorted({label.key.rule for file in labels.values() for label in file} - known)
    assert unknown == []
