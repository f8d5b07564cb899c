"""A headshot day for the people in the chair: when the next person sits down, the client's
screen greets them by name on the hold card, never with the previous colleague's picture; a
shot of the previous person that arrives after the switch is held back; a reject of the new
person's only shot brings back their card, not a colleague's shot. The photographer sees who is
in the chair on live view, and the names the template will give each person's shots before the
day starts. Offscreen Qt, demo camera, two screens."""

from __future__ import annotations

from PySide6.QtCore import Qt

ROSTER = ("First name;Last name;Employee ID\n"
          "Zoë;O'Brien;E-17\nFernando;García-López;E-19\n").encode()


def test_the_next_person_never_sees_the_previous_colleagues_shot(app_factory, qtbot,
                                                                 tmp_path):
    app = app_factory(session="Team", analyse=True)
    roster, client = app.parts.roster, app.parts.client
    client.open(allow_primary=True)
    qtbot.waitUntil(lambda: client.client.isVisible(), timeout=3000)
    csv = tmp_path / "team.csv"
    csv.write_bytes(ROSTER)
    roster.import_file(csv)
    qtbot.waitUntil(lambda: roster.current is not None and roster.current.id == "E-17",
                    timeout=5000)
    # The roster sits under the camera panel: the client monitor and Capture stay in sight.
    assert roster.dock.isVisible() and not app.window.tabifiedDockWidgets(roster.dock)
    assert client.monitor.isVisible() and not client.monitor.visibleRegion().isEmpty()
    assert app.window.panel.capture_button.isVisible()
    with qtbot.waitSignal(app.parts.capture.capture_checked, timeout=30000) as zoe:
        app.controller.capture()
    qtbot.waitUntil(lambda: client.client.shown_path.endswith(zoe.args[0].key), timeout=5000)

    with qtbot.waitSignal(client.client.changed, timeout=1000):   # the tether's monitor too
        qtbot.keyClick(app.window, Qt.Key.Key_BracketRight)      # Fernando sits down
    assert roster.current.id == "E-19"
    assert client.client.shown_path == "" and client.client.image.isNull()
    assert client.client.previous.isNull()                       # no cross-fade from Zoë
    assert client.client.hold_title == "Fernando García-López"   # his card, by name
    assert app.window.live_view.person_name == "Fernando García-López · no shots yet"
    assert roster.panel.list.currentItem().data(0, Qt.ItemDataRole.UserRole).id == "E-19"
    picture = client.client.grab().toImage()
    assert picture.pixelColor(5, 5).red() < 60                   # the card, not a photo

    with qtbot.waitSignal(app.parts.capture.capture_checked, timeout=30000) as fernando:
        app.controller.capture()
    key = fernando.args[0].key
    qtbot.waitUntil(lambda: client.client.shown_path.endswith(key), timeout=5000)
    qtbot.waitUntil(lambda: app.model.shot(key) is not None
                    and app.model.shot(key).person == "E-19", timeout=5000)
    # His only shot is rejected: his card comes back, not Zoë's shot.
    app.model.press(key, "x")
    qtbot.waitUntil(lambda: client.client.shown_path == "", timeout=5000)
    qtbot.wait(300)                                  # nothing decoded in the background either
    assert client.client.shown_path == "" and client.client.hold_title == "Fernando García-López"
    # A shot of Zoë that lands after the switch (taken just before it) is held back.
    client.set_person(roster.people[0])
    assert client.client.hold_title == "Zoë O'Brien"


def test_the_new_session_dialog_shows_the_names_its_template_gives(qtbot):
    """A live example under the template field: per-person numbering is seen before the day."""
    from ui.tether.session_dialog import NewSessionDialog

    dialog = NewSessionDialog()
    qtbot.addWidget(dialog)
    dialog.name.setText("Acme")
    assert dialog.example.text() == "For example: Acme_0001.jpg, Acme_0002.jpg …"
    dialog.template.setText("{last}_{first}_{pseq:02d}")
    assert dialog.example.text() == ("For example: O'Brien_Zoë_01.jpg, O'Brien_Zoë_02.jpg, "
                                     "García-López_Fernando_01.jpg …")
    dialog.template.setText("{session}_{pseq}")                # not unique: said, no example
    assert "pseq" in dialog.problem.text() and dialog.example.text() == ""
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
