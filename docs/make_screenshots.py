"""The README's screenshots of the review window and a contact sheet page, on whatever
display Qt is given (a virtual X screen in practice); the tether window's comes from
tests/real_window_check.py. Writes JPEGs into docs/:

    Xvfb :9 -screen 0 1920x1080x24 -screen 1 1280x800x24 &
    DISPLAY=:9 QT_QPA_PLATFORM=xcb python docs/make_screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402


def main() -> int:
    app = QApplication(sys.argv)
    from tests.sample_session import make_session
    from ui.app import build_review
    from ui.common.settings import AppSettings
    from ui.review.contact_sheet import SheetItem, SheetOptions, render_page

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "2026-11-18_Anna"
        make_session(folder, 12, name="Anna", burst_every=4)
        review = build_review(AppSettings(Path(tmp) / "settings.ini"), prefetch=False)
        review.window.resize(1400, 900)
        review.window.show()
        review.controller.open_folder(folder)
        end = time.monotonic() + 20
        while time.monotonic() < end and (review.controller.session is None
                                          or not review.controller.session.loaded):
            app.processEvents()
        session = review.controller.session
        for name, keys in (("Anna_0002.jpg", "4p"), ("Anna_0003.jpg", "x"),
                           ("Anna_0006.jpg", "5p8"), ("Anna_0007.jpg", "3"),
                           ("Anna_0010.jpg", "4p"), ("Anna_0012.jpg", "x")):
            for key in keys:
                session.press(name, key)
        review.window.grid.go_to(5)
        end = time.monotonic() + 5
        while time.monotonic() < end:
            app.processEvents()
        review.window.grab().save(str(ROOT / "docs" / "review-grid.jpg"), quality=85)
        shots = [s for s in session.shots if s.marks.pick == 1] + list(session.shots[:3])
        items = [SheetItem(s.path, s.seq, s.display_name) for s in shots]
        render_page(SheetOptions("Anna", "18 November 2026", "A4", "auto"), items,
                    dpi=80).save(str(ROOT / "docs" / "contact-sheet.jpg"), quality=85)
        review.window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
