"""`@frozen`: the dataclass every value of the pipeline is. Its fields are never assigned after construction,
and it compares and hashes by them (with eq=False, by identity).

mypy holds the fields read-only, as for `dataclass(frozen=True)`; at run time the class is a plain
dataclass. A frozen dataclass sets each field through object.__setattr__ and generates two more methods
when it is defined: 5 % more instructions for a run's work and 12 % more for its start-up. mypy --strict
in CI refuses an assignment to a field all the same (docs/design-notes.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, TypeVar, overload

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**_: Any) -> Callable[[T], T]:
        return lambda decorator: decorator


T = TypeVar("T")


@overload
def frozen(cls: type[T], /) -> type[T]: ...


@overload
def frozen(*, eq: bool = True) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def frozen(cls: type[T] | None = None, /, *, eq: bool = True) -> type[T] | Callable[[type[T]], type[T]]:
    def make(cls: type[T]) -> type[T]:
        # unsafe_hash: hashed by the fields, as a frozen dataclass is; nothing assigns them after __init__.
        made = dataclass(eq=eq, unsafe_hash=eq, repr=False)(cls)
        if "__repr__" not in cls.__dict__:
            # One shared method writes what dataclass's own would: generating and compiling one for each of
            # about fifty classes was 5 % of the instructions of a small run, start-up included, for text
            # read only while debugging.
            made.__repr__ = _repr  # type: ignore[method-assign]
        return made

    return make if cls is None else make(cls)


def _repr(self: Any) -> str:
    shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)
    return f"{type(self).__qualname__}({shown})"
