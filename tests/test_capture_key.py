"""Issue 22, case 3: on a headshot day Space captures from wherever the keyboard focus is in
the tether window (the roster's "Find a person…" field, every other focusable widget), is
never typed into a field, and every press gives exactly one shot."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from tests.test_roster_gui import ROSTER


def _day(app_factory, qtbot, tmp_path):
    app = app_factory(session="Team")
    csv = tmp_path / "team.csv"
    csv.write_bytes(ROSTER)
    app.parts.roster.import_file(csv)
    qtbot.waitUntil(lambda: app.parts.roster.dock.isVisible(), timeout=5000)
    app.window.activateWindow()
    qtbot.waitUntil(app.window.isActiveWindow, timeout=3000)
    return app


def _space_gives_one_shot(app, qtbot, widget: QWidget) -> None:
    count = len(app.model)
    with qtbot.waitSignal(app.controller.ingest_bridge.stored, timeout=15000):
        qtbot.keyClick(widget, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: len(app.model) == count + 1, timeout=5000)


def test_space_in_the_roster_search_captures_every_time(app_factory, qtbot, tmp_path):
    app = _day(app_factory, qtbot, tmp_path)
    search = app.parts.roster.panel.search
    search.setText("Zo")
    for _ in range(5):
        search.setFocus()
        _space_gives_one_shot(app, qtbot, search)
    assert len(app.model) == 5
    assert search.text() == "Zo"                               # no space typed into it
    assert app.window.capture_key.presses == 5


def test_after_a_capture_the_keys_still_mark_the_shot_on_screen(app_factory, qtbot, tmp_path):
    """The capture hides live view (captures shown instead of it): focus stays on the
    viewers, never falling into the search field, so 3 marks the new shot."""
    app = _day(app_factory, qtbot, tmp_path)
    _space_gives_one_shot(app, qtbot, app.window.live_view)
    qtbot.waitUntil(lambda: app.window.review.path is not None, timeout=5000)
    focused = app.window.focusWidget()
    assert focused is not app.parts.roster.panel.search
    qtbot.keyClick(focused or app.window, Qt.Key.Key_3)
    assert app.model.marks(app.model.shots[-1].key).rating == 3
    assert app.parts.roster.panel.search.text() == ""


def test_space_captures_from_every_focusable_widget(app_factory, qtbot, tmp_path):
    app = _day(app_factory, qtbot, tmp_path)
    window = app.window
    focusable = [w for w in window.findChildren(QWidget)
                 if w.isVisible() and w.isEnabled() and w.window() is window
                 and w.focusPolicy() != Qt.FocusPolicy.NoFocus]
    assert len(focusable) >= 3
    for widget in focusable:
        widget.setFocus()
        _space_gives_one_shot(app, qtbot, widget)
    assert len(app.model) == len(focusable)


def test_space_in_the_share_dialog_captures_and_never_renews_the_link(app_factory, qtbot,
                                                                       tmp_path):
    """The share dialog stays open beside the shoot with its "New link" button focused:
    Space there is a shot, not a new link that would lock the phones out."""
    from PySide6.QtWidgets import QMessageBox

    app = _day(app_factory, qtbot, tmp_path)
    proofing = app.parts.proofing
    proofing.share("127.0.0.1")
    qtbot.waitUntil(lambda: proofing.dialog is not None and proofing.dialog.isVisible(),
                    timeout=20000)
    lead = proofing.lead_url()
    dialog = proofing.dialog
    for button in (dialog.renew, dialog.stop):
        button.setFocus()
        _space_gives_one_shot(app, qtbot, button)
    assert proofing.lead_url() == lead and proofing.sharing and dialog.isVisible()
    # A modal question keeps Space for its own buttons.
    box = QMessageBox(QMessageBox.Icon.Question, "Sure?", "Sure?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, dialog)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.open()
    qtbot.waitUntil(box.isVisible, timeout=3000)
    no = box.button(QMessageBox.StandardButton.No)
    no.setFocus()
    count = len(app.model)
    with qtbot.waitSignal(box.finished, timeout=3000):
        qtbot.keyClick(no, Qt.Key.Key_Space)
    assert len(app.model) == count
    proofing.stop_sharing()
