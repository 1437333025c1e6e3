"""@frozen values: compared and hashed by their fields as frozen dataclasses are, and read-only for mypy."""

from __future__ import annotations

import dataclasses

import pytest

from hooklint.model import Related, Span
from hooklint.util.frozen import frozen


@frozen
class Pair:
    left: str
    right: int = 0


@frozen(eq=False)
class Thing:
    name: str


def test_values_compare_and_hash_by_their_fields() -> None:
    assert Pair("a", 1) == Pair("a", 1) != Pair("a", 2)
    assert len({Pair("a", 1), Pair("a", 1), Pair("b")}) == 2
    assert dataclasses.replace(Pair("a", 1), right=2) == Pair("a", 2)
    assert repr(Pair("a")) == "Pair(left='a', right=0)"
    span = Span("a.yaml", 1, 1, 1, 2)
    assert hash(Related(span, "x")) == hash(Related(span, "x"))


@frozen
class Quiet:
    shown: str
    hidden: str = dataclasses.field(default="", repr=False)

    @frozen
    class Inner:
        value: int


@frozen
class Spoken:
    name: str

    def __repr__(self) -> str:
        return f"<{self.name}>"


def test_values_are_written_as_dataclasses_write_them() -> None:
    assert repr(Quiet("a", "b")) == "Quiet(shown='a')"
    assert repr(Quiet.Inner(1)) == "Quiet.Inner(value=1)"
    assert repr(Related(Span.point("a.yaml", 1, 2), "x")) == (
        "Related(span=Span(path='a.yaml', line=1, column=2, end_line=1, end_column=2), message='x')"
    )
    assert repr(Spoken("x")) == "<x>"


@frozen
class Checked:
    name: str
    check: int = dataclasses.field(default=0, compare=False)


@frozen
class Empty:
    pass


def test_values_hash_as_dataclasses_hash_them_by_the_fields_they_compare() -> None:
    assert hash(Pair("a", 1)) == hash(("a", 1))
    assert Checked("a", 1) == Checked("a", 2) != Checked("b", 1)
    assert hash(Checked("a", 1)) == hash(("a",))
    assert Empty() == Empty() and hash(Empty()) == hash(())
    assert Pair("a") != ("a", 0) and Checked("a") != Pair("a")


def test_values_without_eq_are_themselves_only() -> None:
    one = Thing("a")
    assert one == one != Thing("a")
    assert len({one, one, Thing("a")}) == 2


def test_mypy_refuses_to_assign_a_field() -> None:
    api = pytest.importorskip("mypy.api")
    code = (
        "from hooklint.util.frozen import frozen\n"
        "@frozen\n"
        "class Pair:\n"
        "    left: str\n"
        "pair = Pair('a')\n"
        "pair.left = 'b'\n"
    )
    out, _, status = api.run(["--strict", "--no-error-summary", "-c", code])
    assert status == 1
    assert out == '<string>:6: error: Property "left" defined in "Pair" is read-only  [misc]\n'
