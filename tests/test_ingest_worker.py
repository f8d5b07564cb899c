"""The ingest thread: a refused write keeps the shot queued, tells the user, and the shot is
stored by itself once the disk accepts writes again; nothing is stored twice."""

from __future__ import annotations

import errno
import threading

from session.ingest.ingest_worker import IngestWorker
from session.store import storage
from session.store.session import create_session
from tests.helpers import wait_until
from tests.test_ingest import shot_of


def test_disk_full_then_automatic_retry(tmp_path, monkeypatch):
    session = create_session("Retry", root=tmp_path)
    full = threading.Event()
    full.set()
    real = storage._write_all

    def write_all(fd, data):
        if full.is_set():
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd, data)

    monkeypatch.setattr(storage, "_write_all", write_all)
    stored, failures, opened = [], [], []
    worker = IngestWorker(session, stored.append, lambda m, n: failures.append((m, n)),
                          lambda report, shots: opened.append(shots), retry_interval_s=0.05)
    worker.start()
    try:
        first, second = shot_of("DSC_0001.JPG"), shot_of("DSC_0002.JPG")
        worker.on_shot(first)
        worker.on_shot(second)
        wait_until(lambda: len(failures) >= 2, what="failure reports")
        assert "full" in failures[0][0] and failures[-1][1] == 2
        assert worker.waiting == 2 and not stored
        full.clear()
        wait_until(lambda: len(stored) == 2, what="automatic retry")
        assert [r.shot for r in stored] == [first, second]
        assert [r.record.seq for r in stored] == [1, 2]
        assert worker.waiting == 0
    finally:
        worker.stop()
    assert opened == [[]]
    names = sorted(p.name for p in session.folder.glob("*.jpg"))
    assert names == ["Retry_0001.jpg", "Retry_0002.jpg"]
