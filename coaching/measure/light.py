"""The light on the main face, measured in linear light from skin regions the face landmarks
place (both cheeks and the forehead, clear of eyes, brows, lips and hair): face exposure,
clipping and crushing, the lighting ratio between the cheeks and the key side, catchlights in
each iris and where they sit (clock hours), and the backdrop level beside and above the head.

Left and right are as seen in the image. Pure NumPy; any thread (the coach thread live, the
capture pipeline per capture); about a millisecond on a 640 px frame, since only the sampled
regions are linearised.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

MIDDLE_GREY = 0.18
CLIPPED_AT, CRUSHED_AT = 250, 5          # 8-bit code values
KEY_SIDE_FROM_STOPS = 0.25               # a smaller ratio has no key side
# 478-point mesh: the middle of each cheek beside the nose (205 is on the image's left for
# an unmirrored face), the forehead's middle, and the irises (centre, then four points on the
# iris edge). Samples further out (toward the jaw, the cheekbone) read a turned face's shadow
# side more strongly, but the model places them differently on a mirrored face (1.8 against
# 0.5 stops on the same loop-lit portrait); these agree within 0.1 stop on most portraits.
CHEEKS = ((205,), (425,))
NOSE_TIP = 1
# A cheek's sample keeps the side toward the nose: its outer crescent (beyond this fraction of
# the radius, away from the nose) is where a turned face's edge, the hair and the backdrop are.
CHEEK_OUTER_CUT = 0.4
FOREHEAD = 151
IRISES = ((468, 469, 470, 471, 472), (473, 474, 475, 476, 477))
CHEEK_RADIUS, FOREHEAD_RADIUS = 0.22, 0.18   # of the distance between the irises
MIN_REGION_PX = 12
# A catchlight: a small spot within the iris, brighter than its surroundings (a window the
# size of the iris radius) by this much, and at least this bright (sRGB-encoded luma, 0..1).
CATCHLIGHT_LIFT = 0.18
CATCHLIGHT_FLOOR = 0.5
SPOT_REACH = 0.8                         # of the iris radius: clear of the lids and sclera
MAX_SPOT_SHARE = 0.2
MIN_IRIS_RADIUS_PX = 2.5
CENTRED_BELOW = 0.2                      # of the iris radius: no clock for a centred spot
BACKDROP_MAX_SPREAD = 0.2                # relative spread of a clean backdrop sample
BACKDROP_SAMPLES = 1500                  # pixels read per sample (a regular grid)
EYE_SHUT_AT = 0.5

_LINEAR = np.where(np.arange(256) / 255 <= 0.04045, np.arange(256) / 255 / 12.92,
                   ((np.arange(256) / 255 + 0.055) / 1.055) ** 2.4).astype(np.float32)
LUMA = np.array([0.2126, 0.7152, 0.0722], np.float32)


@dataclass(frozen=True)
class Light:
    face_exposure_ev: float | None = None
    face_clipped: float | None = None
    face_crushed: float | None = None
    lighting_ratio_stops: float | None = None
    key_side: str | None = None
    catchlight_left: bool | None = None
    catchlight_right: bool | None = None
    catchlight_clock: float | None = None
    backdrop_ev: float | None = None
    # Colour, as log2 of red over blue in linear light (0 on a neutral grey): the cheeks'
    # difference (image left minus right; the same skin, so mixed light and never a skin
    # tone) and the backdrop's (its white balance, when it is a neutral one).
    cheek_warmth_difference: float | None = None
    backdrop_warmth: float | None = None
    face_warmth: float | None = None     # the skin's; only ever compared with the same face's


def warmth(pixels: np.ndarray) -> float | None:
    """log2(red / blue) of the pixels' medians in linear light; None when too few or dark."""
    if len(pixels) < MIN_REGION_PX:
        return None
    values = linear(pixels.reshape(-1, 3))
    red, blue = float(np.median(values[:, 0])), float(np.median(values[:, 2]))
    return math.log2(red / blue) if red > 1e-4 and blue > 1e-4 else None


def linear(rgb: np.ndarray) -> np.ndarray:
    """8-bit sRGB to linear light, 0..1 (float32)."""
    return _LINEAR[rgb]


def luminance(rgb: np.ndarray) -> np.ndarray:
    """Linear luminance Y of 8-bit sRGB pixels (any leading shape, channels last)."""
    return linear(rgb) @ LUMA


def ev(value: float) -> float | None:
    return math.log2(value / MIDDLE_GREY) if value > 0 else None


def disc(rgb: np.ndarray, centre: np.ndarray, radius: float,
         toward: np.ndarray | None = None) -> np.ndarray:
    """The pixels (N, 3) of ``rgb`` within ``radius`` of ``centre`` (x, y), clipped to the
    frame; with ``toward`` (a point: the nose tip), only the part of the disc on its side,
    the outer crescent beyond CHEEK_OUTER_CUT of the radius left out."""
    h, w = rgb.shape[:2]
    x0, x1 = max(0, int(centre[0] - radius)), min(w, int(centre[0] + radius) + 1)
    y0, y1 = max(0, int(centre[1] - radius)), min(h, int(centre[1] + radius) + 1)
    if x0 >= x1 or y0 >= y1:
        return np.empty((0, 3), np.uint8)
    ys, xs = np.mgrid[y0:y1, x0:x1]
    kept = (xs - centre[0]) ** 2 + (ys - centre[1]) ** 2 <= radius ** 2
    if toward is not None:
        away = centre - toward
        length = float(np.hypot(*away))
        if length > 0:
            outward = ((xs - centre[0]) * away[0] + (ys - centre[1]) * away[1]) / length
            kept &= outward <= CHEEK_OUTER_CUT * radius
    return rgb[y0:y1, x0:x1][kept]


def measure_light(rgb: np.ndarray, landmarks: np.ndarray,
                  eyes_closed: tuple[float | None, float | None] = (None, None)) -> Light:
    """The light on the face whose 478 normalised ``landmarks`` are given, in ``rgb`` (the
    image the landmarks were found in). ``eyes_closed``: each eye's closure (image left,
    right), so a closed eye reports no catchlight (None)."""
    h, w = rgb.shape[:2]
    points = landmarks[:, :2] * np.array([w, h], np.float32)
    iod = float(np.linalg.norm(points[IRISES[0][0]] - points[IRISES[1][0]]))
    if iod < 6:
        return Light()
    sides = sorted(CHEEKS, key=lambda pair: float(points[pair[0]][0]))
    # The whole discs give each side's level (the ratio: its median shrugs off a little hair
    # at a turned face's edge, and the fall-off toward that edge is the shadow side's); the
    # discs' inner parts are the skin judged for exposure, clipping, crushing and colour.
    whole = [[disc(rgb, points[i], CHEEK_RADIUS * iod) for i in pair] for pair in sides]
    cheeks = [[disc(rgb, points[i], CHEEK_RADIUS * iod, points[NOSE_TIP]) for i in pair]
              for pair in sides]
    forehead = disc(rgb, points[FOREHEAD], FOREHEAD_RADIUS * iod)
    skin = np.concatenate([*cheeks[0], *cheeks[1], forehead])
    exposure = clipped = crushed = ratio = None
    key = None
    if len(skin) >= MIN_REGION_PX:
        exposure = ev(float(np.median(luminance(skin))))
        # Skin gone white: two channels or more at the top. One channel alone (the red of
        # warm skin in a bright, correctly exposed portrait) is not the skin clipping.
        clipped = float(((skin >= CLIPPED_AT).sum(axis=1) >= 2).mean())
        crushed = float((skin.max(axis=1) <= CRUSHED_AT).mean())
    levels = [_side_level(samples) for samples in whole]
    if levels[0] is not None and levels[1] is not None:
        ratio = abs(levels[0] - levels[1])
        if ratio >= KEY_SIDE_FROM_STOPS:
            key = "image_left" if levels[0] > levels[1] else "image_right"
    spots = [catchlight(rgb, points, iris, shut)
             for iris, shut in zip(_irises_by_side(points), eyes_closed, strict=True)]
    warm = [warmth(np.concatenate(samples)) if samples else None for samples in cheeks]
    difference = warm[0] - warm[1] if warm[0] is not None and warm[1] is not None else None
    backdrop, backdrop_colour = backdrop_light(rgb, points)
    return Light(exposure, clipped, crushed, ratio, key,
                 None if spots[0] is None else spots[0].found,
                 None if spots[1] is None else spots[1].found, clock_of(spots),
                 backdrop, difference, backdrop_colour, warmth(skin))


def _side_level(samples: list[np.ndarray]) -> float | None:
    """log2 of one cheek's level: the mean of its samples' log2 median luminance."""
    logs = [math.log2(m) for m in (float(np.median(luminance(s))) for s in samples
                                   if len(s) >= MIN_REGION_PX) if m > 0]
    return sum(logs) / len(logs) if len(logs) == len(samples) else None


def _irises_by_side(points: np.ndarray) -> tuple[tuple[int, ...], tuple[int, ...]]:
    first, second = IRISES
    return (first, second) if points[first[0]][0] <= points[second[0]][0] else (second, first)


def box_mean(patch: np.ndarray, size: int) -> np.ndarray:
    """The mean over a ``size`` x ``size`` window around each pixel (edges clamped)."""
    half = size // 2
    padded = np.pad(patch, half + 1, mode="edge").cumsum(0).cumsum(1)
    h, w = patch.shape
    total = (padded[size:size + h, size:size + w] - padded[:h, size:size + w]
             - padded[size:size + h, :w] + padded[:h, :w])
    return total / (size * size)


@dataclass(frozen=True)
class Catchlight:
    found: bool
    offset: tuple[float, float] = (0.0, 0.0)   # from the iris centre, in iris radii (x, y)
    strength: float = 0.0


def clock_of(spots: list[Catchlight | None]) -> float | None:
    """Where the catchlights sit, in clock hours as seen in the image (12 top, 3 right): the
    direction of both eyes' spots together (each eye's own landmark error averages out);
    None without one, or when they sit in the middle of the iris (a ring light, on axis)."""
    found = [s for s in spots if s is not None and s.found]
    if not found:
        return None
    x = sum(s.offset[0] for s in found) / len(found)
    y = sum(s.offset[1] for s in found) / len(found)
    if math.hypot(x, y) < CENTRED_BELOW:
        return None
    hours = (math.degrees(math.atan2(x, -y)) / 30.0) % 12.0
    return 12.0 if hours < 0.05 else hours


def catchlight(rgb: np.ndarray, points: np.ndarray, iris: tuple[int, ...],
               shut: float | None) -> Catchlight | None:
    """The catchlight in one iris; None when the eye is closed or not visible (too small, off
    the frame). A catchlight is a small spot much brighter than the iris around it: a bright
    iris, or the white of the eye at its edge, is not one."""
    if shut is not None and shut >= EYE_SHUT_AT:
        return None
    h, w = rgb.shape[:2]
    # The centre landmark and the centre of the four edge ones, together: each alone moves by
    # a pixel or two between a face and its mirror image.
    centre = (points[iris[0]] + points[list(iris[1:])].mean(axis=0)) / 2
    radius = float(np.mean([np.linalg.norm(points[i] - centre) for i in iris[1:]]))
    if radius < MIN_IRIS_RADIUS_PX or not (radius <= centre[0] < w - radius
                                           and radius <= centre[1] < h - radius):
        return None
    x0, x1 = int(centre[0] - radius), int(centre[0] + radius) + 1
    y0, y1 = int(centre[1] - radius), int(centre[1] + radius) + 1
    patch = rgb[y0:y1, x0:x1].astype(np.float32) @ (LUMA / 255.0)
    ys, xs = np.mgrid[y0:y1, x0:x1] + 0.5          # pixel centres, as the landmarks count
    inside = (xs - centre[0]) ** 2 + (ys - centre[1]) ** 2 <= (SPOT_REACH * radius) ** 2
    if inside.sum() < 5:
        return None
    window = max(3, int(round(radius)) | 1)
    lift = patch - box_mean(patch, window)
    lift[~inside] = 0.0
    peak = float(lift.max())
    if peak < CATCHLIGHT_LIFT or float(patch[lift == peak].max()) < CATCHLIGHT_FLOOR:
        return Catchlight(False)
    spot = lift >= 0.5 * peak
    if spot.sum() > MAX_SPOT_SHARE * inside.sum():
        return Catchlight(False)             # a broad bright area, not a spot
    weights = lift[spot]
    cx = float((xs[spot] * weights).sum() / weights.sum()) - centre[0]
    cy = float((ys[spot] * weights).sum() / weights.sum()) - centre[1]
    return Catchlight(True, (cx / radius, cy / radius), float(weights.sum()))


def backdrop_light(rgb: np.ndarray, points: np.ndarray) -> tuple[float | None, float | None]:
    """The backdrop beside and above the head: the cleanest (most even) of three samples
    clear of the head and hair, as (its level in EV, its warmth); (None, None) when none is
    even enough (a busy background, or the head fills the frame)."""
    h, w = rgb.shape[:2]
    xs, ys = points[:, 0], points[:, 1]
    left, right, top, bottom = float(xs.min()), float(xs.max()), float(ys.min()), \
        float(ys.max())
    face_w, face_h = right - left, bottom - top
    boxes = [
        (left - 1.25 * face_w, left - 0.75 * face_w, top - 0.2 * face_h, top + 0.4 * face_h),
        (right + 0.75 * face_w, right + 1.25 * face_w, top - 0.2 * face_h, top + 0.4 * face_h),
        (left, right, top - 1.0 * face_h, top - 0.7 * face_h),
    ]
    best: tuple[float, float, np.ndarray] | None = None
    for x0, x1, y0, y1 in boxes:
        a, b = max(0, int(x0)), min(w, int(x1))
        c, d = max(0, int(y0)), min(h, int(y1))
        if (b - a) * (d - c) < max(64, 0.25 * (x1 - x0) * (y1 - y0)):
            continue
        step = max(1, int(math.sqrt((b - a) * (d - c) / BACKDROP_SAMPLES)))
        pixels = rgb[c:d:step, a:b:step].reshape(-1, 3)
        sample = luminance(pixels)
        median = float(np.median(sample))
        if median <= 0:
            continue
        low, high = np.percentile(sample, (10, 90))
        spread = float(high - low) / median
        if spread <= BACKDROP_MAX_SPREAD and (best is None or spread < best[0]):
            best = (spread, median, pixels)
    return (None, None) if best is None else (ev(best[1]), warmth(best[2]))
