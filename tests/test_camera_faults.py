"""Fault policy details: a USB device claimed by another program, a cable pulled during a
download, dials turned on the body, and the error mapping itself."""

from __future__ import annotations

import pytest

from camera.errors import (
    CameraBusy,
    CameraClaimed,
    CameraError,
    CameraGone,
    CameraIOError,
    from_gphoto2,
)
from camera.owner.retry import call_with_busy_retry
from camera.owner.worker import CameraWorker, WorkerOptions
from camera.simulated.simulated_backend import SimulatedBackend
from camera.simulated.simulated_camera import SimulatedCamera
from camera.usb_claim import claim_holder_message
from tests.helpers import Recorder, wait_until


def test_error_codes_map_to_typed_errors_and_keep_the_code():
    assert isinstance(from_gphoto2(-110, "x"), CameraBusy)
    assert isinstance(from_gphoto2(-52, "x"), CameraGone)
    assert isinstance(from_gphoto2(-7, "x"), CameraIOError)
    claimed = from_gphoto2(-53, "connecting")
    assert isinstance(claimed, CameraClaimed) and claimed.code == -53
    other = from_gphoto2(-2, "x", "Bad parameters")
    assert type(other) is CameraError and other.code == -2 and "Bad parameters" in str(other)


def test_claim_message_names_gvfs_on_linux_and_ptpcamerad_on_macos():
    holder, advice = claim_holder_message("linux", {"bash", "gvfsd-gphoto2", "nautilus"})
    assert holder == "gvfsd-gphoto2" and "unmount" in advice and "gvfs" in advice
    holder, advice = claim_holder_message("linux", {"bash"})
    assert holder == "gvfs"
    holder, advice = claim_holder_message("darwin")
    assert holder == "ptpcamerad" and "Image Capture" in advice


def test_busy_retry_backs_off_then_gives_up():
    sleeps: list[float] = []
    calls = {"n": 0}

    def always_busy():
        calls["n"] += 1
        raise CameraBusy("busy", -110)

    with pytest.raises(CameraBusy):
        call_with_busy_retry(always_busy, sleep=sleeps.append)
    assert sleeps == sorted(sleeps) and sleeps[0] < sleeps[-1]
    assert calls["n"] == len(sleeps) + 1


def test_claimed_camera_is_explained_and_connects_once_released():
    camera = SimulatedCamera(capture_size=(600, 400))
    camera.faults.set(claimed_by_other=True)
    rec = Recorder()
    worker = CameraWorker(SimulatedBackend(camera), camera.port, rec,
                          WorkerOptions(reconnect_interval_s=0.05))
    worker.start()
    try:
        wait_until(lambda: rec.problems, what="claim message")
        message, severity = rec.problems[0]
        assert severity == "error" and "claimed by another program" in message
        assert "gvfs" in message or "ptpcamerad" in message
        assert len(rec.problems) == 1, "the same message is not repeated every second"
        camera.faults.set(claimed_by_other=False)
        wait_until(lambda: rec.connected, what="connection after release")
    finally:
        worker.stop()
        camera.shutdown()


def test_cable_pulled_mid_download_loses_nothing_on_the_card():
    camera = SimulatedCamera(capture_size=(600, 400))
    rec = Recorder()
    worker = CameraWorker(SimulatedBackend(camera), camera.port, rec,
                          WorkerOptions(reconnect_interval_s=0.05))
    worker.start()
    try:
        wait_until(lambda: rec.connected, what="connect")
        camera.faults.set(download_s_per_mb=20.0)  # a slow transfer
        worker.capture()
        wait_until(lambda: camera.produced, what="shot taken")
        import time
        time.sleep(0.2)
        camera.unplug()
        wait_until(lambda: rec.lost, what="lost")
        assert not rec.shots
        camera.faults.set(download_s_per_mb=0.0)
        camera.replug()
        wait_until(lambda: rec.shots, what="download after reconnect")
        assert [f.sha256 for f in rec.shots[0].files] == [p.sha256 for p in camera.produced]
    finally:
        worker.stop()
        camera.shutdown()


def test_dial_turned_on_the_body_updates_the_setting():
    camera = SimulatedCamera(capture_size=(600, 400))
    rec = Recorder()
    worker = CameraWorker(SimulatedBackend(camera), camera.port, rec)
    worker.start()
    try:
        wait_until(lambda: rec.connected, what="connect")
        camera.turn_dial("f-number", "f/2.8")
        wait_until(lambda: rec.changed, what="setting update")
        assert rec.changed[-1].key == "aperture" and rec.changed[-1].value == "f/2.8"
    finally:
        worker.stop()
        camera.shutdown()
