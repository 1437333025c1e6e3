"""A cached property without the per-access lock functools.cached_property takes before Python 3.12."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

T = TypeVar("T")

if TYPE_CHECKING:
    from functools import cached_property as cached
else:

    class cached(Generic[T]):
        """Computes once per instance and stores the value in the instance's __dict__, which the attribute
        lookup then finds first (a non-data descriptor), so later reads cost a dict lookup."""

        def __init__(self, func: Callable[[Any], T]) -> None:
            self.func = func
            self.name = func.__name__
            self.__doc__ = func.__doc__

        def __set_name__(self, owner: type, name: str) -> None:
            self.name = name

        def __get__(self, instance: Any, owner: type | None = None) -> Any:
            if instance is None:
                return self
            value = self.func(instance)
            instance.__dict__[self.name] = value
            return value


__all__ = ["cached"]
