"""`@frozen`: the dataclass every value of the pipeline is. Its fields are never assigned after construction,
and it compares and hashes by them (with eq=False, by identity).

mypy holds the fields read-only, as for `dataclass(frozen=True)`; at run time the class is a plain
dataclass whose __eq__, __hash__ and __repr__ are shared among all of them. A frozen dataclass sets each field through object.__setattr__ and generates two more methods
when it is defined: 5 % more instructions for a run's work and 12 % more for its start-up. mypy --strict
in CI refuses an assignment to a field all the same (docs/design-notes.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from operator import attrgetter
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
        # Only __init__ is generated: dataclass compiles a function for each method of each class. Sharing
        # the others (they read the same fields in the same order) took 12 % off the instructions of
        # `hooklint lint fixtures/demo`, most of which is start-up.
        made = dataclass(eq=False, repr=False)(cls)
        if "__repr__" not in cls.__dict__:
            made.__repr__ = _repr  # type: ignore[method-assign]
        if eq:
            _compare_by_fields(made)
        return made

    return make if cls is None else make(cls)


def _repr(self: Any) -> str:
    shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)
    return f"{type(self).__qualname__}({shown})"


def _compare_by_fields(cls: type[Any]) -> None:
    """__eq__ and __hash__ as dataclass(eq=True, unsafe_hash=True) makes them: by the tuple of the fields that
    take part in comparing, compared only with an instance of the very same class."""
    key = _fields_tuple([f.name for f in fields(cls) if f.compare])

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return key(self) == key(other)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash(key(self))

    cls.__eq__ = __eq__  # type: ignore[assignment]
    cls.__hash__ = __hash__  # type: ignore[assignment]


def _fields_tuple(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The tuple of a value's fields `names`: attrgetter gives one for two or more, a lone value for one."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        get = attrgetter(names[0])

        def one(value: Any) -> tuple[Any, ...]:
            return (get(value),)

        return one

    def none(value: Any) -> tuple[Any, ...]:
        return ()

    return none
