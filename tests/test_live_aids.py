"""Live aids: focus peaking outlines what is in focus and not what is blurred, zebra marks
exactly the clipped pixels, the histogram reads the frame; in the tether window F, Z, H and M
switch them (remembered), they are computed off the GUI thread, and the client's clean live
view never shows them."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QImage

from camera.types import LiveFrame
from coaching.live.live_aids import AidsChoice, compute_aids
from media.aids import PEAKING_COLOUR, focus_peaking, histograms, marks_rgba, zebra
from ui.common.settings import SHOW_FACE_METER, SHOW_HISTOGRAM, SHOW_PEAKING, SHOW_ZEBRA


def checkerboard(size: int = 256, cell: int = 8) -> np.ndarray:
    ys, xs = np.mgrid[:size, :size]
    board = (((xs // cell) + (ys // cell)) % 2 * 200 + 30).astype(np.uint8)
    return np.repeat(board[:, :, None], 3, axis=2)


def box_blur(rgb: np.ndarray, k: int) -> np.ndarray:
    out = rgb.astype(np.float32)
    for axis in (0, 1):
        out = sum(np.roll(out, s, axis=axis) for s in range(-(k // 2), k // 2 + 1)) / k
    return out.astype(np.uint8)


def test_peaking_outlines_the_sharp_half_and_not_the_blurred_half():
    sharp = checkerboard()
    frame = np.concatenate([sharp[:, :128], box_blur(sharp, 9)[:, 128:]], axis=1)
    mask = focus_peaking(frame)
    assert mask[:, 8:120].mean() > 5 * max(mask[:, 136:248].mean(), 1e-3)
    assert not focus_peaking(box_blur(sharp, 15)).any()     # nothing sharp: (almost) nothing
    assert not focus_peaking(np.full((64, 64, 3), 128, np.uint8)).any()


def test_zebra_marks_exactly_the_clipped_pixels_and_the_histogram_reads_them():
    frame = np.full((40, 60, 3), 100, np.uint8)
    frame[10:20, 10:30, 0] = 252                 # red clipped only
    frame[30:35, 40:50] = 255
    mask = zebra(frame)
    assert mask.sum() == 10 * 20 + 5 * 10 and mask[10:20, 10:30].all()
    rgba = marks_rgba(frame.shape[:2], None, mask)
    assert (rgba[..., 3] > 0).sum() == mask.sum()
    hist = histograms(frame)
    assert hist.shape == (4, 128) and hist[3].argmax() == int(100 * 0.2126 + 100 * 0.7152
                                                               + 100 * 0.0722) * 128 // 256


def test_aids_are_made_for_what_is_asked_and_are_immutable():
    rgb = checkerboard()
    bgra = np.zeros((256, 256, 4), np.uint8)
    frame = LiveFrame(7, 0.0, b"", rgb, bgra)
    only_hist = compute_aids(frame, AidsChoice(histogram=True))
    assert only_hist.marks is None and only_hist.histogram is not None
    both = compute_aids(frame, AidsChoice(peaking=True, zebra=True))
    assert both.seq == 7 and both.marks is not None and not both.marks.flags.writeable
    b, g, r, a = both.marks[both.marks[..., 3] == 255][0]        # premultiplied BGRA
    assert (r, g, b, a) == PEAKING_COLOUR


def grab(widget) -> np.ndarray:
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    data = np.array(image.constBits(), dtype=np.uint8, copy=True)
    rows = data.reshape(image.height(), image.bytesPerLine())
    return rows[:, :image.width() * 3].reshape(image.height(), image.width(), 3)


def peaking_pixels(pixels: np.ndarray) -> int:
    r, g, b, _a = PEAKING_COLOUR
    return int((np.abs(pixels.astype(int) - (r, g, b)).sum(axis=2) < 12).sum())


def test_the_keys_switch_the_aids_on_the_photographers_view_only(app_factory, qtbot):
    from ui.client.client_window import MODE_LIVE

    app = app_factory(session="Aids", coach=True)
    window, aids = app.window, app.parts.aids
    qtbot.waitUntil(lambda: window.live_view.frames_shown > 2, timeout=10000)
    assert peaking_pixels(grab(window.live_view)) == 0          # off by default
    for key in (Qt.Key.Key_F, Qt.Key.Key_Z, Qt.Key.Key_H, Qt.Key.Key_M):
        qtbot.keyClick(window, key)
    settings = window.settings
    assert all(settings.get(k) for k in (SHOW_PEAKING, SHOW_ZEBRA, SHOW_HISTOGRAM,
                                         SHOW_FACE_METER))
    qtbot.waitUntil(lambda: aids.overlay.frame is not None
                    and aids.overlay.frame.histogram is not None, timeout=10000)
    assert aids.worker.computed > 0 and app.parts.coach.overlay.show_meter
    qtbot.waitUntil(lambda: peaking_pixels(grab(window.live_view)) > 200, timeout=5000)
    app.client.open()
    qtbot.keyClick(window, Qt.Key.Key_F7)
    assert app.client.client.mode == MODE_LIVE
    qtbot.waitUntil(lambda: not app.client.client.live.isNull(), timeout=5000)
    qtbot.wait(300)
    assert peaking_pixels(grab(app.client.client)) == 0          # the client's view is clean
    qtbot.keyClick(window, Qt.Key.Key_F)
    qtbot.keyClick(window, Qt.Key.Key_Z)
    qtbot.keyClick(window, Qt.Key.Key_H)
    assert not settings.get(SHOW_PEAKING) and not aids.overlay.show_marks
    qtbot.waitUntil(lambda: peaking_pixels(grab(window.live_view)) == 0, timeout=5000)
    computed = aids.worker.computed
    qtbot.wait(500)
    assert aids.worker.computed <= computed + 1                 # nothing computed when off


class Paints(QObject):
    """Counts the paint events of the widget it is installed on."""

    count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def test_live_view_is_painted_once_a_frame_with_the_coach_and_every_aid_on(app_factory, qtbot):
    """The coach's state and the aids' marks arrive between frames; while live view runs
    they are shown by the next frame's paint, not by a paint of their own (it painted twice
    a frame, 60 times a second, which took live view's frames from the cores)."""
    app = app_factory(session="Paints", coach=True)
    window = app.window
    for key in (Qt.Key.Key_F, Qt.Key.Key_Z, Qt.Key.Key_H, Qt.Key.Key_M):
        qtbot.keyClick(window, key)
    qtbot.waitUntil(lambda: app.parts.aids.overlay.frame is not None
                    and app.parts.coach.overlay.state is not None, timeout=20000)

    paints = Paints()
    window.live_view.installEventFilter(paints)
    frames, aids, states = window.live_view.frames_shown, app.parts.aids.worker.computed, \
        app.parts.coach.live.processed
    qtbot.wait(2000)
    window.live_view.removeEventFilter(paints)
    frames = window.live_view.frames_shown - frames
    assert app.parts.aids.worker.computed - aids > 5          # the aids and the coach ran
    assert app.parts.coach.live.processed - states > 5
    assert frames > 10 and paints.count <= frames + 3


def test_an_overlay_result_after_live_views_last_frame_is_still_painted(qtbot):
    """Live view stopped just after a frame: the coach's last state, which waited for a next
    frame that never comes, is painted on its own a moment later."""
    import time

    from ui.tether.liveview_widget import LiveViewWidget

    view = LiveViewWidget()
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)

    qtbot.wait(100)
    paints = Paints()
    view.installEventFilter(paints)
    view.last_shown_at = time.monotonic()          # a frame was just shown, then no more
    view.overlay_changed()
    assert paints.count == 0                       # it waits for a frame at first ...
    qtbot.waitUntil(lambda: paints.count >= 1, timeout=2000)   # ... then paints on its own
