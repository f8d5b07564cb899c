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
from PIL import Image, ImageDraw, ImageFilter

from resources.locate import resource_path

DEFAULT_PORTRAIT = "demo/astronaut.png"
ZOOM = 1.10
SUBJECT_CENTRE_Y = 0.31  # puts the demo subject's eyes near the upper third


@dataclass(frozen=True)
class Sitter:
    """One of the demo's sitters, made from the one portrait: which way they face, how close
    they stand and the colour of the day's light on them (white balance as a photographer
    would see it drift from person to person)."""

    mirrored: bool = False
    distance: float = 1.0            # > 1 stands further back (the face smaller)
    colour: tuple[float, float, float] = (1.0, 1.0, 1.0)


# Live view in a strobe studio shows the modelling lamps: dimmer and warmer than the flash
# the captures are made with (tungsten-ish lamps at a fraction of the flash's power).
MODELLING_GAIN = 0.8
MODELLING_TINT = (1.0, 0.95, 0.86)

SITTERS = (Sitter(), Sitter(True, 1.035, (1.05, 0.99, 0.90)),
           Sitter(False, 0.90, (0.94, 0.99, 1.07)), Sitter(True, 0.96, (1.0, 0.95, 1.03)))


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


# The demo sitter blinks on live view twice in each motion period, 0.2 s each (and on every
# n-th capture, SimulatedCamera's ``blink_every``), so that holding blinks back from the client
# and the Eyes closed flag can be seen in the demo.
BLINKS_S = ((1.0, 1.2), (5.5, 5.7))
# The demo portrait's eyes in its own pixels (found by the face model): centre x, y, w, h.
DEMO_EYES = ((204.0, 101.0, 26.0, 12.0), (246.0, 104.0, 26.0, 12.0))


def blinking(t: float) -> bool:
    moment = t % MOTION_PERIOD_S
    return any(start <= moment < end for start, end in BLINKS_S)


def with_eyes_closed(image: Image.Image, eyes: tuple[tuple[float, float, float, float], ...]
                     ) -> Image.Image:
    """``image`` with lids drawn over ``eyes``: skin from just below each eye, a soft lash
    line along the lid's lower edge."""
    closed = image.copy()
    source = np.asarray(image)
    draw = ImageDraw.Draw(closed)
    for cx, cy, w, h in eyes:
        below = source[int(cy + h * 0.9):int(cy + h * 1.3), int(cx - w / 3):int(cx + w / 3)]
        skin = tuple(int(v) for v in np.median(below.reshape(-1, 3), axis=0))
        draw.ellipse((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), fill=skin)
        lash = tuple(max(0, v - 90) for v in skin)
        draw.arc((cx - w / 2, cy - h, cx + w / 2, cy + h * 0.45), 20, 160, fill=lash, width=2)
    region = (int(min(e[0] - e[2] for e in eyes)), int(min(e[1] - e[3] for e in eyes)),
              int(max(e[0] + e[2] for e in eyes)), int(max(e[1] + e[3] for e in eyes)))
    closed.paste(closed.crop(region).filter(ImageFilter.GaussianBlur(0.8)), region[:2])
    return closed


GREY_CARD_RGB = (118, 118, 118)     # an 18 % grey card, in sRGB


def grey_card_box(width: int, height: int) -> tuple[int, int, int, int]:
    """Where the demo's grey card is held: the centre of the frame, a third of its height
    (left, top, right, bottom)."""
    side = int(height * 0.34)
    left, top = (width - side) // 2, (height - side) // 2
    return left, top, left + side, top + side


def qr_card(code: str) -> np.ndarray:
    """A printed QR card: the code black on white with its quiet zone, as an RGB array."""
    import zxingcpp

    pixels = np.asarray(zxingcpp.create_barcode(code, zxingcpp.BarcodeFormat.QRCode)
                        .to_image(scale=6))
    return np.repeat(np.asarray(pixels, np.uint8)[..., None], 3, axis=2)


def with_card(frame: np.ndarray, card: np.ndarray) -> np.ndarray:
    """``frame`` with ``card`` held up in front of the chest, a third of the frame's height."""
    height, width = frame.shape[:2]
    side = max(8, int(height * 0.34))
    shown = np.asarray(Image.fromarray(card).resize((side, side), Image.Resampling.NEAREST))
    top, left = int(height * 0.55), int(width * 0.58)
    out = frame.copy()
    bottom, right = min(height, top + side), min(width, left + side)
    out[top:bottom, left:right] = shown[:bottom - top, :right - left]
    return out


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

    def __init__(self, portrait: Path | None = None, blinks: bool = False) -> None:
        path = portrait or resource_path(DEFAULT_PORTRAIT)
        try:
            with Image.open(path) as image:
                self.image = image.convert("RGB")
        except OSError as exc:
            raise FileNotFoundError(f"demo portrait not readable: {path}") from exc
        self.source = np.asarray(self.image)
        # Only the bundled portrait's eyes are known: another portrait never blinks.
        self.blinked = with_eyes_closed(self.image, DEMO_EYES) \
            if blinks and portrait is None else None
        # Fill for the corners a tilt uncovers: the backdrop's own colour at the top edge.
        self.edge = tuple(int(v) for v in np.median(self.source[:6].reshape(-1, 3), axis=0))
        self.sitter = 0                  # which of SITTERS is in front of the camera
        self.grey_card = False           # the sitter holds a grey card up, under the light

    def next_sitter(self) -> int:
        """The next person sits down (a headshot day on the demo camera). Any thread."""
        self.sitter = (self.sitter + 1) % len(SITTERS)
        return self.sitter

    def render(self, width: int, height: int, t: float, gain: float = 1.0,
               eyes_closed: bool | None = None, modelling: bool = False) -> np.ndarray:
        """An RGB uint8 frame of ``width`` x ``height`` showing the subject at time ``t``.
        Far beyond the portrait's own detail (a 24 MP capture from 512 px), the pose is
        rendered at twice the source's size and upscaled once: half the time, same picture."""
        detail = 2 * self.source.shape[0]
        if height > 2 * detail:
            small = self.render(round(width * detail / height), detail, t, gain, eyes_closed,
                                modelling)
            return np.asarray(Image.fromarray(small).resize((width, height),
                                                            Image.Resampling.BILINEAR))
        pose = pose_at(t)
        sitter = SITTERS[self.sitter]
        sh, sw = self.source.shape[:2]
        # Fill the frame (a tight portrait crop), eye line near the upper third.
        scale = max(width / sw, height / sh) * ZOOM / sitter.distance
        cx, cy = sw / 2 + pose.dx, sh * SUBJECT_CENTRE_Y + pose.dy
        rotate = np.vstack([rotation_matrix((cx, cy), pose.tilt_deg, scale), [0.0, 0.0, 1.0]])
        rotate[0, 2] += width / 2 - cx
        rotate[1, 2] += height / 2 - cy
        # A head turn, approximated by a slight horizontal squeeze about the frame centre.
        squeeze = 1.0 - 0.04 * abs(pose.turn)
        turn = np.array([[squeeze, 0.0, (1 - squeeze) * width / 2 + pose.turn * 4 * scale],
                         [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
        inverse = np.linalg.inv(turn @ rotate)  # Pillow maps output pixels back to the source
        closed = blinking(t) if eyes_closed is None else eyes_closed   # None: live view's
        shown = self.blinked if self.blinked is not None and closed else self.image
        frame = shown.transform((width, height), Image.Transform.AFFINE,
                                     tuple(inverse[:2].ravel()), Image.Resampling.BILINEAR,
                                     fillcolor=self.edge)
        if sitter.mirrored:
            frame = frame.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        if self.grey_card:
            frame.paste(GREY_CARD_RGB, grey_card_box(width, height))
        colour = tuple(c * m for c, m in zip(sitter.colour, MODELLING_TINT, strict=True)) \
            if modelling else sitter.colour
        gain = gain * MODELLING_GAIN if modelling else gain
        if abs(gain - 1.0) > 1e-3 or colour != (1.0, 1.0, 1.0):
            levels = np.arange(256, dtype=np.float32) * gain
            lut = [int(v) for channel in colour
                   for v in np.clip(levels * channel, 0, 255).astype(np.uint8)]
            frame = frame.point(lut)
        return np.asarray(frame)
