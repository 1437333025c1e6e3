"""Tests of the kinds module: reading image references."""

from __future__ import annotations

from hooklint.argocd.kinds import parse_image


def test_parse_image_reads_ports_tags_and_digests() -> None:
    assert parse_image("localhost:5000/app:1.2") is not None
    ref = parse_image("registry:5000/app")
    assert ref is not None and (ref.repository, ref.tag, ref.digest) == ("registry:5000/app", None, None)
    ref = parse_image("ubuntu:22.04")
    assert ref is not None and (ref.repository, ref.tag) == ("docker.io/library/ubuntu", "22.04")
    assert parse_image("{{ .Values.image }}") is None
