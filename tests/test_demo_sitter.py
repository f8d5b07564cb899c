"""The demo camera shows what the app does with real sitters: the sitter blinks on every n-th
shot (the demo's 7th), the face model flags it Eyes closed, and the client's screen holds it
back while the open-eyed shots reach it. Offscreen Qt, the demo camera, the face model."""

from __future__ import annotations

from camera.simulated.simulated_camera import SimulatedCamera
from session.model.flags import Flag


def test_a_blink_is_flagged_and_held_back_from_the_client(app_factory, qtbot):
    camera = SimulatedCamera(capture_size=(1800, 1200), blink_every=2)
    app = app_factory(session="Blinks", camera=camera, analyse=True)
    client = app.parts.client
    client.open(allow_primary=True)
    checked = []
    app.parts.capture.capture_checked.connect(checked.append)
    for _ in range(2):
        with qtbot.waitSignal(app.parts.capture.capture_checked, timeout=30000):
            app.controller.capture()
    first, second = checked
    assert Flag.EYES_CLOSED not in first.flags and Flag.EYES_CLOSED in second.flags
    qtbot.waitUntil(lambda: bool(client.held_back), timeout=5000)
    assert client.held_back[-1][0].endswith(second.key)
    assert "eyes_closed" in client.held_back[-1][1]
    assert client.client.shown_path.endswith(first.key)      # the open-eyed shot stays up


def test_the_demo_sitter_holds_up_the_next_persons_card_and_live_view_reads_it(
        app_factory, qtbot, tmp_path):
    """Roster → Demo camera: the next person holds up their card: the demo camera shows the
    QR card on live view and the tether switches to that person, as with a printed card."""
    app = app_factory(session="Cards")
    roster = app.parts.roster
    csv = tmp_path / "team.csv"
    csv.write_bytes("First name;Last name;Employee ID\nZoë;O'Brien;E-17\nBo;Berg;E-20\n"
                    .encode())
    roster.import_file(csv)
    qtbot.waitUntil(lambda: roster.current is not None and roster.current.id == "E-17",
                    timeout=5000)
    with qtbot.waitSignal(app.controller.ingest_bridge.stored, timeout=15000):
        app.controller.capture()                                 # Zoë has her shot
    qtbot.waitUntil(lambda: roster.counts()[0]["E-17"] == 1, timeout=5000)
    roster.demo_card()
    qtbot.waitUntil(lambda: roster.current.id == "E-20", timeout=8000)
    assert "now photographing Bo Berg" in app.window.banner.label.text()
    # Everyone else photographed: the card is simply the next person's (Zoë's again).
    roster.demo_card()
    qtbot.waitUntil(lambda: roster.current.id == "E-17", timeout=8000)


def test_each_card_brings_a_different_sitter_the_coach_still_reads():
    """The demo has several sitters made from its one portrait: each card held up seats the
    next one (facing the other way, standing nearer or further, under another white
    balance); live view and captures show them, and the face model finds every one."""
    import numpy as np

    from camera.simulated.sim_scene import SITTERS
    from coaching.landmarking.landmarks import Landmarkers
    from coaching.measure.measurements import measure

    camera = SimulatedCamera(capture_size=(1800, 1200))
    landmarkers = Landmarkers(video=False)
    seen = []
    try:
        for index in range(len(SITTERS)):
            if index:
                camera.hold_up_card(f"card-{index}", seconds=0.0)
            rgb = camera.scene.render(1200, 800, 2.0)
            observation = landmarkers.detect_faces(rgb)
            assert observation.faces, f"no face found on sitter {index}"
            seen.append((rgb.mean(axis=(0, 1)), measure(observation)))
    finally:
        landmarkers.close()
    heights = [m.face_height for _rgb, m in seen]
    assert heights[1] < heights[0] < heights[2]              # further back, then nearer
    centres = [m.face_center_x for _rgb, m in seen]
    assert abs((1 - centres[1]) - centres[0]) < 0.08         # the mirrored sitter
    warm, cool = seen[1][0], seen[2][0]
    assert warm[0] - warm[2] > cool[0] - cool[2] + 10         # warmer light on the second
    assert len({tuple(np.round(rgb, 0)) for rgb, _m in seen}) == len(SITTERS)


def test_in_a_strobe_studio_live_view_shows_the_modelling_lamps_and_captures_the_flash():
    """The demo camera is a strobe studio: live view is dimmer and warmer (modelling lamps)
    than the capture of the same moment, which is lit and balanced by the flash."""
    import io

    import numpy as np
    from PIL import Image

    from camera.simulated.sim_capture import CaptureRenderer

    camera = SimulatedCamera(live_size=(600, 400), strobes=True)
    live = np.asarray(Image.open(io.BytesIO(camera.live_jpeg())).convert("RGB"), np.float32)
    flash = CaptureRenderer(camera.scene).render(0.0, 1.0, (600, 400))
    shot = np.asarray(Image.open(io.BytesIO(flash.body)).convert("RGB"), np.float32)
    live_mean, shot_mean = live.mean(axis=(0, 1)), shot.mean(axis=(0, 1))
    assert live_mean.mean() < shot_mean.mean() * 0.9                  # dimmer
    assert live_mean[0] / live_mean[2] > shot_mean[0] / shot_mean[2] * 1.08   # warmer
    plain = SimulatedCamera(live_size=(600, 400))
    same = np.asarray(Image.open(io.BytesIO(plain.live_jpeg())).convert("RGB"), np.float32)
    assert abs(same.mean() - shot_mean.mean()) < 6       # without strobes: what you shoot
