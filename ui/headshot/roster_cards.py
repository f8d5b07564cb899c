"""QR cards for a headshot day: an A4 PDF of cards, six to a page, each with the person's QR
code (``CL1:`` and their roster id: a code from a product box is never taken for a person)
and their name in large type, department beneath. Cut them out; the person holds theirs up to
the camera and live view switches to them. Painting on a QPdfWriter is allowed off the GUI
thread (the command line runs it on its own). Raises OSError with a clear message."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import zxingcpp
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen

from session.people.roster import CARD_PREFIX, Person
from ui.common.pdf_document import pdf_document

DPI = 300
COLUMNS, ROWS = 2, 3
MARGIN_MM = 10.0


def card_code(person: Person) -> str:
    return CARD_PREFIX + person.id


def qr_image(text: str) -> QImage:
    """The QR code as a black-on-white 8-bit image (with its quiet zone)."""
    pixels = np.ascontiguousarray(np.asarray(
        zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode).to_image(scale=8)))
    h, w = pixels.shape
    return QImage(pixels.data, w, h, w, QImage.Format.Format_Grayscale8).copy()


def write_cards(target: Path, people: list[Person], title: str = "") -> int:
    """Write the cards' PDF; returns its page count."""
    if not people:
        raise OSError("The roster is empty: there are no cards to print.")
    per_page = COLUMNS * ROWS
    pages = (len(people) + per_page - 1) // per_page
    with pdf_document(target, f"Catchlight cards — {title}" if title else "Catchlight cards",
                      DPI, MARGIN_MM, what="The cards") as (writer, painter):
        cell_w, cell_h = writer.width() / COLUMNS, writer.height() / ROWS
        for index, person in enumerate(people):
            if index and index % per_page == 0:
                writer.newPage()
            slot = index % per_page
            cell = QRectF((slot % COLUMNS) * cell_w, (slot // COLUMNS) * cell_h, cell_w, cell_h)
            _card(painter, cell, person)
    return pages


def _fit_whole(painter: QPainter, text: str, box: QRectF) -> int:
    """Make the painter's font small enough that ``text`` fits ``box`` whole: one line at up
    to 40 % smaller type, else two lines; a name on a card is never cut. Returns the flags to
    draw it with."""
    font = QFont(painter.font())
    size = font.pixelSize()
    one_line = int(Qt.AlignmentFlag.AlignCenter)
    two_lines = one_line | int(Qt.TextFlag.TextWordWrap)
    for flags, smallest in ((one_line, 0.6), (two_lines, 0.3)):
        pixels = float(size)
        while pixels >= size * smallest:
            font.setPixelSize(max(1, round(pixels)))
            painter.setFont(font)
            needed = painter.fontMetrics().boundingRect(box.toRect(), flags, text)
            if needed.width() <= box.width() and needed.height() <= box.height():
                return flags
            pixels *= 0.92
    return two_lines


def _card(painter: QPainter, cell: QRectF, person: Person) -> None:
    painter.setPen(QPen(QColor(170, 170, 170), 2, Qt.PenStyle.DashLine))   # cut here
    painter.drawRect(cell.adjusted(4, 4, -4, -4))
    side = min(cell.width() * 0.62, cell.height() * 0.6)
    code = QRectF(cell.center().x() - side / 2, cell.top() + cell.height() * 0.07, side, side)
    painter.drawImage(code, qr_image(card_code(person)))
    name_font = QFont("DejaVu Sans")
    name_font.setPixelSize(round(cell.height() * 0.085))
    name_font.setBold(True)
    painter.setFont(name_font)
    painter.setPen(QColor(0, 0, 0))
    name_box = QRectF(cell.left() + 20, code.bottom() + cell.height() * 0.03,
                      cell.width() - 40, cell.height() * 0.12)
    flags = _fit_whole(painter, person.name, name_box)
    painter.drawText(name_box, flags, person.name)
    small = QFont(name_font)
    small.setBold(False)
    small.setPixelSize(round(cell.height() * 0.045))
    painter.setFont(small)
    painter.setPen(QColor(80, 80, 80))
    detail = " · ".join(p for p in (person.dept, person.id) if p)
    painter.drawText(QRectF(name_box.left(), name_box.bottom(), name_box.width(),
                            cell.height() * 0.07), Qt.AlignmentFlag.AlignCenter, detail)
