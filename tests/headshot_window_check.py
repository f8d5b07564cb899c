"""A headshot day in the real window on a real X display (Xvfb, two screens) with the demo
camera: the client display opened (F5), a roster of three imported, the 4:5 mask on (A), a shot
of the first person (Space) on the TV as its 4:5 crop, the next person (]) greeted by name on
the TV's card instead of the colleague's shot, the TV blanked (B) and live view saying so.
Screenshots of both screens at each step and of the tether window; prints one JSON line.

Used by tests/test_real_window.py; also makes the screenshots in docs/headshot-day.md:

    Xvfb :9 -screen 0 1600x1000x24 -screen 1 1024x768x24 &
    DISPLAY=:9 python tests/headshot_window_check.py docs/screenshots/
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

ROSTER = ("First name;Last name;Department;Employee ID\n"
          "Zoë;O'Brien;Sales;E-17\nFernando;García-López;Legal;E-19\nBo;Berg;IT;E-20\n")


def main(out_dir: Path) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("CATCHLIGHT_SESSIONS_DIR", str(out_dir / "sessions"))
    app = QApplication(sys.argv)
    from ui.app import build

    window, parts = build(demo=True)
    window.resize(1500, 940)
    window.show()
    window.raise_()
    window.activateWindow()
    result: dict = {"platform": app.platformName(), "screens": len(app.screens())}
    client = parts.client.client

    def press(key: Qt.Key) -> None:
        window.activateWindow()
        QTest.keyClick(window, key)

    def screens(prefix: str) -> None:
        for index, screen in enumerate(app.screens()):
            screen.grabWindow(0).save(str(out_dir / f"{prefix}-screen{index}.png"))
        window.grab().save(str(out_dir / f"{prefix}-tether.png"))

    def import_roster() -> None:
        csv = out_dir / "team.csv"
        csv.write_text(ROSTER, encoding="utf-8")
        parts.roster.import_file(csv)
        while window.live_view.aspect.name != "4:5":
            press(Qt.Key.Key_A)
        from session.people.house_look import HouseLook

        parts.house.set_look(HouseLook(eye_line=0.30, face_height=0.26, head_roll_deg=0.0,
                                       lighting_ratio_stops=0.6, backdrop_ev=0.5,
                                       source="the approved shot"))

    def first_shot_seen() -> None:
        result["first_shown"] = Path(client.shown_path).name
        result["house_meter"] = parts.coach is not None and parts.coach.overlay.house is not None
        result["crop"] = client.crop
        screens("headshot-first-person")
        press(Qt.Key.Key_BracketRight)

    def next_person() -> None:
        result["after_switch_shown"] = client.shown_path
        result["card_title"] = client.hold_title
        result["live_view_person"] = window.live_view.person_name
        result["monitor_visible"] = parts.client.monitor.isVisible()
        result["capture_button_visible"] = window.panel.capture_button.isVisible()
        screens("headshot-next-person")
        press(Qt.Key.Key_Escape)                     # closing a drop-down: the TV stays
        result["blanked_by_escape"] = client.blanked
        press(Qt.Key.Key_B)

    def blanked() -> None:
        result["blanked"] = client.blanked
        result["live_view_notice"] = window.live_view.client_notice
        screens("headshot-blanked")
        press(Qt.Key.Key_B)
        window.close()
        app.quit()

    steps = [
        (lambda: window.live_view.frames_shown > 5, lambda: press(Qt.Key.Key_F5)),
        (lambda: client.isVisible(), import_roster),
        (lambda: parts.roster.current is not None and parts.coach is not None
         and parts.coach.overlay.state is not None, lambda: press(Qt.Key.Key_Space)),
        (lambda: bool(client.shown_path), lambda: QTimer.singleShot(800, first_shot_seen)),
        (lambda: parts.roster.current is not None and parts.roster.current.id == "E-19",
         lambda: QTimer.singleShot(800, next_person)),
        (lambda: client.blanked, lambda: QTimer.singleShot(500, blanked)),
    ]
    deadline = time.monotonic() + 120

    def tick() -> None:
        if time.monotonic() > deadline:
            result["timed_out_at_step"] = len(result.get("done", []))
            window.close()
            app.quit()
            return
        if steps and steps[0][0]():
            _condition, action = steps.pop(0)
            result.setdefault("done", []).append(len(result.get("done", [])))
            action()
        QTimer.singleShot(100, tick)

    QTimer.singleShot(100, tick)
    app.exec()
    print(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("artifacts")))
