"""Starting helm, kustomize, kubectl and git: each in a process group of its own, which a timeout kills whole,
with an environment that holds what the tool needs and nothing that grants access (tokens, cloud keys)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from hooklint.util.frozen import frozen

if TYPE_CHECKING:
    import subprocess

# Kept from hooklint's own environment: where programs are, the user's home (git reads its configuration
# there) and the locale. Tokens, cloud credentials, proxies and KUBECONFIG stay behind.
_KEPT = frozenset({"PATH", "HOME", "LANG", "LANGUAGE"})
# A folder under a device file can be neither read nor created: empty for good, with nothing written outside
# the repository to make it so.
_NOWHERE = os.path.join(os.devnull, "hooklint")


@frozen
class Finished:
    code: int
    stdout: bytes
    stderr: bytes


def environment(**extra: str) -> dict[str, str]:
    """The variables a tool inherits: PATH, HOME and the locale, then `extra`."""
    kept = {name: value for name, value in os.environ.items() if name in _KEPT or name.startswith("LC_")}
    return {**kept, **extra}


def renderer_environment() -> dict[str, str]:
    """For helm and kustomize, which read files a pull request wrote. git, which kustomize runs for remote
    bases, may use no transport (GIT_ALLOW_PROTOCOL lists only a protocol that does not exist) and reads no
    configuration of the user's (credential helpers, URL rewrites). helm's repositories, cache, configuration,
    plugins and registry logins, and kustomize's plugins and configuration, are places that hold nothing."""
    nowhere = {name: os.path.join(_NOWHERE, name.lower()) for name in _EMPTY_FOLDERS}
    return environment(
        GIT_ALLOW_PROTOCOL="none",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_TERMINAL_PROMPT="0",
        HELM_REPOSITORY_CONFIG=os.devnull,
        HELM_REGISTRY_CONFIG=os.devnull,
        **nowhere,
    )


_EMPTY_FOLDERS = (
    "HELM_CACHE_HOME",
    "HELM_CONFIG_HOME",
    "HELM_DATA_HOME",
    "HELM_PLUGINS",
    "HELM_REPOSITORY_CACHE",
    "KUSTOMIZE_PLUGIN_HOME",
    "XDG_CACHE_HOME",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
)


def execute(
    command: Sequence[str],
    timeout: float,
    env: Mapping[str, str],
    cwd: str | None = None,
    data: bytes | None = None,
) -> Finished:
    """Run `command` (no shell) in a new session, `data` on its standard input (else none), and wait for it.
    Past `timeout` seconds its whole process group is killed and subprocess.TimeoutExpired raised; OSError
    when it cannot start."""
    import subprocess  # only runs that start a tool need it: no start-up cost for the others

    process = subprocess.Popen(
        list(command),
        cwd=cwd,
        env=dict(env),
        stdin=subprocess.DEVNULL if data is None else subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(data, timeout=timeout)
    except BaseException:  # the timeout, or an interrupt: nothing the tool started may live on
        _kill_group(process)
        raise
    return Finished(process.returncode, stdout, stderr)


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    import contextlib
    import signal

    # The leader is not yet reaped, so its group id is still its own and names no other process.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    for stream in (process.stdin, process.stdout, process.stderr):
        if stream is not None:
            stream.close()
