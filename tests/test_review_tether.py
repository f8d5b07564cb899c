"""Review while shooting: Ctrl+R opens the session being shot on the tether's own live
model: a mark made in the review shows in the tether filmstrip and on the client's terms, a
mark made at the tether shows in the review grid, and new captures join the open review;
switching the tether's session, even while the review is still loading, never stops the two
windows agreeing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from session.culling.xmp_sidecar import CullMarks, read_sidecar
from session.store.session import create_session
from ui.common.filmstrip_badges import MARKS_ROLE


@pytest.fixture
def shooting(app_factory, qtbot):
    app = app_factory(session="Tethered")
    for _ in range(2):
        with qtbot.waitSignal(app.controller.ingest_bridge.stored, timeout=15000):
            app.controller.capture()
    qtbot.waitUntil(lambda: len(app.model) == 2, timeout=5000)
    return app


def test_review_shares_marks_with_the_tether_window_and_follows_captures(shooting, qtbot):
    window, parts, session = shooting.window, shooting.parts, shooting.session
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    review = parts.review.review
    assert review is not None
    qtbot.waitUntil(lambda: review.window.model.rowCount() == 2, timeout=10000)
    assert review.controller.session is shooting.model             # one model, not a copy
    model = review.window.model
    qtbot.waitUntil(lambda: all(model.has_thumbnail(s.key) for s in model.shots),
                    timeout=10000)                   # every tile shows its picture
    review.window.grid.go_to(0)
    qtbot.keyClick(review.window, Qt.Key.Key_5)
    tile = window.filmstrip_model.index_of("Tethered_0001.jpg")
    assert tile.data(MARKS_ROLE) == CullMarks(5, "", 0)
    assert read_sidecar(session.folder / "Tethered_0001.jpg") == CullMarks(5, "", 0)
    window.filmstrip.step(1)
    qtbot.waitUntil(lambda: window.review.path is not None
                    and window.review.path.name == "Tethered_0002.jpg", timeout=5000)
    window.activateWindow()                     # the photographer goes back to the tether
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    qtbot.keyClick(window, Qt.Key.Key_X)
    row = model.rows["Tethered_0002.jpg"]
    assert model.index(row).data(MARKS_ROLE) == CullMarks(0, "", -1)
    with qtbot.waitSignal(parts.controller.ingest_bridge.stored, timeout=15000):
        parts.controller.capture()
    qtbot.waitUntil(lambda: review.window.model.rowCount() == 3, timeout=5000)
    assert review.controller.shots[-1].key == "Tethered_0003.jpg"


def test_switching_the_tether_session_keeps_the_review_working(shooting, qtbot, tmp_path):
    parts, session = shooting.parts, shooting.session
    parts.review.review_current()
    review = parts.review.review
    qtbot.waitUntil(lambda: review.window.model.rowCount() == 2, timeout=10000)
    parts.controller.open_session(create_session("Next client", root=tmp_path / "sessions"))
    review.window.grid.go_to(1)
    review.window.activateWindow()
    qtbot.waitUntil(review.window.isActiveWindow, timeout=3000)
    qtbot.keyClick(review.window, Qt.Key.Key_3)                # the old session: still works
    assert read_sidecar(session.folder / "Tethered_0002.jpg") == CullMarks(3, "", 0)


def test_marks_agree_after_a_session_switch_mid_load(shooting, qtbot, tmp_path):
    """The tether switches to another session while the review opens it (its model still
    loading): both windows end up on one model and a mark in either shows in both."""
    window, parts = shooting.window, shooting.parts
    parts.review.review_current()
    review = parts.review.review
    qtbot.waitUntil(lambda: review.window.model.rowCount() == 2, timeout=10000)
    other = create_session("Next client", root=tmp_path / "sessions")
    parts.controller.open_session(other)
    review.controller.open_folder(other.folder)                # while it is still loading
    assert review.controller.session is parts.controller.model
    for _ in range(2):
        with qtbot.waitSignal(parts.controller.ingest_bridge.stored, timeout=15000):
            parts.controller.capture()
    qtbot.waitUntil(lambda: review.window.model.rowCount() == 2, timeout=10000)
    review.window.grid.go_to(0)
    review.window.activateWindow()
    qtbot.waitUntil(review.window.isActiveWindow, timeout=3000)
    qtbot.keyClick(review.window, Qt.Key.Key_4)
    tile = window.filmstrip_model.index_of("Next client_0001.jpg")
    assert tile.data(MARKS_ROLE) == CullMarks(4, "", 0)            # the tether sees it
    window.filmstrip.setCurrentIndex(window.filmstrip_model.index_of("Next client_0002.jpg"))
    qtbot.waitUntil(lambda: window.review.path is not None
                    and window.review.path.name == "Next client_0002.jpg", timeout=5000)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    qtbot.keyClick(window, Qt.Key.Key_P)
    grid = review.window.model
    assert grid.index(grid.rows["Next client_0002.jpg"]).data(MARKS_ROLE).pick == 1


def test_closing_the_review_window_keeps_the_tether_whole(shooting, qtbot):
    """Issue 22, case 2: the review window opened and closed three times; each later capture
    still reaches the pane and the filmstrip, and a culling key marks the shot just taken
    (never an older one)."""
    window, parts, session = shooting.window, shooting.parts, shooting.session
    for round in range(3):
        parts.review.review_current()
        review = parts.review.review
        qtbot.waitUntil(lambda review=review, n=2 + round: review.window.model.rowCount() == n,
                        timeout=10000)
        review.window.close()
        qtbot.waitUntil(lambda: parts.review.review is None, timeout=3000)
        qtbot.wait(50)                       # let Qt delete the closed window's objects
        with qtbot.waitSignal(parts.controller.ingest_bridge.stored, timeout=15000):
            parts.controller.capture()
        newest = f"Tethered_{3 + round:04d}.jpg"
        qtbot.waitUntil(lambda newest=newest: window.review.path is not None
                        and window.review.path.name == newest, timeout=5000)
        assert window.filmstrip_model.index_of(newest).isValid()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=3000)
        before = {s.key: s.marks for s in shooting.model.shots if s.key != newest}
        qtbot.keyClick(window, Qt.Key.Key_3)
        assert read_sidecar(session.folder / newest) == CullMarks(3, "", 0)
        assert {s.key: s.marks for s in shooting.model.shots if s.key != newest} == before
