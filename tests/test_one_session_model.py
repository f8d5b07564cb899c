"""One session model holds everything a day holds: the roster and each shot's person live in
it, so the consistency report opened in the review window during a tethered headshot day
counts the shots taken after it opened, and the roster panel, the report and the phones'
links read the same people (no controller keeps a copy)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from session.model.live_session import PERSON
from tests.test_roster_gui import ROSTER


def test_the_report_open_during_a_tethered_day_counts_new_shots(app_factory, qtbot, tmp_path):
    app = app_factory(session="Team", analyse=True)
    roster, window, parts = app.parts.roster, app.window, app.parts
    csv = tmp_path / "team.csv"
    csv.write_bytes(ROSTER)
    roster.import_file(csv)
    qtbot.waitUntil(lambda: len(app.model.people) == 3, timeout=5000)
    parts.review.review_current()                       # the report open beside the tether
    review = parts.review.review
    assert review is not None
    panel = review.consistency
    qtbot.waitUntil(panel.dock.isVisible, timeout=5000)
    assert [row.file for row in panel.report.rows] == ["", "", ""]     # nobody has a pick

    heard: list[str] = []
    app.model.subscribe(lambda event: heard.append(getattr(event, "what", "")))
    with qtbot.waitSignal(app.controller.ingest_bridge.stored, timeout=15000):
        app.controller.capture()                        # Zoë O'Brien (E-17) is in front
    key = app.model.shots[-1].key
    qtbot.waitUntil(lambda: app.model.shot(key).analysis is not None, timeout=30000)
    assert app.model.shot(key).person == "E-17"
    qtbot.waitUntil(lambda: window.review.path is not None
                    and window.review.path.name == key, timeout=15000)
    window.activateWindow()
    qtbot.keyClick(window.review, Qt.Key.Key_P)          # the photographer picks it
    qtbot.waitUntil(lambda: next(r for r in panel.report.rows if r.person_id == "E-17").file
                    == app.model.shot(key).display_name, timeout=5000)
    assert panel.people == roster.people == list(app.model.people)
    assert panel.assigned == roster.assigned == {name: "E-17"
                                                 for name in app.model.shot(key).names}

    # A shot given to another person moves in the report at once (Ctrl+]).
    hanako = next(p for p in roster.people if p.id == "E-19")
    roster.set_current(hanako)
    window.filmstrip.setCurrentIndex(window.filmstrip.model().index(0, 0))
    qtbot.keyClick(window, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: app.model.shot(key).person == "E-19", timeout=5000)
    assert PERSON in heard
    qtbot.waitUntil(lambda: next(r for r in panel.report.rows if r.person_id == "E-19").file
                    == app.model.shot(key).display_name, timeout=5000)
    assert next(r for r in panel.report.rows if r.person_id == "E-17").file == ""
    review.window.close()


def test_the_links_being_served_are_the_models(app_factory, qtbot):
    """Sharing puts the links in the session model (what the share dialog, the phones' views
    and a second window read); Stop sharing empties them there."""
    from session.model.link import LEAD

    app = app_factory(session="Links")
    proofing = app.parts.proofing
    heard: list[object] = []
    app.model.subscribe(lambda event: heard.append(event))
    proofing.share("127.0.0.1")
    qtbot.waitUntil(lambda: proofing.dialog is not None and proofing.dialog.isVisible(),
                    timeout=20000)
    assert [link.scope for link in app.model.links] == [LEAD]
    assert proofing.links is app.model.links
    assert proofing.dialog.link.text().endswith(f"/s/{app.model.links[0].token}/")
    proofing.stop_sharing()
    assert app.model.links == ()
    assert [type(e).__name__ for e in heard].count("LinksChanged") == 2


def test_a_roster_read_that_started_before_a_capture_never_takes_its_person(app_factory,
                                                                            qtbot, tmp_path):
    """A walk-in is added (the roster is read again off the GUI thread) while a shot is
    being given its person: the read, which does not know that shot yet, leaves it be. The
    same session read again keeps the links the phones are using."""
    from session.model.link import LEAD, Link
    from session.model.session_snapshot import load_snapshot

    app = app_factory(session="Race")
    with qtbot.waitSignal(app.controller.ingest_bridge.stored, timeout=15000):
        app.controller.capture()
    key = app.model.shots[-1].key
    app.model.set_person(key, "E-17")
    app.model.set_people([], {})                       # a read from before the capture
    assert app.model.shot(key).person == "E-17"
    links = (Link("t" * 22, LEAD),)
    app.model.set_links(links)
    app.model.open(load_snapshot(app.session.folder))   # the session read again
    assert app.model.links == links
