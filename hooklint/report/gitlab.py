"""GitLab Code Quality JSON, with fingerprints that survive edits elsewhere in the file."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence

from hooklint.model import Rule, Severity, stable_entry
from hooklint.report.summary import Summary, display_path
from hooklint.util import jsontext

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def render(summary: Summary, rules: Sequence[Rule]) -> str:
    seen: Counter[str] = Counter()
    issues = []
    for finding in summary.findings:
        key = stable_entry(finding)
        # The same rule, object and message (line numbers left out), numbered when it repeats.
        identity = f"{key.rule}\0{key.resource}\0{key.message}"
        seen[identity] += 1
        fingerprint = hashlib.sha256(f"{identity}\0{seen[identity]}".encode()).hexdigest()
        issues.append(
            {
                "description": f"{finding.rule} {finding.name}: {finding.message}",
                "check_name": finding.rule,
                "fingerprint": fingerprint,
                "severity": SEVERITIES[finding.severity],
                "location": {"path": display_path(finding.span.path), "lines": {"begin": finding.span.line}},
            }
        )
    return jsontext.dumps(issues)
