"""Focus at the eyes: how much fine detail each eye region holds in its weakest direction,
resampled so that the distance between the eyes is always the same number of pixels, with the
image noise taken out and divided by the region's own contrast. One threshold then works
across resolutions and exposures; motion blur in any direction (it wipes out detail along the
movement only) counts as well as defocus, and sensor noise does not pass for detail.

Pure NumPy/Pillow; runs on the coaching threads; ~1 ms.
"""

from __future__ import annotations

import math

import numpy as np

from media.imaging import resize

CANONICAL_IOD_PX = 64.0     # eye-to-eye distance the regions are resampled to
RAW_AT_CRISP = 0.686        # weakest-direction detail of crisp eyes (tuned on real photos,
#                             so that 0.35 separates 31 px motion blur from sharp eyes)
# Landmark rings around each eye (upper and lower lid, corners) in the 478-point mesh.
EYE_RINGS = ((33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246),
             (362, 382, 381, 380, 374, 373, 390, 249, 263, 466, 388, 387, 386, 385, 384, 398))
# Immerkaer's noise kernel: flat and linear patches give 0; white noise of sigma s gives 6 s.
NOISE_KERNEL = ((1, -2, 1), (-2, 4, -2), (1, -2, 1))
MAD_TO_SIGMA = 0.6745


def _filter3(patch: np.ndarray, kernel: tuple[tuple[int, ...], ...]) -> np.ndarray:
    h, w = patch.shape
    out = np.zeros((h - 2, w - 2), np.float32)
    for dy, row in enumerate(kernel):
        for dx, k in enumerate(row):
            if k:
                out += k * patch[dy:dy + h - 2, dx:dx + w - 2]
    return out


def noise_sigma(patch: np.ndarray) -> float:
    """The patch's noise (standard deviation), robust to its edges: the median response of
    Immerkaer's kernel."""
    if min(patch.shape) < 3:
        return 0.0
    return float(np.median(np.abs(_filter3(patch, NOISE_KERNEL)))) / (MAD_TO_SIGMA * 6)


def directional_energy(patch: np.ndarray) -> list[float]:
    """Mean squared difference between neighbours across, down and along both diagonals."""
    p = patch
    diffs = (p[:, 1:] - p[:, :-1], p[1:, :] - p[:-1, :],
             (p[1:, 1:] - p[:-1, :-1]) / math.sqrt(2), (p[1:, :-1] - p[:-1, 1:]) / math.sqrt(2))
    return [float(np.mean(d * d)) for d in diffs]


def region_detail(full: np.ndarray, scale: float) -> float | None:
    """The weakest direction's detail in one eye region, noise removed, over its contrast."""
    sigma = noise_sigma(full) * scale            # area averaging of 1 / scale^2 pixels
    patch = full
    if scale < 1.0:
        size = (max(1, round(full.shape[1] * scale)), max(1, round(full.shape[0] * scale)))
        patch = resize(full, size).astype(np.float32)
    if min(patch.shape) < 5:
        return None
    contrast = float(patch.std())
    if contrast < 2.0:
        return 0.0
    # A difference of two pixels carries twice the noise variance.
    return min(math.sqrt(max(e - 2 * sigma * sigma, 0.0))
               for e in directional_energy(patch)) / contrast


def eye_sharpness(gray: np.ndarray, landmarks: np.ndarray) -> float | None:
    """0 (mush) .. 1 (crisp); None when the eyes are too small or off the image. Below about
    0.35 the eyes are visibly soft (31 px of motion blur or a 4 px Gaussian blur on a 500 px
    portrait read 0.15-0.3; sharp portraits 0.4-0.75)."""
    h, w = gray.shape[:2]
    points = landmarks[:, :2] * (w, h)
    centres = [points[list(ring)].mean(axis=0) for ring in EYE_RINGS]
    iod = float(np.linalg.norm(centres[0] - centres[1]))
    if iod < 8:
        return None
    scale = min(CANONICAL_IOD_PX / iod, 1.0)  # never invent detail by upsampling
    values = []
    for centre in centres:
        half_w, half_h = 0.32 * iod, 0.2 * iod
        x0, x1 = int(centre[0] - half_w), int(centre[0] + half_w) + 1
        y0, y1 = int(centre[1] - half_h), int(centre[1] + half_h) + 1
        if x0 < 0 or y0 < 0 or x1 > w or y1 > h:
            continue
        detail = region_detail(gray[y0:y1, x0:x1].astype(np.float32), scale)
        if detail is not None:
            values.append(detail)
    if not values:
        return None
    return float(min(1.0, max(values) / RAW_AT_CRISP))
