"""The ingest thread: receives downloaded shots (from the camera thread, without blocking it),
stores them through an Ingester, and retries queued shots while the disk refuses.

Pure Python threading. ``on_shot``/``stop`` may be called from any thread and never block
(``stop`` waits for the thread). Callbacks run on the ingest thread.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

from camera.listener import CameraListener
from camera.types import DownloadedShot
from session.catalog import ShotRecord
from session.ingest import Ingester, IngestResult
from session.repair import RepairReport
from session.session import Session
from session.storage import StorageError

log = logging.getLogger(__name__)
RETRY_INTERVAL_S = 3.0


class IngestWorker(CameraListener):
    def __init__(self, session: Session,
                 on_stored: Callable[[IngestResult], None],
                 on_failed: Callable[[str, int], None],
                 on_opened: Callable[[RepairReport, list[ShotRecord]], None] | None = None,
                 retry_interval_s: float = RETRY_INTERVAL_S) -> None:
        self.session = session
        self.on_stored = on_stored
        self.on_failed = on_failed
        self.on_opened = on_opened
        self.retry_interval_s = retry_interval_s
        self._inbox: queue.SimpleQueue[DownloadedShot | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="ingest", daemon=True)
        self._waiting = 0
        self._count_lock = threading.Lock()   # two threads change the count

    @property
    def waiting(self) -> int:
        """Shots downloaded but not yet verified on disk (any thread)."""
        return self._waiting

    def start(self) -> None:
        self._thread.start()

    def on_shot(self, shot: DownloadedShot) -> None:
        """CameraListener hook (camera thread): queue and return at once."""
        with self._count_lock:
            self._waiting += 1
        self._inbox.put(shot)

    def stop(self, timeout: float = 30.0) -> None:
        self._inbox.put(None)
        self._thread.join(timeout)

    def _run(self) -> None:
        ingester = Ingester(self.session)
        if self.on_opened:
            self.on_opened(ingester.repair_report, ingester.catalog.shots())
        try:
            while True:
                behind = ingester.pending or ingester.backups_missing
                try:
                    shot = self._inbox.get(timeout=self.retry_interval_s if behind else None)
                except queue.Empty:
                    self._attempt(ingester, None)
                    continue
                if shot is None:
                    if ingester.pending:
                        self._attempt(ingester, None)
                    break
                self._attempt(ingester, shot)
        finally:
            if ingester.pending:
                log.error("%d shot(s) could not be stored before exit", len(ingester.pending))
            ingester.close()

    def _attempt(self, ingester: Ingester, shot: DownloadedShot | None) -> None:
        try:
            results = ingester.submit(shot) if shot else ingester.retry()
        except StorageError as exc:
            self._report(exc.stored)
            self.on_failed(exc.user_message, len(ingester.pending))
            return
        except Exception as exc:  # keep the shot queued and the thread alive
            log.exception("ingest")
            self.on_failed(f"Saving failed unexpectedly: {exc}", len(ingester.pending))
            return
        self._report(results)

    def _report(self, results: list[IngestResult]) -> None:
        for result in results:
            with self._count_lock:
                self._waiting -= 1
            self.on_stored(result)
