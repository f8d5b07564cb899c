"""Run a blocking call (disk, USB scan) on a short-lived thread and get its result back on
the GUI thread through a queued signal. Called from the GUI thread; never blocks it."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)


class _Carrier(QObject):
    """Lives on the GUI thread; its own slots receive the worker's signals (queued), so the
    callbacks always run on the GUI thread."""

    done = Signal(object)
    failed = Signal(object)

    def __init__(self, on_done: Callable[[Any], None],
                 on_error: Callable[[Exception], None]) -> None:
        super().__init__()
        self.on_done = on_done
        self.on_error = on_error
        self.done.connect(self._deliver)
        self.failed.connect(self._fail)

    def _deliver(self, result: Any) -> None:
        _alive.discard(self)
        self.on_done(result)

    def _fail(self, exc: Exception) -> None:
        _alive.discard(self)
        self.on_error(exc)


_alive: set[_Carrier] = set()


def run_in_background(call: Callable[[], Any], on_done: Callable[[Any], None],
                      on_error: Callable[[Exception], None]) -> threading.Thread:
    """Call ``call`` on a new thread; ``on_done(result)`` or ``on_error(exc)`` then runs on
    the GUI thread. Must be called from the GUI thread."""
    carrier = _Carrier(on_done, on_error)
    _alive.add(carrier)

    def work() -> None:
        try:
            result = call()
        except Exception as exc:
            log.info("background call failed: %s", exc)
            carrier.failed.emit(exc)
            return
        carrier.done.emit(result)

    thread = threading.Thread(target=work, name="background", daemon=True)
    thread.start()
    return thread
