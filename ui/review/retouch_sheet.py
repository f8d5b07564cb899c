"""The retouch hand-off's notes sheet: an A4 PDF, one shot a page, its marked-up picture
(numbered pins) above its numbered notes, with who the person is and who wrote each note.
Painting on a QPdfWriter is allowed off the GUI thread: the hand-off's own thread calls it.
Raises OSError with a clear message."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRect, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QImage

from session.delivery.retouch_handoff import SheetEntry
from ui.common.image_view import fitted_rect
from ui.common.pdf_document import pdf_document

DPI = 150
MARGIN_MM = 14.0
WRAP = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)


def write_retouch_sheet(target: Path, entries: list[SheetEntry], title: str) -> None:
    with pdf_document(target, f"Retouch notes — {title}", DPI, MARGIN_MM,
                      what="The retouch notes") as (writer, painter):
        width, height = float(writer.width()), float(writer.height())
        for index, entry in enumerate(entries):
            if index:
                writer.newPage()
            font = QFont("DejaVu Sans")
            font.setPixelSize(round(DPI * 14 / 72))
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(QColor(20, 20, 20))
            heading = entry.name + (f" — {entry.person}" if entry.person else "")
            head = painter.fontMetrics().boundingRect(QRect(0, 0, int(width), 10_000), WRAP,
                                                      heading)
            painter.drawText(QRectF(0, 0, width, head.height() + 4), WRAP, heading)
            y = head.height() + DPI * 0.1
            font.setPixelSize(round(DPI * 10 / 72))
            font.setBold(False)
            painter.setFont(font)
            lines = [f"{n.number}.  {n.text}" + ("   (client)" if n.author == "client" else "")
                     for n in entry.notes]
            text = "\n".join(lines)
            needed = painter.fontMetrics().boundingRect(QRect(0, 0, int(width), 100_000),
                                                        WRAP, text).height()
            picture = QImage(str(entry.picture))
            room = QRectF(0, y, width, max(DPI * 1.0, height - y - needed - DPI * 0.2))
            if not picture.isNull():
                box = fitted_rect(picture.size(), QSizeF(room.width(), room.height()).toSize())
                box.moveTopLeft(room.topLeft() + QPointF(box.left(), 0))  # under the heading
                painter.drawImage(box, picture)
                y = box.bottom() + DPI * 0.15
            painter.drawText(QRectF(0, y, width, needed + 4), WRAP, text)
