"""The demo camera's captures: a second shot of the same moment costs only its EXIF (the
profile of Space-to-disk showed the camera's own rendering was nearly all of it), yet every
file is distinct and carries its own ImageUniqueID; a new pose is rendered afresh."""

from __future__ import annotations

import hashlib
import io

from PIL import Image

from camera.simulated.sim_capture import POSES_PER_S, CaptureRenderer
from camera.simulated.sim_files import ExposureMeta, exif_tiff, splice_exif
from camera.simulated.sim_scene import Scene
from camera.simulated.simulated_camera import SimulatedCamera
from camera.types import EventKind


def test_shots_of_one_moment_render_once_and_differ_in_their_exif():
    renderer = CaptureRenderer(Scene())
    first = renderer.render(1.0, 1.0, (1800, 1200))
    again = renderer.render(1.0 + 0.4 / POSES_PER_S, 1.0, (1800, 1200))
    assert again is first and renderer.rendered == 1
    other = renderer.render(3.0, 1.0, (1800, 1200))
    assert other.body != first.body and renderer.rendered == 2
    files = []
    for number in (1, 2):
        meta = ExposureMeta("Catchlight", "Demo", "S1", 1.7e9, 1 / 125, 5.6, 100,
                            number=number)
        files.append(splice_exif(first.body, exif_tiff(meta, 1800, 1200, first.thumbnail)))
    assert hashlib.sha256(files[0]).digest() != hashlib.sha256(files[1]).digest()
    ids = [Image.open(io.BytesIO(f)).getexif().get_ifd(0x8769).get(0xA420) for f in files]
    assert ids[0] != ids[1] and all(len(i) == 32 for i in ids)
    with Image.open(io.BytesIO(files[0])) as image:
        assert image.size == (1800, 1200)
        image.load()


def test_the_demo_camera_makes_distinct_files_for_a_quick_burst():
    camera = SimulatedCamera(capture_size=(1200, 800))
    try:
        for _ in range(3):
            camera.press_shutter_button()
        data = []
        while len(data) < 3:
            event = camera.next_event(5.0)
            assert event.kind != EventKind.TIMEOUT, "the camera made its files"
            if event.kind == EventKind.FILE_ADDED:
                data.append(camera.file_bytes(event.file))
        assert len({hashlib.sha256(d).digest() for d in data}) == 3
    finally:
        camera.shutdown()


def test_the_demo_body_processes_its_captures_in_a_process_of_its_own():
    """The demo's image processor runs in a child process (its encode held the app's
    interpreter lock): the same pictures as on a thread, for every sitter and the grey
    card, and a killed processor is started again for the next shot."""
    import os
    import signal

    from camera.factory import demo_backend

    own = SimulatedCamera(capture_size=(1200, 800), processor_process=True)
    here = SimulatedCamera(capture_size=(1200, 800))
    try:
        for camera in (own, here):
            camera.scene.next_sitter()
            camera.scene.grey_card = True
        first = own.renderer.render(1.0, 1.0, (1200, 800))
        assert first.body == here.renderer.render(1.0, 1.0, (1200, 800)).body
        assert first.preview == here.renderer.render(1.0, 1.0, (1200, 800)).preview
        child = own._processor_process.pid
        assert child is not None and child != os.getpid()
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
        again = own.renderer.render(2.0, 1.0, (1200, 800))
        assert again.body == here.renderer.render(2.0, 1.0, (1200, 800)).body
        assert own._processor_process.pid not in (None, child)
    finally:
        own.shutdown()
        here.shutdown()
    backend, _port = demo_backend()
    assert backend.camera._processor_process is not None     # the demo's own body
    backend.camera.shutdown()
