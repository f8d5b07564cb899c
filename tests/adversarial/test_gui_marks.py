"""Issue case 2 in the review window: 4 then X keeps the stars; U brings the shot back with
them, also after reopening; Clear filters always shows every shot, rejects included; "Best"
never names a rejected frame."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from session.culling.xmp_sidecar import CullMarks
from session.store.analysis_store import AnalysisStore
from tests.sample_session import make_session
from ui.app import build_review
from ui.common.settings import AppSettings


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "2026-11-18_Anna"
    make_session(path, 4, size=(600, 400), name="Anna", burst_every=4)
    store = AnalysisStore(path)
    for name, sharp in (("Anna_0001.jpg", 0.3), ("Anna_0002.jpg", 0.9), ("Anna_0003.jpg", 0.5)):
        store.save(name, {"ok": True, "eyes": [0.4, 0.3], "flags": [],
                          "measurements": {"eye_sharpness": sharp, "head_yaw_deg": 0.0}}, [])
    store.close()
    return path


def open_review(qtbot, tmp_path: Path, folder: Path):  # type: ignore[no-untyped-def]
    settings = AppSettings(tmp_path / "s.ini")
    review = build_review(settings, prefetch=False, analyse=False)   # a new app each time
    qtbot.addWidget(review.window)
    review.window.show()
    with qtbot.waitSignal(review.controller.opened, timeout=10000):
        review.controller.open_folder(folder)
    return review


def test_reject_keeps_stars_unflag_sticks_and_clear_filters_shows_all(qtbot, tmp_path, folder):
    review = open_review(qtbot, tmp_path, folder)
    window, controller = review.window, review.controller
    assert window.model.groups["Anna_0002.jpg"] == (0, True)          # the sharpest: Best
    window.grid.go_to(1)
    qtbot.keyClick(window, Qt.Key.Key_4)
    qtbot.keyClick(window, Qt.Key.Key_X)
    assert controller.session.marks("Anna_0002.jpg") == CullMarks(4, "", -1)
    qtbot.waitUntil(lambda: window.model.groups.get("Anna_0003.jpg") == (0, True), timeout=2000)
    assert window.model.groups["Anna_0002.jpg"] == (0, False)          # a reject is not Best
    window.close()
    review = open_review(qtbot, tmp_path, folder)                      # reopened
    window, controller = review.window, review.controller
    assert controller.session.marks("Anna_0002.jpg") == CullMarks(4, "", -1)
    assert controller.session.conflicts == []
    window.clear_filters()
    assert len(window.model.shots) == 4                                # the reject is there
    window.grid.go_to(window.model.rows["Anna_0002.jpg"])
    qtbot.keyClick(window, Qt.Key.Key_U)
    window.close()
    review = open_review(qtbot, tmp_path, folder)
    assert review.controller.session.marks("Anna_0002.jpg") == CullMarks(4, "", 0)   # U stuck
    review.window.close()
