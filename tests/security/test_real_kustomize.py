"""The real kustomize, which fakes cannot stand in for here: it reads a kustomization's keys whatever their case,
so a `Resources:` entry it would fetch must stop the build before kustomize runs."""

from __future__ import annotations

import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from hooklint.cli.main import cli
from hooklint.util import spawn
from tests.realtools.conftest import require

CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: base\n"


@pytest.fixture
def listener() -> Iterator[tuple[int, list[str]]]:
    """A port on the loopback that records each connection it is offered and closes it at once (so a TLS
    client fails at once instead of waiting): (port, one entry per connection)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    offered: list[str] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            offered.append("connected")  # before the close, so before the client can end
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], offered
    finally:
        stop.set()
        thread.join()
        server.close()


@pytest.mark.parametrize("key", ["Resources", "RESOURCES"])
def test_a_resources_key_in_another_case_is_not_built_by_the_real_kustomize(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, listener: tuple[int, list[str]], key: str
) -> None:
    kustomize = require("kustomize")
    port, offered = listener
    url = f"https://127.0.0.1:{port}/all.yaml"
    (tmp_path / "prod").mkdir()
    (tmp_path / "prod" / "kustomization.yaml").write_text(f"{key}:\n- cm.yaml\n- {url}\n")
    (tmp_path / "prod" / "cm.yaml").write_text(CONFIG_MAP)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["lint", "--jobs", "1", "prod"])
    assert result.stderr == (
        f"hooklint: prod is not built: prod/kustomization.yaml has the key {key!r} at line 1, which kustomize "
        "reads as 'resources'; its files are linted as they are\n"
    )
    assert (result.exit_code, offered) == (0, [])
    # The attack is real: kustomize itself, given the folder, fetches the entry.
    built = subprocess.run(
        [kustomize, "build", "--", str(tmp_path / "prod")],
        env=spawn.renderer_environment(),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert (built.returncode, offered) == (1, ["connected"])
