"""A camera worker and an ingest thread on one session, wired the one way Catchlight wires
them without a window: every downloaded shot goes to ingest, the session's memory of the card
goes to the worker, and a shot is released to the camera (a RAM capture deleted) only after it
is verified on disk and reported. Used by ``shoot``, the soak and the crash tests; the tether
window does the same through Qt signals (ui.tether_controller).

Plain threading. ``start``/``stop`` are called from one controlling thread; ``stop`` blocks
until both threads have ended. ``on_stored`` runs on the ingest thread.
"""

from __future__ import annotations

from collections.abc import Callable

from camera.backend import CameraBackend
from camera.listener import CameraListener, FanOut
from camera.worker import CameraWorker, WorkerOptions
from session.card_ledger import CardLedger
from session.catalog import ShotRecord
from session.ingest import IngestResult
from session.ingest_worker import RETRY_INTERVAL_S, IngestWorker
from session.repair import RepairReport
from session.session import Session


class Tether:
    def __init__(self, backend: CameraBackend, port: str, session: Session,
                 listener: CameraListener, on_stored: Callable[[IngestResult], None],
                 on_failed: Callable[[str, int], None] = lambda _message, _waiting: None,
                 on_opened: Callable[[RepairReport, list[ShotRecord]], None] | None = None,
                 options: WorkerOptions | None = None,
                 retry_interval_s: float = RETRY_INTERVAL_S,
                 on_fatal: Callable[[str], None] = lambda _message: None,
                 on_notice: Callable[[str], None] = lambda _message: None) -> None:
        self._on_stored = on_stored
        self.ingest = IngestWorker(session, self._stored, on_failed, on_opened,
                                   retry_interval_s, on_fatal, on_notice)
        self.worker = CameraWorker(backend, port, FanOut(self.ingest, listener), options)
        self.worker.use_card_memory(CardLedger(session.folder))

    def _stored(self, result: IngestResult) -> None:
        self._on_stored(result)
        self.worker.release_stored(result.shot)

    def start(self) -> None:
        self.ingest.start()
        self.worker.start()

    def stop(self) -> None:
        self.worker.stop()
        self.ingest.stop()
