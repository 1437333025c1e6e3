"""Baselines: record today's findings, then report only new ones, matched without line numbers."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

from hooklint.config.settings import ConfigError
from hooklint.model import Finding, StableEntry, stable_entry
from hooklint.util import jsontext


def write(path: str, findings: Sequence[Finding]) -> None:
    entries = sorted((stable_entry(f) for f in findings), key=lambda e: (e.rule, e.resource, e.message))
    document = {"version": 1, "findings": [e.to_json() for e in entries]}
    from hooklint.util import reportfile

    reportfile.write(path, jsontext.dumps(document))


def read(path: str) -> list[StableEntry]:
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
        return [
            StableEntry(str(e["rule"]), str(e["resource"]), str(e["message"])) for e in document["findings"]
        ]
    except OSError as error:
        raise ConfigError(f"cannot read the baseline {path}: {error.strerror}") from None
    except (ValueError, KeyError, TypeError) as error:
        raise ConfigError(f"{path}: not a hooklint baseline ({error})") from None


def subtract(
    findings: Sequence[Finding], baseline: Sequence[StableEntry]
) -> tuple[list[Finding], list[StableEntry]]:
    """Findings not in the baseline (each entry absorbs one finding), and the entries nothing matched."""
    remaining = Counter(baseline)
    new = []
    for finding in findings:
        key = stable_entry(finding)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            new.append(finding)
    stale = [e for e, count in remaining.items() for _ in range(count)]
    return new, stale
