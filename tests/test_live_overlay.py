"""The live view's guides as the photographer reads them: the thirds grid, the eye-line target
and the cue plates follow the aspect mask's crop, text and lines grow with the view, and the
eye line is never green while a cue about it shows. Offscreen Qt, pixels of the widget."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QImage

from coaching.live.live_coach import CoachState
from coaching.measure.cues import ActiveCue
from coaching.measure.measurements import Measurements
from ui.coach.coach_overlay import GOOD, SEVERITY_COLOURS, CoachOverlay, text_pixels
from ui.common.overlay import mask_rect
from ui.tether.liveview_widget import LiveViewWidget

GREY = 90


def rgb(widget) -> np.ndarray:
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    data = np.array(image.constBits(), dtype=np.uint8, copy=True)
    rows = data.reshape(image.height(), image.bytesPerLine())
    return rows[:, :image.width() * 3].reshape(image.height(), image.width(), 3).astype(int)


@pytest.fixture
def view(qtbot):
    widget = LiveViewWidget()
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    frame = QImage(1500, 1000, QImage.Format.Format_RGB32)
    frame.fill(0xFF000000 | GREY << 16 | GREY << 8 | GREY)
    widget.set_image(frame)
    widget.message = ""
    overlay = CoachOverlay(widget.aspect)
    widget.overlays.append(overlay)
    widget.show()
    return widget, overlay


def state(cues=(), eyes=((0.45, 0.34), (0.55, 0.34)), roll=0.0) -> CoachState:
    return CoachState(1, 0.0, 0.0, Measurements(head_roll_deg=roll), tuple(cues), eyes, None, 1)


def test_the_thirds_grid_follows_the_four_by_five_crop(view):
    widget, _overlay = view
    widget.grid.visible = True
    widget.aspect.name = "4:5"
    pixels = rgb(widget)
    crop = mask_rect(widget.image_rect(), (4, 5))
    inside_third = round(crop.left() + crop.width() / 3)
    frame_third = round(widget.image_rect().left() + widget.image_rect().width() / 3)
    row = pixels[100]
    assert row[inside_third - 1:inside_third + 2].max() > GREY + 15, "a line on the crop's third"
    assert abs(row[frame_third].mean() - row[frame_third + 6].mean()) < 3, \
        "no line on the full frame's third"


def test_cue_plates_sit_inside_the_crop(view):
    widget, overlay = view
    widget.grid.visible = False
    widget.aspect.name = "4:5"
    overlay.state = state(eyes=None)
    before = rgb(widget)
    overlay.state = state((ActiveCue("level_head", "Tilt your head a touch toward your left "
                                     "shoulder, and keep it there", "direct", 4),), eyes=None)
    after = rgb(widget)
    crop = mask_rect(widget.image_rect(), (4, 5))
    left, right = int(crop.left()) - 1, int(crop.right()) + 2
    assert np.array_equal(before[:, :left], after[:, :left]), "nothing left of the crop"
    assert np.array_equal(before[:, right:], after[:, right:]), "nothing right of the crop"
    assert not np.array_equal(before, after)


def test_the_eye_line_colour_agrees_with_the_cue_it_carries(view):
    widget, overlay = view
    widget.grid.visible = False
    y = round(widget.image_rect().top() + 0.34 * widget.image_rect().height())
    x = round(widget.image_rect().left() + 0.5 * widget.image_rect().width())

    def line_colour() -> np.ndarray:
        return rgb(widget)[y - 1:y + 2, x - 3:x + 3].reshape(-1, 3).max(axis=0)

    overlay.state = state()
    good = line_colour()
    assert abs(good - [GOOD.red(), GOOD.green(), GOOD.blue()]).max() < 30
    overlay.state = state((ActiveCue("level_head", "Level your head", "direct", 4),), roll=6.0)
    amber = SEVERITY_COLOURS["direct"]
    assert abs(line_colour() - [amber.red(), amber.green(), amber.blue()]).max() < 30


def test_text_and_lines_grow_with_the_view():
    from PySide6.QtCore import QRectF

    from ui.coach.coach_overlay import line_width

    small, large = QRectF(0, 0, 560, 375), QRectF(0, 0, 1320, 880)
    assert text_pixels(small) >= 18
    assert text_pixels(large) >= 36 and line_width(large) > line_width(small)


def test_a_long_cue_is_never_cut_inside_a_narrow_crop(qtbot):
    """The plate takes smaller type, then two lines; its text always fits its width."""
    from PySide6.QtCore import Qt

    from ui.coach.coach_overlay import plate_layout

    short = plate_layout("Chin down a touch", 400, 30, "DejaVu Sans")
    assert short[0] == 30 and not short[1] & int(Qt.TextFlag.TextWordWrap)
    size, flags, width, height = plate_layout(
        "Camera: pan a touch left to recentre the face", 400, 30, "DejaVu Sans")
    assert width <= 400 and flags & int(Qt.TextFlag.TextWordWrap)
    assert height > short[3] * 1.5                                  # two lines, not cut
    assert size < 30


def test_the_persons_name_sits_beside_the_crop_never_on_the_cues(view):
    """A headshot day with the 4:5 mask: the name of the person in the chair goes in the
    room beside the crop, wrapped whole, so the coach's plates inside the crop stay clear."""
    widget, overlay = view
    widget.aspect.name = "4:5"
    overlay.state = state((ActiveCue("level_head", "Camera: step back a touch: face 31 % "
                                     "larger than the house look", "framing", 8),), eyes=None)
    widget.set_person("Fernando García-López de la Fuente · no shots yet")
    rgb(widget)                                             # paints
    crop = mask_rect(widget.image_rect(), (4, 5))
    assert widget.label_box.left() >= crop.right()
    assert widget.label_box.height() > 2 * widget.fontMetrics().height()   # wrapped, whole
    widget.aspect.name = ""                                 # no room beside: the corner
    rgb(widget)
    assert widget.label_box.right() <= widget.width()
