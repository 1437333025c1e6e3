"""Baselines: record today's findings, then report only new ones, matched without line numbers."""

from __future__ import annotations

import json
import re
from collections import Counter, deque
from collections.abc import Sequence

from hooklint.config.settings import ConfigError
from hooklint.model import Finding
from hooklint.util import jsontext
from hooklint.util.frozen import frozen

# File positions inside messages ("apps/x.yaml:12") move with every edit above them. A position is a run of
# non-space characters up to its last `.yaml:LINE[:COLUMN]`, found in one pass over the run: the pattern
# `\S+\.ya?ml:\d+` tried at each start of a long run took time quadratic in it.
_RUN = re.compile(r"\S+")
_POSITION_END = re.compile(r"\.ya?ml:\d+(?::\d+)?")


@frozen
class Entry:
    rule: str
    resource: str  # group/kind/namespace/name, or the file for findings without an object
    message: str

    def to_json(self) -> dict[str, str]:
        return {"rule": self.rule, "resource": self.resource, "message": self.message}


def entry(finding: Finding) -> Entry:
    ref = finding.resource
    identity = f"{ref.group}/{ref.kind}/{ref.namespace}/{ref.name}" if ref else finding.span.path
    message = " ".join(_RUN.sub(_without_position, finding.message).split())
    return Entry(finding.rule, identity, message)


def _without_position(run: re.Match[str]) -> str:
    text = run.group()
    last = deque(_POSITION_END.finditer(text, 1), maxlen=1)
    return text if not last else "<file>" + text[last[0].end() :]


def write(path: str, findings: Sequence[Finding]) -> None:
    entries = sorted((entry(f) for f in findings), key=lambda e: (e.rule, e.resource, e.message))
    document = {"version": 1, "findings": [e.to_json() for e in entries]}
    from hooklint.util import reportfile

    reportfile.write(path, jsontext.dumps(document))


def read(path: str) -> list[Entry]:
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
        return [Entry(str(e["rule"]), str(e["resource"]), str(e["message"])) for e in document["findings"]]
    except OSError as error:
        raise ConfigError(f"cannot read the baseline {path}: {error.strerror}") from None
    except (ValueError, KeyError, TypeError) as error:
        raise ConfigError(f"{path}: not a hooklint baseline ({error})") from None


def subtract(findings: Sequence[Finding], baseline: Sequence[Entry]) -> tuple[list[Finding], list[Entry]]:
    """Findings not in the baseline (each entry absorbs one finding), and the entries nothing matched."""
    remaining = Counter(baseline)
    new = []
    for finding in findings:
        key = entry(finding)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            new.append(finding)
    stale = [e for e, count in remaining.items() for _ in range(count)]
    return new, stale
