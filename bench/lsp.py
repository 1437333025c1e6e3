"""The language server's latency, as an editor sees it: `hooklint lsp` started over stdio on a generated
application (200 resources in 40 files by default), one file opened, then N edits. For each edit: the time
from the client's didChange to the publishDiagnostics of that version, and from a hover request to its
response. Prints the medians (and the 90th percentiles).

    python bench/lsp.py                      # 40 files of 5 resources, 50 edits, no debounce
    python bench/lsp.py --debounce 100       # with the default debounce of the server (docs/lsp.md)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

FILE = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: config-{n}
  namespace: bench
  annotations:
    argocd.argoproj.io/sync-wave: "{wave}"
data:
  LEVEL: info
---
apiVersion: v1
kind: Secret
metadata:
  name: secret-{n}
  namespace: bench
type: Opaque
stringData:
  TOKEN: t
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{n}
  namespace: bench
  annotations:
    argocd.argoproj.io/sync-wave: "{next}"
spec:
  selector:
    matchLabels: {{app: app-{n}}}
  template:
    metadata:
      labels: {{app: app-{n}}}
    spec:
      serviceAccountName: default
      containers:
        - name: app
          image: registry.example.com/app:{n}.0.0
          envFrom:
            - configMapRef: {{name: config-{n}}}
            - secretRef: {{name: secret-{n}}}
---
apiVersion: v1
kind: Service
metadata:
  name: app-{n}
  namespace: bench
spec:
  selector: {{app: app-{n}}}
  ports: [{{port: 80}}]
---
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate-{n}
  namespace: bench
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation
spec:
  backoffLimit: 1
  activeDeadlineSeconds: 300
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: registry.example.com/migrate:{n}.0.0
          envFrom:
            - configMapRef: {{name: config-{n}}}
"""


def generate(folder: Path, files: int) -> None:
    for n in range(files):
        wave = n % 5
        (folder / f"part-{n:02}.yaml").write_text(FILE.format(n=n, wave=wave, next=wave + 1), "utf-8")


class Client:
    """A bare LSP client over the server's stdin and stdout."""

    def __init__(self, folder: Path, debounce: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "hooklint", "lsp"],
            cwd=folder,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.next_id = 0
        self.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": folder.as_uri(),
                "capabilities": {},
                "initializationOptions": {"debounceMs": debounce},
            },
        )
        self.notify("initialized", {})

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def receive(self) -> dict[str, Any]:
        stream = self.process.stdout
        assert stream is not None
        length = 0
        while True:
            line = stream.readline()
            if not line:
                raise RuntimeError("the server ended")
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        message: dict[str, Any] = json.loads(stream.read(length))
        return message

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: dict[str, Any]) -> Any:
        self.next_id += 1
        number = self.next_id
        self.send({"id": number, "method": method, "params": params})
        while True:
            message = self.receive()
            if message.get("id") == number and "method" not in message:
                return message.get("result")
            if "method" in message and "id" in message:  # a request of the server's: answer it
                self.send({"id": message["id"], "result": None})

    def diagnostics(self, uri: str, version: int) -> list[Any]:
        while True:
            message = self.receive()
            if message.get("method") == "textDocument/publishDiagnostics":
                params = message["params"]
                if params["uri"] == uri and params.get("version") == version:
                    return list(params["diagnostics"])
            elif "method" in message and "id" in message:
                self.send({"id": message["id"], "result": None})

    def close(self) -> None:
        self.request("shutdown", {})
        self.notify("exit", {})
        self.process.wait(timeout=10)


def measure(files: int, edits: int, debounce: int) -> tuple[list[float], list[float], int]:
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        generate(folder, files)
        path = folder / "part-07.yaml"
        uri = path.as_uri()
        text = path.read_text("utf-8")
        client = Client(folder, debounce)
        client.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}},
        )
        found = len(client.diagnostics(uri, 1))
        line = text.splitlines().index("kind: Deployment")
        edit_times, hover_times = [], []
        for version in range(2, edits + 2):
            # Each edit changes the Deployment's wave, which moves it in the plan.
            edited = text.replace('sync-wave: "3"', f'sync-wave: "{version % 7}"')
            start = time.perf_counter()
            client.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": edited}]},
            )
            client.diagnostics(uri, version)
            edit_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            hover = client.request(
                "textDocument/hover",
                {"textDocument": {"uri": uri}, "position": {"line": line, "character": 2}},
            )
            hover_times.append(time.perf_counter() - start)
            assert hover is not None and "step" in hover["contents"]["value"]
        client.close()
        return edit_times, hover_times, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=40, help="files of 5 resources each (default 40)")
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument("--debounce", type=int, default=0, help="the server's debounceMs (default 0)")
    options = parser.parse_args()
    edit_times, hover_times, found = measure(options.files, options.edits, options.debounce)

    def show(times: list[float]) -> str:
        ordered = sorted(times)
        tenth = ordered[int(len(ordered) * 0.9) - 1]
        return f"median {statistics.median(times) * 1000:.1f} ms, p90 {tenth * 1000:.1f} ms"

    print(
        f"{options.files * 5} resources in {options.files} files, {options.edits} edits, "
        f"debounce {options.debounce} ms ({found} diagnostics in the edited file)"
    )
    print(f"diagnostics after an edit: {show(edit_times)}")
    print(f"hover: {show(hover_times)}")


if __name__ == "__main__":
    main()
