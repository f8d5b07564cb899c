"""The coach in the tether window: cues appear over live view from the demo camera, the
overlay key toggles them, set neutral records a baseline, each capture gets its analysis in
the catalog and its badges in the filmstrip, and missing models leave the app working."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from camera.simulated.simulated_camera import SimulatedCamera
from coaching.landmarking import models
from session.store.analysis_store import AnalysisStore
from ui.common.filmstrip_badges import FLAGS_ROLE
from ui.common.settings import COACH_PROFILE


@pytest.fixture
def coached(app_factory):
    app = app_factory(session="Coach", coach=True)
    return app.window, app.controller, app.parts.coach, app.camera, app.session, app


def test_live_coaching_reaches_the_overlay(coached, qtbot):
    window, _controller, coach, *_ = coached
    qtbot.waitUntil(lambda: coach.overlay.state is not None
                    and coach.overlay.state.faces == 1, timeout=15000)
    state = coach.overlay.state
    assert state.eyes is not None and 0.2 < state.measurements.eye_line < 0.5
    qtbot.waitUntil(lambda: coach.live.processed > 5, timeout=5000)
    shown = window.live_view.grab().toImage()
    assert not shown.isNull()
    qtbot.keyClick(window, Qt.Key.Key_O)
    assert not coach.overlay.visible
    qtbot.keyClick(window, Qt.Key.Key_O)
    assert coach.overlay.visible


def test_neutral_on_a_grin_is_refused_with_the_reason(coached, qtbot):
    window, _controller, coach, *_ = coached          # the demo subject is beaming
    qtbot.waitUntil(lambda: coach.overlay.state is not None, timeout=15000)
    assert window.panel.neutral.text().startswith("not set")
    assert coach.overlay.status.endswith("neutral not set")
    with qtbot.waitSignal(coach.bridge.neutral, timeout=10000) as done:
        qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ShiftModifier)
    message, accepted = done.args
    assert not accepted and "smiling" in message and "relaxed face" in message
    assert "smiling" in window.banner.label.text()
    assert coach.overlay.state.baseline is None and not coach.neutral_set
    assert window.panel.neutral.text().startswith("not set")


def test_neutral_on_a_relaxed_face_is_set_shown_and_cleared(app_factory, qtbot,
                                                            shared_photos):
    portrait = shared_photos / "neutral" / "grace_hopper_navy_portrait_neutral.jpg"
    app = app_factory(session="Neutral", coach=True,
                      camera=SimulatedCamera(capture_size=(1800, 1200), portrait=portrait))
    window, coach = app.window, app.parts.coach
    qtbot.waitUntil(lambda: coach.overlay.state is not None
                    and coach.overlay.state.faces == 1, timeout=15000)
    with qtbot.waitSignal(coach.bridge.neutral, timeout=10000) as done:
        qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ShiftModifier)
    message, accepted = done.args
    assert accepted, message
    qtbot.waitUntil(lambda: coach.overlay.state.baseline is not None, timeout=5000)
    assert coach.overlay.state.baseline.smile < 0.35
    assert "neutral set" in coach.overlay.status and coach.profile.name in coach.overlay.status
    assert window.panel.neutral.text() == "set (Coach ▸ Clear neutral)"   # no markup shown
    assert window.panel.coach_style.text() == coach.profile.name
    clear = next(a for a in window.findChildren(QAction) if a.text() == "C&lear neutral")
    clear.trigger()
    assert "Neutral cleared" in window.statusBar().currentMessage()
    assert window.panel.neutral.text().startswith("not set")
    qtbot.waitUntil(lambda: coach.overlay.state.baseline is None, timeout=5000)


def test_each_capture_is_analysed_into_the_catalog_and_badged(coached, qtbot):
    window, controller, _coach, _camera, session, app = coached
    qtbot.waitUntil(lambda: window.live_view.frames_shown > 3, timeout=10000)
    with qtbot.waitSignal(app.parts.capture.capture_analysed, timeout=20000) as blocker:
        controller.capture()
    analysed = blocker.args[0]
    name, result = analysed.key, analysed.result
    assert name == "Coach_0001.jpg" and result.ok and result.faces == 1
    store = AnalysisStore(session.folder)
    stored = store.result(name)
    store.close()
    assert stored["faces"] == 1 and stored["measurements"]["smile"] > 0.5
    assert app.model.shot(name).flags == result.flags                 # the one set of flags
    assert window.filmstrip_model.index_of(name).data(FLAGS_ROLE) == list(result.flags)


def test_profile_choice_is_remembered(coached, qtbot):
    window, _controller, coach, *_ = coached
    coach.set_profile("Editorial")
    assert window.settings.get(COACH_PROFILE) == "Editorial"
    assert coach.pipeline.profile.name == "Editorial"


def test_missing_models_leave_shooting_working(app_factory, qtbot, tmp_path, monkeypatch):
    empty = tmp_path / "models"
    empty.mkdir()
    monkeypatch.setenv(models.MODELS_ENV, str(empty))       # seen by the analysis processes
    app = app_factory(session="NoModels", coach=True,
                      camera=SimulatedCamera(capture_size=(900, 600)))
    window, controller, coach = app.window, app.controller, app.parts.coach
    qtbot.waitUntil(lambda: not coach.live.available, timeout=10000)
    qtbot.waitUntil(lambda: coach.overlay.message == "Coaching off", timeout=5000)
    assert any("coaching is off" in p for p in coach.problems)
    qtbot.waitUntil(lambda: window.live_view.frames_shown > 5, timeout=10000)
    with qtbot.waitSignal(controller.ingest_bridge.stored, timeout=10000):
        controller.capture()
    frame = window.live_view.frame
    assert frame is not None and np.asarray(frame.rgb).std() > 10
