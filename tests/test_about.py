"""Help → About lists the licences of what ships, the model notice, and the version."""

from __future__ import annotations

from resources.version import VERSION
from ui.common.about_dialog import AboutDialog


def test_about_lists_licences_notice_and_version(qtbot):
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    text = dialog.licences.toPlainText()
    for expected in ("Qt 6", "LGPL", "libgphoto2", "MediaPipe", "Apache-2.0", "OpenCV",
                     "face_landmarker.task", "Public domain"):
        assert expected in text, expected
    from PySide6.QtWidgets import QLabel

    assert any(VERSION in label.text() for label in dialog.findChildren(QLabel))
