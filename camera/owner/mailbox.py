"""A single-slot mailbox: the newest value wins, nothing queues up. Pure Python, thread-safe,
non-blocking. Used for live-view frames between the camera thread and its consumers."""

from __future__ import annotations

import threading
from typing import Generic, TypeVar

T = TypeVar("T")


class Mailbox(Generic[T]):
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._value: T | None = None
        self.replaced = 0  # values overwritten before anyone took them (dropped frames)

    def put(self, value: T) -> bool:
        """Store ``value``; True if the box was empty (the consumer needs a nudge)."""
        with self._lock:
            was_empty = self._value is None
            if not was_empty:
                self.replaced += 1
            self._value = value
            return was_empty

    def take(self) -> T | None:
        with self._lock:
            value, self._value = self._value, None
            return value
