"""The demo camera's captures, made the way a camera's processor would: the subject's pose at
the moment, rendered once at its natural detail, upscaled to the sensor size and encoded; the
thumbnail and RAW preview come from the small render, and an encoded body is kept for the
pose and exposure so a second shot of the same moment costs only its EXIF. Each shot's EXIF
still differs (time, sub-second, ImageUniqueID), so no two files are alike.

Profile that led here (bench/capture_latency.py, 24 MP, loaded 2-core machine): the camera's
own rendering was nearly all of Space-to-disk; a thumbnail resized down from 24 MP cost
0.1 s of it, and re-rendering the same pose cost it all again. Pure NumPy/Pillow; the
simulated camera's processing thread."""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image

from camera.simulated.sim_scene import MOTION_PERIOD_S, Scene
from media.imaging import encode_jpeg, resize

POSES_PER_S = 4          # the pose is sampled every 0.25 s (live view replays 30 per second)
KEPT_BODIES = 12         # about 1.5 MB each
DETAIL = 1024            # rows rendered before the upscale (twice the demo portrait's)


@dataclass(frozen=True)
class Rendered:
    body: bytes           # the encoded full-size JPEG (no EXIF yet)
    thumbnail: bytes      # 320 px, for the EXIF
    preview: bytes        # 1620 px, for a RAW's embedded preview
    width: int
    height: int


def pose_slot(t: float) -> int:
    return round((t % MOTION_PERIOD_S) * POSES_PER_S) % round(MOTION_PERIOD_S * POSES_PER_S)


def _fit(rgb: np.ndarray, long_edge: int) -> np.ndarray:
    h, w = rgb.shape[:2]
    scale = long_edge / max(h, w)
    return resize(rgb, (max(1, round(w * scale)), max(1, round(h * scale))))


Maker = Callable[[float, float, int, int, bool], Rendered]   # t, gain, width, height, closed


class CaptureRenderer:
    """Keeps the encoded bodies; ``maker`` makes a new one (``make`` here, on the calling
    thread, or a ProcessorProcess's, in a child process)."""

    def __init__(self, scene: Scene, quality: int = 90, maker: Maker | None = None) -> None:
        self.scene = scene
        self.quality = quality
        self.maker: Maker = maker or self.make
        self._kept: OrderedDict[tuple[int, float, int, int, bool, int, bool], Rendered] = \
            OrderedDict()
        self._lock = threading.Lock()
        self.rendered = 0            # full renders done (for tests)

    def render(self, t: float, gain: float, size: tuple[int, int],
               eyes_closed: bool = False) -> Rendered:
        width, height = size
        key = (pose_slot(t), round(gain, 3), width, height, eyes_closed, self.scene.sitter,
               self.scene.grey_card)
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
                return kept
        rendered = self.maker(key[0] / POSES_PER_S, gain, width, height, eyes_closed)
        with self._lock:
            self._kept[key] = rendered
            while len(self._kept) > KEPT_BODIES:
                self._kept.popitem(last=False)
            self.rendered += 1
        return rendered

    def make(self, t: float, gain: float, width: int, height: int,
             eyes_closed: bool = False) -> Rendered:
        detail = min(height, DETAIL)
        small = self.scene.render(round(width * detail / height), detail, t, gain, eyes_closed)
        # The full-size picture stays a Pillow image from the upscale to the encoder: no 72 MB
        # copy into NumPy and back, which held the interpreter lock for tens of ms a shot
        # and stalled the window's live view (bench/everything.py, the first captures).
        full = Image.fromarray(small)
        if detail != height:
            full = full.resize((width, height), Image.Resampling.BILINEAR)
        body = io.BytesIO()
        full.save(body, "JPEG", quality=self.quality)
        return Rendered(body.getvalue(), encode_jpeg(_fit(small, 320), 80),
                        encode_jpeg(_fit(small, 1620), 85), width, height)
