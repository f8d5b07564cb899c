"""A camera worker and an ingest thread on one session, wired the one way Catchlight wires
them, with or without a window: every downloaded shot goes to ingest, the session's memory of
the card goes to the worker, and a shot is released to the camera (a RAM capture deleted) as
soon as it is verified on disk, on the ingest thread. The camera and the session can each be
switched while the other runs; a shot that arrives during a switch goes to the new session.

Plain threading. ``start``/``stop``/``use_*`` are called from one controlling thread (the GUI
thread in the app); ``stop`` and the switches block until the replaced threads have ended.
The callbacks run on the ingest thread.
"""

from __future__ import annotations

from collections.abc import Callable

from camera.backend import CameraBackend
from camera.owner.listener import CameraListener, FanOut
from camera.owner.worker import CameraWorker, WorkerOptions
from session.ingest.card_ledger import CardLedger
from session.ingest.ingest import IngestResult
from session.ingest.ingest_worker import RETRY_INTERVAL_S, IngestWorker
from session.people.roster import Person
from session.store.catalog import ShotRecord
from session.store.repair import RepairReport
from session.store.session import Session


def _nothing(*_args: object) -> None:
    return None


class Tether:
    def __init__(self, backend: CameraBackend | None, port: str, session: Session | None,
                 listener: CameraListener, on_stored: Callable[[IngestResult], None],
                 on_failed: Callable[[str, int], None] = _nothing,
                 on_opened: Callable[[RepairReport, list[ShotRecord]], None] | None = None,
                 options: WorkerOptions | None = None,
                 retry_interval_s: float = RETRY_INTERVAL_S,
                 on_fatal: Callable[[str], None] = _nothing,
                 on_notice: Callable[[str], None] = _nothing) -> None:
        """``backend``/``session`` may be None and given later (``use_camera``,
        ``use_session``)."""
        self._listener = listener
        self._on_stored = on_stored
        self._ingest_callbacks = (on_failed, on_opened, retry_interval_s, on_fatal, on_notice)
        self.options = options
        self._fanout = FanOut(listener)
        self._started = False
        self.session: Session | None = None
        self.ingest: IngestWorker | None = None
        self.worker: CameraWorker | None = None
        if session is not None:
            self._swap_session(session)
        if backend is not None:
            self.worker = CameraWorker(backend, port, self._fanout, options)
            if session is not None:
                self.worker.use_card_memory(CardLedger(session.folder))

    def _stored(self, result: IngestResult) -> None:
        """Ingest thread: report, then let the camera free a RAM capture at once."""
        self._on_stored(result)
        worker = self.worker
        if worker is not None:
            worker.release_stored(result.shot)

    def start(self) -> None:
        self._started = True
        if self.ingest is not None:
            self.ingest.start()
        if self.worker is not None:
            self.worker.start()

    def use_session(self, session: Session) -> None:
        """Shoot into ``session`` from now on; the previous ingest finishes what it holds."""
        old = self._swap_session(session)
        if self._started and self.ingest is not None:
            self.ingest.start()
        if self.worker is not None:
            self.worker.use_card_memory(CardLedger(session.folder))
        if old is not None:
            old.stop()

    def _swap_session(self, session: Session) -> IngestWorker | None:
        on_failed, on_opened, retry, on_fatal, on_notice = self._ingest_callbacks
        old, self.session = self.ingest, session
        self.ingest = IngestWorker(session, self._stored, on_failed, on_opened, retry,
                                   on_fatal, on_notice)
        self.ingest.person = None             # a new session: nobody chosen yet
        # A tuple swap is atomic: the camera thread hands the next shot to the new ingest.
        self._fanout.listeners = (self.ingest, self._listener)
        return old

    def set_person(self, person: Person | None) -> None:
        """The person in front of the camera now (a headshot day): the next shots are named
        for them and recorded as theirs. Any thread."""
        if self.ingest is not None:
            self.ingest.person = person

    def use_camera(self, backend: CameraBackend, port: str) -> CameraWorker:
        """Drive ``backend`` from now on (the previous camera's thread is stopped first)."""
        self.stop_camera()
        self.worker = CameraWorker(backend, port, self._fanout, self.options)
        if self.session is not None:
            self.worker.use_card_memory(CardLedger(self.session.folder))
        if self._started:
            self.worker.start()
        return self.worker

    def stop_camera(self) -> None:
        if self.worker is not None:
            self.worker.stop()
            self.worker = None

    def stop(self) -> None:
        self.stop_camera()
        if self.ingest is not None:
            self.ingest.stop()
        self._started = False
