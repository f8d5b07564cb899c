"""Issue 29 at the tether: capture, select the shot, Shift+H: the shot becomes the day's hero
frame, kept in the session's catalog; the live coach scores every frame against it (the score
is on the photographer's overlay, never on the client's screen), the next captures store their
score and differences, and a person's own hero frame takes over while they sit."""

from __future__ import annotations

from PySide6.QtCore import Qt

from session.people.hero_frame import DAY
from session.people.hero_store import session_heroes
from tests.helpers import capture_analysed

ROSTER = "First name;Last name;Employee ID\nZoë;O'Brien;E-17\nBo;Berg;E-20\n".encode()


def test_a_shot_becomes_the_hero_frame_and_the_coach_steers_to_it(app_factory, qtbot,
                                                                  tmp_path):
    app = app_factory(session="Hero day", coach=True)
    window, coach, hero = app.window, app.parts.coach, app.parts.hero
    assert hero is not None
    qtbot.waitUntil(lambda: coach.overlay.state is not None and coach.overlay.state.faces == 1,
                    timeout=15000)
    capture_analysed(app, qtbot)
    window.filmstrip.setCurrentIndex(window.filmstrip.model().index(0, 0))
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: coach.hero is not None, timeout=5000)
    first = app.model.shots[0]
    assert coach.hero.source == first.display_name
    assert coach.hero.values["face_height"] == first.analysis["measurements"]["face_height"]
    assert session_heroes(app.session.folder)[DAY] == coach.hero       # kept with the session
    assert coach.pipeline.profile.hero == coach.hero
    assert coach.overlay.status.endswith("hero frame")
    # Live view is scored against it (the demo subject sways: near, never a stranger).
    qtbot.waitUntil(lambda: coach.overlay.state is not None
                    and coach.overlay.state.match is not None, timeout=15000)
    assert coach.overlay.state.match.score > 30
    # The next capture stores its score and differences with its analysis.
    capture_analysed(app, qtbot)
    stored = app.model.shots[1].analysis["match"]
    assert 0 <= stored["score"] <= 100 and isinstance(stored["differences"], list)
    # A person's own hero frame takes over while they sit; the next person gets the day's.
    csv = tmp_path / "team.csv"
    csv.write_bytes(ROSTER)
    app.parts.roster.import_file(csv)
    qtbot.waitUntil(lambda: len(app.parts.roster.people) == 2, timeout=5000)
    window.filmstrip.setCurrentIndex(window.filmstrip.model().index(1, 0))
    day = coach.hero
    hero.use_selected(for_person=True)
    qtbot.waitUntil(lambda: coach.hero is not None and coach.hero != day, timeout=5000)
    assert session_heroes(app.session.folder)["E-17"] == coach.hero
    qtbot.keyClick(window, Qt.Key.Key_BracketRight)                   # the next person
    qtbot.waitUntil(lambda: coach.hero == day, timeout=5000)
    # Forgotten: the coach uses its style profile again.
    hero.forget()
    qtbot.waitUntil(lambda: coach.hero is None, timeout=5000)
    assert DAY not in session_heroes(app.session.folder)
    assert coach.pipeline.profile.hero is None


def test_a_reference_picture_without_a_face_is_refused_in_words(app_factory, qtbot, tmp_path):
    from PIL import Image

    app = app_factory(session="Hero refused", camera=None, coach=True)
    blank = tmp_path / "backdrop.png"
    Image.new("RGB", (640, 480), (120, 120, 120)).save(blank)
    app.parts.hero.load_file(blank)
    qtbot.waitUntil(lambda: "Hero frame not set" in app.window.banner.label.text(),
                    timeout=20000)
    assert "No face was measured in backdrop.png" in app.window.banner.label.text()
    assert session_heroes(app.session.folder) == {}
