"""Review while shooting: Ctrl+R opens the session being shot; a mark made in the review shows
in the tether filmstrip (one shared culling), a mark made at the tether shows in the review
grid, and new captures join the open review."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from camera.simulated_backend import SimulatedBackend
from camera.simulated_camera import SimulatedCamera
from session.session import create_session
from session.xmp_sidecar import CullMarks, read_sidecar
from ui.app import assemble
from ui.image_loader import ImageLoader
from ui.settings import AppSettings
from ui.tether_window import TetherWindow


@pytest.fixture
def shooting(qtbot, tmp_path):
    settings = AppSettings(tmp_path / "settings.ini")
    loader = ImageLoader()
    window = TetherWindow(settings, loader)
    parts = assemble(window)
    qtbot.addWidget(window)
    session = create_session("Tethered", root=tmp_path / "sessions")
    parts.controller.open_session(session)
    camera = SimulatedCamera(capture_size=(1800, 1200))
    parts.controller.attach_camera(SimulatedBackend(camera), camera.port)
    window.show()
    qtbot.waitUntil(lambda: parts.cull.culler is not None, timeout=10000)
    for _ in range(2):
        with qtbot.waitSignal(parts.controller.capture_stored, timeout=15000):
            parts.controller.capture()
    yield window, parts, session
    parts.review.shutdown()
    parts.cull.shutdown()
    parts.client.shutdown()
    parts.controller.shutdown()
    loader.close()
    camera.shutdown()


def test_review_shares_marks_with_the_tether_window_and_follows_captures(shooting, qtbot):
    window, parts, session = shooting
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    review = parts.review.review
    assert review is not None
    qtbot.waitUntil(lambda: review.window.model.rowCount() == 2, timeout=10000)
    assert review.controller.shared
    model = review.window.model
    qtbot.waitUntil(lambda: all(model.has_thumbnail(s.name) for s in model.shots),
                    timeout=10000)                   # every tile shows its picture
    review.window.grid.go_to(0)
    qtbot.keyClick(review.window, Qt.Key.Key_5)
    assert window.filmstrip_model.marks["Tethered_0001.jpg"] == CullMarks(5, "", 0)
    assert read_sidecar(session.folder / "Tethered_0001.jpg") == CullMarks(5, "", 0)
    window.filmstrip.step(1)
    qtbot.waitUntil(lambda: window.review.path is not None
                    and window.review.path.name == "Tethered_0002.jpg", timeout=5000)
    window.activateWindow()                     # the photographer goes back to the tether
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    qtbot.keyClick(window, Qt.Key.Key_X)
    assert review.window.model.marks["Tethered_0002.jpg"] == CullMarks(0, "", -1)
    with qtbot.waitSignal(parts.controller.capture_stored, timeout=15000):
        parts.controller.capture()
    qtbot.waitUntil(lambda: review.window.model.rowCount() == 3, timeout=5000)
    assert review.controller.shots[-1].name == "Tethered_0003.jpg"


def test_switching_the_tether_session_keeps_the_review_working(shooting, qtbot, tmp_path):
    window, parts, session = shooting
    parts.review.review_current()
    review = parts.review.review
    qtbot.waitUntil(lambda: review.window.model.rowCount() == 2, timeout=10000)
    parts.controller.open_session(create_session("Next client", root=tmp_path / "sessions"))
    qtbot.waitUntil(lambda: review.controller.culler is not None
                    and not review.controller.shared, timeout=10000)
    review.window.grid.go_to(1)
    review.window.activateWindow()
    qtbot.waitUntil(review.window.isActiveWindow, timeout=3000)
    qtbot.keyClick(review.window, Qt.Key.Key_3)
    assert read_sidecar(session.folder / "Tethered_0002.jpg") == CullMarks(3, "", 0)
