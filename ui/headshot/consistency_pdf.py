"""The consistency report as an A4 PDF for the client: the house look, the team's spread, the
outliers with their reasons, every person's pick and who has none. Painting on a QPdfWriter
is allowed off the GUI thread (the report is written on a background thread). Raises OSError
with a clear message."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont

from session.people.consistency import Report, row_cells
from ui.common.pdf_document import pdf_document

DPI = 150
MARGIN_MM = 15.0
COLUMNS = (("Person", 0.19), ("Pick", 0.17), ("Eyes", 0.07), ("Face", 0.07), ("Roll", 0.06),
           ("Backdrop", 0.08), ("Outlier reasons", 0.24), ("♥ client", 0.12))


def write_report_pdf(target: Path, report: Report, title: str) -> int:
    """Write the PDF; returns its page count."""
    pages = 1
    with pdf_document(target, f"Consistency — {title}", DPI, MARGIN_MM,
                      what="The report") as (writer, painter):
        width, height = writer.width(), writer.height()
        line = DPI * 0.19          # about 4.8 mm a line
        y = 0.0

        def text(value: str, size: float, bold: bool = False, colour: QColor | None = None,
                 x: float = 0.0, w: float | None = None) -> None:
            font = QFont("DejaVu Sans")
            font.setPixelSize(round(DPI * size / 72))
            font.setBold(bold)
            painter.setFont(font)
            painter.setPen(colour or QColor(20, 20, 20))
            box = QRectF(x, y, (w or width) - 4, line * 1.6)
            painter.drawText(box, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
                             painter.fontMetrics().elidedText(value, Qt.TextElideMode.ElideRight,
                                                              int(box.width())))

        text(f"Consistency report — {title}", 16, True)
        y += line * 1.8
        look = report.look
        text("House look: " + (f"{look.line()} (from {look.source})" if look else
                               "none set: the deviations are not judged"), 9)
        y += line * 1.3
        text("Team spread (standard deviation): " + " · ".join(report.spread_lines()), 9)
        y += line * 1.3
        measured, outliers = len(report.measured), len(report.outliers)
        text(f"{len(report.rows)} people · {measured} measured picks · {outliers} outlier(s) · "
             f"{len(report.without_pick)} without a pick", 9, colour=QColor(90, 90, 90))
        y += line * 1.8
        x = 0.0
        for name, share in COLUMNS:
            text(name, 8, True, x=x, w=width * share)
            x += width * share
        y += line * 1.2
        for row in report.rows:
            if y + line > height:
                writer.newPage()
                pages += 1
                y = 0.0
            colour = QColor(170, 40, 30) if row.outlier else \
                QColor(120, 120, 120) if not row.file else None
            x = 0.0
            for (_name, share), cell in zip(COLUMNS, row_cells(row), strict=True):
                text(cell, 8, colour=colour, x=x, w=width * share)
                x += width * share
            y += line
    return pages
