"""The in-cluster Services a hook's containers call: Service DNS names in their literal env values, commands
and args. HL210 and HL212 both follow these calls."""

from __future__ import annotations

import re
from collections.abc import Iterator

from hooklint.argocd.kinds import containers
from hooklint.model import Path, Resource

# A host name: DNS labels, not glued to a preceding or following name character.
_HOST = re.compile(
    r"(?<![A-Za-z0-9_.-])(?P<host>[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)"
    r"\.?(?P<port>:[0-9]{1,5})?(?![A-Za-z0-9_.-])"
)
# What makes a host of one or two labels a URL host: a scheme, and maybe user info, just before it.
_URL_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://(?:[^\s/@]*@)?\Z")
_URL_ENDS = ("://", "@")
_AUTHORITY_REST = re.compile(r"[^\s/?#]*")
_SCHEME_WINDOW = 256  # how far back a scheme is looked for: keeps long embedded scripts linear


def service_names(text: str, own_namespace: str) -> Iterator[tuple[str, str]]:
    """(name, namespace) of every in-cluster Service DNS name in `text`: NAME.NS.svc[.domain],
    POD.NAME.NS.svc[.domain], NAME.NS with a port or as a URL host, or NAME as a URL host in `own_namespace`."""
    if ":" not in text and ".svc" not in text:
        return  # every form needs a .svc label, a port or a URL's scheme
    urls = "://" in text
    for match in _HOST.finditer(text):
        labels = match.group("host").split(".")
        # Most words name nothing whatever comes before them; only the rest pay for the look back for a scheme.
        if len(labels) >= 3 and labels[2] != "svc" and (len(labels) == 3 or labels[3] != "svc"):
            continue
        if len(labels) <= 2 and not urls and not (len(labels) == 2 and match.group("port")):
            continue
        # A scheme's match ends with `://` or a user info's `@`: a test of the last characters spares the
        # look back (which retries at every position before the host) for most hosts.
        start = match.start()
        in_url = (
            urls
            and text.endswith(_URL_ENDS, 0, start)
            and _URL_PREFIX.search(text, max(0, start - _SCHEME_WINDOW), start) is not None
        )
        if in_url and (rest := _AUTHORITY_REST.match(text, match.end())) is not None and "@" in rest.group():
            continue  # the user info of a URL, not its host
        if len(labels) >= 3 and labels[2] == "svc":
            yield labels[0], labels[1]
        elif len(labels) >= 4 and labels[3] == "svc":
            yield labels[1], labels[2]  # a pod of a headless Service
        elif len(labels) == 2 and (in_url or match.group("port")):
            yield labels[0], labels[1]
        elif len(labels) == 1 and in_url:
            yield labels[0], own_namespace


def literals(resource: Resource) -> Iterator[tuple[Path, str]]:
    """Literal env values, args and command items of every container."""
    for path, container in containers(resource):
        env = container.get("env")
        for i, variable in enumerate(env if isinstance(env, list) else ()):
            if isinstance(variable, dict) and isinstance(variable.get("value"), str):
                yield (*path, "env", i, "value"), variable["value"]
        for field in ("command", "args"):
            items = container.get(field)
            for i, item in enumerate(items if isinstance(items, list) else ()):
                if isinstance(item, str):
                    yield (*path, field, i), item
