"""--statistics: how many findings each rule has, most first, in text (count, id and name, tab-separated) or
JSON."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from hooklint.model import Finding
from hooklint.util import jsontext


def counts(findings: Sequence[Finding]) -> list[tuple[int, str, str]]:
    """(count, rule id, rule name) per rule with findings: the largest count first, then by id."""
    counted = Counter((finding.rule, finding.name) for finding in findings)
    return sorted(((n, rule, name) for (rule, name), n in counted.items()), key=lambda row: (-row[0], row[1]))


def render(findings: Sequence[Finding], output_format: str) -> str:
    rows = counts(findings)
    if output_format == "json":
        return jsontext.dumps([{"count": n, "rule": rule, "name": name} for n, rule, name in rows])
    width = len(str(rows[0][0])) if rows else 1
    # Ids and names are the registry's own: nothing in them to escape.
    return "".join(f"{n:>{width}}\t{rule}\t{name}\n" for n, rule, name in rows)
