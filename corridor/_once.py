"""One object per process, made on first use (a model whose loading is costly)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["ProcessWide"]

T = TypeVar("T")


class ProcessWide(Generic[T]):
    """``get()`` makes the object with ``factory`` once (thread-safe) and returns it."""

    def __init__(self, factory: Callable[[], T]) -> None:
        self._factory = factory
        self._made: T | None = None
        self._lock = threading.Lock()

    def get(self) -> T:
        if self._made is None:
            with self._lock:
                if self._made is None:
                    self._made = self._factory()
        return self._made
