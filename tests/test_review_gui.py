"""The review window as a photographer uses it (offscreen Qt): a grid that opens a session
with damaged files and says so, culling keys that reach catalog and sidecar, filters, the
loupe's 100 % zoom on the eyes with the full-resolution picture, prefetched next/previous,
synced compare panels, the suggested best frame, export with progress and the contact sheet
PDF, and the sessions browser."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt

from session.culling.culling import CullFilter
from session.culling.culling_store import CullingStore
from session.culling.xmp_sidecar import CullMarks, read_sidecar
from session.delivery.export import ExportOptions
from session.store.analysis_store import AnalysisStore
from tests.sample_session import make_session
from ui.review.sessions_browser import SessionsBrowser

EXIFTOOL = shutil.which("exiftool")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "2026-11-18_Anna"
    make_session(path, 8, name="Anna", burst_every=4)
    return path


def analyse(folder: Path, name: str, eyes=(0.42, 0.31), flags=(), sharp=0.6) -> None:
    """Store a per-capture analysis as the capture analyser does."""
    store = AnalysisStore(folder)
    store.save(name, {"ok": True, "eyes": list(eyes), "flags": list(flags),
                      "measurements": {"eye_sharpness": sharp, "head_yaw_deg": 0.0,
                                       "face_center_x": eyes[0], "eye_line": eyes[1],
                                       "face_height": 0.3, "smile": 0.5}}, list(flags))
    store.close()


def test_a_session_with_damaged_files_opens_and_reports_them(open_review, folder, qtbot):
    good = (folder / "Anna_0001.jpg").read_bytes()
    (folder / "half.jpg").write_bytes(good[: len(good) // 3])
    (folder / "shoot-notes.txt").write_text("bring the blue shirt")
    review = open_review(folder)
    assert review.window.model.rowCount() == 9
    qtbot.waitUntil(lambda: "half.jpg" in review.window.banner.label.text(), timeout=10000)
    text = review.window.banner.label.text()
    assert "truncated" in text and "shoot-notes.txt is not an image" in text
    model, grid = review.window.model, review.window.grid
    qtbot.waitUntil(lambda: all(model.has_thumbnail(model.shots[r].name)     # every tile
                                for r in grid.visible_rows()), timeout=10000)  # on screen


def test_culling_keys_in_the_grid_reach_catalog_and_sidecar(open_review, folder, qtbot):
    review = open_review(folder)
    window = review.window
    window.grid.go_to(2)
    for key in (Qt.Key.Key_3, Qt.Key.Key_P, Qt.Key.Key_6):
        qtbot.keyClick(window, key)
    expected = CullMarks(3, "Red", 1)
    assert read_sidecar(folder / "Anna_0003.jpg") == expected
    store = CullingStore(folder)
    assert store.marks()["Anna_0003.jpg"][0] == expected
    store.close()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert read_sidecar(folder / "Anna_0003.jpg") == CullMarks(3, "", 1)
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert review.controller.current_shot().name == "Anna_0004.jpg"


@pytest.mark.skipif(EXIFTOOL is None, reason="exiftool is not installed (Debian: "
                    "libimage-exiftool-perl); it reads the sidecar as other programs do")
def test_a_mark_made_in_the_review_is_read_by_exiftool(open_review, folder, qtbot):
    review = open_review(folder)
    review.window.grid.go_to(2)
    for key in (Qt.Key.Key_3, Qt.Key.Key_6):
        qtbot.keyClick(review.window, key)
    out = subprocess.run([EXIFTOOL, "-s", "-Rating", "-Label", str(folder / "Anna_0003.xmp")],
                         capture_output=True, text=True, check=True).stdout
    assert "Rating                          : 3" in out and "Red" in out


def test_filters_show_picks_ratings_and_hide_closed_eyes(open_review, folder, qtbot):
    analyse(folder, "Anna_0005.jpg", flags=("eyes_closed",))
    review = open_review(folder)
    window, culler = review.window, review.controller.session
    culler.press("Anna_0002.jpg", "p")
    culler.press("Anna_0003.jpg", "4")
    culler.press("Anna_0004.jpg", "x")
    shown = lambda: [s.name for s in window.model.shots]  # noqa: E731
    window.set_filter(CullFilter(picks_only=True))
    assert shown() == ["Anna_0002.jpg"]
    window.set_filter(CullFilter(min_rating=3))
    assert shown() == ["Anna_0003.jpg"]
    window.set_filter(CullFilter(unflagged_only=True, hide_eye_problems=True))
    assert "Anna_0004.jpg" not in shown() and "Anna_0005.jpg" not in shown()
    assert "Anna_0001.jpg" in shown()
    window.grid.go_to(0)
    qtbot.keyClick(window, Qt.Key.Key_P)         # picked: leaves the unflagged view
    assert "Anna_0001.jpg" not in shown()
    assert review.controller.current_shot().name == shown()[0]
    window.clear_filters()
    assert len(shown()) == 8


def test_loupe_zooms_to_100_percent_on_the_eyes_with_full_resolution(open_review, folder,
                                                                      qtbot):
    analyse(folder, "Anna_0001.jpg", eyes=(0.40, 0.30), flags=("eyes_soft",))
    review = open_review(folder)
    window, controller = review.window, review.controller
    window.resize(900, 700)
    qtbot.keyClick(window, Qt.Key.Key_E)
    view = window.panels.views[0]
    qtbot.waitUntil(lambda: not view.image.isNull(), timeout=5000)
    assert [text for text, _colour in view.badges] == ["Soft"]          # coaching badge
    assert "Anna_0001.jpg" in view.caption
    qtbot.keyClick(window, Qt.Key.Key_Z)
    qtbot.waitUntil(lambda: view.image.width() == 1500, timeout=5000)   # every camera pixel
    rect = view.target_rect()
    assert rect.width() == pytest.approx(1500)                          # 100 %
    eye_x = rect.left() + 0.40 * rect.width()
    eye_y = rect.top() + 0.30 * rect.height()
    assert eye_x == pytest.approx(view.width() / 2, abs=1)              # centred on the eyes
    assert eye_y == pytest.approx(view.height() / 2, abs=1)
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=QPoint(100, 100))
    qtbot.mouseMove(view, QPoint(160, 130))
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=QPoint(160, 130))
    assert view.target_rect().left() == pytest.approx(rect.left() + 60, abs=1)   # panned
    qtbot.keyClick(window, Qt.Key.Key_Z)
    assert view.state.zoom is None                                       # back to fit
    assert controller.mode == "loupe"


def test_next_shot_in_the_loupe_is_already_prefetched(open_review, folder, qtbot):
    review = open_review(folder)
    window, loader = review.window, review.controller.loader
    qtbot.keyClick(window, Qt.Key.Key_E)
    qtbot.waitUntil(lambda: all(loader.cached(folder / f"Anna_000{i}.jpg") is not None
                                for i in (2, 3)), timeout=5000)
    shown = []
    review.controller.panel_shown.connect(lambda path, full: shown.append(path))
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert shown == [str(folder / "Anna_0002.jpg")]    # painted at once, from the prefetch


def test_compare_panels_zoom_and_pan_together(open_review, folder, qtbot):
    analyse(folder, "Anna_0001.jpg", eyes=(0.30, 0.30))
    analyse(folder, "Anna_0002.jpg", eyes=(0.60, 0.35))
    review = open_review(folder)
    window = review.window
    qtbot.keyClick(window, Qt.Key.Key_C)
    views = window.panels.views
    assert len(views) == 2
    qtbot.waitUntil(lambda: all(not v.image.isNull() for v in views), timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_Z)
    for view, eyes in zip(views, ((0.30, 0.30), (0.60, 0.35)), strict=True):
        rect = view.target_rect()
        assert rect.left() + eyes[0] * rect.width() == pytest.approx(view.width() / 2, abs=1)
    qtbot.mousePress(views[0], Qt.MouseButton.LeftButton, pos=QPoint(50, 50))
    qtbot.mouseMove(views[0], QPoint(90, 50))
    qtbot.mouseRelease(views[0], Qt.MouseButton.LeftButton, pos=QPoint(90, 50))
    assert views[1].state == views[0].state and views[1].state.dx == pytest.approx(-40)
    qtbot.keyClick(window, Qt.Key.Key_N)
    assert len(window.panels.views) == 4


def test_b_accepts_the_suggested_best_frame_of_the_burst(open_review, folder, qtbot):
    analyse(folder, "Anna_0001.jpg", flags=("eyes_closed",), sharp=0.9)
    analyse(folder, "Anna_0002.jpg", sharp=0.8)
    analyse(folder, "Anna_0003.jpg", sharp=0.4)
    review = open_review(folder)
    assert review.window.model.groups["Anna_0002.jpg"][1] is True      # tile says "Best"
    review.window.grid.go_to(0)
    qtbot.keyClick(review.window, Qt.Key.Key_B)
    assert review.controller.session.marks("Anna_0002.jpg").pick == 1
    assert review.controller.current_shot().name == "Anna_0002.jpg"
    assert "suggested best Anna_0002.jpg" in review.window.statusBar().currentMessage()


def test_export_the_picks_with_progress(open_review, folder, qtbot, tmp_path):
    review = open_review(folder)
    for name in ("Anna_0002.jpg", "Anna_0005.jpg"):
        review.controller.session.press(name, "p")
    shots, what = review.output.chosen()
    assert [s.name for s in shots] == ["Anna_0002.jpg", "Anna_0005.jpg"] and what == "pick(s)"
    with qtbot.waitSignal(review.output.export_finished, timeout=20000) as done:
        review.output.export(shots, ExportOptions(tmp_path / "out", originals=True, jpeg=True,
                                                  long_edge=500))
    report = done.args[0]
    assert len(report.written) == 4 and not report.failures
    assert "2 shots: 2 originals and 2 JPEGs exported" in review.window.banner.label.text()


def test_export_through_the_real_dialog_with_its_progress(open_review, folder, qtbot, tmp_path,
                                                           monkeypatch):
    """The photographer's way: Ctrl+E, the dialog, OK, the progress dialog (which used to
    print a traceback at every export long enough to show it: no unhandled error may happen
    here)."""
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    import session.delivery.export as export_module

    real_render = export_module.render_jpeg

    def camera_sized(*args):  # type: ignore[no-untyped-def]
        time.sleep(0.25)                 # a 24 MP file takes this long: the progress shows
        return real_render(*args)

    monkeypatch.setattr(export_module, "render_jpeg", camera_sized)
    review = open_review(folder)
    for name in ("Anna_0002.jpg", "Anna_0005.jpg", "Anna_0007.jpg"):
        review.controller.session.press(name, "p")

    seen: dict[str, object] = {}

    def fill_and_accept() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None
        seen["jpeg by default"] = dialog.jpeg.isChecked()
        dialog.jpeg.setChecked(False)
        seen["jpeg fields off without jpegs"] = not dialog.jpeg_box.isEnabled()
        dialog.originals.setChecked(False)
        seen["ok off with nothing chosen"] = not dialog.buttons.button(
            dialog.buttons.StandardButton.Ok).isEnabled()
        dialog.originals.setChecked(True)
        dialog.jpeg.setChecked(True)
        seen["jpeg fields on"] = dialog.jpeg_box.isEnabled()
        dialog.folder.setText(str(tmp_path / "delivery"))
        dialog.long_edge.setValue(1200)
        dialog.artist.setText("Maria Lopez")
        seen["note"] = dialog.layout_note.text()
        seen["folder shown whole"] = dialog.folder.width() >= 400
        dialog._accept()

    QTimer.singleShot(300, fill_and_accept)
    with qtbot.waitSignal(review.output.export_finished, timeout=30000) as done:
        qtbot.keyClick(review.window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    report = done.args[0]
    assert not report.failures
    assert all(v for k, v in seen.items() if k != "note"), seen
    delivery = tmp_path / "delivery"
    assert seen["note"] == (f"3 original(s) in {delivery}/Originals and 3 JPEG(s) in "
                            f"{delivery}/JPEG 1200px")
    assert sorted(p.relative_to(delivery).as_posix() for p in delivery.rglob("*.jpg")) == [
        "JPEG 1200px/Anna_0002.jpg", "JPEG 1200px/Anna_0005.jpg", "JPEG 1200px/Anna_0007.jpg",
        "Originals/Anna_0002.jpg", "Originals/Anna_0005.jpg", "Originals/Anna_0007.jpg"]
    assert review.window.banner.label.text().startswith(
        "3 shots: 3 originals and 3 JPEGs exported to")

    def look_and_cancel() -> None:        # the next export starts from the same choices
        dialog = QApplication.activeModalWidget()
        if dialog is None or not hasattr(dialog, "artist"):
            QTimer.singleShot(100, look_and_cancel)
            return
        seen["again"] = (dialog.folder.text(), dialog.long_edge.value(), dialog.artist.text(),
                         dialog.jpeg.isChecked())
        dialog.reject()

    QTimer.singleShot(300, look_and_cancel)
    review.output.ask_export()
    qtbot.waitUntil(lambda: "again" in seen, timeout=5000)
    assert seen["again"] == (str(delivery), 1200, "Maria Lopez", True)


def test_contact_sheet_is_for_the_client_titled_and_paged(open_review, folder, qtbot,
                                                          tmp_path):
    review = open_review(folder)
    for shot in review.controller.shots:
        review.controller.session.press(shot.name, "4")
    target = tmp_path / "sheet.pdf"
    with qtbot.waitSignal(review.output.sheet_finished, timeout=30000) as done:
        review.output.contact_sheet(target, review.controller.shots * 3)   # 24 photos
    assert done.args[0] == 2                                             # 20 a page
    assert review.window.statusBar().currentMessage() == ""              # 'Writing…' gone
    reader = PdfReader(str(target))
    assert len(reader.pages) == 2
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Anna" in first and "18 November 2026" in first and "24 photos" in first
    assert "Anna_0001.jpg" not in first and "Page 1 of 2" in first   # numbers, not files
    assert "★" not in first and "Session" not in first      # no internal marks by default
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)              # landscape photos, landscape page
    assert "Page 2 of 2" in " ".join(reader.pages[1].extract_text().split())


def test_the_contact_sheet_shows_the_photographers_crop(open_review, folder, qtbot, tmp_path):
    """With the 4:5 mask on, the client's contact sheet shows 4:5 pictures (on a portrait
    page), not the 3:2 frames around them."""
    from ui.common.settings import ASPECT_MASK

    review = open_review(folder)
    review.window.settings.set(ASPECT_MASK, "4:5")
    target = tmp_path / "sheet.pdf"
    with qtbot.waitSignal(review.output.sheet_finished, timeout=30000):
        review.output.contact_sheet(target, review.controller.shots)
    box = PdfReader(str(target)).pages[0].mediabox
    assert float(box.height) > float(box.width)               # portrait pictures, portrait page


@pytest.mark.parametrize(("page", "size_mm"), [("A4", (297, 210)), ("Letter", (279.4, 215.9))])
def test_contact_sheet_pages_and_layouts_fill_the_paper(open_review, folder, qtbot, tmp_path,
                                                        page, size_mm):
    import numpy as np
    from PySide6.QtGui import QImage

    from ui.review.contact_sheet import SheetItem, SheetOptions, render_page

    review = open_review(folder)
    shots = review.controller.shots
    for shot in shots:
        review.controller.session.press(shot.name, "4")
    shots = review.controller.shots
    for layout, per_page in (("2x3", 6), ("3x4", 12), ("4x5", 20)):
        options = SheetOptions("Anna", "18 November 2026", page, layout, show_marks=True)
        target = tmp_path / f"{page}-{layout}.pdf"
        with qtbot.waitSignal(review.output.sheet_finished, timeout=30000) as done:
            review.output.contact_sheet(target, (shots * 3)[:per_page], options)
        assert done.args[0] == 1
        box = PdfReader(str(target)).pages[0].mediabox
        assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) \
            == (round(size_mm[0]), round(size_mm[1]))
        text = " ".join(PdfReader(str(target)).pages[0].extract_text().split())
        assert "★★★★" in text                                   # asked for: the studio's copy
        items = [SheetItem(s.path, s.seq, s.display_name) for s in (shots * 3)[:per_page]]
        image = render_page(options, items, dpi=50).convertToFormat(QImage.Format.Format_RGB888)
        data = np.array(image.constBits(), dtype=np.uint8, copy=True)
        rows = data.reshape(image.height(), image.bytesPerLine())[:, :image.width() * 3]
        photo = rows.reshape(image.height(), image.width(), 3).min(axis=2) < 200  # not paper
        # The photos cover most of the paper, not 30 % of it as the old 4x5 sheet of 3 did.
        assert photo.mean() > 0.38, (layout, photo.mean())


def test_sessions_browser_lists_past_sessions(qtbot, tmp_path):
    make_session(tmp_path / "2026-11-18_Anna", 3, name="Anna")
    make_session(tmp_path / "2026-11-20_Ben", 5, name="Ben")
    browser = SessionsBrowser(root=tmp_path)
    qtbot.addWidget(browser)
    qtbot.waitUntil(lambda: browser.list.count() == 2, timeout=5000)
    assert browser.list.item(0).text().startswith("Ben\n2026-11-20 · 5 shot(s)")
    assert not browser.list.item(0).icon().isNull()
    with qtbot.waitSignal(browser.session_chosen) as chosen:
        browser.list.itemActivated.emit(browser.list.item(1))
    assert chosen.args[0] == tmp_path / "2026-11-18_Anna"


def test_an_unanalysed_session_is_analysed_in_the_background(open_review, folder, qtbot):
    """An older session or a plain folder: badges, eyes and best frames arrive by themselves."""
    review = open_review(folder, analyse=True)
    controller = review.controller
    qtbot.waitUntil(lambda: sum(s.analysis is not None for s in controller.shots) == 8,
                    timeout=60000)
    qtbot.waitUntil(lambda: not review.window.analysis_progress.text(), timeout=5000)
    x, y = controller.session.shot("Anna_0001.jpg").analysis["eyes"]
    assert 0.4 < x < 0.6 and 0.1 < y < 0.3        # the astronaut's eyes, in the upper middle
    qtbot.waitUntil(lambda: any(best for _n, best in review.window.model.groups.values()),
                    timeout=5000)                  # bursts now have a suggested best frame
    store = AnalysisStore(folder)
    assert len(store.results()) == 8               # kept for next time
    store.close()


def test_arrows_in_compare_walk_through_the_shots(open_review, folder, qtbot):
    review = open_review(folder)
    qtbot.keyClick(review.window, Qt.Key.Key_C)
    assert [p.name for p in review.controller.panel_paths] == ["Anna_0001.jpg", "Anna_0002.jpg"]
    qtbot.keyClick(review.window, Qt.Key.Key_Right)
    assert [p.name for p in review.controller.panel_paths] == ["Anna_0002.jpg", "Anna_0003.jpg"]
