"""Contact sheet PDF (Qt's QPdfWriter) for the client: A4 or US Letter, 2x3, 3x4 or 4x5
photos a page, turned to the orientation the photos fill best, each with its number and, on a
headshot day, whose it is (never a file name; the studio's own marks only when asked), the
session's name and date at the top of every page and page numbers at the bottom. Written to
a temporary file and renamed, so a failure never leaves half a PDF behind. ``render_page``
paints the same page into an image (for screenshots and checks).

Runs on a background thread (painting on a QPdfWriter or QImage is allowed off the GUI
thread); blocks for one reduced decode per shot (~30-80 ms each for 24 MP).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPageSize, QPainter

from media.decode.previews import ImageUnreadable, decode_for_display
from ui.common.image_view import fitted_rect
from ui.common.overlay import mask_rect
from ui.common.pdf_document import pdf_document
from ui.pictures.image_loader import to_qimage

DPI = 150
MARGIN_MM = 12
PAGES = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter}
LAYOUTS = {"2x3": (2, 3), "3x4": (3, 4), "4x5": (4, 5)}    # columns x rows on a portrait page
# 'auto' also uses the small grids, so a sheet of 3 photos is not 3 stamps on a page.
AUTO_GRIDS = ((1, 1), (1, 2), (2, 2), (2, 3), (3, 4), (4, 5))


@dataclass(frozen=True)
class SheetItem:
    path: Path
    number: int              # the shot's number in the session
    caption: str             # whose shot it is ('' : the number alone)
    marks: str = ""          # stars, pick: printed only when the studio asks


def is_landscape(path: Path) -> bool:
    """Wider than tall as shown (from the embedded thumbnail: a few ms); True if unreadable."""
    try:
        rgb = decode_for_display(path, (160, 160)).rgb
    except (ImageUnreadable, OSError):
        return True
    return rgb.shape[1] >= rgb.shape[0]


@dataclass(frozen=True)
class SheetOptions:
    title: str               # the session's name
    date: str                # the session's day, as the client reads it
    page: str = "A4"
    layout: str = "auto"     # a LAYOUTS key, or 'auto': the smallest that fits on one page
    show_marks: bool = False
    crop: tuple[int, int] | None = None   # the photographer's aspect mask: what the client sees

    def grid(self, count: int) -> tuple[int, int]:
        """(columns, rows) on a portrait page."""
        if self.layout in LAYOUTS:
            return LAYOUTS[self.layout]
        return next((grid for grid in AUTO_GRIDS if count <= grid[0] * grid[1]),
                    AUTO_GRIDS[-1])


def locale_page() -> str:
    """US Letter where it is the norm (the US, Canada, Mexico, the Philippines, Chile,
    Colombia), A4 everywhere else."""
    from PySide6.QtCore import QLocale

    letter = {QLocale.Country.UnitedStates, QLocale.Country.Canada, QLocale.Country.Mexico,
              QLocale.Country.Philippines, QLocale.Country.Chile, QLocale.Country.Colombia}
    return "Letter" if QLocale.system().territory() in letter else "A4"


def page_plan(options: SheetOptions, items: list[SheetItem]) -> tuple[bool, int, int]:
    """(landscape page, columns, rows): the page turned so that the photos fill it best
    (mostly landscape photos go on a landscape page, the grid turned to 3x2, 4x3, 5x4)."""
    columns, rows = options.grid(len(items))
    if options.crop is not None:            # the photos are the crop
        wide = options.crop[0] > options.crop[1]
    else:
        wide = sum(is_landscape(item.path) for item in items[:40]) * 2 > min(len(items), 40)
    return (True, rows, columns) if wide else (False, columns, rows)


def pages_needed(count: int, columns: int, rows: int) -> int:
    return max(1, -(-count // (columns * rows)))


class _Page:
    """Geometry of one page in device pixels at DPI."""

    def __init__(self, width: float, height: float, columns: int, rows: int) -> None:
        self.width, self.height = width, height
        self.columns, self.rows = columns, rows
        self.header = height * 0.075
        self.footer = height * 0.04

    def cell(self, slot: int) -> QRectF:
        usable = self.height - self.header - self.footer
        cell_w, cell_h = self.width / self.columns, usable / self.rows
        gap = min(cell_w, cell_h) * 0.04
        return QRectF((slot % self.columns) * cell_w, self.header + (slot // self.columns)
                      * cell_h, cell_w, cell_h).adjusted(gap, gap, -gap, -gap)


def write_contact_sheet(target: Path, options: SheetOptions, items: list[SheetItem],
                        progress: Callable[[int, int], None] | None = None,
                        cancel: threading.Event | None = None) -> int:
    """Write the PDF; returns its page count. Raises OSError with a clear message."""
    landscape, columns, rows = page_plan(options, items)
    pages = pages_needed(len(items), columns, rows)
    with pdf_document(target, f"{options.title} — {options.date}", DPI, MARGIN_MM,
                      PAGES.get(options.page, QPageSize.PageSizeId.A4), landscape,
                      "The contact sheet") as (writer, painter):
        page = _Page(writer.width(), writer.height(), columns, rows)
        for number in range(pages):
            if number:
                writer.newPage()
            _paint_page(painter, page, options, items, number, pages, progress, cancel)
    return pages


def render_page(options: SheetOptions, items: list[SheetItem], number: int = 0,
                dpi: int = 100) -> QImage:
    """Page ``number`` of the sheet as an image (white paper, the margins included)."""
    landscape, columns, rows = page_plan(options, items)
    size = QPageSize(PAGES.get(options.page, QPageSize.PageSizeId.A4)).size(
        QPageSize.Unit.Millimeter)
    if landscape:
        size = QSizeF(size.height(), size.width())
    px = dpi / 25.4
    image = QImage(round(size.width() * px), round(size.height() * px),
                   QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    image.setDotsPerMeterX(round(dpi / 0.0254))       # fonts in points come out as on paper
    image.setDotsPerMeterY(round(dpi / 0.0254))
    painter = QPainter(image)
    painter.translate(MARGIN_MM * px, MARGIN_MM * px)
    page = _Page((size.width() - 2 * MARGIN_MM) * px, (size.height() - 2 * MARGIN_MM) * px,
                 columns, rows)
    _paint_page(painter, page, options, items, number,
                pages_needed(len(items), columns, rows), None, None)
    painter.end()
    return image


def _paint_page(painter: QPainter, page: _Page, options: SheetOptions,
                items: list[SheetItem], number: int, pages: int,
                progress: Callable[[int, int], None] | None,
                cancel: threading.Event | None) -> None:
    per_page = page.columns * page.rows
    _page_frame(painter, page, options, number + 1, pages, len(items))
    for slot, item in enumerate(items[number * per_page:(number + 1) * per_page]):
        if cancel is not None and cancel.is_set():
            raise InterruptedError("The contact sheet was cancelled.")
        _cell(painter, page.cell(slot), item, options.show_marks, options.crop)
        if progress:
            progress(number * per_page + slot + 1, len(items))


def _font(points: float, bold: bool = False) -> QFont:
    font = QFont("Sans")
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


def _page_frame(painter: QPainter, page: _Page, options: SheetOptions, number: int,
                pages: int, count: int) -> None:
    painter.setPen(QColor("black"))
    painter.setFont(_font(16, True))
    painter.drawText(QRectF(0, 0, page.width, page.header * 0.6),
                     Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, options.title)
    painter.setFont(_font(9))
    painter.setPen(QColor(90, 90, 90))
    photos = f"{count} photo{'s' if count != 1 else ''}"
    painter.drawText(QRectF(0, page.header * 0.55, page.width, page.header * 0.35),
                     Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                     f"{options.date} · {photos}")
    painter.drawText(QRectF(0, page.height - page.footer, page.width, page.footer),
                     Qt.AlignmentFlag.AlignCenter, f"Page {number} of {pages}")


def _cell(painter: QPainter, rect: QRectF, item: SheetItem, show_marks: bool,
          crop: tuple[int, int] | None = None) -> None:
    """The photo as large as the cell allows, its caption right under it, the two centred
    in the cell together."""
    lines = 2 if show_marks and item.marks else 1
    painter.setFont(_font(8))
    line_h = painter.fontMetrics().height() * 1.4
    caption_h = line_h * lines
    area = QRectF(rect.left(), rect.top(), rect.width(), rect.height() - caption_h)
    try:
        room = 1.2 if crop is None else 1.6          # a crop keeps part of the decode
        shown = decode_for_display(item.path, (int(area.width() * room),
                                               int(area.height() * room)))
        image = to_qimage(shown.rgb)
        if crop is not None:
            image = image.copy(mask_rect(QRectF(image.rect()), crop).toRect())
        fitted = fitted_rect(image.size(), area.size().toSize())
        picture = QRectF(area.left() + fitted.left(), 0, fitted.width(), fitted.height())
    except (ImageUnreadable, OSError):
        image, picture = None, QRectF(area.left(), 0, area.width(), area.height() * 0.6)
    picture.moveTop(rect.top() + (rect.height() - picture.height() - caption_h) / 2)
    if image is not None:
        painter.drawImage(picture, image)
    else:
        painter.fillRect(picture, QColor(225, 225, 225))
        painter.setPen(QColor("black"))
        painter.drawText(picture, Qt.AlignmentFlag.AlignCenter, "cannot be read")
    painter.setPen(QColor("black"))
    painter.drawText(QRectF(rect.left(), picture.bottom(), rect.width(), line_h),
                     Qt.AlignmentFlag.AlignCenter,
                     f"{item.number} · {item.caption}" if item.caption else f"{item.number}")
    if lines == 2:
        painter.setPen(QColor(90, 90, 90))
        painter.drawText(QRectF(rect.left(), picture.bottom() + line_h, rect.width(), line_h),
                         Qt.AlignmentFlag.AlignCenter, item.marks)
