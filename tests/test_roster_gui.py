"""The headshot day at the tether: a roster imported into the session shows the Roster panel
with the first person current; every capture is recorded as the current person's (in the
catalog, counted in the panel); ] moves to the next person; a card read off live view
switches to its person with a flash and the banner, and a card not on the roster is
reported. Each shot's sidecar names its person."""

from __future__ import annotations

from PySide6.QtCore import Qt

from coaching.live.card_reader import CardSeen
from session.culling.xmp_sidecar import read_people
from session.people.roster_store import RosterStore
from tests.helpers import capture_analysed
from ui.tether.camera_panel import CameraPanel

ROSTER = ("\ufeffFirst name;Last name;Department;Employee ID\n"
          "Zoë;O'Brien;Sales;E-17\nHanako;Yamada;PR;E-19\nBo;Berg;IT;E-20\n").encode()


def test_a_team_day_at_the_tether(app_factory, qtbot, tmp_path):
    app = app_factory(session="Team")
    roster, window = app.parts.roster, app.window
    assert not roster.dock.isVisible()                       # no roster, no panel
    csv = tmp_path / "team.csv"
    csv.write_bytes(ROSTER)
    roster.import_file(csv)
    qtbot.waitUntil(lambda: len(roster.people) == 3 and roster.dock.isVisible(), timeout=5000)
    assert roster.current.name == "Zoë O'Brien" and roster.reader.enabled
    # The camera's settings fold away so the roster has the room; one click opens them.
    camera = window.findChild(CameraPanel, "cameraPanel")
    assert camera.settings_folded and not camera.settings_box.isVisible()
    assert camera.capture_button.isVisible()                  # Capture never goes
    camera.settings_fold.click()
    assert camera.settings_box.isVisible() and not camera.settings_folded
    camera.settings_fold.click()
    assert roster.panel.now.text() == "Now: Zoë O'Brien"
    assert roster.panel.next.text() == "Next: Hanako Yamada"
    with qtbot.waitSignal(app.controller.ingest_bridge.stored, timeout=15000):
        app.controller.capture()
    qtbot.waitUntil(lambda: roster.counts()[0]["E-17"] == 1, timeout=5000)
    first = roster.panel.list.topLevelItem(0)
    assert [first.text(c) for c in range(3)] == ["✓ Zoë O'Brien", "1", "0"]
    qtbot.keyClick(window, Qt.Key.Key_BracketRight)
    assert roster.current.id == "E-19"
    roster.cards.put(CardSeen("CL1:E-20", "E-20", 7))
    qtbot.waitUntil(lambda: roster.current.id == "E-20", timeout=3000)
    assert "now photographing Bo Berg" in window.banner.label.text()
    with qtbot.waitSignal(app.controller.ingest_bridge.stored, timeout=15000):
        app.controller.capture()
    qtbot.waitUntil(lambda: roster.counts()[0]["E-20"] == 1, timeout=5000)
    roster.cards.put(CardSeen("CL1:X-1", "X-1", 8))
    qtbot.waitUntil(lambda: "not on this session's roster" in window.banner.label.text(),
                    timeout=3000)
    assert roster.current.id == "E-20"                      # an unknown card changes nobody
    roster.panel.search.setText("yam")
    assert roster.panel.list.topLevelItemCount() == 1
    assert "Hanako" in roster.panel.list.topLevelItem(0).text(0)
    def catalogued() -> list[str]:
        store = RosterStore(app.session.folder)
        try:
            return sorted(store.assignments().values())
        finally:
            store.close()

    qtbot.waitUntil(lambda: catalogued() == ["E-17", "E-20"], timeout=5000)   # in the catalog
    shots = app.model.shots                                  # and in each shot's sidecar
    qtbot.waitUntil(lambda: [read_people(s.path) for s in shots] == [["Zoë O'Brien"],
                                                                    ["Bo Berg"]], timeout=5000)
    # A card was missed: the first shot was Hanako's. One action; no file is renamed.
    first_name = shots[0].path.name
    roster.set_current(next(p for p in roster.people if p.id == "E-19"))
    window.filmstrip.setCurrentIndex(window.filmstrip.model().index(0, 0))
    qtbot.keyClick(window, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "now Hanako Yamada's (file names unchanged)"
                    in window.banner.label.text(), timeout=5000)
    assert read_people(shots[0].path) == ["Hanako Yamada"] and shots[0].path.exists()
    assert app.model.shots[0].path.name == first_name
    assert catalogued() == ["E-19", "E-20"]


def test_a_bad_roster_changes_nothing_and_says_why(app_factory, qtbot, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    app = app_factory(session="Team")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"Name,ID\nAnna,1\nBo,1\n")
    app.parts.roster.import_file(bad)

    def shown() -> list[QMessageBox]:
        return [box for box in app.window.findChildren(QMessageBox) if box.isVisible()]

    qtbot.waitUntil(lambda: bool(shown()), timeout=5000)
    assert "line 3: id '1' is also on line 2" in shown()[0].text()
    # The warning waits over the window; the tether behind it goes on.
    assert app.parts.roster.people == [] and not app.parts.roster.dock.isVisible()
    with qtbot.waitSignal(app.controller.ingest_bridge.stored, timeout=15000):
        app.controller.capture()
    shown()[0].button(QMessageBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: not shown(), timeout=5000)


def test_files_are_named_for_the_person_in_front_of_the_camera(app_factory, qtbot, tmp_path):
    from session.store.session import create_session

    made = create_session("Team", root=tmp_path / "made", template="{last}_{first}_{seq:03d}")
    app = app_factory(folder=made.folder)
    roster = app.parts.roster
    csv = tmp_path / "team.csv"
    csv.write_bytes(ROSTER)
    roster.import_file(csv)
    qtbot.waitUntil(lambda: len(roster.people) == 3, timeout=5000)
    with qtbot.waitSignal(app.controller.ingest_bridge.stored, timeout=15000) as stored:
        app.controller.capture()
    assert [p.name for p in stored.args[0].paths] == ["O'Brien_Zoë_001.jpg"]
    assert stored.args[0].person.id == "E-17"
    qtbot.keyClick(app.window, Qt.Key.Key_BracketRight)
    with qtbot.waitSignal(app.controller.ingest_bridge.stored, timeout=15000) as stored:
        app.controller.capture()
    assert [p.name for p in stored.args[0].paths] == ["Yamada_Hanako_002.jpg"]


def test_use_as_house_look_aims_the_coach_and_is_kept_with_the_session(app_factory, qtbot,
                                                                       tmp_path):
    """Capture, approve, Ctrl+Shift+H: the catalog keeps the look, the live coach and the
    pipeline aim at it, the overlay says so; saved to a file, it loads into another session."""
    from session.people.house_look_store import session_look

    app = app_factory(session="Acme", coach=True)
    window, house, coach = app.window, app.parts.house, app.parts.coach
    qtbot.waitUntil(lambda: coach.overlay.state is not None and coach.overlay.state.faces == 1,
                    timeout=15000)
    capture_analysed(app, qtbot)
    window.filmstrip.setCurrentIndex(window.filmstrip.model().index(0, 0))
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: coach.house is not None, timeout=5000)
    measured = app.model.shots[0].analysis["measurements"]
    assert coach.house.eye_line == measured["eye_line"]
    assert coach.house.source == app.model.shots[0].display_name
    assert "The coach aims at it" in window.banner.label.text()
    assert coach.pipeline.profile.house == coach.house
    assert coach.overlay.status.endswith("house look") and coach.overlay.house == coach.house
    assert session_look(app.session.folder) == coach.house
    saved = tmp_path / "Acme house look.json"
    house.save_file(saved)
    qtbot.waitUntil(saved.exists, timeout=5000)
    # A recurring client: another session loads the file.
    other = app_factory(session="Acme again", camera=None)
    other.parts.house.load_file(saved)
    qtbot.waitUntil(lambda: other.parts.house.look == coach.house, timeout=15000)
    assert session_look(other.session.folder) == coach.house
    # Forgetting it returns the coach to the style profile.
    house.set_look(None)
    qtbot.waitUntil(lambda: coach.house is None, timeout=5000)
    assert coach.pipeline.profile.house is None and session_look(app.session.folder) is None
