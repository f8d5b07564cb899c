"""Contact sheet PDF (Qt's QPdfWriter): a grid of the chosen shots with file names and stars,
the session name at the top of every page and page numbers at the bottom. Written to a
temporary file and renamed, so a failure never leaves half a PDF behind.

Runs on a background thread (painting on a QPdfWriter is allowed off the GUI thread); blocks
for one reduced decode per shot (~30-80 ms each for 24 MP).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPageLayout, QPageSize, QPainter, QPdfWriter

from session.previews import ImageUnreadable, decode_for_display
from ui.image_loader import to_qimage
from ui.image_view import fitted_rect

DPI = 150
COLUMNS, ROWS = 4, 5


@dataclass(frozen=True)
class SheetItem:
    path: Path
    caption: str             # file name
    marks: str = ""          # stars, pick


def pages_needed(count: int, columns: int = COLUMNS, rows: int = ROWS) -> int:
    return max(1, -(-count // (columns * rows)))


def write_contact_sheet(target: Path, title: str, items: list[SheetItem],
                        columns: int = COLUMNS, rows: int = ROWS,
                        progress: Callable[[int, int], None] | None = None,
                        cancel: threading.Event | None = None) -> int:
    """Write the PDF; returns its page count. Raises OSError with a clear message."""
    temp = target.with_name(f".{target.name}.part")
    writer = QPdfWriter(str(temp))
    writer.setResolution(DPI)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait, QMarginsF(12, 12, 12, 12),
                                     QPageLayout.Unit.Millimeter))
    writer.setTitle(f"{title} — contact sheet")
    writer.setCreator("Catchlight")
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"The contact sheet cannot be written to {target.parent}.")
    pages = pages_needed(len(items), columns, rows)
    per_page = columns * rows
    try:
        for page in range(pages):
            if page:
                writer.newPage()
            _page_frame(painter, writer, title, page + 1, pages, len(items))
            for slot, item in enumerate(items[page * per_page:(page + 1) * per_page]):
                if cancel is not None and cancel.is_set():
                    raise InterruptedError("The contact sheet was cancelled.")
                _cell(painter, _cell_rect(writer, slot, columns, rows), item)
                if progress:
                    progress(page * per_page + slot + 1, len(items))
    except BaseException:
        painter.end()
        temp.unlink(missing_ok=True)
        raise
    painter.end()
    os.replace(temp, target)
    return pages


HEADER, FOOTER = 90, 60


def _cell_rect(writer: QPdfWriter, slot: int, columns: int, rows: int) -> QRectF:
    width, height = writer.width(), writer.height() - HEADER - FOOTER
    cell_w, cell_h = width / columns, height / rows
    return QRectF((slot % columns) * cell_w, HEADER + (slot // columns) * cell_h, cell_w,
                  cell_h).adjusted(8, 8, -8, -8)


def _page_frame(painter: QPainter, writer: QPdfWriter, title: str, page: int, pages: int,
                count: int) -> None:
    painter.setPen(QColor("black"))
    font = QFont("Sans", 14)
    font.setBold(True)
    painter.setFont(font)
    painter.drawText(QRectF(0, 0, writer.width(), HEADER * 0.6),
                     Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
    painter.setFont(QFont("Sans", 8))
    painter.drawText(QRectF(0, HEADER * 0.55, writer.width(), HEADER * 0.4),
                     Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                     f"{count} shot(s) · {dt.date.today().isoformat()} · Catchlight")
    painter.drawText(QRectF(0, writer.height() - FOOTER, writer.width(), FOOTER),
                     Qt.AlignmentFlag.AlignCenter, f"Page {page} of {pages}")


def _cell(painter: QPainter, rect: QRectF, item: SheetItem) -> None:
    caption_h = 52
    picture_area = QRectF(rect.left(), rect.top(), rect.width(), rect.height() - caption_h)
    try:
        shown = decode_for_display(item.path, (int(picture_area.width() * 1.5),
                                               int(picture_area.height() * 1.5)))
        image = to_qimage(shown.rgb)
        fitted = fitted_rect(image.size(), picture_area.size().toSize())
        painter.drawImage(fitted.translated(picture_area.topLeft()), image)
    except (ImageUnreadable, OSError):
        painter.fillRect(picture_area, QColor(225, 225, 225))
        painter.drawText(picture_area, Qt.AlignmentFlag.AlignCenter, "cannot be read")
    painter.setFont(QFont("Sans", 7))
    painter.setPen(QColor("black"))
    painter.drawText(QRectF(rect.left(), rect.bottom() - caption_h, rect.width(), caption_h / 2),
                     Qt.AlignmentFlag.AlignCenter, item.caption)
    painter.drawText(QRectF(rect.left(), rect.bottom() - caption_h / 2, rect.width(),
                            caption_h / 2), Qt.AlignmentFlag.AlignCenter, item.marks)
