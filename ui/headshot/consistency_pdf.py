"""The consistency report as an A4 PDF for the client: the house look, the team's spread, the
outliers with their reasons, every person's pick and who has none. Painting on a QPdfWriter
is allowed off the GUI thread (the report is written on a background thread). Raises OSError
with a clear message."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont

from session.people.consistency import Report, row_cells
from ui.common.pdf_document import pdf_document

DPI = 150
MARGIN_MM = 15.0
COLUMNS = (("Person", 0.19), ("Pick", 0.16), ("Eyes", 0.07), ("Face", 0.07), ("Roll", 0.06),
           ("Backdrop", 0.09), ("Outlier reasons", 0.17), ("Notes", 0.19))


WRAP = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)
# A word wider than its cell (a file name) breaks anywhere rather than run into the next one.
WRAP_ANYWHERE = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
                    | Qt.TextFlag.TextWrapAnywhere)


def write_report_pdf(target: Path, report: Report, title: str) -> int:
    """Write the PDF; returns its page count. Nothing is cut: every cell wraps and its row is
    as tall as its tallest cell; a row that does not fit goes to the next page, under the
    column heads again."""
    pages = 1
    with pdf_document(target, f"Consistency — {title}", DPI, MARGIN_MM,
                      what="The report") as (writer, painter):
        width, height = writer.width(), writer.height()
        line = DPI * 0.19          # about 4.8 mm a line
        y = 0.0

        def use_font(size: float, bold: bool) -> None:
            font = QFont("DejaVu Sans")
            font.setPixelSize(round(DPI * size / 72))
            font.setBold(bold)
            painter.setFont(font)

        def flags(value: str, w: float) -> int:
            metrics = painter.fontMetrics()
            fits = all(metrics.horizontalAdvance(word) <= w - 6 for word in value.split())
            return WRAP if fits else WRAP_ANYWHERE

        def needed(value: str, size: float, bold: bool, w: float) -> float:
            use_font(size, bold)
            return float(painter.fontMetrics().boundingRect(
                QRect(0, 0, max(1, int(w) - 6), 100_000), flags(value, w), value).height())

        def text(value: str, size: float, bold: bool = False, colour: QColor | None = None,
                 x: float = 0.0, w: float | None = None) -> float:
            """Draw ``value`` wrapped at (x, y); returns the height it took."""
            box_w = (w or width) - 6
            taken = needed(value, size, bold, box_w + 6)
            painter.setPen(colour or QColor(20, 20, 20))
            painter.drawText(QRectF(x, y, box_w, taken + 2), flags(value, box_w + 6), value)
            return taken

        def heads() -> float:
            x = 0.0
            tallest = 0.0
            for name, share in COLUMNS:
                tallest = max(tallest, text(name, 8, True, x=x, w=width * share))
                x += width * share
            return tallest + line * 0.3

        y += text(f"Consistency report — {title}", 16, True) + line * 0.5
        look = report.look
        y += text("House look: " + (f"{look.line()} (from {look.source})" if look else
                                    "none set: the deviations are not judged"), 9) + line * 0.3
        y += text("Team spread (standard deviation): " + " · ".join(report.spread_lines()),
                  9) + line * 0.3
        measured, outliers = len(report.measured), len(report.outliers)
        y += text(f"{len(report.rows)} people · {measured} measured picks · {outliers} "
                  f"outlier(s) · {len(report.without_pick)} without a pick", 9,
                  colour=QColor(90, 90, 90)) + line * 0.8
        y += heads()
        for row in report.rows:
            cells = row_cells(row)
            tall = max(needed(cell, 8, False, width * share)
                       for (_name, share), cell in zip(COLUMNS, cells, strict=True))
            if y + tall > height:
                writer.newPage()
                pages += 1
                y = 0.0
                y += heads()
            colour = QColor(170, 40, 30) if row.outlier else \
                QColor(120, 120, 120) if not row.file else None
            x = 0.0
            for (_name, share), cell in zip(COLUMNS, cells, strict=True):
                text(cell, 8, colour=colour, x=x, w=width * share)
                x += width * share
            y += tall + line * 0.35
    return pages
