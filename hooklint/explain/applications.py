"""Several applications' plans in one answer (a repository of many), each under its name."""

from __future__ import annotations

import json
from collections.abc import Sequence

from hooklint.util import jsontext
from hooklint.util.escape import code_span, terminal
from hooklint.util.frozen import frozen


@frozen
class Shown:
    """One application's plan as rendered alone, with its name (its Application's, else its folder's) and
    its folder."""

    name: str
    path: str
    rendered: str


def render_all(shown: Sequence[Shown], output_format: str) -> str:
    """The plans one after the other (text, markdown), or one JSON document listing them."""
    if output_format == "json":
        document = {
            "version": 1,
            "applications": [
                {"name": one.name, "path": one.path, "plan": json.loads(one.rendered)} for one in shown
            ],
        }
        return jsontext.dumps(document)
    parts = []
    for one in shown:
        if output_format == "markdown":
            where = "" if one.name == one.path else f" ({code_span(one.path)})"
            parts.append(f"## Application {code_span(one.name)}{where}\n\n{one.rendered}")
        else:
            where = "" if one.name == one.path else f" ({terminal(one.path)})"
            parts.append(f"Application {terminal(one.name)}{where}\n\n{one.rendered}")
    return "\n".join(parts)
