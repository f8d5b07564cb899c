"""Run the tether window on a real X screen (Xvfb) with the demo camera: live view, two
captures by the Space key, then a screenshot of each screen. Prints one JSON line.
Used by tests/test_real_window.py; also makes the README's screenshot:

    xvfb-run -s "-screen 0 1600x1000x24" python tests/real_window_check.py docs/
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def main(out_dir: Path) -> int:
    os.environ.setdefault("CATCHLIGHT_SESSIONS_DIR", str(out_dir / "sessions"))
    app = QApplication(sys.argv)
    from ui.app import build

    window, controller = build(demo=True)
    window.show()
    window.raise_()
    window.activateWindow()
    result: dict = {"platform": app.platformName(), "screens": len(app.screens())}

    def press_space() -> None:
        window.activateWindow()
        QTest.keyClick(window, Qt.Key.Key_Space)

    def finish() -> None:
        result["frames"] = window.live_view.frames_shown
        result["filmstrip"] = window.filmstrip_model.rowCount()
        result["review"] = window.review.path.name if window.review.path else None
        shots = []
        for index, screen in enumerate(app.screens()):
            path = out_dir / f"screen{index}.png"
            screen.grabWindow(0).save(str(path))
            shots.append(str(path))
        window.grab().save(str(out_dir / "tether-window.png"))
        result["screenshots"] = shots
        window.close()
        app.quit()

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
