"""The retouch hand-off: for the chosen shots, a folder a retoucher can start from.

- ``Originals/``: every file of each shot, with its sidecars (the notes are regions in them);
- ``Marked up/``: a JPEG of each shot with its notes as numbered pins;
- ``retouch-notes.csv``: one row per note (file, number, where, the note, who wrote it);
- ``retouch-notes.pdf``: each shot with its pins and its numbered notes (painted by the
  caller, which has the page tools: ui.review.retouch_sheet).

Every file is written verified, nothing in the destination is overwritten, and a shot that
cannot be read is named and the rest handed off.

Pure Python/Pillow; runs on the hand-off's own thread; blocks for one decode per shot.
"""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from media.decode.jpeg_export import Credit, render_jpeg
from media.decode.previews import ImageUnreadable
from session.culling.retouch_notes import RetouchNote
from session.delivery.export import ORIGINALS_FOLDER, _write_together, session_holding
from session.model.live_session import Shot
from session.people.consistency import _cell
from session.store.storage import StorageError, free_names, write_verified

MARKED_FOLDER = "Marked up"
NOTES_CSV, NOTES_PDF = "retouch-notes.csv", "retouch-notes.pdf"
MARKED_EDGE = 2048
PIN_COLOUR, PIN_EDGE = (200, 40, 90), (255, 255, 255)
STOPPED = "The hand-off stopped there; the files written before are complete."


@dataclass(frozen=True)
class SheetEntry:
    """One shot on the notes sheet: its marked-up picture and its notes."""

    name: str
    person: str
    picture: Path
    notes: tuple[RetouchNote, ...]


@dataclass
class HandoffReport:
    shots: int = 0
    notes: int = 0
    written: list[Path] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    stopped: str = ""

    def summary(self) -> str:
        head = f"Retouch hand-off: {self.shots} shot(s), {self.notes} note(s)"
        if self.stopped:
            return f"{head}; stopped: {self.stopped}"
        if self.failures:
            return f"{head}; not handed off: " + "; ".join(self.failures)
        return head + "."


def marked_up(path: Path, notes: Sequence[RetouchNote], long_edge: int = MARKED_EDGE) -> bytes:
    """A JPEG of ``path`` (upright, sRGB) with each note's number in a pin at its spot."""
    data = render_jpeg(path, long_edge, 90, True, Credit())
    with Image.open(io.BytesIO(data)) as opened:
        picture = opened.convert("RGB")
    draw = ImageDraw.Draw(picture)
    radius = max(12, round(max(picture.size) * 0.014))
    font = ImageFont.load_default(size=round(radius * 1.2))
    for note in notes:
        x, y = note.x * picture.width, note.y * picture.height
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=PIN_COLOUR,
                     outline=PIN_EDGE, width=max(2, radius // 6))
        draw.text((x, y), str(note.number), fill=PIN_EDGE, font=font, anchor="mm")
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90)
    return out.getvalue()


def notes_csv(rows: Sequence[tuple[str, str, RetouchNote]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(("file", "person", "note", "x", "y", "text", "by"))
    for name, person, note in rows:
        writer.writerow([_cell(name), _cell(person), note.number, f"{note.x:.3f}",
                         f"{note.y:.3f}", _cell(note.text), note.author])
    return out.getvalue().encode("utf-8-sig")      # a spreadsheet reads the accents


def write_handoff(shots: Sequence[Shot], destination: Path, people: dict[str, str],
                  paint_sheet: Callable[[Path, list[SheetEntry]], None] | None = None,
                  cancel: threading.Event | None = None) -> HandoffReport:
    """Hand off ``shots`` (those with notes) into ``destination``; ``people``: roster id ->
    name. Raises ValueError for a destination inside a session."""
    holding = session_holding(destination)
    if holding is not None:
        raise ValueError(f"Choose a folder outside the session {holding.name}: files handed "
                         "off into it would be taken for new shots.")
    report = HandoffReport()
    originals, marked = destination / ORIGINALS_FOLDER, destination / MARKED_FOLDER
    rows: list[tuple[str, str, RetouchNote]] = []
    sheet: list[SheetEntry] = []
    try:
        for folder in (originals, marked):
            folder.mkdir(parents=True, exist_ok=True)
        for shot in shots:
            if cancel is not None and cancel.is_set():
                report.stopped = "cancelled"
                break
            if not shot.notes:
                continue
            person = people.get(shot.person, "")
            try:
                report.written += _originals(shot, originals)
                (picture,) = _write_together(marked, [(f"{shot.path.stem}_notes.jpg",
                                                       marked_up(shot.path, shot.notes))])
            except (ImageUnreadable, OSError) as exc:
                report.failures.append(str(exc) if isinstance(exc, ImageUnreadable)
                                       else f"{shot.display_name}: {exc.strerror or exc}")
                continue
            report.written.append(picture)
            report.shots += 1
            report.notes += len(shot.notes)
            rows += [(shot.display_name, person, note) for note in shot.notes]
            sheet.append(SheetEntry(shot.display_name, person, picture, shot.notes))
        if rows:
            target = destination / free_names(destination, [NOTES_CSV])[0]
            write_verified(target, notes_csv(rows), STOPPED)
            report.written.append(target)
        if sheet and paint_sheet is not None:
            target = destination / free_names(destination, [NOTES_PDF])[0]
            paint_sheet(target, sheet)
            report.written.append(target)
    except StorageError as exc:
        report.stopped = exc.user_message
    except OSError as exc:
        report.stopped = f"{destination} cannot be written ({exc.strerror or exc})"
    return report


def _originals(shot: Shot, folder: Path) -> list[Path]:
    """The shot's files and their sidecars, under the names they have in the session."""
    source = shot.path.parent
    items = [(name, (source / name).read_bytes()) for name in shot.names]
    shared = shot.path.with_suffix(".xmp")
    if shared.is_file() and not shared.is_symlink():
        items.append((f"{shot.path.stem}.xmp", shared.read_bytes()))
    for name in shot.names:
        own = source / f"{name}.xmp"
        if own.is_file() and not own.is_symlink():
            items.append((f"{name}.xmp", own.read_bytes()))
    return _write_together(folder, items)
