"""Running helm and kustomize: which binary, the command line, a timeout, and the output or one error line."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence

from hooklint.discovery import KUSTOMIZATIONS
from hooklint.frozen import frozen


@frozen
class Rendered:
    command: str  # as people would type it, for messages
    output: str


@frozen
class Failed:
    command: str
    error: str  # one line: the tool's first error line, or why it could not run


def helm_command(
    chart: str,
    release: str,
    values: Sequence[str],
    namespace: str | None,
    parameters: Sequence[tuple[str, str, bool]] = (),
) -> list[str] | None:
    """`helm template` as Argo CD runs it, or None when helm is not on PATH. Values files come first, then
    the parameters, which override them (`--set`, or `--set-string` with forceString)."""
    helm = shutil.which("helm")
    if helm is None:
        return None
    # Argo CD renders with --include-crds unless skipCrds is set (util/helm/cmd.go; ARGOCD.md does not cover
    # it), so the chart's crds/ are part of the application.
    command = [helm, "template", release, chart, "--include-crds"]
    if namespace:
        command += ["--namespace", namespace]
    for values_file in values:
        command += ["--values", values_file]
    for name, value, force_string in parameters:
        command += ["--set-string" if force_string else "--set", f"{name}={value}"]
    return command


def kustomize_command(folder: str) -> list[str] | None:
    """`kustomize build`, else `kubectl kustomize`, or None when neither is on PATH."""
    kustomize = shutil.which("kustomize")
    if kustomize is not None:
        return [kustomize, "build", folder]
    kubectl = shutil.which("kubectl")
    if kubectl is not None:
        return [kubectl, "kustomize", folder]
    return None


def kustomization_file(folder: str) -> str | None:
    for name in KUSTOMIZATIONS:
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            return path
    return None


def run(command: Sequence[str], timeout: float) -> Rendered | Failed:
    """Run `command` (no shell, no standard input) and return its standard output, or why it failed."""
    shown = " ".join([os.path.basename(command[0]), *command[1:]])
    try:
        done = subprocess.run(
            list(command), stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return Failed(shown, f"did not finish within {timeout:g} s")
    except OSError as error:
        return Failed(shown, f"cannot run it: {error.strerror or error}")
    if done.returncode != 0:
        return Failed(shown, first_line(done.stderr) or first_line(done.stdout) or f"exit {done.returncode}")
    try:
        return Rendered(shown, done.stdout.decode("utf-8"))
    except UnicodeDecodeError:
        return Failed(shown, "its output is not UTF-8 text")


def first_line(data: bytes) -> str:
    """The tool's first `Error: ` line (warnings may come before it), else its first non-empty line. Helm 4
    writes a template's execution error over several lines, the ones after the first indented (the template
    position, then what it was executing, then why): they are joined into the one line."""
    lines = [line.rstrip() for line in data.decode("utf-8", "replace").splitlines() if line.strip()]
    start = next((n for n, line in enumerate(lines) if line.lstrip().startswith("Error: ")), None)
    if start is None:
        return lines[0].strip() if lines else ""
    end = start + 1
    while end < len(lines) and lines[end][:1].isspace():
        end += 1
    return " ".join(line.strip() for line in lines[start:end]).removeprefix("Error: ")
