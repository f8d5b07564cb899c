"""The simulated camera's scene: a real portrait with natural motion, exposed by the settings.

Pure NumPy/Pillow. ``render`` runs on whichever thread asks for a frame (the camera worker for
live view, the simulated camera's processing thread for captures); CPU-bound, no blocking I/O
after construction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from resources.locate import resource_path

DEFAULT_PORTRAIT = "demo/astronaut.png"
ZOOM = 1.10
SUBJECT_CENTRE_Y = 0.31  # puts the demo subject's eyes near the upper third


@dataclass(frozen=True)
class Pose:
    """The subject's motion at an instant: drift in pixels of the source, tilt and turn."""

    dx: float
    dy: float
    tilt_deg: float
    turn: float  # -1..1, horizontal squeeze as a stand-in for the head turning


MOTION_PERIOD_S = 8.0


def pose_at(t: float) -> Pose:
    """Slow, smooth sway, drift, tilt and turn; periodic over MOTION_PERIOD_S so that live
    frames can be rendered once and replayed, as a camera's processor would deliver them."""
    w = 2 * math.pi / MOTION_PERIOD_S
    return Pose(
        dx=6.0 * math.sin(w * t) + 2.0 * math.sin(3 * w * t + 0.7),
        dy=3.0 * math.sin(2 * w * t + 1.0),
        tilt_deg=3.0 * math.sin(w * t + 0.5),
        turn=0.6 * math.sin(w * t + 2.0),
    )


def exposure_gain(iso: int, shutter_s: float, f_number: float, bias_ev: float) -> float:
    """Brightness relative to ISO 100, 1/125 s, f/5.6: each stop doubles or halves."""
    stops = (math.log2(iso / 100) + math.log2(shutter_s * 125) - 2 * math.log2(f_number / 5.6)
             + bias_ev)
    return float(2.0 ** max(-4.0, min(3.0, stops)))


def rotation_matrix(centre: tuple[float, float], degrees: float, scale: float) -> np.ndarray:
    """2x3 matrix rotating counter-clockwise (as seen) by ``degrees`` about ``centre``."""
    a = math.radians(degrees)
    alpha, beta = scale * math.cos(a), scale * math.sin(a)
    cx, cy = centre
    return np.array([[alpha, beta, (1 - alpha) * cx - beta * cy],
                     [-beta, alpha, beta * cx + (1 - alpha) * cy]])


class Scene:
    """Renders the portrait, framed as a tight landscape crop, at any output size."""

    def __init__(self, portrait: Path | None = None) -> None:
        path = portrait or resource_path(DEFAULT_PORTRAIT)
        try:
            with Image.open(path) as image:
                self.image = image.convert("RGB")
        except OSError as exc:
            raise FileNotFoundError(f"demo portrait not readable: {path}") from exc
        self.source = np.asarray(self.image)
        # Fill for the corners a tilt uncovers: the backdrop's own colour at the top edge.
        self.edge = tuple(int(v) for v in np.median(self.source[:6].reshape(-1, 3), axis=0))

    def render(self, width: int, height: int, t: float, gain: float = 1.0) -> np.ndarray:
        """An RGB uint8 frame of ``width`` x ``height`` showing the subject at time ``t``.
        Far beyond the portrait's own detail (a 24 MP capture from 512 px), the pose is
        rendered at twice the source's size and upscaled once: half the time, same picture."""
        detail = 2 * self.source.shape[0]
        if height > 2 * detail:
            small = self.render(round(width * detail / height), detail, t, gain)
            return np.asarray(Image.fromarray(small).resize((width, height),
                                                            Image.Resampling.BILINEAR))
        pose = pose_at(t)
        sh, sw = self.source.shape[:2]
        # Fill the frame (a tight portrait crop), eye line near the upper third.
        scale = max(width / sw, height / sh) * ZOOM
        cx, cy = sw / 2 + pose.dx, sh * SUBJECT_CENTRE_Y + pose.dy
        rotate = np.vstack([rotation_matrix((cx, cy), pose.tilt_deg, scale), [0.0, 0.0, 1.0]])
        rotate[0, 2] += width / 2 - cx
        rotate[1, 2] += height / 2 - cy
        # A head turn, approximated by a slight horizontal squeeze about the frame centre.
        squeeze = 1.0 - 0.04 * abs(pose.turn)
        turn = np.array([[squeeze, 0.0, (1 - squeeze) * width / 2 + pose.turn * 4 * scale],
                         [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
        inverse = np.linalg.inv(turn @ rotate)  # Pillow maps output pixels back to the source
        frame = self.image.transform((width, height), Image.Transform.AFFINE,
                                     tuple(inverse[:2].ravel()), Image.Resampling.BILINEAR,
                                     fillcolor=self.edge)
        if abs(gain - 1.0) > 1e-3:
            lut = np.clip(np.arange(256) * gain, 0, 255).astype(np.uint8)
            frame = frame.point(list(lut) * 3)
        return np.asarray(frame)
