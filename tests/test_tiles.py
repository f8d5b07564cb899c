"""Photo tiles as a photographer judges them: a selected tile's picture keeps its true colours
(the selection is a border outside it), a reject is dimmed with a red mark, a pick carries a
green flag, in the tether's filmstrip and the review grid alike. Offscreen Qt."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QItemSelectionModel, QRect, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QListView

from tests.sample_session import make_session
from ui.app import build_review
from ui.common.filmstrip_badges import picture_rect
from ui.common.settings import AppSettings


def pixels_of(view: QListView, rect: QRect) -> np.ndarray:
    view.viewport().repaint()
    image = view.viewport().grab(rect).toImage().convertToFormat(QImage.Format.Format_RGB888)
    data = np.array(image.constBits(), dtype=np.uint8, copy=True)
    rows = data.reshape(image.height(), image.bytesPerLine())
    return rows[:, :image.width() * 3].reshape(image.height(), image.width(), 3).astype(int)


def tile_picture(view: QListView, row: int) -> QRect:
    index = view.model().index(row, 0)
    icon = index.data(Qt.ItemDataRole.DecorationRole)
    size = icon.availableSizes()[-1]
    return picture_rect(view.visualRect(index), size)


def select_only(view: QListView, row: int | None) -> None:
    selection = view.selectionModel()
    selection.clearSelection()
    selection.clearCurrentIndex()
    if row is not None:
        selection.select(view.model().index(row, 0),
                         QItemSelectionModel.SelectionFlag.ClearAndSelect)


def assert_selection_keeps_colours(view: QListView, row: int) -> None:
    view.clearFocus()
    select_only(view, None)
    rect = tile_picture(view, row)
    plain = pixels_of(view, rect)
    select_only(view, row)
    chosen = pixels_of(view, rect)
    assert plain.std() > 10, "the tile shows a picture"
    assert np.array_equal(plain, chosen), \
        f"selected tile tinted: mean {chosen.mean((0, 1))} vs {plain.mean((0, 1))}"
    ring = pixels_of(view, rect.adjusted(-4, -4, 4, 4))
    border = np.concatenate([ring[:2].reshape(-1, 3), ring[-2:].reshape(-1, 3)])
    assert (border > 230).all(), "the selection is a white border around the picture"


@pytest.fixture
def review(qtbot, tmp_path):
    folder = tmp_path / "2026-11-18_Anna"
    make_session(folder, 4, name="Anna")
    review = build_review(AppSettings(tmp_path / "settings.ini"), prefetch=False)
    qtbot.addWidget(review.window)
    review.window.show()
    with qtbot.waitSignal(review.controller.opened, timeout=10000):
        review.controller.open_folder(folder)
    grid = review.window.grid
    qtbot.waitUntil(lambda: not tile_picture(grid, 1).isEmpty()
                    and pixels_of(grid, tile_picture(grid, 1)).std() > 10, timeout=10000)
    yield review
    review.window.close()


def test_a_selected_grid_tile_keeps_its_true_colours(review):
    assert_selection_keeps_colours(review.window.grid, 1)


def test_a_selected_filmstrip_tile_keeps_its_true_colours(app_factory, qtbot):
    app = app_factory(session="Tiles")
    for _ in range(2):
        with qtbot.waitSignal(app.controller.ingest_bridge.stored, timeout=10000):
            app.controller.capture()
    strip = app.window.filmstrip
    qtbot.waitUntil(lambda: all(app.window.filmstrip_model.has_tile(s.path)
                                for s in app.model.shots), timeout=10000)
    assert_selection_keeps_colours(strip, 0)


def test_the_filmstrip_and_the_grid_share_one_tile_level_on_disk(app_factory, qtbot, tmp_path,
                                                                  monkeypatch):
    """A session's tiles are made once: the filmstrip of the same session opened again (a
    restart, or after switching) reads them from the tile cache, and the review grid finds
    them there too, so neither decodes a picture it has seen."""
    from session.store.thumb_cache import ThumbCache
    from ui.pictures import image_loader

    folder = tmp_path / "2026-11-18_Bea"
    make_session(folder, 4, name="Bea")
    made: list[str] = []
    real = image_loader.make_thumbnail

    def counted(path):  # type: ignore[no-untyped-def]
        made.append(path.name)
        return real(path)

    monkeypatch.setattr(image_loader, "make_thumbnail", counted)
    first = app_factory(folder=folder, camera=None)
    qtbot.waitUntil(lambda: all(first.window.filmstrip_model.has_tile(s.path)
                                for s in first.model.shots), timeout=10000)
    assert len(made) == 4
    keys = [s.content_key for s in first.model.shots]
    first.window.close()
    first.loader.close()
    tiles = ThumbCache()
    assert tiles.known(keys) == set(keys)       # what the review grid asks before it decodes
    tiles.close()
    again = app_factory(folder=folder, camera=None)
    qtbot.waitUntil(lambda: all(again.window.filmstrip_model.has_tile(s.path)
                                for s in again.model.shots), timeout=10000)
    assert len(made) == 4, "the second opening decoded tiles it had"


def test_rejects_are_dimmed_and_marked_and_picks_flagged(review, qtbot):
    window = review.window
    grid = window.grid
    rect = tile_picture(grid, 1)
    select_only(grid, None)
    before = pixels_of(grid, rect)
    window.grid.go_to(1)
    qtbot.keyClick(window, Qt.Key.Key_X)
    select_only(grid, None)
    after = pixels_of(grid, rect)
    assert after.mean() < before.mean() * 0.6, "a reject is visibly dimmed"
    corner = after[3:20, -22:-4]
    red = (corner[..., 0] > 180) & (corner[..., 1] < 90) & (corner[..., 2] < 90)
    assert red.mean() > 0.4, "a red mark in the corner"
    window.grid.go_to(2)
    qtbot.keyClick(window, Qt.Key.Key_P)
    select_only(grid, None)
    corner = pixels_of(grid, tile_picture(grid, 2))[3:20, -22:-4]
    green = (corner[..., 1] > 140) & (corner[..., 0] < 110) & (corner[..., 2] < 120)
    assert green.mean() > 0.4, "a green flag in the corner"


def test_the_large_preview_shows_stars_pick_and_label(app_factory, qtbot):
    app = app_factory(session="Marks")
    with qtbot.waitSignal(app.controller.ingest_bridge.stored, timeout=10000):
        app.controller.capture()
    window = app.window
    qtbot.waitUntil(lambda: window.review.path is not None, timeout=5000)
    assert window.review.marks_text() == ""
    for key in (Qt.Key.Key_4, Qt.Key.Key_P, Qt.Key.Key_8):
        qtbot.keyClick(window, key)
    assert window.review.marks_text() == "★★★★  ⚑ Pick  ● Green"
    qtbot.keyClick(window, Qt.Key.Key_X)
    assert window.review.marks_text().startswith("★★★★  ✕ Rejected")


def test_every_capture_flag_says_itself_on_a_tile():
    """A flag the coach can raise is never silently missing from the filmstrip and grid."""
    from session.model.flags import CLIENT_FAVOURITE, Flag
    from ui.common.filmstrip_badges import badge_labels

    for flag in Flag:
        (label,) = badge_labels([flag])
        assert label[0], flag
    assert badge_labels(["eyes_closed"]) == badge_labels([Flag.EYES_CLOSED])   # stored text
    assert badge_labels([CLIENT_FAVOURITE])[0][0] == "♥ client"
    assert badge_labels(["a_newer_versions_flag"]) == []


def test_a_clients_note_is_in_the_tiles_tooltip_as_typed(app_factory, qtbot):
    """What the client said on the phone reaches the photographer: the hearts and the note,
    shown exactly as typed (a note that looks like HTML stays text)."""
    from session.model.favourite import ClientFavourite

    app = app_factory(session="Notes")
    with qtbot.waitSignal(app.controller.ingest_bridge.stored, timeout=10000):
        app.controller.capture()
    key = app.model.shots[0].key
    app.model.set_client(key, ClientFavourite(0, ("Please don't use this one, <b>eyes</b>",)))
    tip = app.window.filmstrip_model.data(app.window.filmstrip_model.index(0),
                                          Qt.ItemDataRole.ToolTipRole)
    assert "Client note: “Please don&#x27;t use this one, &lt;b&gt;eyes&lt;/b&gt;”" in tip
    assert "♥" not in tip                                   # a note, not a heart
