"""Issue case 14 (the folder) and the two camera gaps: a session folder deleted (and made
again) under a running shoot is made again and saving goes on, said in words; a new shot
that reuses an old file name after the card was formatted is still fetched; a capture whose
FILE_ADDED event never comes is found by listing the card within seconds."""

from __future__ import annotations

import shutil
import threading

from camera.owner.worker import WorkerOptions
from camera.simulated.simulated_backend import SimulatedBackend
from camera.simulated.simulated_camera import SimulatedCamera
from camera.types import CameraFile
from session.ingest.card_ledger import CardLedger
from session.ingest.ingest import Ingester
from session.ingest.tether import Tether
from session.store.catalog import Catalog
from session.store.session import create_session
from tests.adversarial.helpers import shot_of
from tests.helpers import Recorder, wait_until

FAST = WorkerOptions(reconnect_interval_s=0.05, idle_poll_ms=10, missed_event_s=1.0)


def test_a_deleted_session_folder_is_made_again_and_saving_goes_on(tmp_path):
    session = create_session("Smith", root=tmp_path)
    ingester = Ingester(session)
    ingester.submit(shot_of("DSC_0001.JPG"))
    shutil.rmtree(session.folder)                          # deleted under the running shoot
    (result,) = ingester.submit(shot_of("DSC_0002.JPG"))
    assert result.paths[0].read_bytes() == result.shot.files[0].data
    assert any("deleted or replaced" in n for n in ingester.notices)
    ingester.notices.clear()
    shutil.rmtree(session.folder)                          # deleted and made again by hand
    session.folder.mkdir()
    (result,) = ingester.submit(shot_of("DSC_0003.JPG"))
    assert any("deleted or replaced" in n for n in ingester.notices)
    ingester.close()
    catalog = Catalog(session.folder)                      # the catalog is the live folder's
    names = [f.name for s in catalog.shots() for f in s.files]
    catalog.close()
    assert names == [result.paths[0].name]


def test_card_reconciliation_tells_a_reused_name_from_the_old_file(tmp_path):
    session = create_session("Card", root=tmp_path)
    ledger = CardLedger(session.folder)
    old = CameraFile("/DCIM/100NIKON", "DSC_0001.JPG", 5_000_000, 1_795_000_000.0)
    assert ledger.unseen("D750#1", [old]) == []             # the first meeting: before us
    ingester = Ingester(session)
    shot = shot_of("DSC_0002.JPG", folder="/DCIM/100NIKON")
    ingester.submit(shot)
    ingester.close()
    stored = shot.files[0].source
    # the card is formatted; the counter starts again: same names, other pictures
    after_format = [CameraFile("/DCIM/100NIKON", "DSC_0001.JPG", 4_811_222, 1_795_090_000.0),
                    CameraFile("/DCIM/100NIKON", "DSC_0002.JPG", stored.size + 17, 0.0)]
    assert ledger.unseen("D750#1", after_format) == after_format
    same = [old, CameraFile(stored.folder, stored.name, stored.size, 0.0)]
    assert ledger.unseen("D750#1", same) == []                # nothing new: nothing fetched


def test_a_capture_whose_event_never_comes_arrives_by_listing_the_card(tmp_path):
    camera = SimulatedCamera(capture_size=(600, 400), card_dir=tmp_path / "card")
    session = create_session("Quiet", root=tmp_path / "sessions")
    stored, done = [], threading.Event()

    def on_stored(result) -> None:  # type: ignore[no-untyped-def]
        stored.append(result)
        done.set()

    recorder = Recorder()
    tether = Tether(SimulatedBackend(camera), camera.port, session, recorder, on_stored,
                    options=FAST)
    tether.start()
    try:
        wait_until(lambda: recorder.connected, 10, "connect")
        camera.drop_file_events = 1                       # this body forgets the event
        tether.worker.capture()
        assert done.wait(30), "the shot never arrived"    # found without its event
        assert not stored[0].shot.from_body_button        # it is the capture we asked for
        assert not [p for p in recorder.problems if p[1] == "warning"]
    finally:
        tether.stop()
        camera.shutdown()
