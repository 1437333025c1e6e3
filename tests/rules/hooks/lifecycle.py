"""Inputs for the hook lifecycle rule tests (HL101-HL106): their annotation lines, their Job's container, a Pod."""

from __future__ import annotations

from tests.helpers import container

PRESYNC = "    argocd.argoproj.io/hook: PreSync\n"
GENERATED = "  generateName: migrate-\n"
# The container of their Jobs (tests.helpers.job(containers=MIGRATE)).
MIGRATE = container("migrate", "registry.example.com/shop/api:1.4.2")


def pod(annotations: str, spec: str = "") -> str:
    return (
        "apiVersion: v1\n"
        "kind: Pod\n"
        "metadata:\n"
        "  name: smoke-test\n"
        "  annotations:\n"
        f"{annotations}"
        "spec:\n"
        f"{spec}"
        "  containers:\n"
        "    - name: curl\n"
        "      image: curlimages/curl:8.8.0\n"
    )
