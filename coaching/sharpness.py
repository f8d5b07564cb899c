"""Focus at the eyes: a Laplacian focus measure on each eye region, resampled so that the
distance between the eyes is always the same number of pixels and divided by the region's own
contrast. One threshold then works across resolutions and exposures.

Pure NumPy/Pillow; runs on the coaching threads; ~1 ms.
"""

from __future__ import annotations

import numpy as np

from media.imaging import resize

CANONICAL_IOD_PX = 48.0     # eye-to-eye distance the regions are resampled to
RAW_AT_CRISP = 2.0          # contrast-normalised Laplacian of crisp eyes (tuned on real photos)
# Landmark rings around each eye (upper and lower lid, corners) in the 478-point mesh.
EYE_RINGS = ((33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246),
             (362, 382, 381, 380, 374, 373, 390, 249, 263, 466, 388, 387, 386, 385, 384, 398))


def laplacian(patch: np.ndarray) -> np.ndarray:
    """The 3x3 Laplacian [[2, 0, 2], [0, -8, 0], [2, 0, 2]] over the patch's interior."""
    p = patch
    return 2 * (p[:-2, :-2] + p[:-2, 2:] + p[2:, :-2] + p[2:, 2:]) - 8 * p[1:-1, 1:-1]


def eye_sharpness(gray: np.ndarray, landmarks: np.ndarray) -> float | None:
    """0 (mush) .. 1 (crisp); None when the eyes are too small or off the image. Below about
    0.35 the eyes are visibly soft (a 4 px Gaussian blur on a 500 px portrait gives ~0.2)."""
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
        patch = gray[y0:y1, x0:x1].astype(np.float32)
        if scale < 1.0:
            size = (max(1, round(patch.shape[1] * scale)), max(1, round(patch.shape[0] * scale)))
            patch = resize(patch, size).astype(np.float32)
        if min(patch.shape) < 5:
            continue
        contrast = float(patch.std())
        if contrast < 2.0:
            values.append(0.0)
            continue
        values.append(float(laplacian(patch).std()) / (contrast * 2.0))
    if not values:
        return None
    return float(min(1.0, max(values) / RAW_AT_CRISP))
