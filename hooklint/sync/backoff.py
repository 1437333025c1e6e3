"""How long Kubernetes backs off between a failed Job's attempts. HL103 asks it of every hook Job: it lives apart
from the timeline (hooklint.sync.timeline), which only `explain --timeline` loads in full."""

from __future__ import annotations

# Kubernetes: the Job controller re-creates a failed pod after 10 s, doubling, capped at 6 minutes; with
# restartPolicy OnFailure the kubelet restarts the container instead, capped at 5 minutes. backoffLimit is 6
# when unset.
BACKOFF_FIRST, POD_BACKOFF_CAP, CONTAINER_BACKOFF_CAP, DEFAULT_BACKOFF_LIMIT = 10, 360, 300, 6


def backoff_seconds(retries: int, cap: int) -> int:
    """The back-off Kubernetes waits in total between `retries` failed attempts: 10 s, doubling, up to `cap`."""
    total, delay, count = 0, BACKOFF_FIRST, 0
    while count < retries and delay < cap:
        total, delay, count = total + delay, delay * 2, count + 1
    return total + (retries - count) * cap
