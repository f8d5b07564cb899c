"""The client display: placement on the second screen, new captures within 300 ms of being
verified, client-safe holding back of flagged and rejected shots, no keyboard focus, hold and
blank, selection, and the screen-choice policy. Offscreen Qt with two screens (conftest)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from camera.simulated.simulated_camera import SimulatedCamera
from session.culling.culling_store import CullingStore
from session.culling.xmp_sidecar import CullMarks, read_sidecar
from ui.client.client_controller import screen_key
from ui.client.client_window import MODE_HOLD, MODE_SELECTION
from ui.common.client_screens import (
    ON_UNPLUG_CLOSE,
    ON_UNPLUG_MOVE,
    ScreenInfo,
    after_unplug,
    choose_screen,
    next_screen,
)
from ui.common.filmstrip_badges import MARKS_ROLE
from ui.common.settings import CLIENT_COACH_LINE, CLIENT_SCREEN, CLIENT_SHOW_FLAGGED

PRIMARY = ScreenInfo("laptop", True)
TV = ScreenInfo("HDMI-1", False)
MONITOR = ScreenInfo("DP-2", False)


def test_screen_policy():
    assert choose_screen([PRIMARY, TV], None) == "HDMI-1"
    assert choose_screen([PRIMARY, TV, MONITOR], "DP-2") == "DP-2"
    assert choose_screen([PRIMARY, TV], "DP-2") == "HDMI-1"       # remembered one is gone
    assert choose_screen([PRIMARY], None) is None                 # never over the tether
    assert choose_screen([PRIMARY], "laptop", allow_primary=True) == "laptop"
    assert next_screen([PRIMARY, TV, MONITOR], "HDMI-1") == "DP-2"
    assert next_screen([PRIMARY, TV], "DP-2") == "laptop"
    assert after_unplug([PRIMARY], ON_UNPLUG_CLOSE) is None
    assert after_unplug([PRIMARY], ON_UNPLUG_MOVE) == "laptop"
    assert after_unplug([PRIMARY, MONITOR], ON_UNPLUG_MOVE) == "DP-2"


def grab(widget) -> np.ndarray:
    from PySide6.QtGui import QImage

    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    data = np.array(image.constBits(), dtype=np.uint8, copy=True)
    rows = data.reshape(image.height(), image.bytesPerLine())
    return rows[:, :image.width() * 3].reshape(image.height(), image.width(), 3)


@pytest.fixture
def studio(app_factory, qtbot):
    def make(portrait=None):
        app = app_factory(session="Client", analyse=True,
                          camera=SimulatedCamera(capture_size=(3000, 2000), portrait=portrait))
        qtbot.waitUntil(lambda: app.window.live_view.frames_shown > 2, timeout=10000)
        qtbot.waitUntil(app.parts.pipeline.ready.is_set, timeout=30000)   # models loaded
        app.client.open()
        return app.window, app.controller, app.client, app.camera, app.session

    return make


def test_client_window_opens_full_screen_on_the_second_screen(studio, qtbot):
    window, _controller, client, *_ = studio()
    second = next(s for s in QGuiApplication.screens()
                  if s is not QGuiApplication.primaryScreen())
    qtbot.waitUntil(lambda: client.client.isVisible(), timeout=3000)
    assert client.screen_name == screen_key(second)
    assert client.client.geometry() == second.geometry()
    assert client.client.windowHandle().screen() is second
    assert window.settings.get(CLIENT_SCREEN) == screen_key(second)
    assert client.client.cursor().shape() == Qt.CursorShape.BlankCursor


def test_the_client_display_never_opens_over_the_photographers_window(studio, qtbot):
    """The photographer's window on the system's second screen: the client display takes the
    other one (the primary), and Move to the next screen moves it there and back."""
    window, _controller, client, *_ = studio()
    primary = QGuiApplication.primaryScreen()
    second = next(s for s in QGuiApplication.screens() if s is not primary)
    client.close()
    window.settings.set(CLIENT_SCREEN, "")
    window.move(second.geometry().topLeft())
    window.resize(900, 600)
    qtbot.waitUntil(lambda: second.geometry().contains(window.frameGeometry().center()),
                    timeout=3000)
    client.open()
    qtbot.waitUntil(lambda: client.client.isVisible(), timeout=3000)
    assert client.screen_name == screen_key(primary)
    assert client.client.geometry() == primary.geometry()
    client.move_to_next_screen()
    assert client.screen_name == screen_key(second)
    assert client.client.geometry() == second.geometry()
    client.move_to_next_screen()
    assert client.client.geometry() == primary.geometry()


def test_new_capture_reaches_the_client(studio, qtbot):
    """(How soon: bench/client_display.py.)"""
    window, controller, client, *_ = studio()
    with qtbot.waitSignal(client.client.painted, timeout=10000):
        controller.capture()
    assert client.client.shown_path.endswith("Client_0001.jpg")
    pixels = grab(client.client)
    assert pixels.std() > 20, "a picture, not a black screen"


def test_the_client_sees_the_photographers_crop(studio, qtbot):
    """With the 4:5 mask on, the TV shows the 4:5 crop of the 3:2 capture (no flag or stand
    beside the head), filling the screen's height; with the mask off, the whole frame."""
    window, controller, client, *_ = studio()
    while window.live_view.aspect.name != "4:5":
        window._cycle_aspect()
    with qtbot.waitSignal(client.client.painted, timeout=10000):
        controller.capture()
    lit = np.flatnonzero(grab(client.client).max(axis=(0, 2)) > 0)   # columns with picture
    width, height = client.client.width(), client.client.height()
    assert abs((lit[-1] - lit[0] + 1) - height * 4 / 5) <= 2
    while window.live_view.aspect.name:
        window._cycle_aspect()
    client.client.repaint()
    lit = np.flatnonzero(grab(client.client).max(axis=(0, 2)) > 0)
    assert lit[-1] - lit[0] + 1 >= width - 2                          # 3:2 fills the width


def test_shots_without_a_face_and_rejected_shots_stay_hidden(studio, qtbot, tmp_path):
    wall = tmp_path / "wall.png"
    cv2.imwrite(str(wall), np.tile(np.linspace(40, 220, 512, dtype=np.uint8), (512, 1)))
    window, controller, client, *_ = studio(portrait=wall)
    with qtbot.waitSignal(controller.ingest_bridge.stored, timeout=10000):
        controller.capture()
    qtbot.waitUntil(lambda: bool(client.held_back), timeout=5000)
    path, reasons = client.held_back[-1]
    assert path.endswith("Client_0001.jpg") and "no_face" in reasons
    assert client.client.shown_path == ""
    client._set(CLIENT_SHOW_FLAGGED, "show_flagged", True)
    with qtbot.waitSignal(client.client.painted, timeout=5000):
        controller.capture()
    assert client.client.shown_path.endswith("Client_0002.jpg")


def test_rejecting_the_shown_shot_hides_it_and_is_remembered(studio, qtbot):
    window, controller, client, _camera, session = studio()
    with qtbot.waitSignal(client.client.painted, timeout=10000):
        controller.capture()
    qtbot.waitUntil(lambda: window.review.path is not None, timeout=3000)
    qtbot.keyClick(window, Qt.Key.Key_X)
    assert client.client.shown_path == ""
    store = CullingStore(session.folder)
    assert store.rejected() == {"Client_0001.jpg"}
    store.close()
    assert read_sidecar(session.folder / "Client_0001.jpg").pick == -1


def test_culling_keys_mark_the_reviewed_shot_and_undo(studio, qtbot):
    window, controller, _client, _camera, session = studio()
    with qtbot.waitSignal(controller.ingest_bridge.stored, timeout=10000):
        controller.capture()
    qtbot.waitUntil(lambda: window.review.path is not None, timeout=3000)
    for key in (Qt.Key.Key_4, Qt.Key.Key_P, Qt.Key.Key_8):
        qtbot.keyClick(window, key)
    expected = CullMarks(4, "Green", 1)
    tile = window.filmstrip_model.index_of("Client_0001.jpg")
    assert tile.data(MARKS_ROLE) == expected                 # the filmstrip shows the model
    assert controller.model.marks("Client_0001.jpg") == expected
    assert read_sidecar(session.folder / "Client_0001.jpg") == expected
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert tile.data(MARKS_ROLE) == CullMarks(4, "", 1)
    assert "picked" in window.statusBar().currentMessage()


def test_the_client_window_never_takes_the_keyboard(studio, qtbot):
    window, controller, client, *_ = studio()
    qtbot.waitUntil(lambda: client.client.isVisible(), timeout=3000)
    window.activateWindow()
    assert client.client.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert client.client.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus
    with qtbot.waitSignal(controller.ingest_bridge.stored, timeout=10000):
        qtbot.keyClick(window, Qt.Key.Key_Space)
    assert QGuiApplication.focusWindow() is not client.client.windowHandle()
    assert client.client.keys_received == 0
    # Even a key sent straight at the client window is the photographer's: it captures.
    with qtbot.waitSignal(controller.ingest_bridge.stored, timeout=10000):
        qtbot.keyClick(client.client, Qt.Key.Key_Space)
    assert client.client.keys_received == 0


def test_hold_card_and_b_blanks_but_escape_never_does(studio, qtbot):
    window, controller, client, *_ = studio()
    with qtbot.waitSignal(client.client.painted, timeout=10000):
        controller.capture()
    qtbot.keyClick(window, Qt.Key.Key_F9)
    assert client.client.mode == MODE_HOLD
    card = grab(client.client)
    assert 15 < card.mean() < 60 and card.std() > 3   # dark card with text
    qtbot.keyClick(window, Qt.Key.Key_Escape)          # closing a drop-down: the TV stays
    assert not client.client.blanked
    qtbot.keyClick(window, Qt.Key.Key_B)
    assert client.client.blanked
    assert grab(client.client).max() == 0
    assert window.live_view.client_notice.startswith("CLIENT SCREEN BLANKED")  # said on live view
    qtbot.keyClick(window, Qt.Key.Key_B)
    assert not client.client.blanked and window.live_view.client_notice == ""


def test_selection_shows_the_picked_shots_side_by_side(studio, qtbot):
    window, controller, client, *_ = studio()
    for _ in range(2):
        with qtbot.waitSignal(controller.ingest_bridge.stored, timeout=10000):
            controller.capture()
    window.filmstrip.selectAll()
    qtbot.keyClick(window, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: len(client.client.selection) == 2, timeout=5000)
    assert client.client.mode == MODE_SELECTION
    pixels = grab(client.client)
    middle = pixels[:, pixels.shape[1] // 2 - 3:pixels.shape[1] // 2 + 3]
    assert middle.max() < 10 < pixels[:, : pixels.shape[1] // 2].std()


def test_unplugged_client_screen_closes_or_moves_the_window(studio, qtbot):
    window, _controller, client, *_ = studio()
    qtbot.waitUntil(lambda: client.client.isVisible(), timeout=3000)
    second = next(s for s in QGuiApplication.screens()
                  if s is not QGuiApplication.primaryScreen())
    client._screen_removed(second)
    assert not client.client.isVisible() and client.wanted_open
    assert "disconnected" in window.banner.label.text()
    client._screens_changed(second)  # it comes back
    assert client.client.isVisible() and client.screen_name == screen_key(second)
    client._set_unplug(True)
    client._screen_removed(second)
    assert client.client.isVisible()
    assert client.screen_name == screen_key(QGuiApplication.primaryScreen())


def test_clean_live_view_with_one_friendly_line(studio, qtbot):
    from coaching.live.live_coach import CoachState
    from coaching.measure.cues import ActiveCue
    from coaching.measure.measurements import Measurements
    from ui.client.client_window import MODE_LIVE

    window, _controller, client, *_ = studio()
    cue = ActiveCue("chin_down", "Chin forward and down a touch", "direct", 3)
    client.coach_overlay = type("Overlay", (), {"state": CoachState(
        1, 0.0, 0.0, Measurements(), (cue,), None, None, 1)})()
    qtbot.keyClick(window, Qt.Key.Key_F7)
    assert client.client.mode == MODE_LIVE
    qtbot.waitUntil(lambda: not client.client.live.isNull(), timeout=3000)
    assert client.client.coaching_line == ""          # off unless the photographer asks
    client._set(CLIENT_COACH_LINE, "coach_line", True)
    qtbot.waitUntil(lambda: client.client.coaching_line == "Chin down a little", timeout=3000)


# --- the client monitor in the tether window ------------------------------------------------------

def monitor_picture(client) -> np.ndarray:
    rect = client.monitor.picture_rect().toRect()
    return grab(client.monitor)[rect.top():rect.bottom(), rect.left():rect.right()]


def shrink(pixels: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    return cv2.resize(pixels, size, interpolation=cv2.INTER_AREA).astype(float)


def test_the_tether_shows_exactly_what_the_client_sees_and_its_mode(studio, qtbot):
    window, controller, client, *_ = studio()
    second = next(s for s in QGuiApplication.screens()
                  if s is not QGuiApplication.primaryScreen())
    assert client.monitor.isVisible() and client.monitor.width() >= 200
    assert client.monitor.mode_text == "Latest"
    assert second.name() in client.monitor.screen_label
    with qtbot.waitSignal(client.client.painted, timeout=10000):
        controller.capture()
    client.client._animation.stop()
    client.client._fade = 1.0
    client.monitor.repaint()
    on_tv, on_monitor = grab(client.client), monitor_picture(client)
    # The monitor is the client's screen, smaller: same picture, same place, same colours.
    size = (64, 40)
    difference = np.abs(shrink(on_tv, size) - shrink(on_monitor, size))
    assert difference.mean() < 6, difference.mean()
    assert on_monitor.std() > 20


def test_blanking_the_tv_and_the_monitor_says_so_in_red(studio, qtbot):
    window, controller, client, *_ = studio()
    with qtbot.waitSignal(client.client.painted, timeout=10000):
        controller.capture()
    qtbot.keyClick(window, Qt.Key.Key_B)
    client.monitor.repaint()
    assert grab(client.client).max() == 0                      # the client sees black
    assert client.monitor.mode_text == "BLANKED"
    picture = monitor_picture(client).astype(int)
    red = (picture[..., 0] > 180) & (picture[..., 1] < 80) & (picture[..., 2] < 80)
    assert red.mean() > 0.02, "an unmistakable red BLANKED over the monitor"
    assert "BLANKED" in window.statusBar().currentMessage()


def test_clicking_the_monitor_cycles_the_client_modes(studio, qtbot):
    window, controller, client, *_ = studio()
    with qtbot.waitSignal(client.client.painted, timeout=10000):
        controller.capture()
    seen = []
    for _ in range(5):
        qtbot.mouseClick(client.monitor, Qt.MouseButton.LeftButton)
        seen.append(client.monitor.mode_text)
    assert seen == ["Live", "Selection", "Hold", "BLANKED", "Latest"]
    assert not client.client.blanked and not client.blank_action.isChecked()
    assert [a.data() for a in client.mode_actions.actions() if a.isChecked()] == ["latest"]
    client.close()
    client.monitor.repaint()
    assert client.monitor.mode_text == "Closed"
    qtbot.mouseClick(client.monitor, Qt.MouseButton.LeftButton)   # opens it again
    assert client.client.isVisible()


def test_a_rejected_shot_on_the_tv_gives_way_to_the_previous_client_safe_one(studio, qtbot):
    window, controller, client, *_ = studio()
    for n in (1, 2):
        with qtbot.waitSignal(client.client.painted, timeout=10000):
            controller.capture()
        qtbot.waitUntil(lambda n=n: client.client.shown_path.endswith(f"Client_000{n}.jpg"),
                        timeout=5000)
    qtbot.waitUntil(lambda: window.review.path is not None
                    and window.review.path.name == "Client_0002.jpg", timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_X)
    assert client.client.shown_path.endswith("Client_0001.jpg")
    assert grab(client.client).std() > 20                # a photo, not black, not the card
    window.filmstrip.setCurrentIndex(window.filmstrip_model.index_of("Client_0001.jpg"))
    qtbot.waitUntil(lambda: window.review.path.name == "Client_0001.jpg", timeout=3000)
    qtbot.keyClick(window, Qt.Key.Key_X)
    # Nothing client-safe is left: the hold card, never a black screen.
    assert client.client.shown_path == ""
    card = grab(client.client)
    assert 15 < card.mean() < 60 and card.std() > 3


def test_rejects_in_a_row_fall_back_without_decoding_again(studio, qtbot, monkeypatch):
    """Three captures, the last two rejected one after the other: the TV goes back to the
    first, taken from the capture's own decode (the picture cache), not decoded again."""
    import ui.client.client_controller as client_module

    window, controller, client, *_ = studio()
    for n in (1, 2, 3):
        with qtbot.waitSignal(client.client.painted, timeout=10000):
            controller.capture()
        qtbot.waitUntil(lambda n=n: client.client.shown_path.endswith(f"Client_000{n}.jpg"),
                        timeout=5000)
    decoded: list[str] = []
    real = client_module.decode_for_display
    monkeypatch.setattr(client_module, "decode_for_display",
                        lambda path, size: decoded.append(path.name) or real(path, size))
    for name in ("Client_0003.jpg", "Client_0002.jpg"):
        window.filmstrip.setCurrentIndex(window.filmstrip_model.index_of(name))
        qtbot.waitUntil(lambda n=name: window.review.path is not None
                        and window.review.path.name == n, timeout=5000)
        qtbot.keyClick(window, Qt.Key.Key_X)
    assert client.client.shown_path.endswith("Client_0001.jpg")
    assert grab(client.client).std() > 20                # the photo at once, not the card
    assert decoded == []


def test_after_a_restart_the_client_sees_the_latest_client_safe_shot(app_factory, qtbot):
    first = app_factory(session="Restart", analyse=True)
    for _ in range(3):
        with qtbot.waitSignal(first.controller.ingest_bridge.stored, timeout=10000):
            first.controller.capture()
    qtbot.waitUntil(lambda: all(s.analysis is not None for s in first.model.shots)
                    and len(first.model) == 3, timeout=20000)
    first.model.press("Restart_0003.jpg", "x")
    folder = first.session.folder
    first.window.close()
    again = app_factory(folder=folder, analyse=True, camera=None)
    again.client.open()
    qtbot.waitUntil(lambda: again.client.client.shown_path.endswith("Restart_0002.jpg"),
                    timeout=10000)
    assert again.client.monitor.mode_text == "Latest"
    assert grab(again.client.client).std() > 20


def test_a_tap_on_the_client_screen_hearts_the_shown_shot(studio, qtbot):
    """Issue 29, the person marks the shots they like at the tether: with the touch option on,
    a tap on the client screen hearts the shown capture (kept like a phone's heart: in the
    catalog, the sidecar and the session model), the screen says it is kept, and a second
    tap takes it back. Off (the default), a tap does nothing."""
    from session.culling.client_favourites import read_favourite

    window, controller, client, *_ = studio()
    with qtbot.waitSignal(client.client.painted, timeout=10000):
        controller.capture()
    shown = client.client.shown_path
    qtbot.mouseClick(client.client, Qt.MouseButton.LeftButton)
    qtbot.wait(300)
    key = controller.model.shots[0].key
    assert controller.model.shot(key).client.hearts == 0          # off: nothing happens
    client._set_hearts(True)
    before = grab(client.client)
    qtbot.mouseClick(client.client, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.model.shot(key).client.hearts == 1, timeout=5000)
    assert read_favourite(controller.model.shot(key).path)[0] is True    # in the sidecar
    assert client.client.kept(shown)
    qtbot.waitUntil(lambda: not np.array_equal(grab(client.client), before), timeout=5000)
    qtbot.mouseClick(client.client, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.model.shot(key).client.hearts == 0, timeout=5000)
    assert not client.client.kept(shown)
