"""The ingest thread: receives downloaded shots (from the camera thread, without blocking it),
stores them through an Ingester, and retries queued shots while the disk or the catalog
refuses. It never dies quietly: if the session cannot be opened for saving (another process
shoots into it, the folder cannot be written) or anything unexpected stops the thread,
``on_fatal`` says so, and the shots stay on the camera.

Pure Python threading. ``on_shot``/``stop`` may be called from any thread and never block
(``stop`` waits for the thread). Callbacks run on the ingest thread.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

from camera.owner.listener import CameraListener
from camera.types import DownloadedShot
from session.ingest.ingest import Ingester, IngestResult
from session.people.roster import Person
from session.store.catalog import Catalog, ShotRecord
from session.store.repair import RepairReport
from session.store.session import Session
from session.store.session_lock import SessionBusy
from session.store.storage import StorageError

log = logging.getLogger(__name__)
RETRY_INTERVAL_S = 3.0
NOT_SAVING = "Shots are not being saved: {reason}"


def _ignore(_message: str) -> None:
    return None


class IngestWorker(CameraListener):
    def __init__(self, session: Session,
                 on_stored: Callable[[IngestResult], None],
                 on_failed: Callable[[str, int], None],
                 on_opened: Callable[[RepairReport, list[ShotRecord]], None] | None = None,
                 retry_interval_s: float = RETRY_INTERVAL_S,
                 on_fatal: Callable[[str], None] = _ignore,
                 on_notice: Callable[[str], None] = _ignore) -> None:
        """``on_fatal(message)``: saving has stopped for good in this session (the message
        starts "Shots are not being saved"); ``on_notice(message)``: something the
        photographer should know that did not stop saving."""
        self.session = session
        self.on_stored = on_stored
        self.on_failed = on_failed
        self.on_opened = on_opened
        self.on_fatal = on_fatal
        self.on_notice = on_notice
        self.retry_interval_s = retry_interval_s
        self._inbox: queue.SimpleQueue[DownloadedShot | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="ingest", daemon=True)
        self._waiting = 0
        self._count_lock = threading.Lock()   # two threads change the count
        self.dead = ""                        # why saving stopped ('' while it works)
        self.person: Person | None = None     # set from any thread; read before each shot

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
        try:
            ingester = Ingester(self.session)
        except SessionBusy as exc:
            self._die(exc.user_message)
            return
        except Exception as exc:  # any failure: any failure to open must be reported
            log.exception("ingest could not open the session")
            self._die(f"the session folder {self.session.folder} cannot be written to "
                      f"({exc}). Choose another session.")
            return
        try:
            if self.on_opened:
                self.on_opened(ingester.repair_report, ingester.catalog.shots())
            self._serve(ingester)
        except Exception as exc:  # any failure: never die quietly
            log.exception("ingest stopped")
            self._die(f"saving stopped unexpectedly ({exc}). The shots stay on the camera; "
                      "reopen the session to go on.")
        finally:
            if ingester.pending:
                log.error("%d shot(s) could not be stored before exit", len(ingester.pending))
            ingester.close()

    def _serve(self, ingester: Ingester) -> None:
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
                return
            self._attempt(ingester, shot)

    def _die(self, reason: str) -> None:
        """Saving is over for this session: say so, and still list what it holds."""
        self.dead = NOT_SAVING.format(reason=reason)
        self.on_fatal(self.dead)
        if self.on_opened:
            self.on_opened(RepairReport(0, ()), _shots_read_only(self.session))

    def _attempt(self, ingester: Ingester, shot: DownloadedShot | None) -> None:
        ingester.person = self.person
        try:
            results = ingester.submit(shot) if shot else ingester.retry()
        except StorageError as exc:
            self._report(exc.stored)
            self.on_failed(exc.user_message, len(ingester.pending))
            return
        except Exception as exc:  # any failure: keep the shot queued and the thread alive
            log.exception("ingest")
            self.on_failed(f"Saving failed unexpectedly ({exc}); the shot is kept and saving "
                           "is tried again.", len(ingester.pending))
            return
        finally:
            for notice in ingester.notices:
                self.on_notice(notice)
            ingester.notices.clear()
        self._report(results)

    def _report(self, results: list[IngestResult]) -> None:
        for result in results:
            with self._count_lock:
                self._waiting -= 1
            self.on_stored(result)


def _shots_read_only(session: Session) -> list[ShotRecord]:
    """The session's shots for the filmstrip when this process may not write to it."""
    try:
        catalog = Catalog.for_review(session.folder)
    except Exception:  # any failure: nothing to show is better than a second failure
        return []
    try:
        return catalog.shots()
    except Exception:  # any failure
        return []
    finally:
        catalog.close()
