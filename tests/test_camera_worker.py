"""The camera worker against the simulated camera: capture, body-button shots, RAW+JPEG
pairs, live view, busy retry, truncated downloads, unplug/replug, RAM deletion policy."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from camera.owner.worker import CameraWorker, WorkerOptions
from camera.simulated.simulated_backend import SimulatedBackend
from camera.simulated.simulated_camera import SimulatedCamera
from camera.types import CameraState, CaptureTarget
from tests.helpers import Recorder, wait_until

SMALL = (600, 400)


@pytest.fixture
def rig():
    created = []

    def make(options: WorkerOptions | None = None, **camera_kw):
        camera_kw.setdefault("capture_size", SMALL)
        camera = SimulatedCamera(**camera_kw)
        recorder = Recorder()
        worker = CameraWorker(SimulatedBackend(camera), camera.port, recorder,
                              options or WorkerOptions(reconnect_interval_s=0.05))
        worker.start()
        wait_until(lambda: recorder.connected, what="connection")
        created.append((worker, camera))
        return worker, camera, recorder

    yield make
    for worker, camera in created:
        worker.stop()
        camera.shutdown()


def produced_hashes(camera: SimulatedCamera) -> list[str]:
    return [p.sha256 for p in camera.produced]


def test_remote_capture_downloads_exact_bytes(rig):
    worker, camera, rec = rig()
    worker.capture()
    wait_until(lambda: rec.shots, what="shot")
    shot = rec.shots[0]
    assert len(shot.files) == 1
    assert shot.files[0].sha256 == hashlib.sha256(shot.files[0].data).hexdigest()
    assert [f.sha256 for f in shot.files] == produced_hashes(camera)
    assert shot.files[0].data[:2] == b"\xff\xd8"
    assert not shot.from_body_button


def test_body_button_shot_is_picked_up_while_idle_and_in_live_view(rig):
    worker, camera, rec = rig()
    camera.press_shutter_button()
    wait_until(lambda: len(rec.shots) == 1, what="idle body-button shot")
    worker.start_live_view()
    wait_until(lambda: rec.frames, what="live view")
    camera.press_shutter_button()
    wait_until(lambda: len(rec.shots) == 2, what="body-button shot during live view")
    assert all(s.from_body_button for s in rec.shots)
    assert len(produced_hashes(camera)) == 2


def test_raw_plus_jpeg_is_one_shot(rig):
    worker, camera, rec = rig()
    worker.set_setting("imageformat", "RAW + JPEG Fine")
    wait_until(lambda: rec.changed, what="setting")
    worker.capture()
    wait_until(lambda: rec.shots, what="pair")
    names = sorted(f.source.name for f in rec.shots[0].files)
    assert names == ["DSC_0001.JPG", "DSC_0001.NEF"]
    assert len(rec.shots) == 1


def test_settings_round_trip_and_bad_value_is_reported(rig):
    worker, camera, rec = rig()
    keys = {s.key for s in rec.settings[0]}
    assert {"iso", "aperture", "shutterspeed", "exposurecompensation", "whitebalance",
            "imageformat", "capturetarget", "focusmode"} <= keys
    worker.set_setting("iso", "800")
    wait_until(lambda: rec.changed, what="iso change")
    assert rec.changed[-1].value == "800" and camera.values["iso"] == "800"
    worker.set_setting("iso", "123456")
    wait_until(lambda: rec.problems, what="problem")
    assert "not one of the camera's choices" in rec.problems[-1][0]
    assert camera.values["iso"] == "800"


def test_live_view_delivers_moving_frames_and_stops(rig):
    worker, camera, rec = rig()
    worker.start_live_view()
    wait_until(lambda: len(rec.frames) >= 5 and rec.frames[-1].seq >= 12, what="frames")
    first, last = rec.frames[0], rec.frames[-1]
    assert last.seq > first.seq and last.rgb.shape == (camera.live_size[1], camera.live_size[0], 3)
    assert not last.rgb.flags.writeable
    diff = np.abs(first.rgb.astype(int) - last.rgb.astype(int)).mean()
    assert diff > 0.5, "the demo subject should move between frames"
    worker.stop_live_view()
    wait_until(lambda: worker.state == CameraState.READY, what="ready")
    seq = rec.frames[-1].seq
    import time
    time.sleep(0.3)
    assert rec.frames[-1].seq == seq


def test_capture_during_live_view_interleaves(rig):
    worker, camera, rec = rig()
    worker.start_live_view()
    wait_until(lambda: rec.frames, what="frames")
    for _ in range(3):
        worker.capture()
    wait_until(lambda: len(rec.shots) == 3, what="three shots")
    seq = rec.frames[-1].seq
    wait_until(lambda: rec.frames[-1].seq > seq + 5, what="live view continuing")


def test_busy_answers_are_retried(rig):
    worker, camera, rec = rig()
    camera.faults.set(busy_next=4)
    worker.capture()
    wait_until(lambda: rec.shots, what="shot despite busy")
    assert camera.faults.fired["busy"] == 4
    assert not [p for p in rec.problems if p[1] == "error"]


def test_truncated_download_is_fetched_again(rig):
    worker, camera, rec = rig()
    camera.faults.set(truncate_next=2)
    worker.capture()
    wait_until(lambda: rec.shots, what="shot")
    assert [f.sha256 for f in rec.shots[0].files] == produced_hashes(camera)
    assert camera.faults.fired["truncated"] == 2


def test_unplug_and_replug_reconnects_without_restart(rig):
    worker, camera, rec = rig()
    worker.start_live_view()
    wait_until(lambda: rec.frames, what="frames")
    camera.unplug()
    wait_until(lambda: rec.lost, what="camera lost")
    assert worker.state in (CameraState.DISCONNECTED, CameraState.CONNECTING)
    worker.capture()  # while unplugged: a clear message, no crash
    wait_until(lambda: any("not connected" in m for m, _ in rec.problems), what="message")
    camera.replug(port="sim:demo-2")  # a replug may change the port number
    wait_until(lambda: len(rec.connected) == 2, what="reconnect")
    seq = rec.frames[-1].seq
    wait_until(lambda: rec.frames[-1].seq > seq, what="live view resumed")
    worker.capture()
    wait_until(lambda: rec.shots, what="shot after reconnect")
    assert worker.port == "sim:demo-2"


def test_repeated_io_errors_mean_disconnected(rig):
    worker, camera, rec = rig()
    camera.faults.set(io_error_next=3)
    wait_until(lambda: rec.lost, what="lost after repeated -7")
    wait_until(lambda: len(rec.connected) == 2, what="reconnected")


def test_card_target_keeps_files_and_ram_target_deletes_only_after_release(rig):
    worker, camera, rec = rig()
    worker.capture()
    wait_until(lambda: rec.shots, what="card shot")
    worker.release_stored(rec.shots[0])
    assert rec.shots[0].target == CaptureTarget.CARD
    worker.set_setting("capturetarget", "Internal RAM")
    wait_until(lambda: rec.changed, what="target")
    worker.capture()
    wait_until(lambda: len(rec.shots) == 2, what="RAM shot")
    ram_shot = rec.shots[1]
    assert ram_shot.target == CaptureTarget.RAM
    assert camera.file_bytes(ram_shot.files[0].source) is not None, "kept until verified"
    worker.release_stored(ram_shot)
    wait_until(lambda: camera.file_bytes(ram_shot.files[0].source) is None, what="deleted")
    assert camera.file_bytes(rec.shots[0].files[0].source) is not None, "card file kept"


def test_safe_default_target_is_the_card(rig):
    worker, camera, rec = rig()
    assert camera.values["capturetarget"] == "Memory card"
    camera2 = SimulatedCamera(capture_size=SMALL)
    camera2.values["capturetarget"] = "Internal RAM"
    rec2 = Recorder()
    worker2 = CameraWorker(SimulatedBackend(camera2), camera2.port, rec2)
    worker2.start()
    try:
        wait_until(lambda: rec2.connected, what="connect")
        assert camera2.values["capturetarget"] == "Memory card"
    finally:
        worker2.stop()
        camera2.shutdown()


def test_worker_waits_for_a_camera_that_is_not_there_yet():
    camera = SimulatedCamera(capture_size=SMALL)
    camera.unplug()
    rec = Recorder()
    worker = CameraWorker(SimulatedBackend(camera), camera.port, rec,
                          WorkerOptions(reconnect_interval_s=0.05))
    worker.start()
    try:
        wait_until(lambda: rec.problems, what="waiting message")
        assert "Waiting for the camera" in rec.problems[0][0]
        camera.replug()
        wait_until(lambda: rec.connected, what="connected when plugged in")
    finally:
        worker.stop()
        camera.shutdown()


def embedded_preview_from_bytes(data: bytes) -> bytes | None:
    """The JPEG thumbnail in a JPEG's EXIF (IFD1), as the review reads it."""
    from media.decode.tiff_reader import TiffReader, exif_tiff

    tiff = exif_tiff(data[:256 * 1024])
    jpegs = TiffReader(tiff).embedded_jpegs() if tiff else []
    return jpegs[0] if jpegs else None


def test_full_size_capture_has_exif_and_thumbnail(rig):
    import io

    from PIL import Image

    worker, camera, rec = rig(capture_size=(6000, 4000))
    worker.capture()
    wait_until(lambda: rec.shots, timeout=30, what="24 MP shot")
    data = rec.shots[0].files[0].data
    image = Image.open(io.BytesIO(data))
    assert image.size == (6000, 4000)
    exif = image.getexif()
    sub = exif.get_ifd(0x8769)
    assert exif[0x010F] == "Catchlight" and exif[0x0110] == "Catchlight Demo Camera"
    assert float(sub[0x829D]) == 5.6 and sub[0x8827] == 100
    assert abs(float(sub[0x829A]) - 1 / 125) < 1e-9 and sub[0x9003]
    thumbnail = embedded_preview_from_bytes(data)
    assert thumbnail is not None                      # an EXIF thumbnail (IFD1) is there ...
    with Image.open(io.BytesIO(thumbnail)) as small:
        assert small.size == (320, 213)                  # ... of the whole 3:2 frame
