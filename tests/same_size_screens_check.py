"""Two X screens of the same size (two identical monitors): the tether window on one, the
client display (F5) must open on the other, and "Move to the next screen" must move it there
and back. Prints one JSON line: which screen each window is on after each step.

Used by tests/test_real_window.py:

    Xvfb :9 -screen 0 1280x800x24 -screen 1 1280x800x24 &
    DISPLAY=:9 python tests/same_size_screens_check.py /tmp/out
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
from PySide6.QtWidgets import QApplication  # noqa: E402


def main(out_dir: Path) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("CATCHLIGHT_SESSIONS_DIR", str(out_dir / "sessions"))
    app = QApplication(sys.argv)
    from ui.app import build

    window, parts = build(demo=True)
    window.show()
    window.activateWindow()
    screens = app.screens()
    result: dict = {"screens": len(screens),
                    "sizes": [s.geometry().getRect() for s in screens], "steps": []}
    client = parts.client

    def where(widget) -> int:  # type: ignore[no-untyped-def]
        handle = widget.windowHandle()
        return screens.index(handle.screen()) if handle is not None else -1

    def note(step: str) -> None:
        result["steps"].append({"step": step, "tether": where(window),
                                "client": where(client.client),
                                "client_visible": client.client.isVisible()})

    actions = [lambda: QTest.keyClick(window, Qt.Key.Key_F5),
               lambda: note("opened"),
               client.move_to_next_screen, lambda: note("moved"),
               client.move_to_next_screen, lambda: note("moved again")]
    deadline = time.monotonic() + 60

    def tick() -> None:
        if not actions or time.monotonic() > deadline:
            window.close()
            app.quit()
            return
        if window.live_view.frames_shown > 3:
            actions.pop(0)()
        QTimer.singleShot(400, tick)

    QTimer.singleShot(400, tick)
    app.exec()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("artifacts")))
