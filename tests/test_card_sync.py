"""Shots the camera made while we were not listening reach the session exactly once: taken
with the cable out, in flight at a disconnect, or left on the card by a crash; what was on the
card before the session is never imported; a damaged transfer is fetched again."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from camera.owner.downloads import looks_whole
from camera.owner.worker import WorkerOptions
from camera.simulated.simulated_backend import SimulatedBackend
from camera.simulated.simulated_camera import SimulatedCamera
from session.ingest.tether import Tether
from session.store.catalog import Catalog
from session.store.session import create_session
from session.store.storage import sha256_of_file
from tests.helpers import Recorder, wait_until

FAST = WorkerOptions(reconnect_interval_s=0.05, idle_poll_ms=10)


class Rig:
    """Camera worker + ingest thread on one session, as the app wires them."""

    def __init__(self, camera: SimulatedCamera, folder: Path) -> None:
        self.camera = camera
        self.session = create_session("Sync", root=folder)
        self.stored: list = []
        self.done = threading.Condition()
        self.recorder = Recorder()
        self.tether = Tether(SimulatedBackend(camera), camera.port, self.session,
                             self.recorder, self._stored, options=FAST)
        self.worker, self.ingest = self.tether.worker, self.tether.ingest
        self.tether.start()
        wait_until(lambda: self.recorder.connected, 10, "connect")

    def _stored(self, result) -> None:  # type: ignore[no-untyped-def]
        with self.done:
            self.stored.append(result)
            self.done.notify_all()

    def new_files(self) -> list:
        return [r for r in self.stored if not r.already_stored]

    def stop(self) -> None:
        self.tether.stop()

    def session_hashes(self) -> list[str]:
        catalog = Catalog(self.session.folder)
        try:
            return [f.sha256 for shot in catalog.shots() for f in shot.files]
        finally:
            catalog.close()


class Forgetful:
    def unseen(self, camera: str, paths: list[str]) -> list[str]:
        return paths


@pytest.fixture
def camera(tmp_path):
    cam = SimulatedCamera(capture_size=(600, 400), card_dir=tmp_path / "card")
    yield cam
    cam.shutdown()


def card_hashes(camera: SimulatedCamera) -> list[str]:
    return [f.sha256 for f in camera.produced]


def test_shots_taken_with_the_cable_out_arrive_after_reconnect(camera, tmp_path):
    rig = Rig(camera, tmp_path / "sessions")
    try:
        camera.unplug()
        camera.press_shutter_button()                # the photographer keeps shooting
        camera.press_shutter_button()
        wait_until(lambda: len(camera.produced) == 2, 10, "two shots on the card")
        camera.replug()
        wait_until(lambda: len(rig.new_files()) == 2, 15, "both shots stored")
        assert sorted(rig.session_hashes()) == sorted(card_hashes(camera))
        assert any("had not reached the session" in m for m, _s in rig.recorder.problems)
    finally:
        rig.stop()


def test_what_was_on_the_card_before_the_session_is_not_imported(tmp_path):
    card = tmp_path / "card"
    old = SimulatedCamera(capture_size=(600, 400), card_dir=card)
    old.press_shutter_button()                       # last week's shoot, still on the card
    wait_until(lambda: len(old.produced) == 1, 10, "old shot")
    old.shutdown()
    camera = SimulatedCamera(capture_size=(600, 400), card_dir=card)
    rig = Rig(camera, tmp_path / "sessions")
    try:
        rig.worker.capture()
        wait_until(lambda: len(rig.new_files()) == 1, 15, "the new shot")
        assert rig.new_files()[0].paths[0].name == "Sync_0001.jpg"
        assert len(rig.session_hashes()) == 1 and card.joinpath("DSC_0001.JPG").is_file()
    finally:
        rig.stop()
        camera.shutdown()


def test_a_crash_before_download_is_caught_up_at_the_next_start(tmp_path):
    card = tmp_path / "card"
    first = SimulatedCamera(capture_size=(600, 400), card_dir=card)
    rig = Rig(first, tmp_path / "sessions")
    rig.worker.capture()
    wait_until(lambda: len(rig.new_files()) == 1, 15, "first shot")
    rig.worker.stop()                                # the app dies ...
    first.press_shutter_button()                     # ... while the body keeps shooting
    wait_until(lambda: len(first.produced) == 2, 10, "second shot on the card")
    rig.ingest.stop()
    first.shutdown()
    camera = SimulatedCamera(capture_size=(600, 400), card_dir=card)
    again = Rig(camera, tmp_path / "sessions")       # same session folder (same name, day)
    try:
        wait_until(lambda: len(again.new_files()) == 1, 15, "caught up")
        hashes = again.session_hashes()
        assert sorted(hashes) == sorted({sha256_of_file(p) for p in card.glob("DSC_*")})
    finally:
        again.stop()
        camera.shutdown()


def test_a_shot_fetched_twice_is_stored_once(camera, tmp_path):
    rig = Rig(camera, tmp_path / "sessions")
    try:
        rig.worker.capture()
        wait_until(lambda: len(rig.stored) == 1, 15, "shot")
        rig.worker.card.fetched.clear()              # as if this process had forgotten it
        rig.worker.use_card_memory(Forgetful())      # a memory that knows nothing
        wait_until(lambda: len(rig.stored) == 2, 15, "fetched again")
        assert rig.stored[1].already_stored
        assert len(rig.session_hashes()) == 1
        assert len(list(rig.session.folder.glob("*.jpg"))) == 1
    finally:
        rig.stop()


def test_damaged_transfers_are_recognised():
    jpeg = b"\xff\xd8" + b"x" * 1000 + b"\xff\xd9"
    assert looks_whole("a.jpg", jpeg) and looks_whole("a.jpg", jpeg + bytes(512))
    assert not looks_whole("a.jpg", bytes(64) + jpeg[64:])                 # garbage header
    assert not looks_whole("a.jpg", jpeg[:600] + bytes(len(jpeg) - 600))   # zero-filled tail
    assert looks_whole("a.nef", b"MM\0*" + bytes(100))
    assert not looks_whole("a.nef", bytes(104))


def test_corrupted_downloads_are_fetched_again(tmp_path):
    camera = SimulatedCamera(capture_size=(600, 400))
    camera.faults.set(corrupt_rate=0.5)
    rig = Rig(camera, tmp_path / "sessions")
    try:
        for _ in range(6):
            rig.worker.capture()
        wait_until(lambda: len(rig.new_files()) == 6, 30, "six shots")
        assert camera.faults.fired.get("corrupted", 0) > 0
        assert sorted(rig.session_hashes()) == sorted(card_hashes(camera))
    finally:
        rig.stop()
        camera.shutdown()


def test_ram_shots_wait_in_the_camera_until_verified_on_disk(tmp_path, monkeypatch):
    """Capture target RAM and a full disk: the shots stay queued and in the camera's RAM, the
    photographer is told, and each is deleted from the camera only once verified on disk."""
    import errno

    from camera.types import CaptureTarget
    from session.store import storage

    full = {"on": True}
    real_write = storage._write_all

    def write_all(fd, data):
        if full["on"]:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(fd, data)

    monkeypatch.setattr(storage, "_write_all", write_all)
    camera = SimulatedCamera(capture_size=(600, 400))
    session = create_session("Ram", root=tmp_path / "sessions")
    told: list[tuple[str, int]] = []
    deleted_after_verified: list[bool] = []
    backend = SimulatedBackend(camera)
    real_delete = backend.delete

    def delete(file):  # type: ignore[no-untyped-def]
        sha = next(p.sha256 for p in camera.produced if p.file == file)
        deleted_after_verified.append(any(sha256_of_file(p) == sha
                                          for p in session.folder.glob("*.jpg")))
        real_delete(file)

    backend.delete = delete  # type: ignore[method-assign]
    stored: list = []
    recorder = Recorder()
    tether = Tether(backend, camera.port, session, recorder, stored.append,
                    lambda message, waiting: told.append((message, waiting)),
                    options=WorkerOptions(reconnect_interval_s=0.05, idle_poll_ms=10,
                                          preferred_target=CaptureTarget.RAM),
                    retry_interval_s=0.1)
    worker = tether.worker
    tether.start()
    try:
        wait_until(lambda: recorder.connected, 10, "connect")
        for _ in range(3):
            worker.capture()
        wait_until(lambda: any(n == 3 for _m, n in told), 15, "three shots waiting")
        assert "full" in told[-1][0]
        assert len([f for f in camera.list_files() if f.folder == "/"]) == 3   # still in RAM
        assert not list(session.folder.glob("*.jpg"))
        full["on"] = False                                                    # space freed
        wait_until(lambda: len(stored) == 3, 15, "stored")
        wait_until(lambda: not [f for f in camera.list_files() if f.folder == "/"], 10,
                   "RAM emptied")
        assert deleted_after_verified == [True, True, True]
    finally:
        tether.stop()
        camera.shutdown()
