"""Run the tether window on a real X display (Xvfb) with the demo camera: live view, the
client display opened with F5 (on the second screen when there is one), two captures by the
Space key, the first one rejected with X (the client's screen falls back to the other), live
view back with the coach's overlay; screenshots of each screen, of the tether window with its
client monitor, of the selected filmstrip tile and of a contact sheet page; then the review
window (Ctrl+R) with the loupe (E) at 100 % on the eyes (Z) and its screenshot. Prints one
JSON line.
Used by tests/test_real_window.py; also makes the README's screenshots:

    Xvfb :9 -screen 0 1600x1000x24 -screen 1 1024x768x24 &
    DISPLAY=:9 python tests/real_window_check.py docs/
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402


def main(out_dir: Path) -> int:
    os.environ.setdefault("CATCHLIGHT_SESSIONS_DIR", str(out_dir / "sessions"))
    app = QApplication(sys.argv)
    from ui.app import build

    window, _parts = build(demo=True)
    window.show()
    window.raise_()
    window.activateWindow()
    result: dict = {"platform": app.platformName(), "screens": len(app.screens())}

    def press(key: Qt.Key, target: QWidget | None = None,
              modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        target = target or window
        target.activateWindow()
        QTest.keyClick(target, key, modifier)

    def press_space() -> None:
        press(Qt.Key.Key_Space)

    live = {}

    def finish() -> None:
        result["frames_advanced"] = (window.live_view.frames_shown - live["frames"]) \
            if live else 0
        result["filmstrip"] = window.filmstrip_model.rowCount()
        result["review"] = window.review.path.name if window.review.path else None
        client = app.findChild(QWidget, "clientWindow") or next(
            (w for w in app.topLevelWidgets() if w.objectName() == "clientWindow"), None)
        result["client_visible"] = bool(client and client.isVisible())
        result["client_screen"] = (client.windowHandle().screen().geometry().getRect()
                                   if client and client.windowHandle() else None)
        result["client_shows"] = client.shown_path if client else None
        result["screenshots"] = screenshots()
        window.grab().save(str(out_dir / "tether-window.png"))
        strip = window.filmstrip
        tile = strip.visualRect(strip.currentIndex()).adjusted(-4, -4, 4, 4)
        strip.viewport().grab(tile).save(str(out_dir / "selected-tile.png"))
        result["monitor"] = window.findChild(QWidget, "clientMonitor").mode_text
        result["sheet"] = contact_sheet_page()

    def contact_sheet_page() -> str:
        from ui.review.contact_sheet import SheetItem, SheetOptions, render_page

        shots = _parts.controller.model.shots
        items = [SheetItem(s.path, s.seq, s.display_name) for s in shots]
        path = out_dir / "contact-sheet-page.png"
        render_page(SheetOptions(_parts.controller.model.name, "29 November 2026"),
                    items, dpi=80).save(str(path))
        return str(path)

    def screenshots(prefix: str = "screen") -> list[str]:
        shots = []
        for index, screen in enumerate(app.screens()):
            path = out_dir / f"{prefix}{index}.png"
            screen.grabWindow(0).save(str(path))
            shots.append(str(path))
        return shots

    def review():  # type: ignore[no-untyped-def]
        return next((w for w in app.topLevelWidgets() if w.objectName() == "reviewWindow"
                     and w.isVisible()), None)

    def loupe_view():  # type: ignore[no-untyped-def]
        return review().panels.views[0]

    def close() -> None:
        finish()
        shown = review()
        if shown is not None:
            result["review_rows"] = shown.model.rowCount()
            result["loupe_width"] = loupe_view().image.width()
            result["loupe_zoom"] = loupe_view().state.zoom
            shown.grab().save(str(out_dir / "review-window.png"))
            shown.close()
        window.close()
        app.quit()

    aid_keys = (Qt.Key.Key_F, Qt.Key.Key_Z, Qt.Key.Key_H, Qt.Key.Key_M)

    def aids_shots() -> None:
        """Live view with every aid on (the README's picture), and the client's screen at
        the same moment; then the aids off again."""
        window.live_view.grab().save(str(out_dir / "live-aids.png"))
        result["aids"] = screenshots("aids-screen")
        for key in aid_keys:
            press(key)

    client = lambda: next((w for w in app.topLevelWidgets()  # noqa: E731
                           if w.objectName() == "clientWindow"), None)
    steps = [
        (lambda: window.live_view.frames_shown > 5,
         lambda: live.update(frames=window.live_view.frames_shown)
         or press(Qt.Key.Key_F5)),
        (lambda: client() is not None and client().isVisible(), press_space),
        (lambda: window.filmstrip_model.rowCount() == 1, press_space),
        (lambda: window.filmstrip_model.rowCount() == 2
         and client().shown_path.endswith("_0002.jpg"), lambda: press(Qt.Key.Key_X)),
        (lambda: client().shown_path.endswith("_0001.jpg") and window.live_view.isVisible()
         and _parts.coach is not None and _parts.coach.overlay.state is not None,
         lambda: [press(key) for key in aid_keys]),
        (lambda: _parts.aids.overlay.frame is not None
         and _parts.aids.overlay.frame.histogram is not None,
         lambda: QTimer.singleShot(1000, aids_shots)),
        (lambda: not _parts.aids.overlay.show_marks and "aids" in result,
         lambda: QTimer.singleShot(1500, lambda: finish() or press(
             Qt.Key.Key_R, window, Qt.KeyboardModifier.ControlModifier))),
        (lambda: review() is not None and review().model.rowCount() == 2,
         lambda: review().activateWindow()),
        (lambda: review().isActiveWindow(), lambda: press(Qt.Key.Key_E, review())),
        (lambda: not loupe_view().image.isNull(), lambda: press(Qt.Key.Key_Z, review())),
        (lambda: loupe_view().image.width() >= 6000, close),
    ]
    deadline = time.monotonic() + 60

    def step() -> None:
        if steps and steps[0][0]():
            steps.pop(0)[1]()
        elif time.monotonic() > deadline:
            steps.clear()
            close()
        if steps:
            QTimer.singleShot(100, step)

    QTimer.singleShot(100, step)
    app.exec()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    target.mkdir(parents=True, exist_ok=True)
    sys.exit(main(target))
