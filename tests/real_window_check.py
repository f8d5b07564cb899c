"""Run the tether window on a real X display (Xvfb) with the demo camera: live view, the
client display opened with F5 (on the second screen when there is one), two captures by the
Space key, then a screenshot of each screen. Prints one JSON line.
Used by tests/test_real_window.py; also makes the README's screenshots:

    Xvfb :9 -screen 0 1600x1000x24 -screen 1 1024x768x24 &
    DISPLAY=:9 python tests/real_window_check.py docs/
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402


def main(out_dir: Path) -> int:
    os.environ.setdefault("CATCHLIGHT_SESSIONS_DIR", str(out_dir / "sessions"))
    app = QApplication(sys.argv)
    from ui.app import build

    window, controller = build(demo=True)
    window.show()
    window.raise_()
    window.activateWindow()
    result: dict = {"platform": app.platformName(), "screens": len(app.screens())}

    def press(key: Qt.Key) -> None:
        window.activateWindow()
        QTest.keyClick(window, key)

    def press_space() -> None:
        press(Qt.Key.Key_Space)

    def finish() -> None:
        result["frames"] = window.live_view.frames_shown
        result["filmstrip"] = window.filmstrip_model.rowCount()
        result["review"] = window.review.path.name if window.review.path else None
        client = app.findChild(QWidget, "clientWindow") or next(
            (w for w in app.topLevelWidgets() if w.objectName() == "clientWindow"), None)
        result["client_visible"] = bool(client and client.isVisible())
        result["client_screen"] = (client.windowHandle().screen().geometry().getRect()
                                   if client and client.windowHandle() else None)
        result["client_shows"] = client.shown_path if client else None
        shots = []
        for index, screen in enumerate(app.screens()):
            path = out_dir / f"screen{index}.png"
            screen.grabWindow(0).save(str(path))
            shots.append(str(path))
        window.grab().save(str(out_dir / "tether-window.png"))
        result["screenshots"] = shots
        window.close()
        app.quit()

    QTimer.singleShot(1500, lambda: press(Qt.Key.Key_F5))
    QTimer.singleShot(2500, press_space)
    QTimer.singleShot(3500, press_space)
    QTimer.singleShot(6500, finish)
    app.exec()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    target.mkdir(parents=True, exist_ok=True)
    sys.exit(main(target))
