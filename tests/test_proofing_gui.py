"""Proofing from the tether window: Proofing → Share to phones starts the server on the chosen
address (loopback here) and shows a QR code that reads back as the link; a capture, once the
face model has seen it, is listed for the phones; a heart from a phone comes home into the one
session model (badge "♥ client", the filmstrip's favourites-only view); Stop sharing revokes
the link at once."""

from __future__ import annotations

import json

import numpy as np
import zxingcpp
from PySide6.QtGui import QImage

from session.model.flags import CLIENT_FAVOURITE
from tests.proofing_session import get, post
from ui.common.filmstrip_badges import FLAGS_ROLE


def read_qr(pixmap) -> str:
    image = pixmap.toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(),
                                                                image.bytesPerLine())
    codes = zxingcpp.read_barcodes(np.ascontiguousarray(pixels[:, :image.width()]))
    return codes[0].text if codes else ""


def test_share_to_phones_and_favourites_come_home(app_factory, qtbot):
    app = app_factory(session="Proof", coach=False, analyse=True)
    proofing, window = app.parts.proofing, app.window
    with qtbot.waitSignal(app.controller.ingest_bridge.stored, timeout=15000):
        app.controller.capture()
    qtbot.waitUntil(lambda: bool(app.model.shots and app.model.shots[0].analysis),
                    timeout=20000)
    proofing.share("127.0.0.1")
    qtbot.waitUntil(lambda: proofing.dialog is not None and proofing.dialog.isVisible(),
                    timeout=5000)
    link = proofing.lead_url()
    assert link.startswith("http://127.0.0.1:") and proofing.dialog.link.text() == link
    assert read_qr(proofing.dialog.code.pixmap()) == link      # what a phone scans
    qtbot.waitUntil(lambda: len(json.loads(get(link + "api/shots")[2])["shots"]) == 1,
                    timeout=5000)
    shot = json.loads(get(link + "api/shots")[2])["shots"][0]
    status, _answer = post(f"{link}api/shots/{shot['id']}/favourite",
                           {"favourite": True, "comment": "love it", "device": "phone"})
    assert status == 200
    qtbot.waitUntil(lambda: app.model.shots[0].client.favourite, timeout=5000)
    tile = window.filmstrip.model().index(0, 0)
    assert CLIENT_FAVOURITE in tile.data(FLAGS_ROLE)                # the ♥ client badge
    window.filmstrip.show_favourites_only(True)
    assert not window.filmstrip.isRowHidden(0)
    with qtbot.waitSignal(app.controller.ingest_bridge.stored, timeout=15000):
        app.controller.capture()
    qtbot.waitUntil(lambda: window.filmstrip.model().rowCount() == 2, timeout=5000)
    assert window.filmstrip.isRowHidden(1)                          # not hearted: hidden
    proofing.stop_sharing()
    status = None
    try:
        status = get(link)[0]
    except OSError:
        status = "closed"
    assert status in (404, "closed")
    assert "Sharing stopped" in window.banner.label.text()


def test_the_server_process_dying_is_said_and_sharing_can_start_again(app_factory, qtbot):
    app = app_factory(session="Proof", coach=False, analyse=True, camera=None)
    proofing, window = app.parts.proofing, app.window
    proofing.share("127.0.0.1")
    qtbot.waitUntil(lambda: proofing.dialog is not None and proofing.dialog.isVisible(),
                    timeout=10000)
    link = proofing.lead_url()
    assert get(link)[0] == 200
    proofing.server._proc.kill()                       # the server's own process dies
    qtbot.waitUntil(lambda: "proofing server ended unexpectedly"
                    in window.banner.label.text(), timeout=5000)
    assert proofing.server is None and not proofing.dialog.isVisible()
    proofing.share("127.0.0.1")                        # the same link serves again
    qtbot.waitUntil(lambda: proofing.server is not None and proofing.dialog.isVisible(),
                    timeout=10000)
    assert proofing.lead_url().rsplit("/s/", 1)[1] == link.rsplit("/s/", 1)[1]
    qtbot.waitUntil(lambda: get(proofing.lead_url())[0] == 200, timeout=5000)
    proofing.stop_sharing()
