"""Retry a camera call while it answers busy (-110), with exponential backoff.

Pure Python. Runs on the camera thread and blocks for the backoff sleeps (at most ~3 s).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol, TypeVar

from camera.errors import CameraBusy

T = TypeVar("T")

BUSY_BACKOFF_S: tuple[float, ...] = (0.05, 0.1, 0.2, 0.4, 0.8, 1.6)


class Busy(Protocol):
    """A busy-retry policy wrapped around one camera call (the worker's ``_busy``)."""

    def __call__(self, call: Callable[[], T]) -> T: ...


def call_with_busy_retry(call: Callable[[], T],
                         delays: tuple[float, ...] = BUSY_BACKOFF_S,
                         sleep: Callable[[float], None] = time.sleep,
                         on_retry: Callable[[int, CameraBusy], None] | None = None) -> T:
    """Run ``call``; on CameraBusy sleep the next delay and try again. Re-raises the last
    CameraBusy when the delays run out; any other error passes straight through."""
    for attempt, delay in enumerate((*delays, None)):
        try:
            return call()
        except CameraBusy as busy:
            if delay is None:
                raise
            if on_retry is not None:
                on_retry(attempt + 1, busy)
            sleep(delay)
    raise AssertionError("unreachable")
