"""Issue 28's light: a fall-off across the face (the key further to one side) raises the
lighting ratio by what it makes between the cheeks, on the side the light comes from; the
demo portrait with known fall-offs of 1, 2 and 3 stops across the frame, made in linear
light."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from coaching.landmarking.landmarks import Landmarkers
from coaching.measure.light import CHEEKS, linear
from coaching.measure.measurements import measure
from resources.locate import resource_path


def _srgb(values: np.ndarray) -> np.ndarray:
    values = np.clip(values, 0, 1)
    encoded = np.where(values <= 0.0031308, values * 12.92,
                       1.055 * values ** (1 / 2.4) - 0.055)
    return (encoded * 255 + 0.5).astype(np.uint8)


@pytest.mark.parametrize("stops", [1.0, 2.0, 3.0])
def test_a_fall_off_across_the_face_is_the_ratio_between_the_cheeks(stops):
    with Image.open(resource_path("demo/astronaut.png")) as image:
        rgb = np.asarray(image.convert("RGB"))
    models = Landmarkers(video=False)
    try:
        plain = models.detect(rgb)
        width = rgb.shape[1]
        fall = np.linspace(0.0, -stops, width)                    # brighter on the left
        lit = _srgb(linear(rgb) * (2.0 ** fall)[None, :, None])
        after = measure(models.detect(lit))
    finally:
        models.close()
    before = measure(plain)
    points = plain.main_face.landmarks[:, :2] * (width, rgb.shape[0])
    sides = sorted(CHEEKS, key=lambda pair: float(points[pair[0]][0]))
    x = [float(np.mean([points[i][0] for i in pair])) for pair in sides]
    made = stops * (x[1] - x[0]) / width                        # between the cheeks
    signed = before.lighting_ratio_stops * (1 if before.key_side != "image_right" else -1)
    assert after.key_side == "image_left"
    assert after.lighting_ratio_stops == pytest.approx(signed + made, abs=0.12)
