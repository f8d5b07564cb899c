"""A PDF written the safe way, for the contact sheet, the QR cards and the consistency report:
painted into a hidden ``.<name>.part`` beside the target and moved into place only when every
page is done (a failure or a cancel leaves nothing half written). Painting on a QPdfWriter is
allowed off the GUI thread; whoever calls it owns the thread."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter


@contextmanager
def pdf_document(target: Path, title: str, dpi: int, margin_mm: float,
                 page: QPageSize.PageSizeId = QPageSize.PageSizeId.A4,
                 landscape: bool = False, what: str = "The PDF"
                 ) -> Iterator[tuple[QPdfWriter, QPainter]]:
    """``with pdf_document(...) as (writer, painter):`` paint the pages; raises OSError
    with a clear message ("<what> cannot be written to <folder>.")."""
    temp = target.with_name(f".{target.name}.part")
    writer = QPdfWriter(str(temp))
    writer.setResolution(dpi)
    writer.setPageLayout(QPageLayout(
        QPageSize(page),
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait,
        QMarginsF(margin_mm, margin_mm, margin_mm, margin_mm), QPageLayout.Unit.Millimeter))
    writer.setTitle(title)
    writer.setCreator("Catchlight")
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"{what} cannot be written to {target.parent}.")
    try:
        yield writer, painter
    except BaseException:
        painter.end()
        temp.unlink(missing_ok=True)
        raise
    painter.end()
    try:
        if temp.stat().st_size == 0:
            raise OSError(f"{what} could not be written to {target.parent} (is the disk full?).")
        os.replace(temp, target)
    except OSError:
        temp.unlink(missing_ok=True)
        raise
