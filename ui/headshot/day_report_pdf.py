"""The day report as a PDF: the day's name and when it was closed, then one line per person:
approved (the delivered file), waiting or missing, with the counts at the top. Painting on a
QPdfWriter is allowed off the GUI thread: the close-the-day thread calls it. Raises OSError
with a clear message."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont

from session.people.approvals import APPROVED, MISSING, WAITING
from session.people.day_report import DayRow
from ui.common.pdf_document import pdf_document

DPI = 150
MARGIN_MM = 16.0
COLOURS = {APPROVED: QColor(30, 130, 60), WAITING: QColor(190, 120, 0),
           MISSING: QColor(180, 40, 40)}
WRAP = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)


def write_day_report(target: Path, rows: Sequence[DayRow], title: str, closed_at: float
                     ) -> None:
    with pdf_document(target, f"Day report — {title}", DPI, MARGIN_MM,
                      what="The day report") as (writer, painter):
        width, height = float(writer.width()), float(writer.height())
        font = QFont("DejaVu Sans")
        font.setPixelSize(round(DPI * 16 / 72))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor(20, 20, 20))
        painter.drawText(QRectF(0, 0, width, DPI * 0.4), WRAP, f"Day report — {title}")
        font.setPixelSize(round(DPI * 10 / 72))
        font.setBold(False)
        painter.setFont(font)
        counts = {s: sum(r.status == s for r in rows) for s in (APPROVED, WAITING, MISSING)}
        closed = time.strftime("%d %B %Y, %H:%M", time.localtime(closed_at))
        painter.drawText(QRectF(0, DPI * 0.45, width, DPI * 0.3), WRAP,
                         f"Closed {closed} · {counts[APPROVED]} approved and delivered · "
                         f"{counts[WAITING]} waiting · {counts[MISSING]} missing")
        y = DPI * 0.95
        line = painter.fontMetrics().height() * 1.5
        for row in rows:
            text = row.person + (f"  ({row.person_id})" if row.person_id else "")
            detail = row.delivered if row.status == APPROVED else \
                "photographed, nothing approved" if row.status == WAITING else \
                "not photographed"
            if row.changes:
                detail += f" · changed their mind {row.changes}×"
            if row.veto or row.note:
                detail += " · the lead " + ("vetoed it" if row.veto else "noted") + \
                    (f": “{row.note}”" if row.note else "")
            needed = painter.fontMetrics().boundingRect(
                QRect(0, 0, int(width * 0.55), 10_000), WRAP, detail).height()
            if y + max(line, needed) > height:
                writer.newPage()
                y = 0.0
            painter.setPen(COLOURS.get(row.status, QColor(20, 20, 20)))
            painter.drawText(QRectF(0, y, width * 0.13, line), WRAP, row.status)
            painter.setPen(QColor(20, 20, 20))
            painter.drawText(QRectF(width * 0.14, y, width * 0.3, line), WRAP, text)
            painter.drawText(QRectF(width * 0.45, y, width * 0.55, needed + 4), WRAP, detail)
            y += max(line, needed + line * 0.3)
