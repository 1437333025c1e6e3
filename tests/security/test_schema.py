"""helm checks no values schema: it would fetch what the schema refers to, over the network and on the
machine."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from typing import ClassVar

import pytest

from tests.security.harness import Sandbox, planned
from tests.security.test_tools import CHART_YAML, RENDERED, TEMPLATE, chart, lint


def test_a_helm_without_the_schema_flag_reads_the_chart_without_it(box: Sandbox) -> None:
    chart(box, RENDERED)
    box.tool("helm", stderr="Error: unknown flag: --skip-schema-validation\n", code=1)
    code, lines, stderr = lint(box, "shop")
    assert (code, lines) == (0, [])
    assert stderr == (
        "hooklint: this helm has no --skip-schema-validation (helm 3.16 and later have it), so shop is read "
        "without it: template actions are placeholders, and findings say so\n"
    )


# With the real helm: what the schema would have let in -------------------------------------


class _Counting(http.server.BaseHTTPRequestHandler):
    asked: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.asked.append(self.path)
        body = b'{"type": "object", "required": ["stolen"]}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def schema_server() -> Iterator[str]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Counting)
    _Counting.asked = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_helm_fetches_nothing_a_values_schema_refers_to(helm_box: Sandbox, schema_server: str) -> None:
    # Before: helm fetched the schema over HTTP and read the file:// one, and failed on the values they
    # require (HL003 quoting them).
    box = helm_box
    (box.outside / "schema.json").write_text('{"type": "object", "required": ["stolen"]}')
    schema = {
        "allOf": [{"$ref": f"{schema_server}/schema.json"}, {"$ref": f"file://{box.outside}/schema.json"}]
    }
    box.write("shop/Chart.yaml", CHART_YAML)
    box.write("shop/templates/cm.yaml", TEMPLATE)
    box.write("shop/values.schema.json", json.dumps(schema))
    objects, stderr = planned(box, "shop")
    assert (objects, stderr, _Counting.asked) == (["ConfigMap/shop"], "", [])
