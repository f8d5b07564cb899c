"""Qt signals for the ingest thread's callbacks (stored, failed, session opened), so the GUI
receives them through queued connections."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from session.ingest.ingest import IngestResult
from session.store.catalog import ShotRecord
from session.store.repair import RepairReport


class IngestBridge(QObject):
    stored = Signal(object)           # IngestResult
    failed = Signal(str, int)         # message, shots waiting
    opened = Signal(object, object)   # RepairReport, list[ShotRecord]
    fatal = Signal(str)               # saving has stopped in this session
    notice = Signal(str)              # something to know that did not stop saving

    def on_stored(self, result: IngestResult) -> None:
        self.stored.emit(result)

    def on_failed(self, message: str, waiting: int) -> None:
        self.failed.emit(message, waiting)

    def on_opened(self, report: RepairReport, records: list[ShotRecord]) -> None:
        self.opened.emit(report, records)

    def on_fatal(self, message: str) -> None:
        self.fatal.emit(message)

    def on_notice(self, message: str) -> None:
        self.notice.emit(message)
