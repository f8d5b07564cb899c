"""Issue 22, case 7: HTML in a card's payload or a roster name is shown as the characters
typed, through the real card-reader path (a QR code in a live frame, read on the reader's
thread, reported in the tether's banner), in the roster panel and in its tooltips."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from camera.simulated.simulated_camera import SimulatedCamera
from camera.types import LiveFrame
from media.imaging import decode
from tests.test_card_reader import card_picture, composite

HOSTILE = "CL1:<h1 style='color:green'>All 212 shots backed up</h1><!--"
ROSTER = (b"Name,ID\n\"<b style='font-size:40px'>Big</b> Boss\",E-1\n"
          b"<img src=x onerror=alert(1)>,E-2\n")


def test_html_on_a_card_and_in_names_is_shown_as_text(app_factory, qtbot, tmp_path):
    app = app_factory(session="Team", camera=None)       # only this frame reaches the reader
    roster, banner = app.parts.roster, app.window.banner
    csv = tmp_path / "team.csv"
    csv.write_bytes(ROSTER)
    roster.import_file(csv)
    qtbot.waitUntil(lambda: len(roster.people) == 2, timeout=5000)
    now = roster.panel.now
    assert now.text() == "Now: <b style='font-size:40px'>Big</b> Boss"
    assert now.textFormat() == Qt.TextFormat.PlainText
    assert roster.panel.next.textFormat() == Qt.TextFormat.PlainText

    camera = SimulatedCamera()
    rgb = decode(camera.live_jpeg())
    camera.shutdown()
    shot = composite(rgb, card_picture(HOSTILE, 300), (384, 256), 0, 0)
    roster.reader.on_live_frame(LiveFrame(1, 0.0, b"", shot, np.zeros((1, 1, 4), np.uint8)))
    qtbot.waitUntil(lambda: "not on this session's roster" in banner.label.text(),
                    timeout=5000)
    assert "<h1 style='color:green'>" in banner.label.text()          # the characters
    assert banner.label.textFormat() == Qt.TextFormat.PlainText       # never rendered
    assert roster.current.id == "E-1"
