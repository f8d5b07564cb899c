"""Issue 27: retouch notes pinned on the face at review, travelling as mwg-rs regions (exiftool
and exiv2 read them) and as a hand-off package: the originals with their sidecars, a
marked-up JPEG per shot with numbered pins, a notes sheet as CSV and PDF (rendered with
pdftoppm and looked at)."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QPoint, Qt

from session.culling.retouch_notes import NoteRefused, clean_note, pin_note
from session.culling.xmp_sidecar import read_regions
from tests.metadata_readers import exiftool, needs_exiftool
from tests.sample_session import make_session

needs_pdftoppm = pytest.mark.skipif(shutil.which("pdftoppm") is None,
                                    reason="pdftoppm not installed (poppler-utils)")


@pytest.fixture
def review_of(open_review):
    """The review window, its retouch notes answering the dialog with ``answers``."""
    def make(folder: Path, answers: list[str | None]):
        review = open_review(folder, prefetch=False)
        assert review.notes is not None
        review.notes.ask = lambda _parent, _name: answers.pop(0)
        return review

    return make


def _double_click_at(qtbot, view, fx: float, fy: float) -> None:
    target = view.target_rect()
    point = QPoint(round(target.left() + fx * target.width()),
                   round(target.top() + fy * target.height()))
    qtbot.mouseDClick(view, Qt.MouseButton.LeftButton, pos=point)


def test_notes_are_plain_short_lines():
    assert clean_note("  stray\nhair <b>here</b>\t ") == "stray hair <b>here</b>"
    assert len(clean_note("x" * 500)) == 200
    with pytest.raises(NoteRefused):
        clean_note(" \n\t")


@needs_exiftool
@needs_pdftoppm
def test_a_note_pinned_in_the_loupe_travels_and_is_handed_off(review_of, qtbot, tmp_path,
                                                              tmp_path_factory):
    folder = tmp_path / "2026-12-03_Acme"
    make_session(folder, 3, name="Acme")
    review = review_of(folder, ["stray hair", "soften the shine", None])
    controller = review.controller
    review.window.grid.go_to(1)
    controller.set_mode("loupe")
    view = review.window.panels.views[0]
    qtbot.waitUntil(lambda: not view.image.isNull(), timeout=10000)
    shot = controller.current_shot()
    assert shot is not None
    _double_click_at(qtbot, view, 0.30, 0.25)
    qtbot.waitUntil(lambda: len(controller.session.shot(shot.key).notes) == 1, timeout=10000)
    _double_click_at(qtbot, view, 0.60, 0.55)
    qtbot.waitUntil(lambda: len(controller.session.shot(shot.key).notes) == 2, timeout=10000)
    _double_click_at(qtbot, view, 0.5, 0.5)                 # Cancel pins nothing
    qtbot.waitUntil(lambda: view.pins and len(view.pins) == 2, timeout=5000)
    assert "2 retouch notes" in view.caption
    notes = controller.session.shot(shot.key).notes
    assert [(n.number, n.text) for n in notes] == [(1, "stray hair"), (2, "soften the shine")]
    assert abs(notes[0].x - 0.30) < 0.01 and abs(notes[0].y - 0.25) < 0.01

    # In the sidecar, as regions a retoucher's tools read.
    regions = [r for r in read_regions(shot.path) if r.kind == "note"]
    assert [r.description for r in regions] == ["stray hair", "soften the shine"]
    info = exiftool(shot.path.with_suffix(".xmp"), "-XMP-mwg-rs:RegionInfo")
    described = [r.get("Description") for r in info["XMP-mwg-rs:RegionInfo"]["RegionList"]]
    assert described == ["stray hair", "soften the shine"]

    # The hand-off, as the photographer asks for it from the Session menu.
    destination = tmp_path_factory.mktemp("handoff") / "for the retoucher"
    review.notes.choose_folder = lambda _parent, _start: destination
    review.window.handoff_requested.emit()
    qtbot.waitUntil(lambda: review.notes.last_handoff is not None, timeout=30000)
    report = review.notes.last_handoff
    assert report.shots == 1 and report.notes == 2 and not report.failures, report.summary()
    originals = sorted(p.name for p in (destination / "Originals").iterdir())
    assert originals == sorted([shot.key, shot.path.with_suffix(".xmp").name,
                                f"{shot.key}.xmp"])
    assert (destination / "Originals" / shot.key).read_bytes() == shot.path.read_bytes()
    (marked,) = (destination / "Marked up").iterdir()
    with Image.open(marked) as picture:
        rgb = np.asarray(picture.convert("RGB"), dtype=np.int32)
    h, w = rgb.shape[:2]
    pin = rgb[round(0.25 * h) + 3, round(0.30 * w) - 6]          # inside pin 1, off its digit
    assert abs(pin - np.array([200, 40, 90])).max() < 40, pin
    with open(destination / "retouch-notes.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["file"], r["note"], r["text"]) for r in rows] == [
        (shot.display_name, "1", "stray hair"), (shot.display_name, "2", "soften the shine")]
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(destination / "retouch-notes.pdf"),
                    str(tmp_path / "sheet")], check=True)
    (page,) = sorted(tmp_path.glob("sheet*.png"))
    with Image.open(page) as image:
        assert image.size[1] > image.size[0]                    # an A4 page, upright

    # Shift+R takes the last note off, in the catalog and the sidecar.
    review.window.unpin_requested.emit()
    qtbot.waitUntil(lambda: len(controller.session.shot(shot.key).notes) == 1, timeout=10000)
    assert [r.description for r in read_regions(shot.path) if r.kind == "note"] == \
        ["stray hair"]


def test_a_note_off_the_picture_or_on_a_read_only_session_is_refused(tmp_path):
    folder = tmp_path / "S"
    make_session(folder, 1, name="S")
    picture = next(folder.glob("*.jpg"))
    with pytest.raises(NoteRefused):
        pin_note(folder, picture, 1.2, 0.5, "stray hair")
    assert pin_note(folder, picture, 0.5, 0.5, "stray hair")[0].number == 1


def test_the_notes_panel_lists_clients_and_retouch_notes_and_goes_to_the_shot(
        review_of, qtbot, tmp_path):
    from session.culling.client_favourites import ClientFavourite
    from session.culling.retouch_notes import RetouchNote

    folder = tmp_path / "2026-12-03_Notes"
    make_session(folder, 3, name="Notes")
    review = review_of(folder, [])
    panel = review.notes_panel
    assert panel is not None
    panel.toggle()
    session = review.controller.session
    first, _second, third = session.shots
    session.set_client(first.key, ClientFavourite(0, ("<b>not this one</b>",)))
    session.set_notes(third.key, (RetouchNote(1, 0.4, 0.3, "stray hair"),
                                  RetouchNote(2, 0.5, 0.6, "soften this", "client")))
    qtbot.waitUntil(lambda: panel.table.topLevelItemCount() == 3, timeout=3000)
    rows = [[panel.table.topLevelItem(i).text(c) for c in range(4)] for i in range(3)]
    assert rows == [[first.display_name, "", "client", "<b>not this one</b>"],
                    [third.display_name, "", "retouch 1", "stray hair"],
                    [third.display_name, "", "retouch 2 (client)", "soften this"]]
    assert panel.dock.windowTitle() == "Notes (3)"
    panel._go_to(panel.table.topLevelItem(2))
    assert review.controller.current_shot().key == third.key
