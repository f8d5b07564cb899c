"""A worker thread's newest result to the GUI thread: a single-slot mailbox (newest wins,
nothing queues) and one queued signal each time it goes from empty to full. ``put`` runs on
the worker's thread; ``available`` is handled on the GUI thread, which ``take``s."""

from __future__ import annotations

from typing import Generic, TypeVar

from PySide6.QtCore import QObject, Signal

from camera.owner.mailbox import Mailbox

T = TypeVar("T")


class NewestBridge(QObject, Generic[T]):
    available = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.mailbox: Mailbox[T] = Mailbox()

    def put(self, item: T) -> None:
        if self.mailbox.put(item):
            self.available.emit()

    def take(self) -> T | None:
        return self.mailbox.take()
