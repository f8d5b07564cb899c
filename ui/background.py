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
    done = Signal(object)
    failed = Signal(object)


_alive: set[_Carrier] = set()


def run_in_background(call: Callable[[], Any], on_done: Callable[[Any], None],
                      on_error: Callable[[Exception], None]) -> threading.Thread:
    carrier = _Carrier()
    _alive.add(carrier)
    carrier.done.connect(on_done)
    carrier.failed.connect(on_error)
    carrier.done.connect(lambda _r: _alive.discard(carrier))
    carrier.failed.connect(lambda _e: _alive.discard(carrier))

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
